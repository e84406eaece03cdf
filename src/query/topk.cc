#include "query/topk.h"

#include <algorithm>
#include <utility>

namespace tim::query {
namespace {

// "a is worse than b": lower score, or the same score and a later document.
inline bool Worse(const TopK::Entry& a, const TopK::Entry& b) {
  return a.score < b.score || (a.score == b.score && a.doc > b.doc);
}

void SiftDown(std::vector<TopK::Entry>* h, std::size_t i) {
  std::vector<TopK::Entry>& v = *h;
  const std::size_t n = v.size();
  for (;;) {
    std::size_t l = 2 * i + 1, worst = i;
    if (l < n && Worse(v[l], v[worst])) worst = l;
    if (l + 1 < n && Worse(v[l + 1], v[worst])) worst = l + 1;
    if (worst == i) return;
    std::swap(v[i], v[worst]);
    i = worst;
  }
}

}  // namespace

void TopK::Push(float score, std::uint64_t doc) {
  if (k_ == 0) return;
  const Entry e{score, doc};
  if (heap_.size() < k_) {
    heap_.push_back(e);
    // Sift up.
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!Worse(heap_[i], heap_[parent])) break;
      std::swap(heap_[i], heap_[parent]);
      i = parent;
    }
    return;
  }
  if (!Worse(heap_.front(), e)) return;
  heap_.front() = e;
  SiftDown(&heap_, 0);
}

std::vector<TopK::Entry> TopK::Sorted() const {
  std::vector<Entry> out = heap_;
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return Worse(b, a); });
  return out;
}

}  // namespace tim::query
