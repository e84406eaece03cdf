// IndexReader and the loading of snapshots.

#include <map>

#include "codec/file_format.h"
#include "index/snapshot.h"
#include "tim/index.h"

namespace tim {

namespace internal {

Status LoadCommit(FileSystem* fs, const std::string& dir, bool verify, const Snapshot* previous,
                  std::uint64_t generation, std::shared_ptr<const Snapshot>* out) {
  auto snap = std::make_shared<Snapshot>();
  if (generation > 0) {
    TIM_RETURN_IF_ERROR(index::ReadManifest(fs, dir, generation, &snap->manifest));
  }
  for (const index::ManifestSegment& ms : snap->manifest.segments) {
    SegmentView view;
    // A snapshot's segments and its manifest's entries go in step.
    for (std::size_t i = 0; previous != nullptr && i < previous->segments.size(); ++i) {
      const index::ManifestSegment& old = previous->manifest.segments[i];
      if (old.name != ms.name) continue;
      view.reader = previous->segments[i].reader;
      // Deletions are immutable per generation: reuse them when unchanged.
      if (old.del_gen == ms.del_gen) view.deletes = previous->segments[i].deletes;
    }
    if (view.reader == nullptr) {
      TIM_RETURN_IF_ERROR(index::SegmentReader::Open(fs, dir, ms.name, verify, &view.reader));
    }
    if (view.reader->doc_count() != ms.doc_count) {
      return Status::Corruption(ms.name + ": " + std::to_string(view.reader->doc_count()) +
                                " documents, the manifest says " + std::to_string(ms.doc_count));
    }
    if (ms.del_gen > 0 && view.deletes == nullptr) {
      auto deletes = std::make_shared<Roaring>();
      TIM_RETURN_IF_ERROR(index::ReadDeletes(fs, dir, index::DeletesFileName(ms.name, ms.del_gen),
                                             ms.doc_count, ms.del_count, deletes.get()));
      view.deletes = std::move(deletes);
    }
    view.live_docs = ms.doc_count - ms.del_count;
    snap->live_docs += view.live_docs;
    snap->segments.push_back(std::move(view));
  }
  *out = std::move(snap);
  return Status::OK();
}

Status LoadSnapshot(FileSystem* fs, const std::string& dir, bool verify_checksums,
                    const Snapshot* previous, std::shared_ptr<const Snapshot>* out) {
  // A writer may commit (and remove files of older commits) between our
  // listing and our opening: then a newer manifest exists, so try again.
  Status last;
  for (int attempt = 0; attempt < 10; ++attempt) {
    std::uint64_t generation;
    TIM_RETURN_IF_ERROR(index::FindLatestManifest(fs, dir, &generation));
    if (previous != nullptr && generation == previous->manifest.generation) {
      // Nothing new: share the previous snapshot's parts.
      *out = std::make_shared<Snapshot>(*previous);
      return Status::OK();
    }
    last = LoadCommit(fs, dir, verify_checksums, previous, generation, out);
    if (!last.IsNotFound()) return last;
    std::uint64_t newest;
    TIM_RETURN_IF_ERROR(index::FindLatestManifest(fs, dir, &newest));
    if (newest == generation) return last;
  }
  return last;
}

}  // namespace internal

IndexReader::IndexReader(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

IndexReader::~IndexReader() = default;

Status IndexReader::Open(const std::string& dir, const ReaderOptions& options,
                         std::unique_ptr<IndexReader>* out) {
  ReaderOptions opts = options;
  if (opts.file_system == nullptr) opts.file_system = FileSystem::Default();
  std::uint64_t size;
  Status s = opts.file_system->FileSize(dir, &size);
  if (s.IsNotFound()) return Status::NotFound(dir + ": no such index directory");
  TIM_RETURN_IF_ERROR(s);
  std::uint64_t generation;
  TIM_RETURN_IF_ERROR(index::FindLatestManifest(opts.file_system, dir, &generation));
  if (generation == 0) return Status::NotFound(dir + ": no tim index here (no manifest)");
  std::shared_ptr<const internal::Snapshot> snap;
  TIM_RETURN_IF_ERROR(
      internal::LoadSnapshot(opts.file_system, dir, opts.verify_checksums, nullptr, &snap));
  out->reset(new IndexReader(std::unique_ptr<Rep>(new Rep{dir, opts, std::move(snap)})));
  return Status::OK();
}

Status IndexReader::Reopen(std::unique_ptr<IndexReader>* out) const {
  std::shared_ptr<const internal::Snapshot> snap;
  TIM_RETURN_IF_ERROR(internal::LoadSnapshot(rep_->options.file_system, rep_->dir,
                                             rep_->options.verify_checksums, rep_->snapshot.get(),
                                             &snap));
  out->reset(
      new IndexReader(std::unique_ptr<Rep>(new Rep{rep_->dir, rep_->options, std::move(snap)})));
  return Status::OK();
}

std::uint64_t IndexReader::generation() const { return rep_->snapshot->manifest.generation; }
std::uint64_t IndexReader::num_docs() const { return rep_->snapshot->live_docs; }
const AnalyzerOptions& IndexReader::analyzer_options() const {
  return rep_->snapshot->manifest.analyzer;
}

Schema IndexReader::schema() const { return rep_->snapshot->manifest.TypedFields(); }

Status IndexReader::GetDocument(std::string_view id, Document* out) const {
  // Newer segments come last; a live copy exists in at most one segment.
  for (auto it = rep_->snapshot->segments.rbegin(); it != rep_->snapshot->segments.rend(); ++it) {
    std::uint32_t doc;
    bool found;
    TIM_RETURN_IF_ERROR(it->reader->LookupId(id, &doc, &found));
    if (!found || it->IsDeleted(doc)) continue;
    store::StoredDoc stored;
    TIM_RETURN_IF_ERROR(it->reader->store().Get(doc, &stored));
    out->id = std::move(stored.id);
    out->fields.clear();
    const std::vector<std::string>& names = rep_->snapshot->manifest.fields;
    for (auto& [field, text] : stored.fields) {
      if (field >= names.size()) {
        return Status::Corruption(it->reader->name() + ".sto: field number " +
                                  std::to_string(field) + " unknown to the manifest");
      }
      out->fields.emplace_back(names[field], std::move(text));
    }
    return Status::OK();
  }
  return Status::NotFound("no document with id \"" + std::string(id) + "\"");
}

Status IndexReader::GetStats(IndexStats* out, bool by_term_kind) const {
  *out = IndexStats();
  const internal::Snapshot& snap = *rep_->snapshot;
  out->generation = snap.manifest.generation;
  out->docs = snap.live_docs;
  out->segments = snap.segments.size();
  out->fields = snap.manifest.fields;
  out->typed_fields = snap.manifest.TypedFields();
  std::map<std::string, std::uint64_t> bytes;
  auto add = [&](const std::string& name, codec::FileKind kind) {
    std::uint64_t size = 0;
    if (rep_->options.file_system->FileSize(rep_->dir + "/" + name, &size).ok()) {
      bytes[codec::FileKindName(kind)] += size;
    }
  };
  add(index::ManifestFileName(snap.manifest.generation), codec::FileKind::kManifest);
  for (std::size_t i = 0; i < snap.segments.size(); ++i) {
    const index::SegmentReader& seg = *snap.segments[i].reader;
    const index::ManifestSegment& ms = snap.manifest.segments[i];
    out->deleted_docs += ms.del_count;
    out->terms += seg.term_count();
    for (int k = 0; k < index::kSegmentFiles; ++k)
      bytes[codec::FileKindName(index::kSegmentFileKinds[k])] += seg.file_sizes().bytes[k];
    if (ms.del_gen > 0) add(index::DeletesFileName(ms.name, ms.del_gen), codec::FileKind::kDeletes);
  }
  for (const auto& [kind, n] : bytes) {
    out->bytes_by_kind.emplace_back(kind, n);
    out->total_bytes += n;
  }
  if (!by_term_kind) return Status::OK();
  out->term_kinds.resize(index::kTermKinds);
  out->term_kinds[0].kind = "folded";
  out->term_kinds[1].kind = "exact";
  out->term_kinds[2].kind = "bigram";
  for (const internal::SegmentView& view : snap.segments) {
    index::SegmentReader::TermIterator it(view.reader.get());
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      IndexStats::TermKindStats& k = out->term_kinds[static_cast<std::uint8_t>(it.parts().kind)];
      ++k.terms;
      k.postings += it.info().doc_freq;
      k.postings_bytes += it.info().doc_bytes;
      k.positions_bytes += it.info().pos_bytes;
    }
    TIM_RETURN_IF_ERROR(it.status());
  }
  return Status::OK();
}

Status IndexReader::Verify() const {
  // Reopen this reader's commit with every checksum checked, whatever this
  // reader was opened with, then walk each structure.
  std::shared_ptr<const internal::Snapshot> fresh;
  Status s = internal::LoadCommit(rep_->options.file_system, rep_->dir, true, nullptr,
                                  rep_->snapshot->manifest.generation, &fresh);
  if (s.IsNotFound()) {
    return Status::NotFound(s.message() + " (a newer commit replaced this one; open a new reader)");
  }
  TIM_RETURN_IF_ERROR(s);
  for (const internal::SegmentView& view : fresh->segments) {
    TIM_RETURN_IF_ERROR(view.reader->Verify());
  }
  return Status::OK();
}

}  // namespace tim
