#include "store/doc_store.h"

#define ZDICT_STATIC_LINKING_ONLY  // ZDICT_trainFromBuffer_fastCover
#include <zdict.h>
#include <zstd.h>

#include <algorithm>

#include "codec/varint.h"

namespace tim::store {

using codec::GetLengthPrefixed;
using codec::GetVarint32;
using codec::GetVarint64;
using codec::PutLengthPrefixed;
using codec::PutVarint32;
using codec::PutVarint64;

// Body: compressed blocks | dictionary | index | trailer
//   block (decompressed): the serialised documents back to back
// Version 6 (read in place, nothing per block or document built at open):
//   index:   per block a record of kRecordSize bytes: fixed32 first doc |
//            fixed32 decompressed size | fixed64 offset (absolute) | fixed32
//            low 32 bits of the XXH3 of the record's first 16 bytes
//   trailer: fixed64 dictionary offset | fixed64 dictionary size | fixed64
//            index offset | fixed32 doc count | fixed64 blocks | fixed64
//            XXH3 of the trailer's first 36 bytes
// A block's documents and compressed bytes run to the next record's (the
// last block's to doc count and the dictionary).
// Versions 3 to 5:
//   index:   varint blocks, then per block varint ndocs, varint compressed
//            size, varint decompressed size, each doc's varint size
//   trailer: fixed64 dictionary offset | fixed64 dictionary size |
//            fixed64 index offset | fixed32 doc count
// A serialised document: length-prefixed id | varint fields | per field:
// varint field number, length-prefixed text.

namespace {
// No block decompresses to more than this: a damaged size cannot make a
// reader allocate without bound.
constexpr std::uint64_t kMaxRawBlock = std::uint64_t{1} << 30;
constexpr std::size_t kRecordSize = 20;
constexpr std::size_t kTrailerSize = 44, kLegacyTrailerSize = 28;

std::uint32_t Checksum32(const char* p, std::size_t n) {
  return static_cast<std::uint32_t>(codec::Checksum(std::string_view(p, n)));
}
}  // namespace

void SerializeDoc(std::string_view id,
                  const std::vector<std::pair<std::uint32_t, std::string_view>>& fields,
                  std::string* out) {
  PutLengthPrefixed(out, id);
  PutVarint64(out, fields.size());
  for (const auto& [field, text] : fields) {
    PutVarint32(out, field);
    PutLengthPrefixed(out, text);
  }
}

struct StoreWriter::Zstd {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CDict* cdict = nullptr;
  std::string dict;
  ~Zstd() {
    ZSTD_freeCDict(cdict);
    ZSTD_freeCCtx(cctx);
  }
};

StoreWriter::StoreWriter(codec::FileBuilder* file, const StoreOptions& options)
    : file_(file), options_(options), zstd_(std::make_unique<Zstd>()) {
  training_ = options_.dict_training_bytes > 0;
  // Every block's frame carries a checksum of its content, which every
  // read verifies (ZSTD_decompress*): a flipped bit in stored text is an
  // error, not a changed document.
  if (zstd_->cctx != nullptr) {
    ZSTD_CCtx_setParameter(zstd_->cctx, ZSTD_c_compressionLevel, options_.zstd_level);
    ZSTD_CCtx_setParameter(zstd_->cctx, ZSTD_c_checksumFlag, 1);
  }
}

StoreWriter::~StoreWriter() = default;

std::size_t StoreWriter::memory_usage() const {
  return pending_.capacity() + pending_sizes_.capacity() * 4 + index_.capacity() +
         scratch_.capacity() + zstd_->dict.size();
}

Status StoreWriter::Add(std::string_view serialized) {
  pending_.append(serialized.data(), serialized.size());
  pending_sizes_.push_back(static_cast<std::uint32_t>(serialized.size()));
  ++docs_;
  if (training_) {
    if (pending_.size() < options_.dict_training_bytes) return Status::OK();
    TIM_RETURN_IF_ERROR(TrainDictionary());
  }
  if (pending_.size() >= options_.block_bytes) return CutBlock();
  return Status::OK();
}

Status StoreWriter::TrainDictionary() {
  training_ = false;
  // Train on whole documents: they are the unit a block boundary cuts.
  std::vector<std::size_t> sizes(pending_sizes_.begin(), pending_sizes_.end());
  if (pending_.size() >= (1u << 20) && sizes.size() >= 64) {
    // Fixed FastCover parameters rather than ZDICT_trainFromBuffer's search
    // over them: on news text the search took 2-5 times as long (it
    // compresses the samples once per candidate) and chose a dictionary
    // that compressed 0.5% worse than segments of 200 bytes and 8-byte
    // d-mers (docs/performance.md, issue 23 part 6).
    ZDICT_fastCover_params_t params{};
    params.k = 200;
    params.d = 8;
    params.f = 20;
    params.accel = 1;
    params.zParams.compressionLevel = options_.zstd_level;
    std::string dict(options_.dict_bytes, '\0');
    const std::size_t n =
        ZDICT_trainFromBuffer_fastCover(dict.data(), dict.size(), pending_.data(), sizes.data(),
                                        static_cast<unsigned>(sizes.size()), params);
    if (!ZDICT_isError(n)) {
      dict.resize(n);
      zstd_->dict = std::move(dict);
      zstd_->cdict = ZSTD_createCDict(zstd_->dict.data(), zstd_->dict.size(), options_.zstd_level);
      if (zstd_->cdict != nullptr) ZSTD_CCtx_refCDict(zstd_->cctx, zstd_->cdict);
    }
  }
  // Compress what waited for the dictionary, block by block.
  std::size_t size = 0, begin_byte = 0, begin = 0;
  for (std::size_t i = 0; i < pending_sizes_.size(); ++i) {
    size += pending_sizes_[i];
    if (size >= options_.block_bytes) {
      TIM_RETURN_IF_ERROR(Compress(std::string_view(pending_).substr(begin_byte, size),
                                   static_cast<std::uint32_t>(i + 1 - begin)));
      begin_byte += size;
      begin = i + 1;
      size = 0;
    }
  }
  pending_.erase(0, begin_byte);
  pending_sizes_.erase(pending_sizes_.begin(), pending_sizes_.begin() + begin);
  return Status::OK();
}

Status StoreWriter::Compress(std::string_view raw, std::uint32_t ndocs) {
  scratch_.resize(ZSTD_compressBound(raw.size()));
  if (zstd_->cctx == nullptr) return Status::IOError("zstd: out of memory");
  // The level, the checksum flag and the dictionary (once trained) are set
  // on the context.
  const std::size_t n =
      ZSTD_compress2(zstd_->cctx, scratch_.data(), scratch_.size(), raw.data(), raw.size());
  if (ZSTD_isError(n)) return Status::IOError(std::string("zstd: ") + ZSTD_getErrorName(n));
  const std::size_t at = index_.size();
  codec::PutFixed32(&index_, static_cast<std::uint32_t>(compressed_docs_));
  codec::PutFixed32(&index_, static_cast<std::uint32_t>(raw.size()));
  codec::PutFixed64(&index_, file_->offset());
  codec::PutFixed32(&index_, Checksum32(index_.data() + at, kRecordSize - 4));
  compressed_docs_ += ndocs;
  ++blocks_;
  return file_->Append(std::string_view(scratch_.data(), n));
}

Status StoreWriter::CutBlock() {
  const std::size_t ndocs = pending_sizes_.size();
  if (ndocs == 0) return Status::OK();
  TIM_RETURN_IF_ERROR(Compress(pending_, static_cast<std::uint32_t>(ndocs)));
  pending_.clear();
  pending_sizes_.clear();
  return Status::OK();
}

Status StoreWriter::Finish() {
  if (training_) TIM_RETURN_IF_ERROR(TrainDictionary());
  TIM_RETURN_IF_ERROR(CutBlock());
  const std::uint64_t dict_offset = file_->offset();
  TIM_RETURN_IF_ERROR(file_->Append(zstd_->dict));
  const std::uint64_t index_offset = file_->offset();
  TIM_RETURN_IF_ERROR(file_->Append(index_));
  std::string trailer;
  codec::PutFixed64(&trailer, dict_offset);
  codec::PutFixed64(&trailer, zstd_->dict.size());
  codec::PutFixed64(&trailer, index_offset);
  codec::PutFixed32(&trailer, static_cast<std::uint32_t>(docs_));
  codec::PutFixed64(&trailer, blocks_);
  codec::PutFixed64(&trailer, codec::Checksum(trailer));
  return file_->Append(trailer);
}

// ---------------------------------------------------------------- reader

struct StoreReader::Dict {
  ZSTD_DDict* ddict = nullptr;
  ~Dict() { ZSTD_freeDDict(ddict); }
};

StoreReader::StoreReader() = default;
StoreReader::~StoreReader() = default;

bool StoreReader::has_dictionary() const { return dict_ != nullptr; }

Status StoreReader::Open(std::string name, std::string_view file, std::uint32_t doc_count,
                         std::uint32_t version) {
  name_ = std::move(name);
  file_ = file;
  doc_count_ = doc_count;
  blocks_.clear();
  block_count_ = 0;
  dict_.reset();
  inplace_ = version >= 6;
  const std::uint64_t body_end = file.size() - codec::kFooterSize;
  const std::size_t trailer_size = inplace_ ? kTrailerSize : kLegacyTrailerSize;
  if (body_end < codec::kHeaderSize + trailer_size) {
    return codec::CorruptionAt(name_, codec::kHeaderSize, "stored documents have no trailer");
  }
  const std::uint64_t trailer_offset = body_end - trailer_size;
  const char* trailer = file.data() + trailer_offset;
  if (inplace_ && codec::ChecksumMismatch(codec::DecodeFixed64(trailer + 36),
                                          codec::Checksum(std::string_view(trailer, 36)))) {
    return codec::CorruptionAt(name_, trailer_offset,
                               "trailer checksum mismatch: the file is damaged");
  }
  dict_offset_ = codec::DecodeFixed64(trailer);
  const std::uint64_t dict_size = codec::DecodeFixed64(trailer + 8);
  index_offset_ = codec::DecodeFixed64(trailer + 16);
  const std::uint32_t stored_docs = codec::DecodeFixed32(trailer + 24);
  if (stored_docs != doc_count || index_offset_ > trailer_offset || dict_offset_ > index_offset_ ||
      dict_size != index_offset_ - dict_offset_ || dict_offset_ < codec::kHeaderSize) {
    return codec::CorruptionAt(name_, trailer_offset, "bad trailer");
  }
  if (inplace_) {
    block_count_ = codec::DecodeFixed64(trailer + 28);
    if (block_count_ != (trailer_offset - index_offset_) / kRecordSize ||
        (trailer_offset - index_offset_) % kRecordSize != 0 ||
        (block_count_ == 0) != (doc_count == 0) || block_count_ > doc_count) {
      return codec::CorruptionAt(name_, trailer_offset, "bad trailer");
    }
  } else {
    TIM_RETURN_IF_ERROR(OpenLegacyIndex(trailer));
    block_count_ = blocks_.size();
  }
  if (dict_size > 0) {
    dict_ = std::make_unique<Dict>();
    dict_->ddict = ZSTD_createDDict(file.data() + dict_offset_, dict_size);
    if (dict_->ddict == nullptr) return codec::CorruptionAt(name_, dict_offset_, "bad dictionary");
  }
  return Status::OK();
}

Status StoreReader::OpenLegacyIndex(const char* limit) {
  const char* p = file_.data() + index_offset_;
  std::uint64_t nblocks;
  p = GetVarint64(p, limit, &nblocks);
  if (p == nullptr || nblocks > static_cast<std::uint64_t>(limit - p)) {
    return codec::CorruptionAt(name_, index_offset_, "bad block count");
  }
  blocks_.resize(nblocks);
  std::uint64_t offset = codec::kHeaderSize;
  std::uint32_t first = 0;
  for (Block& b : blocks_) {
    const char* at = p;
    p = GetVarint32(p, limit, &b.ndocs);
    if (p != nullptr) p = GetVarint64(p, limit, &b.size);
    if (p != nullptr) p = GetVarint64(p, limit, &b.raw_size);
    std::uint64_t sum = 0;
    for (std::uint32_t i = 0; p != nullptr && i < b.ndocs; ++i) {
      std::uint32_t size;
      p = GetVarint32(p, limit, &size);
      sum += size;
    }
    if (p == nullptr || b.ndocs == 0 || b.ndocs > doc_count_ - first || sum != b.raw_size ||
        b.raw_size > kMaxRawBlock || b.size > dict_offset_ - offset) {
      blocks_.clear();
      return codec::CorruptionAt(name_, at - file_.data(), "bad block index entry");
    }
    b.first_doc = first;
    b.offset = offset;
    first += b.ndocs;
    offset += b.size;
  }
  if (first != doc_count_ || offset != dict_offset_ || p != limit) {
    blocks_.clear();
    return codec::CorruptionAt(name_, index_offset_, "block index does not add up");
  }
  return Status::OK();
}

Status StoreReader::Record(std::uint64_t block, std::uint32_t* first_doc, std::uint32_t* raw_size,
                           std::uint64_t* offset) const {
  const std::uint64_t at = index_offset_ + block * kRecordSize;
  const char* r = file_.data() + at;
  if (codec::ChecksumMismatch(codec::DecodeFixed32(r + 16), Checksum32(r, kRecordSize - 4))) {
    return codec::CorruptionAt(name_, at,
                               "block index record checksum mismatch: the file is damaged");
  }
  *first_doc = codec::DecodeFixed32(r);
  *raw_size = codec::DecodeFixed32(r + 4);
  *offset = codec::DecodeFixed64(r + 8);
  return Status::OK();
}

Status StoreReader::Locate(std::size_t block, Block* out) const {
  if (block >= block_count_) {
    return Status::InvalidArgument(name_ + ": block " + std::to_string(block) + " out of range");
  }
  if (!inplace_) {
    *out = blocks_[block];
    return Status::OK();
  }
  std::uint32_t raw_size, next_first = doc_count_, unused;
  std::uint64_t next_offset = dict_offset_;
  TIM_RETURN_IF_ERROR(Record(block, &out->first_doc, &raw_size, &out->offset));
  if (block + 1 < block_count_) {
    TIM_RETURN_IF_ERROR(Record(block + 1, &next_first, &unused, &next_offset));
  }
  // Block 0 starts the documents and the body; each block holds at least
  // one document and ends before the next begins.
  if ((block == 0 && (out->first_doc != 0 || out->offset != codec::kHeaderSize)) ||
      out->first_doc >= next_first || next_first > doc_count_ || out->offset < codec::kHeaderSize ||
      out->offset >= next_offset || next_offset > dict_offset_ || raw_size > kMaxRawBlock) {
    return codec::CorruptionAt(name_, index_offset_ + block * kRecordSize,
                               "bad block index record");
  }
  out->ndocs = next_first - out->first_doc;
  out->size = next_offset - out->offset;
  out->raw_size = raw_size;
  return Status::OK();
}

Status StoreReader::ReadBlock(std::size_t block, std::string* raw,
                              std::vector<std::string_view>* docs, std::uint32_t* first_doc) const {
  Block b;
  TIM_RETURN_IF_ERROR(Locate(block, &b));
  if (first_doc != nullptr) *first_doc = b.first_doc;
  raw->resize(b.raw_size);
  // One decompression context per thread, reused: creating one per call
  // costs more than decompressing a small block.
  struct FreeDCtx {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
  };
  thread_local std::unique_ptr<ZSTD_DCtx, FreeDCtx> dctx(ZSTD_createDCtx());
  if (dctx == nullptr) return Status::IOError("zstd: out of memory");
  const char* src = file_.data() + b.offset;
  const std::size_t n =
      dict_ ? ZSTD_decompress_usingDDict(dctx.get(), raw->data(), raw->size(), src, b.size,
                                         dict_->ddict)
            : ZSTD_decompressDCtx(dctx.get(), raw->data(), raw->size(), src, b.size);
  if (ZSTD_isError(n) || n != b.raw_size) {
    return codec::CorruptionAt(name_, b.offset, "block does not decompress");
  }
  docs->clear();
  std::string_view rest(*raw);
  StoredDoc scratch;
  for (std::uint32_t i = 0; i < b.ndocs; ++i) {
    const char* begin = rest.data();
    if (!ParseDoc(&rest, &scratch)) {
      return codec::CorruptionAt(name_, b.offset, "bad document in block");
    }
    docs->emplace_back(begin, rest.data() - begin);
  }
  if (!rest.empty()) return codec::CorruptionAt(name_, b.offset, "block longer than its documents");
  return Status::OK();
}

bool ParseDoc(std::string_view* in, StoredDoc* out) {
  const char* p = in->data();
  const char* limit = p + in->size();
  std::string_view id;
  std::uint64_t nfields;
  p = GetLengthPrefixed(p, limit, &id);
  if (p != nullptr) p = GetVarint64(p, limit, &nfields);
  if (p == nullptr || nfields > static_cast<std::uint64_t>(limit - p)) return false;
  out->id.assign(id.data(), id.size());
  out->fields.resize(nfields);
  for (auto& [field, text] : out->fields) {
    std::string_view t;
    p = GetVarint32(p, limit, &field);
    if (p != nullptr) p = GetLengthPrefixed(p, limit, &t);
    if (p == nullptr) return false;
    text.assign(t.data(), t.size());
  }
  in->remove_prefix(p - in->data());
  return true;
}

Status StoreReader::Get(std::uint32_t doc, StoredDoc* out) const {
  if (doc >= doc_count_) {
    return Status::InvalidArgument(name_ + ": doc " + std::to_string(doc) + " out of range");
  }
  // The last block whose first document is <= doc (block 0 starts at 0).
  std::size_t lo = 1, hi = block_count_;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    std::uint32_t first = 0;
    if (inplace_) {
      std::uint32_t raw_size;
      std::uint64_t offset;
      TIM_RETURN_IF_ERROR(Record(mid, &first, &raw_size, &offset));
    } else {
      first = blocks_[mid].first_doc;
    }
    if (first <= doc) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  std::string raw;
  std::vector<std::string_view> docs;
  std::uint32_t first_doc = 0;
  TIM_RETURN_IF_ERROR(ReadBlock(lo - 1, &raw, &docs, &first_doc));
  if (doc - first_doc >= docs.size()) {
    return codec::CorruptionAt(name_, index_offset_, "block index records out of order");
  }
  std::string_view one = docs[doc - first_doc];
  ParseDoc(&one, out);  // cannot fail: ReadBlock parsed every document of the block
  return Status::OK();
}

}  // namespace tim::store
