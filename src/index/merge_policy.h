// Which segments an index merges: pure functions from the live document
// counts of its segments (in the index's order) to the positions of the
// segments to merge into one, as tantivy's MergePolicy and leveldb's
// compaction picking are. IndexWriter applies the choice; these only
// choose, so they are tested alone (tests/merge_policy_test.cc).
#ifndef TIM_INDEX_MERGE_POLICY_H_
#define TIM_INDEX_MERGE_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tim::index {

// The tiered policy (IndexOptions::merge_factor, merge_floor_docs): a
// segment of L live documents is in tier 0 when L < floor_docs, else in
// tier 1 + floor(log(L / floor_docs) / log(merge_factor)) (a segment with
// no live document counts as one). Returns every segment of the lowest
// tier holding at least merge_factor segments, in increasing position;
// empty when no tier is that full. merge_factor below 2 counts as 2,
// floor_docs 0 as 1. Applied after each commit until it returns nothing.
std::vector<std::size_t> PickTieredMerge(const std::vector<std::uint64_t>& live, int merge_factor,
                                         std::uint64_t floor_docs);

// IndexWriter::ForceMerge: the smallest segments (by live documents, the
// earlier first among equals), as many as leave `max_segments` once merged
// into one, in increasing position; empty when there are no more than
// max_segments already. max_segments 0 counts as 1.
std::vector<std::size_t> PickForceMerge(const std::vector<std::uint64_t>& live,
                                        std::size_t max_segments);

}  // namespace tim::index

#endif  // TIM_INDEX_MERGE_POLICY_H_
