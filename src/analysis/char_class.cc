#include "analysis/char_class.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <array>

#include "analysis/vietnamese.h"

namespace tim::analysis {

namespace {

bool IsConnector(char32_t cp) {
  switch (cp) {
    case '-':
    case '.':
    case '_':
    case '/':
    case '@':
    case ':':
    case '\'':
    case 0x2019:  // RIGHT SINGLE QUOTATION MARK, the usual typographic apostrophe
    case 0x2010:  // HYPHEN
    case 0x2011:  // NON-BREAKING HYPHEN
      return true;
    default: return false;
  }
}

bool IsIdeographic(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) return true;
  UErrorCode err = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &err);
  return U_SUCCESS(err) &&
         (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA);
}

// Code points below this come from a table built once from ClassifyWithIcu().
constexpr char32_t kTableLimit = 0x3000;

const std::array<CharClass, kTableLimit>& Table() {
  static const auto table = [] {
    std::array<CharClass, kTableLimit> t{};
    for (char32_t cp = 0; cp < kTableLimit; ++cp) t[cp] = ClassifyWithIcu(cp);
    return t;
  }();
  return table;
}

}  // namespace

CharClass ClassifyWithIcu(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  if (cp == '\t') return CharClass::kSpace;
  if (IsConnector(cp)) return CharClass::kConnector;
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return CharClass::kIgnorable;
  std::uint8_t mod, tone;
  if (DecodeMark(cp, &mod, &tone)) return CharClass::kMark;
  Letter letter;
  if (DecodeLetter(cp, &letter)) return CharClass::kLetter;
  const std::int8_t type = u_charType(c);
  const std::uint32_t mask = U_MASK(type);
  const bool word = (mask & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
  const bool mark = (mask & U_GC_M_MASK) != 0;
  if ((word || mark) && u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) {
    return CharClass::kComplex;
  }
  if (word && IsIdeographic(cp)) return CharClass::kIdeograph;
  if (word) return CharClass::kOtherWord;
  if (mark) return CharClass::kOtherMark;
  if (type == U_SPACE_SEPARATOR) return CharClass::kSpace;
  return CharClass::kBreak;
}

CharClass Classify(char32_t cp) {
  if (cp < kTableLimit) return Table()[cp];
  return ClassifyWithIcu(cp);
}

}  // namespace tim::analysis
