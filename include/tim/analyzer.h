// tim::Analyzer turns UTF-8 text into the tokens tim indexes and searches.
//
// Vietnamese is written syllable by syllable, so a word token is one syllable
// (or one run of letters and digits for other text). Each word token carries
//   - its position (0, 1, 2, ... in word order),
//   - its byte offsets [start, end) in the caller's original text, so snippets
//     can highlight the original spelling,
//   - an exact form: NFC, lowercased, the tone mark placed by one rule, so
//     every spelling of a syllable ("hoà", "hòa", "HOÀ", NFD input) is equal,
//   - a folded form: the exact form without any diacritic and with đ -> d.
// Besides word tokens the analyzer emits
//   - joined tokens: "COVID-19" gives "covid", "19" and the joined "covid19"
//     at the position of "covid"; "TP.HCM" gives "tp", "hcm" and "tphcm",
//   - bigrams: two adjacent words separated only by spaces give a bigram
//     "đô thị" / "do thi" at the position of the first word.
// docs/analysis.md gives every rule with examples.
//
// Thread safety: an Analyzer is immutable after construction; Analyze() may be
// called from many threads at once, each with its own Analysis.

#ifndef TIM_ANALYZER_H_
#define TIM_ANALYZER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tim/export.h"
#include "tim/status.h"

namespace tim {

enum class TokenKind : std::uint8_t {
  kWord = 0,    // a syllable or another run of letters and digits
  kJoined = 1,  // words linked by '-', '.', '/', '@', ... written as one ("covid19")
  kBigram = 2,  // two adjacent words joined by one space ("do thi")
};

// Returns "word", "joined" or "bigram".
TIM_EXPORT const char* TokenKindName(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::uint32_t position = 0;  // word index; joined and bigram tokens take their first word's
  std::uint32_t start = 0;     // byte offset in the original text, on a UTF-8 boundary
  std::uint32_t end = 0;       // one past the last byte; the slice is the original spelling
  // Where the forms live in the owning Analysis's buffer; use Analysis::exact()/folded().
  std::uint32_t exact_offset = 0;
  std::uint32_t exact_size = 0;
  std::uint32_t folded_offset = 0;
  std::uint32_t folded_size = 0;
};

// The result of analysing one text. Reuse one Analysis across calls: its
// token and form buffers keep their capacity, so they stop growing once warm.
class TIM_EXPORT Analysis {
 public:
  // Tokens in text order: each word, then the bigram that ends with it; a
  // joined token right after the last word of its chain.
  const std::vector<Token>& tokens() const { return tokens_; }

  // The forms of a token of this Analysis. The views stay valid until the
  // next Analyze() into this Analysis or its destruction.
  std::string_view exact(const Token& t) const {
    return std::string_view(buffer_.data() + t.exact_offset, t.exact_size);
  }
  std::string_view folded(const Token& t) const {
    return std::string_view(buffer_.data() + t.folded_offset, t.folded_size);
  }

  // Number of word tokens (the next free position).
  std::uint32_t word_count() const { return word_count_; }
  // Number of invalid UTF-8 sequences replaced by U+FFFD (lenient mode).
  std::uint64_t invalid_utf8() const { return invalid_utf8_; }
  // Number of syllables whose tone mark was moved to the canonical vowel
  // ("hoà" -> "hòa") or that carried more than one tone mark.
  std::uint64_t retoned() const { return retoned_; }

  void Clear();

 private:
  friend class AnalysisBuilder;
  std::vector<Token> tokens_;
  std::string buffer_;
  std::uint32_t word_count_ = 0;
  std::uint64_t invalid_utf8_ = 0;
  std::uint64_t retoned_ = 0;
};

struct AnalyzerOptions {
  // Lenient (default): each invalid UTF-8 sequence becomes U+FFFD, which
  // separates tokens, and is counted in Analysis::invalid_utf8(). Strict:
  // Analyze() fails with InvalidArgument naming the byte offset.
  bool strict_utf8 = false;
  // Emit bigram tokens for adjacent words.
  bool bigrams = true;
  // Emit joined tokens for words linked by connectors ("covid19", "tphcm").
  bool joined = true;
  // Forms longer than this many bytes are cut at a character boundary (the
  // offsets still span the whole run). Must be at least 16.
  std::size_t max_token_bytes = 64;
};

class TIM_EXPORT Analyzer {
 public:
  explicit Analyzer(AnalyzerOptions options = AnalyzerOptions());

  const AnalyzerOptions& options() const { return options_; }

  // Analyses `text` into `*out`, replacing what `*out` held. Returns OK, or
  // InvalidArgument for a text of 4 GiB or more (offsets are 32-bit) and,
  // with strict_utf8, for invalid UTF-8 (naming the byte offset). On error
  // `*out` is left empty.
  Status Analyze(std::string_view text, Analysis* out) const;

 private:
  AnalyzerOptions options_;
};

}  // namespace tim

#endif  // TIM_ANALYZER_H_
