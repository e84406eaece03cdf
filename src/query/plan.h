// A query plan: the parsed query (query_parser.h) turned into scored terms
// with index-wide statistics, and a match tree saying which documents match
// and which terms score for them. One plan serves every segment of a
// snapshot; segment_search.h runs it on one segment.
//
// A spec is one term of one tier in one field: what a postings cursor reads.
// A group is one tier of one query word (or bigram) over every field it is
// searched in: what scores, as BM25F (query/bm25f.h) defines it.
#ifndef TIM_QUERY_PLAN_H_
#define TIM_QUERY_PLAN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/segment.h"
#include "index/snapshot.h"
#include "query/bm25f.h"
#include "query/collection_stats.h"
#include "query/query_parser.h"
#include "tim/analyzer.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim::query {

struct Spec {
  std::string key;  // index::TermKey(field, kind, term)
  std::uint32_t field = 0;
  index::TermKind kind = index::TermKind::kFolded;
  std::string term;        // "hà", "ha", "ha noi"
  float field_weight = 0;  // multiplies the term's frequency in this field
  std::uint64_t df = 0;
  int group = -1;
  bool title = false;                  // the title field's spec of a group with a title_share
  std::vector<index::TermInfo> infos;  // per segment; doc_freq 0: absent there
};

struct Group {
  index::TermKind kind = index::TermKind::kFolded;
  std::string term;
  float weight = 0;        // tier weight x word weight
  float idf = 0;           // from df
  float w = 0;             // weight x idf x (k1 + 1)
  std::uint64_t df = 0;    // the largest of its specs' (as Lucene's BM25F)
  std::vector<int> specs;  // increasing
  // A query word's folded group, or an adjacency bigram's: what the term
  // scores at most (the word's whole weight, or the bigram's, x idf x
  // (k1 + 1)), its share of the title match when the title holds it; else 0.
  float title_share = 0;
};

struct MatchNode {
  enum class Kind : std::uint8_t { kTerm, kPhrase, kBool };
  Kind kind = Kind::kBool;
  // kTerm: the specs whose documents are the term's documents (its folded
  // form in each field, or a prefix's expansions).
  std::vector<int> match;
  // Specs scored when the node matches (a term's tiers; a phrase's words and
  // bigrams; a word sequence's bigrams).
  std::vector<int> score;
  // kPhrase: for each field, the folded spec of each word (in query order),
  // and each word's position relative to the first.
  std::vector<std::vector<int>> phrase;
  std::vector<std::uint32_t> offsets;
  // kBool.
  std::vector<std::pair<Occur, MatchNode>> clauses;
};

// A query word as analysed, for snippets and suggestions.
struct QueryWord {
  std::string exact, folded;
  std::size_t start = 0, end = 0;  // bytes of the original query
  bool prefix = false;
  bool excluded = false;  // under a NOT
  int chain = -1;         // words of one sequence or phrase share a chain number
};

// A phrase a flat AND plan's matches must hold: for each field, the folded
// spec of each word (MatchNode::phrase), and each word's position relative
// to the first (MatchNode::offsets).
struct PhraseCheck {
  std::vector<std::vector<int>> fields;
  std::vector<std::uint32_t> offsets;
};

struct Plan {
  std::vector<Spec> specs;
  std::vector<Group> groups;
  MatchNode root;
  // Flat shapes have fast algorithms: kOr is a root of optional terms (plus
  // exclusions), kAnd has required terms (plus optional ones and
  // exclusions) and may have required phrases (`phrases`). Other phrases
  // and nested booleans are kGeneric.
  enum class Shape : std::uint8_t { kOr, kAnd, kGeneric };
  Shape shape = Shape::kGeneric;
  std::vector<int> positive;               // flat: every scored group, in order
  std::vector<std::vector<int>> required;  // kAnd: each required term's match specs
  std::vector<std::vector<int>> optional;  // flat: each optional term's match specs
  std::vector<int> excluded;               // flat: match specs of excluded terms
  // kAnd: phrases every match holds (their words are among `required`).
  // Only MaxScore checks them, and only for documents that can enter the
  // top k; the other algorithms take such a plan to the generic evaluator
  // (RunSegment()).
  std::vector<PhraseCheck> phrases;
  std::vector<QueryWord> words;
  // The sum of every title_share (0: no title match bonus), and the title
  // specs of the groups with one, in group order.
  float title_total = 0;
  std::vector<int> title_specs;
  bool has_diacritics = false;
  std::vector<std::string> notes;
};

// Term statistics come through `stats` (collection_stats.h): the
// snapshot's own, recorded, or a collection's.
Status BuildPlan(const internal::Snapshot& snap, const Scoring& scoring, const Analyzer& analyzer,
                 const ParsedQuery& parsed, const SearchOptions& options, const StatsView& stats,
                 Plan* plan);

// Only Plan::words, has_diacritics and notes, as BuildPlan fills them,
// without a term looked up in the index: what accent restoration reads.
Status BuildWordPlan(const internal::Snapshot& snap, const Scoring& scoring,
                     const Analyzer& analyzer, const ParsedQuery& parsed, Plan* plan);

}  // namespace tim::query

#endif  // TIM_QUERY_PLAN_H_
