// The index as a user sees it: writer, commits, readers, merges, and the
// reference check: every posting, position, norm and stored field equals
// what the analyzer alone says the documents hold.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "index/segment.h"
#include "index/snapshot.h"
#include "index_test_util.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim {
namespace {

using testing::BuildReference;
using testing::DocGenerator;
using testing::ReadBack;
using testing::TempDir;

void ExpectSameIndex(const testing::ReferenceIndex& want, const IndexReader& reader) {
  const testing::ReferenceIndex got = ReadBack(reader);
  EXPECT_EQ(got.docs.size(), want.docs.size());
  for (const auto& [id, doc] : want.docs) {
    auto it = got.docs.find(id);
    ASSERT_NE(it, got.docs.end()) << id;
    EXPECT_EQ(it->second.fields, doc.fields) << id;
  }
  EXPECT_EQ(got.lengths, want.lengths);
  EXPECT_EQ(got.postings.size(), want.postings.size());
  for (const auto& [key, docs] : want.postings) {
    auto it = got.postings.find(key);
    ASSERT_NE(it, got.postings.end()) << "missing term " << key;
    EXPECT_EQ(it->second, docs) << "term " << key;
  }
  EXPECT_EQ(reader.num_docs(), want.docs.size());
}

std::unique_ptr<IndexReader> OpenReader(const std::string& dir) {
  std::unique_ptr<IndexReader> reader;
  const Status s = IndexReader::Open(dir, ReaderOptions(), &reader);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return reader;
}

std::unique_ptr<IndexWriter> OpenWriter(const std::string& dir, IndexOptions options = {}) {
  std::unique_ptr<IndexWriter> writer;
  const Status s = IndexWriter::Open(dir, options, &writer);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return writer;
}

// Many small segments (a tiny RAM budget), two threads, replacements and
// deletions inside and across commits: the index equals the reference, and
// still does after merging everything into one segment.
TEST(Index, EqualsReferenceAcrossSegmentsCommitsAndMerges) {
  TempDir dir;
  IndexOptions options;
  options.threads = 2;
  options.ram_budget_bytes = 1 << 20;
  options.store_block_bytes = 2048;
  options.merge_factor = 1000;  // keep the segments: merging is tested below
  DocGenerator gen(7);
  std::map<std::string, Document> live;
  {
    auto writer = OpenWriter(dir.path(), options);
    for (int i = 0; i < 400; ++i) {
      Document d = gen.Make("doc-" + std::to_string(i % 300));  // 100 replacements
      ASSERT_TRUE(writer->AddDocument(d).ok());
      live[d.id] = d;
      if (i % 37 == 5) {
        const std::string victim = "doc-" + std::to_string(i / 2);
        ASSERT_TRUE(writer->DeleteDocument(victim).ok());
        live.erase(victim);
      }
      if (i == 150) {
        ASSERT_TRUE(writer->Commit().ok());
      }
    }
    ASSERT_TRUE(writer->Commit().ok());
  }
  const testing::ReferenceIndex want = BuildReference(live);
  auto reader = OpenReader(dir.path());
  ASSERT_NE(reader, nullptr);
  EXPECT_GT(internal::SnapshotOf(*reader).segments.size(), 2u);
  ExpectSameIndex(want, *reader);
  EXPECT_TRUE(reader->Verify().ok());

  {
    auto writer = OpenWriter(dir.path(), options);
    ASSERT_TRUE(writer->ForceMerge(1).ok());
  }
  auto merged = OpenReader(dir.path());
  ASSERT_EQ(internal::SnapshotOf(*merged).segments.size(), 1u);
  EXPECT_EQ(internal::SnapshotOf(*merged).manifest.segments[0].del_count, 0u);
  ExpectSameIndex(want, *merged);
  const Status v = merged->Verify();
  EXPECT_TRUE(v.ok()) << v.ToString();
}

TEST(Index, OneThreadGivesTheSameIndex) {
  TempDir dir;
  IndexOptions options;
  options.threads = 1;
  options.ram_budget_bytes = 256 << 10;
  DocGenerator gen(11);
  std::map<std::string, Document> live;
  auto writer = OpenWriter(dir.path(), options);
  for (int i = 0; i < 150; ++i) {
    Document d = gen.Make(std::to_string(i));
    ASSERT_TRUE(writer->AddDocument(d).ok());
    live[d.id] = d;
  }
  ASSERT_TRUE(writer->Commit().ok());
  ExpectSameIndex(BuildReference(live), *OpenReader(dir.path()));
}

// One segment holding several times 65,536 terms (the builder keeps term
// states in chunks of that many): made-up syllables from real Vietnamese
// onsets and rhymes, so that most adjacent pairs are new bigram terms.
TEST(Index, ManyTermsInOneSegmentEqualReference) {
  const char* const onsets[] = {"b",  "c",  "ch", "d", "đ", "g", "h",  "kh", "l", "m", "n",
                                "ng", "nh", "ph", "r", "s", "t", "th", "tr", "v", "x"};
  const char* const rhymes[] = {
      "á",    "è",    "í",  "ó",   "ù",    "ỳ",   "ài",  "áo",  "âu",  "ay",  "èo",   "ìa",
      "íu",   "ói",   "úi", "an",  "âm",   "ấp",  "át",  "ác",  "anh", "ách", "ên",   "em",
      "ép",   "ết",   "in", "ìm",  "íp",   "ít",  "ôn",  "ơm",  "ốp",  "ọt",  "óc",   "ông",
      "ưn",   "ùm",   "úp", "ụt",  "ức",   "ưng", "ình", "ích", "iên", "iệt", "ương", "ước",
      "uyên", "uyết", "oa", "oàn", "oàng", "oai", "oe",  "uy"};
  std::mt19937 rng(23);
  std::uniform_int_distribution<std::size_t> onset(0, std::size(onsets) - 1);
  std::uniform_int_distribution<std::size_t> rhyme(0, std::size(rhymes) - 1);
  TempDir dir;
  IndexOptions options;
  options.threads = 1;
  std::map<std::string, Document> live;
  auto writer = OpenWriter(dir.path(), options);
  for (int i = 0; i < 2500; ++i) {
    Document d;
    d.id = "văn-bản-" + std::to_string(i);
    std::string body;
    for (int w = 0; w < 100; ++w) {
      if (w > 0) body += ' ';
      body += std::string(onsets[onset(rng)]) + rhymes[rhyme(rng)];
    }
    d.fields.emplace_back("body", body);
    ASSERT_TRUE(writer->AddDocument(d).ok());
    live[d.id] = d;
  }
  ASSERT_TRUE(writer->Commit().ok());
  auto reader = OpenReader(dir.path());
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(internal::SnapshotOf(*reader).segments.size(), 1u);
  IndexStats stats;
  ASSERT_TRUE(reader->GetStats(&stats).ok());
  EXPECT_GT(stats.terms, 2u * 65536u);
  ExpectSameIndex(BuildReference(live), *reader);
}

TEST(Index, ReadersSeeTheirCommitUntilReopen) {
  TempDir dir;
  IndexOptions options;
  options.threads = 1;  // one segment per commit
  auto writer = OpenWriter(dir.path(), options);
  Document a{"a", {{"title", "Hà Nội"}, {"body", "thủ đô"}}};
  Document b{"b", {{"title", "Đà Nẵng"}, {"body", "miền Trung"}}};
  Document c{"c", {{"title", "Huế"}, {"body", "cố đô"}}};
  ASSERT_TRUE(writer->AddDocument(a).ok());
  ASSERT_TRUE(writer->AddDocument(b).ok());
  ASSERT_TRUE(writer->AddDocument(c).ok());
  ASSERT_TRUE(writer->Commit().ok());
  auto first = OpenReader(dir.path());
  EXPECT_EQ(first->num_docs(), 3u);

  Document a2{"a", {{"title", "Hà Nội mới"}, {"body", "thủ đô ngàn năm"}}};
  ASSERT_TRUE(writer->AddDocument(a2).ok());
  ASSERT_TRUE(writer->DeleteDocument("b").ok());
  ASSERT_TRUE(writer->DeleteDocument("no-such-id").ok());
  // Not committed: nobody sees it.
  EXPECT_EQ(OpenReader(dir.path())->num_docs(), 3u);
  ASSERT_TRUE(writer->Commit().ok());

  Document got;
  ASSERT_TRUE(first->GetDocument("a", &got).ok());
  EXPECT_EQ(got.Field("title"), "Hà Nội");  // the old commit, still readable
  EXPECT_TRUE(first->GetDocument("b", &got).ok());

  std::unique_ptr<IndexReader> second;
  ASSERT_TRUE(first->Reopen(&second).ok());
  EXPECT_GT(second->generation(), first->generation());
  EXPECT_EQ(second->num_docs(), 2u);
  ASSERT_TRUE(second->GetDocument("a", &got).ok());
  EXPECT_EQ(got.Field("title"), "Hà Nội mới");
  EXPECT_EQ(got.Field("body"), "thủ đô ngàn năm");
  EXPECT_TRUE(second->GetDocument("b", &got).IsNotFound());
  // The segment both commits name is shared, not reopened.
  EXPECT_EQ(internal::SnapshotOf(*first).segments[0].reader,
            internal::SnapshotOf(*second).segments[0].reader);

  std::unique_ptr<IndexReader> same;
  ASSERT_TRUE(second->Reopen(&same).ok());
  EXPECT_EQ(same->generation(), second->generation());
}

TEST(Index, SecondWriterIsBusyUntilTheFirstCloses) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  std::unique_ptr<IndexWriter> second;
  const Status s = IndexWriter::Open(dir.path(), IndexOptions(), &second);
  EXPECT_TRUE(s.IsBusy()) << s.ToString();
  EXPECT_NE(s.message().find("LOCK"), std::string::npos) << s.ToString();
  writer.reset();
  EXPECT_TRUE(IndexWriter::Open(dir.path(), IndexOptions(), &second).ok());
}

TEST(Index, DroppingAWriterWithoutCommitKeepsTheLastCommit) {
  TempDir dir;
  {
    auto writer = OpenWriter(dir.path());
    ASSERT_TRUE(writer->AddDocument({"kept", {{"body", "giữ lại"}}}).ok());
    ASSERT_TRUE(writer->Commit().ok());
    ASSERT_TRUE(writer->AddDocument({"lost", {{"body", "mất"}}}).ok());
    ASSERT_TRUE(writer->DeleteDocument("kept").ok());
  }
  auto reader = OpenReader(dir.path());
  Document d;
  EXPECT_TRUE(reader->GetDocument("kept", &d).ok());
  EXPECT_TRUE(reader->GetDocument("lost", &d).IsNotFound());
  // The next writer removes what the dropped one left on disk.
  auto writer = OpenWriter(dir.path());
  std::vector<std::string> names;
  ASSERT_TRUE(FileSystem::Default()->ListDir(dir.path(), &names).ok());
  for (const std::string& n : names) {
    EXPECT_TRUE(n == "LOCK" || n.rfind("manifest-", 0) == 0 || n.rfind("seg_00000001", 0) == 0)
        << "leftover " << n;
  }
}

TEST(Index, BadDocumentsAreRefusedWithWhatAndWhere) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  Status s = writer->AddDocument({"x", {{"body", "ab\xff"}}});
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("field body: invalid UTF-8 at byte 2"), std::string::npos)
      << s.ToString();
  // A truncated "ệ": the offset names the sequence's first byte.
  s = writer->AddDocument({"y", {{"title", "Vi\xe1\xbbt Nam"}}});
  EXPECT_NE(s.message().find("field title: invalid UTF-8 at byte 2"), std::string::npos)
      << s.ToString();
  s = writer->AddDocument({"", {{"body", "trống"}}});
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  s = writer->AddDocument({std::string(1025, 'x'), {{"body", "dài"}}});
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  s = writer->AddDocument({"bad\xc3", {{"body", "id"}}});
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  // 255 field names fit ("body" and 254 more), the 256th does not.
  ASSERT_TRUE(writer->AddDocument({"first", {{"body", "đầu"}}}).ok());
  for (int i = 0; i < 254; ++i) {
    ASSERT_TRUE(
        writer->AddDocument({"f" + std::to_string(i), {{"f" + std::to_string(i), "x"}}}).ok())
        << i;
  }
  s = writer->AddDocument({"too-many", {{"one-more", "x"}}});
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  // Refused documents do not break the writer.
  ASSERT_TRUE(writer->AddDocument({"good", {{"body", "tốt"}}}).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(OpenReader(dir.path())->num_docs(), 256u);
  EXPECT_EQ(internal::SnapshotOf(*OpenReader(dir.path())).manifest.fields.size(), 255u);
}

TEST(Index, EmptyCommitAndEmptyDocuments) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(OpenReader(dir.path())->num_docs(), 0u);
  ASSERT_TRUE(writer->AddDocument({"empty", {}}).ok());
  ASSERT_TRUE(writer->AddDocument({"blank", {{"title", ""}, {"body", " ,.; "}}}).ok());
  ASSERT_TRUE(writer->Commit().ok());
  auto reader = OpenReader(dir.path());
  EXPECT_EQ(reader->num_docs(), 2u);
  EXPECT_TRUE(reader->Verify().ok());
  Document d;
  ASSERT_TRUE(reader->GetDocument("blank", &d).ok());
  EXPECT_EQ(d.Field("body"), " ,.; ");
}

TEST(Index, DeletingEveryDocumentDropsItsSegment) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer->AddDocument({"a", {{"body", "một"}}}).ok());
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(writer->DeleteDocument("a").ok());
  ASSERT_TRUE(writer->Commit().ok());
  auto reader = OpenReader(dir.path());
  EXPECT_EQ(reader->num_docs(), 0u);
  EXPECT_EQ(internal::SnapshotOf(*reader).segments.size(), 0u);
}

TEST(Index, TieredMergePolicyKeepsFewSegments) {
  TempDir dir;
  IndexOptions options;
  options.threads = 1;
  options.merge_factor = 3;
  options.merge_floor_docs = 8;  // tiers: < 8 docs, 8-23, 24-71, ...
  auto writer = OpenWriter(dir.path(), options);
  DocGenerator gen(3);
  std::map<std::string, Document> live;
  for (int commit = 0; commit < 12; ++commit) {
    for (int i = 0; i < 5; ++i) {
      Document d = gen.Make(std::to_string(commit * 3 + i));  // overlaps: replacements
      ASSERT_TRUE(writer->AddDocument(d).ok());
      live[d.id] = d;
    }
    ASSERT_TRUE(writer->Commit().ok());
    // Fewer than merge_factor segments per tier, and at most 3 tiers here.
    std::map<int, int> per_tier;
    const auto reader = OpenReader(dir.path());
    for (const auto& seg : internal::SnapshotOf(*reader).segments) {
      const std::uint32_t live = seg.live_docs;
      ++per_tier[live < 8 ? 0 : live < 24 ? 1 : live < 72 ? 2 : 3];
    }
    for (const auto& [tier, n] : per_tier) EXPECT_LT(n, 3) << "tier " << tier;
  }
  ExpectSameIndex(BuildReference(live), *OpenReader(dir.path()));
}

TEST(Index, ReaderOpensWhileTheWriterCommits) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer->AddDocument({"0", {{"body", "bắt đầu"}}}).ok());
  ASSERT_TRUE(writer->Commit().ok());
  std::atomic<bool> done{false};
  std::thread reader_thread([&] {
    while (!done) {
      std::unique_ptr<IndexReader> r;
      const Status s = IndexReader::Open(dir.path(), ReaderOptions(), &r);
      ASSERT_TRUE(s.ok()) << s.ToString();
      ASSERT_GE(r->num_docs(), 1u);
    }
  });
  IndexOptions small;
  for (int i = 1; i < 40; ++i) {
    ASSERT_TRUE(writer->AddDocument({std::to_string(i), {{"body", "tiếp tục"}}}).ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  done = true;
  reader_thread.join();
  EXPECT_EQ(OpenReader(dir.path())->num_docs(), 40u);
}

TEST(Index, MissingIndexIsNotFound) {
  TempDir dir;
  std::unique_ptr<IndexReader> reader;
  EXPECT_TRUE(IndexReader::Open(dir.Sub("nothing"), ReaderOptions(), &reader).IsNotFound());
  EXPECT_TRUE(IndexReader::Open(dir.path(), ReaderOptions(), &reader).IsNotFound());
  IndexOptions options;
  options.create_if_missing = false;
  std::unique_ptr<IndexWriter> writer;
  EXPECT_TRUE(IndexWriter::Open(dir.Sub("nothing"), options, &writer).IsNotFound());
}

TEST(Index, CommitWithoutChangesWritesNoNewGeneration) {
  TempDir dir;
  std::unique_ptr<IndexWriter> writer;
  ASSERT_TRUE(IndexWriter::Open(dir.path(), IndexOptions(), &writer).ok());
  ASSERT_TRUE(writer->Commit().ok());  // the empty index's first commit
  ASSERT_TRUE(writer->AddDocument({"a", {{"body", "một"}}}).ok());
  ASSERT_TRUE(writer->Commit().ok());
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(dir.path(), ReaderOptions(), &reader).ok());
  EXPECT_EQ(reader->generation(), 2u);
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(writer->DeleteDocument("not-there").ok());
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(writer->ForceMerge(1).ok());  // one segment already
  ASSERT_TRUE(IndexReader::Open(dir.path(), ReaderOptions(), &reader).ok());
  EXPECT_EQ(reader->generation(), 2u);
}

// The index remembers its analyzer: a writer reopened without options
// keeps it, one with other options is refused naming the option, and
// searches analyse queries with it: a word longer than max_token_bytes is
// cut at 16 bytes in the index, and the query's word must be cut the same.
TEST(Index, RemembersItsAnalyzer) {
  TempDir dir;
  IndexOptions options;
  options.analyzer = AnalyzerOptions();
  options.analyzer->joined = false;
  options.analyzer->bigrams = false;
  options.analyzer->max_token_bytes = 8;  // raised to the analyzer's floor, 16
  {
    auto writer = OpenWriter(dir.path(), options);
    ASSERT_TRUE(writer->AddDocument({"a", {{"body", "Đà Nẵng ghi nhận ca covid-19 mới"}}}).ok());
    ASSERT_TRUE(writer->AddDocument({"c", {{"body", "gió nghiêngnghiêngnghiêng"}}}).ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  {
    auto writer = OpenWriter(dir.path());  // no options: the index's
    ASSERT_TRUE(writer->AddDocument({"b", {{"body", "Quảng Nam gieo giống lúa mới"}}}).ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  auto reader = OpenReader(dir.path());
  EXPECT_FALSE(reader->analyzer_options().joined);
  EXPECT_FALSE(reader->analyzer_options().bigrams);
  EXPECT_EQ(reader->analyzer_options().max_token_bytes, 16u);
  // The second writer analysed with the stored options: no bigram term.
  const testing::ReferenceIndex got = ReadBack(*reader);
  for (const auto& [key, docs] : got.postings) {
    EXPECT_EQ(key.find("lúa mới"), std::string::npos) << key;
    EXPECT_EQ(key.find("covid19"), std::string::npos) << key;
  }

  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
  SearchResults results;
  ASSERT_TRUE(searcher->Search("nghiêngnghiêngnghiêng", SearchOptions(), &results).ok());
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].id, "c");

  struct Case {
    const char* option;
    void (*change)(AnalyzerOptions*);
  };
  const Case cases[] = {
      {"bigrams", [](AnalyzerOptions* o) { o->bigrams = true; }},
      {"joined", [](AnalyzerOptions* o) { o->joined = true; }},
      {"max_token_bytes", [](AnalyzerOptions* o) { o->max_token_bytes = 64; }},
  };
  for (const Case& c : cases) {
    IndexOptions other = options;
    c.change(&*other.analyzer);
    std::unique_ptr<IndexWriter> writer;
    const Status s = IndexWriter::Open(dir.path(), other, &writer);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_NE(s.message().find(std::string("analyzer option ") + c.option), std::string::npos)
        << s.ToString();
  }
  // The same options, and strict_utf8 (a writer's policy), are accepted.
  options.analyzer->strict_utf8 = true;
  EXPECT_NE(OpenWriter(dir.path(), options), nullptr);
  // Options no index can hold are refused before anything is written.
  IndexOptions absurd;
  absurd.analyzer = AnalyzerOptions();
  absurd.analyzer->max_token_bytes = std::size_t{1} << 30;
  std::unique_ptr<IndexWriter> writer;
  EXPECT_TRUE(IndexWriter::Open(dir.Sub("new"), absurd, &writer).IsInvalidArgument());
}

TEST(TermKey, ParsesWhatTermKeyBuilds) {
  index::TermKeyParts parts;
  const std::string key = index::TermKey(7, index::TermKind::kExact, "người");
  ASSERT_TRUE(index::ParseTermKey(key, &parts));
  EXPECT_EQ(parts.field, 7u);
  EXPECT_EQ(parts.kind, index::TermKind::kExact);
  EXPECT_EQ(parts.term, "người");
  ASSERT_TRUE(index::ParseTermKey(index::TermKey(254, index::TermKind::kBigram, "ha noi"), &parts));
  EXPECT_EQ(parts.field, 254u);
  EXPECT_EQ(parts.kind, index::TermKind::kBigram);
  EXPECT_EQ(parts.term, "ha noi");
  EXPECT_FALSE(index::ParseTermKey("", &parts));
  EXPECT_FALSE(index::ParseTermKey(std::string(1, '\0'), &parts));
  EXPECT_FALSE(index::ParseTermKey(std::string("\x01\x03gi", 4), &parts));  // no kind 3
}

}  // namespace
}  // namespace tim
