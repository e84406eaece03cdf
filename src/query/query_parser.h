// The query language (docs/query.md): words, "phrases", +must, -exclude,
// AND / OR / NOT, parentheses, field:word and prefix*. The parser only finds
// the structure; words are analysed later (src/query/plan.cc), so a word here
// is raw text as typed ("Hà", "covid-19", "TP.HCM").
//
// It never fails on malformed input: an unbalanced quote is closed at the
// end, a lone '-' or a stray ')' is dropped, and each such reading is noted
// for the caller. Limits keep any input bounded: at most max_words words
// (the rest are dropped, with a note) and max_depth nested parentheses.
#ifndef TIM_QUERY_QUERY_PARSER_H_
#define TIM_QUERY_QUERY_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/query.h"
#include "util/limits.h"

namespace tim::query {

// The parser builds the public query objects (include/tim/query.h).
using Occur = tim::Occur;
using Node = tim::Query;

struct ParseOptions {
  bool default_and = false;         // juxtaposed words are all required
  std::vector<std::string> fields;  // names a "field:" prefix may use
  std::size_t max_words = limits::kMaxQueryWords;
  std::size_t max_depth = limits::kMaxQueryTextDepth;
};

struct ParsedQuery {
  Node root;
  bool empty = true;               // no word at all
  std::vector<std::string> notes;  // readings of malformed input, limits applied
};

ParsedQuery ParseQuery(std::string_view query, const ParseOptions& options);

// The query in a canonical bracketed form, for tests and --explain:
// (+a -b c "d e" title:f g*).
std::string DebugString(const Node& node);

// Query::ToString, also setting the offset of every word and phrase in
// `*node` to where its text lands in the string (for suggestions).
std::string QueryString(Node* node);

}  // namespace tim::query

#endif  // TIM_QUERY_QUERY_PARSER_H_
