// The tables built from ICU at start-up agree with ICU everywhere.

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string>

#include "analysis/char_class.h"
#include "analysis/vietnamese.h"

namespace tim::analysis {
namespace {

TEST(CharClass, TableEqualsIcuForEveryCodePoint) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    ASSERT_EQ(Classify(cp), ClassifyWithIcu(cp)) << std::hex << cp;
  }
}

TEST(CharClass, Examples) {
  EXPECT_EQ(Classify('a'), CharClass::kLetter);
  EXPECT_EQ(Classify(0x1EC7), CharClass::kLetter);     // ệ
  EXPECT_EQ(Classify(0x00FC), CharClass::kOtherWord);  // ü
  EXPECT_EQ(Classify(0x0323), CharClass::kMark);
  EXPECT_EQ(Classify(0x0308), CharClass::kOtherMark);
  EXPECT_EQ(Classify(0x200B), CharClass::kIgnorable);
  EXPECT_EQ(Classify(0x00AD), CharClass::kIgnorable);
  EXPECT_EQ(Classify(0x00A0), CharClass::kSpace);
  EXPECT_EQ(Classify('-'), CharClass::kConnector);
  EXPECT_EQ(Classify('\n'), CharClass::kBreak);
  EXPECT_EQ(Classify(0x4E2D), CharClass::kIdeograph);
  EXPECT_EQ(Classify(0x0E20), CharClass::kComplex);
  EXPECT_EQ(Classify(0xFFFD), CharClass::kBreak);
}

// Every letter of the repertoire, written back, is its own NFC lowercase.
TEST(VietnameseTables, DecodedLettersRoundTripThroughIcu) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  int letters = 0;
  for (char32_t cp = 0; cp < 0x1F00; ++cp) {
    Letter l;
    if (!DecodeLetter(cp, &l)) continue;
    ++letters;
    std::string exact;
    AppendExact(&l, 1, &exact);
    icu::UnicodeString expected(static_cast<UChar32>(cp));
    expected.toLower();
    expected = nfc->normalize(expected, err);
    std::string want;
    expected.toUTF8String(want);
    if (l.mod == kStroke) want = "đ";  // the look-alikes read as đ
    EXPECT_EQ(exact, want) << std::hex << cp;
  }
  // 26 + 26 ASCII letters, 10 digits, the 66 vowels with a modifier or a
  // tone in both cases (12 vowels x 6 tones, less the 6 plain ASCII ones),
  // đ/Đ and four look-alikes.
  EXPECT_EQ(letters, 26 + 26 + 10 + 2 * 66 + 6);
}

TEST(VietnameseTables, MarksOutsideTheRepertoireAreRefused) {
  Letter n{'n', kNoMod, kNoTone};
  EXPECT_FALSE(ApplyMark(kNoMod, kGrave, &n));  // no tone on a consonant
  Letter a{'a', kNoMod, kNoTone};
  EXPECT_FALSE(ApplyMark(kHorn, kNoTone, &a));  // no horn on a
  Letter i{'i', kNoMod, kNoTone};
  EXPECT_FALSE(ApplyMark(kCircumflex, kNoTone, &i));
  Letter o{'o', kCircumflex, kNoTone};
  EXPECT_FALSE(ApplyMark(kHorn, kNoTone, &o));       // two modifiers
  EXPECT_TRUE(ApplyMark(kCircumflex, kNoTone, &o));  // the same one again is fine
}

}  // namespace
}  // namespace tim::analysis
