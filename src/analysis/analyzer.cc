// The fast analyzer: one pass over the UTF-8 bytes. Letters of the Vietnamese
// repertoire are decoded, lowercased and normalised by table (no ICU call on
// the hot path); any other word goes through ICU (word_forms.h). The result
// equals the ICU-only reference (reference.h); tests and tools/corpus_check
// prove it on random text and on the whole shared corpus.

#include <unicode/unistr.h>

#include <array>
#include <limits>
#include <string>

#include "analysis/analysis_builder.h"
#include "analysis/char_class.h"
#include "analysis/vietnamese.h"
#include "analysis/word_forms.h"
#include "tim/analyzer.h"
#include "util/limits.h"
#include "util/utf8.h"

namespace tim {

using analysis::CharClass;
using analysis::Forms;
using analysis::Letter;
using analysis::LetterRun;

const char* TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord: return "word";
    case TokenKind::kJoined: return "joined";
    case TokenKind::kBigram: return "bigram";
  }
  return "unknown";
}

void Analysis::Clear() {
  tokens_.clear();
  buffer_.clear();
  word_count_ = 0;
  invalid_utf8_ = 0;
  retoned_ = 0;
}

Analyzer::Analyzer(AnalyzerOptions options) : options_(options) {
  if (options_.max_token_bytes < limits::kMinTokenBytes) {
    options_.max_token_bytes = limits::kMinTokenBytes;
  }
}

namespace {

// ASCII letters and digits, lowercased; 0 for every other byte.
constexpr auto kAsciiLetter = [] {
  std::array<char, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c - 'A' + 'a');
  return t;
}();

class Scanner {
 public:
  Scanner(const AnalyzerOptions& options, std::string_view text, AnalysisBuilder* builder)
      : options_(options),
        text_(text),
        builder_(builder),
        letters_(options.max_token_bytes),
        scratch_(options.max_token_bytes) {}

  Status Run();

 private:
  enum class RunKind { kNone, kNormal, kComplex };

  // Makes the character at `at` part of a run of `kind`, ending any other run.
  void EnterRun(std::uint32_t at, RunKind kind) {
    if (run_ == kind) return;
    EndRun();
    run_ = kind;
    run_start_ = at;
    repertoire_ = true;
    letters_.Reset();
  }
  void EndRun();
  void AddWord(std::uint32_t start, std::uint32_t end, const Forms& forms) {
    builder_->AddWord(start, end, forms);
  }
  // The run's code points without default-ignorables; offsets[i] is the byte
  // offset of UTF-16 unit i and ends[i] the end of its code point.
  icu::UnicodeString RunText(std::vector<std::uint32_t>* offsets,
                             std::vector<std::uint32_t>* ends) const;
  void EndComplexRun();

  const AnalyzerOptions& options_;
  std::string_view text_;
  AnalysisBuilder* builder_;
  RunKind run_ = RunKind::kNone;
  std::uint32_t run_start_ = 0;
  std::uint32_t run_end_ = 0;
  bool repertoire_ = true;  // every character of the run so far decoded by table
  LetterRun letters_;
  LetterRun scratch_;
};

Status Scanner::Run() {
  const auto* base = reinterpret_cast<const unsigned char*>(text_.data());
  const auto* end = base + text_.size();
  const auto* p = base;
  while (p < end) {
    const auto at = static_cast<std::uint32_t>(p - base);
    char32_t cp = *p;
    std::size_t len = 1;
    if (cp < 0x80 && kAsciiLetter[cp] != 0) {
      // The hot path: an ASCII letter or digit.
      EnterRun(at, RunKind::kNormal);
      if (repertoire_)
        letters_.AddLetter(Letter{kAsciiLetter[cp], analysis::kNoMod, analysis::kNoTone});
      run_end_ = at + 1;
      ++p;
      continue;
    }
    if (cp >= 0x80) {
      bool valid;
      len = utf8::Decode(p, end, &cp, &valid);
      if (!valid) {
        if (options_.strict_utf8) {
          return Status::InvalidArgument("invalid UTF-8 at byte offset " + std::to_string(at));
        }
        builder_->AddInvalidUtf8();
        EndRun();
        builder_->AddSeparator(CharClass::kBreak);
        p += len;
        continue;
      }
    }
    Letter letter;
    if (analysis::DecodeLetter(cp, &letter)) {
      // A Vietnamese letter (or đ, or a look-alike): no ICU call.
      EnterRun(at, RunKind::kNormal);
      if (repertoire_) letters_.AddLetter(letter);
      run_end_ = at + static_cast<std::uint32_t>(len);
      p += len;
      continue;
    }
    const CharClass cls = analysis::Classify(cp);
    switch (cls) {
      case CharClass::kLetter:  // DecodeLetter() above took every one
        break;
      case CharClass::kOtherWord:
        EnterRun(at, RunKind::kNormal);
        repertoire_ = false;
        run_end_ = at + static_cast<std::uint32_t>(len);
        break;
      case CharClass::kMark:
      case CharClass::kOtherMark:
        // A mark extends a word; one after a space or a Thai run is dropped
        // ("thi ̣trường" in the corpus).
        if (run_ == RunKind::kNormal) {
          std::uint8_t mod, tone;
          if (repertoire_ &&
              (!analysis::DecodeMark(cp, &mod, &tone) || !letters_.AddMark(mod, tone))) {
            repertoire_ = false;
          }
          run_end_ = at + static_cast<std::uint32_t>(len);
        } else if (run_ == RunKind::kComplex) {
          EndRun();
        }
        break;
      case CharClass::kIgnorable: break;
      case CharClass::kIdeograph: {
        EndRun();
        const Forms forms =
            analysis::FormsWithIcu(icu::UnicodeString(static_cast<UChar32>(cp)),
                                   options_.max_token_bytes, &scratch_, builder_->buffer());
        AddWord(at, at + static_cast<std::uint32_t>(len), forms);
        break;
      }
      case CharClass::kComplex:
        EnterRun(at, RunKind::kComplex);
        run_end_ = at + static_cast<std::uint32_t>(len);
        break;
      case CharClass::kSpace:
      case CharClass::kConnector:
      case CharClass::kBreak:
        EndRun();
        builder_->AddSeparator(cls);
        break;
    }
    p += len;
  }
  EndRun();
  builder_->Finish();
  return Status::OK();
}

icu::UnicodeString Scanner::RunText(std::vector<std::uint32_t>* offsets,
                                    std::vector<std::uint32_t>* ends) const {
  icu::UnicodeString s;
  const auto* base = reinterpret_cast<const unsigned char*>(text_.data());
  const auto* p = base + run_start_;
  const auto* end = base + run_end_;
  while (p < end) {
    char32_t cp;
    bool valid;
    const std::size_t len = utf8::Decode(p, end, &cp, &valid);
    if (analysis::Classify(cp) != CharClass::kIgnorable) {
      s.append(static_cast<UChar32>(cp));
      if (offsets != nullptr) {
        const auto at = static_cast<std::uint32_t>(p - base);
        const int units = U16_LENGTH(cp);
        for (int u = 0; u < units; ++u) {
          offsets->push_back(at);
          ends->push_back(at + static_cast<std::uint32_t>(len));
        }
      }
    }
    p += len;
  }
  return s;
}

void Scanner::EndRun() {
  if (run_ == RunKind::kNone) return;
  if (run_ == RunKind::kComplex) {
    EndComplexRun();
  } else if (repertoire_) {
    AddWord(run_start_, run_end_, letters_.Write(options_.max_token_bytes, builder_->buffer()));
  } else {
    const icu::UnicodeString s = RunText(nullptr, nullptr);
    AddWord(run_start_, run_end_,
            analysis::FormsWithIcu(s, options_.max_token_bytes, &scratch_, builder_->buffer()));
  }
  run_ = RunKind::kNone;
}

void Scanner::EndComplexRun() {
  std::vector<std::uint32_t> offsets, ends;
  const icu::UnicodeString s = RunText(&offsets, &ends);
  const std::vector<std::int32_t> bounds = analysis::SegmentComplex(s);
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    const std::int32_t b0 = bounds[i], b1 = bounds[i + 1];
    const Forms forms = analysis::FormsWithIcu(
        s.tempSubStringBetween(b0, b1), options_.max_token_bytes, &scratch_, builder_->buffer());
    AddWord(offsets[static_cast<std::size_t>(b0)], ends[static_cast<std::size_t>(b1 - 1)], forms);
  }
}

}  // namespace

Status Analyzer::Analyze(std::string_view text, Analysis* out) const {
  if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
    out->Clear();
    return Status::InvalidArgument("text of " + std::to_string(text.size()) +
                                   " bytes is too long to analyse (the limit is 4 GiB)");
  }
  AnalysisBuilder builder(options_, out);
  Scanner scanner(options_, text, &builder);
  Status s = scanner.Run();
  if (!s.ok()) out->Clear();
  return s;
}

}  // namespace tim
