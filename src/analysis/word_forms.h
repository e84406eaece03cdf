// The exact and folded forms of one word, computed either from letters the
// fast scanner decoded itself (LetterRun) or from text normalised by ICU
// (FormsWithIcu). Both end in the same syllable rules (vietnamese.h), so the
// two paths agree whenever ICU's NFC and lowercasing agree with our tables.

#ifndef TIM_ANALYSIS_WORD_FORMS_H_
#define TIM_ANALYSIS_WORD_FORMS_H_

#include <unicode/unistr.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/vietnamese.h"

namespace tim::analysis {

// Where a word's forms were written in a buffer.
struct Forms {
  std::uint32_t exact_offset = 0;
  std::uint32_t exact_size = 0;
  std::uint32_t folded_offset = 0;
  std::uint32_t folded_size = 0;
  bool retoned = false;
};

// Collects the letters of one word of the repertoire. Only the first `cap`
// letters are kept (forms are cut at `cap` bytes, and each letter takes at
// least one), but marks on later letters are still checked so that a run
// leaves the repertoire the same way however long it is.
class LetterRun {
 public:
  explicit LetterRun(std::size_t cap) : cap_(cap) { letters_.reserve(cap); }

  void Reset() {
    letters_.clear();
    count_ = 0;
    plain_ = true;
  }
  bool empty() const { return count_ == 0; }

  void AddLetter(const Letter& l) {
    if (letters_.size() < cap_) letters_.push_back(l);
    if (l.mod != kNoMod || l.tone != kNoTone) plain_ = false;
    tail_ = l;
    ++count_;
  }
  // Applies a combining mark to the last letter; false if the word leaves
  // the repertoire (the caller must then take the ICU path).
  bool AddMark(std::uint8_t mod, std::uint8_t tone) {
    if (count_ == 0 || !ApplyMark(mod, tone, &tail_)) return false;
    if (count_ <= cap_) letters_.back() = tail_;
    plain_ = false;
    return true;
  }

  // Places the tone, then appends the exact and folded forms (each cut at
  // max_bytes on a character boundary) to *buffer.
  Forms Write(std::size_t max_bytes, std::string* buffer);

 private:
  std::size_t cap_;
  std::vector<Letter> letters_;
  Letter tail_;
  std::size_t count_ = 0;
  bool plain_ = true;  // no modifier or tone anywhere: exact == folded
};

// Forms of a word given as code points with default-ignorables removed:
// ICU NFC, full lowercase (root locale), NFC again; then the syllable rules
// when every character is in the repertoire, else the generic rules
// (look-alikes of đ mapped, combining diacritics dropped for the folded form).
Forms FormsWithIcu(const icu::UnicodeString& text, std::size_t max_bytes, LetterRun* scratch,
                   std::string* buffer);

// Splits a run of a script written without spaces (Thai, Lao, Khmer,
// Myanmar) into words with ICU's dictionary-based word break iterator.
// Returns the UTF-16 boundaries, first 0, last text.length().
std::vector<std::int32_t> SegmentComplex(const icu::UnicodeString& text);

// Cuts what was appended to *buffer after `offset` to at most max_bytes,
// on a character boundary. Returns the resulting size.
std::uint32_t CutAppended(std::string* buffer, std::size_t offset, std::size_t max_bytes);

}  // namespace tim::analysis

#endif  // TIM_ANALYSIS_WORD_FORMS_H_
