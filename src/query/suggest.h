// Diacritic suggestions: the accented spelling of a query typed without
// diacritics, chosen from the index's own statistics.
//
// For each query syllable the candidates are the accented spellings of its
// folded form that the exact tier holds (at most kCandidates, the most
// frequent); each candidate scores by its document frequency, and each pair
// of adjacent candidates by how often the index's own text spells the two
// syllables' folded bigram that way (read from a sample of the documents
// holding the bigram: exact terms have no positions). The best sequence
// (Viterbi) is the suggestion: "do thi thong minh" -> "đô thị thông minh",
// although "đó" and "thì" are more frequent alone.
#ifndef TIM_QUERY_SUGGEST_H_
#define TIM_QUERY_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

#include "index/snapshot.h"
#include "query/plan.h"
#include "tim/analyzer.h"
#include "tim/status.h"

namespace tim::query {

// Every spelling of a folded syllable with diacritics and tone marks, in the
// analyzer's canonical exact form ("ma" -> "ma", "má", "mà", "mả", "mã",
// "mạ", ...); the syllable itself when it cannot be Vietnamese.
std::vector<std::string> AccentedForms(std::string_view folded, const Analyzer& analyzer);

// The query with each word replaced by its best accented form; empty when
// the query has diacritics or nothing would change.
Status SuggestQuery(const internal::Snapshot& snap, const Scoring& scoring,
                    const Analyzer& analyzer, std::string_view query, const Plan& plan,
                    std::string* out);

}  // namespace tim::query

#endif  // TIM_QUERY_SUGGEST_H_
