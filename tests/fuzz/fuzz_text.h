// Helpers of the text targets: an independent UTF-8 check and the seeds
// every text target shares.
#ifndef TIM_TESTS_FUZZ_FUZZ_TEXT_H_
#define TIM_TESTS_FUZZ_FUZZ_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace tim::fuzz {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates,
// nothing past U+10FFFF), written from the RFC's table, not from tim's code.
bool IsUtf8(std::string_view s);

// Paragraphs of the articles of corpus/, each one a seed, plus spellings
// the analyzer treats specially (NFD, Telex and VNI, gi, qu, ươ, Đ).
std::vector<std::string> TextSeeds();

// Aborts with `what` when `ok` is false: a finding.
void Check(bool ok, const char* what);

}  // namespace tim::fuzz

#endif  // TIM_TESTS_FUZZ_FUZZ_TEXT_H_
