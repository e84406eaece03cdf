// The best k documents of a search, kept in a min-heap while the segments
// are walked. Shared by every top-k algorithm (query/algorithms.h).
#ifndef TIM_QUERY_TOPK_H_
#define TIM_QUERY_TOPK_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace tim::query {

// Compares the ids of two global document numbers, for breaking ties:
// negative, zero or positive as a's id is below, equal to or above b's
// (bytewise).
using CompareIds = std::function<int(std::uint64_t a, std::uint64_t b)>;

// The best k documents seen so far: by score, then by id (bytewise, the
// smaller first: tim::RanksBefore in include/tim/search.h). Ties go by id,
// never by document number, so the order does not depend on how documents
// were numbered (indexing threads, segments, shards).
class TopK {
 public:
  struct Entry {
    float score;
    std::uint64_t doc;
  };
  // `compare_ids` must outlive the TopK; it is called only for equal scores.
  TopK(std::size_t k, const CompareIds* compare_ids) : k_(k), compare_ids_(compare_ids) {
    heap_.reserve(k);
  }
  bool full() const { return heap_.size() >= k_; }
  // A document scoring at most this cannot enter: -1 until k documents are
  // in, then the largest float below the k-th score, so that a document
  // tying the k-th score is still offered (Push() then decides by id) --
  // or the k-th score itself when every document still to come has a
  // larger id than the k-th's (see BeginSegment). Every algorithm prunes
  // with "bound <= threshold()" and pushes when "score > threshold()".
  float threshold() const { return threshold_; }
  // Called before the documents of a segment are offered: its global doc
  // numbers start at `base` (segments come in increasing order) and
  // `ids_ascend` tells whether its ids increase with its doc numbers.
  // Within a segment, documents are pushed in increasing doc order.
  void BeginSegment(std::uint64_t base, bool ids_ascend);
  void Push(float score, std::uint64_t doc);
  // Best first.
  std::vector<Entry> Sorted() const;

 private:
  // "a ranks below b".
  bool Worse(const Entry& a, const Entry& b) const;
  // Whether every document still to be pushed in this segment has a larger
  // id than `doc` (a ranked document): then ties with it lose.
  bool TiesLoseTo(std::uint64_t doc) const;
  void SiftDown(std::size_t i);
  void SetThreshold();

  std::size_t k_;
  const CompareIds* compare_ids_;
  std::uint64_t segment_base_ = 0;
  bool ids_ascend_ = false;
  // TiesLoseTo() of a document of an earlier segment, for the last one asked.
  mutable std::uint64_t tie_doc_ = ~std::uint64_t{0};
  mutable bool tie_lose_ = false;
  float threshold_ = -1.0f;
  std::vector<Entry> heap_;  // min-heap: the worst entry at the front
};

}  // namespace tim::query

#endif  // TIM_QUERY_TOPK_H_
