// SetCache: sets of a segment's documents worked out from its immutable
// files (the documents a filter passes), kept for later searches of the
// same segment. Apps repeat a few filters across many queries ("this
// section", "this week"); a cached filter costs a search a lookup instead
// of a walk of its columns. Deletions are not in the sets: a search
// subtracts its own snapshot's.
//
// Bounded: at most kMaxEntries sets and a byte budget proportional to the
// segment (budget_bytes); the least recently used go first. Thread-safe:
// searches of any thread share one cache per segment. A set, once handed
// out, stays valid as long as its holder keeps the pointer.

#ifndef TIM_INDEX_SET_CACHE_H_
#define TIM_INDEX_SET_CACHE_H_

#include <roaring/roaring.hh>

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tim::index {

class SetCache {
 public:
  static constexpr std::size_t kMaxEntries = 64;
  // The budget of a segment of `doc_count` documents: room for 8 sets as
  // large as a bitset of every document, and at least 256 KB.
  static std::size_t BudgetFor(std::uint32_t doc_count);

  explicit SetCache(std::size_t budget_bytes) : budget_(budget_bytes) {}
  SetCache(const SetCache&) = delete;
  SetCache& operator=(const SetCache&) = delete;

  // The set kept under `key`, or null; a hit becomes the most recent.
  std::shared_ptr<const Roaring> Find(std::string_view key);
  // Keeps `set` under `key` (replacing any), dropping the least recently
  // used until the entries fit. A set larger than the whole budget is not
  // kept.
  void Insert(std::string_view key, std::shared_ptr<const Roaring> set);

  std::size_t size() const;
  std::size_t bytes() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Roaring> set;
    std::size_t bytes;
  };
  void Evict(std::list<Entry>::iterator it);  // with mu_ held

  const std::size_t budget_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;                                                     // most recent first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_key_;  // views into lru_
  std::size_t bytes_ = 0;
};

}  // namespace tim::index

#endif  // TIM_INDEX_SET_CACHE_H_
