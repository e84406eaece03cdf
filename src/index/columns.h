// Columns: the values of a segment's typed fields (include/tim/schema.h),
// read by document without touching stored text (the .col file,
// docs/format.md "Columns", format version 7).
//
//   number, date  one value per document, as an order-preserving 64-bit key
//                 (index/typed_value.h), in blocks of 128 documents packed
//                 with frame of reference: each block keeps its smallest
//                 and largest key, so a range filter or a sort skips whole
//                 blocks. A segment whose numbers are all integers keeps
//                 integer keys; one with any other number keeps every
//                 value as a double.
//   keyword       values sorted bytewise into a dictionary; each document
//                 holds the ordinals of its values (packed). A value held
//                 by fewer than 1 in kListDensity documents also keeps the
//                 documents that hold it (delta varints, version 8 on;
//                 every value before), so a filter on rare values reads
//                 their lists; a filter on a frequent value reads the
//                 ordinals, which cost as little, and the columns no more
//                 bytes than doc values.
//
// The file is small (bytes per document) and checked whole when a segment
// opens; every read below is also bounds-checked, so damaged bytes give
// Corruption or a wrong value, never a read out of the file.

#ifndef TIM_INDEX_COLUMNS_H_
#define TIM_INDEX_COLUMNS_H_

#include <roaring/roaring.hh>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "codec/file_format.h"
#include "index/typed_value.h"
#include "tim/schema.h"
#include "tim/status.h"

namespace tim::index {

// Value i of values packed at `bits` (0..64) from `area`, which has 8
// readable bytes past its last value (docs/format.md, "Columns").
inline std::uint64_t UnpackBits(const char* area, std::uint64_t i, unsigned bits) {
  if (bits == 0) return 0;
  const std::uint64_t bit = i * bits;
  const char* p = area + (bit >> 3);
  const unsigned shift = static_cast<unsigned>(bit & 7);
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  std::uint64_t v = word >> shift;
  if (shift + bits > 64) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[8])) << (64 - shift);
  }
  return bits == 64 ? v : v & ((std::uint64_t{1} << bits) - 1);
}

// How a column holds its values.
enum class ColumnKind : std::uint8_t {
  kKeyword = 1,
  kInt = 2,     // number field, integer keys
  kDouble = 3,  // number field, double keys
  kDate = 4,    // milliseconds since the epoch, integer keys
};
constexpr std::uint32_t kColumnBlock = 128;
constexpr std::size_t kColumnBlockRecord = 22;  // min, max, offset, bits, count
// A keyword value keeps a list of its documents when fewer than 1 in this
// many documents hold it.
constexpr std::uint64_t kListDensity = 32;

// The field type a column kind belongs to.
FieldType TypeOfColumn(ColumnKind kind);

// Collects a segment's typed values as documents come (in increasing doc
// order) and writes the .col body.
class ColumnBuilder {
 public:
  void AddKeyword(std::uint32_t field, std::uint32_t doc, std::string_view value);
  void AddNumber(std::uint32_t field, std::uint32_t doc, const Number& value);
  void AddDate(std::uint32_t field, std::uint32_t doc, std::int64_t millis);
  std::size_t memory_usage() const { return memory_; }
  bool empty() const { return fields_.empty(); }
  // Appends the body of a .col file for `doc_count` documents.
  Status Write(std::uint32_t doc_count, std::string* body) const;

 private:
  struct Field {
    FieldType type = FieldType::kText;
    std::vector<std::pair<std::uint32_t, Number>> numbers;      // number, date (Int)
    std::vector<std::pair<std::uint32_t, std::uint32_t>> refs;  // keyword: doc, value id
    std::unordered_map<std::string, std::uint32_t> ids;         // keyword value -> id
    std::vector<const std::string*> values;                     // id -> value
  };
  Field& Of(std::uint32_t field, FieldType type);
  std::map<std::uint32_t, Field> fields_;
  std::size_t memory_ = 0;
};

// One typed field's column in one segment, over the mapped file.
class Column {
 public:
  std::uint32_t field() const { return field_; }
  ColumnKind kind() const { return kind_; }
  bool keyword() const { return kind_ == ColumnKind::kKeyword; }
  std::uint32_t doc_count() const { return doc_count_; }

  // Number and date columns (inline: sorting reads one per match).
  bool Has(std::uint32_t doc) const {
    if (doc >= doc_count_) return false;
    if (presence_ == nullptr) return true;
    return (static_cast<unsigned char>(presence_[doc >> 3]) >> (doc & 7)) & 1;
  }
  // Of a document that Has() a value. A block packs the values of its
  // documents that have one, in order: the value's rank among them is the
  // count of presence bits before the document.
  std::uint64_t Key(std::uint32_t doc) const {
    const std::uint32_t b = doc / kColumnBlock;
    if (b >= blocks_) return 0;
    const char* r = block_records_ + std::uint64_t{b} * kColumnBlockRecord;
    std::uint64_t min;
    std::uint32_t offset;
    std::memcpy(&min, r, 8);
    std::memcpy(&offset, r + 16, 4);
    std::uint32_t rank = doc % kColumnBlock;
    if (presence_ != nullptr) {
      const std::uint64_t words = (std::uint64_t{doc_count_} + 63) / 64;
      std::uint64_t w0 = 0, w1 = 0;
      std::memcpy(&w0, presence_ + std::uint64_t{b} * 16, 8);
      if (2 * std::uint64_t{b} + 1 < words)
        std::memcpy(&w1, presence_ + std::uint64_t{b} * 16 + 8, 8);
      rank = rank < 64 ? static_cast<std::uint32_t>(
                             __builtin_popcountll(w0 & ((std::uint64_t{1} << rank) - 1)))
                       : static_cast<std::uint32_t>(
                             __builtin_popcountll(w0) +
                             __builtin_popcountll(w1 & ((std::uint64_t{1} << (rank - 64)) - 1)));
    }
    // Past the block's count only in damaged bytes: never read past them.
    if (rank >= static_cast<unsigned char>(r[21])) return min;
    return min + UnpackBits(data_ + offset, rank, static_cast<unsigned char>(r[20]));
  }
  // The value of a key of this column.
  Number NumberOf(std::uint64_t key) const;
  std::uint32_t blocks() const { return blocks_; }
  struct BlockBounds {
    std::uint64_t min, max;  // of the block's present keys
    std::uint32_t present;   // documents of the block with a value
  };
  BlockBounds Block(std::uint32_t b) const;
  // The keys of block b's documents that have a value, in document order,
  // into out[0, count); returns count (0..kColumnBlock).
  std::uint32_t BlockKeys(std::uint32_t b, std::uint64_t* out) const;
  // Block b's presence bits (documents 128 b + i with a value), all set
  // for a column every document fills.
  void BlockPresence(std::uint32_t b, std::uint64_t* w0, std::uint64_t* w1) const;

  // Keyword columns.
  std::uint32_t value_count() const { return static_cast<std::uint32_t>(values_.size()); }
  std::string_view Value(std::uint32_t ord) const { return values_[ord]; }
  // The ordinal of `value`; false when the segment has no such value.
  bool Find(std::string_view value, std::uint32_t* ord) const;
  // The first ordinal whose value is >= `value` (value_count() when none).
  std::uint32_t LowerBound(std::string_view value) const;
  // The ordinals of `doc`'s values, increasing. False when the column's
  // bytes are damaged.
  bool Ords(std::uint32_t doc, std::vector<std::uint32_t>* out) const;
  // A column whose documents hold at most one value each: the ordinal of
  // `doc`'s plus one, 0 for none (may exceed value_count() when damaged).
  bool single() const { return !multi_; }
  std::uint64_t OrdPlusOne(std::uint32_t doc) const {
    return doc < doc_count_ ? UnpackBits(ords_, doc, ord_bits_) : 0;
  }
  // Adds the documents holding any of the values `ords` to *docs: from
  // their lists, and one walk of the ordinals for the values without one.
  // Corruption when the bytes are damaged.
  Status AddDocs(const std::vector<std::uint32_t>& ords, Roaring* docs) const;
  Status AddDocs(std::uint32_t ord, Roaring* docs) const {
    return AddDocs(std::vector<std::uint32_t>{ord}, docs);
  }
  // Whether value `ord` keeps a list of its documents.
  bool HasList(std::uint32_t ord) const;
  std::uint32_t DocsWith(std::uint32_t ord) const;  // how many documents hold it

 private:
  friend class ColumnReader;
  Status Open(std::string_view section, std::uint64_t base);
  Status OpenNumeric(const char* p, const char* limit);
  Status OpenKeyword(const char* p, const char* limit);
  Status Bad(const char* at, std::string_view what) const;
  Status AddList(std::uint32_t ord, Roaring* docs) const;
  // The documents whose ordinals hold a value `wanted` marks.
  Status ScanOrds(const std::vector<bool>& wanted, Roaring* docs) const;

  std::string name_;        // the file's, for messages
  std::uint64_t base_ = 0;  // the section's offset in the file
  const char* section_ = nullptr;
  std::uint32_t field_ = 0;
  ColumnKind kind_ = ColumnKind::kInt;
  std::uint32_t doc_count_ = 0;
  // Numeric.
  std::uint32_t present_ = 0;
  const char* presence_ = nullptr;  // bitset, null when every doc has a value
  const char* block_records_ = nullptr;
  const char* data_ = nullptr;
  std::uint32_t blocks_ = 0;
  // Keyword.
  std::vector<std::string_view> values_;
  bool multi_ = false;
  unsigned ord_bits_ = 0, start_bits_ = 0;
  const char* ords_ = nullptr;
  const char* starts_ = nullptr;
  std::uint64_t refs_ = 0;
  const char* list_records_ = nullptr;
  const char* lists_ = nullptr;
  std::uint64_t lists_size_ = 0;
};

// The .col file of a segment.
class ColumnReader {
 public:
  // `body` is the file's body (frame checked), `body_offset` where it
  // starts in the file. Corruption naming the file and offset when its
  // structure is wrong.
  Status Open(std::string name, std::string_view body, std::uint64_t body_offset,
              std::uint32_t doc_count);
  // The column of field number `field`, or null when no document of the
  // segment has a value for it.
  const Column* Find(std::uint32_t field) const;
  const std::vector<Column>& columns() const { return columns_; }
  // Walks every value: blocks within their bounds, lists agreeing with
  // the documents' ordinals. The first damage found.
  Status Verify() const;

 private:
  std::string name_;
  std::vector<Column> columns_;
};

}  // namespace tim::index

#endif  // TIM_INDEX_COLUMNS_H_
