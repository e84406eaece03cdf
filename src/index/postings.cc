#include "index/postings.h"

#include <algorithm>

#include "codec/bitpack.h"
#include "codec/file_format.h"
#include "codec/patched.h"
#include "codec/varint.h"

namespace tim::index {

using codec::GetVarint32;
using codec::GetVarint64;
using codec::PutVarint32;
using codec::PutVarint64;

void EncodeTermValue(const TermInfo& info, bool positions, std::string* out) {
  PutVarint32(out, info.doc_freq);
  PutVarint64(out, info.total_freq - info.doc_freq);
  PutVarint64(out, info.doc_freq == 1 ? info.single_doc : info.doc_bytes);
  if (positions) PutVarint64(out, info.pos_bytes);
}

bool DecodeTermValue(std::string_view value, bool positions, std::uint64_t offsets[2],
                     TermInfo* info) {
  const char* p = value.data();
  const char* limit = p + value.size();
  std::uint64_t extra = 0, third = 0, pos_bytes = 0;
  p = GetVarint32(p, limit, &info->doc_freq);
  if (p != nullptr) p = GetVarint64(p, limit, &extra);
  if (p != nullptr) p = GetVarint64(p, limit, &third);
  if (p != nullptr && positions) p = GetVarint64(p, limit, &pos_bytes);
  // (p == limit alone is not enough: an empty view may have a null data().)
  if (p == nullptr || p != limit || info->doc_freq == 0 || extra > (std::uint64_t{1} << 40)) {
    return false;
  }
  info->total_freq = info->doc_freq + extra;
  info->doc_offset = offsets[0];
  info->pos_offset = offsets[1];
  info->pos_bytes = pos_bytes;
  if (info->doc_freq == 1) {
    if (third >= kNoMoreDocs) return false;
    info->single_doc = static_cast<std::uint32_t>(third);
    info->doc_bytes = 0;
  } else {
    info->doc_bytes = third;
  }
  offsets[0] += info->doc_bytes;
  offsets[1] += pos_bytes;
  return true;
}

void EncodeBlockAux(std::uint64_t doc_offset, std::uint64_t pos_offset, std::string* out) {
  PutVarint64(out, doc_offset);
  PutVarint64(out, pos_offset);
}

bool DecodeBlockAux(std::string_view aux, std::uint64_t offsets[2]) {
  const char* p = aux.data();
  const char* limit = p + aux.size();
  p = GetVarint64(p, limit, &offsets[0]);
  if (p != nullptr) p = GetVarint64(p, limit, &offsets[1]);
  return p == limit;
}

void EncodeInts(const std::uint32_t* values, std::size_t n, std::string* out) {
  std::size_t i = 0;
  for (; i + codec::kBlockSize <= n; i += codec::kBlockSize) {
    codec::EncodePatched128(values + i, out);
  }
  for (; i < n; ++i) PutVarint32(out, values[i]);
}

const char* DecodeInts(const char* p, const char* limit, std::size_t n, std::uint32_t* out) {
  std::size_t i = 0;
  for (; i + codec::kBlockSize <= n; i += codec::kBlockSize) {
    p = codec::DecodePatched128(p, limit, out + i);
    if (p == nullptr) return nullptr;
  }
  for (; i < n; ++i) {
    p = GetVarint32(p, limit, &out[i]);
    if (p == nullptr) return nullptr;
  }
  return p;
}

// ---------------------------------------------------------------- writer

void PostingsWriter::StartTerm(bool positions) {
  positions_ = positions;
  docs_.clear();
  tfs_.clear();
  lens_.clear();
  pos_.clear();
  pos_count_.clear();
}

void PostingsWriter::AddDoc(std::uint32_t doc, std::uint32_t tf, std::uint32_t field_len,
                            const std::uint32_t* positions) {
  docs_.push_back(doc);
  tfs_.push_back(tf);
  lens_.push_back(field_len);
  if (positions_) {
    // Positions restart from 0 in each document, so deltas stay small.
    std::uint32_t prev = 0;
    for (std::uint32_t i = 0; i < tf; ++i) {
      pos_.push_back(positions[i] - prev);
      prev = positions[i];
    }
  }
}

void PostingsWriter::FinishTerm(std::uint64_t doc_base, std::uint64_t pos_base, TermInfo* info) {
  const std::size_t df = docs_.size();
  info->doc_freq = static_cast<std::uint32_t>(df);
  info->total_freq = 0;
  for (std::uint32_t tf : tfs_) info->total_freq += tf;
  info->doc_offset = doc_base + doc_out_.size();
  info->pos_offset = pos_base + pos_out_.size();
  const std::size_t pos_before = pos_out_.size();
  if (df == 1) {
    info->single_doc = docs_[0];
    info->doc_bytes = 0;
    if (positions_) EncodeInts(pos_.data(), pos_.size(), &pos_out_);
    info->pos_bytes = pos_out_.size() - pos_before;
    return;
  }
  const bool skip_table = df > kPostingsBlock;
  skip_.clear();
  blocks_.clear();
  std::uint32_t prev_last = 0;
  std::size_t pos_index = 0;
  std::uint32_t scratch[kPostingsBlock];
  for (std::size_t begin = 0; begin < df; begin += kPostingsBlock) {
    const std::size_t end = std::min(df, begin + kPostingsBlock);
    const std::size_t block_start = blocks_.size();
    std::uint32_t prev = prev_last, max_tf = 0, min_len = kNoMoreDocs;
    for (std::size_t i = begin; i < end; ++i) {
      max_tf = std::max(max_tf, tfs_[i]);
      min_len = std::min(min_len, lens_[i]);
    }
    if (end - begin == kPostingsBlock) {
      for (std::size_t i = begin; i < end; ++i) {
        scratch[i - begin] = docs_[i] - prev;
        prev = docs_[i];
      }
      codec::EncodePatched128(scratch, &blocks_);
      for (std::size_t i = begin; i < end; ++i) scratch[i - begin] = tfs_[i] - 1;
      codec::EncodePatched128(scratch, &blocks_);
    } else {
      // The low bit says "frequency 1", the common case, saving a byte.
      for (std::size_t i = begin; i < end; ++i) {
        const std::uint32_t delta = docs_[i] - prev;
        prev = docs_[i];
        PutVarint64(&blocks_, (std::uint64_t{delta} << 1) | (tfs_[i] == 1 ? 1 : 0));
        if (tfs_[i] != 1) PutVarint32(&blocks_, tfs_[i]);
      }
    }
    std::size_t block_pos_bytes = 0;
    if (positions_) {
      std::size_t n = 0;
      for (std::size_t i = begin; i < end; ++i) n += tfs_[i];
      const std::size_t before = pos_out_.size();
      EncodeInts(pos_.data() + pos_index, n, &pos_out_);
      pos_index += n;
      block_pos_bytes = pos_out_.size() - before;
    }
    if (skip_table) {
      PutVarint32(&skip_, docs_[end - 1] - prev_last);
      PutVarint64(&skip_, blocks_.size() - block_start);
      PutVarint32(&skip_, max_tf);
      PutVarint32(&skip_, min_len);
      if (positions_) PutVarint64(&skip_, block_pos_bytes);
    }
    prev_last = docs_[end - 1];
  }
  doc_out_.append(skip_);
  doc_out_.append(blocks_);
  info->doc_bytes = skip_.size() + blocks_.size();
  info->pos_bytes = pos_out_.size() - pos_before;
}

// ---------------------------------------------------------------- cursor

void PostingsCursor::Fail(Status s) {
  if (status_.ok()) status_ = std::move(s);
  doc_ = kNoMoreDocs;
  count_ = 0;
  index_ = 0;
  blocks_ = 0;
}

Status PostingsCursor::Init(const PostingsSource& src, const TermInfo& info, bool positions) {
  src_ = src;
  info_ = info;
  has_positions_ = positions;
  skips_.clear();
  status_ = Status::OK();
  block_ = index_ = count_ = shallow_ = 0;
  max_tf_ = min_len_ = 0;
  pos_loaded_ = false;
  doc_ = kNoMoreDocs;
  const std::uint64_t pos_size =
      src.pos_file.size() - std::min(src.pos_file.size(), codec::kFooterSize);
  if (positions && (info.pos_offset < codec::kHeaderSize || info.pos_offset > pos_size ||
                    info.pos_bytes > pos_size - info.pos_offset)) {
    Fail(codec::CorruptionAt(src.pos_name, info.pos_offset, "positions out of range"));
    return status_;
  }
  if (info.doc_freq == 0) {  // the dictionary never says so (DecodeTermValue)
    Fail(codec::CorruptionAt(src.doc_name, info.doc_offset, "empty postings list"));
    return status_;
  }
  if (info.doc_freq == 1) {
    if (info.single_doc >= src.max_doc || info.total_freq == 0 || info.total_freq > 0xFFFFFFFFu) {
      Fail(codec::CorruptionAt(src.doc_name, 0, "inline posting out of range"));
      return status_;
    }
    blocks_ = 1;
    count_ = 1;
    docs_[0] = info.single_doc;
    tfs_[0] = static_cast<std::uint32_t>(info.total_freq);
    tail_max_tf_ = max_tf_ = tfs_[0];
    doc_ = docs_[0];
    return status_;
  }
  const std::uint64_t doc_size =
      src.doc_file.size() - std::min(src.doc_file.size(), codec::kFooterSize);
  if (info.doc_offset < codec::kHeaderSize || info.doc_offset > doc_size ||
      info.doc_bytes > doc_size - info.doc_offset) {
    Fail(codec::CorruptionAt(src.doc_name, info.doc_offset, "postings out of range"));
    return status_;
  }
  blocks_ = (info.doc_freq + kPostingsBlock - 1) / kPostingsBlock;
  if (info.doc_freq > kPostingsBlock) {
    // Each skip entry takes at least four bytes: bound the allocation by
    // what the file can hold before trusting doc_freq.
    if (blocks_ > info.doc_bytes / 4) {
      Fail(codec::CorruptionAt(src.doc_name, info.doc_offset, "skip table larger than its list"));
      return status_;
    }
    const char* base = src.doc_file.data();
    const char* p = base + info.doc_offset;
    const char* limit = p + info.doc_bytes;
    skips_.resize(blocks_);
    std::uint32_t last = 0;
    std::uint64_t pos_offset = info.pos_offset;
    std::uint64_t lengths = 0;
    for (std::size_t b = 0; b < blocks_; ++b) {
      std::uint32_t delta;
      std::uint64_t bytes, pos_bytes = 0;
      Skip& s = skips_[b];
      p = GetVarint32(p, limit, &delta);
      if (p != nullptr) p = GetVarint64(p, limit, &bytes);
      if (p != nullptr) p = GetVarint32(p, limit, &s.max_tf);
      if (p != nullptr) p = GetVarint32(p, limit, &s.min_len);
      if (p != nullptr && has_positions_) p = GetVarint64(p, limit, &pos_bytes);
      if (p == nullptr || (b > 0 && delta == 0) || delta > kNoMoreDocs - 1 - last) {
        Fail(codec::CorruptionAt(src.doc_name, info.doc_offset, "bad skip table"));
        return status_;
      }
      last += delta;
      s.last_doc = last;
      s.doc_offset = lengths;  // relative for now
      s.pos_offset = pos_offset;
      lengths += bytes;
      pos_offset += pos_bytes;
    }
    const std::uint64_t skip_end = static_cast<std::uint64_t>(p - base);
    if (last >= src.max_doc || lengths != info.doc_offset + info.doc_bytes - skip_end ||
        (has_positions_ && pos_offset != info.pos_offset + info.pos_bytes)) {
      Fail(codec::CorruptionAt(src.doc_name, info.doc_offset, "skip table does not add up"));
      return status_;
    }
    min_len_ = skips_[0].min_len;
    for (Skip& s : skips_) {
      s.doc_offset += skip_end;
      max_tf_ = std::max(max_tf_, s.max_tf);
      min_len_ = std::min(min_len_, s.min_len);
    }
  }
  if (LoadBlock(0)) {
    doc_ = docs_[0];
    if (skips_.empty()) max_tf_ = tail_max_tf_;
  }
  return status_;
}

bool PostingsCursor::LoadBlock(std::size_t block) {
  block_ = block;
  index_ = 0;
  pos_loaded_ = false;
  const std::size_t n =
      std::min<std::size_t>(kPostingsBlock, info_.doc_freq - block * kPostingsBlock);
  const char* base = src_.doc_file.data();
  std::uint64_t start, end;
  if (skips_.empty()) {
    start = info_.doc_offset;
    end = info_.doc_offset + info_.doc_bytes;
  } else {
    start = skips_[block].doc_offset;
    end = block + 1 < skips_.size() ? skips_[block + 1].doc_offset
                                    : info_.doc_offset + info_.doc_bytes;
  }
  const char* p = base + start;
  const char* limit = base + end;
  const std::uint32_t prev = block == 0 ? 0 : skips_[block - 1].last_doc;
  bool ok = true;
  tfs_pending_ = false;
  if (n == kPostingsBlock) {
    p = codec::DecodePatchedDelta128(p, limit, prev, docs_);
    ok = p != nullptr;
    if (ok) {
      // Frequencies wait for the first freq(): a cursor moved only to test
      // membership (AND, phrases) never needs them. They end the block, so
      // decoding them checks that they fill it exactly (DecodeTfs).
      tf_block_ = p;
      tf_end_ = limit;
      p = limit;
      tfs_pending_ = true;
    }
    if (ok && skips_.empty()) ok = DecodeTfs();  // its tail_max_tf_ is needed now
    if (ok) {
      // Damaged deltas must not yield doc ids out of order or out of range
      // (a wrapped sum would).
      std::uint32_t bad = 0;
      for (std::size_t i = 1; i < n; ++i)
        bad |= static_cast<std::uint32_t>(docs_[i] <= docs_[i - 1]);
      const std::uint32_t expect = skips_.empty() ? docs_[n - 1] : skips_[block].last_doc;
      ok = bad == 0 && p == limit && docs_[n - 1] == expect && docs_[n - 1] < src_.max_doc &&
           docs_[0] >= prev && (block == 0 || docs_[0] > prev);
    }
  } else {
    std::uint32_t doc = prev;
    tail_max_tf_ = 0;
    for (std::size_t i = 0; i < n && ok; ++i) {
      std::uint64_t v;
      p = GetVarint64(p, limit, &v);
      if (p == nullptr) {
        ok = false;
        break;
      }
      const std::uint64_t delta = v >> 1;
      std::uint32_t tf = 1;
      if ((v & 1) == 0 && (p = GetVarint32(p, limit, &tf)) == nullptr) {
        ok = false;
        break;
      }
      if ((i > 0 || block > 0) && delta == 0) ok = false;
      // doc < max_doc holds here, so this bounds the sum without overflow.
      if (delta >= src_.max_doc - doc || tf == 0) ok = false;
      doc += static_cast<std::uint32_t>(delta);
      docs_[i] = doc;
      tfs_[i] = tf;
      tail_max_tf_ = std::max(tail_max_tf_, tf);
    }
    if (ok) {
      ok = p == limit && docs_[n - 1] < src_.max_doc &&
           (skips_.empty() ||
            (docs_[n - 1] == skips_[block].last_doc && tail_max_tf_ <= skips_[block].max_tf));
    }
  }
  if (!ok) {
    Fail(codec::CorruptionAt(src_.doc_name, start, "bad postings block"));
    return false;
  }
  if (skips_.empty() && n == kPostingsBlock) {
    tail_max_tf_ = 0;
    for (std::size_t i = 0; i < n; ++i) tail_max_tf_ = std::max(tail_max_tf_, tfs_[i]);
  }
  count_ = n;
  return true;
}

void PostingsCursor::Next() {
  if (doc_ == kNoMoreDocs) return;
  if (++index_ < count_) {
    doc_ = docs_[index_];
    return;
  }
  if (block_ + 1 >= blocks_ || !LoadBlock(block_ + 1)) {
    doc_ = kNoMoreDocs;
    return;
  }
  doc_ = docs_[0];
}

void PostingsCursor::NextGeq(std::uint32_t target) {
  if (doc_ >= target) return;
  if (!skips_.empty() && skips_[block_].last_doc < target) {
    // Gallop over the skip table, then binary search: a far jump (AND, and
    // block-max windows, cross many blocks) costs log(distance).
    std::size_t lo = block_ + 1, step = 1, hi = lo;
    while (hi < skips_.size() && skips_[hi].last_doc < target) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    hi = std::min(hi, skips_.size());
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (skips_[mid].last_doc < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo >= skips_.size() || !LoadBlock(lo)) {
      doc_ = kNoMoreDocs;
      return;
    }
  }
  // In the block: a short scan, or a binary search when the target is far.
  if (index_ + 8 < count_ && docs_[index_ + 8] < target) {
    index_ = static_cast<std::size_t>(std::lower_bound(docs_ + index_ + 9, docs_ + count_, target) -
                                      docs_);
  }
  while (index_ < count_ && docs_[index_] < target) ++index_;
  if (index_ < count_) {
    doc_ = docs_[index_];
    return;
  }
  // Only a list without a skip table gets here: its one block is done.
  doc_ = kNoMoreDocs;
}

Status PostingsCursor::Positions(std::vector<std::uint32_t>* out) {
  out->clear();
  if (doc_ == kNoMoreDocs) return status_;
  if (!has_positions_) return Status::InvalidArgument("the term has no positions");
  if (tfs_pending_ && !DecodeTfs()) return status_;
  if (!pos_loaded_) {
    std::uint64_t start, end;
    if (skips_.empty()) {
      start = info_.pos_offset;
      end = info_.pos_offset + info_.pos_bytes;
    } else {
      start = skips_[block_].pos_offset;
      end = block_ + 1 < skips_.size() ? skips_[block_ + 1].pos_offset
                                       : info_.pos_offset + info_.pos_bytes;
    }
    pos_start_.resize(count_ + 1);
    pos_start_[0] = 0;
    for (std::size_t i = 0; i < count_; ++i) pos_start_[i + 1] = pos_start_[i] + tfs_[i];
    // A position takes at least 1/128 byte (a chunk of 128 zero deltas is
    // one width byte): bound the allocation by the bytes before decoding.
    if (pos_start_[count_] > (end - start) * codec::kBlockSize) {
      Fail(codec::CorruptionAt(src_.pos_name, start, "more positions than bytes"));
      return status_;
    }
    block_pos_.resize(pos_start_[count_]);
    const char* base = src_.pos_file.data();
    const char* p = DecodeInts(base + start, base + end, block_pos_.size(), block_pos_.data());
    if (p != base + end) {
      Fail(codec::CorruptionAt(src_.pos_name, start, "bad positions block"));
      return status_;
    }
    pos_loaded_ = true;
  }
  std::uint32_t pos = 0;
  for (std::uint64_t i = pos_start_[index_]; i < pos_start_[index_ + 1]; ++i) {
    // Each position after the first is larger than the one before, and
    // none wraps past 2^32 - 1.
    if ((i > pos_start_[index_] && block_pos_[i] == 0) || pos + block_pos_[i] < pos) {
      Fail(codec::CorruptionAt(src_.pos_name, info_.pos_offset, "positions not increasing"));
      return status_;
    }
    pos += block_pos_[i];
    out->push_back(pos);
  }
  return Status::OK();
}

bool PostingsCursor::DecodeTfs() {
  tfs_pending_ = false;
  if (codec::DecodePatched128(tf_block_, tf_end_, tfs_) != tf_end_) {
    Fail(codec::CorruptionAt(src_.doc_name,
                             skips_.empty() ? info_.doc_offset : skips_[block_].doc_offset,
                             "bad frequencies in postings block"));
    std::fill(tfs_, tfs_ + kPostingsBlock, 1u);
    return false;
  }
  // A frequency of 0 (a packed 0xFFFFFFFF) or above the skip table's
  // maximum (which block-max bounds trust) is damage.
  // Stored as tf - 1: a stored value of at least the block's max_tf (or
  // 0xFFFFFFFF without a skip table) is one of those. One compare per value,
  // in a loop the compiler vectorises.
  const std::uint32_t limit = skips_.empty() ? 0xFFFFFFFFu : skips_[block_].max_tf;
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < kPostingsBlock; ++i) {
    bad |= static_cast<std::uint32_t>(tfs_[i] >= limit);
    tfs_[i] += 1;
  }
  if (bad != 0) {
    Fail(codec::CorruptionAt(src_.doc_name,
                             skips_.empty() ? info_.doc_offset : skips_[block_].doc_offset,
                             "bad frequencies in postings block"));
    std::fill(tfs_, tfs_ + kPostingsBlock, 1u);
    return false;
  }
  return true;
}

bool PostingsCursor::NextBlock() {
  if (doc_ == kNoMoreDocs) return false;
  if (block_ + 1 >= blocks_ || !LoadBlock(block_ + 1)) {
    doc_ = kNoMoreDocs;
    return false;
  }
  doc_ = docs_[0];
  return true;
}

void PostingsCursor::ShallowSeek(std::uint32_t target) {
  if (skips_.empty()) return;
  if (shallow_ < block_) shallow_ = block_;
  while (shallow_ + 1 < skips_.size() && skips_[shallow_].last_doc < target) ++shallow_;
}

std::uint32_t PostingsCursor::shallow_last_doc() const {
  if (skips_.empty()) return doc_ == kNoMoreDocs ? kNoMoreDocs : docs_[count_ - 1];
  return skips_[std::max(shallow_, block_)].last_doc;
}

std::uint32_t PostingsCursor::shallow_max_tf() const {
  return skips_.empty() ? tail_max_tf_ : skips_[std::max(shallow_, block_)].max_tf;
}

std::uint32_t PostingsCursor::shallow_min_len() const {
  return skips_.empty() ? 0 : skips_[std::max(shallow_, block_)].min_len;
}

std::uint32_t PostingsCursor::block_last_doc() const {
  if (doc_ == kNoMoreDocs) return kNoMoreDocs;
  return skips_.empty() ? docs_[count_ - 1] : skips_[block_].last_doc;
}

std::uint32_t PostingsCursor::block_max_tf() const {
  return skips_.empty() ? tail_max_tf_ : skips_[block_].max_tf;
}

std::uint32_t PostingsCursor::block_min_len() const {
  return skips_.empty() ? 0 : skips_[block_].min_len;
}

}  // namespace tim::index
