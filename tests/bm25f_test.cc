// The scoring unit (src/query/bm25f.h) against its definition in
// docs/ranking.md, computed here in double precision, and the properties
// the top-k algorithms rely on: a bound is never below a score it bounds,
// so pruning with it never drops a document that belongs in the top k.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "index/snapshot.h"
#include "query/bm25f.h"
#include "search_test_util.h"

namespace tim::testing {
namespace {

query::Scoring TwoFields(const RankingOptions& options) {
  query::Scoring s;
  s.options = options;
  s.field_names = {"title", "body"};
  s.field_weight = {2.5f, 1.0f};
  s.avg_length = {12.0f, 340.0f};
  s.total_docs = 116144;
  s.title_field = 0;
  return s;
}

double OracleIdf(double n, double df) { return std::log(1.0 + (n - df + 0.5) / (df + 0.5)); }
double OracleNorm(double b, double avg, double len) {
  return 1.0 / (1.0 - b + b * std::max(len, 1.0) / avg);
}

TEST(Bm25f, FormulaMatchesItsDefinition) {
  RankingOptions o;
  o.k1 = 1.2f;
  o.b = 0.75f;
  const query::Scoring s = TwoFields(o);
  for (std::uint64_t df : {1u, 2u, 57u, 4000u, 58072u, 116144u}) {
    EXPECT_NEAR(s.Idf(df), OracleIdf(116144, static_cast<double>(df)), 1e-5) << df;
  }
  // A rarer term weighs more.
  EXPECT_GT(s.Idf(10), s.Idf(11));
  for (std::uint32_t len : {0u, 1u, 12u, 40u, 5000u}) {
    EXPECT_NEAR(s.LengthNorm(0, len), OracleNorm(0.75, 12, len), 1e-6) << len;
    EXPECT_NEAR(s.LengthNorm(1, len), OracleNorm(0.75, 340, len), 1e-6) << len;
  }
  // A field as long as its average is not normalised; b = 0 normalises none.
  EXPECT_FLOAT_EQ(s.LengthNorm(0, 12), 1.0f);
  query::Scoring flat = s;
  flat.options.b = 0;
  EXPECT_FLOAT_EQ(flat.LengthNorm(1, 9000), 1.0f);
  // "hà nội": 3 times in a 20-word title, 5 in a 400-word body, weight 0.333.
  const double freq = 2.5 * 3 * OracleNorm(0.75, 12, 20) + 1.0 * 5 * OracleNorm(0.75, 340, 400);
  const double idf = OracleIdf(116144, 812);
  const double w = 0.333 * idf * 2.2;
  const float f = query::FieldFreq(2.5f, 3, s.LengthNorm(0, 20)) +
                  query::FieldFreq(1.0f, 5, s.LengthNorm(1, 400));
  EXPECT_NEAR(f, freq, 1e-5);
  const float gw = s.Ceiling(0.333f, s.Idf(812));
  EXPECT_NEAR(gw, w, 1e-5);
  EXPECT_NEAR(s.Saturate(gw, f), w * freq / (freq + 1.2), 1e-5);
}

TEST(Bm25f, BoundsAreNeverBelowWhatTheyBound) {
  std::mt19937 rng(20261207);
  for (float b : {0.0f, 0.3f, 0.6f, 1.0f}) {
    for (float k1 : {0.0f, 0.5f, 1.2f, 3.0f}) {
      RankingOptions o;
      o.k1 = k1;
      o.b = b;
      const query::Scoring s = TwoFields(o);
      for (int i = 0; i < 2000; ++i) {
        const std::uint32_t field = rng() % 2;
        const std::uint32_t max_tf = 1 + rng() % 50, min_len = rng() % 600;
        const float fw = s.field_weight[field];
        const float bound = s.FreqBound(fw, field, max_tf, min_len);
        // Any posting of the block: tf up to max_tf, a field at least min_len long.
        const std::uint32_t tf = 1 + rng() % max_tf, len = min_len + rng() % 600;
        const float freq = query::FieldFreq(fw, tf, s.LengthNorm(field, len));
        ASSERT_LE(freq, bound) << "tf " << tf << " len " << len << " b " << b;
        // Saturation keeps the order, and a group never scores its ceiling.
        const float w = s.Ceiling(1.0f, s.Idf(1 + rng() % 116144));
        ASSERT_LE(s.Saturate(w, freq), s.Saturate(w, bound));
        if (k1 > 0) {
          ASSERT_LE(s.Saturate(w, bound), w);
        }
      }
    }
  }
}

TEST(Bm25f, TitleMatchGrowsWithTheShareHeldAndStaysWithinItsBound) {
  RankingOptions o;
  o.title_match_weight = 1.0f;
  o.title_match_power = 7.0f;
  const query::Scoring s = TwoFields(o);
  const float total = 12.5f;
  float last = 0;
  for (int i = 1; i <= 100; ++i) {
    const float held = total * static_cast<float>(i) / 100.0f;
    const float bonus = s.TitleMatch(total, held);
    EXPECT_GE(bonus, last) << held;
    // The bound the algorithms use: title_match_weight x held.
    EXPECT_LE(bonus, o.title_match_weight * held * query::kBoundSlack) << held;
    last = bonus;
  }
  // A title that is the whole query gets the whole bonus, and no more when
  // rounding makes the shares sum past the total.
  EXPECT_FLOAT_EQ(s.TitleMatch(total, total), total);
  EXPECT_FLOAT_EQ(s.TitleMatch(total, total * 1.0001f), total);
  // Half of the query in the title: (1/2)^7 of the bonus.
  EXPECT_NEAR(s.TitleMatch(total, total / 2), total / 128.0, 1e-5);
  query::Scoring off = s;
  off.options.title_match_weight = 0;
  EXPECT_EQ(off.TitleMatch(total, total), 0.0f);
}

TEST(Bm25f, ScoringResolvesTheOptionsAgainstTheIndexFields) {
  SearchIndex idx;
  idx.Add("1", "Thủ đô Hà Nội", "Hà Nội là thủ đô của Việt Nam");
  idx.Add("2", "", "Đà Nẵng, thành phố biển");
  idx.Commit();
  RankingOptions o;
  o.field_weights = {{"body", 0.5f}, {"nơi", 9.0f}};
  o.default_field_weight = 3.0f;
  const internal::Snapshot& snap = internal::SnapshotOf(idx.reader());
  const query::Scoring s = query::MakeScoring(snap, o);
  ASSERT_EQ(s.field_names.size(), s.field_weight.size());
  ASSERT_EQ(s.field_names.size(), s.avg_length.size());
  EXPECT_EQ(s.total_docs, 2u);
  EXPECT_EQ(s.options.k1, o.k1);
  for (std::uint32_t f = 0; f < s.field_names.size(); ++f) {
    SCOPED_TRACE(s.field_names[f]);
    if (s.field_names[f] == "title") {
      EXPECT_EQ(s.title_field, f);
      EXPECT_EQ(s.field_weight[f], 3.0f);      // not listed: the default
      EXPECT_FLOAT_EQ(s.avg_length[f], 4.0f);  // one title of 4 words
    } else if (s.field_names[f] == "body") {
      EXPECT_EQ(s.field_weight[f], 0.5f);
      EXPECT_FLOAT_EQ(s.avg_length[f], 6.5f);  // 8 and 5 words
    }
  }
  EXPECT_NE(s.title_field, query::kNoField);
}

}  // namespace
}  // namespace tim::testing
