#include "index/segment_builder.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "codec/varint.h"

namespace tim::index {

namespace {
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
// Slice sizes by level, each ending in a 4-byte pointer to the next slice.
constexpr std::uint32_t kSliceSize[8] = {16, 32, 64, 128, 256, 512, 1024, 2048};
constexpr std::uint8_t kMaxLevel = 7;
}  // namespace

// Append-only byte pool of 64 KiB blocks; an address is block << 16 | offset.
class SegmentBuilder::Pool {
 public:
  static constexpr std::uint32_t kBlockSize = 1u << 16;

  std::uint8_t* At(std::uint32_t addr) { return blocks_[addr >> 16].get() + (addr & 0xFFFF); }

  std::uint32_t Alloc(std::uint32_t size) {
    if (used_ + size > kBlockSize) {
      // Uninitialised: every byte is written before it is read, and zeroing
      // 64 KiB blocks showed up in profiles.
      blocks_.emplace_back(static_cast<std::uint8_t*>(std::malloc(kBlockSize)));
      if (blocks_.back() == nullptr) std::abort();
      used_ = 0;
    }
    const std::uint32_t addr = static_cast<std::uint32_t>((blocks_.size() - 1) << 16) | used_;
    used_ += size;
    return addr;
  }

  std::size_t bytes() const { return blocks_.size() * std::size_t{kBlockSize}; }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  std::vector<std::unique_ptr<std::uint8_t, Free>> blocks_;
  std::uint32_t used_ = kBlockSize;
};

namespace {

struct Stream {
  std::uint32_t head = kNone, at = 0, end = 0;
  std::uint8_t level = 0;
};

// Term::second of an exact term not yet given a language-model number (the
// model's numbers, kNone included, never take this value).
constexpr std::uint32_t kLmUnset = 0xFFFFFFFEu;
static_assert(kLmUnset != LanguageModelBuilder::kNone);

}  // namespace

struct SegmentBuilder::Term {
  // A bigram's key is made at Flush(); until then key_size is 0 and
  // first/second name its syllables' folded terms. An exact term's first is
  // its folded term and its second its number in the language model
  // (kLmUnset until its first word is counted): kept here, in the cache line
  // the inversion loads anyway, rather than in an array of its own.
  std::uint32_t key_offset = 0;
  std::uint32_t key_size = 0;
  std::uint32_t first = 0, second = 0;
  std::uint32_t last_doc = 0;  // doc of the last posting written
  std::uint32_t df = 0;
  std::uint32_t tf = 0;  // occurrences in the current document
  std::uint32_t last_pos = 0;
  Stream docs, pos;
};

namespace {

template <typename PoolT>
void WriteByte(PoolT* pool, Stream* s, std::uint8_t b) {
  if (s->at == s->end) {
    std::uint8_t level = 0;
    if (s->head != kNone) level = std::min<std::uint8_t>(s->level + 1, kMaxLevel);
    const std::uint32_t addr = pool->Alloc(kSliceSize[level]);
    if (s->head == kNone) {
      s->head = addr;
    } else {
      std::memcpy(pool->At(s->end), &addr, 4);
    }
    s->level = level;
    s->at = addr;
    s->end = addr + kSliceSize[level] - 4;
  }
  *pool->At(s->at++) = b;
}

template <typename PoolT>
void WriteVarint(PoolT* pool, Stream* s, std::uint32_t v) {
  // A slice lies within one pool block: when the rest of it holds the
  // longest varint, write through one pointer (most writes).
  if (s->end - s->at >= 5) {
    std::uint8_t* const first = pool->At(s->at);
    std::uint8_t* p = first;
    while (v >= 0x80) {
      *p++ = static_cast<std::uint8_t>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<std::uint8_t>(v);
    s->at += static_cast<std::uint32_t>(p - first);
    return;
  }
  while (v >= 0x80) {
    WriteByte(pool, s, static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  WriteByte(pool, s, static_cast<std::uint8_t>(v));
}

template <typename PoolT>
class StreamReader {
 public:
  StreamReader(PoolT* pool, const Stream& s)
      : pool_(pool), at_(s.head), end_(s.head + kSliceSize[0] - 4) {}
  std::uint32_t ReadVarint() {
    if (end_ - at_ >= 5) {  // within the slice: decode through one pointer
      const std::uint8_t* const first = pool_->At(at_);
      const std::uint8_t* p = first;
      std::uint32_t v = *p & 0x7F;
      for (int shift = 7; *p++ >= 0x80; shift += 7)
        v |= static_cast<std::uint32_t>(*p & 0x7F) << shift;
      at_ += static_cast<std::uint32_t>(p - first);
      return v;
    }
    std::uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
      const std::uint8_t b = ReadByte();
      v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
      if (b < 0x80) return v;
    }
  }

 private:
  std::uint8_t ReadByte() {
    if (at_ == end_) {
      std::uint32_t next;
      std::memcpy(&next, pool_->At(end_), 4);
      level_ = std::min<std::uint8_t>(level_ + 1, kMaxLevel);
      at_ = next;
      end_ = next + kSliceSize[level_] - 4;
    }
    return *pool_->At(at_++);
  }
  PoolT* pool_;
  std::uint32_t at_, end_;
  std::uint8_t level_ = 0;
};

}  // namespace

SegmentBuilder::SegmentBuilder(const Analyzer* analyzer, FileSystem* fs, std::string dir,
                               std::string name, const store::StoreOptions& store_options)
    : analyzer_(analyzer),
      fs_(fs),
      dir_(std::move(dir)),
      name_(std::move(name)),
      pool_(std::make_unique<Pool>()),
      slots_(1u << 16),
      bigram_slots_(1u << 16),
      norms_(kMaxFields) {
  status_ = writer_.Open(fs_, dir_, name_, store_options);
}

SegmentBuilder::~SegmentBuilder() = default;

std::size_t SegmentBuilder::memory_usage() const {
  std::size_t norms = 0;
  for (const auto& n : norms_) norms += n.capacity() * 4;
  return pool_->bytes() + terms_.capacity() * sizeof(Term) + key_arena_.capacity() +
         slots_.size() * sizeof(Slot) + bigram_slots_.size() * sizeof(BigramSlot) + norms +
         id_bytes_ + writer_.store_memory() + lm_.memory_usage() + columns_.memory_usage();
}

namespace {
inline std::size_t MixPair(std::uint64_t pair) {
  // Fibonacci hashing spreads the consecutive term numbers over the table.
  return static_cast<std::size_t>((pair * 0x9E3779B97F4A7C15ull) >> 20);
}
}  // namespace

void SegmentBuilder::Grow() {
  std::vector<Slot> slots(slots_.size() * 2);
  const std::size_t mask = slots.size() - 1;
  for (const Slot& old : slots_) {
    if (old.term_plus_one == 0) continue;
    std::size_t s = old.hash & mask;
    while (slots[s].term_plus_one != 0) s = (s + 1) & mask;
    slots[s] = old;
  }
  slots_.swap(slots);
}

void SegmentBuilder::GrowBigrams() {
  std::vector<BigramSlot> slots(bigram_slots_.size() * 2);
  const std::size_t mask = slots.size() - 1;
  for (const BigramSlot& old : bigram_slots_) {
    if (old.term_plus_one == 0) continue;
    std::size_t s = MixPair(old.pair) & mask;
    while (slots[s].term_plus_one != 0) s = (s + 1) & mask;
    slots[s] = old;
  }
  bigram_slots_.swap(slots);
}

inline SegmentBuilder::Term& SegmentBuilder::TermStore::operator[](std::uint32_t i) {
  return chunks_[i >> kShift][i & kMask];
}

inline const SegmentBuilder::Term& SegmentBuilder::TermStore::operator[](std::uint32_t i) const {
  return chunks_[i >> kShift][i & kMask];
}

std::uint32_t SegmentBuilder::TermStore::Add() {
  if ((size_ & kMask) == 0) chunks_.emplace_back(new Term[std::size_t{1} << kShift]);
  return size_++;
}

std::uint32_t SegmentBuilder::NewTerm() { return terms_.Add(); }

std::uint32_t SegmentBuilder::FindOrAdd(std::string_view key, std::uint64_t hash64, bool* created) {
  const auto hash = static_cast<std::uint32_t>(hash64);
  const std::size_t mask = slots_.size() - 1;
  std::size_t s = hash & mask;
  for (; slots_[s].term_plus_one != 0; s = (s + 1) & mask) {
    if (slots_[s].hash != hash) continue;
    const Term& t = terms_[slots_[s].term_plus_one - 1];
    if (t.key_size == key.size() &&
        std::memcmp(key_arena_.data() + t.key_offset, key.data(), key.size()) == 0) {
      return slots_[s].term_plus_one - 1;
    }
  }
  *created = true;
  const std::uint32_t id = NewTerm();
  Term& t = terms_[id];
  t.key_offset = static_cast<std::uint32_t>(key_arena_.size());
  t.key_size = static_cast<std::uint32_t>(key.size());
  key_arena_.append(key.data(), key.size());
  slots_[s].term_plus_one = id + 1;
  slots_[s].hash = hash;
  // Keep the load factor under one half so probes stay short.
  if ((terms_.size() - bigram_count_) * 2 > slots_.size()) Grow();
  return id;
}

std::uint32_t SegmentBuilder::FindOrAddBigram(std::uint32_t first, std::uint32_t second) {
  const std::uint64_t pair = (std::uint64_t{first} << 32) | second;
  const std::size_t mask = bigram_slots_.size() - 1;
  std::size_t s = MixPair(pair) & mask;
  for (; bigram_slots_[s].term_plus_one != 0; s = (s + 1) & mask) {
    if (bigram_slots_[s].pair == pair) return bigram_slots_[s].term_plus_one - 1;
  }
  const std::uint32_t id = NewTerm();
  terms_[id].first = first;
  terms_[id].second = second;
  bigram_slots_[s].pair = pair;
  bigram_slots_[s].term_plus_one = id + 1;
  if (++bigram_count_ * 2 > bigram_slots_.size()) GrowBigrams();
  return id;
}

void SegmentBuilder::AddOccurrence(std::uint32_t id, std::uint32_t position, bool positions) {
  Term& t = terms_[id];
  if (t.tf == 0) {
    doc_terms_.push_back(id);
    t.last_pos = 0;
  } else if (position <= t.last_pos) {
    return;  // two forms met at one position: count the word once
  }
  ++t.tf;
  if (positions) WriteVarint(pool_.get(), &t.pos, position - t.last_pos);
  t.last_pos = position;
}

void SegmentBuilder::LookupField(std::uint32_t field) {
  lookups_.clear();
  keys_.clear();
  const std::size_t mask = slots_.size() - 1;
  // Pass 1: hash each word's exact key and prefetch its slot. The exact form
  // determines the folded one, so an exact term remembers its folded term
  // (Term::first) and one lookup serves both.
  const std::vector<Token>& tokens = analysis_.tokens();
  for (std::uint32_t t = 0; t < tokens.size(); ++t) {
    const Token& token = tokens[t];
    Lookup l{};
    l.token = t;
    l.position = token.position;
    if (token.kind == TokenKind::kBigram) {
      l.kind = TermKind::kBigram;
      lookups_.push_back(l);
      continue;
    }
    const std::string_view exact = analysis_.exact(token);
    l.kind = TermKind::kExact;
    l.word = token.kind == TokenKind::kWord;
    l.key_offset = static_cast<std::uint32_t>(keys_.size());
    keys_.push_back(static_cast<char>(field));
    keys_.push_back(static_cast<char>(TermKind::kExact));
    keys_.append(exact.data(), exact.size());
    l.key_size = static_cast<std::uint32_t>(keys_.size() - l.key_offset);
    l.hash = XXH3_64bits(keys_.data() + l.key_offset, l.key_size);
    __builtin_prefetch(&slots_[static_cast<std::uint32_t>(l.hash) & mask]);
    lookups_.push_back(l);
  }
  // Pass 2: prefetch the terms the slots point to, then their key bytes.
  for (const Lookup& l : lookups_) {
    if (l.kind == TermKind::kBigram) continue;
    const Slot& slot = slots_[static_cast<std::uint32_t>(l.hash) & mask];
    if (slot.term_plus_one != 0) __builtin_prefetch(&terms_[slot.term_plus_one - 1]);
  }
  for (const Lookup& l : lookups_) {
    if (l.kind == TermKind::kBigram) continue;
    const Slot& slot = slots_[static_cast<std::uint32_t>(l.hash) & mask];
    if (slot.term_plus_one != 0 && slot.hash == static_cast<std::uint32_t>(l.hash)) {
      __builtin_prefetch(key_arena_.data() + terms_[slot.term_plus_one - 1].key_offset);
    }
  }
  // Pass 3: the words' exact and folded terms.
  word_terms_.resize(analysis_.word_count());
  std::string& key = folded_key_;
  for (std::size_t i = 0; i < lookups_.size(); ++i) {
    Lookup& l = lookups_[i];
    if (l.kind == TermKind::kBigram) continue;
    bool created = false;
    l.term = FindOrAdd(std::string_view(keys_.data() + l.key_offset, l.key_size), l.hash, &created);
    if (created) {
      const Token& token = analysis_.tokens()[l.token];
      key.assign(keys_.data() + l.key_offset, 1);
      key.push_back(static_cast<char>(TermKind::kFolded));
      key.append(analysis_.folded(token));
      bool unused = false;
      const std::uint32_t folded = FindOrAdd(key, XXH3_64bits(key.data(), key.size()), &unused);
      terms_[l.term].first = folded;
      terms_[l.term].second = kLmUnset;
    }
    l.folded = terms_[l.term].first;
    if (l.word) word_terms_[l.position] = l.folded;
  }
  // Pass 4: bigrams, keyed by their words' folded terms (a bigram stands at
  // its first word's position; the second word is next).
  const std::size_t bigram_mask = bigram_slots_.size() - 1;
  for (Lookup& l : lookups_) {
    if (l.kind != TermKind::kBigram) continue;
    l.hash = (std::uint64_t{word_terms_[l.position]} << 32) | word_terms_[l.position + 1];
    __builtin_prefetch(&bigram_slots_[MixPair(l.hash) & bigram_mask]);
  }
  for (Lookup& l : lookups_) {
    if (l.kind != TermKind::kBigram) continue;
    l.term = FindOrAddBigram(static_cast<std::uint32_t>(l.hash >> 32),
                             static_cast<std::uint32_t>(l.hash));
  }
  // Pass 5: the term states AddOccurrence will update.
  for (const Lookup& l : lookups_) {
    __builtin_prefetch(&terms_[l.term]);
    if (l.kind != TermKind::kBigram) __builtin_prefetch(&terms_[l.folded]);
  }
}

void SegmentBuilder::CountLanguageModel(std::uint32_t field) {
  lm_ids_.assign(analysis_.word_count(), LanguageModelBuilder::kNone);
  for (const Lookup& l : lookups_) {
    if (l.kind == TermKind::kBigram || !l.word) continue;
    std::uint32_t& id = terms_[l.term].second;
    if (id == kLmUnset) {
      const Token& token = analysis_.tokens()[l.token];
      id = lm_.Intern(analysis_.exact(token), analysis_.folded(token));
    }
    lm_ids_[l.position] = id;
  }
  lm_.AddField(analysis_, lm_ids_, field == title_field_);
}

Status SegmentBuilder::Add(std::string_view id,
                           const std::vector<std::pair<std::uint32_t, std::string_view>>& fields,
                           const std::vector<TypedValue>& typed) {
  if (!status_.ok()) return status_;
  const std::uint32_t doc = doc_count_;
  std::uint64_t typed_fields[4] = {0, 0, 0, 0};  // a bit per field number < 256
  for (const TypedValue& v : typed) {
    if (v.field >= kMaxFields || (v.type == FieldType::kKeyword && v.text >= fields.size())) {
      return Status::InvalidArgument("typed value out of range");
    }
    typed_fields[v.field >> 6] |= std::uint64_t{1} << (v.field & 63);
  }
  for (const auto& [field, text] : fields) {
    if (field >= kMaxFields) return Status::InvalidArgument("field number out of range");
    if ((typed_fields[field >> 6] >> (field & 63)) & 1) continue;  // a column's, not analysed
    status_ = analyzer_->Analyze(text, &analysis_);
    if (!status_.ok()) return status_;
    std::vector<std::uint32_t>& norms = norms_[field];
    if (norms.size() <= doc) norms.resize(doc + 1, 0);
    norms[doc] += analysis_.word_count();
    const std::uint32_t base = norms[doc] - analysis_.word_count();
    LookupField(field);
    CountLanguageModel(field);
    for (const Lookup& l : lookups_) {
      if (l.kind != TermKind::kBigram) AddOccurrence(l.folded, base + l.position, true);
      AddOccurrence(l.term, base + l.position, false);
    }
  }
  // Write the document's postings: delta from the term's last doc, then tf.
  for (std::uint32_t tid : doc_terms_) {
    Term& t = terms_[tid];
    WriteVarint(pool_.get(), &t.docs, doc - (t.df == 0 ? 0 : t.last_doc));
    WriteVarint(pool_.get(), &t.docs, t.tf);
    t.last_doc = doc;
    ++t.df;
    t.tf = 0;
  }
  doc_terms_.clear();
  for (const TypedValue& v : typed) {
    switch (v.type) {
      case FieldType::kKeyword: columns_.AddKeyword(v.field, doc, fields[v.text].second); break;
      case FieldType::kNumber: columns_.AddNumber(v.field, doc, v.number); break;
      case FieldType::kDate: columns_.AddDate(v.field, doc, v.number.i); break;
      case FieldType::kText: break;
    }
  }

  stored_fields_.assign(fields.begin(), fields.end());
  serialized_.clear();
  store::SerializeDoc(id, stored_fields_, &serialized_);
  status_ = writer_.AddStored(serialized_);
  if (!status_.ok()) return status_;
  ids_.emplace_back(std::string(id), doc);
  id_bytes_ += id.size() + sizeof(ids_[0]);
  ++doc_count_;
  return Status::OK();
}

std::string_view SegmentBuilder::KeyOf(std::uint32_t term) const {
  return std::string_view(key_arena_.data() + terms_[term].key_offset, terms_[term].key_size);
}

std::vector<std::vector<std::uint32_t>> SegmentBuilder::TakeNorms(SegmentInfo* info) {
  info->fields.clear();
  std::vector<std::vector<std::uint32_t>> norms;
  for (std::uint32_t f = 0; f < kMaxFields; ++f) {
    if (norms_[f].empty()) continue;
    norms_[f].resize(doc_count_, 0);
    FieldStats stats;
    stats.field = f;
    for (std::uint32_t len : norms_[f]) {
      stats.docs += len > 0;
      stats.total_length += len;
    }
    info->fields.push_back(stats);
    norms.push_back(std::move(norms_[f]));
  }
  return norms;
}

std::vector<std::uint32_t> SegmentBuilder::SortTerms() {
  // Bigram keys: field, kind, then "<first folded> <second folded>", as the
  // analyzer spells a bigram's folded form.
  std::size_t bigram_bytes = 0;
  for (std::uint32_t i = 0; i < terms_.size(); ++i) {
    const Term& t = terms_[i];
    if (t.key_size == 0) bigram_bytes += terms_[t.first].key_size + terms_[t.second].key_size - 1;
  }
  key_arena_.reserve(key_arena_.size() + bigram_bytes);  // appends below read the arena itself
  for (std::uint32_t i = 0; i < terms_.size(); ++i) {
    Term& t = terms_[i];
    if (t.key_size != 0) continue;
    const Term& a = terms_[t.first];
    const Term& b = terms_[t.second];
    const std::size_t at = key_arena_.size();
    key_arena_.push_back(key_arena_[a.key_offset]);
    key_arena_.push_back(static_cast<char>(TermKind::kBigram));
    key_arena_.append(key_arena_, a.key_offset + 2, a.key_size - 2);
    key_arena_.push_back(' ');
    key_arena_.append(key_arena_, b.key_offset + 2, b.key_size - 2);
    t.key_offset = static_cast<std::uint32_t>(at);
    t.key_size = static_cast<std::uint32_t>(key_arena_.size() - at);
  }
  // Sorted by each key's first eight bytes as a number (big-endian, short
  // keys padded with zeros, which orders as the bytes do), the keys
  // themselves compared only where those tie: most comparisons then touch
  // neither the arena nor the term states.
  struct Sortable {
    std::uint64_t prefix;
    std::uint32_t term;
  };
  std::vector<Sortable> sortable(terms_.size());
  for (std::uint32_t i = 0; i < sortable.size(); ++i) {
    const std::string_view key = KeyOf(i);
    std::uint64_t prefix = 0;
    for (std::size_t b = 0; b < 8; ++b) {
      prefix = prefix << 8 | (b < key.size() ? static_cast<std::uint8_t>(key[b]) : 0u);
    }
    sortable[i] = Sortable{prefix, i};
  }
  std::sort(sortable.begin(), sortable.end(), [&](const Sortable& a, const Sortable& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return KeyOf(a.term) < KeyOf(b.term);
  });
  std::vector<std::uint32_t> order(sortable.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = sortable[i].term;
  return order;
}

Status SegmentBuilder::WritePostings(const std::vector<std::uint32_t>& order,
                                     const SegmentInfo& info,
                                     const std::vector<std::vector<std::uint32_t>>& norms) {
  // The lengths of each field number, for the skip data's min field length.
  std::vector<const std::vector<std::uint32_t>*> field_norms(256, nullptr);
  for (std::size_t i = 0; i < info.fields.size(); ++i) {
    field_norms[info.fields[i].field] = &norms[i];
  }
  std::vector<std::uint32_t> positions;
  PostingsWriter* out = writer_.postings();
  for (std::uint32_t tid : order) {
    const Term& t = terms_[tid];
    const std::string_view key = KeyOf(tid);
    TermKeyParts parts;
    if (!ParseTermKey(key, &parts)) return Status::InvalidArgument("bad term key");
    const bool has_positions = HasPositions(parts.kind);
    const std::vector<std::uint32_t>* lens = field_norms[parts.field];
    out->StartTerm(has_positions);
    StreamReader<Pool> docs(pool_.get(), t.docs);
    StreamReader<Pool> pos(pool_.get(), t.pos);
    std::uint32_t doc = 0;
    for (std::uint32_t i = 0; i < t.df; ++i) {
      doc += docs.ReadVarint();
      const std::uint32_t tf = docs.ReadVarint();
      if (has_positions) {
        positions.resize(tf);
        std::uint32_t p = 0;
        for (std::uint32_t k = 0; k < tf; ++k) positions[k] = p += pos.ReadVarint();
      }
      out->AddDoc(doc, tf, lens != nullptr ? (*lens)[doc] : 0, positions.data());
    }
    TIM_RETURN_IF_ERROR(writer_.FinishTerm(key));
  }
  return Status::OK();
}

Status SegmentBuilder::WriteIds() {
  // Ids by document (ids_ is in doc order), then the id map: one id per
  // document; when an id came twice the later doc wins (the writer has
  // deleted the earlier one).
  for (const auto& [id, doc] : ids_) TIM_RETURN_IF_ERROR(writer_.AddDocId(id));
  std::sort(ids_.begin(), ids_.end());
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (i + 1 < ids_.size() && ids_[i + 1].first == ids_[i].first) continue;
    TIM_RETURN_IF_ERROR(writer_.AddId(ids_[i].first, ids_[i].second));
  }
  return Status::OK();
}

Status SegmentBuilder::Flush(SegmentInfo* info) {
  if (!status_.ok()) return status_;
  info->doc_count = doc_count_;
  const std::vector<std::vector<std::uint32_t>> norms = TakeNorms(info);
  // One step per file kind: postings and positions with the dictionary,
  // ids, the language model, then norms, stored documents and the info.
  status_ = WritePostings(SortTerms(), *info, norms);
  info->terms = terms_.size();
  if (status_.ok()) status_ = WriteIds();
  if (status_.ok()) status_ = lm_.Write(writer_.lm_file());
  if (status_.ok()) {
    std::string columns;
    status_ = columns_.Write(doc_count_, &columns);
    if (status_.ok()) status_ = writer_.col_file()->Append(columns);
  }
  if (status_.ok()) status_ = writer_.Finish(*info, norms);
  const Status result = status_;
  if (status_.ok()) status_ = Status::InvalidArgument(name_ + ": segment already flushed");
  return result;
}

}  // namespace tim::index
