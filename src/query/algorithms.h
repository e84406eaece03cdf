// The top-k algorithms, one per file, each running a plan on one segment
// (RunSegment() in segment_search.h picks one):
//
//   - Exhaustive (exhaustive.cc): term at a time. Every posting of every
//     scored spec is added into an array of per-document scores, then the
//     array is scanned for the top k. The reference for the others, and the
//     "score every posting" benchmark; it uses no bound and no other
//     algorithm's code.
//   - MaxScore (maxscore.cc; flat OR and AND, the default): document at a
//     time, in windows of documents where each spec is bounded by its
//     blocks' maxima (block-max data from the skip tables). Specs whose
//     bounds together cannot lift a document into the top k only complete
//     candidates' scores; windows that cannot are skipped whole. AND filters
//     candidates by the required terms and draws them from the rarest one
//     when that is cheaper. Required phrases (Plan::phrases) are checked in
//     their words' positions only for candidates whose score can enter the
//     top k, so it takes them only when not every match is counted.
//   - Conjunctive (conjunctive.cc; flat AND, Algorithm::kConjunctive):
//     leapfrogs the required terms, bounds each match by its blocks' maxima
//     before scoring it. Slower than MaxScore here (docs/performance.md);
//     kept as a second AND path the randomized test checks.
//   - Generic (generic.cc): any boolean tree with phrases; evaluates every
//     candidate, and so counts every match. Also explains one document's
//     score.
//
// MaxScore and Conjunctive share the unit scoring and bounds of
// unit_scorer.h, and count every match (they skip some) with
// CountFlatMatches (count_matches.cc).
#ifndef TIM_QUERY_ALGORITHMS_H_
#define TIM_QUERY_ALGORITHMS_H_

#include <cstdint>
#include <vector>

#include "query/segment_search.h"
#include "query/topk.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim::query {

// Each adds the segment's best matches to *top and their count to *hits
// (see RunSegment()).
Status ExhaustiveSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits);
Status MaxScoreSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits);
// A flat AND plan only.
Status ConjunctiveSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits);
Status GenericSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits);

// Adds the number of documents a flat plan matches to *hits, with bitsets.
Status CountFlatMatches(const SegmentSearch& s, std::uint64_t* hits);

}  // namespace tim::query

#endif  // TIM_QUERY_ALGORITHMS_H_
