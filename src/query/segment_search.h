// Running a plan (plan.h) on one segment: what the searcher prepares per
// segment, and RunSegment(), which picks the top-k algorithm for the plan's
// shape. The algorithms, one per file, are listed in query/algorithms.h.
//
// Deleted documents are skipped through the segment's Roaring bitmap. Scores
// are summed in spec order everywhere, so all algorithms agree to the bit;
// equal scores go by id (query/topk.h).
#ifndef TIM_QUERY_SEGMENT_SEARCH_H_
#define TIM_QUERY_SEGMENT_SEARCH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <roaring/roaring.hh>

#include "index/snapshot.h"
#include "query/norms.h"
#include "query/plan.h"
#include "query/topk.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim::query {

// What the searcher prepares once per segment of its snapshot.
struct SegmentData {
  const internal::SegmentView* view = nullptr;
  std::uint64_t doc_base = 0;  // global doc number of the segment's doc 0
  // Per field number: the norms of the searcher's own scoring.
  SegmentNorms norm;
};

// Buffers an algorithm reuses from one segment to the next within a
// search (the exhaustive pass's per-document arrays). The caller owns it;
// one search uses it at a time.
struct SearchScratch {
  std::vector<float> acc, freq, held;
  std::vector<std::uint64_t> mask;
  std::vector<std::uint32_t> touched;
};

struct SegmentSearch {
  const Plan* plan = nullptr;
  const Scoring* scoring = nullptr;
  const SegmentData* segment = nullptr;
  // The norms `scoring` gives this segment's documents: segment->norm when
  // null (the searcher's own scoring).
  const SegmentNorms* norm = nullptr;
  const SegmentNorms& norms() const { return norm != nullptr ? *norm : segment->norm; }
  std::size_t segment_index = 0;
  Algorithm algorithm = Algorithm::kAuto;
  bool count_all = true;            // count every match into *hits
  std::uint64_t* scored = nullptr;  // adds the postings scored, when set
  // When set, every match of the segment goes here, in document order,
  // instead of into the top k; returning false stops the walk. Only the
  // generic evaluator (Algorithm::kGeneric) and the exhaustive pass
  // (Algorithm::kExhaustive, flat plans without phrases) call it.
  const std::function<bool(std::uint32_t doc, float score)>* visit = nullptr;
  // Reused buffers; when null, an algorithm that needs them allocates its own.
  SearchScratch* scratch = nullptr;
  // With filters: the documents that pass them and are not deleted (the
  // segment view already counts every other one as deleted), and how many.
  // An algorithm may take its candidates from here instead of the query's
  // lists when this is the shorter walk (a selective filter), as Lucene's
  // conjunctions lead with their cheapest clause.
  const Roaring* accept = nullptr;
  std::uint64_t accept_count = 0;
};

// Adds the segment's matches to *top and their count to *hits (a lower
// bound when count_all is false).
Status RunSegment(const SegmentSearch& s, TopK* top, std::uint64_t* hits);

// The documents a flat plan without phrases (Plan::Shape kOr or kAnd)
// matches, as a bitset of the segment's doc_count() bits: no score is
// computed. Filtered (SegmentSearch::accept) and deleted documents are out.
Status FlatMatches(const SegmentSearch& s, std::vector<std::uint64_t>* bits);

// Scores chosen documents of a segment one at a time, in increasing
// document order (the generic evaluator's per-document path, so scores are
// those of every algorithm): for sorting by a typed field, where only the
// documents whose sort value can enter the top k need a score.
class DocScorer {
 public:
  virtual ~DocScorer() = default;
  // Whether `doc` matches the plan, and its score. Documents come in
  // increasing order.
  virtual bool Score(std::uint32_t doc, float* score) = 0;
  // A cursor's error met while scoring, if any.
  virtual Status status() const = 0;
};
Status NewDocScorer(const SegmentSearch& s, std::unique_ptr<DocScorer>* out);

// The score of one document with its parts; *matched false when it does
// not match the query.
Status ExplainDoc(const SegmentSearch& s, std::uint32_t doc, bool* matched, float* score,
                  std::vector<ScoreDetail>* details);

}  // namespace tim::query

#endif  // TIM_QUERY_SEGMENT_SEARCH_H_
