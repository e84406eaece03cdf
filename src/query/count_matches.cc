// The matches of a flat plan as a bitset (query/segment_search.h), and
// their count (query/algorithms.h): MaxScore and the leapfrog skip
// documents they never count; facets and sorting read the set.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "query/algorithms.h"
#include "query/segment_run.h"

namespace tim::query {

Status FlatMatches(const SegmentSearch& s, std::vector<std::uint64_t>* out) {
  const Plan& plan = *s.plan;
  const internal::SegmentView& view = *s.segment->view;
  const std::uint32_t n = view.reader->doc_count();
  const std::size_t words = (n + 63) / 64;
  std::vector<std::uint64_t>& bits = *out;
  bits.assign(words, 0);
  std::vector<std::uint64_t> group(words);
  Cursors fresh;
  TIM_RETURN_IF_ERROR(fresh.Open(s));
  auto fill = [&](const std::vector<int>& specs, std::vector<std::uint64_t>* to) {
    for (int spec : specs) {
      PostingsCursor& c = fresh[spec];
      for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
        for (std::size_t i = 0; i < m; ++i) {
          const std::uint32_t d = c.block_docs()[i];
          (*to)[d >> 6] |= std::uint64_t{1} << (d & 63);
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
  if (s.accept != nullptr) {
    // Filtered: only what passes counts (deleted documents never pass).
    std::vector<std::uint64_t> pass(words, 0);
    for (std::uint32_t d : *s.accept) {
      if (d < n) pass[d >> 6] |= std::uint64_t{1} << (d & 63);
    }
    for (std::size_t i = 0; i < words; ++i) bits[i] &= pass[i];
  } else if (view.deletes != nullptr) {
    for (std::uint32_t d : *view.deletes) {
      if (d < n) group[d >> 6] |= std::uint64_t{1} << (d & 63);
    }
  }
  for (std::size_t i = 0; i < words; ++i) bits[i] &= ~group[i];
  return Status::OK();
}

Status CountFlatMatches(const SegmentSearch& s, std::uint64_t* hits) {
  std::vector<std::uint64_t> bits;
  TIM_RETURN_IF_ERROR(FlatMatches(s, &bits));
  std::uint64_t count = 0;
  for (const std::uint64_t w : bits) count += __builtin_popcountll(w);
  *hits += count;
  return Status::OK();
}

}  // namespace tim::query
