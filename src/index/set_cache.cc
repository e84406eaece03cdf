#include "index/set_cache.h"

#include <algorithm>
#include <utility>

namespace tim::index {

std::size_t SetCache::BudgetFor(std::uint32_t doc_count) {
  return std::max<std::size_t>(std::size_t{256} << 10, std::size_t{doc_count});
}

std::shared_ptr<const Roaring> SetCache::Find(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->set;
}

void SetCache::Evict(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  by_key_.erase(std::string_view(it->key));
  lru_.erase(it);
}

void SetCache::Insert(std::string_view key, std::shared_ptr<const Roaring> set) {
  if (set == nullptr) return;
  const std::size_t bytes = set->getSizeInBytes(false) + key.size() + 64;
  std::lock_guard<std::mutex> lock(mu_);
  const auto old = by_key_.find(key);
  if (old != by_key_.end()) Evict(old->second);
  if (bytes > budget_) return;
  while (!lru_.empty() && (bytes_ + bytes > budget_ || lru_.size() >= kMaxEntries)) {
    Evict(std::prev(lru_.end()));
  }
  lru_.push_front(Entry{std::string(key), std::move(set), bytes});
  by_key_.emplace(std::string_view(lru_.front().key), lru_.begin());
  bytes_ += bytes;
}

std::size_t SetCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}

std::size_t SetCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace tim::index
