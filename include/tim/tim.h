/* tim's C API: embed tim from C or from any language with a C FFI.
 *
 * C99, no C++ in it. Every object is an opaque handle or a plain struct that
 * tim allocates and the caller gives back to the matching free function.
 * Strings go in as (pointer, length in bytes) pairs of UTF-8 and come out
 * NUL-terminated with their length beside them (a stored text may itself
 * hold NUL bytes: trust the length).
 *
 * Errors: every call that can fail returns a tim_code. When `errmsg` is not
 * NULL and the call fails, *errmsg receives a message naming what went wrong
 * and where ("idx/manifest-...: bad checksum"), to be freed with tim_free();
 * on success *errmsg is set to NULL. No C++ exception ever leaves tim.
 *
 * Bad input gets TIM_INVALID_ARGUMENT, never a crash: NULL handles and
 * pointers (except where a NULL is allowed), invalid UTF-8, empty ids, a
 * query with no word. What cannot be checked is undefined behaviour: using
 * a handle after closing it, freeing a result twice, lengths longer than
 * the memory behind the pointer.
 *
 * Threads: a tim_reader is immutable; any number of threads may search it
 * and read documents from it at once. A tim_writer is used by one thread at
 * a time (tim uses its own threads inside). Results and documents belong to
 * the caller and are independent of the handle they came from.
 *
 * One writer per index at a time, in any process (TIM_BUSY otherwise);
 * readers see the last commit made before they were opened, until reopened.
 *
 *   tim_writer *w;
 *   tim_writer_open("idx", 1, &w, NULL);
 *   tim_field f[] = {{"title", 5, "Hà Nội", 8}, {"body", 4, "Thủ đô", 9}};
 *   tim_writer_add(w, "1", 1, f, 2, NULL);
 *   tim_writer_commit(w, NULL);
 *   tim_writer_close(w);
 *   tim_reader *r;
 *   tim_reader_open("idx", &r, NULL);
 *   tim_results *res;
 *   tim_search(r, "ha noi", 6, 10, 0, 0, &res, NULL);  // finds "Hà Nội"
 *   ... res->hits[0].id ...
 *   tim_results_free(res);
 *   tim_reader_close(r);
 */
#ifndef TIM_TIM_H_
#define TIM_TIM_H_

#include <stddef.h>
#include <stdint.h>

#include "tim/export.h"
#include "tim/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The codes of tim::Status, plus two for the C boundary. */
typedef enum tim_code {
  TIM_OK = 0,
  TIM_NOT_FOUND = 1,        /* no index at the path, no document with the id */
  TIM_CORRUPTION = 2,       /* the index's bytes are damaged */
  TIM_INVALID_ARGUMENT = 3, /* the caller's input is malformed */
  TIM_IO_ERROR = 4,         /* the operating system refused an operation */
  TIM_NOT_SUPPORTED = 5,    /* e.g. an index in a format this version cannot read */
  TIM_BUSY = 6,             /* another writer holds the index */
  TIM_NO_MEMORY = 7,        /* an allocation failed */
  TIM_INTERNAL = 8          /* a bug in tim: please report the message */
} tim_code;

/* "OK", "NotFound", "Corruption", ... ; "Unknown" for other values. Static. */
TIM_EXPORT const char* tim_code_name(int code);
/* The library's version, "0.3.0". Static. */
TIM_EXPORT const char* tim_version(void);
/* Frees a message or anything else tim_* hands out as a plain pointer. NULL is a no-op. */
TIM_EXPORT void tim_free(void* p);

typedef struct tim_reader tim_reader;
typedef struct tim_writer tim_writer;

/* A field of a document: name and text, UTF-8, with their lengths. */
typedef struct tim_field {
  const char* name;
  size_t name_len;
  const char* value;
  size_t value_len;
} tim_field;

/* ---- Writing ---------------------------------------------------------- */

/* Opens the index at `path` for writing, creating it when `create` is
 * non-zero and there is none. TIM_BUSY when another writer holds it,
 * TIM_NOT_FOUND when absent and create is 0, TIM_IO_ERROR, TIM_CORRUPTION,
 * TIM_NOT_SUPPORTED. */
TIM_EXPORT int tim_writer_open(const char* path, int create, tim_writer** out, char** errmsg);

/* tim_writer_open declaring typed fields (include/tim/schema.h) in JSON:
 * {"fields": {"category": "keyword", "price": "number", "published": "date"}}.
 * TIM_INVALID_ARGUMENT for a schema that does not parse or retypes a field
 * of the index, naming it. */
TIM_EXPORT int tim_writer_open_schema(const char* path, int create, const char* schema_json,
                                      size_t schema_len, tim_writer** out, char** errmsg);

/* Adds a document, replacing any document with the same id. The id is 1 to
 * 1,024 bytes; ids, names and texts must be valid UTF-8, names 1 to 255
 * bytes (TIM_INVALID_ARGUMENT names the field and byte otherwise, and the
 * writer goes on). `fields` may be NULL when nfields is 0. */
TIM_EXPORT int tim_writer_add(tim_writer* w, const char* id, size_t id_len, const tim_field* fields,
                              size_t nfields, char** errmsg);

/* Deletes the document with this id; TIM_OK also when there is none. */
TIM_EXPORT int tim_writer_delete(tim_writer* w, const char* id, size_t id_len, char** errmsg);

/* Makes every change so far durable and visible to readers opened after.
 * After an I/O error the writer refuses further work with that error; the
 * last commit stays intact. */
TIM_EXPORT int tim_writer_commit(tim_writer* w, char** errmsg);

/* Closes the writer, dropping what was not committed. NULL is a no-op. */
TIM_EXPORT void tim_writer_close(tim_writer* w);

/* ---- Reading and searching --------------------------------------------- */

/* Opens the last commit of the index at `path`, checking every file's
 * checksum. TIM_NOT_FOUND when there is no index, TIM_CORRUPTION,
 * TIM_NOT_SUPPORTED, TIM_IO_ERROR. */
TIM_EXPORT int tim_reader_open(const char* path, tim_reader** out, char** errmsg);

/* A new reader on the newest commit (the old one stays valid: close it
 * when done). */
TIM_EXPORT int tim_reader_reopen(const tim_reader* r, tim_reader** out, char** errmsg);

/* Closes a reader. Results and documents taken from it stay valid. NULL is a no-op. */
TIM_EXPORT void tim_reader_close(tim_reader* r);

/* Live documents in the reader's commit; 0 for NULL. */
TIM_EXPORT uint64_t tim_reader_num_docs(const tim_reader* r);

/* A byte range [start, end) of a snippet. */
typedef struct tim_range {
  uint32_t start;
  uint32_t end;
} tim_range;

typedef struct tim_hit {
  const char* id;
  size_t id_len;
  double score;
  const char* title; /* "" when the document has no title field */
  size_t title_len;
  const char* snippet; /* a passage of the body around the matched words */
  size_t snippet_len;
  const tim_range* highlights; /* the matched words in `snippet`, in order */
  size_t highlight_count;
  /* With a sort (tim_search_extras.sort): the hit's value of each sort
   * field, NUL-terminated ("" when it has none); NULL otherwise. */
  const char* const* sort_values;
  size_t sort_value_count;
} tim_hit;

/* One value of a facet and how many matches hold it. */
typedef struct tim_facet_count {
  const char* value; /* the keyword, or the bucket as asked ("0 TO 100000") */
  size_t value_len;
  uint64_t count;
} tim_facet_count;

typedef struct tim_facet {
  const char* field;
  size_t field_len;
  const tim_facet_count* counts; /* keywords: largest first; buckets: as asked */
  size_t count;
} tim_facet;

typedef struct tim_results {
  uint64_t total_hits;  /* documents matching */
  int total_hits_exact; /* 0: total_hits is a lower bound */
  int relaxed;          /* TIM_SEARCH_AND found too few: these are ranked-OR results */
  const tim_hit* hits;  /* best first */
  size_t hit_count;
  const char* suggestion; /* the query with its accents restored; "" when none */
  size_t suggestion_len;
  const char* const* notes; /* how a malformed query was read */
  size_t note_count;
  /* The query searched instead of the one typed ("việt nam" for "vieetj
   * nam", Telex or VNI typed with the input method off); "" when the query
   * was searched as typed. */
  const char* rewritten;
  size_t rewritten_len;
  /* tim_merge_shards: the shard (index into its answers) holding each hit,
   * hit_count of them, to fetch it from; NULL from every other call. */
  const size_t* shards;
  /* With facets asked (tim_search_extras.facets): one per request. */
  const tim_facet* facets;
  size_t facet_count;
} tim_results;

/* Filters, sorting and facets on typed fields (docs/query.md, "Filters,
 * sorting and facets"), for the *_ex calls. Strings are NUL-terminated
 * UTF-8; a NULL array goes with a count of 0. */
typedef struct tim_search_extras {
  const char* const* filters; /* "category = \"Thể thao\"": every one must hold */
  size_t filter_count;
  const char* sort;          /* "-published,price,-_score"; NULL or "": by score */
  const char* const* facets; /* "category", "category:50", "price:0 TO 100,100 TO 500" */
  size_t facet_count;
} tim_search_extras;

/* Flags of tim_search and tim_for_each_match. */
#define TIM_SEARCH_AND 1u         /* every word required (tim_search: relaxed to OR if too few) */
#define TIM_SEARCH_NO_SNIPPETS 2u /* no title, snippet or highlights: faster */
#define TIM_SEARCH_NO_SUGGEST 4u  /* no accent suggestion */
#define TIM_SEARCH_PLAIN 8u       /* the query is a user's raw text, read as plain words */
#define TIM_SEARCH_RAW 16u        /* no reading of Telex or VNI typed with the input method off */
#define TIM_SEARCH_NO_RELAX                                         \
  32u /* with TIM_SEARCH_AND: never relaxed to OR (a sharded search \
         relaxes over the hits of every shard) */

/* Searches with a query in tim's query language (docs/query.md): words
 * with or without accents, "phrases", +required, -excluded, AND, OR, NOT,
 * field:word, prefix*. Returns hits offset+1 .. offset+k in *out, to free
 * with tim_results_free. TIM_INVALID_ARGUMENT for invalid UTF-8, a query
 * with no word, k + offset above 10,000 or an unknown flag;
 * TIM_CORRUPTION or TIM_IO_ERROR when the index fails while read. */
TIM_EXPORT int tim_search(const tim_reader* r, const char* query, size_t query_len, size_t k,
                          size_t offset, unsigned flags, tim_results** out, char** errmsg);

/* The same for a user's raw text read as plain words: no character of it
 * is an operator ("C++ (2024)", "-5 độ"). tim_search with TIM_SEARCH_PLAIN. */
TIM_EXPORT int tim_search_text(const tim_reader* r, const char* text, size_t text_len, size_t k,
                               size_t offset, unsigned flags, tim_results** out, char** errmsg);

/* tim_search with filters, sorting and facets (`extras` may be NULL). With
 * filters, an empty query lists the documents that pass. TIM_INVALID_ARGUMENT
 * also names a bad filter, sort or facet (an unknown or text field, a value
 * that does not fit its type, broken syntax). */
TIM_EXPORT int tim_search_ex(const tim_reader* r, const char* query, size_t query_len, size_t k,
                             size_t offset, unsigned flags, const tim_search_extras* extras,
                             tim_results** out, char** errmsg);

/* Frees results. NULL is a no-op. */
TIM_EXPORT void tim_results_free(tim_results* res);

/* Called for each match: the id (valid during the call only, not
 * NUL-terminated) and the score. Returns non-zero to go on, 0 to stop. */
typedef int (*tim_match_fn)(void* ctx, const char* id, size_t id_len, double score);

/* Calls visit(ctx, ...) for every document matching `query`, with no cap
 * (tim_search pages through at most 10,000 hits), in index order rather
 * than by score. Flags: TIM_SEARCH_AND, TIM_SEARCH_PLAIN. Returns TIM_OK
 * (also when visit stopped the walk), or the codes tim_search returns.
 * `visit` may search the same reader. */
TIM_EXPORT int tim_for_each_match(const tim_reader* r, const char* query, size_t query_len,
                                  unsigned flags, tim_match_fn visit, void* ctx, char** errmsg);

/* A stored document: its id and fields in the order they were added. */
typedef struct tim_document {
  const char* id;
  size_t id_len;
  const tim_field* fields; /* names and values NUL-terminated too */
  size_t field_count;
} tim_document;

/* Reads the stored document with this id. TIM_NOT_FOUND when there is
 * none (or it was deleted before the reader's commit). */
TIM_EXPORT int tim_get_document(const tim_reader* r, const char* id, size_t id_len,
                                tim_document** out, char** errmsg);

/* Frees a document. NULL is a no-op. */
TIM_EXPORT void tim_document_free(tim_document* doc);

/* ---- Sharded search (docs/scale-out.md) --------------------------------
 *
 * A collection split over several indexes (shards) scores each document as
 * one index holding them all would, when every shard searches with the
 * collection's statistics: gather each shard's for the query, merge them,
 * search every shard with the merged ones, then merge the hits by score.
 * Statistics travel as bytes (docs/format.md, "Collection statistics"),
 * to free with tim_free. */

/* The statistics `query` is scored with in this reader's index. Flags as
 * tim_search's (TIM_SEARCH_AND, TIM_SEARCH_PLAIN, TIM_SEARCH_RAW and
 * TIM_SEARCH_NO_SUGGEST change what is gathered); gather with the flags the
 * search will use. Returns what tim_search returns. */
TIM_EXPORT int tim_gather_stats(const tim_reader* r, const char* query, size_t query_len,
                                unsigned flags, char** stats, size_t* stats_len, char** errmsg);

/* Sums the statistics of `n` shards into one. TIM_CORRUPTION naming the
 * one that does not decode, TIM_NOT_SUPPORTED for a newer version. */
TIM_EXPORT int tim_merge_stats(const char* const* stats, const size_t* lens, size_t n, char** out,
                               size_t* out_len, char** errmsg);

/* tim_search scoring with merged statistics. Hits come from this reader's
 * index alone. Returns what tim_search returns, TIM_CORRUPTION for
 * statistics that do not decode, and TIM_INVALID_ARGUMENT when they lack
 * what the query needs (gathered for another query or other flags). */
TIM_EXPORT int tim_search_with_stats(const tim_reader* r, const char* query, size_t query_len,
                                     size_t k, size_t offset, unsigned flags, const char* stats,
                                     size_t stats_len, tim_results** out, char** errmsg);

/* Query then fetch (include/tim/shards.h): with TIM_SEARCH_NO_SNIPPETS in
 * the query round, snippets are made for the k hits kept, not for k per
 * shard, at the price of a third round trip.
 *
 *   tim_search_shard on every shard   -> answers (bytes)
 *   tim_merge_shards(answers)         -> results with ids, scores, shards
 *   tim_fetch on each shard holding kept hits -> their titles and snippets
 *
 * The query round: this shard's best k + offset hits scored with merged
 * statistics, ids and scores only, and with TIM_SEARCH_AND its ranked-OR
 * reading when it found fewer, as bytes (docs/format.md, "Shard answer")
 * to free with tim_free. Flags as tim_search's: without
 * TIM_SEARCH_NO_SNIPPETS the hits come with their titles and snippets
 * (and tim_fetch is not needed). Returns what tim_search_with_stats
 * returns. */
TIM_EXPORT int tim_search_shard(const tim_reader* r, const char* query, size_t query_len, size_t k,
                                size_t offset, unsigned flags, const char* stats, size_t stats_len,
                                char** answer, size_t* answer_len, char** errmsg);

/* Merges every shard's answer as one index holding their documents would
 * rank them: hits offset+1 .. offset+k (ids and scores; titles and
 * snippets as the answers carry them), totals summed, an AND query relaxed over
 * every shard's hits; results->shards names each hit's shard. Flags, k and
 * offset as searched. TIM_CORRUPTION naming the answer that does not
 * decode, TIM_INVALID_ARGUMENT when there is none or one was made for
 * other flags, k or offset. */
TIM_EXPORT int tim_merge_shards(const char* const* answers, const size_t* lens, size_t n, size_t k,
                                size_t offset, unsigned flags, tim_results** out, char** errmsg);

/* The rounds of a sharded search with filters, sorting and facets: pass
 * the same `extras` (may be NULL) to every round. Facets of the merged
 * results count every shard's matches exactly. */
TIM_EXPORT int tim_gather_stats_ex(const tim_reader* r, const char* query, size_t query_len,
                                   unsigned flags, const tim_search_extras* extras, char** stats,
                                   size_t* stats_len, char** errmsg);
TIM_EXPORT int tim_search_shard_ex(const tim_reader* r, const char* query, size_t query_len,
                                   size_t k, size_t offset, unsigned flags,
                                   const tim_search_extras* extras, const char* stats,
                                   size_t stats_len, char** answer, size_t* answer_len,
                                   char** errmsg);
TIM_EXPORT int tim_merge_shards_ex(const char* const* answers, const size_t* lens, size_t n,
                                   size_t k, size_t offset, unsigned flags,
                                   const tim_search_extras* extras, tim_results** out,
                                   char** errmsg);

/* tim_fetch: the merged results were relaxed (tim_results.relaxed). */
#define TIM_FETCH_RELAXED 64u

/* The fetch round: hits[i] of *out is the document ids[i] of this shard
 * with its title, snippet and highlights, and scores[i] (0 when scores is
 * NULL). Flags as searched, plus TIM_FETCH_RELAXED when the merge relaxed.
 * TIM_NOT_FOUND naming an id this shard does not hold; otherwise what
 * tim_search_with_stats returns. */
TIM_EXPORT int tim_fetch(const tim_reader* r, const char* query, size_t query_len, unsigned flags,
                         const char* stats, size_t stats_len, const char* const* ids,
                         const size_t* id_lens, const double* scores, size_t n, tim_results** out,
                         char** errmsg);
/* tim_fetch of a search with `extras` (a listing without words needs its filters). */
TIM_EXPORT int tim_fetch_ex(const tim_reader* r, const char* query, size_t query_len,
                            unsigned flags, const tim_search_extras* extras, const char* stats,
                            size_t stats_len, const char* const* ids, const size_t* id_lens,
                            const double* scores, size_t n, tim_results** out, char** errmsg);

/* ---- Reading JSON Lines --------------------------------------------------
 *
 * Documents from a JSON Lines file as `tim index` reads them
 * (include/tim/jsonl.h): "id" a string or an integer, every other string
 * member a field; a name ending in ".zst" is decompressed. */
typedef struct tim_jsonl tim_jsonl;

/* Adds every document of a JSON Lines file through the writer (replacing
 * any with the same id; committed by tim_writer_commit), with no per-document
 * crossing of the C boundary. A line that is not a document, or a document
 * the writer refuses, stops the call with TIM_INVALID_ARGUMENT naming
 * "path:line" (the documents before it stay added), or with skip_bad
 * non-zero is skipped. *added and *skipped (either may be NULL) count them.
 * TIM_IO_ERROR naming the path when it cannot be read, TIM_CORRUPTION for a
 * damaged .zst, and what tim_writer_add returns. */
TIM_EXPORT int tim_writer_add_jsonl(tim_writer* w, const char* path, int skip_bad, uint64_t* added,
                                    uint64_t* skipped, char** errmsg);

/* TIM_IO_ERROR naming the path when it cannot be opened. */
TIM_EXPORT int tim_jsonl_open(const char* path, tim_jsonl** out, char** errmsg);
/* tim_jsonl_open reading the members of the schema's typed fields (JSON,
 * as tim_writer_open_schema takes it) as tim_writer_add_jsonl does: numbers
 * as written, arrays as one field per element. */
TIM_EXPORT int tim_jsonl_open_schema(const char* path, const char* schema_json, size_t schema_len,
                                     tim_jsonl** out, char** errmsg);
/* The next document in *out (free with tim_document_free), or NULL at the
 * end. TIM_INVALID_ARGUMENT for a line that is not a document, naming
 * "path:line" (call again to go on with the next line); TIM_IO_ERROR or
 * TIM_CORRUPTION (a damaged .zst) when reading cannot go on. */
TIM_EXPORT int tim_jsonl_next(tim_jsonl* j, tim_document** out, char** errmsg);
/* The 1-based line of the document (or error) tim_jsonl_next gave last. */
TIM_EXPORT uint64_t tim_jsonl_line(const tim_jsonl* j);
/* NULL is a no-op. */
TIM_EXPORT void tim_jsonl_close(tim_jsonl* j);

#ifdef __cplusplus
}
#endif

#endif /* TIM_TIM_H_ */
