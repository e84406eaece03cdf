#include "index/segment.h"

#include <algorithm>
#include <cstring>

#include "codec/varint.h"

namespace tim::index {

namespace {
// The first format version whose segments have a .did file.
constexpr std::uint32_t kDocIdsVersion = 6;
// The first format version whose segments have a .col file.
constexpr std::uint32_t kColumnsVersion = 7;
}  // namespace

std::string TermKey(std::uint32_t field, TermKind kind, std::string_view term) {
  std::string key;
  key.reserve(term.size() + 2);
  key.push_back(static_cast<char>(field));
  key.push_back(static_cast<char>(kind));
  key.append(term.data(), term.size());
  return key;
}

bool ParseTermKey(std::string_view key, TermKeyParts* out) {
  if (key.size() < 2 || static_cast<std::uint8_t>(key[1]) >= kTermKinds) return false;
  out->field = static_cast<std::uint8_t>(key[0]);
  out->kind = static_cast<TermKind>(key[1]);
  out->term = key.substr(2);
  return true;
}

// ---------------------------------------------------------------- writer

SegmentWriter::SegmentWriter() = default;
SegmentWriter::~SegmentWriter() = default;

Status SegmentWriter::Open(FileSystem* fs, const std::string& dir, const std::string& name,
                           const store::StoreOptions& store_options) {
  fs_ = fs;
  dir_ = dir;
  name_ = name;
  auto open = [&](codec::FileBuilder* file, SegmentFileIndex i) {
    return file->Open(fs, dir + "/" + SegmentFile(name, i), kSegmentFileKinds[i]);
  };
  status_ = open(&tim_, kTim);
  if (status_.ok()) status_ = open(&doc_, kDoc);
  if (status_.ok()) status_ = open(&pos_, kPos);
  if (status_.ok()) status_ = open(&sto_, kSto);
  if (status_.ok()) status_ = open(&ids_, kIds);
  if (status_.ok()) status_ = open(&lm_, kLm);
  if (status_.ok()) status_ = open(&did_, kDid);
  if (status_.ok()) status_ = open(&col_, kCol);
  terms_ = std::make_unique<SortedTableWriter>(&tim_);
  id_table_ = std::make_unique<SortedTableWriter>(&ids_, 16, 1024);
  doc_ids_ = std::make_unique<DocIdsWriter>(&did_);
  store_ = std::make_unique<store::StoreWriter>(&sto_, store_options);
  return status_;
}

Status SegmentWriter::DrainPostings() {
  if (postings_.doc_out()->size() >= (1 << 16)) {
    TIM_RETURN_IF_ERROR(doc_.Append(*postings_.doc_out()));
    postings_.doc_out()->clear();
  }
  if (postings_.pos_out()->size() >= (1 << 16)) {
    TIM_RETURN_IF_ERROR(pos_.Append(*postings_.pos_out()));
    postings_.pos_out()->clear();
  }
  return Status::OK();
}

Status SegmentWriter::FinishTerm(std::string_view key) {
  if (!status_.ok()) return status_;
  TermKeyParts parts;
  if (!ParseTermKey(key, &parts)) return status_ = Status::InvalidArgument("not a term key");
  const bool positions = HasPositions(parts.kind);
  TermInfo info;
  postings_.FinishTerm(doc_.offset(), pos_.offset(), &info);
  value_.clear();
  EncodeTermValue(info, positions, &value_);
  aux_.clear();
  if (terms_->AtBlockStart()) EncodeBlockAux(info.doc_offset, info.pos_offset, &aux_);
  status_ = terms_->Add(key, value_, aux_);
  ++terms_written_;
  if (status_.ok()) status_ = DrainPostings();
  return status_;
}

Status SegmentWriter::AddId(std::string_view id, std::uint32_t doc) {
  if (!status_.ok()) return status_;
  value_.clear();
  codec::PutVarint32(&value_, doc);
  status_ = id_table_->Add(id, value_);
  return status_;
}

Status SegmentWriter::Finish(const SegmentInfo& info,
                             const std::vector<std::vector<std::uint32_t>>& norms) {
  if (!status_.ok()) return status_;
  auto path = [&](SegmentFileIndex i) { return dir_ + "/" + SegmentFile(name_, i); };
  if (!postings_.doc_out()->empty()) status_ = doc_.Append(*postings_.doc_out());
  if (status_.ok() && !postings_.pos_out()->empty()) status_ = pos_.Append(*postings_.pos_out());
  postings_.doc_out()->clear();
  postings_.pos_out()->clear();
  if (status_.ok()) status_ = terms_->Finish();
  if (status_.ok()) status_ = tim_.Finish();
  if (status_.ok()) status_ = doc_.Finish();
  if (status_.ok()) status_ = pos_.Finish();
  if (status_.ok()) status_ = store_->Finish();
  if (status_.ok()) status_ = sto_.Finish();
  if (status_.ok()) status_ = id_table_->Finish();
  if (status_.ok()) status_ = ids_.Finish();
  if (status_.ok()) status_ = lm_.Finish();
  if (status_.ok()) status_ = doc_ids_->Finish(info.doc_count);
  if (status_.ok()) status_ = did_.Finish();
  // A segment without typed values has a .col of no columns.
  if (status_.ok() && col_.offset() == codec::kHeaderSize)
    status_ = col_.Append(std::string(1, '\0'));
  if (status_.ok()) status_ = col_.Finish();
  if (!status_.ok()) return status_;

  // Norms: per field of the segment, doc_count fixed32 lengths.
  codec::FileBuilder nrm;
  status_ = nrm.Open(fs_, path(kNrm), kSegmentFileKinds[kNrm]);
  std::string buf;
  for (std::size_t f = 0; f < info.fields.size() && status_.ok(); ++f) {
    buf.clear();
    for (std::uint32_t len : norms[f]) codec::PutFixed32(&buf, len);
    status_ = nrm.Append(buf);
  }
  if (status_.ok()) status_ = nrm.Finish();
  if (!status_.ok()) return status_;

  codec::FileBuilder seg;
  buf.clear();
  codec::PutVarint32(&buf, info.doc_count);
  codec::PutVarint64(&buf, terms_written_);
  codec::PutVarint32(&buf, static_cast<std::uint32_t>(info.fields.size()));
  for (const FieldStats& f : info.fields) {
    codec::PutVarint32(&buf, f.field);
    codec::PutVarint32(&buf, f.docs);
    codec::PutVarint64(&buf, f.total_length);
  }
  status_ = seg.Open(fs_, path(kSeg), kSegmentFileKinds[kSeg]);
  if (status_.ok()) status_ = seg.Append(buf);
  if (status_.ok()) status_ = seg.Finish();
  return status_;
}

// ---------------------------------------------------------------- reader

SegmentReader::~SegmentReader() = default;

Status SegmentReader::Open(FileSystem* fs, const std::string& dir, const std::string& name,
                           bool verify_checksums, std::shared_ptr<const SegmentReader>* out) {
  auto reader = std::make_shared<SegmentReader>(Key());
  reader->name_ = name;
  TIM_RETURN_IF_ERROR(reader->Load(fs, dir, verify_checksums));
  *out = std::move(reader);
  return Status::OK();
}

Status SegmentReader::MapFiles(FileSystem* fs, const std::string& dir, bool verify_checksums,
                               std::string_view* body, std::uint32_t* version) {
  for (int i = 0; i < kSegmentFiles; ++i) {
    // Segments before version 6 have no .did (.seg, read first, tells).
    if (i == kDid && version[kSeg] < kDocIdsVersion) break;
    // Nor before version 7 a .col.
    if (i == kCol && version[kSeg] < kColumnsVersion) break;
    const std::string file = SegmentFile(name_, static_cast<SegmentFileIndex>(i));
    TIM_RETURN_IF_ERROR(fs->MapFile(dir + "/" + file, &files_[i]));
    sizes_.bytes[i] = files_[i]->size();
    // Postings, positions, norms and stored documents grow with the
    // documents: their checksums wait for verify_checksums, Verify() and
    // merges (every stored block carries a checksum of its own; every
    // postings and norms read is bounds-checked, so damage there changes
    // scores, never reads outside the file). The sorted tables (.tim, .ids,
    // .lm) check each block on its first read since version 5, .did each
    // of its blocks; older tables, .seg and .col (bytes per document) are
    // checked whole here.
    const std::string_view view = files_[i]->view();
    if (view.size() >= 8) version[i] = codec::DecodeFixed32(view.data() + 4);
    const bool bulk = i == kDoc || i == kPos || i == kSto || i == kNrm;
    const bool by_block = i == kDid || ((i == kTim || i == kIds || i == kLm) &&
                                        SortedTable::ChecksumsBlocks(version[i]));
    TIM_RETURN_IF_ERROR(codec::CheckFrame(file, view, kSegmentFileKinds[i],
                                          verify_checksums || !(bulk || by_block), &body[i]));
    // One writer wrote every file of a segment: a file whose version
    // differs from .seg's (checked whole) has a damaged header.
    if (i != kSeg && version[i] != version[kSeg]) {
      return codec::CorruptionAt(file, 4,
                                 "format version " + std::to_string(version[i]) +
                                     " differs from the segment's " +
                                     std::to_string(version[kSeg]));
    }
  }
  return Status::OK();
}

Status SegmentReader::ReadInfo(std::string_view body) {
  const std::string file = SegmentFile(name_, kSeg);
  const char* p = body.data();
  const char* limit = p + body.size();
  std::uint32_t nfields = 0;
  p = codec::GetVarint32(p, limit, &info_.doc_count);
  if (p != nullptr) p = codec::GetVarint64(p, limit, &info_.terms);
  if (p != nullptr) p = codec::GetVarint32(p, limit, &nfields);
  if (p == nullptr || nfields > kMaxFields) {
    return codec::CorruptionAt(file, codec::kHeaderSize, "bad segment info");
  }
  info_.fields.resize(nfields);
  for (std::uint32_t i = 0; i < nfields && p != nullptr; ++i) {
    FieldStats& f = info_.fields[i];
    p = codec::GetVarint32(p, limit, &f.field);
    if (p != nullptr) p = codec::GetVarint32(p, limit, &f.docs);
    if (p != nullptr) p = codec::GetVarint64(p, limit, &f.total_length);
    if (p != nullptr && (f.field >= kMaxFields || f.docs > info_.doc_count ||
                         (i > 0 && f.field <= info_.fields[i - 1].field))) {
      p = nullptr;
    }
  }
  if (p != limit || info_.doc_count == kNoMoreDocs) {
    return codec::CorruptionAt(file, codec::kHeaderSize, "bad segment info");
  }
  return Status::OK();
}

Status SegmentReader::OpenNorms(std::string_view body) {
  const std::uint64_t norm_bytes = std::uint64_t{4} * info_.doc_count * info_.fields.size();
  if (body.size() != norm_bytes) {
    return codec::CorruptionAt(SegmentFile(name_, kNrm), codec::kHeaderSize,
                               "norms size does not match the segment info");
  }
  norms_.assign(kMaxFields, nullptr);
  for (std::size_t i = 0; i < info_.fields.size(); ++i) {
    norms_[info_.fields[i].field] = body.data() + std::uint64_t{4} * info_.doc_count * i;
  }
  return Status::OK();
}

Status SegmentReader::Load(FileSystem* fs, const std::string& dir, bool verify_checksums) {
  std::string_view body[kSegmentFiles];
  std::uint32_t version[kSegmentFiles] = {};  // each file's, from its header
  TIM_RETURN_IF_ERROR(MapFiles(fs, dir, verify_checksums, body, version));
  auto file_name = [&](SegmentFileIndex i) { return SegmentFile(name_, i); };
  TIM_RETURN_IF_ERROR(ReadInfo(body[kSeg]));
  TIM_RETURN_IF_ERROR(OpenNorms(body[kNrm]));
  TIM_RETURN_IF_ERROR(
      SortedTable::Open(file_name(kTim), files_[kTim]->view(), version[kTim], &terms_));
  if (terms_.entries() != info_.terms) {
    return codec::CorruptionAt(file_name(kTim), codec::kHeaderSize,
                               "term count does not match the segment info");
  }
  TIM_RETURN_IF_ERROR(
      SortedTable::Open(file_name(kIds), files_[kIds]->view(), version[kIds], &ids_));
  TIM_RETURN_IF_ERROR(lm_.Open(file_name(kLm), files_[kLm]->view(), version[kLm]));
  TIM_RETURN_IF_ERROR(
      store_.Open(file_name(kSto), files_[kSto]->view(), info_.doc_count, version[kSto]));
  has_doc_ids_ = files_[kDid] != nullptr;
  if (has_doc_ids_) {
    TIM_RETURN_IF_ERROR(doc_ids_.Open(file_name(kDid), files_[kDid]->view(), info_.doc_count));
  } else {
    legacy_ids_ = std::make_unique<LegacyIds>();
  }
  if (files_[kCol] != nullptr) {
    TIM_RETURN_IF_ERROR(
        columns_.Open(file_name(kCol), body[kCol], codec::kHeaderSize, info_.doc_count));
    filter_cache_ = std::make_unique<SetCache>(SetCache::BudgetFor(info_.doc_count));
  }
  doc_name_ = file_name(kDoc);
  pos_name_ = file_name(kPos);
  postings_.doc_name = doc_name_;
  postings_.pos_name = pos_name_;
  postings_.doc_file = files_[kDoc]->view();
  postings_.pos_file = files_[kPos]->view();
  postings_.max_doc = info_.doc_count;
  return Status::OK();
}

Status SegmentReader::VerifyChecksums() const {
  for (int i = 0; i < kSegmentFiles; ++i) {
    if (files_[i] == nullptr) continue;  // .did before version 6, .col before 7
    std::string_view body;
    TIM_RETURN_IF_ERROR(codec::CheckFrame(SegmentFile(name_, static_cast<SegmentFileIndex>(i)),
                                          files_[i]->view(), kSegmentFileKinds[i], true, &body));
  }
  return Status::OK();
}

std::uint32_t SegmentReader::FieldLength(std::uint32_t field, std::uint32_t doc) const {
  if (field >= kMaxFields || doc >= info_.doc_count || norms_[field] == nullptr) return 0;
  return codec::DecodeFixed32(norms_[field] + std::uint64_t{4} * doc);
}

Status SegmentReader::LookupTerm(std::string_view key, TermInfo* info, bool* found) const {
  TermIterator it(this);
  it.Seek(key);
  *found = it.Valid() && it.key() == key;
  if (*found) *info = it.info();
  return it.status();
}

Status SegmentReader::OpenCursor(std::string_view key, const TermInfo& info,
                                 PostingsCursor* cursor) const {
  TermKeyParts parts;
  if (!ParseTermKey(key, &parts)) return Status::InvalidArgument("not a term key");
  return cursor->Init(postings_, info, HasPositions(parts.kind));
}

Status SegmentReader::LookupId(std::string_view id, std::uint32_t* doc, bool* found) const {
  std::string_view value;
  TIM_RETURN_IF_ERROR(ids_.Get(id, &value, found));
  if (!*found) return Status::OK();
  const Status s = DecodeIdValue(value, doc);
  if (!s.ok()) *found = false;
  return s;
}

Status SegmentReader::DocId(std::uint32_t doc, std::string* id) const {
  if (has_doc_ids_) return doc_ids_.Get(doc, id);
  TIM_RETURN_IF_ERROR(LoadLegacyIds());
  if (doc >= info_.doc_count) {
    return Status::InvalidArgument(name_ + ": document " + std::to_string(doc) + " out of range");
  }
  const auto [start, size] = legacy_ids_->spans[doc];
  id->assign(legacy_ids_->arena, start, size);
  return Status::OK();
}

Status SegmentReader::LoadLegacyIds() const {
  // The id of every document, from the id map (id -> doc), in one pass:
  // ids land in the arena in id order, each document remembers its span.
  std::call_once(legacy_ids_->once, [this] {
    LegacyIds& l = *legacy_ids_;
    l.spans.assign(info_.doc_count, {0, 0});
    SortedTable::Iterator it(&ids_);
    for (it.SeekToFirst(); it.Valid() && l.status.ok(); it.Next()) {
      std::uint32_t doc;
      l.status = DecodeIdValue(it.value(), &doc);
      if (l.status.ok() && l.arena.size() + it.key().size() > UINT32_MAX) {
        l.status = Status::Corruption(ids_.name() + ": ids too large");
      }
      if (!l.status.ok()) break;
      l.spans[doc] = {static_cast<std::uint32_t>(l.arena.size()),
                      static_cast<std::uint32_t>(it.key().size())};
      l.arena.append(it.key());
    }
    if (l.status.ok()) l.status = it.status();
  });
  return legacy_ids_->status;
}

Status SegmentReader::DecodeIdValue(std::string_view value, std::uint32_t* doc) const {
  const char* p = codec::GetVarint32(value.data(), value.data() + value.size(), doc);
  if (p != value.data() + value.size() || *doc >= info_.doc_count) {
    return Status::Corruption(ids_.name() + ": bad doc number for id");
  }
  return Status::OK();
}

// ------------------------------------------------------------ term iterator

SegmentReader::TermIterator::TermIterator(const SegmentReader* segment)
    : segment_(segment), it_(&segment->terms_) {}

bool SegmentReader::TermIterator::Decode() {
  valid_ = false;
  if (!it_.Valid()) {
    status_ = it_.status();
    return false;
  }
  const std::string_view key = it_.key();
  if (it_.index_in_block() == 0 && !DecodeBlockAux(it_.block_aux(), offsets_)) {
    status_ = Status::Corruption(segment_->terms_.name() + ": bad block offsets");
    return false;
  }
  if (!ParseTermKey(key, &parts_) ||
      !DecodeTermValue(it_.value(), HasPositions(parts_.kind), offsets_, &info_)) {
    status_ = Status::Corruption(segment_->terms_.name() + ": bad term entry");
    return false;
  }
  valid_ = true;
  return true;
}

void SegmentReader::TermIterator::SeekToFirst() {
  it_.SeekToFirst();
  Decode();
}

void SegmentReader::TermIterator::Seek(std::string_view key) {
  // Offsets accumulate from the start of a block, so step from there.
  it_.SeekToBlockOf(key);
  if (!Decode()) return;
  while (valid_ && it_.key() < key) Next();
}

void SegmentReader::TermIterator::Next() {
  it_.Next();
  Decode();
}

}  // namespace tim::index
