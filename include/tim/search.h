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
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/export.h"
#include "tim/index.h"
#include "tim/query.h"
#include "tim/status.h"

namespace tim {

struct ShardAnswer;  // tim/shards.h

// How documents are scored: BM25F over three tiers of terms, and a title
// match bonus (docs/ranking.md). The defaults were measured on real
// questions and on headline fragments, with and without diacritics
// (docs/ranking.md gives the measurements behind each number).
struct RankingOptions {
  // BM25 saturation and length normalisation.
  float k1 = 0.5f;
  float b = 0.6f;
  // Per-field weights; a field not listed weighs default_field_weight. A
  // field's weight multiplies a term's (length-normalised) frequency in it
  // before the fields are summed and saturated together (BM25F): a word in
  // the title counts as several in the body, but a word found in both
  // fields is still one word. 0 leaves a field out of searches without a
  // field: prefix.
  std::vector<std::pair<std::string, float>> field_weights = {{"title", 2.5f}, {"body", 1.0f}};
  float default_field_weight = 1.0f;
  // Every query word weighs word_weight and scores its folded form ("ha"),
  // which every spelling matches. When the query carries any diacritic,
  // exact_share of that weight goes to the word's exact form ("hà") instead,
  // so exact spellings rank first and a word spelled exactly weighs the
  // same whether the query was typed with diacritics or without.
  float word_weight = 1.0f;
  float exact_share = 0.667f;
  // Adjacent words also score their folded bigram ("ha noi").
  float bigram_weight = 0.2f;
  // Question words ("ai", "gì", "nào", "đâu", "mấy", "bao nhiêu", ...)
  // weigh this share of a word: the answer to a question rarely repeats
  // them. They still match and count (a query of only "ai" finds "ai"), and
  // their bigrams keep their weight ("ai cập").
  float question_word_weight = 0.25f;
  // Names, words capitalised inside the query ("Chu Du sinh năm nào",
  // "thủ phủ của Tây Nguyên"), weigh this many words, and so does the bigram
  // of two of them: they say what the query is about. A query typed in
  // lower case, or with every word capitalised, has no names.
  float name_weight = 2.0f;
  // A document whose title (the field named "title") holds query words gets
  // a bonus that grows steeply with the share of the query it holds:
  //   title_match_weight x W x (share of W the title holds) ^ title_match_power,
  // W being the query's words' and bigrams' weights x idf x (k1 + 1), the
  // most they can score. A title that is the query (a headline searched for) gets it
  // whole; a title naming one word of a long question, next to nothing.
  // 0 turns it off.
  float title_match_weight = 1.0f;
  float title_match_power = 7.0f;
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

// Sorting by typed fields (include/tim/schema.h): hits in the order of
// the first field, ties by the next, and by score (then id) last.
struct SortField {
  std::string field;  // a keyword, number or date field, or "_score"
  bool descending = false;
  // A document without a value sorts after every document with one, both
  // ways. A keyword field with several values sorts by its smallest value
  // ascending and by its largest descending.
};

// Counting the matches by a typed field's values (facets).
struct FacetRequest {
  std::string field;
  // Keyword fields: the `top` values held by the most matches (ties by
  // value, bytewise), at most 10,000.
  std::size_t top = 10;
  // Number and date fields (required there, not allowed on keywords):
  // named buckets "A TO B", each counting values v with A <= v < B, so
  // adjacent buckets never count a value twice; "*" leaves a side open
  // ("* TO 100000"). A date bound that is a year, month or day starts
  // that span. At most 256.
  std::vector<std::string> ranges;
};

struct FacetCount {
  std::string value;  // the keyword, or the bucket as given ("0 TO 100000")
  std::uint64_t count = 0;
};

struct Facet {
  std::string field;
  // Keywords: the most frequent first; buckets: in the order asked, every one.
  std::vector<FacetCount> counts;
};

// "-published,price,_score": fields separated by commas, a leading '-'
// sorting descending. "_score" alone sorts by score descending, as without
// sorting; "-_score" is the same and "+_score" ascending. Returns OK, or
// InvalidArgument naming an empty item. Whether the fields exist is the
// search's to check.
TIM_EXPORT Status ParseSortSpec(std::string_view spec, std::vector<SortField>* out);
// "category" (top 10), "category:50", or "price:0 TO 100000,100000 TO
// 500000" (buckets). Returns OK or InvalidArgument naming what is wrong.
TIM_EXPORT Status ParseFacetSpec(std::string_view spec, FacetRequest* out);

struct SearchOptions {
  std::size_t k = 10;      // hits to return
  std::size_t offset = 0;  // hits to skip first (paging); k + offset <= 10000
  DefaultOperator default_operator = DefaultOperator::kOr;
  Algorithm algorithm = Algorithm::kAuto;
  // Count every matching document (total_hits exact); otherwise total_hits
  // is a lower bound and the search can skip more: whole blocks of
  // documents, and for a phrase the positions of every document that
  // cannot enter the top k ("có thể" over 116,144 news articles: 2.4 ms
  // instead of 28 ms).
  bool exact_total_hits = true;
  // Fetch each hit's stored title and make a snippet of its body.
  bool snippets = true;
  std::size_t snippet_bytes = 240;  // about; cut on word and UTF-8 boundaries
  // Suggest the accented form of a query typed without diacritics.
  bool suggest = true;
  // Read words typed in Telex or VNI with the input method off ("vieetj",
  // "vie65t") as the syllables they spell ("việt") when the index holds
  // those far more often than the words as typed; SearchResults::rewritten
  // then says so. Queries given as Query objects are never rewritten.
  bool rewrite_typing = true;
  // Break every hit's score down (Hit::explanation).
  bool explain = false;
  // With DefaultOperator::kAnd: when fewer than k + offset documents hold
  // every word, run the query again as ranked OR (SearchResults::relaxed).
  // A sharded search turns this off on its shards and relaxes over the
  // merged hits, so the decision counts every shard's documents.
  bool relax_and = true;
  // A prefix query (ha*) expands to at most this many terms (over the
  // fields it searches), the most frequent ones.
  std::size_t max_prefix_expansions = 64;
  // Filters on typed fields (docs/query.md "Filters"), every one must hold:
  //   category = "Thể thao" AND published >= 2017-01-01
  // They decide which documents match and never change a score. With
  // filters, an empty query (no word) lists the documents that pass
  // (score 0; by id, or as `sort` says). The query may carry more
  // (Query::Filter, "{...}" in the query language); all must hold. Each
  // segment caches the documents each filter (by its text) passed. At most
  // 64 filters in all (InvalidArgument).
  std::vector<std::string> filters;
  // The order of hits (empty: by score). Sorting or counting facets
  // visits every match of the query (total_hits is then exact).
  std::vector<SortField> sort;
  // Counts over every match of the query and filters (SearchResults::facets).
  std::vector<FacetRequest> facets;
};

// One part of a hit's score: a term of one tier in one field. A term's
// fields are scored together (BM25F): its score is its tier's score,
//   weight x idf x (k1 + 1) x freq / (freq + k1),
//   freq = sum over fields of field_weight x tf / (1 - b + b field_length / average),
// and each field's part is its share of freq.
struct ScoreDetail {
  std::string term;      // "hà", "ha", "ha noi"
  std::string tier;      // "folded", "exact", "bigram", or "title-match" (the bonus)
  std::string field;     // "title", "body"
  std::uint32_t tf = 0;  // occurrences in the field; "title-match": title words held
  std::uint32_t field_length = 0;
  float idf = 0;           // of the term over its fields (the largest df)
  float weight = 0;        // tier weight x word weight
  float field_weight = 0;  // the field's weight
  float score = 0;         // this field's share of the term's score
};

struct Hit {
  // The document's id; IndexReader::GetDocument(id) reads all its fields.
  std::string id;
  float score = 0;
  std::string title;
  // A passage of the body (or of the first stored field that is not the
  // title) with the matched words, and where they are in it: byte ranges
  // [first, second) of `snippet`, in order, on UTF-8 boundaries.
  std::string snippet;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;
  std::vector<ScoreDetail> explanation;  // with SearchOptions::explain
  // With SearchOptions::sort: the hit's value of each sort field, as text
  // ("2017-02-06", "120000", "Thể thao"; "" when it has none; the score
  // for "_score").
  std::vector<std::string> sort_values;
};

// The order of hits everywhere (one index, every algorithm, shards merged):
// the higher score first, and of equal scores the smaller id, compared
// bytewise. So results never depend on how documents were numbered
// (indexing threads, segments, shards).
TIM_EXPORT bool RanksBefore(const Hit& a, const Hit& b);

struct SearchResults {
  // The query searched instead of the one typed ("việt nam" for "vieetj
  // nam"); empty when the query was searched as typed.
  std::string rewritten;
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
  // With SearchOptions::facets: one per request, in the order asked.
  std::vector<Facet> facets;
  // Postings whose score was computed: all of the query's postings with
  // Algorithm::kExhaustive, far fewer where top-k skipping works.
  std::uint64_t postings_scored = 0;
};

// Wraps each highlight of a snippet in `open` and `close` (say "<b>", "</b>"
// or terminal colours). With `escape`, every piece of the snippet's own text
// goes through it (HTML or JSON escaping) while `open` and `close` are
// appended as they are. Highlights out of order or out of range are skipped.
TIM_EXPORT std::string MarkHighlights(
    const Hit& hit, std::string_view open, std::string_view close,
    const std::function<void(std::string_view text, std::string* out)>& escape = nullptr);

// The collection statistics a query is scored with (document count,
// average field lengths, the document frequency of each term it looks up,
// the prefix expansions it may take, the Telex/VNI words it may rewrite and
// the language-model counts its accent restoration reads), gathered from
// one index or merged from the shards of a collection. Searching every
// shard with the merged statistics scores each document as one index
// holding every shard's documents would (docs/scale-out.md):
//
//   CollectionStats all;
//   for (auto& shard : shards) {
//     CollectionStats one;
//     shard->GatherStats(query, options, &one);
//     all.Merge(one);               // or Serialize(), ship, Parse(), Merge()
//   }
//   for (auto& shard : shards) shard->Search(query, options, all, &results[i]);
//   // then merge the shards' hits in RanksBefore order (or query then
//   // fetch: SearchShard, MergeShards, Fetch; tim/shards.h)
//
// A plain value: copy it, share it between threads for reading.
class TIM_EXPORT CollectionStats {
 public:
  CollectionStats();
  ~CollectionStats();
  CollectionStats(const CollectionStats& other);
  CollectionStats& operator=(const CollectionStats& other);
  CollectionStats(CollectionStats&& other);  // leaves `other` empty, still usable
  CollectionStats& operator=(CollectionStats&& other) noexcept;

  // Adds another shard's statistics to these: counts are summed. Merge
  // each shard once: a shard merged twice counts its documents twice.
  void Merge(const CollectionStats& other);
  // The statistics as bytes (docs/format.md, "Collection statistics"), to
  // send to another process.
  std::string Serialize() const;
  // Reads Serialize()'s bytes. Returns OK, or Corruption naming what is
  // wrong (truncated, bad checksum) and NotSupported for a newer version.
  static Status Parse(std::string_view bytes, CollectionStats* out);

  std::uint64_t sources() const;     // indexes merged in (shards)
  std::uint64_t total_docs() const;  // documents, deleted ones not yet merged away included
  bool empty() const;                // gathered from nothing

  struct Rep;  // opaque; src/query/collection_stats.h

 private:
  std::unique_ptr<Rep> rep_;
  friend struct CollectionStatsAccess;
};

class TIM_EXPORT Searcher {
 public:
  // The reader must outlive the searcher. Returns OK, InvalidArgument for
  // ranking options out of range (each says which), or Corruption when the
  // reader's segments disagree with its manifest.
  static Status Open(const IndexReader* reader, const RankingOptions& options,
                     std::unique_ptr<Searcher>* out);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Runs a query in the query language (docs/query.md). Returns OK, or
  // InvalidArgument for a query that cannot be read at all (empty, no
  // searchable word) or k + offset above 10,000; Corruption or IOError when
  // the index's files fail while read. A malformed query is read as well as
  // possible and the reading noted in SearchResults::notes.
  Status Search(std::string_view query, const SearchOptions& options, SearchResults* out) const;

  // Runs a query built as objects (include/tim/query.h). With
  // DefaultOperator::kAnd, the words of kBool sequences are required, as
  // typed words are. The suggestion rewrites the query's ToString().
  // Returns what Search(string) does, and InvalidArgument for a query
  // nested deeper than 32, with more than 1,024 words and phrases, or with
  // a weight that is not a finite number > 0.
  Status Search(const Query& query, const SearchOptions& options, SearchResults* out) const;

  // The collection statistics `query` is scored with in this index, for
  // a sharded search (CollectionStats). They cover every reading the
  // search may make: its AND and OR readings, every Telex/VNI rewrite it
  // may take and its suggestion, so that the merged statistics decide those
  // as one index would. Returns OK, InvalidArgument for a query Search
  // refuses (no word), Corruption or IOError.
  Status GatherStats(std::string_view query, const SearchOptions& options,
                     CollectionStats* out) const;
  Status GatherStats(const Query& query, const SearchOptions& options, CollectionStats* out) const;

  // Search, scoring with `stats` (merged from every shard with GatherStats
  // for this query and options) instead of this index's own: scores,
  // rewrites and suggestions are those of one index holding every shard.
  // Hits come from this index alone. Returns what Search does, and
  // InvalidArgument when `stats` lack something the query needs (gathered
  // for another query or other options), naming it.
  Status Search(std::string_view query, const SearchOptions& options, const CollectionStats& stats,
                SearchResults* out) const;
  Status Search(const Query& query, const SearchOptions& options, const CollectionStats& stats,
                SearchResults* out) const;

  // The query round of a sharded search (tim/shards.h): this shard's best
  // k + offset hits scored with `stats`, and with DefaultOperator::kAnd
  // (and relax_and) its ranked-OR reading too when it found fewer, for
  // MergeShards. With options.snippets the hits come dressed (title,
  // snippet, highlights: ShardAnswer::dressed); otherwise ids and scores
  // only, for Fetch. Explanations are Fetch's alone. Returns what Search
  // with `stats` returns.
  Status SearchShard(std::string_view query, const SearchOptions& options,
                     const CollectionStats& stats, ShardAnswer* out) const;
  Status SearchShard(const Query& query, const SearchOptions& options, const CollectionStats& stats,
                     ShardAnswer* out) const;

  // The fetch round of a sharded search: dresses `hits` (this shard's hits
  // of MergeShards' results, with ids and scores) as Search dresses its
  // own: title, snippet and highlights with options.snippets, explanation
  // with options.explain. `relaxed` is the merged results' (the reading
  // whose words are highlighted and explained). Returns OK, NotFound
  // naming an id this index does not hold (live), what Search with
  // `stats` returns otherwise.
  Status Fetch(std::string_view query, const SearchOptions& options, const CollectionStats& stats,
               bool relaxed, std::vector<Hit>* hits) const;
  Status Fetch(const Query& query, const SearchOptions& options, const CollectionStats& stats,
               bool relaxed, std::vector<Hit>* hits) const;

  // Parses a query string into objects as Search would read it: the fields
  // a "field:" prefix may name are this index's, and `default_operator`
  // decides how juxtaposed words combine. Never fails; readings of
  // malformed input go to *notes when given.
  Query Parse(std::string_view query, DefaultOperator default_operator = DefaultOperator::kOr,
              std::vector<std::string>* notes = nullptr) const;

  // Calls `visit` for every document matching `query`, not only the top k
  // and with no cap: in index order (segment by segment, not by score),
  // with the document's id (valid during the call) and its score. `visit`
  // returns false to stop early. Filters in the query (Query::Filter) hold;
  // a query of filters alone visits what they pass, with score 0. Costs one evaluation of every
  // candidate (the generic evaluator). Returns OK (also when stopped early), InvalidArgument as
  // Search does, Corruption or IOError.
  Status ForEachMatch(const Query& query, DefaultOperator default_operator,
                      const std::function<bool(std::string_view id, float score)>& visit) const;

  // The accented form of a query typed without diacritics, decoded from the
  // index's syllable language model ("do thi thong minh" -> "đô thị thông
  // minh"); empty when the query has diacritics or the words as typed are
  // already the most likely spelling. Reads no posting list or document.
  // Returns OK, InvalidArgument for a query with no searchable word,
  // Corruption or IOError.
  Status Suggest(std::string_view query, std::string* out) const;
  // Up to `n` (at most 16) spellings of the query, most likely first; the
  // words as typed are among them when the model holds them. Empty for a
  // query with diacritics. Returns as Suggest does.
  Status Restorations(std::string_view query, std::size_t n, std::vector<std::string>* out) const;

 private:
  struct Rep;  // opaque
  explicit Searcher(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace tim

#endif  // TIM_SEARCH_H_
