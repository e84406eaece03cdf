// The merge policy (src/index/merge_policy.h) alone: which segments merge,
// from their live document counts, with no index on disk.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "index/merge_policy.h"

namespace tim::testing {
namespace {

using Positions = std::vector<std::size_t>;

TEST(TieredMergePolicy, MergesATierOnceItHoldsMergeFactorSegments) {
  // Factor 4, floor 1000: 999 documents are tier 0, 1000..3999 tier 1.
  EXPECT_EQ(index::PickTieredMerge({10, 20, 30}, 4, 1000), Positions());
  EXPECT_EQ(index::PickTieredMerge({10, 20, 30, 999}, 4, 1000), Positions({0, 1, 2, 3}));
  // Tier 1 full, tier 0 not: tier 1's members, wherever they stand.
  EXPECT_EQ(index::PickTieredMerge({1000, 5, 3999, 2000, 7, 1500}, 4, 1000),
            Positions({0, 2, 3, 5}));
  // Two full tiers: the lowest first.
  EXPECT_EQ(index::PickTieredMerge({1000, 1, 1000, 2, 1000, 3, 1000, 4}, 4, 1000),
            Positions({1, 3, 5, 7}));
  // More than merge_factor members: all of them merge.
  EXPECT_EQ(index::PickTieredMerge({1, 2, 3, 4, 5, 6}, 4, 1000), Positions({0, 1, 2, 3, 4, 5}));
}

TEST(TieredMergePolicy, TiersGrowByTheMergeFactor) {
  // 4,000..15,999 documents: tier 2 at factor 4, floor 1000.
  EXPECT_EQ(index::PickTieredMerge({4000, 15999, 8000, 3999}, 4, 1000), Positions());
  EXPECT_EQ(index::PickTieredMerge({4000, 15999, 8000, 4001, 16000}, 4, 1000),
            Positions({0, 1, 2, 3}));
}

TEST(TieredMergePolicy, DegenerateSettingsAndEmptySegments) {
  // A factor below 2 counts as 2; a floor of 0 as 1.
  EXPECT_EQ(index::PickTieredMerge({1, 1}, 0, 0), Positions({0, 1}));
  EXPECT_EQ(index::PickTieredMerge({1, 2}, 1, 1), Positions());  // tiers 1 and 2
  // A segment whose documents were all deleted counts as one document.
  EXPECT_EQ(index::PickTieredMerge({0, 0, 0}, 3, 1000), Positions({0, 1, 2}));
  EXPECT_EQ(index::PickTieredMerge({}, 10, 1000), Positions());
}

TEST(ForceMergePolicy, MergesTheSmallestSegmentsDownToTheLimit) {
  EXPECT_EQ(index::PickForceMerge({5, 1, 9}, 3), Positions());
  EXPECT_EQ(index::PickForceMerge({5, 1, 9}, 1), Positions({0, 1, 2}));
  // 5 segments down to 3: the three smallest merge into one.
  EXPECT_EQ(index::PickForceMerge({50, 10, 90, 20, 30}, 3), Positions({1, 3, 4}));
  // Among equals, the earlier ones.
  EXPECT_EQ(index::PickForceMerge({7, 7, 7, 7}, 3), Positions({0, 1}));
  // 0 counts as 1.
  EXPECT_EQ(index::PickForceMerge({3, 4}, 0), Positions({0, 1}));
  EXPECT_EQ(index::PickForceMerge({3}, 0), Positions());
}

}  // namespace
}  // namespace tim::testing
