// The inner loop of exhaustive (term-at-a-time) scoring: add one block of a
// term's postings into the per-document accumulator,
//
//   acc[docs[i]] += w * (tfs[i] / (tfs[i] + length_factor[docs[i]]))
//
// with exactly the float operations of Contribution() (plan.h), so every
// kernel gives the same bits. Kernels for AVX-512 and AVX2 are picked at run
// time when the processor has them; the portable one is the reference.
#ifndef TIM_QUERY_SCORE_KERNEL_H_
#define TIM_QUERY_SCORE_KERNEL_H_

#include <cstddef>
#include <cstdint>

namespace tim::query {

enum class ScoreKernel : std::uint8_t { kPortable, kAvx2, kAvx512 };

// The best kernel this processor runs.
ScoreKernel BestScoreKernel();
// Kernels in use; tests and benchmarks may pin one (the processor must have it).
ScoreKernel ActiveScoreKernel();
void SetScoreKernel(ScoreKernel kernel);
const char* ScoreKernelName(ScoreKernel kernel);

// docs are distinct (one term's postings); the SIMD kernels index with
// signed 32-bit lanes, so a segment of 2^31 documents or more must use
// kPortable. tfs convert to float as static_cast<float> does (below 2^31).
void AccumulateBlock(ScoreKernel kernel, const std::uint32_t* docs, const std::uint32_t* tfs,
                     std::size_t n, const float* length_factor, float w, float* acc);

}  // namespace tim::query

#endif  // TIM_QUERY_SCORE_KERNEL_H_
