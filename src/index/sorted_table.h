// A sorted table: keys in strictly increasing byte order, each with a value,
// stored in front-coded blocks with an index of the blocks (docs/format.md,
// "Sorted table"). The term dictionary (.tim), the id map (.ids) and the
// language model (.lm) are sorted tables.
//
// Version 6 tables are opened in constant time: the block index is an array
// of fixed-width records read in place (binary search over each record's
// first eight key bytes, the block's first key when those tie), each record
// and each block checked the first time any iterator of the open table
// reads it (iterators then stop with Corruption naming the file and the
// offset). Versions 3 to 5 keep the older layout, whose index is read into
// memory at open (version 5: checked whole then, each block on its first
// read; versions 3 and 4 have no checksums of their own).
//
// A block may carry "aux" bytes given with its first entry: the term
// dictionary keeps there the absolute postings offsets at the start of the
// block, so each entry needs only the lengths of its postings.

#ifndef TIM_INDEX_SORTED_TABLE_H_
#define TIM_INDEX_SORTED_TABLE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codec/file_format.h"
#include "tim/status.h"

namespace tim::index {

class SortedTableWriter {
 public:
  // Blocks end after `block_entries` entries or once they hold `block_bytes`.
  explicit SortedTableWriter(codec::FileBuilder* file, std::size_t block_entries = 32,
                             std::size_t block_bytes = 4096);

  // Whether the next Add() starts a new block (then its aux is recorded).
  bool AtBlockStart() const { return block_count_ == 0; }
  // `key` must be non-empty and greater than the previous key. `aux` is
  // stored only when AtBlockStart().
  Status Add(std::string_view key, std::string_view value, std::string_view aux = {});
  // Writes the last block, the block index and the trailer (not the footer).
  Status Finish();
  std::uint64_t entries() const { return entries_; }

 private:
  Status FlushBlock();

  codec::FileBuilder* file_;
  std::size_t block_entries_, block_bytes_;
  std::string block_, last_key_, index_;
  std::uint64_t block_prefix_ = 0;  // the first key's prefix, of the block being filled
  std::size_t block_count_ = 0;
  std::uint64_t entries_ = 0, blocks_ = 0;
};

class SortedTable {
 public:
  // `file` is a whole framed file named `name`; its frame was checked. The
  // table keeps views into `file`, which must outlive it. Returns OK or
  // Corruption (a bad trailer or block index, or its checksum). Iterating
  // an open table is thread-safe.
  // `version` is the file's format version (its header's), which decides
  // the layout; the first form assumes the version this build writes.
  static Status Open(std::string name, std::string_view file, std::uint32_t version,
                     SortedTable* out);
  static Status Open(std::string name, std::string_view file, SortedTable* out) {
    return Open(std::move(name), file, codec::kFormatVersion, out);
  }
  // Whether tables of this format version check each block's checksum on
  // its first read (else their files must be checked whole at open).
  static bool ChecksumsBlocks(std::uint32_t version) { return version >= 5; }
  // Whether the block index of this version is read in place (version 6).
  static bool IndexInPlace(std::uint32_t version) { return version >= 6; }

  std::uint64_t entries() const { return entries_; }
  const std::string& name() const { return name_; }

  // Iterates entries in key order. Views are valid until the next move.
  class Iterator {
   public:
    explicit Iterator(const SortedTable* table) : table_(table) {}
    // Positions at the first entry with key >= target.
    void Seek(std::string_view target);
    void SeekToFirst();
    // Positions at the first entry of the block that would hold `target`.
    void SeekToBlockOf(std::string_view target);
    void Next();
    bool Valid() const { return valid_; }
    std::string_view key() const { return key_; }
    std::string_view value() const { return value_; }
    // The aux bytes of the block holding the current entry, and the index of
    // the entry inside its block (0 = the block's first).
    std::string_view block_aux() const { return aux_; }
    std::size_t index_in_block() const { return in_block_; }
    // Corruption met while iterating (then Valid() is false).
    const Status& status() const { return status_; }

   private:
    bool LoadBlock(std::size_t block);
    bool ReadEntry();
    bool Fail(Status s) {
      status_ = std::move(s);
      valid_ = false;
      return false;
    }

    const SortedTable* table_;
    std::size_t block_ = 0;
    const char* p_ = nullptr;
    const char* limit_ = nullptr;
    std::size_t in_block_ = 0, block_entries_ = 0;
    std::uint64_t prefix_ = 0;  // version 6: the block's first key's prefix, from its record
    // Entries read since SeekToFirst(): a walk of the whole table must read
    // as many as the trailer says (checked at its end).
    std::uint64_t read_ = 0;
    bool from_first_ = false;
    std::string key_, last_;
    std::string_view value_, aux_;
    bool valid_ = false;
    Status status_;
  };

  // Exact lookup: *found tells whether `key` exists; *value views the file.
  Status Get(std::string_view key, std::string_view* value, bool* found) const;

 private:
  // A block of a version 3-5 table, its index entry read at open.
  struct LegacyBlock {
    std::string first_key;
    std::string_view aux;
    std::uint64_t offset;  // in the file
    std::uint32_t entries;
    std::uint32_t checksum = 0;  // of the block's bytes (version 5 files)
  };
  // Where a block is and what it holds, checked against the file's bounds
  // and (when the table has them) its checksums.
  struct BlockRef {
    const char* begin = nullptr;  // the block's first entry (after its aux)
    const char* end = nullptr;
    std::string_view aux;
    std::uint32_t entries = 0;
    std::uint64_t prefix = 0;  // version 6: the first key's prefix from the record
  };
  static Status OpenLegacy(std::string_view file, SortedTable* out);
  std::size_t block_count() const { return inplace_ ? blocks_ : legacy_.size(); }
  Status Block(std::size_t block, BlockRef* out) const;
  // Version 6: the record of `block`, its own checksum checked once.
  Status Record(std::size_t block, std::uint64_t* offset, std::uint64_t* prefix,
                std::uint32_t* entries, std::uint32_t* checksum) const;
  // Index of the last block whose first key is <= key (0 when none is).
  Status FindBlock(std::string_view key, std::size_t* block) const;
  // Whether block's first key is <= key (version 6).
  Status FirstKeyAtMost(std::size_t block, std::string_view key, bool* at_most) const;

  std::string name_;
  std::string_view file_;
  std::uint64_t index_offset_ = 0, entries_ = 0;
  bool inplace_ = false;      // version 6: fixed-width records read in place
  std::uint64_t blocks_ = 0;  // version 6: number of records
  std::vector<LegacyBlock> legacy_;
  // Version 5 and 6 files: blocks carry checksums, each checked on its first read.
  bool checksums_ = false;
  // Per block: kRecordChecked | kBlockChecked once those checks passed.
  std::unique_ptr<std::atomic<std::uint8_t>[]> checked_;
};

// The first eight bytes of a key, zero-padded, as a big-endian number: if
// KeyPrefix(a) < KeyPrefix(b) then a < b (equal prefixes decide nothing).
std::uint64_t KeyPrefix(std::string_view key);

}  // namespace tim::index

#endif  // TIM_INDEX_SORTED_TABLE_H_
