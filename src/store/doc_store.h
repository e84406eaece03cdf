// Stored documents (.sto): each document's id and field texts, in
// zstd-compressed blocks of about 64 KiB, with an optional zstd dictionary
// trained on the segment's first documents, and a block index for random
// access by doc id (docs/format.md, "Stored documents").

#ifndef TIM_STORE_DOC_STORE_H_
#define TIM_STORE_DOC_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/file_format.h"
#include "tim/status.h"

namespace tim::store {

// A document as stored: its id and (field number, text) pairs.
struct StoredDoc {
  std::string id;
  std::vector<std::pair<std::uint32_t, std::string>> fields;
};

// Parses one serialised document from the front of *in, advancing it.
bool ParseDoc(std::string_view* in, StoredDoc* out);

void SerializeDoc(std::string_view id,
                  const std::vector<std::pair<std::uint32_t, std::string_view>>& fields,
                  std::string* out);

struct StoreOptions {
  int zstd_level = 3;
  std::size_t block_bytes = 64 << 10;
  // Bytes of documents to train a dictionary on before the first block is
  // compressed; 0 turns dictionaries off. A segment gets a dictionary only
  // when it has at least 1 MiB of text in 64 documents or more.
  std::size_t dict_training_bytes = 4 << 20;
  std::size_t dict_bytes = 64 << 10;
};

// Writes the documents of one segment in doc id order, straight into `file`
// (whose frame the caller opened and finishes).
class StoreWriter {
 public:
  StoreWriter(codec::FileBuilder* file, const StoreOptions& options);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Adds the next document, already serialised by SerializeDoc.
  Status Add(std::string_view serialized);
  // Writes the remaining blocks, the dictionary and the index.
  Status Finish();
  // Bytes held in memory (documents waiting for a block or the dictionary).
  std::size_t memory_usage() const;
  std::uint64_t docs() const { return docs_; }

 private:
  Status CutBlock();
  Status Compress(std::string_view raw, std::uint32_t ndocs);
  Status TrainDictionary();

  struct Zstd;
  codec::FileBuilder* file_;
  StoreOptions options_;
  std::unique_ptr<Zstd> zstd_;
  bool training_ = true;
  // Documents not yet in a compressed block; while training, all of them.
  std::string pending_;
  std::vector<std::uint32_t> pending_sizes_;
  std::string index_, scratch_;
  std::uint64_t docs_ = 0, blocks_ = 0, compressed_docs_ = 0;
};

class StoreReader {
 public:
  StoreReader();
  ~StoreReader();
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  // `file` is the whole framed file, its frame checked; it must outlive the
  // reader. `version` is the file's format version: from version 6 the
  // block index is read in place (constant time; each record checked when
  // read), before that it is read and checked whole here.
  Status Open(std::string name, std::string_view file, std::uint32_t doc_count,
              std::uint32_t version = codec::kFormatVersion);
  // Thread-safe.
  Status Get(std::uint32_t doc, StoredDoc* out) const;
  std::uint32_t doc_count() const { return doc_count_; }
  std::uint64_t blocks() const { return block_count_; }
  // Decompresses block `block` (< blocks()) into *raw and sets *docs to the
  // serialised documents in it (views into *raw) and *first_doc (when not
  // null) to the doc number of the first. Thread-safe.
  Status ReadBlock(std::size_t block, std::string* raw, std::vector<std::string_view>* docs,
                   std::uint32_t* first_doc = nullptr) const;
  bool has_dictionary() const;

 private:
  struct Block {
    std::uint32_t first_doc, ndocs;
    std::uint64_t offset, size, raw_size;
  };
  struct Dict;
  // Versions 3 to 5: reads the whole index (ending at `limit`) into blocks_.
  Status OpenLegacyIndex(const char* limit);
  // Version 6: block `block`'s record, its checksum checked.
  Status Record(std::uint64_t block, std::uint32_t* first_doc, std::uint32_t* raw_size,
                std::uint64_t* offset) const;
  // Where block `block` is and what it holds, checked against the file.
  Status Locate(std::size_t block, Block* out) const;

  std::string name_;
  std::string_view file_;
  std::uint32_t doc_count_ = 0;
  bool inplace_ = false;  // version 6
  std::uint64_t block_count_ = 0, dict_offset_ = 0, index_offset_ = 0;
  std::vector<Block> blocks_;  // versions 3 to 5
  std::unique_ptr<Dict> dict_;
};

}  // namespace tim::store

#endif  // TIM_STORE_DOC_STORE_H_
