// BM25F as tim scores it (docs/ranking.md): the one place that holds the
// formula, the idf, the weights of query words, tiers and fields, the
// length norms, the title match bonus, the bounds the top-k algorithms
// prune with, and the explanation of a score. A ranking change touches
// this unit; the algorithms (query/algorithms.h) only add its numbers up.
//
// A group (plan.h) is one tier of one query word, or one bigram, over every
// field it is searched in. Its field frequencies are weighted and
// length-normalised per field, summed, then saturated once:
//
//   freq   = sum over its specs of  field weight * tf * norm[field][doc],
//            norm = 1 / (1 - b + b * field length / average field length)
//   score  = w * freq / (freq + k1),   w = weight * idf * (k1 + 1)
//   idf    = ln(1 + (N - df + 0.5) / (df + 0.5))
//
// and a document's score is the sum of its groups' scores, plus the title
// match bonus (Scoring::TitleMatch()) when its title holds query words.
// Every algorithm adds a group's specs in spec order, the groups in group
// order and the bonus last, through the functions below, so they all
// compute the same float.
#ifndef TIM_QUERY_BM25F_H_
#define TIM_QUERY_BM25F_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "index/segment.h"
#include "index/snapshot.h"
#include "query/collection_stats.h"
#include "query/word_roles.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim::query {

struct Plan;

using index::kNoField;

// Upper bounds are compared with a margin, so float rounding in a sum of
// bounds never prunes a document whose exact score would enter the top k.
constexpr float kBoundSlack = 1.0f + 1e-5f;

// The per-document factor of a field's frequencies: 1 / (1 - b + b len / avg).
// A field holding a term has a word at least, so a length of 0 (a bound's
// "no smaller length known") counts as 1: the factor stays finite at b = 1.
inline float LengthNormOf(float b, float avg_length, std::uint32_t len) {
  const float l = static_cast<float>(len > 0 ? len : 1);
  return 1.0f / ((1.0f - b) + b * (l / avg_length));
}

// A spec's share of its group's frequency for one document.
inline float FieldFreq(float field_weight, std::uint32_t tf, float norm) {
  return field_weight * static_cast<float>(tf) * norm;
}

// RankingOptions resolved against the fields of an index (or of a
// collection of shards), with the statistics BM25F reads.
struct Scoring {
  RankingOptions options;
  std::vector<std::string> field_names;  // by field number
  std::vector<float> field_weight;       // by field number
  std::vector<float> avg_length;         // by field number
  std::uint64_t total_docs = 0;          // deleted ones included, as df counts them
  std::uint32_t title_field = kNoField;  // the field named "title"

  float k1() const { return options.k1; }
  float b() const { return options.b; }
  // Whether a title match bonus is scored: a weight above 0, and a field
  // named "title" in the index.
  bool HasTitleMatch() const {
    return options.title_match_weight > 0 && title_field < field_names.size();
  }

  // The weight of a query word of this role under query weights whose
  // product is `scale` (a term's ^ boosts), before its tiers share it.
  float WordWeight(WordRole role, float scale) const {
    switch (role) {
      case WordRole::kName: return scale * options.word_weight * options.name_weight;
      case WordRole::kQuestion: return scale * options.word_weight * options.question_word_weight;
      case WordRole::kPlain: break;
    }
    return scale * options.word_weight;
  }
  // The exact tier's share of a word's weight (the folded tier gets the
  // rest), when the query carries diacritics.
  float ExactWeight(float word_weight) const { return word_weight * options.exact_share; }
  // The weight of the bigram of two adjacent words: two names standing
  // together weigh as a name does.
  float BigramWeight(bool names, float scale) const {
    return scale * options.bigram_weight * (names ? options.name_weight : 1.0f);
  }

  // The idf of a term held by `df` documents.
  float Idf(std::uint64_t df) const {
    const double n = static_cast<double>(total_docs);
    const double d = static_cast<double>(df);
    return static_cast<float>(std::log(1.0 + (n - d + 0.5) / (d + 0.5)));
  }
  // What a term of this weight and idf scores at most (its frequency
  // without end): a group's w, and its share of the title match.
  float Ceiling(float weight, float idf) const { return weight * idf * (options.k1 + 1.0f); }
  // A group's score for its summed frequency (> 0).
  float Saturate(float w, float freq) const { return w * (freq / (freq + options.k1)); }

  float LengthNorm(std::uint32_t field, std::uint32_t len) const {
    return LengthNormOf(options.b, avg_length[field], len);
  }
  // A bound on a spec's frequency share in documents where its term occurs
  // at most `max_tf` times in a field at least `min_len` long.
  float FreqBound(float field_weight, std::uint32_t field, std::uint32_t max_tf,
                  std::uint32_t min_len) const {
    return FieldFreq(field_weight, max_tf, LengthNorm(field, min_len));
  }

  // The title match bonus of a document whose title holds query words whose
  // title shares sum (in group order) to `held` (> 0) of the plan's `total`:
  //   title_match_weight x total x (held / total) ^ title_match_power.
  // It grows steeply with the share of the query the title holds: a title
  // that is the query (a headline searched for) gets the whole bonus, a
  // title naming one of a question's words little. It never exceeds
  // title_match_weight x held, which bounds it in the top-k algorithms.
  float TitleMatch(float total, float held) const {
    const float share = held < total ? held / total : 1.0f;
    return options.title_match_weight * total * std::pow(share, options.title_match_power);
  }
};

Scoring MakeScoring(const internal::Snapshot& snap, const RankingOptions& options);

// The scoring of a shard searched with a collection's statistics: the
// document count and average field lengths are the collection's, and its
// fields the shard's own numbers followed by the collection's fields the
// shard lacks (numbered on from there; no segment holds them).
// InvalidArgument when that makes more fields than an index may have.
Status MakeScoring(const internal::Snapshot& snap, const RankingOptions& options,
                   const CollectionStats::Rep& collection, Scoring* out);

// The statistics of the snapshot itself that a collection's scoring reads:
// its document count and field statistics, with no term yet (GatherStats
// records those).
void RecordCollection(const internal::Snapshot& snap, CollectionStats::Rep* out);

// The explanation of one scored spec of `plan` in a document: its term,
// tier, field, tf and field length, its group's idf and weights, and its
// part of the group's score (`group_score`, shared among the group's
// fields by frequency: `freq` of the group's `group_freq`).
ScoreDetail ExplainSpec(const Scoring& scoring, const Plan& plan, int spec, std::uint32_t tf,
                        std::uint32_t field_length, float group_score, float freq,
                        float group_freq);

// The explanation of a title match `bonus`: the title terms of the specs
// flagged in `present` (by spec number).
ScoreDetail ExplainTitleMatch(const Scoring& scoring, const Plan& plan,
                              const std::vector<char>& present, float bonus);

}  // namespace tim::query

#endif  // TIM_QUERY_BM25F_H_
