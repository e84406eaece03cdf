// Helpers shared by the analyzer tests.

#ifndef TIM_TESTS_TEST_UTIL_H_
#define TIM_TESTS_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "tim/analyzer.h"

namespace tim::testing {

// The exact (or folded) forms of the word tokens of text.
std::vector<std::string> Exact(std::string_view text, const AnalyzerOptions& options = {});
std::vector<std::string> Folded(std::string_view text, const AnalyzerOptions& options = {});
// Every token as "kind:exact/folded@pos".
std::vector<std::string> Describe(std::string_view text, const AnalyzerOptions& options = {});
std::vector<std::string> Describe(const Analysis& analysis);

// ICU's NFD of a UTF-8 string.
std::string Nfd(std::string_view text);

}  // namespace tim::testing

#endif  // TIM_TESTS_TEST_UTIL_H_
