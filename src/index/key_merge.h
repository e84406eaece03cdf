// KeyMerge: walks several iterators over sorted keys at once, in key order,
// giving each key once with the sources that hold it. Segment merges use it
// over term dictionaries (SegmentReader::TermIterator) and language models
// (SortedTable::Iterator).

#ifndef TIM_INDEX_KEY_MERGE_H_
#define TIM_INDEX_KEY_MERGE_H_

#include <algorithm>
#include <cstddef>
#include <queue>
#include <string>
#include <vector>

#include "tim/status.h"

namespace tim::index {

// Iter has key(), Valid(), Next() and status(). The iterators must be
// positioned (SeekToFirst) and outlive the merge.
template <typename Iter>
class KeyMerge {
 public:
  explicit KeyMerge(std::vector<Iter>* iters) : iters_(*iters), heap_(Greater{iters}) {
    for (std::size_t s = 0; s < iters_.size(); ++s) {
      if (iters_[s].Valid()) heap_.push(s);
    }
  }

  // The next key and the sources holding it, in source order; false when
  // every source is done. The holders stay on the key until Advance().
  bool Next(std::string* key, std::vector<std::size_t>* holders) {
    holders->clear();
    if (heap_.empty()) return false;
    key->assign(iters_[heap_.top()].key());
    while (!heap_.empty() && iters_[heap_.top()].key() == *key) {
      holders->push_back(heap_.top());
      heap_.pop();
    }
    std::sort(holders->begin(), holders->end());
    return true;
  }

  // Moves the holders of the last key on. Returns the first iterator error.
  Status Advance(const std::vector<std::size_t>& holders) {
    for (std::size_t s : holders) {
      iters_[s].Next();
      TIM_RETURN_IF_ERROR(iters_[s].status());
      if (iters_[s].Valid()) heap_.push(s);
    }
    return Status::OK();
  }

 private:
  struct Greater {
    const std::vector<Iter>* iters;
    bool operator()(std::size_t a, std::size_t b) const {
      const int c = (*iters)[a].key().compare((*iters)[b].key());
      return c > 0 || (c == 0 && a > b);
    }
  };
  std::vector<Iter>& iters_;
  std::priority_queue<std::size_t, std::vector<std::size_t>, Greater> heap_;
};

}  // namespace tim::index

#endif  // TIM_INDEX_KEY_MERGE_H_
