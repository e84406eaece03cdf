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

// Body layout: blocks | index | trailer.
//   entry:   varint shared | varint suffix length | suffix | length-prefixed value
//   index:   varint blocks, then per block: length-prefixed first key,
//            length-prefixed aux, varint offset (absolute), varint entries,
//            fixed32 checksum (version 5: the low 32 bits of the XXH3 of
//            the block's bytes)
//   trailer: fixed64 index offset (absolute) | fixed64 total entries |
//            fixed64 XXH3 of the index (version 5)

namespace {
std::uint32_t BlockChecksum(const char* p, std::size_t n) {
  return static_cast<std::uint32_t>(codec::Checksum(std::string_view(p, n)));
}
}  // namespace

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
    PutLengthPrefixed(&index_, key);
    PutLengthPrefixed(&index_, aux);
    PutVarint64(&index_, file_->offset());
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
  PutVarint64(&index_, block_count_);
  codec::PutFixed32(&index_, BlockChecksum(block_.data(), block_.size()));
  ++blocks_;
  block_count_ = 0;
  Status s = file_->Append(block_);
  block_.clear();
  return s;
}

Status SortedTableWriter::Finish() {
  TIM_RETURN_IF_ERROR(FlushBlock());
  const std::uint64_t index_offset = file_->offset();
  std::string index;
  PutVarint64(&index, blocks_);
  index += index_;
  TIM_RETURN_IF_ERROR(file_->Append(index));
  std::string trailer;
  codec::PutFixed64(&trailer, index_offset);
  codec::PutFixed64(&trailer, entries_);
  codec::PutFixed64(&trailer, codec::Checksum(index));
  return file_->Append(trailer);
}

Status SortedTable::Open(std::string name, std::string_view file, std::uint32_t version,
                         SortedTable* out) {
  out->name_ = std::move(name);
  out->file_ = file;
  out->blocks_.clear();
  out->checksums_ = ChecksumsBlocks(version);
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
  out->blocks_.resize(blocks);
  std::uint64_t total = 0, prev_offset = 0;
  for (std::uint64_t i = 0; i < blocks; ++i) {
    Block& b = out->blocks_[i];
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
        b.offset >= out->index_offset_ || (i > 0 && key <= out->blocks_[i - 1].first_key)) {
      out->blocks_.clear();
      return codec::CorruptionAt(out->name_, at - file.data(), "bad block index entry");
    }
    b.first_key.assign(key.data(), key.size());
    b.entries = entries;
    prev_offset = b.offset + 1;
    total += entries;
  }
  if (p != limit || total != out->entries_) {
    out->blocks_.clear();
    return codec::CorruptionAt(out->name_, p - file.data(), "block index does not add up");
  }
  out->verified_ = std::make_unique<std::atomic<bool>[]>(out->checksums_ ? blocks : 0);
  return Status::OK();
}

std::size_t SortedTable::FindBlock(std::string_view key) const {
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), key,
                             [](std::string_view k, const Block& b) { return k < b.first_key; });
  return it == blocks_.begin() ? 0 : static_cast<std::size_t>(it - blocks_.begin() - 1);
}

bool SortedTable::Iterator::LoadBlock(std::size_t block) {
  valid_ = false;
  if (block >= table_->blocks_.size()) return false;
  const Block& b = table_->blocks_[block];
  block_ = block;
  p_ = table_->file_.data() + b.offset;
  const std::uint64_t end = block + 1 < table_->blocks_.size() ? table_->blocks_[block + 1].offset
                                                               : table_->index_offset_;
  limit_ = table_->file_.data() + end;
  // Each block's checksum is checked the first time any iterator of this
  // table reads it (a race only checks it twice).
  if (table_->checksums_ && !table_->verified_[block].load(std::memory_order_acquire)) {
    if (codec::ChecksumMismatch(b.checksum, BlockChecksum(p_, limit_ - p_))) {
      status_ = codec::CorruptionAt(table_->name_, b.offset,
                                    "block checksum mismatch: the file is damaged");
      return false;
    }
    table_->verified_[block].store(true, std::memory_order_release);
  }
  block_entries_ = b.entries;
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
    status_ = codec::CorruptionAt(table_->name_, at - table_->file_.data(), "bad table entry");
    valid_ = false;
    return false;
  }
  key_.resize(shared);
  key_.append(suffix.data(), suffix.size());
  if (in_block_ == 0 && key_ != table_->blocks_[block_].first_key) {
    status_ = codec::CorruptionAt(table_->name_, at - table_->file_.data(),
                                  "block's first key differs from the index");
    valid_ = false;
    return false;
  }
  p_ = p;
  valid_ = true;
  return true;
}

void SortedTable::Iterator::SeekToFirst() { LoadBlock(0); }

void SortedTable::Iterator::SeekToBlockOf(std::string_view target) {
  if (table_->blocks_.empty()) {
    valid_ = false;
    return;
  }
  LoadBlock(table_->FindBlock(target));
}

void SortedTable::Iterator::Seek(std::string_view target) {
  if (table_->blocks_.empty()) {
    valid_ = false;
    return;
  }
  if (!LoadBlock(table_->FindBlock(target))) return;
  while (valid_ && std::string_view(key_) < target) Next();
}

void SortedTable::Iterator::Next() {
  if (!valid_) return;
  if (++in_block_ < block_entries_) {
    ReadEntry();
  } else if (p_ != limit_) {
    status_ = codec::CorruptionAt(table_->name_, p_ - table_->file_.data(),
                                  "block longer than its entry count");
    valid_ = false;
  } else if (block_ + 1 < table_->blocks_.size() && key_ >= table_->blocks_[block_ + 1].first_key) {
    // The index orders first keys; a block's last key must come before the next's first.
    status_ = codec::CorruptionAt(table_->name_, p_ - table_->file_.data(),
                                  "block's last key is not below the next block's first");
    valid_ = false;
  } else {
    LoadBlock(block_ + 1);
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
