// Searching shards with merged collection statistics (CollectionStats):
// the same documents split over three indexes score as in one index
// holding them all. The oracle is that one index, searched the plain way;
// the shards' hits are merged here by score, as a coordinator does.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "index_test_util.h"
#include "search_test_util.h"
#include "tim/analyzer.h"

namespace tim::testing {
namespace {

constexpr int kShards = 3;
// Under the sanitizers (about 20x slower) fewer documents and queries.
#ifdef TIM_SANITIZED
constexpr int kGenerated = 400, kRandomQueries = 60;
#else
constexpr int kGenerated = 1500, kRandomQueries = 200;
#endif

// Documents: the paragraphs of the sample corpus (a title of their first
// words) and generated ones; a few carry a "summary" field, all of them in
// one shard, so the shards number their fields differently.
std::vector<Document> Documents(int generated) {
  std::vector<Document> docs;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(TIM_TEST_CORPUS)) {
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      if (line.size() < 40) continue;
      Document d;
      d.id = path.stem().string() + "-" + std::to_string(n++);
      std::istringstream words(line);
      std::string title, w;
      for (int i = 0; i < 8 && words >> w; ++i) title += (i > 0 ? " " : "") + w;
      d.fields = {{"title", title}, {"body", line}};
      docs.push_back(std::move(d));
    }
  }
  DocGenerator gen(20261201);
  for (int i = 0; i < generated; ++i) docs.push_back(gen.Make("g" + std::to_string(i)));
  return docs;
}

int ShardOf(const std::string& id) {
  return static_cast<int>(std::hash<std::string>()(id) % kShards);
}

struct Merged {
  std::vector<Hit> hits;
  std::uint64_t total_hits = 0;
  bool relaxed = false;
  std::string suggestion, rewritten;
};

class Sharded : public ::testing::Test {
 protected:
  void SetUp() override {
    docs_ = Documents(kGenerated);
    for (auto& s : shards_) s = std::make_unique<SearchIndex>();
    int added = 0;
    for (Document& d : docs_) {
      const int shard = ShardOf(d.id);
      if (shard == 1 && added % 7 == 0) d.fields.emplace_back("summary", "tóm tắt " + d.id);
      EXPECT_TRUE(IsOk(single_.writer().AddDocument(d)));
      EXPECT_TRUE(IsOk(shards_[shard]->writer().AddDocument(d)));
      // Several segments on both sides, cut at different places.
      if (++added % 400 == 0) {
        EXPECT_TRUE(IsOk(single_.writer().Commit()));
      }
      if (added % 250 == 0) {
        EXPECT_TRUE(IsOk(shards_[added / 250 % kShards]->writer().Commit()));
      }
    }
    CommitAll();
  }

  void CommitAll() {
    single_.Commit();
    for (auto& s : shards_) s->Commit();
  }

  // Searches every shard with the merged statistics, then merges the hits
  // as a coordinator does: by score, relaxing an AND search over every
  // shard's hits. `wire` sends the statistics through Serialize/Parse.
  Merged ShardedSearch(const std::string& q, SearchOptions o, bool wire) {
    Merged m;
    CollectionStats all;
    for (auto& s : shards_) {
      CollectionStats one;
      EXPECT_TRUE(IsOk(s->searcher().GatherStats(q, o, &one))) << q;
      if (wire) {
        CollectionStats parsed;
        EXPECT_TRUE(IsOk(CollectionStats::Parse(one.Serialize(), &parsed)));
        one = std::move(parsed);
      }
      all.Merge(one);
    }
    EXPECT_EQ(all.sources(), static_cast<std::uint64_t>(kShards));
    const std::size_t want = o.k + o.offset;
    auto run = [&](SearchOptions so, Merged* out) {
      so.k = want;
      so.offset = 0;
      so.relax_and = false;
      for (auto& s : shards_) {
        SearchResults r;
        EXPECT_TRUE(IsOk(s->searcher().Search(q, so, all, &r))) << q;
        out->total_hits += r.total_hits;
        out->suggestion = r.suggestion;  // every shard decides alike
        out->rewritten = r.rewritten;
        for (Hit& h : r.hits) out->hits.push_back(std::move(h));
      }
      std::sort(out->hits.begin(), out->hits.end(), RanksBefore);
      if (out->hits.size() > want) out->hits.resize(want);
    };
    run(o, &m);
    if (o.default_operator == DefaultOperator::kAnd && m.hits.size() < want) {
      Merged relaxed;
      SearchOptions so = o;
      so.default_operator = DefaultOperator::kOr;
      run(so, &relaxed);
      if (relaxed.hits.size() > m.hits.size()) {
        m = std::move(relaxed);
        m.relaxed = true;
      }
    }
    m.hits.erase(m.hits.begin(), m.hits.begin() + std::min(o.offset, m.hits.size()));
    return m;
  }

  // The sharded hits against one index's: the same ids and the same
  // scores rank by rank (equal scores go by id on both sides).
  void Compare(const std::string& q, const SearchOptions& o, bool wire = false) {
    SCOPED_TRACE("query: " + q + (o.default_operator == DefaultOperator::kAnd ? " (AND)" : ""));
    const SearchResults one = single_.Search(q, o);
    const Merged m = ShardedSearch(q, o, wire);
    ++compared_;
    ASSERT_EQ(m.hits.size(), one.hits.size());
    EXPECT_EQ(m.total_hits, one.total_hits);
    EXPECT_EQ(m.relaxed, one.relaxed);
    EXPECT_EQ(m.suggestion, one.suggestion);
    EXPECT_EQ(m.rewritten, one.rewritten);
    if (!one.hits.empty()) ++with_hits_;
    for (std::size_t i = 0; i < m.hits.size(); ++i) {
      EXPECT_EQ(m.hits[i].id, one.hits[i].id) << "rank " << i;
      EXPECT_EQ(m.hits[i].score, one.hits[i].score) << "rank " << i << ": " << m.hits[i].id;
      EXPECT_EQ(m.hits[i].title, one.hits[i].title) << "rank " << i << ": " << m.hits[i].id;
      if (i > 0) {
        EXPECT_FALSE(RanksBefore(one.hits[i], one.hits[i - 1])) << "rank " << i;
        if (one.hits[i].score == one.hits[i - 1].score) ++ties_;
      }
    }
  }

  std::vector<Document> docs_;
  SearchIndex single_;
  std::unique_ptr<SearchIndex> shards_[kShards];
  int compared_ = 0, with_hits_ = 0, ties_ = 0;
};

// Words of the documents, for queries.
std::vector<std::string> Vocabulary(const std::vector<Document>& docs) {
  Analyzer analyzer;
  Analysis a;
  std::set<std::string> vocab;
  for (const Document& d : docs) {
    for (const auto& [field, text] : d.fields) {
      EXPECT_TRUE(IsOk(analyzer.Analyze(text, &a)));
      for (const Token& t : a.tokens()) {
        if (t.kind == TokenKind::kWord) vocab.emplace(a.exact(t));
      }
    }
  }
  return {vocab.begin(), vocab.end()};
}

TEST_F(Sharded, ScoresEqualOneIndexOverHundredsOfQueries) {
  const std::vector<std::string> vocab = Vocabulary(docs_);
  Rng rng(42);
  std::vector<std::string> queries = {
      "thành phố Huế",
      "thanh pho hue",
      "đô thị thông minh",
      "do thi thong minh",
      "\"đô thị thông minh\"",
      "Hàn Quốc",
      "han quoc",
      "thu*",
      "title:huế",
      "summary:tóm",
      "tóm tắt",
      "ddoo thij thoong minh",
      "thanhf phoos Hueees",
      "Gyeongju hợp tác",
      "ai là chủ tịch UBND",
      "hue -gyeongju",
      "quốc AND hợp",
      "(huế OR đà) nẵng",
      "giữa quý người",
      "nguyên quán",
      "ĐÀ NẴNG",
  };
  for (int i = 0; i < kRandomQueries; ++i) {
    const std::size_t n = Uniform(rng, 1, 4);
    std::string q;
    for (std::size_t j = 0; j < n; ++j)
      q += (j ? " " : "") + vocab[Uniform(rng, 0, vocab.size() - 1)];
    switch (i % 5) {
      case 0: queries.push_back(q); break;
      case 1: queries.push_back(FoldedText(q)); break;    // typed without accents
      case 2: queries.push_back("\"" + q + "\""); break;  // a phrase
      case 3: queries.push_back(FoldedText(q).substr(0, 2) + "*"); break;
      case 4: queries.push_back("+" + q); break;
    }
  }
  for (const std::string& q : queries) {
    if (FoldedText(q).empty() && q.find('*') == std::string::npos) continue;
    SearchOptions o;
    o.k = 10;
    Compare(q, o, compared_ % 2 == 0);
    o.default_operator = DefaultOperator::kAnd;
    Compare(q, o);
    if (HasFailure()) return;
  }
  SearchOptions paged;
  paged.k = 5;
  paged.offset = 7;
  Compare("thành phố", paged);
  // The checks had something to check: most queries found documents, and
  // equal scores were there to be put in order by id.
  EXPECT_GT(compared_, 2 * kRandomQueries);
  EXPECT_GT(with_hits_, compared_ * 3 / 4);
  EXPECT_GT(ties_, 10);
}

TEST_F(Sharded, RewritesAndSuggestionsAreTheCollections) {
  SearchOptions o;
  const Merged telex = ShardedSearch("ddoo thij thoong minh", o, true);
  EXPECT_EQ(telex.rewritten, "đô thị thông minh");
  const Merged plain = ShardedSearch("do thi thong minh", o, true);
  EXPECT_EQ(plain.suggestion, "đô thị thông minh");
  Compare("ddoo thij thoong minh", o);
  Compare("do thi thong minh", o);
}

TEST_F(Sharded, EqualAfterReplacingAndDeletingOnceMerged) {
  // Replace and delete the same documents on both sides, each routed to
  // its shard; statistics count deleted documents until a merge drops
  // them, in one index as in shards.
  for (int i = 0; i < 240; i += 3) {
    Document d = docs_[i];
    d.fields = {{"title", "Đà Nẵng thay thế " + std::to_string(i)}, {"body", "quý giá người Huế"}};
    EXPECT_TRUE(IsOk(single_.writer().AddDocument(d)));
    EXPECT_TRUE(IsOk(shards_[ShardOf(d.id)]->writer().AddDocument(d)));
    const std::string& victim = docs_[i + 1].id;
    single_.Delete(victim);
    shards_[ShardOf(victim)]->Delete(victim);
  }
  EXPECT_TRUE(IsOk(single_.writer().ForceMerge(1)));
  for (auto& s : shards_) EXPECT_TRUE(IsOk(s->writer().ForceMerge(1)));
  CommitAll();
  for (const char* q : {"đà nẵng thay thế", "da nang", "quý giá người huế", "thanh pho hue"}) {
    Compare(q, SearchOptions());
  }
  // Deleted documents are gone from every shard.
  for (int i = 1; i < 240; i += 3) {
    for (auto& s : shards_) {
      Document got;
      EXPECT_TRUE(s->reader().GetDocument(docs_[i].id, &got).IsNotFound());
    }
  }
}

TEST_F(Sharded, StatisticsFromAnotherQueryAreRefusedByName) {
  CollectionStats all;
  for (auto& s : shards_) {
    CollectionStats one;
    ASSERT_TRUE(IsOk(s->searcher().GatherStats("hà nội", {}, &one)));
    all.Merge(one);
  }
  SearchResults r;
  const Status s = shards_[0]->searcher().Search("đà nẵng", {}, all, &r);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("'da'"), std::string::npos) << s.message();
  EXPECT_TRUE(
      shards_[0]->searcher().Search("hà nội", {}, CollectionStats(), &r).IsInvalidArgument());
}

TEST_F(Sharded, StatisticsOfOneIndexScoreAsItsOwn) {
  // Gathered from the index itself, the statistics change nothing.
  for (const char* q : {"thành phố Huế", "thanh pho", "thu*", "\"đô thị\""}) {
    CollectionStats own;
    ASSERT_TRUE(IsOk(single_.searcher().GatherStats(q, {}, &own)));
    SearchResults with, without;
    ASSERT_TRUE(IsOk(single_.searcher().Search(q, {}, own, &with)));
    ASSERT_TRUE(IsOk(single_.searcher().Search(q, {}, &without)));
    ASSERT_EQ(with.hits.size(), without.hits.size()) << q;
    for (std::size_t i = 0; i < with.hits.size(); ++i) {
      EXPECT_EQ(with.hits[i].id, without.hits[i].id) << q;
      EXPECT_EQ(with.hits[i].score, without.hits[i].score) << q;  // to the bit
    }
  }
}

TEST(CollectionStatsWire, RoundTripsAndRefusesDamage) {
  SearchIndex idx;
  idx.Add("1", "Hà Nội", "Thủ đô nghìn năm văn hiến");
  idx.Add("2", "Đà Nẵng", "Thành phố đáng sống");
  idx.Commit();
  CollectionStats s;
  ASSERT_TRUE(IsOk(idx.searcher().GatherStats("ha noi thu*", {}, &s)));
  const std::string bytes = s.Serialize();
  CollectionStats back;
  ASSERT_TRUE(IsOk(CollectionStats::Parse(bytes, &back)));
  EXPECT_EQ(back.Serialize(), bytes);
  EXPECT_EQ(back.total_docs(), 2u);
  EXPECT_EQ(back.sources(), 1u);
  // Merging sums.
  back.Merge(s);
  EXPECT_EQ(back.total_docs(), 4u);
  EXPECT_EQ(back.sources(), 2u);
  // Every truncation and every flipped byte is refused, never a crash.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CollectionStats bad;
    EXPECT_TRUE(CollectionStats::Parse(bytes.substr(0, n), &bad).IsCorruption()) << n;
    std::string flipped = bytes;
    flipped[n] = static_cast<char>(flipped[n] ^ 0x20);
    EXPECT_FALSE(CollectionStats::Parse(flipped, &bad).ok()) << n;
  }
}

}  // namespace
}  // namespace tim::testing
