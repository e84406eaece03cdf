// SegmentBuilder: the in-memory inverted index of the documents one writer
// thread has analysed since its last flush. Flush() serialises it as a
// segment. Postings are kept as varint streams in a slice pool (chunks that
// grow from 16 bytes to 2 KiB, linked by forward pointers, as Lucene's
// ByteBlockPool does), so memory grows with the postings, not with the
// number of terms times a fixed buffer.

#ifndef TIM_INDEX_SEGMENT_BUILDER_H_
#define TIM_INDEX_SEGMENT_BUILDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/columns.h"
#include "index/language_model.h"
#include "index/segment.h"
#include "index/typed_value.h"
#include "tim/analyzer.h"
#include "tim/file_system.h"
#include "tim/status.h"

namespace tim::index {

// A typed field's value of a document, read and checked by the writer
// (index/typed_value.h): the builder keeps it in the segment's columns.
struct TypedValue {
  std::uint32_t field = 0;
  FieldType type = FieldType::kKeyword;
  Number number;           // number; date (an Int of milliseconds)
  std::uint32_t text = 0;  // keyword: the index of its text among the document's fields
};

class SegmentBuilder {
 public:
  // Documents are written straight to segment `name` in `dir` as they come
  // (stored text), the rest at Flush().
  SegmentBuilder(const Analyzer* analyzer, FileSystem* fs, std::string dir, std::string name,
                 const store::StoreOptions& store_options);
  ~SegmentBuilder();
  SegmentBuilder(const SegmentBuilder&) = delete;
  SegmentBuilder& operator=(const SegmentBuilder&) = delete;

  // Adds the next document (doc numbers are 0, 1, 2, ... in call order).
  // Fields are (field number < kMaxFields, text) pairs; every field is
  // stored. `typed` holds the values of its typed fields, which go to the
  // columns and are not analysed.
  Status Add(std::string_view id,
             const std::vector<std::pair<std::uint32_t, std::string_view>>& fields,
             const std::vector<TypedValue>& typed = {});
  std::uint32_t doc_count() const { return doc_count_; }
  // The field whose syllables the language model counts as title text
  // (none by default). Set before the field's first document.
  void set_title_field(std::uint32_t field) { title_field_ = field; }
  // Bytes held: the hash table, term states, postings pool, norms, ids and
  // stored documents waiting for compression.
  std::size_t memory_usage() const;
  // Writes the segment files. The builder cannot be used afterwards.
  Status Flush(SegmentInfo* info);

 private:
  struct Term;
  class Pool;
  // Sets *created when the term is new.
  std::uint32_t FindOrAdd(std::string_view key, std::uint64_t hash, bool* created);
  std::uint32_t FindOrAddBigram(std::uint32_t first, std::uint32_t second);
  std::uint32_t NewTerm();
  void Grow();
  void GrowBigrams();
  void AddOccurrence(std::uint32_t term, std::uint32_t position, bool positions);
  // Flush's steps: the norms of every field (and their statistics in
  // *info); the terms in key order, bigrams given their key strings; the
  // postings and dictionary; the ids.
  std::vector<std::vector<std::uint32_t>> TakeNorms(SegmentInfo* info);
  std::vector<std::uint32_t> SortTerms();
  Status WritePostings(const std::vector<std::uint32_t>& order, const SegmentInfo& info,
                       const std::vector<std::vector<std::uint32_t>>& norms);
  Status WriteIds();
  std::string_view KeyOf(std::uint32_t term) const;

  const Analyzer* analyzer_;
  FileSystem* fs_;
  std::string dir_, name_;
  SegmentWriter writer_;
  Status status_;
  Analysis analysis_;
  std::string serialized_;
  std::vector<std::pair<std::uint32_t, std::string_view>> stored_fields_;

  // Term states in chunks of 64 Ki: they grow without moving (a vector's
  // doubling copied them and touched twice their memory), and the memory
  // they hold grows with them, not by doubling, for the flush decision.
  class TermStore {
   public:
    static constexpr std::uint32_t kShift = 16;
    Term& operator[](std::uint32_t i);
    const Term& operator[](std::uint32_t i) const;
    std::uint32_t size() const { return size_; }
    std::size_t capacity() const { return chunks_.size() << kShift; }
    std::uint32_t Add();  // a new default term; returns its number

   private:
    static constexpr std::uint32_t kMask = (1u << kShift) - 1;
    std::vector<std::unique_ptr<Term[]>> chunks_;
    std::uint32_t size_ = 0;
  };

  std::unique_ptr<Pool> pool_;
  TermStore terms_;
  std::string key_arena_;
  // Syllables and other single words, keyed by their key string. The hash
  // sits in the slot so a probe rarely touches the term itself.
  struct Slot {
    std::uint32_t term_plus_one = 0;  // 0: empty
    std::uint32_t hash = 0;
  };
  std::vector<Slot> slots_;
  // Bigrams, keyed by the term numbers of their two folded syllables: no
  // string is built or compared per bigram while indexing (most terms are
  // bigrams). Their key strings are made at Flush().
  struct BigramSlot {
    std::uint64_t pair = 0;
    std::uint32_t term_plus_one = 0;
  };
  std::vector<BigramSlot> bigram_slots_;
  std::size_t bigram_count_ = 0;
  std::vector<std::uint32_t> word_terms_;  // folded term of each word position of a field
  // The term lookups of one field, done in passes so that the cache misses
  // of a whole field overlap (prefetch, then probe) instead of queueing.
  struct Lookup {
    std::uint64_t hash;
    std::uint32_t key_offset, key_size;  // the exact key in keys_; bigrams: none
    std::uint32_t token;                 // index in the Analysis
    std::uint32_t position;              // the token's position in the field
    std::uint32_t term;                  // exact term, or the bigram
    std::uint32_t folded;                // folded term (not for bigrams)
    TermKind kind;                       // kExact or kBigram
    bool word;                           // a word token (not a joined one)
  };
  void LookupField(std::uint32_t field);
  std::vector<Lookup> lookups_;
  std::string keys_, folded_key_;
  std::vector<std::uint32_t> doc_terms_;  // terms seen in the current doc
  // The language model (an exact term's number in it: Term::second).
  LanguageModelBuilder lm_;
  std::vector<std::uint32_t> lm_ids_;
  std::uint32_t title_field_ = kNoField;
  void CountLanguageModel(std::uint32_t field);
  std::uint32_t doc_count_ = 0;
  std::uint32_t current_field_ = 0;
  std::vector<std::vector<std::uint32_t>> norms_;  // per field number, per doc
  ColumnBuilder columns_;
  std::vector<std::pair<std::string, std::uint32_t>> ids_;
  std::size_t id_bytes_ = 0;
};

}  // namespace tim::index

#endif  // TIM_INDEX_SEGMENT_BUILDER_H_
