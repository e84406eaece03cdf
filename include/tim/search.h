// Searching a tim index: the query language (docs/query.md), BM25 ranking
// over three tiers of terms (docs/ranking.md), top-k retrieval, snippets and
// diacritic suggestions.
//
//   std::unique_ptr<tim::IndexReader> reader;
//   tim::IndexReader::Open(dir, {}, &reader);
//   std::unique_ptr<tim::Searcher> searcher;
//   tim::Searcher::Open(reader.get(), {}, &searcher);
//   tim::SearchResults results;
//   searcher->Search("ha noi", {}, &results);  // finds "Hà Nội"
//
// A Searcher reads the commit its reader saw; reopen both to see newer
// commits. It is immutable and thread-safe: share one between threads.
// Errors are tim::Status values; tim never throws.
#ifndef TIM_SEARCH_H_
#define TIM_SEARCH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/index.h"
#include "tim/status.h"

namespace tim {

// How documents are scored. The defaults were tuned on known-item queries
// (docs/ranking.md gives the measurements behind each number).
struct RankingOptions {
  // BM25 saturation and length normalisation.
  float k1 = 0.9f;
  float b = 0.5f;
  // Per-field weights; a field not listed weighs default_field_weight. Each
  // field is scored with its own BM25 (its own average length); a document's
  // score is the weighted sum over fields.
  std::vector<std::pair<std::string, float>> field_weights = {{"title", 5.0f}, {"body", 1.0f}};
  float default_field_weight = 1.0f;
  // Tier weights. Every query word scores its folded form ("ha"); when the
  // query carries any diacritic, each word also scores its exact form
  // ("hà"), so exact spellings rank first; adjacent words also score their
  // folded bigram ("ha noi").
  float folded_weight = 1.0f;
  float exact_weight = 0.5f;
  float bigram_weight = 1.0f;
};

// How words without an operator combine.
enum class DefaultOperator {
  kOr,   // ranked OR: every word counts, documents with all words rank first
  kAnd,  // every word is required; when that finds fewer than k hits, the
         // query runs again as ranked OR (reported in SearchResults::relaxed)
};

// The top-k strategy. kAuto picks the fastest exact one for the query's
// shape; the others exist for tests and benchmarks and give the same hits.
enum class Algorithm {
  kAuto,
  kExhaustive,   // scores every posting (term at a time), then selects top k
  kMaxScore,     // document at a time, skipping with block-max bounds
  kConjunctive,  // AND shapes: leapfrog over the required terms (others: kMaxScore)
  kGeneric,      // the boolean-tree evaluator every shape can use
};

struct SearchOptions {
  std::size_t k = 10;      // hits to return
  std::size_t offset = 0;  // hits to skip first (paging); k + offset <= 10000
  DefaultOperator default_operator = DefaultOperator::kOr;
  Algorithm algorithm = Algorithm::kAuto;
  // Count every matching document (total_hits exact); otherwise total_hits
  // is a lower bound and the search can skip more.
  bool exact_total_hits = true;
  // Fetch each hit's stored title and make a snippet of its body.
  bool snippets = true;
  std::size_t snippet_bytes = 240;  // about; cut on word and UTF-8 boundaries
  // Suggest the accented form of a query typed without diacritics.
  bool suggest = true;
  // Break every hit's score down (Hit::explanation).
  bool explain = false;
  // A prefix query (ha*) expands to at most this many terms per field, the
  // most frequent ones.
  std::size_t max_prefix_expansions = 64;
};

// One part of a hit's score: a term of one tier in one field.
struct ScoreDetail {
  std::string term;      // "hà", "ha", "ha noi"
  std::string tier;      // "folded", "exact", "bigram"
  std::string field;     // "title", "body"
  std::uint32_t tf = 0;  // occurrences in the field
  std::uint32_t field_length = 0;
  float idf = 0;
  float weight = 0;  // field weight x tier weight
  float score = 0;   // weight x idf x tf (k1 + 1) / (tf + k1 (1 - b + b len / avglen))
};

struct Hit {
  std::string id;
  float score = 0;
  std::string title;
  // A passage of the body (or of the first stored field that is not the
  // title) with the matched words, and where they are in it: byte ranges
  // [first, second) of `snippet`, in order, on UTF-8 boundaries.
  std::string snippet;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;
  std::vector<ScoreDetail> explanation;  // with SearchOptions::explain
};

struct SearchResults {
  std::uint64_t total_hits = 0;
  bool total_hits_exact = true;  // false: total_hits is a lower bound
  std::vector<Hit> hits;
  // The query with diacritics restored ("hà nội" for "ha noi"); empty when
  // the query has diacritics or no better spelling is known.
  std::string suggestion;
  // With DefaultOperator::kAnd: the AND query found fewer than k hits and
  // these are the ranked-OR results.
  bool relaxed = false;
  // Readings the parser made of a malformed query ("unbalanced quote: closed
  // at the end"), and limits applied ("query cut to 64 words").
  std::vector<std::string> notes;
  // Postings whose score was computed: all of the query's postings with
  // Algorithm::kExhaustive, far fewer where top-k skipping works.
  std::uint64_t postings_scored = 0;
};

// Wraps each highlight of a snippet in `open` and `close` (say "<b>", "</b>"
// or terminal colours).
std::string MarkHighlights(const Hit& hit, std::string_view open, std::string_view close);

class Searcher {
 public:
  // The reader must outlive the searcher.
  static Status Open(const IndexReader* reader, const RankingOptions& options,
                     std::unique_ptr<Searcher>* out);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Runs a query (docs/query.md). InvalidArgument for a query that cannot be
  // read at all (empty, no searchable word, k + offset too large); a
  // malformed one is read as well as possible and the reading noted.
  Status Search(std::string_view query, const SearchOptions& options, SearchResults* out) const;

  // The accented form of a query typed without diacritics, from the index's
  // own statistics ("do thi thong minh" -> "đô thị thông minh"); empty when
  // none is better than the query itself.
  Status Suggest(std::string_view query, std::string* out) const;

  struct Rep;
  class Key {
    friend class Searcher;
    Key() = default;
  };
  Searcher(Key, std::unique_ptr<Rep> rep);

 private:
  std::unique_ptr<Rep> rep_;
};

}  // namespace tim

#endif  // TIM_SEARCH_H_
