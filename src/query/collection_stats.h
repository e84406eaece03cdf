// Collection statistics (tim::CollectionStats, include/tim/search.h): what
// a query's scoring, rewriting and suggestion read from an index, held by
// name so the statistics of shards merge by summing. StatsView is the one
// door the query core reads them through:
//
//   kLocal     answers from the searcher's own index (a plain search),
//   kRecord    the same, keeping every answer (GatherStats),
//   kSupplied  answers from merged statistics (a sharded search); a
//              question they cannot answer is an InvalidArgument naming it.
//
// Every decision a search makes from statistics (a group's idf, whether a
// word's exact form repeats its folded one, a prefix's expansions, a
// Telex/VNI rewrite, a suggestion) reads them here, so a shard searched
// with the merged statistics decides as one index holding every shard.
#ifndef TIM_QUERY_COLLECTION_STATS_H_
#define TIM_QUERY_COLLECTION_STATS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/segment.h"
#include "tim/search.h"
#include "tim/status.h"
#include "util/hidden.h"

namespace tim {

struct TIM_HIDDEN CollectionStats::Rep {
  struct Field {
    std::uint64_t docs = 0;          // documents holding the field
    std::uint64_t total_length = 0;  // words in it over those documents
  };
  struct Term {
    std::uint64_t doc_freq = 0;
    std::uint64_t total_freq = 0;
  };
  struct Prefix {
    bool capped = false;                      // a shard stopped reading its terms
    std::map<std::string, std::uint64_t> df;  // term -> documents
  };
  using Counts = index::LmCounts;  // a spelling's counts in titles and elsewhere

  std::uint64_t sources = 0;
  std::uint64_t total_docs = 0;
  // Fields by name, in the order first seen (the first source's numbering).
  std::vector<std::pair<std::string, Field>> fields;
  // Term statistics by StatsKey(field name, kind, term).
  std::map<std::string, Term> terms;
  // Prefix expansions by StatsKey(field name, kFolded, prefix).
  std::map<std::string, Prefix> prefixes;
  // Language model: folded n-gram -> spelling -> counts.
  std::map<std::string, std::map<std::string, Counts>> lm;

  Field* FindField(std::string_view name);
  void Merge(const Rep& other);
};

// The one door from a public CollectionStats to its Rep (a friend of it).
struct TIM_HIDDEN CollectionStatsAccess {
  static CollectionStats::Rep& Of(CollectionStats& s) { return *s.rep_; }
  static const CollectionStats::Rep& Of(const CollectionStats& s) { return *s.rep_; }
};

namespace query {

// The key of a term's statistics: field name, kind and term, unambiguous
// whatever bytes the name holds.
std::string StatsKey(std::string_view field, index::TermKind kind, std::string_view term);

class TIM_HIDDEN StatsView {
 public:
  enum class Mode : std::uint8_t { kLocal, kRecord, kSupplied };

  StatsView() = default;  // kLocal
  static StatsView Record(CollectionStats::Rep* rep) {
    StatsView v;
    v.mode_ = Mode::kRecord;
    v.record_ = rep;
    return v;
  }
  static StatsView Supplied(const CollectionStats::Rep* rep) {
    StatsView v;
    v.mode_ = Mode::kSupplied;
    v.supplied_ = rep;
    return v;
  }

  Mode mode() const { return mode_; }
  // Every branch a decision may take must read its statistics (GatherStats).
  bool recording() const { return mode_ == Mode::kRecord; }
  bool supplied() const { return mode_ == Mode::kSupplied; }

  // A term's statistics: `local` (summed over the searcher's segments)
  // unless supplied. InvalidArgument when supplied statistics lack it.
  Status Term(std::string_view field, index::TermKind kind, std::string_view term,
              CollectionStats::Rep::Term local, CollectionStats::Rep::Term* out) const;

  // A prefix's terms and their document frequencies in one field. Supplied:
  // *out from the statistics. Otherwise *out is the caller's local list,
  // recorded as it is.
  Status Prefix(std::string_view field, std::string_view prefix,
                CollectionStats::Rep::Prefix* inout) const;

  // The spellings of a folded n-gram with their counts, as Prefix does.
  using Spellings = std::map<std::string, CollectionStats::Rep::Counts>;
  Status Model(std::string_view folded, Spellings* inout) const;

  const CollectionStats::Rep* supplied_rep() const { return supplied_; }

 private:
  Mode mode_ = Mode::kLocal;
  CollectionStats::Rep* record_ = nullptr;          // kRecord: where answers go
  const CollectionStats::Rep* supplied_ = nullptr;  // kSupplied: where they come from
};

}  // namespace query
}  // namespace tim

#endif  // TIM_QUERY_COLLECTION_STATS_H_
