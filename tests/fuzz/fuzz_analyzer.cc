// The analyzer: any bytes, under any options. Every token's offsets must
// fall inside the text on UTF-8 boundaries of it, its forms must be UTF-8,
// and the strict mode must refuse exactly the texts that are not UTF-8.
#include <string>

#include "fuzz/fuzz_text.h"
#include "fuzz/fuzz_util.h"
#include "tim/analyzer.h"

namespace tim::fuzz {
std::vector<std::string> Seeds() {
  std::vector<std::string> out;
  for (const std::string& text : TextSeeds()) out.push_back(std::string(1, '\x06') + text);
  return out;
}
}  // namespace tim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tim::fuzz;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::uint8_t flags = TakeU8(&in);
  tim::AnalyzerOptions options;
  options.strict_utf8 = flags & 1;
  options.bigrams = flags & 2;
  options.joined = flags & 4;
  options.max_token_bytes = 16 + (flags >> 3) * 4;
  const tim::Analyzer analyzer(options);
  tim::Analysis analysis;
  const tim::Status s = analyzer.Analyze(in, &analysis);
  const bool utf8 = IsUtf8(in);
  if (options.strict_utf8) {
    Check(s.ok() == utf8, "strict analysis refuses exactly the texts that are not UTF-8");
    if (!s.ok()) return 0;
  } else {
    Check(s.ok(), "lenient analysis never fails");
    Check((analysis.invalid_utf8() == 0) == utf8, "invalid_utf8() counts the invalid sequences");
  }
  std::uint32_t last_position = 0;
  for (const tim::Token& t : analysis.tokens()) {
    Check(t.start < t.end && t.end <= in.size(), "token offsets inside the text");
    if (utf8) {
      Check(IsUtf8(in.substr(t.start, t.end - t.start)), "token offsets on UTF-8 boundaries");
    }
    Check(IsUtf8(analysis.exact(t)) && IsUtf8(analysis.folded(t)), "token forms are UTF-8");
    Check(!analysis.folded(t).empty(), "no empty form");
    const std::size_t max_form = t.kind == tim::TokenKind::kBigram ? 2 * options.max_token_bytes + 1
                                                                   : options.max_token_bytes;
    Check(analysis.exact(t).size() <= max_form && analysis.folded(t).size() <= max_form,
          "forms are cut at max_token_bytes");
    Check(t.position >= last_position || t.kind != tim::TokenKind::kWord,
          "word positions do not go back");
    if (t.kind == tim::TokenKind::kWord) last_position = t.position;
    Check(t.position < analysis.word_count(), "positions below word_count()");
  }
  // Analysing again into the same Analysis gives the same tokens.
  tim::Analysis again;
  Check(analyzer.Analyze(in, &again).ok() && again.tokens().size() == analysis.tokens().size(),
        "analysis is deterministic");
  return 0;
}
