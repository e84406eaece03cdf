// Table-driven tests of the analyzer with real Vietnamese words.

#include "tim/analyzer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace tim {
namespace {

using testing::Describe;
using testing::Exact;
using testing::Folded;
using testing::Nfd;
using V = std::vector<std::string>;

// The 12 vowels × 6 tones, lowercase and uppercase, precomposed (NFC).
const char* const kVowels[12][6] = {
    {"a", "à", "á", "ả", "ã", "ạ"}, {"ă", "ằ", "ắ", "ẳ", "ẵ", "ặ"}, {"â", "ầ", "ấ", "ẩ", "ẫ", "ậ"},
    {"e", "è", "é", "ẻ", "ẽ", "ẹ"}, {"ê", "ề", "ế", "ể", "ễ", "ệ"}, {"i", "ì", "í", "ỉ", "ĩ", "ị"},
    {"o", "ò", "ó", "ỏ", "õ", "ọ"}, {"ô", "ồ", "ố", "ổ", "ỗ", "ộ"}, {"ơ", "ờ", "ớ", "ở", "ỡ", "ợ"},
    {"u", "ù", "ú", "ủ", "ũ", "ụ"}, {"ư", "ừ", "ứ", "ử", "ữ", "ự"}, {"y", "ỳ", "ý", "ỷ", "ỹ", "ỵ"}};
const char* const kUpperVowels[12][6] = {
    {"A", "À", "Á", "Ả", "Ã", "Ạ"}, {"Ă", "Ằ", "Ắ", "Ẳ", "Ẵ", "Ặ"}, {"Â", "Ầ", "Ấ", "Ẩ", "Ẫ", "Ậ"},
    {"E", "È", "É", "Ẻ", "Ẽ", "Ẹ"}, {"Ê", "Ề", "Ế", "Ể", "Ễ", "Ệ"}, {"I", "Ì", "Í", "Ỉ", "Ĩ", "Ị"},
    {"O", "Ò", "Ó", "Ỏ", "Õ", "Ọ"}, {"Ô", "Ồ", "Ố", "Ổ", "Ỗ", "Ộ"}, {"Ơ", "Ờ", "Ớ", "Ở", "Ỡ", "Ợ"},
    {"U", "Ù", "Ú", "Ủ", "Ũ", "Ụ"}, {"Ư", "Ừ", "Ứ", "Ử", "Ữ", "Ự"}, {"Y", "Ỳ", "Ý", "Ỷ", "Ỹ", "Ỵ"}};
const char kBase[12] = {'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'};

TEST(AnalyzerVowels, EveryVowelAndToneInNfcNfdAndUppercase) {
  for (int v = 0; v < 12; ++v) {
    for (int t = 0; t < 6; ++t) {
      // "b" + vowel: a syllable with one vowel, so no tone re-placement.
      const std::string nfc = std::string("b") + kVowels[v][t];
      const std::string folded = std::string("b") + kBase[v];
      SCOPED_TRACE(nfc);
      EXPECT_EQ(Exact(nfc), V{nfc});
      EXPECT_EQ(Exact(Nfd(nfc)), V{nfc}) << "NFD input";
      EXPECT_EQ(Exact(std::string("B") + kUpperVowels[v][t]), V{nfc});
      EXPECT_EQ(Exact(Nfd(std::string("B") + kUpperVowels[v][t])), V{nfc});
      EXPECT_EQ(Folded(nfc), V{folded});
      EXPECT_EQ(Folded(Nfd(nfc)), V{folded});
    }
  }
}

TEST(AnalyzerVowels, Windows1258StylePrecomposedBasePlusCombiningTone) {
  // Base letters with their modifier precomposed, the tone as a combining mark.
  EXPECT_EQ(Exact("vie\xcc\xa3\xcc\x82t"), V{"việt"});          // e + dot below + circumflex
  EXPECT_EQ(Exact("vi\xc3\xaa\xcc\xa3t"), V{"việt"});           // ê + U+0323
  EXPECT_EQ(Exact("ng\xc6\xb0\xc6\xa1\xcc\x80i"), V{"người"});  // ươ + U+0300
  EXPECT_EQ(Exact("\xc4\x91\xc6\xb0\xc6\xa1\xcc\xa3\x63"), V{"được"});
}

TEST(AnalyzerTone, VariantSpellingsGiveOneExactForm) {
  const std::vector<std::pair<const char*, const char*>> pairs = {
      {"hoà", "hòa"}, {"hoè", "hòe"}, {"thuỷ", "thủy"}, {"khoẻ", "khỏe"}, {"tuỳ", "tùy"},
      {"loà", "lòa"}, {"hoá", "hóa"}, {"uỷ", "ủy"},     {"xoã", "xõa"},   {"thuý", "thúy"}};
  for (const auto& [new_style, old_style] : pairs) {
    SCOPED_TRACE(new_style);
    EXPECT_EQ(Exact(new_style), V{old_style});
    EXPECT_EQ(Exact(old_style), V{old_style});
    EXPECT_EQ(Exact(Nfd(new_style)), V{old_style});
  }
}

TEST(AnalyzerTone, ClosedSyllablesAreNotMangled) {
  for (const char* w : {"hoàn",  "hoạch",  "suýt",   "huỳnh", "khuyến", "toán",  "xoàng", "thuyết",
                        "quyết", "chuyện", "nguyễn", "khuỷu", "ngoài",  "xoáy",  "người", "rượu",
                        "hiếu",  "muối",   "được",   "tuần",  "hoặc",   "khuấy", "giường"}) {
    SCOPED_TRACE(w);
    EXPECT_EQ(Exact(w), V{w});
  }
}

TEST(AnalyzerTone, QuAndGiSyllables) {
  for (const char* w : {"quý", "quỳnh", "quốc", "quá", "quạ", "quyền", "giá", "gìn", "gì", "giữ",
                        "già", "giặt", "giếng", "giúp", "gió", "quở"}) {
    SCOPED_TRACE(w);
    EXPECT_EQ(Exact(w), V{w});
  }
  // Misplaced tones that typists produce are moved to the canonical vowel.
  EXPECT_EQ(Exact("qúa"), V{"quá"});
  EXPECT_EQ(Exact("gìa"), V{"già"});
  EXPECT_EQ(Exact("qúy"), V{"quý"});
  EXPECT_EQ(Folded("quý"), V{"quy"});
  EXPECT_EQ(Folded("giữ gìn"), (V{"giu", "gin"}));
}

TEST(AnalyzerTone, UoAndUoHornAndOtherClusters) {
  EXPECT_EQ(Exact("thuở"), V{"thuở"});
  EXPECT_EQ(Exact("thủơ"), V{"thuở"});  // tone typed on the u
  EXPECT_EQ(Folded("thuở"), V{"thuo"});
  EXPECT_EQ(Exact("huơ"), V{"huơ"});
  EXPECT_EQ(Exact("trường"), V{"trường"});
  EXPECT_EQ(Exact("trừơng"), V{"trường"});
  EXPECT_EQ(Folded("trường"), V{"truong"});
  EXPECT_EQ(Exact("khuya"), V{"khuya"});
  EXPECT_EQ(Exact("nghiêng"), V{"nghiêng"});
  EXPECT_EQ(Folded("nghiêng"), V{"nghieng"});
  EXPECT_EQ(Exact("khuỵa"), V{"khuỵa"});
}

TEST(AnalyzerTone, DifferentTonesStayDifferentWords) {
  EXPECT_EQ(Exact("ma má mà mả mã mạ"), (V{"ma", "má", "mà", "mả", "mã", "mạ"}));
  EXPECT_EQ(Folded("ma má mà mả mã mạ"), (V{"ma", "ma", "ma", "ma", "ma", "ma"}));
}

TEST(AnalyzerTone, StrayDoubledToneMarksKeepOneTone) {
  // From the corpus: "Thuỵ̣", "đượ̣c" carry a second U+0323.
  EXPECT_EQ(Exact("Thuỵ\xcc\xa3"), V{"thụy"});
  EXPECT_EQ(Exact("đượ\xcc\xa3\x63"), V{"được"});
  // Two different tones on one letter: one survives, whatever their order.
  EXPECT_EQ(Exact("ma\xcc\x81\xcc\xa3"), Exact("ma\xcc\xa3\xcc\x81"));
  EXPECT_EQ(Exact("ma\xcc\x81\xcc\xa3").size(), 1u);
}

TEST(AnalyzerTone, RetonedCountsMovedTones) {
  Analysis a;
  ASSERT_TRUE(Analyzer().Analyze("hoà bình, hòa bình, thuỷ", &a).ok());
  EXPECT_EQ(a.retoned(), 2u);
}

TEST(AnalyzerCase, FullUnicodeLowercasing) {
  EXPECT_EQ(Exact("ĐẮK LẮK"), (V{"đắk", "lắk"}));
  EXPECT_EQ(Exact("Đắk Lắk"), (V{"đắk", "lắk"}));
  EXPECT_EQ(Exact("HÒA NHỊP"), (V{"hòa", "nhịp"}));
  EXPECT_EQ(Exact("HOÀ"), V{"hòa"});
  EXPECT_EQ(Exact("ΣΟΦΊΑ"), V{"σοφία"});
  // Full (not simple) lowercasing: İ becomes i + U+0307; folding drops the dot.
  EXPECT_EQ(Exact("İzmir"), V{"i\xcc\x87zmir"});
  EXPECT_EQ(Folded("İzmir"), V{"izmir"});
}

TEST(AnalyzerFold, DAndItsLookalikes) {
  EXPECT_EQ(Folded("Đà Nẵng"), (V{"da", "nang"}));
  EXPECT_EQ(Folded("Ðà Nẵng"), (V{"da", "nang"}));  // U+00D0
  EXPECT_EQ(Folded("ðà"), V{"da"});                 // U+00F0
  EXPECT_EQ(Folded("Ɖà"), V{"da"});                 // U+0189
  EXPECT_EQ(Folded("ɖà"), V{"da"});                 // U+0256
  EXPECT_EQ(Exact("Ðà Nẵng"), Exact("Đà Nẵng"));
  EXPECT_EQ(Folded("đô thị"), (V{"do", "thi"}));
}

TEST(AnalyzerFold, OtherLatinDiacriticsAreFoldedToo) {
  EXPECT_EQ(Exact("Müller"), V{"müller"});
  EXPECT_EQ(Folded("Müller"), V{"muller"});
  EXPECT_EQ(Folded("São Paulo"), (V{"sao", "paulo"}));
  EXPECT_EQ(Folded("café"), V{"cafe"});
}

TEST(AnalyzerText, IgnorablesAreRemovedAndOtherSpacesSeparate) {
  // ZWSP, ZWJ, ZWNJ, BOM and soft hyphen vanish, even inside a word.
  EXPECT_EQ(Exact("Việ\xe2\x80\x8bt"), V{"việt"});
  EXPECT_EQ(Exact("Vi\xe2\x80\x8d\xe1\xbb\x87t"), V{"việt"});
  EXPECT_EQ(Exact("th\xe2\x80\x8c\xc3\xb4ng"), V{"thông"});
  EXPECT_EQ(Exact("\xef\xbb\xbfHà"), V{"hà"});
  EXPECT_EQ(Exact("thông\xc2\xad\x6dinh"), V{"thôngminh"});
  // A ZWJ between a letter and its combining tone does not block the tone.
  EXPECT_EQ(Exact("vie\xcc\x82\xe2\x80\x8d\xcc\xa3t"), V{"việt"});
  // NBSP, narrow NBSP, ideographic space and tab separate words like a space.
  EXPECT_EQ(Describe("Hà\xc2\xa0Nội"),
            (V{"word:hà/ha@0", "word:nội/noi@1", "bigram:hà nội/ha noi@0"}));
  EXPECT_EQ(Exact("Hà\xe2\x80\xafNội\xe3\x80\x80mới\tđây"), (V{"hà", "nội", "mới", "đây"}));
}

TEST(AnalyzerText, BigramsOnlyAcrossSpaces) {
  EXPECT_EQ(
      Describe("đô thị thông minh"),
      (V{"word:đô/do@0", "word:thị/thi@1", "bigram:đô thị/do thi@0", "word:thông/thong@2",
         "bigram:thị thông/thi thong@1", "word:minh/minh@3", "bigram:thông minh/thong minh@2"}));
  // Punctuation or a line break between words: no bigram.
  EXPECT_EQ(Describe("Hà Nội, Huế\nĐà"),
            (V{"word:hà/ha@0", "word:nội/noi@1", "bigram:hà nội/ha noi@0", "word:huế/hue@2",
               "word:đà/da@3"}));
  AnalyzerOptions no_bigrams;
  no_bigrams.bigrams = false;
  EXPECT_EQ(Describe("đô thị", no_bigrams), (V{"word:đô/do@0", "word:thị/thi@1"}));
}

TEST(AnalyzerText, NumbersCodesEmailsAndUrls) {
  EXPECT_EQ(Describe("COVID-19"),
            (V{"word:covid/covid@0", "word:19/19@1", "joined:covid19/covid19@0"}));
  EXPECT_EQ(Describe("TP.HCM"), (V{"word:tp/tp@0", "word:hcm/hcm@1", "joined:tphcm/tphcm@0"}));
  EXPECT_EQ(Describe("2021-2030"),
            (V{"word:2021/2021@0", "word:2030/2030@1", "joined:20212030/20212030@0"}));
  EXPECT_EQ(Describe("10.081.330"),
            (V{"word:10/10@0", "word:081/081@1", "word:330/330@2", "joined:10081330/10081330@0"}));
  EXPECT_EQ(Describe("13 triệu USD"),
            (V{"word:13/13@0", "word:triệu/trieu@1", "bigram:13 triệu/13 trieu@0", "word:usd/usd@2",
               "bigram:triệu usd/trieu usd@1"}));
  EXPECT_EQ(Exact("nguyen.van.a@gmail.com"), (V{"nguyen", "van", "a", "gmail", "com"}));
  EXPECT_EQ(Describe("a@b.vn").back(), "joined:abvn/abvn@0");
  EXPECT_EQ(Exact("https://vnexpress.net/thoi-su"), (V{"https", "vnexpress", "net", "thoi", "su"}));
  EXPECT_EQ(Describe("https://vnexpress.net/thoi-su").back(),
            "joined:httpsvnexpressnetthoisu/httpsvnexpressnetthoisu@0");
  // A user typing the code either way finds the same tokens.
  EXPECT_EQ(Exact("covid19"), V{"covid19"});
  EXPECT_EQ(Exact("TPHCM"), V{"tphcm"});
  // Four connectors in a row, or a space beside one, break the chain.
  EXPECT_EQ(Describe("a....b"), (V{"word:a/a@0", "word:b/b@1"}));
  EXPECT_EQ(Describe("Hà Nội - Huế"),
            (V{"word:hà/ha@0", "word:nội/noi@1", "bigram:hà nội/ha noi@0", "word:huế/hue@2"}));
}

TEST(AnalyzerText, LongTokensAreCutOnACharacterBoundary) {
  const std::string run(100, 'x');
  Analysis a;
  ASSERT_TRUE(Analyzer().Analyze(run + " ở", &a).ok());
  ASSERT_EQ(a.word_count(), 2u);
  EXPECT_EQ(a.exact(a.tokens()[0]), std::string(64, 'x'));
  EXPECT_EQ(a.tokens()[0].end, 100u);  // offsets span the whole run
  std::string viet;
  for (int i = 0; i < 40; ++i) viet += "ệ";  // 3 bytes each: cut at 63, not mid-letter
  ASSERT_TRUE(Analyzer().Analyze(viet, &a).ok());
  EXPECT_EQ(a.exact(a.tokens()[0]).size(), 63u);
  EXPECT_EQ(a.folded(a.tokens()[0]), std::string(40, 'e'));
}

TEST(AnalyzerText, OtherScriptsGiveSaneTokens) {
  // Each Han character is a word; adjacent ones form bigrams (CJK bigrams).
  EXPECT_EQ(Describe("中国人"), (V{"word:中/中@0", "word:国/国@1", "bigram:中 国/中 国@0",
                                   "word:人/人@2", "bigram:国 人/国 人@1"}));
  // Thai is split into words with ICU's dictionary.
  const V thai = Exact("ภาษาไทยง่ายนิดเดียว");
  EXPECT_GE(thai.size(), 3u);
  std::string joined;
  for (const auto& w : thai) joined += w;
  EXPECT_EQ(joined, "ภาษาไทยง่ายนิดเดียว");
  // Emoji and symbols separate words and are not tokens.
  EXPECT_EQ(Exact("Hà Nội😀đẹp ❤️ quá"), (V{"hà", "nội", "đẹp", "quá"}));
  EXPECT_EQ(Exact("Москва"), V{"москва"});
}

TEST(AnalyzerText, EmptyAndSeparatorOnlyInput) {
  EXPECT_TRUE(Describe("").empty());
  EXPECT_TRUE(Describe(" \n\t,.;!?-").empty());
  EXPECT_TRUE(Describe("\xcc\x81\xcc\xa3").empty());  // marks with no letter
}

TEST(AnalyzerUtf8, InvalidBytesBecomeSeparatorsAndAreCounted) {
  const std::vector<std::pair<std::string, int>> cases = {
      {"Hà\xffNội", 1},              // a byte that never occurs in UTF-8
      {"Hà\xe1\xbbNội", 1},          // a truncated 3-byte sequence: one maximal subpart
      {"Hà\xc0\xafNội", 2},          // an overlong '/': two bytes, two replacements
      {"Hà\xed\xa0\x80Nội", 3},      // a lone surrogate U+D800
      {"Hà\xf4\x90\x80\x80Nội", 4},  // above U+10FFFF
      {"Hà\x80Nội", 1},              // a stray continuation byte
      {"Hà Nội\xe1\xbb", 1},         // truncated at the end of input
  };
  for (const auto& [text, replaced] : cases) {
    SCOPED_TRACE(text);
    Analysis a;
    ASSERT_TRUE(Analyzer().Analyze(text, &a).ok());
    EXPECT_EQ(a.invalid_utf8(), static_cast<std::uint64_t>(replaced));
    EXPECT_EQ(Exact(text), (V{"hà", "nội"}));
  }
}

TEST(AnalyzerUtf8, StrictModeNamesTheByteOffset) {
  AnalyzerOptions strict;
  strict.strict_utf8 = true;
  Analysis a;
  const Status s = Analyzer(strict).Analyze("Hà Nội \xe1\xbb", &a);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("byte offset 10"), std::string::npos) << s.message();
  EXPECT_TRUE(a.tokens().empty());
  EXPECT_TRUE(Analyzer(strict).Analyze("Hà Nội", &a).ok());
}

TEST(AnalyzerText, TenMegabyteSingleLine) {
  const std::string sentence = "Người dân thành phố Hồ Chí Minh đón Tết. ";  // 9 words
  std::string text;
  std::size_t sentences = 0;
  for (; text.size() < 10 * 1024 * 1024; ++sentences) text += sentence;
  Analysis a;
  ASSERT_TRUE(Analyzer().Analyze(text, &a).ok());
  EXPECT_EQ(a.word_count(), sentences * 9);
  const Token& last = a.tokens().back();
  EXPECT_EQ(last.kind, TokenKind::kBigram);
  EXPECT_EQ(a.exact(last), "đón tết");
  EXPECT_EQ(last.end, text.size() - 2);
  // One 10 MB word, too: cut, and no quadratic work.
  const std::string word(10 * 1024 * 1024, 'a');
  ASSERT_TRUE(Analyzer().Analyze(word, &a).ok());
  EXPECT_EQ(a.word_count(), 1u);
  EXPECT_EQ(a.tokens()[0].end, word.size());
}

TEST(AnalyzerOffsets, SliceBackToTheOriginalSpelling) {
  const std::string text = "Ông  NGUYỄN Văn A (thuỷ) nói: \"Hoà\"";
  Analysis a;
  ASSERT_TRUE(Analyzer().Analyze(text, &a).ok());
  V slices;
  for (const Token& t : a.tokens()) {
    if (t.kind == TokenKind::kWord) slices.push_back(text.substr(t.start, t.end - t.start));
  }
  EXPECT_EQ(slices, (V{"Ông", "NGUYỄN", "Văn", "A", "thuỷ", "nói", "Hoà"}));
}

}  // namespace
}  // namespace tim
