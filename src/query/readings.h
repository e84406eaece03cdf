// The relaxation of a search with default AND, decided in one place for one
// index (Searcher::Search) and for shards (MergeShards): when the AND
// reading finds fewer hits than wanted, the query is read as ranked OR, and
// that reading is taken when it finds more.
#ifndef TIM_QUERY_READINGS_H_
#define TIM_QUERY_READINGS_H_

#include <cstddef>

namespace tim::query {

// Whether an AND reading that found `found` of `wanted` hits tries the OR
// reading.
inline bool TriesRelaxed(std::size_t found, std::size_t wanted) { return found < wanted; }

// Whether the OR reading is taken over the AND reading.
inline bool TakesRelaxed(std::size_t and_found, std::size_t or_found) {
  return or_found > and_found;
}

}  // namespace tim::query

#endif  // TIM_QUERY_READINGS_H_
