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

namespace tim::query {

enum class Occur : std::uint8_t { kShould, kMust, kMustNot };

struct Node {
  enum class Kind : std::uint8_t { kWord, kPhrase, kBool };
  Kind kind = Kind::kWord;
  // kWord / kPhrase: the raw text and where it starts in the query.
  std::string text;
  std::size_t offset = 0;
  bool prefix = false;  // kWord typed with a trailing '*'
  std::string field;    // "" = every field
  // kBool: the clauses. Juxtaposed words are kShould (kMust with a default
  // AND); "+w" and "a AND b" give kMust; "-w", "NOT w" give kMustNot.
  std::vector<std::pair<Occur, Node>> clauses;
  // kBool: its clauses came from juxtaposed words (so adjacent kWord clauses
  // form bigrams), not from an explicit operator chain.
  bool sequence = false;
};

struct ParseOptions {
  bool default_and = false;         // juxtaposed words are all required
  std::vector<std::string> fields;  // names a "field:" prefix may use
  std::size_t max_words = 64;
  std::size_t max_depth = 16;
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

}  // namespace tim::query

#endif  // TIM_QUERY_QUERY_PARSER_H_
