// A segment: an immutable, self-contained inverted index over a range of
// documents, in ten files sharing a name ("seg_0000002a"):
//
//   .seg  segment info: doc count, per-field document and length sums
//   .tim  term dictionary (sorted table: term key -> TermInfo)
//   .doc  postings: doc ids and frequencies, with skip tables
//   .pos  positions of the folded-syllable terms
//   .nrm  field lengths per document (for BM25)
//   .sto  stored documents (zstd blocks)
//   .ids  id map (sorted table: document id -> doc number)
//   .lm   syllable language model (sorted table, index/language_model.h)
//   .did  ids in document order (index/doc_ids.h; format version 6 on:
//         older segments have eight files, their ids read from .ids)
//   .col  the columns of typed fields (index/columns.h; format version 7
//         on: older segments have none, their fields all text)
//
// Deletions are not part of the segment: they live in .del files named by
// the manifest, so a segment never changes once written.

#ifndef TIM_INDEX_SEGMENT_H_
#define TIM_INDEX_SEGMENT_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "codec/file_format.h"
#include "index/columns.h"
#include "index/doc_ids.h"
#include "index/file_names.h"
#include "index/language_model.h"
#include "index/postings.h"
#include "index/set_cache.h"
#include "index/sorted_table.h"
#include "store/doc_store.h"
#include "tim/file_system.h"
#include "tim/status.h"

namespace tim::index {

// The three kinds of terms, kept apart so the query core can score each tier
// on its own (a term key starts with its field number and its kind).
enum class TermKind : std::uint8_t {
  kFolded = 0,  // a syllable without diacritics: "ha"; has positions
  kExact = 1,   // a syllable with its diacritics: "hà"
  kBigram = 2,  // two adjacent folded syllables: "ha noi"
};
constexpr int kTermKinds = 3;
constexpr std::uint32_t kMaxFields = 255;  // a field number is one byte of the term key
// "No such field": a field number no index has (no title field, say).
constexpr std::uint32_t kNoField = 0xFFFFFFFFu;

inline bool HasPositions(TermKind kind) { return kind == TermKind::kFolded; }

// Builds the key of a term: field number, kind, then the term's bytes.
std::string TermKey(std::uint32_t field, TermKind kind, std::string_view term);

// A term key taken apart (the one place that reads its layout).
struct TermKeyParts {
  std::uint32_t field = 0;
  TermKind kind = TermKind::kFolded;
  std::string_view term;  // a view into the key
};
// False when `key` is not a term key: shorter than two bytes, or of an
// unknown kind.
bool ParseTermKey(std::string_view key, TermKeyParts* out);

struct FieldStats {
  std::uint32_t field = 0;         // the index-wide field number
  std::uint32_t docs = 0;          // documents with this field
  std::uint64_t total_length = 0;  // sum of the field's lengths in words
};

struct SegmentInfo {
  std::uint32_t doc_count = 0;
  std::vector<FieldStats> fields;  // increasing field numbers
  std::uint64_t terms = 0;
};

// Serialises one segment. Terms come in increasing key order; documents of a
// term in increasing doc order. Records the first error.
class SegmentWriter {
 public:
  SegmentWriter();
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  Status Open(FileSystem* fs, const std::string& dir, const std::string& name,
              const store::StoreOptions& store_options);
  // Fill the term's postings through postings() (StartTerm .. AddDoc), then
  // call FinishTerm with its key.
  PostingsWriter* postings() { return &postings_; }
  Status FinishTerm(std::string_view key);
  // Stored documents, in doc order.
  Status AddStored(std::string_view serialized) { return store_->Add(serialized); }
  std::size_t store_memory() const { return store_->memory_usage(); }
  // Ids in increasing order, each once.
  Status AddId(std::string_view id, std::uint32_t doc);
  // The id of every document, in doc order (doc 0 first), deleted ones too.
  Status AddDocId(std::string_view id) { return status_.ok() ? doc_ids_->Add(id) : status_; }
  // The language model's file: write its body before Finish().
  codec::FileBuilder* lm_file() { return &lm_; }
  // The columns' file: write its body (ColumnBuilder::Write) before Finish().
  codec::FileBuilder* col_file() { return &col_; }
  // Writes norms (norms[i] has info.doc_count lengths of info.fields[i]) and
  // the segment info, and finishes every file.
  Status Finish(const SegmentInfo& info, const std::vector<std::vector<std::uint32_t>>& norms);

 private:
  Status DrainPostings();

  FileSystem* fs_ = nullptr;
  std::string dir_, name_;
  codec::FileBuilder tim_, doc_, pos_, sto_, ids_, lm_, did_, col_;
  std::unique_ptr<SortedTableWriter> terms_, id_table_;
  std::unique_ptr<DocIdsWriter> doc_ids_;
  std::unique_ptr<store::StoreWriter> store_;
  PostingsWriter postings_;
  std::uint64_t block_offsets_[2] = {0, 0};  // postings offsets at the last term written
  std::uint64_t terms_written_ = 0;
  std::string value_, aux_;
  Status status_;
};

// Sizes of a segment's files, for stats.
struct SegmentFileSizes {
  std::uint64_t bytes[kSegmentFiles] = {};
};

// Reads one segment over memory-mapped files. Immutable and thread-safe.
class SegmentReader {
 public:
  // Opens segment `name` in `dir`. The small files (.seg, .nrm) are always
  // checked whole; the sorted tables (.tim, .ids, .lm) check their block
  // index now and each block on its first read (version 5; older tables
  // are checked whole). With verify_checksums every file is also checked
  // whole (reads every byte once).
  static Status Open(FileSystem* fs, const std::string& dir, const std::string& name,
                     bool verify_checksums, std::shared_ptr<const SegmentReader>* out);
  // Only Open() can make the key, so only Open() constructs a reader.
  class Key {
    friend class SegmentReader;
    Key() = default;
  };
  explicit SegmentReader(Key) {}
  ~SegmentReader();
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  const std::string& name() const { return name_; }
  std::uint32_t doc_count() const { return info_.doc_count; }
  const SegmentInfo& info() const { return info_; }
  const SegmentFileSizes& file_sizes() const { return sizes_; }
  std::uint64_t term_count() const { return terms_.entries(); }

  // Exact term lookup.
  Status LookupTerm(std::string_view key, TermInfo* info, bool* found) const;

  // Terms in key order from a starting key, with their TermInfo.
  class TermIterator {
   public:
    explicit TermIterator(const SegmentReader* segment);
    void Seek(std::string_view key);
    void SeekToFirst();
    void Next();
    bool Valid() const { return valid_; }
    std::string_view key() const { return it_.key(); }
    // The key's field, kind and term (checked when the entry was read).
    const TermKeyParts& parts() const { return parts_; }
    const TermInfo& info() const { return info_; }
    const Status& status() const { return status_; }

   private:
    bool Decode();
    const SegmentReader* segment_;
    SortedTable::Iterator it_;
    std::uint64_t offsets_[2] = {0, 0};
    TermInfo info_;
    TermKeyParts parts_;
    bool valid_ = false;
    Status status_;
  };

  const PostingsSource& postings() const { return postings_; }
  // Opens a cursor over a term's postings (positions only for folded terms).
  Status OpenCursor(std::string_view key, const TermInfo& info, PostingsCursor* cursor) const;

  // The length in words of field number `field` in `doc` (0 when absent).
  std::uint32_t FieldLength(std::uint32_t field, std::uint32_t doc) const;
  // Every document's length of field number `field`, as fixed32 values in
  // document order (mapped from .nrm), or null when the segment lacks the
  // field.
  const char* FieldLengths(std::uint32_t field) const {
    return field < norms_.size() ? norms_[field] : nullptr;
  }

  const store::StoreReader& store() const { return store_; }
  // The doc number of document `id`.
  Status LookupId(std::string_view id, std::uint32_t* doc, bool* found) const;
  // Sets *id to the id of `doc` (< doc_count()), read from .did (for a
  // segment older than format version 6, from ids read once from .ids on
  // the first call). Corruption when the bytes that hold it are damaged.
  Status DocId(std::uint32_t doc, std::string* id) const;
  // Whether the ids increase with the doc number (bytewise; known from
  // format version 6 on, false before): then comparing two documents' ids
  // is comparing their numbers.
  bool ids_ascending() const { return has_doc_ids_ && doc_ids_.ascending(); }
  // The doc number an id_table() entry's value holds.
  Status DecodeIdValue(std::string_view value, std::uint32_t* doc) const;
  const SortedTable& id_table() const { return ids_; }
  const LanguageModelReader& language_model() const { return lm_; }
  // The columns of the segment's typed fields (none before version 7).
  const ColumnReader& columns() const { return columns_; }
  // The documents filters on those columns passed (query/filter.h), kept
  // for the segment's later searches; null when it has no columns.
  SetCache* filter_cache() const { return filter_cache_.get(); }

  // Recomputes every file's checksum (Corruption naming the first damaged
  // file). Merges call it before reading a byte of their sources.
  Status VerifyChecksums() const;
  // Walks every structure (terms, postings, positions, norms, stored
  // documents, ids, language model), checking invariants; the first damage found is returned.
  Status Verify() const;

 private:
  Status Load(FileSystem* fs, const std::string& dir, bool verify_checksums);
  // Load's steps: maps every file and checks its frame (each file's body
  // and version out), reads the segment info (.seg), points at the norms.
  Status MapFiles(FileSystem* fs, const std::string& dir, bool verify_checksums,
                  std::string_view* body, std::uint32_t* version);
  Status ReadInfo(std::string_view body);
  Status OpenNorms(std::string_view body);
  // Verify(), one file kind at a time (segment_verify.cc).
  Status VerifyNorms() const;
  Status VerifyTerms() const;
  Status VerifyStored(std::vector<std::string>* stored_ids) const;
  Status VerifyIds(const std::vector<std::string>& stored_ids) const;
  // Segments older than version 6: doc -> id from the id map, built once.
  Status LoadLegacyIds() const;

  std::string name_, doc_name_, pos_name_;
  std::unique_ptr<MappedFile> files_[kSegmentFiles];
  SegmentInfo info_;
  SegmentFileSizes sizes_;
  SortedTable terms_, ids_;
  LanguageModelReader lm_;
  ColumnReader columns_;
  std::unique_ptr<SetCache> filter_cache_;
  PostingsSource postings_;
  std::vector<const char*> norms_;  // per field number (nullptr when absent)
  store::StoreReader store_;
  bool has_doc_ids_ = false;  // version 6 on: .did
  DocIdsReader doc_ids_;
  struct LegacyIds {
    std::once_flag once;
    Status status;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  // per doc: start, size
    std::string arena;
  };
  std::unique_ptr<LegacyIds> legacy_ids_;
};

}  // namespace tim::index

#endif  // TIM_INDEX_SEGMENT_H_
