// tim::Query: a query as a tree of objects, for apps that build queries
// from a user's words plus their own filters instead of writing strings.
//
//   // The user's words as typed, and only what has "đà nẵng" in the title:
//   tim::Query q = tim::Query::Text(user_input);
//   q = tim::Query::And({q, tim::Query::Phrase("đà nẵng", "title")});
//   searcher->Search(q, {}, &results);
//
// The query language (docs/query.md) parses into the same objects
// (Searcher::Parse), so a string and the tree it reads as search alike.
// A Query is a plain value: copy it, keep it, use it from any thread.

#ifndef TIM_QUERY_H_
#define TIM_QUERY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/export.h"

namespace tim {

// How a clause of a kBool query takes part in matching.
enum class Occur : std::uint8_t {
  kShould,   // may match; a match scores (a kBool with no kMust clause needs one)
  kMust,     // must match ("+word", "a AND b")
  kMustNot,  // must not match ("-word", "NOT word"); never scores
};

struct TIM_EXPORT Query {
  enum class Kind : std::uint8_t {
    kWord,    // one word as typed ("Hà", "ha", "covid-19"); see `text`
    kPhrase,  // words in this order, side by side ("đà nẵng")
    kBool,    // clauses combined; an empty kBool matches nothing
    kFilter,  // the documents a filter on typed fields passes; see Filter()
  };
  Kind kind = Kind::kBool;
  // kFilter: the filter expression (docs/query.md, "Filters").
  // kWord, kPhrase: the text as typed, analysed at search time with the
  // index's analyzer. A kWord whose text the analyzer splits ("covid-19",
  // "TP.HCM") matches the parts written joined or apart; any other
  // several-word text is searched as a phrase.
  std::string text;
  // kWord: every word starting with `text` ("ha*"), at most
  // SearchOptions::max_prefix_expansions of them.
  bool prefix = false;
  // kWord, kPhrase: search only this field ("title"); "" searches every
  // field. A kBool's field applies to the clauses that name none.
  std::string field;
  // Multiplies the score of everything under this node. Finite, >= 0.
  float weight = 1.0f;
  // kBool: the clauses.
  std::vector<std::pair<Occur, Query>> clauses;
  // kBool: the clauses are words typed side by side (not joined by
  // operators), so adjacent kWord clauses also score their bigram, as the
  // words of a typed query do.
  bool sequence = false;
  // kWord, kPhrase: where `text` starts in the query string it was parsed
  // from (0 for a built query). Searches use it to rewrite suggestions.
  std::size_t offset = 0;

  // One word ("Hà"), or a prefix of words ("ha*" is Prefix("ha")).
  static Query Word(std::string_view text, std::string_view field = {});
  static Query Prefix(std::string_view text, std::string_view field = {});
  static Query Phrase(std::string_view text, std::string_view field = {});
  // A user's raw text read as plain words, whatever characters it holds:
  // what typing it in a search box gives without the query language
  // ("C++ (2024)" is the words "c", "2024"; "-5 độ" keeps the word "5").
  // The same as parsing QuoteText(text).
  static Query Text(std::string_view text);
  // The documents that pass a filter on the index's typed fields, in the
  // syntax of SearchOptions::filters ('category = "Thể thao" AND
  // published >= 2017'). A filter never scores: it narrows the whole
  // query, so it stands beside the words (the query itself, or a kMust or
  // kMustNot clause of the top kBool, or of an AND of it; a kShould clause
  // of words side by side counts as kMust) and never inside an OR or a
  // nested group: a search given one there fails with InvalidArgument.
  // kMustNot keeps what it does not pass. The query language writes it in
  // braces: bóng đá {category = "Thể thao"}, -{published < 2017}.
  //   Query::Text(input).Must(Query::Filter("published >= 2017-01-01"))
  // A query of filters alone lists the documents that pass.
  static Query Filter(std::string_view expression);
  // Every query must match / any may match. Empty queries are left out.
  static Query And(std::vector<Query> queries);
  static Query Or(std::vector<Query> queries);

  // Adds a clause to this kBool and returns *this, for chaining:
  //   Query::Text(input).Must(Query::Word("hà nội", "title")).MustNot(Query::Word("cũ"))
  // A non-kBool query first becomes the kShould clause of a new kBool.
  Query& Should(Query q);
  Query& Must(Query q);
  Query& MustNot(Query q);
  // Sets `weight` and returns *this.
  Query& Weighted(float w);

  // True when the query holds no word that could match (an empty kBool,
  // or only kMustNot clauses).
  bool empty() const;

  // The query in the query language; parsing it gives this query back
  // (weights aside: the language has none).
  std::string ToString() const;
};

// `raw` rewritten so the query parser reads it as plain words: quotes,
// parentheses, braces, a leading '+' or '-', a trailing '*', "field:" and the
// operators AND, OR, NOT, && and || lose their meaning. Words keep their
// spelling ("covid-19", "TP.HCM", "Hà Nội" are untouched).
TIM_EXPORT std::string QuoteText(std::string_view raw);

}  // namespace tim

#endif  // TIM_QUERY_H_
