// Telex and VNI typed with the input method off, word by word: real words
// in both typing styles (tone key at the end, or right after its vowel),
// and words that must not decode (plain Vietnamese, English, codes).

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "query/typing.h"
#include "search_test_util.h"

namespace tim::query {
namespace {

TEST(Telex, DecodesRealWordsInEveryStyle) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"vieetj", "việt"},   {"vieejt", "việt"},     {"vietej", "việt"},
      {"nam", ""},          {"hoaf", "hòa"},        {"binhf", "bình"},
      {"ddaf", "đà"},       {"nawngx", "nẵng"},     {"nguowif", "người"},
      {"nguoiwf", "người"}, {"thuwowng", "thương"}, {"truwowngf", "trường"},
      {"gif", "gì"},        {"giaf", "già"},        {"quys", "quý"},
      {"quoocs", "quốc"},   {"tieengs", "tiếng"},   {"nghieeng", "nghiêng"},
      {"w", "ư"},           {"tuw", "tư"},          {"ddi", "đi"},
      {"Hoaf", "hòa"},      {"HOAF", "hòa"},        {"thuyr", "thủy"},
      {"khoer", "khỏe"},    {"uowts", "ướt"},       {"hoafz", "hoa"},
      {"hoaz", ""},         {"muaf", "mùa"},
  };
  for (const auto& [typed, want] : cases) EXPECT_EQ(DecodeTelex(typed), want) << typed;
}

TEST(Telex, AWordOfMoreThan24KeysSpellsNothing) {
  // "nghieengf" (nghiềng), the longest syllable, is 9 keys.
  EXPECT_EQ(DecodeTelex("nghieengf"), "nghiềng");
  EXPECT_EQ(DecodeVni("nghie6ng2"), "nghiềng");
  EXPECT_EQ(DecodeTelex(std::string(25, 'a')), "");
  EXPECT_EQ(DecodeVni("nghie6ng2" + std::string(16, '0')), "");
  // A query of one 1 MB word is read in linear time (it took minutes).
  EXPECT_EQ(DecodeTelex(std::string(1 << 20, 'a')), "");
  EXPECT_EQ(DecodeVni(std::string(1 << 20, 'a')), "");
}

TEST(Telex, LeavesWhatIsNotATypedSyllable) {
  // No key used, not a syllable, a stop final with a tone it cannot take,
  // digits or letters outside ASCII.
  for (const char* w : {"nam", "ha", "sao", "xin", "fax", "word", "hello", "tetf", "x100s", "congo",
                        "covid19", "hà", "", "ddd", "jjj"}) {
    EXPECT_EQ(DecodeTelex(w), "") << w;
  }
}

// As the keyboards do it: a tone key typed again when it put the word's
// tone, or a mark key typed again right after it put its mark, undoes the
// mark and types the letter. What is left is rarely a syllable, and such a
// word stays as typed: English words and abbreviations in a Telex query.
TEST(Telex, AKeyTypedAgainUndoesItsMark) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"aff", ""},
      {"ass", ""},
      {"boss", ""},
      {"pass", ""},
      {"offline", ""},
      {"email", ""},
      {"ddd", ""},
      {"aaa", ""},
      {"aww", ""},
      {"ww", ""},
      {"toanss", ""},
      {"hoaff", ""},
      {"xooong", "xoong"},
      {"toans", "toán"},
      {"hoafs", "hóa"},
      {"ddaf", "đà"},
      {"tooi", "tôi"},
      {"vieetj", "việt"},
      {"dduwowngf", "đường"},
  };
  for (const auto& [typed, want] : cases) EXPECT_EQ(DecodeTelex(typed), want) << typed;
  // In VNI a digit typed twice spells no syllable either.
  for (const char* w : {"a11", "d99a", "o66", "hoa22"}) EXPECT_EQ(DecodeVni(w), "") << w;
}

TEST(Vni, DecodesRealWordsInEveryStyle) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"vie65t", "việt"},    {"vie6t5", "việt"}, {"vie56t", "việt"}, {"hoa2", "hòa"},
      {"d9a2", "đà"},        {"da2d9", ""},      {"na8ng4", "nẵng"}, {"nguo7i2", "người"},
      {"ngu7o7i2", "người"}, {"quo6c1", "quốc"}, {"gi2", "gì"},      {"thuy3", "thủy"},
      {"u7", "ư"},           {"hoa0", ""},
  };
  for (const auto& [typed, want] : cases) EXPECT_EQ(DecodeVni(typed), want) << typed;
}

TEST(Vni, LeavesNumbersAndCodes) {
  for (const char* w :
       {"2024", "mp3", "h5n1", "x100s", "a320", "covid19", "g7", "vie", "10a1", "iphone15"}) {
    EXPECT_EQ(DecodeVni(w), "") << w;
  }
}

// The searcher reads typed words as what they spell only when the index
// says so, says what it searched, and searches raw on request.
TEST(TypedQueries, RewrittenWhenTheIndexSaysSo) {
  testing::SearchIndex idx;
  for (int i = 0; i < 6; ++i) {
    idx.Add("vn" + std::to_string(i), "Việt Nam hôm nay",
            "Người Việt Nam ở Đà Nẵng và Hà Nội đón năm mới");
  }
  idx.Add("hoa", "Hòa bình", "Hòa bình cho mọi người, bình yên");
  idx.Add("hoa2", "Hòa bình 2", "Hòa bình và bình yên ở Hà Nội");
  idx.Add("en", "Test box", "A test of the box: test, test, box x100s");
  idx.Add("xo", "Xoong nồi", "xoong nồi, xoong chảo và bếp; xông hơi, xông nhà, xông đất");
  // "xông" in more documents than "xoong": still a plain word, not keys.
  idx.Add("xo2", "Xông hơi", "xông hơi mỗi ngày");
  idx.Add("xo3", "Xông đất", "xông đất đầu năm");
  // "à" and "bó" are words the doubled keys of "aff" and "boss" would spell
  // if the second key were a tone again.
  idx.Add("aff", "AFF Cup", "Việt Nam vô địch AFF Cup, boss nói: pass bóng");
  idx.Add("a1", "À ra thế", "À, thì ra là vậy à, ừ à, bó tay");
  idx.Add("bo", "Bó hoa", "một bó hoa, bó rau, bó củi, bó tay");
  idx.Commit();
  const std::vector<std::pair<const char*, const char*>> rewritten = {
      {"vieetj nam", "việt nam"},
      {"vie65t nam", "việt nam"},
      {"Vieetj Nam", "Việt Nam"},
      {"hoaf binhf", "hòa bình"},
      {"ddaf nawngx", "đà nẵng"},
      {"hà noi vieetj nam", "hà noi việt nam"},
      {"nguowif vieetj", "người việt"},
      {"title:vieetj", "title:việt"},
      {"\"vieetj nam\" -hoaf", "\"việt nam\" -hòa"},
      {"vieetj nam aff cup", "việt nam aff cup"},
      {"hoaf binhf boss", "hòa bình boss"},
      {"ddaf nawngx ass", "đà nẵng ass"},
  };
  for (const auto& [typed, want] : rewritten) {
    const SearchResults r = idx.Search(typed);
    EXPECT_EQ(r.rewritten, want) << typed;
    EXPECT_GT(r.total_hits, 0u) << typed;
  }
  EXPECT_EQ(idx.Search("vieetj nam").hits[0].title, "Việt Nam hôm nay");
  // As typed: English and codes the index holds, plain words, accents.
  for (const char* typed :
       {"test", "box", "x100s", "xoong", "viet nam", "việt nam", "hoa binh", "nam"}) {
    EXPECT_EQ(idx.Search(typed).rewritten, "") << typed;
  }
  // An absurdly long query: only its first 64 runs are looked at.
  std::string long_query;
  for (int i = 0; i < 100000; ++i) long_query += "zzz ";
  long_query += "vieetj";
  EXPECT_EQ(idx.Search(long_query).rewritten, "");
  // Raw on request: the keys are searched as they are (and find nothing).
  SearchOptions raw;
  raw.rewrite_typing = false;
  const SearchResults r = idx.Search("vieetj", raw);
  EXPECT_EQ(r.rewritten, "");
  EXPECT_EQ(r.total_hits, 0u);
}

}  // namespace
}  // namespace tim::query
