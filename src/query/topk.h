// The best k documents of a search, kept in a min-heap while the segments
// are walked. Shared by every top-k algorithm (query/algorithms.h).
#ifndef TIM_QUERY_TOPK_H_
#define TIM_QUERY_TOPK_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tim::query {

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

}  // namespace tim::query

#endif  // TIM_QUERY_TOPK_H_
