// Opening, writing and reading a tim index.
//
// An index is a directory: immutable segments plus a manifest naming the
// segments of the last commit (docs/format.md). One IndexWriter at a time
// changes it (a second one gets a Busy status); any number of IndexReaders,
// in this process or others, read it meanwhile. A reader sees one commit, a
// consistent snapshot that later commits do not disturb, until Reopen().
//
// Durability: Commit() returns OK only once everything it made visible is on
// stable storage. A crash at any moment leaves the last commit readable and
// complete; what was added after it is lost, never half-kept.
//
// Errors are tim::Status values (include/tim/status.h); tim never throws.

#ifndef TIM_INDEX_H_
#define TIM_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tim/analyzer.h"
#include "tim/document.h"
#include "tim/export.h"
#include "tim/file_system.h"
#include "tim/schema.h"
#include "tim/status.h"

namespace tim {

struct IndexOptions {
  // The file system; nullptr means FileSystem::Default().
  FileSystem* file_system = nullptr;
  // Create the index when the directory holds none.
  bool create_if_missing = true;
  // Documents being indexed in memory may use this many bytes; past it a
  // segment is written to disk (not yet committed). Each indexing thread
  // gets an equal share, at most 2 GiB.
  std::size_t ram_budget_bytes = std::size_t{256} << 20;
  // The largest document AddDocument takes, in bytes of id, field names and
  // texts together; a larger one is refused (InvalidArgument naming it).
  // Indexing holds about 45 times a document's size in memory while it
  // analyses it (docs/limits.md). At most 1 GiB.
  std::size_t max_document_bytes = std::size_t{16} << 20;
  // Threads that analyse and invert documents; 0 means one per core.
  int threads = 0;
  // Stored documents: zstd level and block size in bytes. Level 3 (zstd's
  // own default) compresses about 2.5 times as fast as 6 for about 5% more
  // stored bytes on news text (docs/performance.md).
  int zstd_level = 3;
  std::size_t store_block_bytes = 64 << 10;
  // Train a zstd dictionary for each segment's stored documents.
  bool store_dictionary = true;
  // Tiered merge policy: segments fall into tiers by live documents (tier
  // t holds segments of about merge_floor_docs * merge_factor^t documents);
  // after a commit, a tier holding merge_factor segments is merged into one
  // segment of the next tier. So each tier keeps fewer than merge_factor
  // segments, and a document is merged about log(N) times in its life.
  int merge_factor = 10;
  std::uint32_t merge_floor_docs = 1000;
  // The analyzer of a new index (unset: AnalyzerOptions()). The index
  // stores it, and readers and searchers analyse with what it stored. An
  // existing index keeps the analyzer it was built with: leave this unset,
  // or give the same options (Open fails with InvalidArgument naming the
  // first option that differs). strict_utf8 is not stored: documents are
  // checked for valid UTF-8 anyway (AddDocument).
  std::optional<AnalyzerOptions> analyzer;
  // Typed fields (include/tim/schema.h): keyword, number and date fields,
  // filtered, sorted and counted by searches (SearchOptions). Fields not
  // listed are text. The index stores each field's type: a later writer may
  // add fields, and may repeat the index's, but a field's type never
  // changes (Open fails with InvalidArgument naming the field).
  Schema schema;
};

struct ReaderOptions {
  FileSystem* file_system = nullptr;
  // Check every file's checksum when it is opened (reads each byte once).
  bool verify_checksums = true;
};

// Figures about one commit of an index.
struct IndexStats {
  std::uint64_t generation = 0;    // of the manifest
  std::uint64_t docs = 0;          // live documents
  std::uint64_t deleted_docs = 0;  // deleted but still in segments
  std::uint64_t segments = 0;
  std::uint64_t terms = 0;  // sum over segments
  std::vector<std::string> fields;
  Schema typed_fields;  // the fields that are not text, with their types
  // Bytes by file kind: "manifest", "segment info", "term dictionary",
  // "postings", "positions", "norms", "stored documents", "id map",
  // "language model", "ids by document", "columns", "deletions".
  std::vector<std::pair<std::string, std::uint64_t>> bytes_by_kind;
  std::uint64_t total_bytes = 0;

  // Filled by GetStats(..., by_term_kind = true): where the postings bytes
  // go, per kind of term ("folded", "exact", "bigram").
  struct TermKindStats {
    std::string kind;
    std::uint64_t terms = 0;           // dictionary entries, summed over segments
    std::uint64_t postings = 0;        // (term, document) pairs
    std::uint64_t postings_bytes = 0;  // in .doc files (inline single postings: 0)
    std::uint64_t positions_bytes = 0;
  };
  std::vector<TermKindStats> term_kinds;
};

// A read-only view of one commit. Thread-safe: share one reader between
// threads. Holds the commit's files open (mapped) until destroyed.
class TIM_EXPORT IndexReader {
 public:
  // Opens the newest commit of the index in `dir`. Returns OK; NotFound
  // when there is no such directory or no index in it; Corruption naming
  // the file (and offset) whose checksum or structure is wrong;
  // NotSupported for another format version; IOError.
  static Status Open(const std::string& dir, const ReaderOptions& options,
                     std::unique_ptr<IndexReader>* out);
  ~IndexReader();
  IndexReader(const IndexReader&) = delete;
  IndexReader& operator=(const IndexReader&) = delete;

  // A reader on the newest commit; segments both commits share are reused,
  // not reopened. When nothing changed, *out is a reader on the same commit.
  // Returns what Open does.
  Status Reopen(std::unique_ptr<IndexReader>* out) const;

  std::uint64_t generation() const;
  std::uint64_t num_docs() const;  // live documents
  // The analyzer options the index was built with (AnalyzerOptions() for
  // an index never committed), which searches of it must use.
  const AnalyzerOptions& analyzer_options() const;
  // The index's typed fields with their types (text fields left out).
  Schema schema() const;
  // Fetches the stored document with this id: its fields in the order they
  // were added. Returns OK, NotFound when absent or deleted, Corruption.
  Status GetDocument(std::string_view id, Document* out) const;
  // With by_term_kind, also walks every term dictionary (a second or so for
  // millions of terms) to fill IndexStats::term_kinds. Returns OK, or
  // Corruption or IOError from the files it reads.
  Status GetStats(IndexStats* out, bool by_term_kind = false) const;
  // Checks every file of the commit: checksums and structures. OK only when
  // the index is sound; otherwise Corruption (or IOError) naming the file
  // and offset.
  Status Verify() const;

 private:
  struct Rep;                     // opaque: the commit as opened
  friend struct ReaderInternals;  // how tim's query core reaches it
  explicit IndexReader(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// Changes an index. Not thread-safe: call it from one thread at a time (it
// uses its own threads inside). Destroying a writer without Commit() drops
// what was added since the last commit and releases the lock.
class TIM_EXPORT IndexWriter {
 public:
  // Opens the index in `dir` for writing, creating it when
  // create_if_missing. Returns OK; Busy when another writer (of any
  // process) holds it; NotFound when there is none and create_if_missing
  // is false; InvalidArgument for analyzer options that contradict the
  // index's or are out of range, a schema that retypes a field (or names
  // one twice, or badly), or max_document_bytes past 1 GiB; Corruption, NotSupported,
  // IOError as IndexReader::Open.
  static Status Open(const std::string& dir, const IndexOptions& options,
                     std::unique_ptr<IndexWriter>* out);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds a document, replacing any document with the same id (committed or
  // not). The id must be 1 to 1024 bytes, field names 1 to 255, the whole
  // document at most max_document_bytes, and an index holds at most 255
  // field names; ids, names and texts must be valid UTF-8 (NUL bytes are
  // kept as they are); a typed field's values must fit its type
  // (include/tim/schema.h), once for a number or a date. Otherwise InvalidArgument names the
  // document, the field and the byte offset, nothing changes, and the writer goes on. Returns the
  // error that broke the writer, if any (IOError), and otherwise OK.
  Status AddDocument(const Document& doc);
  // Deletes the document with this id; OK (and nothing happens) when absent.
  // Its text stays in the segment (not searchable, not returned) until the
  // segment is merged; the merge also takes its words out of the language
  // model that suggestions come from. ForceMerge(1) after deleting removes
  // every trace. Returns the error that broke the writer, if any.
  Status DeleteDocument(std::string_view id);
  // Makes every change so far durable and visible to new readers, then
  // merges segments if the merge policy asks for it. Returns OK, or the
  // IOError (a full disk) met here or by an indexing thread since the last
  // commit; then nothing of this commit is visible and the writer is broken.
  Status Commit();
  // Merges until at most `max_segments` segments remain and commits.
  // Less than 1 counts as 1. Returns what Commit does.
  Status ForceMerge(int max_segments);

  // The index's typed fields with their types (text fields left out):
  // those of the last commit and of IndexOptions::schema.
  Schema schema() const;

  // Documents added and deleted since the writer opened.
  std::uint64_t added() const;
  std::uint64_t deleted() const;

  // After an I/O error the writer refuses further work with that error; the
  // last commit stays intact. Reopen a writer to go on. An error met by an
  // indexing thread (a full disk while writing a segment) is returned by
  // the next Commit(); AddDocument only reports what it checks itself.
  // Invalid documents (InvalidArgument) are refused without breaking it.

 private:
  struct Rep;  // opaque
  explicit IndexWriter(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace tim

#endif  // TIM_INDEX_H_
