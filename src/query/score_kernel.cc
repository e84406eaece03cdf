#include "query/score_kernel.h"

#include <immintrin.h>

#include <atomic>

namespace tim::query {
namespace {

void Portable(const std::uint32_t* docs, const std::uint32_t* tfs, std::size_t n, const float* lf,
              float w, float* acc) {
  float factor[128], contrib[128];
  for (std::size_t base = 0; base < n; base += 128) {
    const std::size_t m = n - base < 128 ? n - base : 128;
    const std::uint32_t* d = docs + base;
    for (std::size_t i = 0; i < m; ++i) factor[i] = lf[d[i]];
    for (std::size_t i = 0; i < m; ++i) {
      const float t = static_cast<float>(tfs[base + i]);
      contrib[i] = w * (t / (t + factor[i]));
    }
    for (std::size_t i = 0; i < m; ++i) acc[d[i]] += contrib[i];
  }
}

__attribute__((target("avx2"))) void Avx2(const std::uint32_t* docs, const std::uint32_t* tfs,
                                          std::size_t n, const float* lf, float w, float* acc) {
  const __m256 vw = _mm256_set1_ps(w);
  alignas(32) float contrib[8];
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i d = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(docs + i));
    const __m256 k = _mm256_i32gather_ps(lf, d, 4);
    const __m256 t =
        _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(tfs + i)));
    _mm256_store_ps(contrib, _mm256_mul_ps(vw, _mm256_div_ps(t, _mm256_add_ps(t, k))));
    for (int j = 0; j < 8; ++j) acc[docs[i + j]] += contrib[j];
  }
  Portable(docs + i, tfs + i, n - i, lf, w, acc);
}

__attribute__((target("avx512f"))) void Avx512(const std::uint32_t* docs, const std::uint32_t* tfs,
                                               std::size_t n, const float* lf, float w,
                                               float* acc) {
  const __m512 vw = _mm512_set1_ps(w);
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i d = _mm512_loadu_si512(docs + i);
    const __m512 k = _mm512_i32gather_ps(d, lf, 4);
    const __m512 t = _mm512_cvtepi32_ps(_mm512_loadu_si512(tfs + i));
    const __m512 c = _mm512_mul_ps(vw, _mm512_div_ps(t, _mm512_add_ps(t, k)));
    // The documents of one term are distinct, so the scatter has no conflicts.
    const __m512 a = _mm512_i32gather_ps(d, acc, 4);
    _mm512_i32scatter_ps(acc, d, _mm512_add_ps(a, c), 4);
  }
  Portable(docs + i, tfs + i, n - i, lf, w, acc);
}

std::atomic<int> g_kernel{-1};

}  // namespace

ScoreKernel BestScoreKernel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return ScoreKernel::kAvx512;
  if (__builtin_cpu_supports("avx2")) return ScoreKernel::kAvx2;
  return ScoreKernel::kPortable;
}

ScoreKernel ActiveScoreKernel() {
  int k = g_kernel.load(std::memory_order_relaxed);
  if (k < 0) {
    k = static_cast<int>(BestScoreKernel());
    g_kernel.store(k, std::memory_order_relaxed);
  }
  return static_cast<ScoreKernel>(k);
}

void SetScoreKernel(ScoreKernel kernel) {
  g_kernel.store(static_cast<int>(kernel), std::memory_order_relaxed);
}

const char* ScoreKernelName(ScoreKernel kernel) {
  switch (kernel) {
    case ScoreKernel::kAvx512: return "avx512";
    case ScoreKernel::kAvx2: return "avx2";
    case ScoreKernel::kPortable: break;
  }
  return "portable";
}

void AccumulateBlock(ScoreKernel kernel, const std::uint32_t* docs, const std::uint32_t* tfs,
                     std::size_t n, const float* length_factor, float w, float* acc) {
  switch (kernel) {
    case ScoreKernel::kAvx512: return Avx512(docs, tfs, n, length_factor, w, acc);
    case ScoreKernel::kAvx2: return Avx2(docs, tfs, n, length_factor, w, acc);
    case ScoreKernel::kPortable: break;
  }
  Portable(docs, tfs, n, length_factor, w, acc);
}

}  // namespace tim::query
