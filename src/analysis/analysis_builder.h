// Turns what a scanner finds, words and the separators between them, into an
// Analysis: positions, bigrams of words separated by spaces only, and joined
// tokens for words linked by connectors. The fast scanner and the ICU
// reference share it, so the two differ only in how they find words.

#ifndef TIM_ANALYSIS_ANALYSIS_BUILDER_H_
#define TIM_ANALYSIS_ANALYSIS_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/char_class.h"
#include "analysis/word_forms.h"
#include "tim/analyzer.h"

namespace tim {

class AnalysisBuilder {
 public:
  AnalysisBuilder(const AnalyzerOptions& options, Analysis* out);

  std::string* buffer() { return &out_->buffer_; }

  // Adds the next word; its forms must already be in buffer().
  void AddWord(std::uint32_t start, std::uint32_t end, const analysis::Forms& forms);
  // Notes a character between words: kSpace, kConnector, or (any other
  // class) a break. Ignorables and orphan marks are not reported.
  void AddSeparator(analysis::CharClass cls);
  void AddInvalidUtf8() { ++out_->invalid_utf8_; }
  // Emits what the last word still owes (a joined token).
  void Finish();

 private:
  // What stood between the last word and the next one.
  enum class Gap : std::uint8_t {
    kNone,       // nothing: adjacent ideographs, dictionary-split Thai
    kSpace,      // horizontal white space only
    kConnector,  // one to three connectors and nothing else ("COVID-19", "https://")
    kBreak,      // anything else: punctuation, a line break, a symbol
  };

  void EmitJoined();
  void AppendCopy(std::uint32_t offset, std::uint32_t size);

  const AnalyzerOptions& options_;
  Analysis* out_;
  Gap gap_ = Gap::kNone;
  int connectors_ = 0;                // connectors in gap_
  std::int64_t last_word_ = -1;       // index in tokens_ of the previous word
  std::vector<std::uint32_t> chain_;  // word indices of the current connector chain
  std::uint32_t chain_words_ = 0;     // words in the chain, also those not kept
  std::uint32_t chain_folded_ = 0;    // bytes of folded form in the kept words
};

}  // namespace tim

#endif  // TIM_ANALYSIS_ANALYSIS_BUILDER_H_
