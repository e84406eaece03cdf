// The best k documents of a search, kept in a min-heap while the segments
// are walked. Shared by every top-k algorithm (query/algorithms.h).
#ifndef TIM_QUERY_TOPK_H_
#define TIM_QUERY_TOPK_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace tim::query {

// The id of a global document number, for breaking ties. The view stays
// valid while the searcher is open.
using IdOf = std::function<std::string_view(std::uint64_t doc)>;

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
  // `id_of` must outlive the TopK; it is called only for equal scores.
  TopK(std::size_t k, const IdOf* id_of) : k_(k), id_of_(id_of) { heap_.reserve(k); }
  bool full() const { return heap_.size() >= k_; }
  // A document scoring at most this cannot enter: -1 until k documents are
  // in, then the largest float below the k-th score, so that a document
  // tying the k-th score is still offered (Push() then decides by id). Every
  // algorithm prunes with "bound <= threshold()" and pushes when
  // "score > threshold()".
  float threshold() const { return threshold_; }
  void Push(float score, std::uint64_t doc);
  // Best first.
  std::vector<Entry> Sorted() const;

 private:
  // "a ranks below b".
  bool Worse(const Entry& a, const Entry& b) const;
  void SiftDown(std::size_t i);
  void SetThreshold();

  std::size_t k_;
  const IdOf* id_of_;
  float threshold_ = -1.0f;
  std::vector<Entry> heap_;  // min-heap: the worst entry at the front
};

}  // namespace tim::query

#endif  // TIM_QUERY_TOPK_H_
