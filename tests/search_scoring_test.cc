// The score of every hit, from every top-k algorithm (the exhaustive
// reference among them), against an oracle computed straight from the
// analyzer's postings (tests/index_test_util.h), with its own arithmetic in
// double precision: BM25F over the folded, exact and bigram tiers, and the
// title match bonus, as docs/ranking.md defines them. Random queries of real
// Vietnamese words, typed with and without diacritics, over a random
// multi-segment index.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "index/segment.h"
#include "index_test_util.h"
#include "search_test_util.h"
#include "tim/analyzer.h"

namespace tim::testing {
namespace {

std::string Key(const std::string& field, index::TermKind kind, const std::string& term) {
  std::string key = field;
  key.push_back('\0');
  key.push_back(static_cast<char>('0' + static_cast<int>(kind)));
  return key + term;
}

// One scored term of the oracle: a tier of a query word (or a bigram) over
// the fields.
struct OracleTerm {
  index::TermKind kind;
  std::string term;
  double weight;
  double title_share_weight;  // > 0: counts in the title match bonus
};

class Oracle {
 public:
  Oracle(const ReferenceIndex& ref, const RankingOptions& o) : ref_(ref), o_(o) {
    for (const auto& [id, lengths] : ref.lengths) {
      for (const auto& [field, len] : lengths) {
        if (len == 0) continue;
        total_[field] += len;
        ++with_field_[field];
      }
    }
  }

  double FieldWeight(const std::string& field) const {
    for (const auto& [name, w] : o_.field_weights) {
      if (name == field) return w;
    }
    return o_.default_field_weight;
  }

  // Documents holding a term in a field: id -> tf.
  std::map<std::string, std::uint32_t> Postings(const std::string& field, index::TermKind kind,
                                                const std::string& term) const {
    std::map<std::string, std::uint32_t> out;
    const auto it = ref_.postings.find(Key(field, kind, term));
    if (it == ref_.postings.end()) return out;
    for (const auto& [id, p] : it->second) out[id] = p.first;
    return out;
  }

  // id -> expected score, for every document the query matches.
  std::map<std::string, double> Scores(const std::string& query) const {
    Analyzer analyzer;
    Analysis a;
    EXPECT_TRUE(IsOk(analyzer.Analyze(query, &a)));
    std::vector<OracleTerm> terms;
    bool diacritics = false;
    for (const Token& t : a.tokens()) diacritics |= a.exact(t) != a.folded(t);
    std::set<std::string> matched;
    for (const Token& t : a.tokens()) {
      const std::string exact(a.exact(t)), folded(a.folded(t));
      if (t.kind == TokenKind::kBigram) {
        terms.push_back({index::TermKind::kBigram, folded, o_.bigram_weight, o_.bigram_weight});
        continue;
      }
      if (t.kind != TokenKind::kWord) continue;
      for (const std::string& f : Fields()) {
        for (const auto& [id, tf] : Postings(f, index::TermKind::kFolded, folded))
          matched.insert(id);
      }
      // The exact tier takes its share unless it would repeat the folded one.
      bool same = true;
      for (const std::string& f : Fields()) {
        same &= Postings(f, index::TermKind::kExact, exact) ==
                Postings(f, index::TermKind::kFolded, folded);
      }
      const double word = o_.word_weight;
      if (diacritics && !same) {
        terms.push_back({index::TermKind::kFolded, folded, word * (1 - o_.exact_share), word});
        terms.push_back({index::TermKind::kExact, exact, word * o_.exact_share, 0});
      } else {
        terms.push_back({index::TermKind::kFolded, folded, word, word});
      }
    }
    const double n = static_cast<double>(ref_.docs.size());
    const double k1 = o_.k1, b = o_.b;
    std::map<std::string, double> score, held;
    double total_share = 0;
    for (const OracleTerm& term : terms) {
      std::uint64_t df = 0;
      for (const std::string& f : Fields()) {
        df = std::max<std::uint64_t>(df, Postings(f, term.kind, term.term).size());
      }
      if (df == 0) continue;
      const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      std::map<std::string, double> freq;
      for (const std::string& f : Fields()) {
        const double avg = total_.at(f) / static_cast<double>(with_field_.at(f));
        for (const auto& [id, tf] : Postings(f, term.kind, term.term)) {
          const double len = ref_.lengths.at(id).at(f);
          freq[id] += FieldWeight(f) * tf / (1 - b + b * len / avg);
        }
      }
      for (const auto& [id, fr] : freq) score[id] += term.weight * idf * (k1 + 1) * fr / (fr + k1);
      if (term.title_share_weight > 0 && o_.title_match_weight > 0) {
        const double share = term.title_share_weight * idf * (k1 + 1);
        total_share += share;
        for (const auto& [id, tf] : Postings("title", term.kind, term.term)) held[id] += share;
      }
    }
    for (const auto& [id, h] : held) {
      score[id] +=
          o_.title_match_weight * total_share * std::pow(h / total_share, o_.title_match_power);
    }
    std::map<std::string, double> out;
    for (const std::string& id : matched) out[id] = score[id];
    return out;
  }

 private:
  std::vector<std::string> Fields() const {
    std::vector<std::string> out;
    for (const auto& [f, docs] : with_field_) {
      if (FieldWeight(f) > 0) out.push_back(f);
    }
    return out;
  }

  const ReferenceIndex& ref_;
  RankingOptions o_;
  std::map<std::string, std::uint64_t> total_, with_field_;
};

void CheckAgainstOracle(const RankingOptions& options, std::uint32_t seed) {
  SearchIndex idx(options);
  DocGenerator gen(seed);
  std::map<std::string, Document> live;
  for (int i = 0; i < 300; ++i) {
    Document d = gen.Make("d" + std::to_string(i));
    // Some bodies longer than the norm tables (query/norms.h): their norms
    // are computed, not looked up.
    if (i % 60 == 7) {
      for (auto& [field, text] : d.fields) {
        if (field == "body") text += " " + gen.Text(4100, 4600);
      }
    }
    EXPECT_TRUE(IsOk(idx.writer().AddDocument(d)));
    live[d.id] = d;
    if (i % 100 == 99) idx.Commit();  // three segments
  }
  idx.Commit();
  const ReferenceIndex ref = BuildReference(live);
  const Oracle oracle(ref, options);
  // Query words: the exact forms of the corpus, lower case (no names), and
  // without "gi", a question word when typed without diacritics (their
  // weight has tests of its own).
  std::vector<std::string> vocabulary;
  for (const auto& [key, docs] : ref.postings) {
    const std::size_t z = key.find('\0');
    if (key[z + 1] != '1') continue;  // exact terms
    const std::string term = key.substr(z + 2);
    if (term != "gi" && term != "gì") vocabulary.push_back(term);
  }
  std::sort(vocabulary.begin(), vocabulary.end());
  vocabulary.erase(std::unique(vocabulary.begin(), vocabulary.end()), vocabulary.end());
  Analyzer analyzer;
  Analysis a;
  Rng rng(seed);
  for (int q = 0; q < 80; ++q) {
    const bool plain = Uniform(rng, 0, 1) == 0;
    std::string query;
    for (std::uint64_t w = Uniform(rng, 1, 5); w > 0; --w) {
      std::string word = vocabulary[Uniform(rng, 0, vocabulary.size() - 1)];
      if (plain) {
        EXPECT_TRUE(IsOk(analyzer.Analyze(word, &a)));
        word = std::string(a.folded(a.tokens()[0]));
      }
      query += (query.empty() ? "" : " ") + word;
    }
    const std::map<std::string, double> want = oracle.Scores(query);
    // Every algorithm, the exhaustive reference first: each must match the
    // formula written out above, not merely agree with the others.
    for (const Algorithm algorithm :
         {Algorithm::kExhaustive, Algorithm::kAuto, Algorithm::kMaxScore, Algorithm::kGeneric}) {
      SCOPED_TRACE(static_cast<int>(algorithm));
      SearchOptions so;
      so.k = 1000;
      so.snippets = false;
      so.suggest = false;
      so.algorithm = algorithm;
      const SearchResults got = idx.Search(query, so);
      ASSERT_EQ(got.hits.size(), want.size()) << query;
      double last = INFINITY;
      for (const Hit& h : got.hits) {
        ASSERT_EQ(want.count(h.id), 1u) << query << ": " << h.id;
        const double expect = want.at(h.id);
        EXPECT_NEAR(h.score, expect, 1e-4 * std::max(1.0, expect)) << query << ": " << h.id;
        // Ranked by score: an order the oracle contradicts by more than the
        // float rounding fails.
        EXPECT_LE(expect, last + 1e-4 * std::max(1.0, last)) << query << ": " << h.id;
        last = expect;
      }
    }
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(SearchScoring, DefaultsMatchTheOracle) { CheckAgainstOracle(RankingOptions(), 5); }

TEST(SearchScoring, OtherSettingsMatchTheOracle) {
  RankingOptions o;
  o.k1 = 1.6f;
  o.b = 1.0f;  // a field length of 1 would divide by (1 - b) = 0 without care
  o.field_weights = {{"title", 8.0f}, {"body", 1.0f}, {"tags", 0.5f}};
  o.exact_share = 0.25f;
  o.bigram_weight = 1.0f;
  o.title_match_weight = 3.0f;
  o.title_match_power = 1.0f;
  CheckAgainstOracle(o, 6);
  o.title_match_weight = 0;
  o.k1 = 0;  // binary: every matched term scores its whole weight
  CheckAgainstOracle(o, 7);
}

}  // namespace
}  // namespace tim::testing
