// Character classes that drive tokenisation. docs/analysis.md explains each.

#ifndef TIM_ANALYSIS_CHAR_CLASS_H_
#define TIM_ANALYSIS_CHAR_CLASS_H_

#include <cstdint>

namespace tim::analysis {

enum class CharClass : std::uint8_t {
  kLetter,     // letter or digit of the Vietnamese repertoire (vietnamese.h): decoded without ICU
  kOtherWord,  // any other letter or number (general category L* or N*)
  kMark,       // a combining tone mark or vowel modifier of the repertoire
  kOtherMark,  // any other combining mark (M*)
  kIgnorable,  // Default_Ignorable_Code_Point (ZWSP, ZWJ, soft hyphen, BOM...): removed
  kSpace,      // horizontal white space: Zs (incl. NBSP) and TAB
  kConnector,  // joins words written as one: - . _ / @ : ' U+2019 U+2010 U+2011
  kIdeograph,  // Han, Hiragana, Katakana: each character is a word of its own
  kComplex,    // scripts written without spaces (Thai, Lao, Khmer, Myanmar): ICU's dictionary
  kBreak,      // everything else: punctuation, symbols, line breaks, controls, U+FFFD
};

// The class of a code point, from a table for code points below U+3000 and from
// ICU's properties above.
CharClass Classify(char32_t cp);

// The class from ICU's properties alone, with kLetter/kMark for the repertoire.
// Classify() is built from this; tests check the two agree everywhere.
CharClass ClassifyWithIcu(char32_t cp);

inline bool IsWordClass(CharClass c) {
  return c == CharClass::kLetter || c == CharClass::kOtherWord;
}

}  // namespace tim::analysis

#endif  // TIM_ANALYSIS_CHAR_CLASS_H_
