#include "index/sorted_table.h"

#include <algorithm>

#include "codec/file_format.h"
#include "codec/varint.h"

namespace tim::index {

using codec::GetLengthPrefixed;
using codec::GetVarint32;
using codec::GetVarint64;
using codec::PutLengthPrefixed;
using codec::PutVarint64;

// Body layout: blocks | index | trailer (docs/format.md, "Sorted table").
//
// Version 6:
//   block:   varint aux length | aux | entries
//   entry:   varint shared | varint suffix length | suffix | length-prefixed value
//   index:   per block a record of kRecordSize bytes: fixed64 offset (absolute)
//            | fixed64 KeyPrefix of the first key | fixed32 entries | fixed32
//            block checksum (low 32 bits of the XXH3 of the block's bytes) |
//            fixed32 record checksum (low 32 bits of the XXH3 of the record's
//            first 24 bytes)
//   trailer: fixed64 index offset | fixed64 total entries | fixed64 blocks |
//            fixed64 XXH3 of those 24 bytes
// Versions 3 to 5: blocks hold entries only; the index is varint blocks,
// then per block: length-prefixed first key, length-prefixed aux, varint
// offset, varint entries, fixed32 checksum (version 5); the trailer is
// fixed64 index offset | fixed64 total entries | fixed64 XXH3 of the index
// (version 5).

namespace {
constexpr std::size_t kRecordSize = 28;
constexpr std::size_t kTrailerSize = 32;
constexpr std::uint8_t kRecordChecked = 1, kBlockChecked = 2;

std::uint32_t Checksum32(const char* p, std::size_t n) {
  return static_cast<std::uint32_t>(codec::Checksum(std::string_view(p, n)));
}
}  // namespace

std::uint64_t KeyPrefix(std::string_view key) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    v = (v << 8) | (i < key.size() ? static_cast<std::uint8_t>(key[i]) : 0);
  }
  return v;
}

SortedTableWriter::SortedTableWriter(codec::FileBuilder* file, std::size_t block_entries,
                                     std::size_t block_bytes)
    : file_(file), block_entries_(block_entries), block_bytes_(block_bytes) {}

Status SortedTableWriter::Add(std::string_view key, std::string_view value, std::string_view aux) {
  // Keys are never empty: a suffix is never empty, which lets readers check
  // the order of entries inside a block.
  if (key.empty()) return Status::InvalidArgument("sorted table: empty key");
  if (entries_ > 0 && key <= std::string_view(last_key_)) {
    return Status::InvalidArgument("sorted table: keys out of order");
  }
  std::size_t shared = 0;
  if (block_count_ == 0) {
    PutLengthPrefixed(&block_, aux);
    block_prefix_ = KeyPrefix(key);
  } else {
    const std::size_t max = std::min(key.size(), last_key_.size());
    while (shared < max && key[shared] == last_key_[shared]) ++shared;
  }
  PutVarint64(&block_, shared);
  PutLengthPrefixed(&block_, key.substr(shared));
  PutLengthPrefixed(&block_, value);
  last_key_.assign(key.data(), key.size());
  ++block_count_;
  ++entries_;
  if (block_count_ >= block_entries_ || block_.size() >= block_bytes_) return FlushBlock();
  return Status::OK();
}

Status SortedTableWriter::FlushBlock() {
  if (block_count_ == 0) return Status::OK();
  const std::size_t at = index_.size();
  codec::PutFixed64(&index_, file_->offset());
  codec::PutFixed64(&index_, block_prefix_);
  codec::PutFixed32(&index_, static_cast<std::uint32_t>(block_count_));
  codec::PutFixed32(&index_, Checksum32(block_.data(), block_.size()));
  codec::PutFixed32(&index_, Checksum32(index_.data() + at, kRecordSize - 4));
  ++blocks_;
  block_count_ = 0;
  Status s = file_->Append(block_);
  block_.clear();
  return s;
}

Status SortedTableWriter::Finish() {
  TIM_RETURN_IF_ERROR(FlushBlock());
  const std::uint64_t index_offset = file_->offset();
  TIM_RETURN_IF_ERROR(file_->Append(index_));
  std::string trailer;
  codec::PutFixed64(&trailer, index_offset);
  codec::PutFixed64(&trailer, entries_);
  codec::PutFixed64(&trailer, blocks_);
  codec::PutFixed64(&trailer, codec::Checksum(trailer));
  return file_->Append(trailer);
}

Status SortedTable::Open(std::string name, std::string_view file, std::uint32_t version,
                         SortedTable* out) {
  out->name_ = std::move(name);
  out->file_ = file;
  out->legacy_.clear();
  out->blocks_ = 0;
  out->entries_ = 0;
  out->checksums_ = ChecksumsBlocks(version);
  out->inplace_ = IndexInPlace(version);
  if (!out->inplace_) {
    TIM_RETURN_IF_ERROR(OpenLegacy(file, out));
  } else {
    // Constant time: the trailer only; records and blocks are checked when read.
    const std::size_t body_end = file.size() - codec::kFooterSize;
    if (body_end < codec::kHeaderSize + kTrailerSize) {
      return codec::CorruptionAt(out->name_, codec::kHeaderSize, "sorted table has no trailer");
    }
    const std::uint64_t trailer_at = body_end - kTrailerSize;
    const char* trailer = file.data() + trailer_at;
    if (codec::ChecksumMismatch(codec::DecodeFixed64(trailer + 24),
                                codec::Checksum(std::string_view(trailer, 24)))) {
      return codec::CorruptionAt(out->name_, trailer_at,
                                 "trailer checksum mismatch: the file is damaged");
    }
    out->index_offset_ = codec::DecodeFixed64(trailer);
    out->entries_ = codec::DecodeFixed64(trailer + 8);
    out->blocks_ = codec::DecodeFixed64(trailer + 16);
    if (out->index_offset_ < codec::kHeaderSize || out->index_offset_ > trailer_at ||
        out->blocks_ != (trailer_at - out->index_offset_) / kRecordSize ||
        (trailer_at - out->index_offset_) % kRecordSize != 0 ||
        (out->blocks_ == 0) != (out->entries_ == 0) || out->entries_ < out->blocks_) {
      return codec::CorruptionAt(out->name_, trailer_at, "bad trailer");
    }
  }
  out->checked_ =
      std::make_unique<std::atomic<std::uint8_t>[]>(out->checksums_ ? out->block_count() : 0);
  return Status::OK();
}

Status SortedTable::OpenLegacy(std::string_view file, SortedTable* out) {
  const std::size_t trailer_size = out->checksums_ ? 24 : 16;
  const std::size_t body_end = file.size() - codec::kFooterSize;
  if (body_end < codec::kHeaderSize + trailer_size) {
    return codec::CorruptionAt(out->name_, codec::kHeaderSize, "sorted table has no trailer");
  }
  const char* trailer = file.data() + body_end - trailer_size;
  out->index_offset_ = codec::DecodeFixed64(trailer);
  out->entries_ = codec::DecodeFixed64(trailer + 8);
  if (out->index_offset_ < codec::kHeaderSize || out->index_offset_ > body_end - trailer_size) {
    return codec::CorruptionAt(out->name_, body_end - trailer_size, "index offset out of range");
  }
  if (out->checksums_ &&
      codec::ChecksumMismatch(
          codec::DecodeFixed64(trailer + 16),
          codec::Checksum(
              file.substr(out->index_offset_, body_end - trailer_size - out->index_offset_)))) {
    return codec::CorruptionAt(out->name_, out->index_offset_,
                               "block index checksum mismatch: the file is damaged");
  }
  const char* p = file.data() + out->index_offset_;
  const char* limit = trailer;
  std::uint64_t blocks;
  p = GetVarint64(p, limit, &blocks);
  if (p == nullptr || blocks > static_cast<std::uint64_t>(limit - p)) {
    return codec::CorruptionAt(out->name_, out->index_offset_, "bad block count");
  }
  out->legacy_.resize(blocks);
  std::uint64_t total = 0, prev_offset = 0;
  for (std::uint64_t i = 0; i < blocks; ++i) {
    LegacyBlock& b = out->legacy_[i];
    std::string_view key;
    std::uint32_t entries = 0;
    const char* at = p;
    p = GetLengthPrefixed(p, limit, &key);
    if (p != nullptr) p = GetLengthPrefixed(p, limit, &b.aux);
    if (p != nullptr) p = GetVarint64(p, limit, &b.offset);
    if (p != nullptr) p = GetVarint32(p, limit, &entries);
    if (p != nullptr && out->checksums_) {
      if (limit - p < 4) {
        p = nullptr;
      } else {
        b.checksum = codec::DecodeFixed32(p);
        p += 4;
      }
    }
    if (p == nullptr || entries == 0 ||
        b.offset < std::max<std::uint64_t>(prev_offset, codec::kHeaderSize) ||
        b.offset >= out->index_offset_ || (i > 0 && key <= out->legacy_[i - 1].first_key)) {
      out->legacy_.clear();
      return codec::CorruptionAt(out->name_, at - file.data(), "bad block index entry");
    }
    b.first_key.assign(key.data(), key.size());
    b.entries = entries;
    prev_offset = b.offset + 1;
    total += entries;
  }
  if (p != limit || total != out->entries_) {
    out->legacy_.clear();
    return codec::CorruptionAt(out->name_, p - file.data(), "block index does not add up");
  }
  return Status::OK();
}

Status SortedTable::Record(std::size_t block, std::uint64_t* offset, std::uint64_t* prefix,
                           std::uint32_t* entries, std::uint32_t* checksum) const {
  const std::uint64_t at = index_offset_ + block * kRecordSize;
  const char* r = file_.data() + at;
  // Each record is checked the first time any iterator reads it (a race
  // only checks it twice).
  if ((checked_[block].load(std::memory_order_acquire) & kRecordChecked) == 0) {
    if (codec::ChecksumMismatch(codec::DecodeFixed32(r + 24), Checksum32(r, 24))) {
      return codec::CorruptionAt(name_, at,
                                 "block index record checksum mismatch: the file is damaged");
    }
    checked_[block].fetch_or(kRecordChecked, std::memory_order_acq_rel);
  }
  *offset = codec::DecodeFixed64(r);
  *prefix = codec::DecodeFixed64(r + 8);
  *entries = codec::DecodeFixed32(r + 16);
  *checksum = codec::DecodeFixed32(r + 20);
  return Status::OK();
}

Status SortedTable::Block(std::size_t block, BlockRef* out) const {
  std::uint64_t offset = 0, end = index_offset_;
  std::uint32_t checksum = 0;
  if (inplace_) {
    TIM_RETURN_IF_ERROR(Record(block, &offset, &out->prefix, &out->entries, &checksum));
    if (block + 1 < blocks_) {
      std::uint64_t prefix;
      std::uint32_t entries, sum;
      TIM_RETURN_IF_ERROR(Record(block + 1, &end, &prefix, &entries, &sum));
    }
  } else {
    const LegacyBlock& b = legacy_[block];
    offset = b.offset;
    if (block + 1 < legacy_.size()) end = legacy_[block + 1].offset;
    out->entries = b.entries;
    out->aux = b.aux;
    checksum = b.checksum;
  }
  if (offset < codec::kHeaderSize || offset >= end || end > index_offset_ || out->entries == 0) {
    return codec::CorruptionAt(name_, index_offset_ + block * kRecordSize,
                               "bad block index record");
  }
  out->begin = file_.data() + offset;
  out->end = file_.data() + end;
  // Each block's checksum is checked the first time any iterator of this
  // table reads it (a race only checks it twice).
  if (checksums_ && (checked_[block].load(std::memory_order_acquire) & kBlockChecked) == 0) {
    if (codec::ChecksumMismatch(checksum, Checksum32(out->begin, end - offset))) {
      return codec::CorruptionAt(name_, offset, "block checksum mismatch: the file is damaged");
    }
    checked_[block].fetch_or(kBlockChecked, std::memory_order_acq_rel);
  }
  if (inplace_) {
    out->begin = GetLengthPrefixed(out->begin, out->end, &out->aux);
    if (out->begin == nullptr) return codec::CorruptionAt(name_, offset, "bad block aux");
  }
  return Status::OK();
}

Status SortedTable::FirstKeyAtMost(std::size_t block, std::string_view key, bool* at_most) const {
  std::uint64_t offset, prefix;
  std::uint32_t entries, checksum;
  TIM_RETURN_IF_ERROR(Record(block, &offset, &prefix, &entries, &checksum));
  const std::uint64_t target = KeyPrefix(key);
  if (prefix != target) {
    *at_most = prefix < target;
    return Status::OK();
  }
  // The prefixes tie: read the block's first key (shared 0, so whole).
  BlockRef b;
  TIM_RETURN_IF_ERROR(Block(block, &b));
  std::uint64_t shared;
  std::string_view first;
  const char* p = GetVarint64(b.begin, b.end, &shared);
  if (p != nullptr) p = GetLengthPrefixed(p, b.end, &first);
  if (p == nullptr || shared != 0 || first.empty() || KeyPrefix(first) != prefix) {
    return codec::CorruptionAt(name_, b.begin - file_.data(), "bad first entry of a block");
  }
  *at_most = first <= key;
  return Status::OK();
}

Status SortedTable::FindBlock(std::string_view key, std::size_t* block) const {
  std::size_t lo = 0, hi = block_count();
  if (!inplace_) {
    auto it =
        std::upper_bound(legacy_.begin(), legacy_.end(), key,
                         [](std::string_view k, const LegacyBlock& b) { return k < b.first_key; });
    lo = static_cast<std::size_t>(it - legacy_.begin());
  } else {
    // The number of blocks whose first key is <= key.
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      bool at_most = false;
      TIM_RETURN_IF_ERROR(FirstKeyAtMost(mid, key, &at_most));
      if (at_most) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
  }
  *block = lo == 0 ? 0 : lo - 1;
  return Status::OK();
}

bool SortedTable::Iterator::LoadBlock(std::size_t block) {
  valid_ = false;
  if (block >= table_->block_count()) return false;
  SortedTable::BlockRef b;
  Status s = table_->Block(block, &b);
  if (!s.ok()) return Fail(std::move(s));
  block_ = block;
  p_ = b.begin;
  limit_ = b.end;
  block_entries_ = b.entries;
  prefix_ = b.prefix;
  in_block_ = 0;
  aux_ = b.aux;
  key_.clear();
  return ReadEntry();
}

bool SortedTable::Iterator::ReadEntry() {
  std::uint64_t shared;
  std::string_view suffix;
  const char* at = p_;
  const char* p = GetVarint64(p_, limit_, &shared);
  if (p != nullptr) p = GetLengthPrefixed(p, limit_, &suffix);
  if (p != nullptr) p = GetLengthPrefixed(p, limit_, &value_);
  // Keys must increase inside a block too: front coding gives the first
  // differing byte, which must be larger (or the old key a prefix).
  const bool in_order =
      p != nullptr && shared <= key_.size() && !suffix.empty() &&
      (in_block_ == 0 ? shared == 0
                      : (shared == key_.size() || static_cast<unsigned char>(suffix[0]) >
                                                      static_cast<unsigned char>(key_[shared])));
  if (!in_order) {
    return Fail(codec::CorruptionAt(table_->name_, at - table_->file_.data(), "bad table entry"));
  }
  key_.resize(shared);
  key_.append(suffix.data(), suffix.size());
  if (in_block_ == 0 &&
      (table_->inplace_ ? KeyPrefix(key_) != prefix_ : key_ != table_->legacy_[block_].first_key)) {
    return Fail(codec::CorruptionAt(table_->name_, at - table_->file_.data(),
                                    "block's first key differs from the index"));
  }
  p_ = p;
  valid_ = true;
  ++read_;
  return true;
}

void SortedTable::Iterator::SeekToFirst() {
  from_first_ = true;
  read_ = 0;
  LoadBlock(0);
}

void SortedTable::Iterator::SeekToBlockOf(std::string_view target) {
  valid_ = false;
  from_first_ = false;
  std::size_t block = 0;
  if (table_->block_count() == 0) return;
  Status s = table_->FindBlock(target, &block);
  if (!s.ok()) {
    Fail(std::move(s));
    return;
  }
  LoadBlock(block);
}

void SortedTable::Iterator::Seek(std::string_view target) {
  SeekToBlockOf(target);
  while (valid_ && std::string_view(key_) < target) Next();
}

void SortedTable::Iterator::Next() {
  if (!valid_) return;
  if (++in_block_ < block_entries_) {
    ReadEntry();
  } else if (p_ != limit_) {
    Fail(codec::CorruptionAt(table_->name_, p_ - table_->file_.data(),
                             "block longer than its entry count"));
  } else if (block_ + 1 < table_->block_count()) {
    // A block's last key must come before the next block's first.
    last_.swap(key_);
    const char* at = p_;
    if (LoadBlock(block_ + 1) && key_ <= last_) {
      Fail(codec::CorruptionAt(table_->name_, at - table_->file_.data(),
                               "block's last key is not below the next block's first"));
    }
  } else if (from_first_ && read_ != table_->entries_) {
    Fail(codec::CorruptionAt(table_->name_, p_ - table_->file_.data(),
                             "the blocks hold " + std::to_string(read_) + " entries, the trailer " +
                                 std::to_string(table_->entries_)));
  } else {
    valid_ = false;
  }
}

Status SortedTable::Get(std::string_view key, std::string_view* value, bool* found) const {
  *found = false;
  Iterator it(this);
  it.Seek(key);
  if (it.Valid() && it.key() == key) {
    *found = true;
    *value = it.value();
  }
  return it.status();
}

}  // namespace tim::index
