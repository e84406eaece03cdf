// Every top-k algorithm against the exhaustive reference on random queries
// over a random multi-segment index with deletions: the same hits, the same
// scores to the bit (equal scores in id order), the same hit counts.
// Phrase counts are checked against positions computed from the analyzer.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "index_test_util.h"
#include "search_test_util.h"
#include "tim/analyzer.h"

namespace tim::testing {
namespace {

struct Corpus {
  std::map<std::string, Document> live;
  std::vector<std::string> vocabulary;         // exact word forms
  std::vector<std::vector<std::string>> runs;  // consecutive words of bodies
};

// Builds the index in several commits with deletions and replacements.
Corpus Fill(SearchIndex* idx, std::uint32_t seed, int docs) {
  Corpus c;
  DocGenerator gen(seed);
  Rng rng(seed);
  for (int i = 0; i < docs; ++i) {
    const std::string id = "d" + std::to_string(Uniform(rng, 0, docs * 3 / 4));
    Document d = gen.Make(id);
    EXPECT_TRUE(IsOk(idx->writer().AddDocument(d)));
    c.live[id] = d;
    if (Uniform(rng, 0, 9) == 0) {
      const std::string victim = "d" + std::to_string(Uniform(rng, 0, docs * 3 / 4));
      idx->Delete(victim);
      c.live.erase(victim);
    }
    if (i % (docs / 4) == docs / 4 - 1) idx->Commit();
  }
  idx->Commit();
  Analyzer analyzer;
  Analysis a;
  std::set<std::string> vocab;
  for (const auto& [id, d] : c.live) {
    for (const auto& [field, text] : d.fields) {
      EXPECT_TRUE(IsOk(analyzer.Analyze(text, &a)));
      std::vector<std::string> run;
      for (const Token& t : a.tokens()) {
        if (t.kind != TokenKind::kWord) continue;
        vocab.emplace(a.exact(t));
        run.emplace_back(a.exact(t));
      }
      if (run.size() >= 3) c.runs.push_back(run);
    }
  }
  c.vocabulary.assign(vocab.begin(), vocab.end());
  return c;
}

std::string RandomFlatQuery(Rng& rng, const Corpus& c, bool* conjunctive) {
  const bool plain = Uniform(rng, 0, 1) == 0;  // typed without diacritics
  const std::size_t words = Uniform(rng, 1, 6);
  std::string q;
  *conjunctive = false;
  for (std::size_t i = 0; i < words; ++i) {
    std::string w = c.vocabulary[Uniform(rng, 0, c.vocabulary.size() - 1)];
    if (plain) w = FoldedText(w);
    const std::uint64_t op = Uniform(rng, 0, 9);
    if (op == 0 && i > 0) w = "-" + w;
    if (op == 1) {
      w = "+" + w;
      *conjunctive = true;
    }
    if (op == 2) w = "title:" + w;
    if (!q.empty()) q += " ";
    q += w;
  }
  return q;
}

void ExpectSameResults(const SearchResults& want, const SearchResults& got,
                       const std::string& what) {
  EXPECT_EQ(want.total_hits, got.total_hits) << what;
  ASSERT_EQ(want.hits.size(), got.hits.size()) << what;
  for (std::size_t i = 0; i < want.hits.size(); ++i) {
    EXPECT_EQ(want.hits[i].id, got.hits[i].id) << what << " rank " << i;
    EXPECT_EQ(want.hits[i].score, got.hits[i].score) << what << " rank " << i;
  }
}

// Top k, ids and scores only.
SearchOptions QueryOptions(std::size_t k, bool conj, Algorithm alg) {
  SearchOptions o;
  o.k = k;
  o.algorithm = alg;
  o.snippets = false;
  o.suggest = false;
  o.default_operator = conj ? DefaultOperator::kAnd : DefaultOperator::kOr;
  return o;
}

SearchResults RunQuery(const SearchIndex& idx, const std::string& q, std::size_t k, bool conj,
                       Algorithm alg) {
  const SearchOptions o = QueryOptions(k, conj, alg);
  SearchResults r;
  EXPECT_TRUE(IsOk(idx.searcher().Search(q, o, &r))) << q;
  return r;
}

TEST(SearchRandom, EveryAlgorithmMatchesTheExhaustiveReference) {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    SearchIndex idx;
    const Corpus c = Fill(&idx, seed, 400);
    Rng rng(seed * 7919);
    for (int i = 0; i < 150; ++i) {
      bool conj = false;
      const std::string q = RandomFlatQuery(rng, c, &conj);
      const bool and_mode = Uniform(rng, 0, 2) == 0;
      const std::size_t k = Uniform(rng, 1, 25);
      const std::string what = "seed " + std::to_string(seed) + " query [" + q + "] k " +
                               std::to_string(k) + (and_mode ? " AND" : " OR");
      // Without the fallback: AND with fewer than k hits would rerun as OR
      // in every algorithm alike, so compare the strict AND itself too.
      const SearchResults ref = RunQuery(idx, q, k, and_mode, Algorithm::kExhaustive);
      ExpectSameResults(ref, RunQuery(idx, q, k, and_mode, Algorithm::kMaxScore),
                        what + " maxscore");
      ExpectSameResults(ref, RunQuery(idx, q, k, and_mode, Algorithm::kGeneric), what + " generic");
      ExpectSameResults(ref, RunQuery(idx, q, k, and_mode, Algorithm::kConjunctive),
                        what + " conjunctive");
      ExpectSameResults(ref, RunQuery(idx, q, k, and_mode, Algorithm::kAuto), what + " auto");
      if (::testing::Test::HasFailure()) return;
    }
  }
}

TEST(SearchRandom, PhrasesMatchWhereTheWordsStandTogether) {
  SearchIndex idx;
  const Corpus c = Fill(&idx, 11, 300);
  const ReferenceIndex ref = BuildReference(c.live);
  Rng rng(99);
  for (int i = 0; i < 60; ++i) {
    const auto& run = c.runs[Uniform(rng, 0, c.runs.size() - 1)];
    const std::size_t len = Uniform(rng, 2, 3);
    const std::size_t at = Uniform(rng, 0, run.size() - len);
    std::vector<std::string> folded;
    std::string phrase;
    for (std::size_t j = 0; j < len; ++j) {
      folded.push_back(FoldedText(run[at + j]));
      phrase += (j ? " " : "") + run[at + j];
    }
    // Documents where, in one field, the folded words stand at p, p+1, ...
    std::set<std::string> want;
    for (const auto& [id, doc] : c.live) {
      for (const auto& [field, text] : doc.fields) {
        std::vector<const std::vector<std::uint32_t>*> pos;
        for (const std::string& f : folded) {
          std::string key = field;
          key.push_back('\0');
          key.push_back('0');
          key += f;
          const auto t = ref.postings.find(key);
          if (t == ref.postings.end() || t->second.count(id) == 0) break;
          pos.push_back(&t->second.at(id).second);
        }
        if (pos.size() != folded.size()) continue;
        for (std::uint32_t p : *pos[0]) {
          bool all = true;
          for (std::size_t j = 1; j < pos.size() && all; ++j) {
            all = std::binary_search(pos[j]->begin(), pos[j]->end(), p + j);
          }
          if (all) want.insert(id);
        }
      }
    }
    const SearchResults r = RunQuery(idx, "\"" + phrase + "\"", 1000, false, Algorithm::kAuto);
    std::set<std::string> got;
    for (const Hit& h : r.hits) got.insert(h.id);
    EXPECT_EQ(want, got) << phrase;
    EXPECT_EQ(r.total_hits, want.size()) << phrase;
  }
}

// Phrases ranked without counting every match go through MaxScore, which
// checks positions only for documents that can enter the top k: the same
// hits and scores as the generic evaluator, which checks every candidate.
TEST(SearchRandom, PhrasesCheckedOnlyForTheTopKMatchTheGenericEvaluator) {
  for (std::uint32_t seed : {5u, 6u}) {
    SearchIndex idx;
    const Corpus c = Fill(&idx, seed, 400);
    Rng rng(seed * 31);
    int flat = 0;
    for (int i = 0; i < 120; ++i) {
      const auto& run = c.runs[Uniform(rng, 0, c.runs.size() - 1)];
      const std::size_t len = Uniform(rng, 2, 4);
      if (run.size() < len) continue;
      const std::size_t at = Uniform(rng, 0, run.size() - len);
      std::string phrase;  // a third typed without diacritics
      for (std::size_t j = 0; j < len; ++j) {
        phrase += (j ? " " : "") + (i % 3 == 0 ? FoldedText(run[at + j]) : run[at + j]);
      }
      const std::string other = c.vocabulary[Uniform(rng, 0, c.vocabulary.size() - 1)];
      std::string q = "\"" + phrase + "\"";
      bool and_mode = false;
      switch (i % 5) {
        case 1: q += " +" + other; break;
        case 2:
          q += " -" + other;
          and_mode = true;
          break;
        case 3: q = "title:" + q; break;
        case 4:
          q += " " + other;
          and_mode = true;
          break;
      }
      const std::size_t k = i % 7 == 0 ? 1000 : Uniform(rng, 1, 20);
      const std::string what = "seed " + std::to_string(seed) + " [" + q + "] k " +
                               std::to_string(k) + (and_mode ? " AND" : "");
      SearchOptions o = QueryOptions(k, and_mode, Algorithm::kGeneric);
      o.relax_and = false;
      SearchResults ref;
      ASSERT_TRUE(IsOk(idx.searcher().Search(q, o, &ref))) << what;
      o.exact_total_hits = false;
      for (Algorithm a : {Algorithm::kAuto, Algorithm::kMaxScore, Algorithm::kConjunctive}) {
        o.algorithm = a;
        SearchResults got;
        ASSERT_TRUE(IsOk(idx.searcher().Search(q, o, &got))) << what;
        ASSERT_EQ(ref.hits.size(), got.hits.size()) << what;
        for (std::size_t r = 0; r < ref.hits.size(); ++r) {
          EXPECT_EQ(ref.hits[r].id, got.hits[r].id) << what << " rank " << r;
          EXPECT_EQ(ref.hits[r].score, got.hits[r].score) << what << " rank " << r;
        }
        // Matches are counted where checked: at least the hits, at most all.
        EXPECT_LE(got.total_hits, ref.total_hits) << what;
        EXPECT_GE(got.total_hits, got.hits.size()) << what;
        if (!got.total_hits_exact) ++flat;
      }
      if (::testing::Test::HasFailure()) return;
    }
    // Most of these plans took the flat path (an inexact count says so).
    EXPECT_GT(flat, 150) << "seed " << seed;
  }
}

}  // namespace
}  // namespace tim::testing
