// Rewriting a query typed in Telex or VNI with the input method off
// ("vieetj nam" -> "việt nam"), when the index says so: a word is rewritten
// only when the syllable it decodes to (typing.h) is far more common in the
// index than the word as typed, so English words ("test", "box"), product
// codes ("x100s") and plain Vietnamese stay as typed.

#ifndef TIM_QUERY_REWRITE_H_
#define TIM_QUERY_REWRITE_H_

#include <string>
#include <string_view>
#include <vector>

#include "index/snapshot.h"
#include "query/collection_stats.h"
#include "query/plan.h"
#include "tim/status.h"

namespace tim::query {

// Sets *out to `query` with its typed words decoded, or "" when no word is
// rewritten. Operators, field names and quoted text keep their place: only
// runs of ASCII letters and digits are decoded. Document frequencies come
// through `stats`. With `readings`, it also gets the decoded texts whose
// statistics cover every rewrite any statistics could choose (what
// GatherStats records besides the typed query).
Status RewriteTyped(const internal::Snapshot& snap, const Scoring& scoring, const StatsView& stats,
                    std::string_view query, std::string* out,
                    std::vector<std::string>* readings = nullptr);

}  // namespace tim::query

#endif  // TIM_QUERY_REWRITE_H_
