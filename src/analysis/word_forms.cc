#include "analysis/word_forms.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <memory>

#include "util/utf8.h"

namespace tim::analysis {

namespace {

const icu::Normalizer2& Nfc() {
  UErrorCode err = U_ZERO_ERROR;
  static const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  return *nfc;
}

const icu::Normalizer2& Nfd() {
  UErrorCode err = U_ZERO_ERROR;
  static const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  return *nfd;
}

// The blocks of combining diacritics. Marks elsewhere (Thai vowels, Indic
// vowel signs) are letters of their words and are kept.
bool IsDiacritic(UChar32 c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

void AppendUtf8(const icu::UnicodeString& s, std::string* out) {
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    utf8::Append(static_cast<char32_t>(s.char32At(i)), out);
  }
}

}  // namespace

std::uint32_t CutAppended(std::string* buffer, std::size_t offset, std::size_t max_bytes) {
  const std::size_t size = buffer->size() - offset;
  if (size > max_bytes) {
    const std::size_t keep = utf8::BoundaryAtOrBefore(buffer->data() + offset, size, max_bytes);
    buffer->resize(offset + keep);
  }
  return static_cast<std::uint32_t>(buffer->size() - offset);
}

Forms LetterRun::Write(std::size_t max_bytes, std::string* buffer) {
  Forms f;
  if (!plain_ && count_ == letters_.size()) f.retoned = PlaceTone(letters_.data(), letters_.size());
  f.exact_offset = static_cast<std::uint32_t>(buffer->size());
  AppendExact(letters_.data(), letters_.size(), buffer);
  f.exact_size = CutAppended(buffer, f.exact_offset, max_bytes);
  if (plain_) {
    f.folded_offset = f.exact_offset;
    f.folded_size = f.exact_size;
  } else {
    f.folded_offset = static_cast<std::uint32_t>(buffer->size());
    AppendFolded(letters_.data(), letters_.size(), buffer);
    f.folded_size = CutAppended(buffer, f.folded_offset, max_bytes);
  }
  return f;
}

Forms FormsWithIcu(const icu::UnicodeString& text, std::size_t max_bytes, LetterRun* scratch,
                   std::string* buffer) {
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString s = Nfc().normalize(text, err);
  s.toLower(icu::Locale::getRoot());
  s = Nfc().normalize(s, err);

  // The repertoire path, when every character belongs to it.
  scratch->Reset();
  bool repertoire = true;
  for (int32_t i = 0; i < s.length() && repertoire; i = s.moveIndex32(i, 1)) {
    const auto cp = static_cast<char32_t>(s.char32At(i));
    Letter letter;
    std::uint8_t mod, tone;
    if (DecodeLetter(cp, &letter)) {
      scratch->AddLetter(letter);
    } else if (DecodeMark(cp, &mod, &tone)) {
      repertoire = scratch->AddMark(mod, tone);
    } else {
      repertoire = false;
    }
  }
  if (repertoire && !scratch->empty()) return scratch->Write(max_bytes, buffer);

  // The generic path. The lowercase look-alikes ð, ɖ are written đ, so the
  // folded form below only has đ itself to turn into d.
  for (int32_t i = 0; i < s.length(); ++i) {
    if (s[i] == 0x00F0 || s[i] == 0x0256) s.setCharAt(i, 0x0111);
  }
  Forms f;
  f.exact_offset = static_cast<std::uint32_t>(buffer->size());
  AppendUtf8(s, buffer);
  f.exact_size = CutAppended(buffer, f.exact_offset, max_bytes);

  icu::UnicodeString d = Nfd().normalize(s, err);
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < d.length(); i = d.moveIndex32(i, 1)) {
    const UChar32 c = d.char32At(i);
    if (IsDiacritic(c)) continue;
    stripped.append(c == 0x0111 ? static_cast<UChar32>('d') : c);
  }
  stripped = Nfc().normalize(stripped, err);
  f.folded_offset = static_cast<std::uint32_t>(buffer->size());
  AppendUtf8(stripped, buffer);
  f.folded_size = CutAppended(buffer, f.folded_offset, max_bytes);
  return f;
}

std::vector<std::int32_t> SegmentComplex(const icu::UnicodeString& text) {
  // Break iterators are costly to create and not thread-safe: one per thread.
  thread_local std::unique_ptr<icu::BreakIterator> words;
  std::vector<std::int32_t> bounds{0};
  if (!words) {
    UErrorCode err = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), err));
    if (U_FAILURE(err)) words.reset();
  }
  if (words) {
    words->setText(text);
    for (int32_t b = words->next(); b != icu::BreakIterator::DONE; b = words->next()) {
      if (b > bounds.back() && b < text.length()) bounds.push_back(b);
    }
  }
  if (bounds.back() != text.length()) bounds.push_back(text.length());
  return bounds;
}

}  // namespace tim::analysis
