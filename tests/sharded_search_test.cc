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
#include "tim/shards.h"

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

  // A sharded search as a coordinator runs it (tim/shards.h): gathers and
  // merges the statistics, searches every shard, merges the answers. With
  // `fetch`, the shards answer with ids and scores and the hits kept are
  // dressed by their shards in a third round; otherwise they come dressed.
  // `wire` sends statistics and answers through their bytes.
  Merged ShardedSearch(const std::string& q, const SearchOptions& o, bool wire, bool fetch = true) {
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
    std::vector<ShardAnswer> answers(kShards);
    SearchOptions query = o;
    query.snippets = o.snippets && !fetch;
    for (int i = 0; i < kShards; ++i) {
      EXPECT_TRUE(IsOk(shards_[i]->searcher().SearchShard(q, query, all, &answers[i]))) << q;
      EXPECT_EQ(answers[i].dressed, query.snippets);
      for (const Hit& h : answers[i].results.hits) {
        EXPECT_TRUE(answers[i].dressed || (h.snippet.empty() && h.title.empty()));
      }
      if (wire) {
        ShardAnswer parsed;
        EXPECT_TRUE(IsOk(ShardAnswer::Parse(answers[i].Serialize(), &parsed)));
        answers[i] = std::move(parsed);
      }
    }
    SearchResults merged;
    std::vector<std::size_t> from;
    EXPECT_TRUE(IsOk(MergeShards(answers, o, &merged, &from))) << q;
    EXPECT_EQ(from.size(), merged.hits.size());
    for (int i = 0; i < kShards && (fetch || o.explain); ++i) {
      std::vector<Hit> mine;
      for (std::size_t h = 0; h < from.size(); ++h) {
        if (from[h] == static_cast<std::size_t>(i)) mine.push_back(merged.hits[h]);
      }
      EXPECT_TRUE(IsOk(shards_[i]->searcher().Fetch(q, o, all, merged.relaxed, &mine))) << q;
      for (std::size_t h = 0, j = 0; h < from.size(); ++h) {
        if (from[h] == static_cast<std::size_t>(i)) merged.hits[h] = std::move(mine[j++]);
      }
    }
    m.hits = std::move(merged.hits);
    m.total_hits = merged.total_hits;
    m.relaxed = merged.relaxed;
    m.suggestion = merged.suggestion;
    m.rewritten = merged.rewritten;
    return m;
  }

  // The sharded hits against one index's: the same ids and the same
  // scores rank by rank (equal scores go by id on both sides).
  void Compare(const std::string& q, const SearchOptions& o, bool wire = false) {
    SCOPED_TRACE("query: " + q + (o.default_operator == DefaultOperator::kAnd ? " (AND)" : ""));
    const SearchResults one = single_.Search(q, o);
    // Two searches in three fetch in a round of their own.
    const Merged m = ShardedSearch(q, o, wire, compared_ % 3 != 1);
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
      EXPECT_EQ(m.hits[i].snippet, one.hits[i].snippet) << "rank " << i << ": " << m.hits[i].id;
      EXPECT_EQ(m.hits[i].highlights, one.hits[i].highlights) << "rank " << i;
      ASSERT_EQ(m.hits[i].explanation.size(), one.hits[i].explanation.size()) << "rank " << i;
      for (std::size_t e = 0; e < one.hits[i].explanation.size(); ++e) {
        const ScoreDetail& a = m.hits[i].explanation[e];
        const ScoreDetail& b = one.hits[i].explanation[e];
        EXPECT_EQ(a.term + "/" + a.tier + "/" + a.field, b.term + "/" + b.tier + "/" + b.field);
        EXPECT_EQ(a.score, b.score) << a.term;
      }
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
  SearchOptions explained;
  explained.explain = true;
  Compare("thanh pho hue", explained, true);
  explained.default_operator = DefaultOperator::kAnd;
  Compare("đô thị thông minh", explained);
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

TEST_F(Sharded, AndQueriesRelaxOverEveryShardsHits) {
  // Rare words held together by fewer than k documents over all shards:
  // the merge relaxes as one index does; with k = 1 it does not.
  SearchOptions o;
  o.default_operator = DefaultOperator::kAnd;
  o.k = 30;
  Compare("đà nẵng gyeongju", o, true);
  const Merged relaxed = ShardedSearch("đà nẵng gyeongju", o, false);
  EXPECT_TRUE(relaxed.relaxed);
  o.k = 1;
  Compare("đà nẵng gyeongju", o);
}

TEST_F(Sharded, MergeRefusesAnswersOfOtherOptionsByName) {
  CollectionStats all;
  for (auto& s : shards_) {
    CollectionStats one;
    ASSERT_TRUE(IsOk(s->searcher().GatherStats("đà nẵng gyeongju", {}, &one)));
    all.Merge(one);
  }
  SearchOptions o;
  o.k = 5;
  std::vector<ShardAnswer> answers(kShards);
  for (int i = 0; i < kShards; ++i) {
    ASSERT_TRUE(IsOk(shards_[i]->searcher().SearchShard("đà nẵng gyeongju", o, all, &answers[i])));
    EXPECT_FALSE(answers[i].has_relaxed);  // searched as ranked OR
  }
  SearchResults merged;
  SearchOptions more = o;
  more.k = 6;
  Status s = MergeShards(answers, more, &merged, nullptr);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("answer 0 holds 5 hits"), std::string::npos) << s.message();
  // An AND merge needs every shard's OR reading when too few hold all.
  more = o;
  more.default_operator = DefaultOperator::kAnd;
  more.k = 1000;
  for (ShardAnswer& a : answers) a.requested = 1000;
  s = MergeShards(answers, more, &merged, nullptr);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("no ranked-OR reading"), std::string::npos) << s.message();
  EXPECT_TRUE(MergeShards({}, o, &merged, nullptr).IsInvalidArgument());
  // A hit another shard holds is not fetched from this one.
  ASSERT_TRUE(IsOk(MergeShards(answers, SearchOptions(), &merged, nullptr)));
  std::vector<Hit> absent = {Hit()};
  absent[0].id = "không có";
  s = shards_[0]->searcher().Fetch("đà nẵng", {}, all, false, &absent);
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_NE(s.message().find("không có"), std::string::npos) << s.message();
}

TEST(ShardAnswerWire, RoundTripsAndRefusesDamage) {
  SearchIndex idx;
  idx.Add("1", "Hà Nội", "Thủ đô nghìn năm văn hiến");
  idx.Add("2", "Đà Nẵng", "Thành phố đáng sống");
  idx.Add("3", "Huế", "Cố đô bên sông Hương");
  idx.Commit();
  SearchOptions o;
  o.default_operator = DefaultOperator::kAnd;
  CollectionStats stats;
  ASSERT_TRUE(IsOk(idx.searcher().GatherStats("ha noi song", o, &stats)));
  ShardAnswer a;
  ASSERT_TRUE(IsOk(idx.searcher().SearchShard("ha noi song", o, stats, &a)));
  EXPECT_EQ(a.requested, 10u);
  ASSERT_TRUE(a.has_relaxed);  // nothing holds all three words
  EXPECT_TRUE(a.results.hits.empty());
  EXPECT_EQ(a.relaxed.hits.size(), 3u);  // "sông", "sống" and "Hà Nội"
  EXPECT_EQ(a.relaxed.suggestion, "hà nội sông");
  const std::string bytes = a.Serialize();
  ShardAnswer back;
  ASSERT_TRUE(IsOk(ShardAnswer::Parse(bytes, &back)));
  EXPECT_EQ(back.Serialize(), bytes);
  ASSERT_EQ(back.relaxed.hits.size(), 3u);
  EXPECT_EQ(back.relaxed.hits[0].id, a.relaxed.hits[0].id);
  EXPECT_EQ(back.relaxed.hits[0].score, a.relaxed.hits[0].score);  // to the bit
  SearchResults merged;
  ASSERT_TRUE(IsOk(MergeShards({back}, o, &merged, nullptr)));
  SearchResults one;
  ASSERT_TRUE(IsOk(idx.searcher().Search("ha noi song", o, &one)));
  EXPECT_TRUE(merged.relaxed && one.relaxed);
  EXPECT_EQ(merged.hits.size(), one.hits.size());
  // Every truncation and every flipped byte is refused, never a crash.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    ShardAnswer bad;
    EXPECT_TRUE(ShardAnswer::Parse(bytes.substr(0, n), &bad).IsCorruption()) << n;
    std::string flipped = bytes;
    flipped[n] = static_cast<char>(flipped[n] ^ 0x20);
    EXPECT_FALSE(ShardAnswer::Parse(flipped, &bad).ok()) << n;
  }
  // A score that is not a number cannot be ordered: refused, checksum or not.
  ShardAnswer nan = a;
  nan.relaxed.hits[1].score = std::nanf("");
  EXPECT_TRUE(ShardAnswer::Parse(nan.Serialize(), &back).IsCorruption());
  ShardAnswer wrong;
  const Status s = ShardAnswer::Parse(stats.Serialize(), &wrong);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("not shard answer"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tim::testing
