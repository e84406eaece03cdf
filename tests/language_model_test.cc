// The syllable language model (.lm): what it counts, what it prunes, how
// merges sum it, how damage shows, and the accent restoration read from it.
// Expected counts are written out by hand from the documents' text.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "codec/file_format.h"
#include "index/language_model.h"
#include "index/snapshot.h"
#include "index/sorted_table.h"
#include "query/plan.h"
#include "query/query_parser.h"
#include "query/suggest.h"
#include "search_test_util.h"
#include "tim/file_system.h"

namespace tim {
namespace {

using testing::IsOk;
using testing::SearchIndex;

using Counts = std::map<std::string, std::pair<std::uint64_t, std::uint64_t>>;

// Spelling -> (title, other) counts of a folded n-gram, summed over the
// segments of the reader's commit.
Counts Lookup(const IndexReader& reader, const std::string& folded) {
  Counts out;
  std::vector<index::LmVariant> variants;
  for (const internal::SegmentView& seg : internal::SnapshotOf(reader).segments) {
    EXPECT_TRUE(IsOk(seg.reader->language_model().Lookup(folded, &variants)));
    for (const index::LmVariant& v : variants) {
      out[v.exact].first += v.counts.title;
      out[v.exact].second += v.counts.other;
    }
  }
  return out;
}

TEST(LanguageModel, CountsSpellingsOfSyllablesPairsAndTitleTriples) {
  SearchIndex idx;
  idx.Add("1", "Hà Nội mùa thu", "Hà Nội, hà nội và Hà Nam");
  idx.Add("2", "", "người Hà Nội");
  idx.Commit();
  const IndexReader& r = idx.reader();
  // Single syllables: every spelling, however rare.
  EXPECT_EQ(Lookup(r, "ha"), (Counts{{"hà", {1, 4}}}));
  EXPECT_EQ(Lookup(r, "noi"), (Counts{{"nội", {1, 3}}}));
  EXPECT_EQ(Lookup(r, "nguoi"), (Counts{{"người", {0, 1}}}));
  // Pairs: "hà nội" in the title once, in bodies three times (the comma
  // after the first breaks "nội, hà").
  EXPECT_EQ(Lookup(r, "ha noi"), (Counts{{"hà nội", {1, 3}}}));
  EXPECT_TRUE(Lookup(r, "noi ha").empty());
  // A small segment keeps what it saw once.
  EXPECT_EQ(Lookup(r, "noi va"), (Counts{{"nội và", {0, 1}}}));
  EXPECT_EQ(Lookup(r, "nguoi ha"), (Counts{{"người hà", {0, 1}}}));
  // Titles keep everything, and their triples.
  EXPECT_EQ(Lookup(r, "mua thu"), (Counts{{"mùa thu", {1, 0}}}));
  EXPECT_EQ(Lookup(r, "ha noi mua"), (Counts{{"hà nội mùa", {1, 0}}}));
  EXPECT_TRUE(Lookup(r, "ha noi va").empty());  // triples only from titles
  EXPECT_TRUE(IsOk(r.Verify()));
}

TEST(LanguageModel, LargeSegmentsPruneWhatOnlyBodiesSawOnce) {
  // A builder that prunes from the first n-gram, written and read back.
  index::LanguageModelBuilder b(0);
  EXPECT_EQ(b.Intern("москва", "москва"), index::LanguageModelBuilder::kNone);
  EXPECT_EQ(b.Intern("xxxxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxxx"), index::LanguageModelBuilder::kNone);
  const Analyzer analyzer;
  Analysis a;
  for (const auto& [text, title] : std::vector<std::pair<const char*, bool>>{
           {"hà nội và", false}, {"hà nội", false}, {"nội mùa", true}, {"và, hà", false}}) {
    ASSERT_TRUE(IsOk(analyzer.Analyze(text, &a)));
    b.AddField(a, title);
  }
  testing::TempDir dir;
  codec::FileBuilder file;
  ASSERT_TRUE(
      IsOk(file.Open(FileSystem::Default(), dir.Sub("p.lm"), codec::FileKind::kLanguageModel)));
  ASSERT_TRUE(IsOk(b.Write(&file)));
  ASSERT_TRUE(IsOk(file.Finish()));
  std::unique_ptr<MappedFile> mapped;
  ASSERT_TRUE(IsOk(FileSystem::Default()->MapFile(dir.Sub("p.lm"), &mapped)));
  index::LanguageModelReader r;
  ASSERT_TRUE(IsOk(r.Open("p.lm", mapped->view())));
  std::vector<index::LmVariant> v;
  auto one = [&](const char* key) {
    EXPECT_TRUE(IsOk(r.Lookup(key, &v)));
    return v.size() == 1 ? v[0].exact + " " + std::to_string(v[0].counts.title) + "/" +
                               std::to_string(v[0].counts.other)
                         : std::to_string(v.size()) + " spellings";
  };
  EXPECT_EQ(one("ha noi"), "hà nội 0/2");    // twice in bodies: kept
  EXPECT_EQ(one("noi va"), "0 spellings");   // once in a body: pruned
  EXPECT_EQ(one("noi mua"), "nội mùa 1/0");  // once in a title: kept
  EXPECT_EQ(one("va ha"), "0 spellings");
  EXPECT_EQ(one("ha"), "hà 0/3");  // single words: never pruned
  EXPECT_EQ(one("va"), "và 0/2");
  EXPECT_TRUE(IsOk(r.Verify()));
}

TEST(LanguageModel, TitlesCountAcrossPunctuationOtherTextDoesNot) {
  SearchIndex idx;
  idx.Add("1", "Má, mạ", "má, mạ. Má, mạ");
  idx.Commit();
  EXPECT_EQ(Lookup(idx.reader(), "ma ma"), (Counts{{"má mạ", {1, 0}}}));
}

TEST(LanguageModel, NfdTextAndVietnameseSpellingsAreCountedAsTheirExactForms) {
  SearchIndex idx;
  // "Hà Nội" decomposed (NFD), tone on the other vowel ("hoà"), gi, qu, ươ, uơ, Đ.
  idx.Add("1", "",
          "Ha\xCC\x80 No\xCC\x82\xCC\xA3i, hoà bình, giữa quốc gia, người Đà Nẵng, thuở ấy");
  idx.Add("2", "",
          "Ha\xCC\x80 No\xCC\x82\xCC\xA3i, hòa bình, giữa quốc gia, người Đà Nẵng, thuở ấy");
  idx.Commit();
  const IndexReader& r = idx.reader();
  EXPECT_EQ(Lookup(r, "ha noi"), (Counts{{"hà nội", {0, 2}}}));
  EXPECT_EQ(Lookup(r, "hoa binh"), (Counts{{"hòa bình", {0, 2}}}));
  EXPECT_EQ(Lookup(r, "giua quoc gia"), Counts());  // no triples outside titles
  EXPECT_EQ(Lookup(r, "quoc gia"), (Counts{{"quốc gia", {0, 2}}}));
  EXPECT_EQ(Lookup(r, "nguoi da"), (Counts{{"người đà", {0, 2}}}));
  EXPECT_EQ(Lookup(r, "thuo ay"), (Counts{{"thuở ấy", {0, 2}}}));
  EXPECT_EQ(Lookup(r, "da"), (Counts{{"đà", {0, 2}}}));
}

TEST(LanguageModel, NumbersAndCodesGiveContextButWordsOutsideTheRepertoireDoNot) {
  SearchIndex idx;
  idx.Add("1", "Lần 2 thắng U23 Việt Nam", "");
  idx.Add("2", "", "Москва́ thắng");
  idx.Commit();
  const IndexReader& r = idx.reader();
  EXPECT_EQ(Lookup(r, "lan 2 thang"), (Counts{{"lần 2 thắng", {1, 0}}}));
  EXPECT_EQ(Lookup(r, "thang u23"), (Counts{{"thắng u23", {1, 0}}}));
  EXPECT_EQ(Lookup(r, "thang"), (Counts{{"thắng", {1, 1}}}));
}

TEST(LanguageModel, MergeSumsCountsAndRenumbersSpellings) {
  SearchIndex idx;
  // Segment 1 spells "ma" as má and mà, segment 2 as ma and mã: the pair
  // entries refer to spellings by their number in each segment, and the
  // merged segment numbers them anew.
  idx.Add("1", "má mà", "má mà, má mà");
  idx.Commit();
  idx.Add("2", "ma mã", "ma mã, má mà");
  idx.Commit();
  ASSERT_EQ(internal::SnapshotOf(idx.reader()).segments.size(), 2u);
  const Counts before = Lookup(idx.reader(), "ma ma");
  EXPECT_EQ(before, (Counts{{"má mà", {1, 3}}, {"ma mã", {1, 1}}}));
  ASSERT_TRUE(IsOk(idx.writer().ForceMerge(1)));
  idx.Commit();
  ASSERT_EQ(internal::SnapshotOf(idx.reader()).segments.size(), 1u);
  EXPECT_EQ(Lookup(idx.reader(), "ma ma"), before);
  EXPECT_EQ(Lookup(idx.reader(), "ma"),
            (Counts{{"ma", {1, 1}}, {"má", {1, 3}}, {"mà", {1, 3}}, {"mã", {1, 1}}}));
  EXPECT_TRUE(IsOk(idx.reader().Verify()));
}

TEST(LanguageModel, MergeTakesDeletedAndReplacedDocumentsOutOfTheModel) {
  SearchIndex idx;
  idx.Add("keep", "Hà Nội mùa thu", "người Hà Nội");
  idx.Add("gone", "Hồ sơ mật", "ông Quách Tuấn giữ hồ sơ ở Hà Nội");
  idx.Add("old", "Đà Nẵng", "bờ kè sập");
  idx.Commit();
  idx.Add("other", "Huế", "người Huế");
  idx.Commit();
  idx.Delete("gone");
  idx.Add("old", "Đà Nẵng", "bờ kè mới");  // replaces: "sập" goes
  idx.Commit();
  // Before a merge the deleted text still counts (the segment is untouched).
  EXPECT_EQ(Lookup(idx.reader(), "quach tuan"), (Counts{{"quách tuấn", {0, 1}}}));
  ASSERT_TRUE(IsOk(idx.writer().ForceMerge(1)));
  idx.Commit();
  ASSERT_EQ(internal::SnapshotOf(idx.reader()).segments.size(), 1u);
  // Words only the deleted documents had are gone, with every n-gram of them.
  EXPECT_TRUE(Lookup(idx.reader(), "quach").empty());
  EXPECT_TRUE(Lookup(idx.reader(), "quach tuan").empty());
  EXPECT_TRUE(Lookup(idx.reader(), "mat").empty());
  EXPECT_TRUE(Lookup(idx.reader(), "ho so").empty());
  EXPECT_TRUE(Lookup(idx.reader(), "sap").empty());
  EXPECT_TRUE(Lookup(idx.reader(), "ke sap").empty());
  // Shared words keep the live documents' counts only.
  EXPECT_EQ(Lookup(idx.reader(), "ha noi"), (Counts{{"hà nội", {1, 1}}}));
  EXPECT_EQ(Lookup(idx.reader(), "ha"), (Counts{{"hà", {1, 1}}}));
  EXPECT_EQ(Lookup(idx.reader(), "ke"), (Counts{{"kè", {0, 1}}}));
  EXPECT_EQ(Lookup(idx.reader(), "ke moi"), (Counts{{"kè mới", {0, 1}}}));
  EXPECT_EQ(Lookup(idx.reader(), "nguoi"), (Counts{{"người", {0, 2}}}));
  // No scratch file is left in the index directory.
  std::vector<std::string> names;
  ASSERT_TRUE(IsOk(FileSystem::Default()->ListDir(idx.dir(), &names)));
  for (const std::string& n : names) EXPECT_EQ(n.find("deleted"), std::string::npos) << n;
  EXPECT_TRUE(IsOk(idx.reader().Verify()));
  // And restoration no longer offers the deleted spelling.
  std::vector<std::string> restored;
  ASSERT_TRUE(IsOk(idx.searcher().Restorations("quach tuan", 3, &restored)));
  for (const std::string& r : restored) EXPECT_EQ(r.find("quách"), std::string::npos) << r;
}

// A model file written by hand, to damage its entries.
class HandWrittenModel : public ::testing::Test {
 protected:
  Status Write(const std::vector<std::pair<std::string, std::string>>& entries) {
    codec::FileBuilder file;
    TIM_RETURN_IF_ERROR(file.Open(fs_, dir_.Sub("x.lm"), codec::FileKind::kLanguageModel));
    index::SortedTableWriter table(&file);
    for (const auto& [k, v] : entries) TIM_RETURN_IF_ERROR(table.Add(k, v));
    TIM_RETURN_IF_ERROR(table.Finish());
    TIM_RETURN_IF_ERROR(file.Finish());
    TIM_RETURN_IF_ERROR(fs_->MapFile(dir_.Sub("x.lm"), &mapped_));
    return reader_.Open("x.lm", mapped_->view());
  }
  testing::TempDir dir_;
  FileSystem* fs_ = FileSystem::Default();
  std::unique_ptr<MappedFile> mapped_;
  index::LanguageModelReader reader_;
};

TEST_F(HandWrittenModel, DamagedEntriesAreCorruptionNamingTheFileAndEntry) {
  // "ma": one spelling, "má" (length 3), other count 2 (varint 2 << 1), no title.
  const std::string ma = std::string("\x01\x03m\xC3\xA1\x04", 6);
  ASSERT_TRUE(IsOk(Write({{"ma", ma},
                          {"ma ma", std::string("\x01\x00\x05\x01\x01", 5)},  // index 5 of 1
                          {"ma mc", std::string("\x01\x00\x00\x01\x01", 5)},  // no "mc" entry
                          {"ma md", std::string("\x01\x00\x00\x01\x00", 5)},  // title flag, count 0
                          {"mb", std::string("\x02\x03m", 3)}})));            // truncated
  std::vector<index::LmVariant> v;
  ASSERT_TRUE(IsOk(reader_.Lookup("ma", &v)));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].exact, "m\xC3\xA1");
  EXPECT_EQ(v[0].counts.other, 2u);
  for (const char* key : {"ma ma", "ma mc", "ma md", "mb"}) {
    const Status s = reader_.Lookup(key, &v);
    EXPECT_TRUE(s.IsCorruption()) << key << ": " << s.ToString();
    EXPECT_NE(s.message().find(std::string("x.lm: language model entry \"") + key + "\""),
              std::string::npos)
        << s.ToString();
  }
  EXPECT_TRUE(reader_.Verify().IsCorruption());
  // Missing entries are not damage.
  ASSERT_TRUE(IsOk(reader_.Lookup("khong", &v)));
  EXPECT_TRUE(v.empty());
}

// ------------------------------------------------------------ restoration

std::vector<std::string> Restorations(const SearchIndex& idx, const std::string& q,
                                      std::size_t n = 3) {
  std::vector<std::string> out;
  EXPECT_TRUE(IsOk(idx.searcher().Restorations(q, n, &out))) << q;
  return out;
}

TEST(Restoration, PairsDecideWhereSingleSyllablesMislead) {
  SearchIndex idx;
  // "thể" is the more frequent "the" and "giỏi" the more frequent "gioi",
  // but "thế giới" is what stands together.
  for (int i = 0; i < 8; ++i)
    idx.Add("a" + std::to_string(i), "", "thể thao, thể lực, học giỏi, giỏi");
  for (int i = 0; i < 6; ++i) idx.Add("b" + std::to_string(i), "", "tin thế giới");
  idx.Commit();
  EXPECT_EQ(idx.Search("the gioi").suggestion, "thế giới");
  EXPECT_EQ(idx.Search("the").suggestion, "thể");
  EXPECT_EQ(idx.Search("tin the gioi").suggestion, "tin thế giới");
  const std::vector<std::string> three = Restorations(idx, "the gioi");
  ASSERT_EQ(three.size(), 3u);
  EXPECT_EQ(three[0], "thế giới");
  // A comma typed between them parts the words: each is spelled alone.
  EXPECT_EQ(idx.Search("the, gioi").suggestion, "thể, giỏi");
}

TEST(Restoration, WordsJoinedByConnectorsStayAsTyped) {
  SearchIndex idx;
  for (int i = 0; i < 6; ++i) idx.Add("b" + std::to_string(i), "", "tin thế giới");
  idx.Add("s", "", "khách sạn Shangri-La ở Hà Nội");
  idx.Commit();
  ASSERT_EQ(idx.Search("the gioi").suggestion, "thế giới");
  // A name or code written with a connector is not respelled piece by piece
  // ("thế-giới", "shangri-là"); the words around it still are.
  EXPECT_EQ(idx.Search("the-gioi").suggestion, "");
  EXPECT_EQ(idx.Search("tp.the").suggestion, "");
  EXPECT_EQ(idx.Search("khach san shangri-la").suggestion, "khách sạn shangri-la");
}

TEST(Restoration, AQueryWithAccentsOrAlreadyLikeliestGetsNoSuggestion) {
  SearchIndex idx;
  for (int i = 0; i < 3; ++i) idx.Add("a" + std::to_string(i), "", "con ma trong nhà, ma quỷ, ma");
  idx.Add("b", "", "mà má");
  idx.Commit();
  EXPECT_EQ(idx.Search("ma").suggestion, "");            // "ma" is the likeliest spelling
  EXPECT_EQ(idx.Search("má").suggestion, "");            // typed with accents
  EXPECT_EQ(idx.Search("ma quy").suggestion, "ma quỷ");  // only what needs it changes
  EXPECT_TRUE(Restorations(idx, "mà").empty());
  const std::vector<std::string> all = Restorations(idx, "ma", 16);
  EXPECT_EQ(all, (std::vector<std::string>{"ma", "mà", "má"}));
}

TEST(Restoration, TitleFragmentsAndQuestionsEachFindTheirSpelling) {
  SearchIndex idx;
  // Bodies say "tạm thời" far more often; one title says "tâm thời".
  for (int i = 0; i < 20; ++i) idx.Add("b" + std::to_string(i), "", "tạm thời đóng cửa, tạm thời");
  idx.Add("t", "Nỗi lo tâm thời sự", "");
  idx.Commit();
  // The title's words as a fragment: the titles' model explains them.
  EXPECT_EQ(idx.Search("noi lo tam thoi su").suggestion, "nỗi lo tâm thời sự");
  // Two words alone: the text's far larger count wins.
  EXPECT_EQ(idx.Search("tam thoi dong cua").suggestion, "tạm thời đóng cửa");
}

TEST(Restoration, OperatorsPrefixesAndCaseAreKept) {
  SearchIndex idx;
  idx.Add("1", "Hà Nội", "đô thị Hà Nội, đô thị Hà Nội");
  idx.Commit();
  EXPECT_EQ(idx.Search("Ha Noi").suggestion, "Hà Nội");
  EXPECT_EQ(idx.Search("\"do thi\" -xyz").suggestion, "\"đô thị\" -xyz");
  EXPECT_EQ(idx.Search("do thi ha*").suggestion, "đô thị ha*");
  EXPECT_EQ(idx.Search("xyz qwe").suggestion, "");
}

TEST(Restoration, TheWordsOnlyPlanHasTheFullPlansWords) {
  // Restorations reads a plan of the words alone (no term looked up); it
  // must hold what the search's own plan holds, chains and marks included.
  SearchIndex idx;
  idx.Add("1", "Hà Nội", "đô thị Hà Nội, người Đà Nẵng, quốc gia");
  idx.Commit();
  const internal::Snapshot& snap = internal::SnapshotOf(idx.reader());
  const query::Scoring scoring = query::MakeScoring(snap, RankingOptions());
  const Analyzer analyzer(idx.reader().analyzer_options());
  query::ParseOptions po;
  po.fields = {"title", "body"};
  for (const char* q :
       {"ha noi", "\"do thi\" -xyz nguoi", "title:ha noi* quoc gia", "(ha OR noi) AND da nang",
        "Ha\xCC\x80 no\xCC\x82\xCC\xA3i gi\xE1\xBB\xAF"
        "a",
        "covid-19 tp.hcm 2 lan", "+ha -noi \"quoc gia\"^2"}) {
    SCOPED_TRACE(q);
    const query::ParsedQuery parsed = query::ParseQuery(q, po);
    query::Plan full, words;
    ASSERT_TRUE(IsOk(query::BuildPlan(snap, scoring, analyzer, parsed, SearchOptions(),
                                      query::StatsView(), &full)));
    ASSERT_TRUE(IsOk(query::BuildWordPlan(snap, scoring, analyzer, parsed, &words)));
    EXPECT_EQ(words.has_diacritics, full.has_diacritics);
    ASSERT_EQ(words.words.size(), full.words.size());
    for (std::size_t i = 0; i < full.words.size(); ++i) {
      const query::QueryWord& a = words.words[i];
      const query::QueryWord& b = full.words[i];
      EXPECT_EQ(a.exact, b.exact);
      EXPECT_EQ(a.folded, b.folded);
      EXPECT_EQ(a.start, b.start);
      EXPECT_EQ(a.end, b.end);
      EXPECT_EQ(a.prefix, b.prefix) << b.exact;
      EXPECT_EQ(a.excluded, b.excluded) << b.exact;
      EXPECT_EQ(a.chain, b.chain) << b.exact;
    }
  }
}

TEST(Restoration, ReadsOnlyTheModel) {
  // The suggestion comes from counts alone, not from live documents: the
  // counts of a deleted document stay in its segment's model until a merge
  // takes them out (docs/format.md, "Language model").
  SearchIndex idx;
  idx.Add("1", "", "đô thị, đô thị");
  idx.Add("2", "", "khác");
  idx.Commit();
  idx.Delete("1");
  idx.Add("3", "", "khác nữa");
  idx.Commit();
  EXPECT_EQ(idx.Search("do thi").suggestion, "đô thị");
  idx.Add("4", "", "đó thì");
  idx.Commit();
  ASSERT_TRUE(IsOk(idx.writer().ForceMerge(1)));
  idx.Commit();
  EXPECT_EQ(idx.Search("do thi").suggestion, "đó thì");
}

}  // namespace
}  // namespace tim
