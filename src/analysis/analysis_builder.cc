#include "analysis/analysis_builder.h"

#include <cstring>

namespace tim {

AnalysisBuilder::AnalysisBuilder(const AnalyzerOptions& options, Analysis* out)
    : options_(options), out_(out) {
  out_->Clear();
}

void AnalysisBuilder::AppendCopy(std::uint32_t offset, std::uint32_t size) {
  std::string& buf = out_->buffer_;
  // Reserve first so the source bytes stay put while they are appended.
  buf.reserve(buf.size() + size);
  buf.append(buf.data() + offset, size);
}

void AnalysisBuilder::AddSeparator(analysis::CharClass cls) {
  using analysis::CharClass;
  if (cls == CharClass::kSpace && (gap_ == Gap::kNone || gap_ == Gap::kSpace)) {
    gap_ = Gap::kSpace;
  } else if (cls == CharClass::kConnector && (gap_ == Gap::kNone || gap_ == Gap::kConnector) &&
             connectors_ < 3) {
    gap_ = Gap::kConnector;
    ++connectors_;
  } else {
    gap_ = Gap::kBreak;
  }
}

void AnalysisBuilder::AddWord(std::uint32_t start, std::uint32_t end,
                              const analysis::Forms& forms) {
  const Gap gap = gap_;
  gap_ = Gap::kNone;
  connectors_ = 0;
  const bool has_previous = last_word_ >= 0;
  if (!(has_previous && gap == Gap::kConnector)) {
    // The chain before this word has ended.
    EmitJoined();
    chain_.clear();
    chain_words_ = 0;
    chain_folded_ = 0;
  }
  std::vector<Token>& tokens = out_->tokens_;
  if (forms.retoned) ++out_->retoned_;
  Token word;
  word.kind = TokenKind::kWord;
  word.position = out_->word_count_++;
  word.start = start;
  word.end = end;
  word.exact_offset = forms.exact_offset;
  word.exact_size = forms.exact_size;
  word.folded_offset = forms.folded_offset;
  word.folded_size = forms.folded_size;
  tokens.push_back(word);
  const auto index = static_cast<std::uint32_t>(tokens.size() - 1);

  if (has_previous && options_.bigrams && (gap == Gap::kSpace || gap == Gap::kNone)) {
    const Token prev = tokens[static_cast<std::size_t>(last_word_)];
    std::string& buf = out_->buffer_;
    Token bigram;
    bigram.kind = TokenKind::kBigram;
    bigram.position = prev.position;
    bigram.start = prev.start;
    bigram.end = end;
    // One resize, then copies from the buffer into its own tail.
    const std::size_t at = buf.size();
    bigram.exact_offset = static_cast<std::uint32_t>(at);
    bigram.exact_size = prev.exact_size + 1 + word.exact_size;
    bigram.folded_offset = bigram.exact_offset + bigram.exact_size;
    bigram.folded_size = prev.folded_size + 1 + word.folded_size;
    buf.resize(at + bigram.exact_size + bigram.folded_size);
    char* p = &buf[at];
    std::memcpy(p, buf.data() + prev.exact_offset, prev.exact_size);
    p += prev.exact_size;
    *p++ = ' ';
    std::memcpy(p, buf.data() + word.exact_offset, word.exact_size);
    p += word.exact_size;
    std::memcpy(p, buf.data() + prev.folded_offset, prev.folded_size);
    p += prev.folded_size;
    *p++ = ' ';
    std::memcpy(p, buf.data() + word.folded_offset, word.folded_size);
    tokens.push_back(bigram);
  }

  // Joined forms are cut at max_token_bytes, so later words add nothing. The
  // folded form is the shorter one: keep words until it is long enough.
  if (chain_folded_ < options_.max_token_bytes) {
    chain_.push_back(index);
    chain_folded_ += word.folded_size;
  }
  ++chain_words_;
  last_word_ = index;
}

void AnalysisBuilder::EmitJoined() {
  if (!options_.joined || chain_words_ < 2) return;
  std::vector<Token>& tokens = out_->tokens_;
  std::string& buf = out_->buffer_;
  const Token& first = tokens[chain_.front()];
  Token joined;
  joined.kind = TokenKind::kJoined;
  joined.position = first.position;
  joined.start = first.start;
  joined.end = tokens[static_cast<std::size_t>(last_word_)].end;
  joined.exact_offset = static_cast<std::uint32_t>(buf.size());
  for (std::uint32_t i : chain_) AppendCopy(tokens[i].exact_offset, tokens[i].exact_size);
  joined.exact_size = analysis::CutAppended(&buf, joined.exact_offset, options_.max_token_bytes);
  joined.folded_offset = static_cast<std::uint32_t>(buf.size());
  for (std::uint32_t i : chain_) AppendCopy(tokens[i].folded_offset, tokens[i].folded_size);
  joined.folded_size = analysis::CutAppended(&buf, joined.folded_offset, options_.max_token_bytes);
  tokens.push_back(joined);
}

void AnalysisBuilder::Finish() { EmitJoined(); }

}  // namespace tim
