// Exhaustive top k, term at a time (query/algorithms.h): the reference the
// other algorithms are tested against. It scores every posting of every
// scored spec and uses no bound.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "query/algorithms.h"
#include "query/segment_run.h"

#include <emmintrin.h>  // SSE2: part of x86-64

namespace tim::query {
namespace {

class Exhaustive : public SegmentRun {
 public:
  explicit Exhaustive(const SegmentSearch& s) : SegmentRun(s) {}
  Status Open() { return cur_.Open(s_); }

  Status Run(TopK* top, std::uint64_t* hits) {
    const std::uint32_t n = view_.reader->doc_count();
    SearchScratch own;
    SearchScratch& scratch = s_.scratch != nullptr ? *s_.scratch : own;
    std::vector<float>& acc = scratch.acc;
    std::vector<std::uint64_t>& mask = scratch.mask;
    acc.assign(n, 0.0f);
    const bool conj = plan_.shape == Plan::Shape::kAnd;
    const std::size_t groups = plan_.required.size();
    // Gather, compute, scatter: the middle loop vectorises. (AVX2 and
    // AVX-512 kernels with gathers and scatters measured slower than this on
    // the EPYC machines here, 3.9 and 3.6 against 3.5 ns per posting.) A
    // group of one spec saturates in place; a group of several sums its
    // frequencies per document first, then saturates the documents it
    // touched.
    float value[index::kPostingsBlock], norm[index::kPostingsBlock];
    const Scoring& scoring = *s_.scoring;
    std::vector<float>& freq = scratch.freq;
    std::vector<float>& held = scratch.held;
    std::vector<std::uint32_t>& touched = scratch.touched;
    const bool title_match = plan_.title_total > 0;
    if (title_match) held.assign(n, 0.0f);
    for (int group : plan_.positive) {
      const Group& g = plan_.groups[group];
      const bool single = g.specs.size() == 1;
      if (!single && freq.size() != n) freq.assign(n, 0.0f);
      touched.clear();
      for (int spec : g.specs) {
        PostingsCursor& c = cur_[spec];
        const Spec& sp = plan_.specs[spec];
        const FieldNorms& nf = norm_[sp.field];
        const float fw = sp.field_weight;
        for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
          const std::uint32_t* tfs = c.block_tfs();
          const std::uint32_t* docs = c.block_docs();
          for (std::size_t i = 0; i < m; ++i) norm[i] = nf(docs[i]);
          for (std::size_t i = 0; i < m; ++i) value[i] = FieldFreq(fw, tfs[i], norm[i]);
          if (sp.title && title_match) {
            for (std::size_t i = 0; i < m; ++i) held[docs[i]] += g.title_share;
          }
          if (single) {
            for (std::size_t i = 0; i < m; ++i) value[i] = scoring.Saturate(g.w, value[i]);
            for (std::size_t i = 0; i < m; ++i) acc[docs[i]] += value[i];
          } else {
            for (std::size_t i = 0; i < m; ++i) {
              float& f = freq[docs[i]];
              if (f == 0) touched.push_back(docs[i]);
              f += value[i];
            }
          }
          scored_ += m;
        }
      }
      // Each document's frequency was summed in spec order, as everywhere.
      for (std::uint32_t d : touched) {
        acc[d] += scoring.Saturate(g.w, freq[d]);
        freq[d] = 0;
      }
    }
    if (title_match) {
      for (std::uint32_t d = 0; d < n; ++d) {
        if (held[d] > 0) acc[d] += scoring.TitleMatch(plan_.title_total, held[d]);
      }
    }
    TIM_RETURN_IF_ERROR(cur_.status());
    TIM_RETURN_IF_ERROR(Filter(n, &scratch));
    const std::uint64_t full = groups >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << groups) - 1;
    std::uint64_t count = 0;
    std::uint32_t d = 0;
    if (s_.visit != nullptr) {
      // Every match in document order (sorting, facets), not a top k.
      for (; d < n; ++d) {
        const float v = acc[d];
        if (!(v > 0) || (conj && mask[d] != full)) continue;
        ++count;
        if (!(*s_.visit)(d, v)) break;
      }
      *hits += count;
      return Status::OK();
    }
    if (!conj) {
      // Four documents at a time: count the scored ones, and look closer
      // only where one beats the threshold (most documents score 0).
      float thr = std::max(top->threshold(), 0.0f);
      __m128 t = _mm_set1_ps(thr);
      const __m128 zero = _mm_setzero_ps();
      for (; d + 4 <= n; d += 4) {
        const __m128 v = _mm_loadu_ps(acc.data() + d);
        // Bits set in a 4-bit mask (x86-64's baseline has no popcnt).
        static constexpr std::uint8_t kBits[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
        count += kBits[_mm_movemask_ps(_mm_cmpgt_ps(v, zero))];
        if (_mm_movemask_ps(_mm_cmpgt_ps(v, t)) == 0) continue;
        for (std::uint32_t i = d; i < d + 4; ++i) {
          if (acc[i] > 0 && acc[i] > top->threshold()) top->Push(acc[i], seg_.doc_base + i);
        }
        thr = std::max(top->threshold(), 0.0f);
        t = _mm_set1_ps(thr);
      }
    }
    for (; d < n; ++d) {
      const float v = acc[d];
      if (!(v > 0) || (conj && mask[d] != full)) continue;
      ++count;
      if (v > top->threshold()) top->Push(v, seg_.doc_base + d);
    }
    *hits += count;
    return Status::OK();
  }

 private:
  // With AND, each document's required groups into scratch->mask; excluded
  // and deleted documents' scores to 0. Reads fresh cursors: the scoring
  // pass consumed the others.
  Status Filter(std::uint32_t n, SearchScratch* scratch) {
    std::vector<float>& acc = scratch->acc;
    if (plan_.shape == Plan::Shape::kAnd) {
      std::vector<std::uint64_t>& mask = scratch->mask;
      mask.assign(n, 0);
      Cursors fresh;
      TIM_RETURN_IF_ERROR(fresh.Open(s_));
      for (std::size_t g = 0; g < plan_.required.size(); ++g) {
        for (int spec : plan_.required[g]) {
          PostingsCursor& c = fresh[spec];
          for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
            for (std::size_t i = 0; i < m; ++i) mask[c.block_docs()[i]] |= std::uint64_t{1} << g;
          }
        }
      }
      TIM_RETURN_IF_ERROR(fresh.status());
    }
    if (!plan_.excluded.empty()) {
      Cursors fresh;
      TIM_RETURN_IF_ERROR(fresh.Open(s_));
      for (int spec : plan_.excluded) {
        PostingsCursor& c = fresh[spec];
        for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
          for (std::size_t i = 0; i < m; ++i) acc[c.block_docs()[i]] = 0;
        }
      }
      TIM_RETURN_IF_ERROR(fresh.status());
    }
    if (view_.deletes != nullptr) {
      for (std::uint32_t d : *view_.deletes) {
        if (d < n) acc[d] = 0;
      }
    }
    if (s_.accept != nullptr) {
      // Filtered: only what passes keeps its score.
      std::vector<std::uint64_t> pass((n + 63) / 64, 0);
      for (std::uint32_t d : *s_.accept) {
        if (d < n) pass[d >> 6] |= std::uint64_t{1} << (d & 63);
      }
      for (std::uint32_t d = 0; d < n; ++d) {
        if (((pass[d >> 6] >> (d & 63)) & 1) == 0) acc[d] = 0;
      }
    }
    return Status::OK();
  }
};

}  // namespace

Status ExhaustiveSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits) {
  Exhaustive run(s);
  TIM_RETURN_IF_ERROR(run.Open());
  return run.Run(top, hits);
}

}  // namespace tim::query
