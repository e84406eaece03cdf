// A query plan: the parsed query (query_parser.h) turned into scored terms
// with index-wide statistics, and a match tree saying which documents match
// and which terms score for them. One plan serves every segment of a
// snapshot; segment_search.h runs it on one segment.
//
// A spec is one term of one tier in one field: what a postings cursor reads.
// A group is one tier of one query word (or bigram) over every field it is
// searched in: what scores. Scoring is BM25F (docs/ranking.md): a group's
// field frequencies are weighted and length-normalised per field, summed,
// then saturated once:
//
//   freq   = sum over its specs of  field weight * tf * norm[field][doc],
//            norm = 1 / (1 - b + b * field length / average field length)
//   score  = w * freq / (freq + k1),   w = tier weight * idf * (k1 + 1)
//
// and a document's score is the sum of its groups' scores, plus a title
// match bonus (TitleMatch() below) when the title holds query words. Every
// algorithm adds a group's specs in spec order, the groups in group order and
// the bonus last, so they agree to the bit.
#ifndef TIM_QUERY_PLAN_H_
#define TIM_QUERY_PLAN_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/segment.h"
#include "index/snapshot.h"
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

// Field weights, tier weights and BM25 constants resolved against the
// index's fields (RankingOptions documents each).
struct Scoring {
  float k1 = 0, b = 0;
  float word_weight = 0, exact_share = 0, bigram_weight = 0, question_word_weight = 0,
        name_weight = 0, title_match_weight = 0, title_match_power = 1;
  std::uint32_t title_field = UINT32_MAX;  // the field named "title" (UINT32_MAX: none)
  std::vector<float> field_weight;         // by field number
  std::vector<float> avg_length;           // by field number
  std::uint64_t total_docs = 0;            // deleted ones included, as df counts them
  std::vector<std::string> field_names;
};

Scoring MakeScoring(const internal::Snapshot& snap, const RankingOptions& options);

// The scoring of a shard searched with a collection's statistics: the
// document count and average field lengths are the collection's, and its
// fields the shard's own numbers followed by the collection's fields the
// shard lacks (numbered on from there; no segment holds them).
// InvalidArgument when that makes more fields than an index may have.
Status MakeScoring(const internal::Snapshot& snap, const RankingOptions& options,
                   const CollectionStats::Rep& collection, Scoring* out);

// The collection statistics of the snapshot itself: its document count and
// field statistics, with no term yet (GatherStats records those).
void RecordCollection(const internal::Snapshot& snap, CollectionStats::Rep* out);

// The per-document factor of a field's frequencies: 1 / (1 - b + b len / avg).
// A field holding a term has a word at least, so a length of 0 (a bound's
// "no smaller length known") counts as 1: the factor stays finite at b = 1.
inline float LengthNormOf(float b, float avg_length, std::uint32_t len) {
  const float l = static_cast<float>(len > 0 ? len : 1);
  return 1.0f / ((1.0f - b) + b * (l / avg_length));
}
inline float LengthNorm(const Scoring& s, std::uint32_t field, std::uint32_t len) {
  return LengthNormOf(s.b, s.avg_length[field], len);
}

// A spec's share of its group's frequency. This, Saturate() and TitleMatch()
// are the only arithmetic of a score, so every algorithm computes the same
// float.
inline float FieldFreq(float field_weight, std::uint32_t tf, float norm) {
  return field_weight * static_cast<float>(tf) * norm;
}

// A group's contribution for its summed frequency (> 0).
inline float Saturate(float w, float k1, float freq) { return w * (freq / (freq + k1)); }

// The title match bonus of a document whose title holds query words whose
// title_shares sum (in group order) to `held` (> 0) of the plan's total:
//   title_match_weight x total x (held / total) ^ title_match_power.
// It grows steeply with the share of the query the title holds: a title
// that is the query (a headline searched for) gets the whole bonus, a title
// naming one of a question's words little. It never exceeds
// title_match_weight x held, which bounds it in the top-k algorithms.
inline float TitleMatch(const Scoring& s, float total, float held) {
  const float share = held < total ? held / total : 1.0f;
  return s.title_match_weight * total * std::pow(share, s.title_match_power);
}

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
