#include "query/topk.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace tim::query {

bool TopK::Worse(const Entry& a, const Entry& b) const {
  if (a.score != b.score) return a.score < b.score;
  if (a.doc == b.doc) return false;
  return (*compare_ids_)(a.doc, b.doc) > 0;
}

void TopK::SiftDown(std::size_t i) {
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t l = 2 * i + 1, worst = i;
    if (l < n && Worse(heap_[l], heap_[worst])) worst = l;
    if (l + 1 < n && Worse(heap_[l + 1], heap_[worst])) worst = l + 1;
    if (worst == i) return;
    std::swap(heap_[i], heap_[worst]);
    i = worst;
  }
}

bool TopK::TiesLoseTo(std::uint64_t doc) const {
  if (!ids_ascend_ || compare_ids_ == nullptr) return false;
  // Pushed earlier in this segment: every later document has a larger
  // number, so a larger id.
  if (doc >= segment_base_) return true;
  // From an earlier segment: every document of this one has an id at least
  // its first's.
  if (doc != tie_doc_) {
    tie_doc_ = doc;
    tie_lose_ = (*compare_ids_)(doc, segment_base_) < 0;
  }
  return tie_lose_;
}

void TopK::BeginSegment(std::uint64_t base, bool ids_ascend) {
  segment_base_ = base;
  ids_ascend_ = ids_ascend;
  tie_doc_ = ~std::uint64_t{0};
  SetThreshold();
}

void TopK::SetThreshold() {
  if (!full() || k_ == 0) {
    threshold_ = -1.0f;
    return;
  }
  const Entry& kth = heap_.front();
  threshold_ = TiesLoseTo(kth.doc)
                   ? kth.score
                   : std::nextafter(kth.score, -std::numeric_limits<float>::infinity());
}

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
    SetThreshold();
    return;
  }
  if (!Worse(heap_.front(), e)) return;
  heap_.front() = e;
  SiftDown(0);
  SetThreshold();
}

std::vector<TopK::Entry> TopK::Sorted() const {
  std::vector<Entry> out = heap_;
  std::sort(out.begin(), out.end(), [this](const Entry& a, const Entry& b) { return Worse(b, a); });
  return out;
}

}  // namespace tim::query
