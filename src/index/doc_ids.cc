#include "index/doc_ids.h"

#include <algorithm>

#include "codec/varint.h"

namespace tim::index {

// Body layout (docs/format.md, "Ids by document"):
//   block b:  the ids of docs [b·kDocIdsPerBlock, ...): the first as varint32
//             length | bytes; each other as varint32 shared (bytes in common
//             with the block's first id) | varint32 suffix length | suffix
//   index:    per block: fixed64 offset (absolute) | fixed32 checksum (low 32
//             bits of the XXH3 of the block's bytes)
//   trailer:  fixed64 index offset | fixed32 doc count | fixed32 docs per
//             block | fixed32 flags (bit 0: each id is bytewise greater than
//             the previous document's) | fixed64 XXH3 of those 20 bytes
// A block ends where the next begins (the last at the index). A damaged
// offset or checksum in the index makes the block's check fail, so the
// index needs no checksum of its own.

namespace {
constexpr std::size_t kRecordSize = 12;
constexpr std::size_t kTrailerSize = 28;
constexpr std::uint32_t kAscending = 1;

std::uint32_t Checksum32(const char* p, std::size_t n) {
  return static_cast<std::uint32_t>(codec::Checksum(std::string_view(p, n)));
}
}  // namespace

Status DocIdsWriter::Add(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) {
    return Status::InvalidArgument("document id must be 1 to " + std::to_string(kMaxIdBytes) +
                                   " bytes");
  }
  if (docs_ > 0 && ascending_ && id <= std::string_view(last_)) ascending_ = false;
  last_.assign(id.data(), id.size());
  if (in_block_ == 0) {
    first_.assign(id.data(), id.size());
    codec::PutLengthPrefixed(&block_, id);
  } else {
    std::size_t shared = 0;
    const std::size_t max = std::min(id.size(), first_.size());
    while (shared < max && id[shared] == first_[shared]) ++shared;
    codec::PutVarint32(&block_, static_cast<std::uint32_t>(shared));
    codec::PutLengthPrefixed(&block_, id.substr(shared));
  }
  ++docs_;
  if (++in_block_ == kDocIdsPerBlock) return FlushBlock();
  return Status::OK();
}

Status DocIdsWriter::FlushBlock() {
  if (in_block_ == 0) return Status::OK();
  codec::PutFixed64(&index_, file_->offset());
  codec::PutFixed32(&index_, Checksum32(block_.data(), block_.size()));
  in_block_ = 0;
  const Status s = file_->Append(block_);
  block_.clear();
  return s;
}

Status DocIdsWriter::Finish(std::uint32_t doc_count) {
  if (doc_count != docs_) {
    return Status::InvalidArgument("ids by document: " + std::to_string(docs_) + " ids for " +
                                   std::to_string(doc_count) + " documents");
  }
  TIM_RETURN_IF_ERROR(FlushBlock());
  std::string trailer;
  codec::PutFixed64(&trailer, file_->offset());
  codec::PutFixed32(&trailer, doc_count);
  codec::PutFixed32(&trailer, kDocIdsPerBlock);
  codec::PutFixed32(&trailer, ascending_ ? kAscending : 0);
  codec::PutFixed64(&trailer, codec::Checksum(trailer));
  TIM_RETURN_IF_ERROR(file_->Append(index_));
  return file_->Append(trailer);
}

Status DocIdsReader::Open(std::string name, std::string_view file, std::uint32_t doc_count) {
  name_ = std::move(name);
  file_ = file;
  doc_count_ = doc_count;
  const std::uint64_t body_end = file.size() - codec::kFooterSize;
  if (file.size() < codec::kFooterSize || body_end < codec::kHeaderSize + kTrailerSize) {
    return codec::CorruptionAt(name_, codec::kHeaderSize, "ids by document have no trailer");
  }
  const std::uint64_t trailer_at = body_end - kTrailerSize;
  const char* trailer = file.data() + trailer_at;
  if (codec::ChecksumMismatch(codec::DecodeFixed64(trailer + 20),
                              codec::Checksum(std::string_view(trailer, 20)))) {
    return codec::CorruptionAt(name_, trailer_at, "trailer checksum mismatch: the file is damaged");
  }
  index_offset_ = codec::DecodeFixed64(trailer);
  const std::uint32_t docs = codec::DecodeFixed32(trailer + 8);
  const std::uint32_t per_block = codec::DecodeFixed32(trailer + 12);
  const std::uint32_t flags = codec::DecodeFixed32(trailer + 16);
  blocks_ = static_cast<std::uint32_t>((std::uint64_t{doc_count} + kDocIdsPerBlock - 1) /
                                       kDocIdsPerBlock);
  if (docs != doc_count) {
    return codec::CorruptionAt(name_, trailer_at,
                               "document count " + std::to_string(docs) +
                                   " differs from the segment's " + std::to_string(doc_count));
  }
  ascending_ = (flags & kAscending) != 0;
  if (per_block != kDocIdsPerBlock || (flags & ~kAscending) != 0 ||
      index_offset_ < codec::kHeaderSize || index_offset_ > trailer_at ||
      trailer_at - index_offset_ != blocks_ * kRecordSize) {
    return codec::CorruptionAt(name_, trailer_at, "bad trailer");
  }
  checked_ = std::make_unique<std::atomic<bool>[]>(blocks_);
  return Status::OK();
}

Status DocIdsReader::Block(std::uint32_t b, const char** begin, const char** end) const {
  const char* record = file_.data() + index_offset_ + std::uint64_t{b} * kRecordSize;
  const std::uint64_t offset = codec::DecodeFixed64(record);
  const std::uint64_t limit =
      b + 1 < blocks_ ? codec::DecodeFixed64(record + kRecordSize) : index_offset_;
  if (offset < codec::kHeaderSize || offset >= limit || limit > index_offset_) {
    return codec::CorruptionAt(name_, index_offset_ + std::uint64_t{b} * kRecordSize,
                               "bad block offset");
  }
  *begin = file_.data() + offset;
  *end = file_.data() + limit;
  if (checked_[b].load(std::memory_order_acquire)) return Status::OK();
  // First read of the block: its checksum, then its layout (exactly its
  // documents' ids, each 1..kMaxIdBytes bytes, ending at the block's end).
  // A race only checks it twice.
  if (codec::ChecksumMismatch(codec::DecodeFixed32(record + 8),
                              Checksum32(*begin, limit - offset))) {
    return codec::CorruptionAt(name_, offset, "block checksum mismatch: the file is damaged");
  }
  const std::uint32_t n = b + 1 < blocks_ ? kDocIdsPerBlock : doc_count_ - b * kDocIdsPerBlock;
  std::string_view first;
  const char* p = codec::GetLengthPrefixed(*begin, *end, &first);
  if (p != nullptr && (first.empty() || first.size() > kMaxIdBytes)) p = nullptr;
  for (std::uint32_t i = 1; i < n && p != nullptr; ++i) {
    std::uint32_t shared;
    std::string_view suffix;
    p = codec::GetVarint32(p, *end, &shared);
    if (p != nullptr) p = codec::GetLengthPrefixed(p, *end, &suffix);
    if (p != nullptr && (shared > first.size() || shared + suffix.size() == 0 ||
                         shared + suffix.size() > kMaxIdBytes)) {
      p = nullptr;
    }
  }
  if (p != *end) return codec::CorruptionAt(name_, offset, "bad block of ids");
  checked_[b].store(true, std::memory_order_release);
  return Status::OK();
}

Status DocIdsReader::Get(std::uint32_t doc, std::string* id) const {
  if (doc >= doc_count_) {
    return Status::InvalidArgument(name_ + ": document " + std::to_string(doc) + " out of range");
  }
  const char* p;
  const char* end;
  TIM_RETURN_IF_ERROR(Block(doc / kDocIdsPerBlock, &p, &end));
  // The block was checked whole: every varint and length is inside it.
  std::string_view first;
  p = codec::GetLengthPrefixed(p, end, &first);
  std::uint32_t i = doc % kDocIdsPerBlock;
  if (i == 0) {
    id->assign(first.data(), first.size());
    return Status::OK();
  }
  // Skip to entry i: one-byte varints (the common case) read inline.
  auto varint = [end](const char*& q) {
    const auto c = static_cast<std::uint8_t>(*q);
    if (c < 0x80) {
      ++q;
      return std::uint32_t{c};
    }
    std::uint32_t v = 0;
    q = codec::GetVarint32(q, end, &v);
    return v;
  };
  std::uint32_t shared = 0, size = 0;
  for (;;) {
    shared = varint(p);
    size = varint(p);
    if (--i == 0) break;
    p += size;
  }
  id->assign(first.data(), shared);
  id->append(p, size);
  return Status::OK();
}

}  // namespace tim::index
