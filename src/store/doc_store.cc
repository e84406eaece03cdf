#include "store/doc_store.h"

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
    std::string dict(options_.dict_bytes, '\0');
    const std::size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), pending_.data(),
                                                sizes.data(), static_cast<unsigned>(sizes.size()));
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
      for (std::size_t j = begin; j <= i; ++j) PutVarint32(&index_, pending_sizes_[j]);
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
  PutVarint32(&index_, ndocs);
  PutVarint64(&index_, n);
  PutVarint64(&index_, raw.size());
  ++blocks_;
  return file_->Append(std::string_view(scratch_.data(), n));
}

Status StoreWriter::CutBlock() {
  const std::size_t ndocs = pending_sizes_.size();
  if (ndocs == 0) return Status::OK();
  TIM_RETURN_IF_ERROR(Compress(pending_, static_cast<std::uint32_t>(ndocs)));
  for (std::uint32_t size : pending_sizes_) PutVarint32(&index_, size);
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
  std::string head;
  PutVarint64(&head, blocks_);
  TIM_RETURN_IF_ERROR(file_->Append(head));
  TIM_RETURN_IF_ERROR(file_->Append(index_));
  std::string trailer;
  codec::PutFixed64(&trailer, dict_offset);
  codec::PutFixed64(&trailer, zstd_->dict.size());
  codec::PutFixed64(&trailer, index_offset);
  codec::PutFixed32(&trailer, static_cast<std::uint32_t>(docs_));
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

Status StoreReader::Open(std::string name, std::string_view file, std::uint32_t doc_count) {
  name_ = std::move(name);
  file_ = file;
  doc_count_ = doc_count;
  blocks_.clear();
  dict_.reset();
  const std::uint64_t body_end = file.size() - codec::kFooterSize;
  if (body_end < codec::kHeaderSize + 28) {
    return codec::CorruptionAt(name_, codec::kHeaderSize, "stored documents have no trailer");
  }
  const char* trailer = file.data() + body_end - 28;
  const std::uint64_t dict_offset = codec::DecodeFixed64(trailer);
  const std::uint64_t dict_size = codec::DecodeFixed64(trailer + 8);
  const std::uint64_t index_offset = codec::DecodeFixed64(trailer + 16);
  const std::uint32_t stored_docs = codec::DecodeFixed32(trailer + 24);
  const std::uint64_t trailer_offset = body_end - 28;
  if (stored_docs != doc_count || index_offset > trailer_offset || dict_offset > index_offset ||
      dict_size != index_offset - dict_offset || dict_offset < codec::kHeaderSize) {
    return codec::CorruptionAt(name_, trailer_offset, "bad trailer");
  }
  const char* p = file.data() + index_offset;
  const char* limit = trailer;
  std::uint64_t nblocks;
  p = GetVarint64(p, limit, &nblocks);
  if (p == nullptr || nblocks > static_cast<std::uint64_t>(limit - p)) {
    return codec::CorruptionAt(name_, index_offset, "bad block count");
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
    if (p == nullptr || b.ndocs == 0 || b.ndocs > doc_count - first || sum != b.raw_size ||
        b.raw_size > kMaxRawBlock || b.size > dict_offset - offset) {
      blocks_.clear();
      return codec::CorruptionAt(name_, at - file.data(), "bad block index entry");
    }
    b.first_doc = first;
    b.offset = offset;
    first += b.ndocs;
    offset += b.size;
  }
  if (first != doc_count || offset != dict_offset || p != limit) {
    blocks_.clear();
    return codec::CorruptionAt(name_, index_offset, "block index does not add up");
  }
  if (dict_size > 0) {
    dict_ = std::make_unique<Dict>();
    dict_->ddict = ZSTD_createDDict(file.data() + dict_offset, dict_size);
    if (dict_->ddict == nullptr) return codec::CorruptionAt(name_, dict_offset, "bad dictionary");
  }
  return Status::OK();
}

Status StoreReader::ReadBlock(std::size_t block, std::string* raw,
                              std::vector<std::string_view>* docs) const {
  const Block& b = blocks_[block];
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
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), doc,
                             [](std::uint32_t d, const Block& b) { return d < b.first_doc; });
  const std::size_t block = static_cast<std::size_t>(it - blocks_.begin()) - 1;
  std::string raw;
  std::vector<std::string_view> docs;
  TIM_RETURN_IF_ERROR(ReadBlock(block, &raw, &docs));
  std::string_view one = docs[doc - blocks_[block].first_doc];
  ParseDoc(&one, out);  // cannot fail: ReadBlock parsed every document of the block
  return Status::OK();
}

}  // namespace tim::store
