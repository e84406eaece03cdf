// Rewriting a query typed in Telex or VNI with the input method off
// ("vieetj nam" -> "việt nam"), when the index says so: a word is rewritten
// only when the syllable it decodes to (typing.h) is far more common in the
// index than the word as typed, so English words ("test", "box"), product
// codes ("x100s") and plain Vietnamese stay as typed.

#ifndef TIM_QUERY_REWRITE_H_
#define TIM_QUERY_REWRITE_H_

#include <string>
#include <string_view>

#include "index/snapshot.h"
#include "query/plan.h"
#include "tim/status.h"

namespace tim::query {

// Sets *out to `query` with its typed words decoded, or "" when no word is
// rewritten. Operators, field names and quoted text keep their place: only
// runs of ASCII letters and digits are decoded.
Status RewriteTyped(const internal::Snapshot& snap, const Scoring& scoring, std::string_view query,
                    std::string* out);

}  // namespace tim::query

#endif  // TIM_QUERY_REWRITE_H_
