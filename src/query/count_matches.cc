// Counting the matches of a flat plan with bitsets (query/algorithms.h):
// MaxScore and the leapfrog skip documents they never count.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "query/algorithms.h"
#include "query/segment_run.h"

namespace tim::query {

Status CountFlatMatches(const SegmentSearch& s, std::uint64_t* hits) {
  const Plan& plan = *s.plan;
  const internal::SegmentView& view = *s.segment->view;
  const std::uint32_t n = view.reader->doc_count();
  const std::size_t words = (n + 63) / 64;
  std::vector<std::uint64_t> bits(words, 0), group(words);
  Cursors fresh;
  TIM_RETURN_IF_ERROR(fresh.Open(s));
  auto fill = [&](const std::vector<int>& specs, std::vector<std::uint64_t>* out) {
    for (int spec : specs) {
      PostingsCursor& c = fresh[spec];
      for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
        for (std::size_t i = 0; i < m; ++i) {
          const std::uint32_t d = c.block_docs()[i];
          (*out)[d >> 6] |= std::uint64_t{1} << (d & 63);
        }
      }
    }
  };
  for (const auto& g : plan.optional) fill(g, &bits);
  if (!plan.required.empty()) {
    std::fill(bits.begin(), bits.end(), ~std::uint64_t{0});
    for (const auto& g : plan.required) {
      std::fill(group.begin(), group.end(), 0);
      fill(g, &group);
      for (std::size_t i = 0; i < words; ++i) bits[i] &= group[i];
    }
    if (n % 64 != 0) bits[words - 1] &= (std::uint64_t{1} << (n % 64)) - 1;
  }
  std::fill(group.begin(), group.end(), 0);
  fill(plan.excluded, &group);
  TIM_RETURN_IF_ERROR(fresh.status());
  if (view.deletes != nullptr) {
    for (std::uint32_t d : *view.deletes) {
      if (d < n) group[d >> 6] |= std::uint64_t{1} << (d & 63);
    }
  }
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < words; ++i) count += __builtin_popcountll(bits[i] & ~group[i]);
  *hits += count;
  return Status::OK();
}

}  // namespace tim::query
