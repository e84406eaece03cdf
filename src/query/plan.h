// A query plan: the parsed query (query_parser.h) turned into scored terms
// ("specs") with index-wide statistics, and a match tree saying which
// documents match and which specs score for them. One plan serves every
// segment of a snapshot; segment_search.h runs it on one segment.
//
// Scoring (docs/ranking.md): a spec is one term of one tier in one field.
// Its contribution to a document's score is
//
//   w * tf / (tf + K[doc]),   w = field weight * tier weight * idf * (k1 + 1),
//                             K[doc] = k1 * (1 - b + b * field length / average)
//
// and a document's score is the sum of its specs' contributions, added in
// spec order. Every algorithm sums in that order, so they agree to the bit.
#ifndef TIM_QUERY_PLAN_H_
#define TIM_QUERY_PLAN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/segment.h"
#include "index/snapshot.h"
#include "query/query_parser.h"
#include "tim/analyzer.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim::query {

struct Spec {
  std::string key;  // index::TermKey(field, kind, term)
  std::uint32_t field = 0;
  index::TermKind kind = index::TermKind::kFolded;
  std::string term;  // "hà", "ha", "ha noi"
  float weight = 0;  // field weight x tier weight
  float idf = 0;
  float w = 0;  // weight x idf x (k1 + 1)
  std::uint64_t df = 0;
  std::vector<index::TermInfo> infos;  // per segment; doc_freq 0: absent there
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

struct Plan {
  std::vector<Spec> specs;
  MatchNode root;
  // Flat shapes have fast algorithms: kOr is a root of optional terms (plus
  // exclusions), kAnd has required terms (plus optional ones and
  // exclusions). Phrases and nested booleans are kGeneric.
  enum class Shape : std::uint8_t { kOr, kAnd, kGeneric };
  Shape shape = Shape::kGeneric;
  std::vector<int> positive;               // flat: every scored spec, in order
  std::vector<std::vector<int>> required;  // kAnd: each required term's match specs
  std::vector<std::vector<int>> optional;  // flat: each optional term's match specs
  std::vector<int> excluded;               // flat: match specs of excluded terms
  std::vector<QueryWord> words;
  bool has_diacritics = false;
  std::vector<std::string> notes;
};

// Field weights and BM25 constants resolved against the index's fields.
struct Scoring {
  float k1 = 1.2f, b = 0.75f;
  float folded_weight = 1, exact_weight = 0, bigram_weight = 0;
  std::vector<float> field_weight;  // by field number
  std::vector<float> avg_length;    // by field number
  std::uint64_t total_docs = 0;     // deleted ones included, as df counts them
  std::vector<std::string> field_names;
};

Scoring MakeScoring(const internal::Snapshot& snap, const RankingOptions& options);

// The per-document factor of BM25: k1 (1 - b + b len / avg).
inline float LengthFactor(const Scoring& s, std::uint32_t field, std::uint32_t len) {
  return s.k1 * ((1.0f - s.b) + s.b * (static_cast<float>(len) / s.avg_length[field]));
}

// A spec's contribution for a frequency and a length factor. Kept as one
// inline function so every algorithm computes the same float.
inline float Contribution(float w, std::uint32_t tf, float k) {
  const float t = static_cast<float>(tf);
  return w * (t / (t + k));
}

Status BuildPlan(const internal::Snapshot& snap, const Scoring& scoring, const Analyzer& analyzer,
                 const ParsedQuery& parsed, const SearchOptions& options, Plan* plan);

}  // namespace tim::query

#endif  // TIM_QUERY_PLAN_H_
