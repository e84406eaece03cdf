// Ids in document order (the .did file of a segment, format version 6,
// docs/format.md "Ids by document"): the id of a document number read from
// the mapped file, so that opening a segment builds nothing per document.
//
// Ids are stored in blocks of kDocIdsPerBlock documents, each id after the
// block's first as the bytes it shares with that first id plus the rest
// (sequential ids such as "tài-liệu-00000123" take 4 to 5 bytes); a
// fixed-width index gives each block's offset and checksum. Open checks
// the trailer only (constant time); each block is checked (checksum, then
// its layout) the first time any reader call touches it. The trailer also
// says whether the ids increase with the document number (bytewise), as
// they do when an app adds documents in the order of their ids: then ties
// in the top k are broken without reading an id.

#ifndef TIM_INDEX_DOC_IDS_H_
#define TIM_INDEX_DOC_IDS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "codec/file_format.h"
#include "tim/document.h"
#include "tim/status.h"

namespace tim::index {

constexpr std::uint32_t kDocIdsPerBlock = 32;
using tim::kMaxIdBytes;  // include/tim/document.h

// Writes the body of a .did file into `file` (framed by the caller).
class DocIdsWriter {
 public:
  explicit DocIdsWriter(codec::FileBuilder* file) : file_(file) {}
  // The id of the next document (doc 0 first). Ids are 1..kMaxIdBytes bytes.
  Status Add(std::string_view id);
  // Writes the last block, the index and the trailer: `doc_count` must be
  // the number of ids added.
  Status Finish(std::uint32_t doc_count);

 private:
  Status FlushBlock();

  codec::FileBuilder* file_;
  std::string block_, index_, first_, last_;
  std::uint32_t in_block_ = 0, docs_ = 0;
  bool ascending_ = true;
};

// Reads a .did file over its mapped bytes. Thread-safe.
class DocIdsReader {
 public:
  // `file` is the whole framed file named `name` (its frame checked), which
  // must outlive the reader; `doc_count` is the segment's. Corruption when
  // the trailer is damaged or disagrees with doc_count.
  Status Open(std::string name, std::string_view file, std::uint32_t doc_count);
  // Sets *id to the id of `doc` (< doc_count). Corruption naming the file
  // and the block's offset when the block is damaged.
  Status Get(std::uint32_t doc, std::string* id) const;
  // Whether each document's id is bytewise greater than the previous
  // document's (the writer's claim, covered by the trailer's checksum).
  bool ascending() const { return ascending_; }

 private:
  // Checks block `b` (once per reader) and sets its bytes.
  Status Block(std::uint32_t b, const char** begin, const char** end) const;

  std::string name_;
  std::string_view file_;
  std::uint64_t index_offset_ = 0;
  std::uint32_t doc_count_ = 0, blocks_ = 0;
  bool ascending_ = false;
  std::unique_ptr<std::atomic<bool>[]> checked_;
};

}  // namespace tim::index

#endif  // TIM_INDEX_DOC_IDS_H_
