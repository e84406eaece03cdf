// A slow analyzer built on ICU's string functions alone, the oracle for the
// fast one: it decodes with ICU, removes default-ignorables, normalises the
// whole text to NFC, and only then finds words and lowercases each with ICU.
// Token offsets are not computed (they are 0); everything else must equal
// Analyzer::Analyze().

#ifndef TIM_ANALYSIS_REFERENCE_H_
#define TIM_ANALYSIS_REFERENCE_H_

#include <string_view>

#include "tim/analyzer.h"
#include "tim/status.h"

namespace tim::analysis {

Status ReferenceAnalyze(std::string_view text, const AnalyzerOptions& options, Analysis* out);

}  // namespace tim::analysis

#endif  // TIM_ANALYSIS_REFERENCE_H_
