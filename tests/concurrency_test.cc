// Threads on one index, the test ThreadSanitizer runs (docs/testing.md):
// one writer adds, replaces, deletes, commits and merges while readers
// share a reader and its searcher across threads, search, fetch documents
// and reopen. Every observation must come from one commit: what a reader
// saw at generation g (its live count, which documents hold a word, the
// stored text of documents) is checked after the run against the writer's
// model of that commit, an oracle that knows nothing of tim's files.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim {
namespace {

// Words of the documents: whole syllables with the spellings that matter
// (gi, qu, ươ, uơ, Đ); a document holds a word iff it lists it.
const char* const kWords[] = {"quốc", "gia",  "người", "thuở",   "Đà",    "nẵng",  "giữ", "nước",
                              "hoà",  "bình", "mưa",   "trường", "khuya", "đường", "quê", "hương"};
constexpr int kWordCount = sizeof(kWords) / sizeof(kWords[0]);

struct Commit {
  std::map<std::string, std::string> docs;  // id -> body
};

// A document's body: words chosen by (id, version), separated by spaces.
std::string Body(int id, int version) {
  std::mt19937 rng(static_cast<std::uint32_t>(id * 7919 + version));
  std::string body;
  const int n = 3 + static_cast<int>(rng() % 6);
  for (int i = 0; i < n; ++i) {
    if (!body.empty()) body += ' ';
    body += kWords[rng() % kWordCount];
  }
  return body;
}

bool Holds(const std::string& body, const std::string& word) {
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find(' ', start);
    if (end == std::string::npos) end = body.size();
    if (body.compare(start, end - start, word) == 0) return true;
    start = end + 1;
  }
  return false;
}

// What one reader saw, with the generation it saw it at.
struct Observation {
  std::uint64_t generation = 0;
  std::uint64_t num_docs = 0;
  std::string word;
  std::set<std::string> matches;                                            // ids holding word
  std::vector<std::pair<std::string, std::optional<std::string>>> fetched;  // id -> body
};

struct Open {
  std::unique_ptr<IndexReader> reader;
  std::unique_ptr<Searcher> searcher;
};

// "" when the observation agrees with the commit, else what differs.
std::string Disagreement(const Observation& o, const Commit& c) {
  const std::string at = " at generation " + std::to_string(o.generation);
  if (o.num_docs != c.docs.size()) {
    return std::to_string(o.num_docs) + " documents" + at + ", not " +
           std::to_string(c.docs.size());
  }
  std::set<std::string> expected;
  for (const auto& [id, body] : c.docs) {
    if (Holds(body, o.word)) expected.insert(id);
  }
  if (o.matches != expected) {
    return std::to_string(o.matches.size()) + " documents hold " + o.word + at + ", not " +
           std::to_string(expected.size());
  }
  for (const auto& [id, body] : o.fetched) {
    const auto doc = c.docs.find(id);
    if (doc == c.docs.end() ? body.has_value() : body != doc->second) {
      return "document " + id + at + " reads " + (body ? *body : "(absent)");
    }
  }
  return "";
}

TEST(Concurrency, ReadersSeeWholeCommitsWhileAWriterAddsDeletesCommitsAndMerges) {
  testing::TempDir dir;
  const std::string path = dir.Sub("idx");
  constexpr int kRounds = 24, kAddsPerRound = 12;

  // Generation -> the commit's documents, filled by the writer.
  std::mutex commits_mu;
  std::map<std::uint64_t, Commit> commits;

  IndexOptions options;
  options.threads = 2;
  options.merge_factor = 3;
  options.merge_floor_docs = 8;
  std::unique_ptr<IndexWriter> writer;
  ASSERT_TRUE(IndexWriter::Open(path, options, &writer).ok());
  Commit model;
  ASSERT_TRUE(writer->Commit().ok());
  std::uint64_t last_generation = 0;
  const auto record = [&](const Commit& state) {
    // Every generation from the last recorded one to the newest holds this
    // state: a commit, then the merges the policy ran (which change no
    // document).
    std::unique_ptr<IndexReader> reader;
    ASSERT_TRUE(IndexReader::Open(path, ReaderOptions(), &reader).ok());
    std::lock_guard<std::mutex> lock(commits_mu);
    for (std::uint64_t g = last_generation + 1; g <= reader->generation(); ++g) commits[g] = state;
    last_generation = reader->generation();
  };
  record(model);

  std::mutex current_mu;
  std::shared_ptr<Open> current;
  const auto open_current = [&] {
    auto open = std::make_shared<Open>();
    Status s = IndexReader::Open(path, ReaderOptions(), &open->reader);
    if (s.ok()) s = Searcher::Open(open->reader.get(), RankingOptions(), &open->searcher);
    return s.ok() ? open : nullptr;
  };
  current = open_current();
  ASSERT_NE(current, nullptr);

  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  // Observations are checked as soon as their commit is recorded; those
  // made before it was wait in `pending` (both under commits_mu).
  std::vector<Observation> pending;
  std::size_t checked = 0;
  std::set<std::uint64_t> generations_seen;
  const auto check = [&](const Observation& o) {
    const auto it = commits.find(o.generation);
    if (it == commits.end()) return false;
    const std::string wrong = Disagreement(o, it->second);
    if (!wrong.empty()) {
      ADD_FAILURE() << wrong;
      ++failures;
    }
    ++checked;
    generations_seen.insert(o.generation);
    return true;
  };

  // Readers 0 and 1 share the current reader and searcher; reader 2 swaps
  // in a newer one (Reopen, or a fresh Open every third time).
  auto search = [&](int me) {
    std::mt19937 rng(100 + me);
    while (!done.load()) {
      std::shared_ptr<Open> open;
      {
        std::lock_guard<std::mutex> lock(current_mu);
        open = current;
      }
      Observation o;
      o.generation = open->reader->generation();
      o.num_docs = open->reader->num_docs();
      o.word = kWords[rng() % kWordCount];
      const Status s = open->searcher->ForEachMatch(
          open->searcher->Parse(o.word), DefaultOperator::kOr, [&](std::string_view id, float) {
            o.matches.insert(std::string(id));
            return true;
          });
      if (!s.ok()) {
        ADD_FAILURE() << s.ToString();
        ++failures;
        return;
      }
      for (int i = 0; i < 3; ++i) {
        const std::string id = "d" + std::to_string(rng() % (kRounds * kAddsPerRound));
        Document doc;
        const Status g = open->reader->GetDocument(id, &doc);
        if (g.ok()) {
          o.fetched.emplace_back(id, std::string(doc.Field("body")));
        } else if (g.IsNotFound()) {
          o.fetched.emplace_back(id, std::nullopt);
        } else {
          ADD_FAILURE() << g.ToString();
          ++failures;
          return;
        }
      }
      // A search with snippets, for the code paths a user's query takes.
      SearchOptions search_options;
      search_options.k = 5;
      SearchResults results;
      if (!open->searcher->Search(o.word, search_options, &results).ok()) ++failures;
      std::lock_guard<std::mutex> lock(commits_mu);
      if (!check(o)) pending.push_back(std::move(o));
    }
  };
  auto reopen = [&] {
    int n = 0;
    while (!done.load()) {
      std::shared_ptr<Open> open;
      {
        std::lock_guard<std::mutex> lock(current_mu);
        open = current;
      }
      std::shared_ptr<Open> next;
      if (++n % 3 == 0) {
        next = open_current();
      } else {
        next = std::make_shared<Open>();
        if (!open->reader->Reopen(&next->reader).ok() ||
            !Searcher::Open(next->reader.get(), RankingOptions(), &next->searcher).ok()) {
          next = nullptr;
        }
      }
      if (next == nullptr) {
        ADD_FAILURE() << "reopen failed";
        ++failures;
        return;
      }
      std::lock_guard<std::mutex> lock(current_mu);
      current = std::move(next);
    }
  };
  auto fetch_and_search = [&] { search(2); };

  std::vector<std::thread> threads;
  threads.emplace_back(search, 0);
  threads.emplace_back(search, 1);
  threads.emplace_back(fetch_and_search);
  threads.emplace_back(reopen);

  // The writer, on this thread.
  int next_id = 0;
  std::mt19937 rng(7);
  for (int round = 1; round <= kRounds; ++round) {
    for (int i = 0; i < kAddsPerRound; ++i) {
      const int id = next_id++;
      Document doc{"d" + std::to_string(id), {{"body", Body(id, round)}}};
      ASSERT_TRUE(writer->AddDocument(doc).ok());
      model.docs[doc.id] = doc.fields[0].second;
    }
    for (int i = 0; i < 3 && !model.docs.empty(); ++i) {
      auto it = model.docs.begin();
      std::advance(it, rng() % model.docs.size());
      const std::string id = it->first;
      if (i == 0) {
        ASSERT_TRUE(writer->DeleteDocument(id).ok());
        model.docs.erase(id);
      } else {  // replace
        const int number = std::stoi(id.substr(1));
        Document doc{id, {{"body", Body(number, 1000 + round)}}};
        ASSERT_TRUE(writer->AddDocument(doc).ok());
        model.docs[id] = doc.fields[0].second;
      }
    }
    ASSERT_TRUE(round % 8 == 0 ? writer->ForceMerge(1).ok() : writer->Commit().ok());
    record(model);
  }
  done.store(true);
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  for (const Observation& o : pending) {
    EXPECT_TRUE(check(o)) << "generation " << o.generation << " was never committed";
  }
  // The readers must have overlapped the writer, not run after it.
  EXPECT_GT(checked, 100u);
  EXPECT_GT(generations_seen.size(), 3u);
  std::printf("%zu observations over %zu generations checked (%zu waited for their commit)\n",
              checked, generations_seen.size(), pending.size());
}

}  // namespace
}  // namespace tim
