// Load held (docs/performance.md, "Load"): indexes the long corpus while
// search threads query it without pause, and reports queries per second,
// latency percentiles overall and while a commit or merge runs, and every
// failure or torn commit seen.
//
//   load_bench [--corpus=DIR] [--queries=DIR] [--index=DIR] [--searchers=2]
//              [--commit-every=10000] [--docs=N]
//
// The writer (one indexing thread) commits every --commit-every documents;
// its merge policy merges as the index grows, and it ends with
// ForceMerge(1). After each commit it reopens the shared reader. Searchers
// take the current reader and run the headline queries of bench.tsv and
// bench_nodiac.tsv in turn (from the first commit on: an empty index is
// not timed). A torn commit would show as a reader whose live
// count is not one the writer committed, or a hit its own reader cannot
// fetch; both are counted.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "query_file.h"
#include "tim/index.h"
#include "tim/jsonl.h"
#include "tim/search.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Open {
  std::unique_ptr<tim::IndexReader> reader;
  std::unique_ptr<tim::Searcher> searcher;
};

struct Sample {
  double ms;
  bool during_commit;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

int Fail(const std::string& what, const tim::Status& s) {
  std::fprintf(stderr, "load_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus = TIM_DEFAULT_CORPUS, queries_dir = TIM_DEFAULT_QUERIES;
  std::string index = "/tmp/tim-load-bench";
  int searchers = 2;
  std::uint64_t commit_every = 10000, max_docs = UINT64_MAX;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&](const char* flag) {
      return arg.compare(0, std::strlen(flag), flag) == 0 ? arg.substr(std::strlen(flag))
                                                          : std::string();
    };
    if (!value("--corpus=").empty()) {
      corpus = value("--corpus=");
    } else if (!value("--queries=").empty()) {
      queries_dir = value("--queries=");
    } else if (!value("--index=").empty()) {
      index = value("--index=");
    } else if (!value("--searchers=").empty()) {
      searchers = std::max(1, std::stoi(value("--searchers=")));
    } else if (!value("--commit-every=").empty()) {
      commit_every = std::max<std::uint64_t>(1, std::stoull(value("--commit-every=")));
    } else if (!value("--docs=").empty()) {
      max_docs = std::stoull(value("--docs="));
    } else {
      std::fprintf(stderr, "load_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  std::vector<std::string> queries =
      tim::bench::ReadQueryFile("load_bench", queries_dir + "/bench.tsv");
  for (std::string& q :
       tim::bench::ReadQueryFile("load_bench", queries_dir + "/bench_nodiac.tsv")) {
    queries.push_back(std::move(q));
  }

  std::filesystem::remove_all(index);
  tim::IndexOptions options;
  options.threads = 1;
  std::unique_ptr<tim::IndexWriter> writer;
  tim::Status s = tim::IndexWriter::Open(index, options, &writer);
  if (!s.ok()) return Fail("open " + index, s);
  if (!(s = writer->Commit()).ok()) return Fail("commit", s);

  // Live counts by generation, as the writer committed them.
  std::mutex committed_mu;
  std::map<std::uint64_t, std::uint64_t> committed;
  std::mutex current_mu;
  std::shared_ptr<Open> current;
  const auto reopen = [&](std::uint64_t live) -> tim::Status {
    auto open = std::make_shared<Open>();
    TIM_RETURN_IF_ERROR(tim::IndexReader::Open(index, tim::ReaderOptions(), &open->reader));
    TIM_RETURN_IF_ERROR(
        tim::Searcher::Open(open->reader.get(), tim::RankingOptions(), &open->searcher));
    {
      std::lock_guard<std::mutex> lock(committed_mu);
      committed[open->reader->generation()] = live;
    }
    std::lock_guard<std::mutex> lock(current_mu);
    current = std::move(open);
    return tim::Status::OK();
  };
  if (!(s = reopen(0)).ok()) return Fail("reopen", s);

  std::atomic<bool> done{false}, committing{false};
  std::atomic<std::uint64_t> failures{0}, unfetchable{0};
  std::mutex samples_mu;
  std::vector<Sample> samples;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;  // (generation, live count)
  std::vector<std::thread> threads;
  for (int t = 0; t < searchers; ++t) {
    threads.emplace_back([&, t] {
      std::vector<Sample> mine;
      std::vector<std::pair<std::uint64_t, std::uint64_t>> my_seen;
      tim::SearchOptions search;
      search.k = 10;
      for (std::size_t i = t; !done.load(); i += searchers) {
        std::shared_ptr<Open> open;
        {
          std::lock_guard<std::mutex> lock(current_mu);
          open = current;
        }
        if (open->reader->num_docs() == 0) {  // before the first commit: nothing to time
          std::this_thread::yield();
          continue;
        }
        const bool during = committing.load();
        const auto start = Clock::now();
        tim::SearchResults results;
        const tim::Status q = open->searcher->Search(queries[i % queries.size()], search, &results);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (!q.ok() && !q.IsInvalidArgument()) {
          std::fprintf(stderr, "load_bench: %s: %s\n", queries[i % queries.size()].c_str(),
                       q.ToString().c_str());
          ++failures;
        }
        for (const tim::Hit& hit : results.hits) {
          tim::Document doc;
          if (!open->reader->GetDocument(hit.id, &doc).ok()) ++unfetchable;
        }
        mine.push_back({ms, during || committing.load()});
        if (i % 64 == static_cast<std::size_t>(t)) {
          my_seen.emplace_back(open->reader->generation(), open->reader->num_docs());
        }
      }
      std::lock_guard<std::mutex> lock(samples_mu);
      samples.insert(samples.end(), mine.begin(), mine.end());
      seen.insert(seen.end(), my_seen.begin(), my_seen.end());
    });
  }

  // The writer: the long corpus (its first two files), then one merge.
  const auto begin = Clock::now();
  std::uint64_t docs = 0, bytes = 0, commits = 0;
  double commit_seconds = 0;
  const auto commit = [&](bool force) -> tim::Status {
    committing.store(true);
    const auto start = Clock::now();
    tim::Status c = force ? writer->ForceMerge(1) : writer->Commit();
    commit_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    committing.store(false);
    ++commits;
    TIM_RETURN_IF_ERROR(c);
    return reopen(docs);
  };
  for (const char* name : {"baomoi_news_2017.jsonl.zst", "vntc_news.jsonl.zst"}) {
    std::unique_ptr<tim::JsonlReader> reader;
    if (!(s = tim::JsonlReader::Open(corpus + "/" + name, &reader)).ok()) return Fail(name, s);
    tim::Document doc;
    bool end = false;
    while (docs < max_docs) {
      s = reader->Next(&doc, &end);
      if (end) break;
      if (!s.ok()) return Fail(name, s);
      for (const auto& [field, text] : doc.fields) bytes += text.size();
      if (!(s = writer->AddDocument(doc)).ok()) return Fail("add " + doc.id, s);
      if (++docs % commit_every == 0 && !(s = commit(false)).ok()) return Fail("commit", s);
    }
  }
  if (!(s = commit(true)).ok()) return Fail("force merge", s);
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  done.store(true);
  for (std::thread& t : threads) t.join();

  std::uint64_t torn = 0;
  for (const auto& [generation, live] : seen) {
    const auto it = committed.find(generation);
    if (it == committed.end() || it->second != live) ++torn;
  }
  std::vector<double> all, busy;
  for (const Sample& x : samples) {
    all.push_back(x.ms);
    if (x.during_commit) busy.push_back(x.ms);
  }
  std::printf(
      "indexed %llu documents (%.1f MB) in %.1f s with %d searcher thread(s): "
      "%llu commits and merges took %.1f s of it\n",
      static_cast<unsigned long long>(docs), bytes / 1e6, seconds, searchers,
      static_cast<unsigned long long>(commits), commit_seconds);
  std::printf("queries: %zu (%.0f per second); latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              all.size(), all.size() / seconds, Percentile(all, 0.5), Percentile(all, 0.99),
              all.empty() ? 0 : *std::max_element(all.begin(), all.end()));
  std::printf("during commits and merges: %zu queries, p50 %.2f ms, p99 %.2f ms\n", busy.size(),
              Percentile(busy, 0.5), Percentile(busy, 0.99));
  std::printf(
      "failed queries: %llu; hits their reader could not fetch: %llu; readers whose "
      "live count matched no commit (torn): %llu of %zu checked\n",
      static_cast<unsigned long long>(failures.load()),
      static_cast<unsigned long long>(unfetchable.load()), static_cast<unsigned long long>(torn),
      seen.size());
  std::filesystem::remove_all(index);
  return failures.load() == 0 && unfetchable.load() == 0 && torn == 0 ? 0 : 1;
}
