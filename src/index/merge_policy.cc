#include "index/merge_policy.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace tim::index {

std::vector<std::size_t> PickTieredMerge(const std::vector<std::uint64_t>& live, int merge_factor,
                                         std::uint64_t floor_docs) {
  const auto factor = static_cast<std::size_t>(std::max(merge_factor, 2));
  const double floor = std::max<double>(static_cast<double>(floor_docs), 1);
  std::map<int, std::vector<std::size_t>> tiers;
  for (std::size_t i = 0; i < live.size(); ++i) {
    const double ratio = std::max<double>(static_cast<double>(live[i]), 1) / floor;
    const int tier = ratio < 1 ? 0 : 1 + static_cast<int>(std::log(ratio) / std::log(factor));
    tiers[tier].push_back(i);
  }
  for (auto& [tier, members] : tiers) {
    if (members.size() >= factor) return std::move(members);
  }
  return {};
}

std::vector<std::size_t> PickForceMerge(const std::vector<std::uint64_t>& live,
                                        std::size_t max_segments) {
  max_segments = std::max<std::size_t>(max_segments, 1);
  if (live.size() <= max_segments) return {};
  std::vector<std::size_t> by_size(live.size());
  std::iota(by_size.begin(), by_size.end(), 0);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](std::size_t a, std::size_t b) { return live[a] < live[b]; });
  by_size.resize(live.size() - max_segments + 1);
  std::sort(by_size.begin(), by_size.end());
  return by_size;
}

}  // namespace tim::index
