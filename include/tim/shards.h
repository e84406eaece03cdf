// A search over a collection split into shards (indexes on other threads,
// processes or machines), in three rounds, as Elasticsearch's
// query-then-fetch (docs/scale-out.md):
//
//   1. statistics: each shard's Searcher::GatherStats, merged
//      (CollectionStats::Merge), so that every shard scores as one index
//      holding every shard's documents would;
//   2. query: each shard's Searcher::SearchShard gives its best hits, ids
//      and scores only (SearchOptions::snippets off), as a ShardAnswer
//      (bytes to ship: Serialize); MergeShards keeps the best k of them
//      all;
//   3. fetch: each shard holding kept hits dresses them (Searcher::Fetch:
//      title, snippet, highlights, explanation). Snippets are made for the
//      k hits shown, not for k per shard.
//
// With snippets on, the query round dresses every shard's hits and the
// fetch round can be skipped: one round trip fewer for k snippets per
// shard instead of k (docs/scale-out.md measures both).
//
//   CollectionStats all;                       // round 1
//   for (auto& s : shards) { CollectionStats one; s->GatherStats(q, o, &one); all.Merge(one); }
//   std::vector<ShardAnswer> answers(shards.size());   // round 2
//   o.snippets = false;
//   for (i ...) shards[i]->SearchShard(q, o, all, &answers[i]);
//   SearchResults results;
//   std::vector<std::size_t> from;
//   MergeShards(answers, o, &results, &from);
//   for (i ...) {                              // round 3
//     std::vector<Hit> mine = the hits h with from[h] == i;
//     shards[i]->Fetch(q, o, all, results.relaxed, &mine);  // then put them back
//   }
//
// The results are those of one index holding every shard's documents:
// the same hits, scores, order (equal scores by id, RanksBefore), totals,
// relaxation of an AND query, suggestion and rewrite.
#ifndef TIM_SHARDS_H_
#define TIM_SHARDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tim/export.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim {

// One shard's answer to a query (Searcher::SearchShard): its best
// k + offset hits, with ids and scores, and with `dressed` their titles,
// snippets and highlights too.
struct ShardAnswer {
  // The number of hits searched for: the options' k + offset.
  std::size_t requested = 0;
  // Searched with SearchOptions::snippets: every hit has its title and
  // snippet (query and fetch in one round; k + offset snippets per
  // shard). Otherwise ids and scores only, for the fetch round.
  bool dressed = false;
  // The query as asked: with DefaultOperator::kAnd, the documents holding
  // every word. Its hits are the shard's best `requested`, best first.
  SearchResults results;
  // With DefaultOperator::kAnd and relax_and, when this shard alone found
  // fewer than `requested`: the query read as ranked OR, which MergeShards
  // takes when all shards together found too few (as one index would).
  bool has_relaxed = false;
  SearchResults relaxed;
  // With SearchOptions::sort: the type of each sort field in this shard's
  // index (kText for "_score"), so that MergeShards compares the hits'
  // sort_values as numbers, dates or keywords. With facets, each reading's
  // facets count every value (not only the top ones), to merge exactly.
  std::vector<FieldType> sort_types;

  // The answer as bytes to send to the coordinator (docs/format.md,
  // "Shard answer").
  std::string Serialize() const;
  // Reads Serialize()'s bytes. Returns OK, Corruption naming what is wrong
  // (not an answer, bad checksum, malformed at a byte) or NotSupported for
  // a newer version.
  static Status Parse(std::string_view bytes, ShardAnswer* out);
};

// Merges the answers of every shard to one query with these options: hits
// offset + 1 .. offset + k of them all in RanksBefore order (or as
// options.sort says), facets summed over the shards (the top values of
// the sums), total_hits
// summed (exact when every shard's is), postings_scored summed; with
// DefaultOperator::kAnd and relax_and, the ranked-OR reading when the AND
// reading found fewer than k + offset over all shards and the OR reading
// more (relaxed); notes, suggestion and rewritten of the reading taken
// (every shard gives the same, scoring with the same statistics).
// shard_of_hit[i] (when not null) is the index in `answers` of the shard
// holding out->hits[i], to fetch it from. Returns OK, or InvalidArgument
// when there is no answer, or one was made for other options (fewer hits
// requested than k + offset, a relaxed reading missing where one is
// needed), naming it.
TIM_EXPORT Status MergeShards(const std::vector<ShardAnswer>& answers, const SearchOptions& options,
                              SearchResults* out, std::vector<std::size_t>* shard_of_hit);

}  // namespace tim

#endif  // TIM_SHARDS_H_
