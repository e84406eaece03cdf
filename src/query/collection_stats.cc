#include "query/collection_stats.h"

#include <utility>

#include "codec/message.h"
#include "codec/varint.h"

namespace tim {

// ---- Rep -------------------------------------------------------------------

CollectionStats::Rep::Field* CollectionStats::Rep::FindField(std::string_view name) {
  for (auto& [n, f] : fields) {
    if (n == name) return &f;
  }
  return nullptr;
}

void CollectionStats::Rep::Merge(const Rep& other) {
  sources += other.sources;
  total_docs += other.total_docs;
  for (const auto& [name, f] : other.fields) {
    Field* mine = FindField(name);
    if (mine == nullptr) {
      fields.emplace_back(name, Field());
      mine = &fields.back().second;
    }
    mine->docs += f.docs;
    mine->total_length += f.total_length;
  }
  for (const auto& [id, t] : other.terms) {
    Term& mine = terms[id];
    mine.doc_freq += t.doc_freq;
    mine.total_freq += t.total_freq;
  }
  for (const auto& [id, p] : other.prefixes) {
    Prefix& mine = prefixes[id];
    mine.capped = mine.capped || p.capped;
    for (const auto& [term, df] : p.df) mine.df[term] += df;
  }
  for (const auto& [key, spellings] : other.lm) {
    auto& mine = lm[key];
    for (const auto& [exact, c] : spellings) {
      Counts& m = mine[exact];
      m.title += c.title;
      m.other += c.other;
    }
  }
}

// ---- CollectionStats -------------------------------------------------------

CollectionStats::CollectionStats() : rep_(std::make_unique<Rep>()) {}
CollectionStats::~CollectionStats() = default;
CollectionStats::CollectionStats(const CollectionStats& other)
    : rep_(std::make_unique<Rep>(*other.rep_)) {}
CollectionStats& CollectionStats::operator=(const CollectionStats& other) {
  if (this != &other) *rep_ = *other.rep_;
  return *this;
}
// A moved-from value is empty statistics, still usable.
CollectionStats::CollectionStats(CollectionStats&& other)
    : rep_(std::exchange(other.rep_, std::make_unique<Rep>())) {}
CollectionStats& CollectionStats::operator=(CollectionStats&& other) noexcept {
  std::swap(rep_, other.rep_);
  return *this;
}

void CollectionStats::Merge(const CollectionStats& other) {
  if (this == &other) {
    const Rep copy = *other.rep_;
    rep_->Merge(copy);
    return;
  }
  rep_->Merge(*other.rep_);
}

std::uint64_t CollectionStats::sources() const { return rep_->sources; }
std::uint64_t CollectionStats::total_docs() const { return rep_->total_docs; }
bool CollectionStats::empty() const { return rep_->sources == 0; }

// Serialized (docs/format.md, "Collection statistics"):
//   "TIMS" | version varint | sources | total_docs
//   | fields: count, then name, docs, total_length each
//   | terms: count, then id, doc_freq, total_freq each
//   | prefixes: count, then id, capped byte, count, then term, df each
//   | model: count, then key, count, then spelling, title, other each
//   | XXH3-64 of everything before it (fixed64)
// Strings are a varint length and the bytes; numbers varints.
namespace {

constexpr std::string_view kMagic = "TIMS";
constexpr std::uint64_t kStatsVersion = 1;

}  // namespace

std::string CollectionStats::Serialize() const {
  const Rep& r = *rep_;
  std::string out = codec::BeginMessage(kMagic, kStatsVersion);
  codec::PutVarint64(&out, r.sources);
  codec::PutVarint64(&out, r.total_docs);
  codec::PutVarint64(&out, r.fields.size());
  for (const auto& [name, f] : r.fields) {
    codec::PutString(&out, name);
    codec::PutVarint64(&out, f.docs);
    codec::PutVarint64(&out, f.total_length);
  }
  codec::PutVarint64(&out, r.terms.size());
  for (const auto& [id, t] : r.terms) {
    codec::PutString(&out, id);
    codec::PutVarint64(&out, t.doc_freq);
    codec::PutVarint64(&out, t.total_freq);
  }
  codec::PutVarint64(&out, r.prefixes.size());
  for (const auto& [id, p] : r.prefixes) {
    codec::PutString(&out, id);
    out.push_back(p.capped ? 1 : 0);
    codec::PutVarint64(&out, p.df.size());
    for (const auto& [term, df] : p.df) {
      codec::PutString(&out, term);
      codec::PutVarint64(&out, df);
    }
  }
  codec::PutVarint64(&out, r.lm.size());
  for (const auto& [key, spellings] : r.lm) {
    codec::PutString(&out, key);
    codec::PutVarint64(&out, spellings.size());
    for (const auto& [exact, c] : spellings) {
      codec::PutString(&out, exact);
      codec::PutVarint64(&out, c.title);
      codec::PutVarint64(&out, c.other);
    }
  }
  codec::EndMessage(&out);
  return out;
}

Status CollectionStats::Parse(std::string_view bytes, CollectionStats* out) {
  codec::MessageReader d;
  TIM_RETURN_IF_ERROR(d.Open(bytes, kMagic, kStatsVersion, "collection statistics"));
  Rep r;
  r.sources = d.Number();
  r.total_docs = d.Number();
  for (std::uint64_t n = d.Count(3); d.ok() && n > 0; --n) {
    std::string name = d.String();
    Rep::Field f;
    f.docs = d.Number();
    f.total_length = d.Number();
    if (d.ok() && r.FindField(name) != nullptr) d.Fail();
    r.fields.emplace_back(std::move(name), f);
  }
  for (std::uint64_t n = d.Count(3); d.ok() && n > 0; --n) {
    std::string id = d.String();
    Rep::Term t;
    t.doc_freq = d.Number();
    t.total_freq = d.Number();
    if (d.ok() && !r.terms.emplace(std::move(id), t).second) d.Fail();
  }
  for (std::uint64_t n = d.Count(3); d.ok() && n > 0; --n) {
    std::string id = d.String();
    Rep::Prefix p;
    p.capped = d.Byte() != 0;
    for (std::uint64_t m = d.Count(2); d.ok() && m > 0; --m) {
      std::string term = d.String();
      const std::uint64_t df = d.Number();
      if (d.ok() && !p.df.emplace(std::move(term), df).second) d.Fail();
    }
    if (d.ok() && !r.prefixes.emplace(std::move(id), std::move(p)).second) d.Fail();
  }
  for (std::uint64_t n = d.Count(2); d.ok() && n > 0; --n) {
    std::string key = d.String();
    std::map<std::string, Rep::Counts> spellings;
    for (std::uint64_t m = d.Count(3); d.ok() && m > 0; --m) {
      std::string exact = d.String();
      Rep::Counts c;
      c.title = d.Number();
      c.other = d.Number();
      if (d.ok() && !spellings.emplace(std::move(exact), c).second) d.Fail();
    }
    if (d.ok() && !r.lm.emplace(std::move(key), std::move(spellings)).second) d.Fail();
  }
  TIM_RETURN_IF_ERROR(d.Finish());
  *out->rep_ = std::move(r);
  return Status::OK();
}

namespace query {

std::string StatsKey(std::string_view field, index::TermKind kind, std::string_view term) {
  std::string id;
  codec::PutVarint64(&id, field.size());
  id.append(field);
  id.push_back(static_cast<char>(kind));
  id.append(term);
  return id;
}

namespace {

const char* KindName(index::TermKind kind) {
  switch (kind) {
    case index::TermKind::kFolded: return "folded";
    case index::TermKind::kExact: return "exact";
    case index::TermKind::kBigram: return "bigram";
  }
  return "unknown";
}

Status Missing(std::string_view what) {
  return Status::InvalidArgument(
      "the collection statistics lack " + std::string(what) +
      ": gather them with GatherStats for this query and these search options");
}

}  // namespace

Status StatsView::Term(std::string_view field, index::TermKind kind, std::string_view term,
                       CollectionStats::Rep::Term local, CollectionStats::Rep::Term* out) const {
  switch (mode_) {
    case Mode::kLocal: *out = local; return Status::OK();
    case Mode::kRecord:
      record_->terms[StatsKey(field, kind, term)] = local;
      *out = local;
      return Status::OK();
    case Mode::kSupplied: break;
  }
  const auto it = supplied_->terms.find(StatsKey(field, kind, term));
  if (it == supplied_->terms.end()) {
    return Missing("the " + std::string(KindName(kind)) + " term '" + std::string(term) +
                   "' of field '" + std::string(field) + "'");
  }
  *out = it->second;
  return Status::OK();
}

Status StatsView::Prefix(std::string_view field, std::string_view prefix,
                         CollectionStats::Rep::Prefix* inout) const {
  switch (mode_) {
    case Mode::kLocal: return Status::OK();
    case Mode::kRecord:
      record_->prefixes[StatsKey(field, index::TermKind::kFolded, prefix)] = *inout;
      return Status::OK();
    case Mode::kSupplied: break;
  }
  const auto it = supplied_->prefixes.find(StatsKey(field, index::TermKind::kFolded, prefix));
  if (it == supplied_->prefixes.end()) {
    return Missing("the terms of field '" + std::string(field) + "' starting with '" +
                   std::string(prefix) + "'");
  }
  *inout = it->second;
  return Status::OK();
}

Status StatsView::Model(std::string_view folded, Spellings* inout) const {
  switch (mode_) {
    case Mode::kLocal: return Status::OK();
    case Mode::kRecord: record_->lm[std::string(folded)] = *inout; return Status::OK();
    case Mode::kSupplied: break;
  }
  const auto it = supplied_->lm.find(std::string(folded));
  if (it == supplied_->lm.end()) {
    return Missing("the language model's spellings of '" + std::string(folded) + "'");
  }
  *inout = it->second;
  return Status::OK();
}

}  // namespace query
}  // namespace tim
