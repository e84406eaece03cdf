// Running a plan (plan.h) on one segment: the top-k algorithms.
//
//   - Exhaustive: term at a time. Every posting of every scored spec is
//     added into an array of per-document scores, then the array is scanned
//     for the top k. The reference for the others, and the "score every
//     posting" benchmark.
//   - MaxScore (flat OR and AND; the default): document at a time, in
//     windows of documents where each spec is bounded by its blocks' maxima
//     (block-max data from the skip tables). Specs whose bounds together
//     cannot lift a document into the top k only complete candidates' scores;
//     windows that cannot are skipped whole. AND filters candidates by the
//     required terms and draws them from the rarest one when that is cheaper.
//   - Conjunctive (flat AND, Algorithm::kConjunctive): leapfrogs the
//     required terms, bounds each match by its blocks' maxima before scoring
//     it. Slower than MaxScore here (docs/performance.md); kept as a second
//     AND path the randomized test checks.
//   - Generic: any boolean tree with phrases; evaluates every candidate.
//
// Deleted documents are skipped through the segment's Roaring bitmap. Scores
// are summed in spec order everywhere, so all algorithms agree to the bit;
// ties go to the lower document number.
#ifndef TIM_QUERY_SEGMENT_SEARCH_H_
#define TIM_QUERY_SEGMENT_SEARCH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "index/snapshot.h"
#include "query/plan.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim::query {

// What the searcher prepares once per segment of its snapshot.
struct SegmentData {
  const internal::SegmentView* view = nullptr;
  std::uint64_t doc_base = 0;  // global doc number of the segment's doc 0
  // Per field number: LengthNorm() of each document.
  std::vector<std::vector<float>> norm;
  // Document number -> id, so hits need no stored-document read.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> id_spans;  // per doc: start, size
  std::string id_arena;
  std::string_view id(std::uint32_t doc) const {
    return std::string_view(id_arena).substr(id_spans[doc].first, id_spans[doc].second);
  }
};

// The best k documents seen so far, by score, then by lower global doc.
class TopK {
 public:
  struct Entry {
    float score;
    std::uint64_t doc;
  };
  explicit TopK(std::size_t k) : k_(k) { heap_.reserve(k); }
  bool full() const { return heap_.size() >= k_; }
  // The score a document must beat (documents come in increasing order, so
  // a tie loses); -1 until k documents are in.
  float threshold() const { return full() && k_ > 0 ? heap_.front().score : -1.0f; }
  void Push(float score, std::uint64_t doc);
  // Best first.
  std::vector<Entry> Sorted() const;

 private:
  std::size_t k_;
  std::vector<Entry> heap_;  // min-heap: the worst entry at the front
};

struct SegmentSearch {
  const Plan* plan = nullptr;
  const Scoring* scoring = nullptr;
  const SegmentData* segment = nullptr;
  std::size_t segment_index = 0;
  Algorithm algorithm = Algorithm::kAuto;
  bool count_all = true;            // count every match into *hits
  std::uint64_t* scored = nullptr;  // adds the postings scored, when set
  // When set, every match of the segment goes here, in document order,
  // instead of into the top k; returning false stops the walk. Only the
  // generic evaluator (Algorithm::kGeneric) calls it.
  const std::function<bool(std::uint32_t doc, float score)>* visit = nullptr;
};

// Adds the segment's matches to *top and their count to *hits (a lower
// bound when count_all is false).
Status RunSegment(const SegmentSearch& s, TopK* top, std::uint64_t* hits);

// The score of one document with its parts; *matched false when it does
// not match the query.
Status ExplainDoc(const SegmentSearch& s, std::uint32_t doc, bool* matched, float* score,
                  std::vector<ScoreDetail>* details);

}  // namespace tim::query

#endif  // TIM_QUERY_SEGMENT_SEARCH_H_
