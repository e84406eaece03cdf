// The Telex and VNI decoders: any word. A decoding is "" or one lowercase
// UTF-8 syllable that the analyzer reads as a single word, and decoding
// is a function (the same word, the same answer).
#include <string>

#include "fuzz/fuzz_text.h"
#include "fuzz/fuzz_util.h"
#include "query/typing.h"
#include "tim/analyzer.h"

namespace tim::fuzz {
std::vector<std::string> Seeds() {
  return {"vieetj",  "vie65t", "vieejt",   "vietej", "d9a2", "dduwowngf", "nguoiwf",
          "giuwax",  "quoocs", "khuyeenr", "uow",    "w",    "hoaf",      "hoa2",
          "tie61ng", "ddaanf", "Ddaf",     "sao",    "zzz",  "aaaaaaaa",  "nghieeng",
          "ngieng",  "qua9",   "xoong",    "ranh"};
}
}  // namespace tim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tim::fuzz;
  const std::string_view word(reinterpret_cast<const char*>(data), size);
  static const tim::Analyzer analyzer;
  for (int vni = 0; vni < 2; ++vni) {
    const std::string out = vni ? tim::query::DecodeVni(word) : tim::query::DecodeTelex(word);
    Check(out == (vni ? tim::query::DecodeVni(word) : tim::query::DecodeTelex(word)),
          "decoding is deterministic");
    if (out.empty()) continue;
    Check(IsUtf8(out), "a decoding is UTF-8");
    Check(out.size() <= word.size() * 3, "a decoding is not longer than its keys allow");
    tim::Analysis analysis;
    Check(analyzer.Analyze(out, &analysis).ok() && analysis.word_count() == 1,
          "a decoding is one word");
    Check(analysis.exact(analysis.tokens()[0]) == out, "a decoding is lowercase NFC");
  }
  return 0;
}
