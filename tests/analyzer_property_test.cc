// Property tests: random Vietnamese-like text, in NFC and NFD, with noise.
//  - NFD input gives the same tokens as NFC input;
//  - offsets lie on UTF-8 boundaries, and each word's slice analyses back to
//    the same exact form;
//  - the fast analyzer equals the ICU-only reference.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "analysis/reference.h"
#include "test_util.h"
#include "tim/analyzer.h"
#include "util/utf8.h"

namespace tim {
namespace {

// Real syllables (both tone conventions), codes, foreign words and noise.
const std::vector<std::string> kPieces = {
    "Hà",     "Nội",    "đô",         "thị",     "thông", "minh",     "hoà",     "hòa",   "thuỷ",
    "thủy",   "khoẻ",   "NGƯỜI",      "được",    "thuở",  "khuya",    "nghiêng", "quý",   "giữ",
    "gìn",    "Đắk",    "Lắk",        "Ðà",      "Nẵng",  "COVID-19", "TP.HCM",  "13",    "USD",
    "İzmir",  "Müller", "中国",       "ภาษาไทย", "😀",     "qúa",      "gìa",     "Thuỵ̣",  "đượ̣c",
    "e-mail", "a@b.vn", "10.081.330", "ΣΟΦΊΑ",   "café",  "ǹ",        "x̃",       "Москва"};
const std::vector<std::string> kSeparators = {
    " ", "  ", "\n", ", ", ". ", "-", "\xc2\xa0", "\xe2\x80\x8b", "\t", "(", "\"", "/", ""};

std::string RandomText(std::mt19937* rng, int words) {
  std::string s;
  std::uniform_int_distribution<std::size_t> piece(0, kPieces.size() - 1);
  std::uniform_int_distribution<std::size_t> sep(0, kSeparators.size() - 1);
  std::uniform_int_distribution<int> noise(0, 40);
  for (int i = 0; i < words; ++i) {
    s += kPieces[piece(*rng)];
    switch (noise(*rng)) {
      case 0: s += "\xcc\xa3"; break;          // a stray dot below
      case 1: s += "\xe2\x80\x8d"; break;      // ZWJ
      case 2: s += "\xff"; break;              // an invalid byte
      case 3: s += "\xcc\x81\xcc\x80"; break;  // two tones
      default: break;
    }
    s += kSeparators[sep(*rng)];
  }
  return s;
}

TEST(AnalyzerProperty, NfdInputGivesTheSameTokens) {
  std::mt19937 rng(20261122);
  for (int i = 0; i < 300; ++i) {
    std::string text = RandomText(&rng, 12);
    // Drop invalid bytes: ICU's NFD would turn them into U+FFFD first.
    text.erase(std::remove(text.begin(), text.end(), '\xff'), text.end());
    SCOPED_TRACE(text);
    EXPECT_EQ(testing::Describe(text), testing::Describe(testing::Nfd(text)));
  }
}

TEST(AnalyzerProperty, OffsetsAreBoundariesAndSlicesAnalyseBack) {
  std::mt19937 rng(7);
  AnalyzerOptions no_extras;
  no_extras.bigrams = false;
  no_extras.joined = false;
  for (int i = 0; i < 300; ++i) {
    const std::string text = RandomText(&rng, 12);
    SCOPED_TRACE(text);
    Analysis a;
    ASSERT_TRUE(Analyzer().Analyze(text, &a).ok());
    for (const Token& t : a.tokens()) {
      ASSERT_TRUE(utf8::IsBoundary(text, t.start) && utf8::IsBoundary(text, t.end) &&
                  t.start < t.end);
      if (t.kind != TokenKind::kWord) continue;
      Analysis b;
      const std::string slice = text.substr(t.start, t.end - t.start);
      ASSERT_TRUE(Analyzer(no_extras).Analyze(slice, &b).ok());
      // A Thai run may split into several words; every other slice is one word.
      ASSERT_GE(b.tokens().size(), 1u) << slice;
      if (b.tokens().size() == 1) {
        EXPECT_EQ(b.exact(b.tokens()[0]), a.exact(t)) << slice;
      }
    }
  }
}

TEST(AnalyzerProperty, FastAnalyzerEqualsIcuReference) {
  std::mt19937 rng(42);
  for (int i = 0; i < 500; ++i) {
    const std::string text = RandomText(&rng, 16);
    SCOPED_TRACE(text);
    Analysis fast, ref;
    ASSERT_TRUE(Analyzer().Analyze(text, &fast).ok());
    ASSERT_TRUE(analysis::ReferenceAnalyze(text, AnalyzerOptions(), &ref).ok());
    EXPECT_EQ(testing::Describe(fast), testing::Describe(ref));
    EXPECT_EQ(fast.invalid_utf8(), ref.invalid_utf8());
    EXPECT_EQ(fast.retoned(), ref.retoned());
  }
}

TEST(AnalyzerProperty, RandomBytesNeverCrash) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 2000; ++i) {
    std::string text(static_cast<std::size_t>(i % 97), '\0');
    for (char& c : text) c = static_cast<char>(byte(rng));
    Analysis fast, ref;
    ASSERT_TRUE(Analyzer().Analyze(text, &fast).ok());
    ASSERT_TRUE(analysis::ReferenceAnalyze(text, AnalyzerOptions(), &ref).ok());
    EXPECT_EQ(testing::Describe(fast), testing::Describe(ref));
    for (const Token& t : fast.tokens()) {
      ASSERT_TRUE(t.start < t.end && t.end <= text.size());
    }
  }
}

}  // namespace
}  // namespace tim
