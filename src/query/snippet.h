// Snippets: the best short passage of a text for a query, with the query's
// words highlighted where they stand in the original text.
#ifndef TIM_QUERY_SNIPPET_H_
#define TIM_QUERY_SNIPPET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "query/plan.h"
#include "tim/analyzer.h"
#include "tim/status.h"

namespace tim::query {

struct Snippet {
  std::string text;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;  // byte ranges of text
};

// Picks the window of `text` (about max_bytes long) holding the most distinct
// query words, exact spellings counting a little more; highlights every word
// of it whose folded form is a query word (or starts with a prefix word);
// with prefer_exact, only words spelled exactly as in the query when the
// text has any.
// The window starts and ends on word boundaries, so it never cuts a UTF-8
// character; "…" marks text cut at either end. Without any match it is the
// text's beginning.
Status MakeSnippet(std::string_view text, const std::vector<QueryWord>& words, bool prefer_exact,
                   const Analyzer& analyzer, std::size_t max_bytes, Analysis* scratch,
                   Snippet* out);

}  // namespace tim::query

#endif  // TIM_QUERY_SNIPPET_H_
