// Accent restoration: the accented spelling of a query typed without
// diacritics, decoded from the index's own syllable language model
// (index/language_model.h) and nothing else: no posting list or stored
// document is read.
//
// The query's words form one sequence; words of one chain (adjacent in the
// query, not split by an operator) are linked. Each word's candidates are
// the spellings of its folded form the model holds. A spelling sequence
// scores by the product of
//   P(x | f)        how often x spells the folded syllable f,
//   P(y | x, f)     how often y follows x among the spellings of f after x,
//   P(z | x y, f)   the same after two syllables (title trigrams),
// each smoothed towards the shorter context (Dirichlet priors). Queries
// are often fragments of titles, and as often questions in the words of
// the text: two models read the same counts, one weighing titles a little,
// one almost alone, and the best sequences of each (beam search) are ranked
// by the mixture of the two.
#ifndef TIM_QUERY_SUGGEST_H_
#define TIM_QUERY_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

#include "index/snapshot.h"
#include "query/collection_stats.h"
#include "query/plan.h"
#include "tim/status.h"

namespace tim::query {

// The decoder's settings; the defaults are the tuned ones
// (bench/restore_bench.cc measures them).
struct RestoreParams {
  // Two models share the counts: the text's, where a title occurrence counts
  // title_weight times, and the titles', where it counts title_only_weight
  // times (other text is only a back-off). A spelling scores by
  // title_mixture * P_titles + (1 - title_mixture) * P_text.
  double title_weight = 10.0;
  double title_only_weight = 10000.0;
  double title_mixture = 0.5;
  double unigram_prior = 0.5;   // added to every spelling's count
  double bigram_prior = 8.0;    // weight of P(y) in P(y | x)
  double trigram_prior = 2.0;   // weight of P(z | y) in P(z | x y)
  std::size_t candidates = 12;  // most frequent spellings kept per word
  std::size_t beam = 48;        // sequences kept after each word
  std::size_t rescore = 8;      // best sequences of each model rescored by the mixture
};

// One restored query: each word's spelling (lowercase, exact form) and the
// sequence's log probability.
struct Restoration {
  std::vector<std::string> words;
  double log_prob = 0;
};

// The up to `n` most likely spellings of `folded` (each a folded syllable or
// any other word, kept as is), best first. linked[i] tells whether word i
// follows word i - 1 in the text (linked[0] is ignored).
// The model's counts come through `stats` (collection_stats.h).
Status Restore(const internal::Snapshot& snap, const StatsView& stats,
               const std::vector<std::string>& folded, const std::vector<bool>& linked,
               std::size_t n, const RestoreParams& params, std::vector<Restoration>* out);

// Up to `n` accented spellings of the query, best first, each the query with
// its words respelled (case kept, operators untouched). Empty when the query
// has diacritics; the first is the suggestion only when it differs from the
// words typed (SuggestQuery).
Status RestoreQuery(const internal::Snapshot& snap, const StatsView& stats, std::string_view query,
                    const Plan& plan, std::size_t n, const RestoreParams& params,
                    std::vector<std::string>* out);

// The suggestion: the best restoration when it is not what was typed; empty
// when the query has diacritics or the typed words are already the most
// likely spelling.
Status SuggestQuery(const internal::Snapshot& snap, const StatsView& stats, std::string_view query,
                    const Plan& plan, std::string* out);

}  // namespace tim::query

#endif  // TIM_QUERY_SUGGEST_H_
