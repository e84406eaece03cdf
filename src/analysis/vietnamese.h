// The Vietnamese letter repertoire and the syllable rules: decoding letters
// into (base, vowel modifier, tone), placing the tone mark by one rule, and
// writing exact (NFC) and folded forms. docs/analysis.md states the rules.

#ifndef TIM_ANALYSIS_VIETNAMESE_H_
#define TIM_ANALYSIS_VIETNAMESE_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace tim::analysis {

// Vowel modifiers; kStroke is the bar of đ.
enum Mod : std::uint8_t { kNoMod = 0, kCircumflex = 1, kBreve = 2, kHorn = 3, kStroke = 4 };
// The five tone marks; kNoTone is thanh ngang.
enum Tone : std::uint8_t { kNoTone = 0, kGrave = 1, kAcute = 2, kHook = 3, kTilde = 4, kDot = 5 };

// One lowercase letter of the repertoire: base is 'a'..'z' or '0'..'9'.
struct Letter {
  char base = 0;
  std::uint8_t mod = kNoMod;
  std::uint8_t tone = kNoTone;
};

// The repertoire: ASCII letters and digits; the Vietnamese vowels with any
// valid modifier and tone (upper and lower case, precomposed); đ/Đ and their
// look-alikes Ð U+00D0, ð U+00F0, Ɖ U+0189, ɖ U+0256, all read as đ.
// Returns true and the lowercased letter when cp belongs to it.
bool DecodeLetter(char32_t cp, Letter* letter);

// The combining marks of the repertoire: U+0300 U+0301 U+0303 U+0309 U+0323
// (tones; U+0340/U+0341 read as U+0300/U+0301) and U+0302 U+0306 U+031B
// (circumflex, breve, horn). Returns false for any other code point.
bool DecodeMark(char32_t cp, std::uint8_t* mod, std::uint8_t* tone);

// Applies a decoded combining mark to the letter before it. Returns false when
// the result leaves the repertoire (a tone on a consonant, a horn on 'a', two
// different modifiers). A second tone on the same letter keeps the larger
// Tone value, so the result does not depend on the order of the marks
// (normalisation reorders them).
bool ApplyMark(std::uint8_t mod, std::uint8_t tone, Letter* letter);

// Whether letters[0, n) are one Vietnamese syllable: an initial consonant
// the language has (or none), a vowel nucleus with its glides, and a final
// (tones are not checked).
bool IsSyllable(const Letter* letters, std::size_t n);

// Places the tone of a syllable on its canonical vowel (docs/analysis.md,
// "Tone placement"). Letters that do not parse as one Vietnamese syllable are
// left alone. Returns true when it moved a tone or dropped a duplicate one.
bool PlaceTone(Letter* letters, std::size_t n);

// Appends the exact form (NFC UTF-8) and the folded form (ASCII) of letters.
void AppendExact(const Letter* letters, std::size_t n, std::string* out);
void AppendFolded(const Letter* letters, std::size_t n, std::string* out);

}  // namespace tim::analysis

#endif  // TIM_ANALYSIS_VIETNAMESE_H_
