#include "index/columns.h"

#include <algorithm>
#include <cstring>

#include "codec/varint.h"

namespace tim::index {

using codec::DecodeFixed32;
using codec::DecodeFixed64;
using codec::GetLengthPrefixed;
using codec::GetVarint32;
using codec::GetVarint64;
using codec::PutFixed32;
using codec::PutFixed64;
using codec::PutLengthPrefixed;
using codec::PutVarint32;
using codec::PutVarint64;

namespace {

constexpr std::size_t kPad = 8;  // zero bytes after packed values
constexpr std::size_t kBlockRecord = kColumnBlockRecord;
constexpr std::size_t kListRecord = 12;               // offset (fixed64), count (fixed32)
constexpr std::uint64_t kNoList = ~std::uint64_t{0};  // the offset of a value without a list

unsigned BitsFor(std::uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

std::size_t PackedSize(std::uint64_t n, unsigned bits) { return (n * bits + 7) / 8 + kPad; }

// Packs values[i] & mask(bits) at bit i * bits, least significant bit first.
void Pack(const std::vector<std::uint64_t>& values, unsigned bits, std::string* out) {
  const std::size_t start = out->size();
  const auto emit = [&](std::uint64_t word, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i)
      out->push_back(static_cast<char>((word >> (8 * i)) & 0xFF));
  };
  if (bits > 0) {
    const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    std::uint64_t acc = 0;  // the low `held` bits are pending
    unsigned held = 0;
    for (std::uint64_t v : values) {
      v &= mask;
      acc |= v << held;  // held < 64
      if (held + bits >= 64) {
        emit(acc, 8);
        acc = held == 0 ? 0 : v >> (64 - held);
        held = held + bits - 64;
      } else {
        held += bits;
      }
    }
    emit(acc, (held + 7) / 8);
  }
  out->resize(start + PackedSize(values.size(), bits), '\0');
}

}  // namespace

FieldType TypeOfColumn(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kKeyword: return FieldType::kKeyword;
    case ColumnKind::kInt:
    case ColumnKind::kDouble: return FieldType::kNumber;
    case ColumnKind::kDate: return FieldType::kDate;
  }
  return FieldType::kText;
}

// ---- Building ----

ColumnBuilder::Field& ColumnBuilder::Of(std::uint32_t field, FieldType type) {
  Field& f = fields_[field];
  f.type = type;
  return f;
}

void ColumnBuilder::AddKeyword(std::uint32_t field, std::uint32_t doc, std::string_view value) {
  Field& f = Of(field, FieldType::kKeyword);
  auto [it, added] =
      f.ids.try_emplace(std::string(value), static_cast<std::uint32_t>(f.values.size()));
  if (added) {
    f.values.push_back(&it->first);
    memory_ += value.size() + 64;
  }
  f.refs.emplace_back(doc, it->second);
  memory_ += sizeof(f.refs[0]);
}

void ColumnBuilder::AddNumber(std::uint32_t field, std::uint32_t doc, const Number& value) {
  Of(field, FieldType::kNumber).numbers.emplace_back(doc, value);
  memory_ += sizeof(std::pair<std::uint32_t, Number>);
}

void ColumnBuilder::AddDate(std::uint32_t field, std::uint32_t doc, std::int64_t millis) {
  Of(field, FieldType::kDate).numbers.emplace_back(doc, Number::Int(millis));
  memory_ += sizeof(std::pair<std::uint32_t, Number>);
}

namespace {

// A number or date column's section (after its kind byte).
// False when the packed values pass the 4 GiB that block offsets address.
bool WriteNumeric(const std::vector<std::pair<std::uint32_t, Number>>& numbers, bool doubles,
                  std::uint32_t doc_count, std::string* out) {
  std::vector<std::uint64_t> keys(doc_count, 0);
  std::vector<std::uint64_t> presence((doc_count + 63) / 64, 0);
  for (const auto& [doc, n] : numbers) {
    keys[doc] = doubles ? DoubleKey(n.is_double ? n.d : static_cast<double>(n.i)) : IntKey(n.i);
    presence[doc >> 6] |= std::uint64_t{1} << (doc & 63);
  }
  PutVarint32(out, static_cast<std::uint32_t>(numbers.size()));
  if (numbers.size() != doc_count) {
    for (std::uint64_t w : presence) PutFixed64(out, w);
  }
  const auto has = [&](std::uint32_t d) { return (presence[d >> 6] >> (d & 63)) & 1; };
  const std::uint32_t blocks = (doc_count + kColumnBlock - 1) / kColumnBlock;
  std::string records, data;
  std::vector<std::uint64_t> deltas;
  for (std::uint32_t b = 0; b < blocks; ++b) {
    const std::uint32_t first = b * kColumnBlock;
    const std::uint32_t end = std::min(doc_count, first + kColumnBlock);
    std::uint64_t lo = ~std::uint64_t{0}, hi = 0;
    std::uint32_t present = 0;
    for (std::uint32_t d = first; d < end; ++d) {
      if (!has(d)) continue;
      lo = std::min(lo, keys[d]);
      hi = std::max(hi, keys[d]);
      ++present;
    }
    if (present == 0) lo = hi = 0;
    // Only the documents with a value, in order: a sparse column (a date
    // few documents have) costs bits for the values it holds, not for 128.
    deltas.clear();
    for (std::uint32_t d = first; d < end; ++d) {
      if (has(d)) deltas.push_back(keys[d] - lo);
    }
    const unsigned bits = BitsFor(hi - lo);
    PutFixed64(&records, lo);
    PutFixed64(&records, hi);
    PutFixed32(&records, static_cast<std::uint32_t>(data.size()));
    records.push_back(static_cast<char>(bits));
    records.push_back(static_cast<char>(present));
    if (data.size() > UINT32_MAX) return false;
    std::string packed;
    Pack(deltas, bits, &packed);
    data.append(packed.data(), packed.size() - kPad);  // blocks back to back
  }
  data.append(kPad, '\0');
  out->append(records);
  PutVarint64(out, data.size());
  out->append(data);
  return true;
}

void WriteKeyword(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& refs,
                  const std::vector<const std::string*>& values, std::uint32_t doc_count,
                  std::string* out) {
  // Ordinals in bytewise order of the values.
  std::vector<std::uint32_t> order(values.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return *values[a] < *values[b]; });
  std::vector<std::uint32_t> ord_of(values.size());
  for (std::uint32_t o = 0; o < order.size(); ++o) ord_of[order[o]] = o;
  // Each document's ordinals, sorted, without repeats.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  pairs.reserve(refs.size());
  for (const auto& [doc, id] : refs) pairs.emplace_back(doc, ord_of[id]);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  PutVarint32(out, static_cast<std::uint32_t>(values.size()));
  for (std::uint32_t o : order) PutLengthPrefixed(out, *values[o]);
  PutVarint64(out, pairs.size());
  bool multi = false;
  for (std::size_t i = 1; i < pairs.size(); ++i)
    multi = multi || pairs[i].first == pairs[i - 1].first;
  out->push_back(multi ? 1 : 0);
  if (!multi) {
    std::vector<std::uint64_t> ords(doc_count, 0);  // ordinal + 1; 0: no value
    for (const auto& [doc, ord] : pairs) ords[doc] = ord + 1;
    Pack(ords, BitsFor(values.size()), out);
  } else {
    std::vector<std::uint64_t> starts(doc_count + 1, 0), ords;
    for (const auto& [doc, ord] : pairs) {
      ++starts[doc + 1];
      ords.push_back(ord);
    }
    for (std::uint32_t d = 0; d < doc_count; ++d) starts[d + 1] += starts[d];
    Pack(starts, BitsFor(pairs.size()), out);
    Pack(ords, BitsFor(values.size() - 1), out);
  }
  // Each value's documents.
  std::vector<std::vector<std::uint32_t>> docs(values.size());
  for (const auto& [doc, ord] : pairs) docs[ord].push_back(doc);
  std::string lists;
  for (const std::vector<std::uint32_t>& list : docs) {
    const bool listed = list.size() * kListDensity < doc_count;
    PutFixed64(out, listed ? lists.size() : kNoList);
    PutFixed32(out, static_cast<std::uint32_t>(list.size()));
    if (!listed) continue;
    std::uint32_t last = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      PutVarint32(&lists, i == 0 ? list[i] : list[i] - last);
      last = list[i];
    }
  }
  PutVarint64(out, lists.size());
  out->append(lists);
}

}  // namespace

Status ColumnBuilder::Write(std::uint32_t doc_count, std::string* body) const {
  PutVarint32(body, static_cast<std::uint32_t>(fields_.size()));
  std::string section;
  for (const auto& [field, f] : fields_) {
    section.clear();
    ColumnKind kind;
    if (f.type == FieldType::kKeyword) {
      kind = ColumnKind::kKeyword;
      WriteKeyword(f.refs, f.values, doc_count, &section);
    } else {
      bool doubles = false;
      for (const auto& [doc, n] : f.numbers) {
        if (doc >= doc_count) return Status::InvalidArgument("column value past the last document");
        doubles = doubles || n.is_double;
      }
      kind = f.type == FieldType::kDate ? ColumnKind::kDate
                                        : (doubles ? ColumnKind::kDouble : ColumnKind::kInt);
      if (!WriteNumeric(f.numbers, doubles, doc_count, &section)) {
        return Status::InvalidArgument("column of field " + std::to_string(field) +
                                       " past 4 GiB in one segment");
      }
    }
    PutVarint32(body, field);
    body->push_back(static_cast<char>(kind));
    PutVarint64(body, section.size());
    body->append(section);
  }
  return Status::OK();
}

// ---- Reading ----

Status Column::Bad(const char* at, std::string_view what) const {
  return codec::CorruptionAt(
      name_, base_ + static_cast<std::uint64_t>(at - section_),
      "column of field " + std::to_string(field_) + ": " + std::string(what));
}

Status Column::Open(std::string_view section, std::uint64_t base) {
  base_ = base;
  section_ = section.data();
  const char* p = section.data();
  const char* limit = p + section.size();
  return kind_ == ColumnKind::kKeyword ? OpenKeyword(p, limit) : OpenNumeric(p, limit);
}

Status Column::OpenNumeric(const char* p, const char* limit) {
  p = GetVarint32(p, limit, &present_);
  if (p == nullptr || present_ == 0 || present_ > doc_count_) return Bad(section_, "bad count");
  if (present_ != doc_count_) {
    const std::uint64_t bytes = std::uint64_t{(doc_count_ + 63) / 64} * 8;
    if (static_cast<std::uint64_t>(limit - p) < bytes) return Bad(p, "truncated presence");
    presence_ = p;
    p += bytes;
  }
  blocks_ = (doc_count_ + kColumnBlock - 1) / kColumnBlock;
  const std::uint64_t record_bytes = std::uint64_t{blocks_} * kBlockRecord;
  if (static_cast<std::uint64_t>(limit - p) < record_bytes) return Bad(p, "truncated blocks");
  block_records_ = p;
  p += record_bytes;
  std::uint64_t data_size = 0;
  p = GetVarint64(p, limit, &data_size);
  if (p == nullptr || data_size != static_cast<std::uint64_t>(limit - p) || data_size < kPad) {
    return Bad(block_records_, "bad data size");
  }
  data_ = p;
  std::uint64_t present = 0;
  for (std::uint32_t b = 0; b < blocks_; ++b) {
    const char* r = block_records_ + std::uint64_t{b} * kBlockRecord;
    const std::uint64_t offset = DecodeFixed32(r + 16);
    const unsigned bits = static_cast<unsigned char>(r[20]);
    const unsigned in_block = static_cast<unsigned char>(r[21]);
    if (bits > 64 || in_block > kColumnBlock || DecodeFixed64(r) > DecodeFixed64(r + 8) ||
        offset + (std::uint64_t{in_block} * bits + 7) / 8 + kPad > data_size) {
      return Bad(r, "bad block " + std::to_string(b));
    }
    present += in_block;
  }
  if (present != present_) return Bad(block_records_, "block counts disagree with the total");
  return Status::OK();
}

Status Column::OpenKeyword(const char* p, const char* limit) {
  std::uint32_t n = 0;
  p = GetVarint32(p, limit, &n);
  if (p == nullptr || n == 0 || n > static_cast<std::uint64_t>(limit - p)) {
    return Bad(section_, "bad value count");
  }
  values_.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string_view v;
    const char* at = p;
    p = GetLengthPrefixed(p, limit, &v);
    if (p == nullptr || (i > 0 && !(values_.back() < v))) return Bad(at, "bad value dictionary");
    values_.push_back(v);
  }
  p = GetVarint64(p, limit, &refs_);
  if (p == nullptr || p >= limit || refs_ == 0 ||
      refs_ > std::uint64_t{doc_count_} * values_.size()) {
    return Bad(p == nullptr ? section_ : p, "bad value references");
  }
  multi_ = *p++ != 0;
  const auto area = [&](std::uint64_t count, unsigned bits, const char** out) {
    const std::uint64_t size = PackedSize(count, bits);
    if (static_cast<std::uint64_t>(limit - p) < size) return false;
    *out = p;
    p += size;
    return true;
  };
  if (!multi_) {
    ord_bits_ = BitsFor(values_.size());
    if (refs_ > doc_count_ || !area(doc_count_, ord_bits_, &ords_))
      return Bad(p, "truncated ordinals");
  } else {
    start_bits_ = BitsFor(refs_);
    ord_bits_ = BitsFor(values_.size() - 1);
    if (!area(std::uint64_t{doc_count_} + 1, start_bits_, &starts_) ||
        !area(refs_, ord_bits_, &ords_)) {
      return Bad(p, "truncated ordinals");
    }
  }
  const std::uint64_t record_bytes = std::uint64_t{n} * kListRecord;
  if (static_cast<std::uint64_t>(limit - p) < record_bytes) return Bad(p, "truncated lists");
  list_records_ = p;
  p += record_bytes;
  p = GetVarint64(p, limit, &lists_size_);
  if (p == nullptr || lists_size_ != static_cast<std::uint64_t>(limit - p)) {
    return Bad(list_records_, "bad lists size");
  }
  lists_ = p;
  for (std::uint32_t i = 0; i < n; ++i) {
    const char* r = list_records_ + std::uint64_t{i} * kListRecord;
    const std::uint64_t offset = DecodeFixed64(r);
    if ((offset != kNoList && offset > lists_size_) || DecodeFixed32(r + 8) > doc_count_) {
      return Bad(r, "bad list of value " + std::to_string(i));
    }
  }
  return Status::OK();
}

Column::BlockBounds Column::Block(std::uint32_t b) const {
  const char* r = block_records_ + std::uint64_t{b} * kBlockRecord;
  return {DecodeFixed64(r), DecodeFixed64(r + 8), static_cast<unsigned char>(r[21])};
}

std::uint32_t Column::BlockKeys(std::uint32_t b, std::uint64_t* out) const {
  if (b >= blocks_) return 0;
  const char* r = block_records_ + std::uint64_t{b} * kBlockRecord;
  const std::uint64_t min = DecodeFixed64(r);
  const char* data = data_ + DecodeFixed32(r + 16);
  const unsigned bits = static_cast<unsigned char>(r[20]);
  const std::uint32_t count = static_cast<unsigned char>(r[21]);
  for (std::uint32_t i = 0; i < count; ++i) out[i] = min + UnpackBits(data, i, bits);
  return count;
}

void Column::BlockPresence(std::uint32_t b, std::uint64_t* w0, std::uint64_t* w1) const {
  const std::uint32_t first = b * kColumnBlock;
  const std::uint32_t docs = first >= doc_count_ ? 0 : std::min(kColumnBlock, doc_count_ - first);
  if (presence_ == nullptr) {
    *w0 = docs >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << docs) - 1;
    *w1 =
        docs <= 64 ? 0 : (docs == 128 ? ~std::uint64_t{0} : (std::uint64_t{1} << (docs - 64)) - 1);
    return;
  }
  const std::uint64_t words = (std::uint64_t{doc_count_} + 63) / 64;
  *w0 = 2 * std::uint64_t{b} < words ? DecodeFixed64(presence_ + std::uint64_t{b} * 16) : 0;
  *w1 = 2 * std::uint64_t{b} + 1 < words ? DecodeFixed64(presence_ + std::uint64_t{b} * 16 + 8) : 0;
}

Number Column::NumberOf(std::uint64_t key) const {
  return kind_ == ColumnKind::kDouble ? Number::Double(DoubleFromKey(key))
                                      : Number::Int(IntFromKey(key));
}

bool Column::Find(std::string_view value, std::uint32_t* ord) const {
  const std::uint32_t o = LowerBound(value);
  if (o == values_.size() || values_[o] != value) return false;
  *ord = o;
  return true;
}

std::uint32_t Column::LowerBound(std::string_view value) const {
  return static_cast<std::uint32_t>(std::lower_bound(values_.begin(), values_.end(), value) -
                                    values_.begin());
}

bool Column::Ords(std::uint32_t doc, std::vector<std::uint32_t>* out) const {
  out->clear();
  if (doc >= doc_count_) return true;
  if (!multi_) {
    const std::uint64_t v = UnpackBits(ords_, doc, ord_bits_);
    if (v > values_.size()) return false;
    if (v != 0) out->push_back(static_cast<std::uint32_t>(v - 1));
    return true;
  }
  const std::uint64_t begin = UnpackBits(starts_, doc, start_bits_);
  const std::uint64_t end = UnpackBits(starts_, std::uint64_t{doc} + 1, start_bits_);
  if (begin > end || end > refs_ || end - begin > values_.size()) return false;
  for (std::uint64_t i = begin; i < end; ++i) {
    const std::uint64_t o = UnpackBits(ords_, i, ord_bits_);
    if (o >= values_.size() || (!out->empty() && o <= out->back())) return false;
    out->push_back(static_cast<std::uint32_t>(o));
  }
  return true;
}

std::uint32_t Column::DocsWith(std::uint32_t ord) const {
  return DecodeFixed32(list_records_ + std::uint64_t{ord} * kListRecord + 8);
}

bool Column::HasList(std::uint32_t ord) const {
  return DecodeFixed64(list_records_ + std::uint64_t{ord} * kListRecord) != kNoList;
}

Status Column::AddDocs(const std::vector<std::uint32_t>& ords, Roaring* docs) const {
  std::vector<bool> wanted;
  for (const std::uint32_t o : ords) {
    if (o >= values_.size()) return Status::InvalidArgument("no value " + std::to_string(o));
    if (HasList(o)) {
      TIM_RETURN_IF_ERROR(AddList(o, docs));
    } else {
      if (wanted.empty()) wanted.assign(values_.size(), false);
      wanted[o] = true;
    }
  }
  return wanted.empty() ? Status::OK() : ScanOrds(wanted, docs);
}

Status Column::ScanOrds(const std::vector<bool>& wanted, Roaring* docs) const {
  std::uint32_t buf[256];
  std::uint32_t in_buf = 0;
  const auto add = [&](std::uint32_t d) {
    buf[in_buf++] = d;
    if (in_buf == 256) {
      docs->addMany(in_buf, buf);
      in_buf = 0;
    }
  };
  const std::uint64_t n = values_.size();
  if (!multi_) {
    std::vector<std::uint8_t> want(n + 1, 0);  // by ordinal + 1 (0: no value)
    for (std::uint64_t o = 0; o < n; ++o) want[o + 1] = wanted[o] ? 1 : 0;
    // The packed ordinals as a stream, 32 bits at a time (ordinals take at
    // most 32 bits: nvalues is a varint32; the area's 8 padding bytes cover
    // the last read), as UnpackBits would read them.
    const unsigned bits = ord_bits_;
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    const char* p = ords_;
    std::uint64_t stream = 0;
    unsigned have = 0;
    for (std::uint32_t d = 0; d < doc_count_; ++d) {
      if (have < bits) {
        std::uint32_t w;
        std::memcpy(&w, p, 4);
        p += 4;
        stream |= std::uint64_t{w} << have;
        have += 32;
      }
      const std::uint64_t v = stream & mask;
      stream >>= bits;
      have -= bits;
      if (v > n) return Bad(ords_, "bad ordinal of document " + std::to_string(d));
      if (want[v] != 0) add(d);
    }
  } else {
    std::uint64_t begin = UnpackBits(starts_, 0, start_bits_);
    for (std::uint32_t d = 0; d < doc_count_; ++d) {
      const std::uint64_t end = UnpackBits(starts_, std::uint64_t{d} + 1, start_bits_);
      if (begin > end || end > refs_) {
        return Bad(starts_, "bad ordinals of document " + std::to_string(d));
      }
      for (std::uint64_t i = begin; i < end; ++i) {
        const std::uint64_t o = UnpackBits(ords_, i, ord_bits_);
        if (o >= n) return Bad(ords_, "bad ordinal of document " + std::to_string(d));
        if (wanted[o]) {
          add(d);
          break;
        }
      }
      begin = end;
    }
  }
  docs->addMany(in_buf, buf);
  return Status::OK();
}

Status Column::AddList(std::uint32_t ord, Roaring* docs) const {
  const char* r = list_records_ + std::uint64_t{ord} * kListRecord;
  const char* p = lists_ + DecodeFixed64(r);
  const char* limit = lists_ + lists_size_;
  const std::uint32_t count = DecodeFixed32(r + 8);
  std::uint32_t buf[256];
  std::uint32_t in_buf = 0;
  std::uint64_t doc = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t delta = 0;
    p = GetVarint32(p, limit, &delta);
    if (p == nullptr || (i > 0 && delta == 0))
      return Bad(r, "bad list of value " + std::to_string(ord));
    doc = i == 0 ? delta : doc + delta;
    if (doc >= doc_count_)
      return Bad(r, "list of value " + std::to_string(ord) + " past the last document");
    buf[in_buf++] = static_cast<std::uint32_t>(doc);
    if (in_buf == 256) {
      docs->addMany(in_buf, buf);
      in_buf = 0;
    }
  }
  docs->addMany(in_buf, buf);
  return Status::OK();
}

Status ColumnReader::Open(std::string name, std::string_view body, std::uint64_t body_offset,
                          std::uint32_t doc_count) {
  name_ = std::move(name);
  columns_.clear();
  const char* p = body.data();
  const char* limit = p + body.size();
  std::uint32_t n = 0;
  p = GetVarint32(p, limit, &n);
  if (p == nullptr || n > 255) return codec::CorruptionAt(name_, body_offset, "bad column count");
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint64_t at = body_offset + static_cast<std::uint64_t>(p - body.data());
    Column c;
    std::uint64_t size = 0;
    p = GetVarint32(p, limit, &c.field_);
    if (p == nullptr || p >= limit) return codec::CorruptionAt(name_, at, "truncated column");
    const auto kind = static_cast<std::uint8_t>(*p++);
    p = GetVarint64(p, limit, &size);
    if (p == nullptr || kind < 1 || kind > 4 || size > static_cast<std::uint64_t>(limit - p) ||
        (!columns_.empty() && c.field_ <= columns_.back().field_)) {
      return codec::CorruptionAt(name_, at, "bad column header");
    }
    c.kind_ = static_cast<ColumnKind>(kind);
    c.doc_count_ = doc_count;
    c.name_ = name_;
    TIM_RETURN_IF_ERROR(c.Open(std::string_view(p, size),
                               body_offset + static_cast<std::uint64_t>(p - body.data())));
    p += size;
    columns_.push_back(std::move(c));
  }
  if (p != limit) return codec::CorruptionAt(name_, body_offset, "bytes after the last column");
  return Status::OK();
}

const Column* ColumnReader::Find(std::uint32_t field) const {
  for (const Column& c : columns_) {
    if (c.field() == field) return &c;
  }
  return nullptr;
}

Status ColumnReader::Verify() const {
  std::vector<std::uint32_t> ords;
  for (const Column& c : columns_) {
    if (!c.keyword()) {
      for (std::uint32_t b = 0; b < c.blocks(); ++b) {
        const Column::BlockBounds bounds = c.Block(b);
        std::uint32_t present = 0;
        for (std::uint32_t d = b * kColumnBlock;
             d < std::min(c.doc_count(), (b + 1) * kColumnBlock); ++d) {
          if (!c.Has(d)) continue;
          ++present;
          const std::uint64_t k = c.Key(d);
          if (k < bounds.min || k > bounds.max) {
            return c.Bad(c.block_records_ + std::uint64_t{b} * kBlockRecord,
                         "value of document " + std::to_string(d) + " outside its block's bounds");
          }
        }
        if (present != bounds.present) {
          return c.Bad(c.block_records_ + std::uint64_t{b} * kBlockRecord,
                       "block " + std::to_string(b) + " counts the wrong documents");
        }
      }
      continue;
    }
    // Every value's list must name exactly the documents whose ordinals hold it.
    std::vector<std::uint64_t> seen(c.value_count(), 0);
    std::uint64_t refs = 0;
    for (std::uint32_t d = 0; d < c.doc_count(); ++d) {
      if (!c.Ords(d, &ords)) return c.Bad(c.ords_, "bad ordinals of document " + std::to_string(d));
      refs += ords.size();
      for (std::uint32_t o : ords) ++seen[o];
    }
    if (refs != c.refs_) return c.Bad(c.ords_, "ordinals disagree with the reference count");
    for (std::uint32_t o = 0; o < c.value_count(); ++o) {
      Roaring docs;
      TIM_RETURN_IF_ERROR(c.AddDocs(o, &docs));
      if (docs.cardinality() != seen[o] || seen[o] == 0 || c.DocsWith(o) != seen[o]) {
        return c.Bad(c.list_records_,
                     "list of value " + std::to_string(o) + " disagrees with the ordinals");
      }
      for (std::uint32_t d : docs) {
        if (!c.Ords(d, &ords) || !std::binary_search(ords.begin(), ords.end(), o)) {
          return c.Bad(c.list_records_, "list of value " + std::to_string(o) + " names document " +
                                            std::to_string(d) + " without it");
        }
      }
    }
  }
  return Status::OK();
}

}  // namespace tim::index
