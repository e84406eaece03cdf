// IndexWriter: buffers documents in per-thread SegmentBuilders, tracks
// every id so replacements and deletions find their document, and commits
// by writing a new manifest (docs/format.md, "Commit protocol").
//
// Threads: the caller's thread owns all bookkeeping (ids, deletions,
// segment records); worker threads only analyse, invert and write segment
// files. With one thread the caller's thread does that work itself.

#include <algorithm>
#include <thread>

#include "index/build_workers.h"
#include "index/document_check.h"
#include "index/manifest.h"
#include "index/merge_policy.h"
#include "index/segment_merger.h"
#include "index/snapshot.h"
#include "index/typed_value.h"
#include "tim/index.h"
#include "util/hidden.h"
#include "util/limits.h"

namespace tim {

using index::Manifest;
using index::ManifestSegment;
using index::SegmentReader;

using Record = index::SegmentRecord;
using Worker = index::BuildWorkers::Worker;

struct TIM_HIDDEN IndexWriter::Rep {
  std::string dir;
  IndexOptions options;
  FileSystem* fs = nullptr;
  std::unique_ptr<FileLock> lock;
  Analyzer analyzer;
  store::StoreOptions store_options;
  Manifest manifest;                             // of the last commit
  Manifest previous_manifest;                    // of the commit before (its files are kept)
  std::size_t committed_fields = 0;              // field names the last commit knows
  std::vector<std::shared_ptr<Record>> records;  // in creation order
  std::uint64_t added = 0, deleted = 0;
  Status status;  // sticky: the first error that broke the writer

  // Declared last: stopped first, before what its threads read.
  std::unique_ptr<index::BuildWorkers> workers;

  explicit Rep(const IndexOptions& o)
      : options(o), analyzer(o.analyzer.value_or(AnalyzerOptions())) {}

  // Each thread's share of the RAM budget. A builder addresses its postings
  // pool with 32 bits (4 GiB), so a share is capped well below that.
  std::size_t BuilderBudget() const {
    constexpr std::size_t kMaxBuilderBytes = std::size_t{2} << 30;
    return std::min(options.ram_budget_bytes / workers->size(), kMaxBuilderBytes);
  }

  std::shared_ptr<Record> NewRecord() {
    auto rec = std::make_shared<Record>();
    rec->name = index::SegmentName(manifest.next_segment++);
    records.push_back(rec);
    return rec;
  }

  // Marks the live document with this id deleted wherever it is.
  Status DeleteId(std::string_view id, bool* found) {
    *found = false;
    std::string key(id);
    for (auto& rec : records) {
      if (rec->reader == nullptr) {
        auto it = rec->ids.find(key);
        if (it == rec->ids.end()) continue;
        rec->deletes.add(it->second);
        rec->deletes_dirty = true;
        rec->ids.erase(it);
        *found = true;
      } else {
        std::uint32_t doc;
        bool in_segment;
        TIM_RETURN_IF_ERROR(rec->reader->LookupId(id, &doc, &in_segment));
        if (in_segment && !rec->deletes.contains(doc)) {
          rec->deletes.add(doc);
          rec->deletes_dirty = true;
          *found = true;
        }
      }
    }
    return Status::OK();
  }

  // The number of the field named "title" (the language model counts it
  // apart), index::kNoField when the index has none.
  std::uint32_t TitleField() const {
    for (std::uint32_t i = 0; i < manifest.fields.size(); ++i) {
      if (manifest.fields[i] == kTitleField) return i;
    }
    return index::kNoField;
  }

  // The number of field `name`, adding it to the index's fields when new
  // (Add checked that it may be).
  std::uint32_t FieldNumber(const std::string& name) {
    for (std::uint32_t i = 0; i < manifest.fields.size(); ++i) {
      if (manifest.fields[i] == name) return i;
    }
    manifest.fields.push_back(name);
    manifest.field_types.resize(manifest.fields.size(), FieldType::kText);
    return static_cast<std::uint32_t>(manifest.fields.size() - 1);
  }

  // The number of an existing field named `name`; index::kNoField when new.
  std::uint32_t KnownField(std::string_view name) const {
    for (std::uint32_t i = 0; i < manifest.fields.size(); ++i) {
      if (manifest.fields[i] == name) return i;
    }
    return index::kNoField;
  }

  // Reads the values of doc's typed fields into *out (their `text` is the
  // index of the field in doc.fields), or refuses the document naming the
  // field and the value. Changes nothing.
  Status ReadTypedValues(const Document& doc, std::vector<index::TypedValue>* out) const {
    out->clear();
    for (std::uint32_t i = 0; i < doc.fields.size(); ++i) {
      // Plain references: a lambda below names them (C++17 cannot capture
      // structured bindings).
      const std::string& name = doc.fields[i].first;
      const std::string& text = doc.fields[i].second;
      const std::uint32_t field = KnownField(name);
      if (field == index::kNoField) continue;
      const FieldType type = manifest.TypeOf(field);
      if (type == FieldType::kText) continue;
      index::TypedValue v;
      v.field = field;
      v.type = type;
      v.text = i;
      const auto refuse = [&](const std::string& why) {
        return Status::InvalidArgument("document " + index::Quote(doc.id) + ", field " +
                                       index::Quote(name) + ": " + why);
      };
      bool ok = true;
      if (type == FieldType::kKeyword) {
        if (text.empty()) return refuse("an empty keyword (a keyword is 1 to 4096 bytes)");
        if (text.size() > kMaxKeywordBytes) {
          return refuse("a keyword of " + std::to_string(text.size()) + " bytes, more than " +
                        std::to_string(kMaxKeywordBytes));
        }
      } else if (type == FieldType::kNumber) {
        ok = index::ParseNumber(text, &v.number);
      } else {
        std::int64_t millis = 0;
        ok = index::ParseDate(text, &millis);
        v.number = index::Number::Int(millis);
      }
      if (!ok) {
        return refuse(index::Quote(text) + " is not a " + FieldTypeName(type) +
                      (type == FieldType::kDate ? " (ISO 8601, or seconds since 1970)" : ""));
      }
      if (type != FieldType::kKeyword) {
        for (const index::TypedValue& other : *out) {
          if (other.field == field)
            return refuse("a " + std::string(FieldTypeName(type)) +
                          " field takes one value, given twice");
        }
      }
      out->push_back(v);
    }
    return Status::OK();
  }

  Status Add(const Document& doc) {
    TIM_RETURN_IF_ERROR(index::CheckDocument(doc, manifest.fields, options.max_document_bytes));
    index::BuildTask task;
    TIM_RETURN_IF_ERROR(ReadTypedValues(doc, &task.typed));
    for (const auto& [name, text] : doc.fields) task.fields.emplace_back(FieldNumber(name), text);
    task.title_field = TitleField();
    bool replaced;
    TIM_RETURN_IF_ERROR(DeleteId(doc.id, &replaced));
    Worker* w = workers->Pick();
    if (w->active == nullptr) w->active = NewRecord();
    Record& rec = *w->active;
    rec.ids[doc.id] = rec.doc_count++;
    task.record = w->active;
    task.id = doc.id;
    workers->Submit(w, std::move(task));
    ++added;
    if (w->memory_of.load() == w->active.get() && w->memory.load() > BuilderBudget()) {
      workers->Flush(w);
    }
    return Status::OK();
  }

  // Flushes every builder and writes the manifest of a new commit.
  Status CommitNoMerge() {
    workers->FlushAll();
    workers->WaitIdle();
    bool changed = manifest.generation == 0 || committed_fields != manifest.fields.size() ||
                   records.size() != manifest.segments.size();
    for (std::size_t i = 0; i < records.size(); ++i) {
      Record& rec = *records[i];
      changed = changed || rec.deletes_dirty || rec.name != manifest.segments[i].name;
      if (rec.state != Record::State::kFlushing) continue;
      TIM_RETURN_IF_ERROR(rec.flush_status);
      if (rec.info.doc_count != rec.doc_count) {
        return Status::Corruption(rec.name + ": flushed a different number of documents");
      }
      rec.state = Record::State::kOnDisk;
    }
    if (!changed) return Status::OK();  // nothing to commit: no new generation
    Manifest next = manifest;
    next.generation = manifest.generation + 1;
    next.segments.clear();
    std::vector<std::shared_ptr<Record>> kept;
    for (auto& rec : records) {
      if (rec->doc_count == 0 || rec->live() == 0) continue;  // dropped from the index
      if (rec->deletes_dirty) {
        rec->deletes.runOptimize();
        TIM_RETURN_IF_ERROR(index::WriteDeletes(
            fs, dir, index::DeletesFileName(rec->name, next.generation), rec->deletes));
      }
      ManifestSegment ms;
      ms.name = rec->name;
      ms.doc_count = rec->doc_count;
      ms.del_gen = rec->deletes_dirty ? next.generation : rec->del_gen;
      ms.del_count = rec->del_count();
      next.segments.push_back(ms);
      kept.push_back(rec);
    }
    TIM_RETURN_IF_ERROR(fs->SyncDir(dir));
    TIM_RETURN_IF_ERROR(index::WriteManifest(fs, dir, next));
    // Committed: from here on the new state is the truth.
    previous_manifest = std::move(manifest);
    manifest = std::move(next);
    committed_fields = manifest.fields.size();
    for (auto& rec : kept) {
      if (rec->deletes_dirty) rec->del_gen = manifest.generation;
      rec->deletes_dirty = false;
      if (rec->reader == nullptr) {
        TIM_RETURN_IF_ERROR(SegmentReader::Open(fs, dir, rec->name, false, &rec->reader));
        rec->ids.clear();
      }
    }
    records = std::move(kept);
    return RemoveUnusedFiles();
  }

  // Adds the fields of `schema` the index lacks, with their types; a field
  // the index holds with another type is refused, naming it.
  Status DeclareFields(const Schema& schema) {
    for (std::size_t i = 0; i < schema.size(); ++i) {
      const auto& [name, type] = schema[i];
      TIM_RETURN_IF_ERROR(index::CheckFieldName(name));
      if (type > FieldType::kDate) {
        return Status::InvalidArgument("schema: field " + index::Quote(name) +
                                       " has an unknown type");
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (schema[j].first == name) {
          return Status::InvalidArgument("schema: field " + index::Quote(name) + " is named twice");
        }
      }
      const std::uint32_t field = KnownField(name);
      if (field != index::kNoField) {
        if (manifest.TypeOf(field) != type) {
          return Status::InvalidArgument(dir + ": field " + index::Quote(name) + " is " +
                                         FieldTypeName(manifest.TypeOf(field)) +
                                         " in the index, not " + FieldTypeName(type) +
                                         " (a field's type never changes)");
        }
        continue;
      }
      if (manifest.fields.size() >= index::kMaxFields) {
        return Status::InvalidArgument("schema: more than " + std::to_string(index::kMaxFields) +
                                       " fields");
      }
      manifest.fields.push_back(name);
      manifest.field_types.resize(manifest.fields.size() - 1, FieldType::kText);
      manifest.field_types.push_back(type);
    }
    return Status::OK();
  }

  // Removes files neither of the last two commits names.
  Status RemoveUnusedFiles() {
    return index::RemoveUnusedFiles(fs, dir, {&manifest, &previous_manifest});
  }

  // Merges the records at `chosen` (increasing positions) into one
  // segment, which takes the place of the first of them, and commits.
  Status Merge(const std::vector<std::size_t>& chosen) {
    std::vector<internal::SegmentView> sources;
    for (std::size_t i : chosen) {
      internal::SegmentView view;
      view.reader = records[i]->reader;
      if (!records[i]->deletes.isEmpty()) {
        view.deletes = std::make_shared<Roaring>(records[i]->deletes);
      }
      sources.push_back(std::move(view));
    }
    auto merged = std::make_shared<Record>();
    merged->name = index::SegmentName(manifest.next_segment++);
    merged->state = Record::State::kOnDisk;
    TIM_RETURN_IF_ERROR(index::MergeSegments(fs, dir, merged->name, sources, analyzer, TitleField(),
                                             store_options, &merged->info));
    merged->doc_count = merged->info.doc_count;
    TIM_RETURN_IF_ERROR(SegmentReader::Open(fs, dir, merged->name, false, &merged->reader));
    std::vector<std::shared_ptr<Record>> next;
    for (std::size_t i = 0, c = 0; i < records.size(); ++i) {
      if (c < chosen.size() && chosen[c] == i) {
        if (c++ == 0) next.push_back(merged);
      } else {
        next.push_back(records[i]);
      }
    }
    records = std::move(next);
    return CommitNoMerge();
  }

  // The live documents of each record, as the merge policy reads them.
  std::vector<std::uint64_t> LiveCounts() const {
    std::vector<std::uint64_t> live;
    for (const auto& rec : records) live.push_back(rec->live());
    return live;
  }

  // The tiered policy (index/merge_policy.h) after a commit.
  Status MergeTiers() {
    for (;;) {
      const std::vector<std::size_t> chosen =
          index::PickTieredMerge(LiveCounts(), options.merge_factor, options.merge_floor_docs);
      if (chosen.empty()) return Status::OK();
      TIM_RETURN_IF_ERROR(Merge(chosen));
    }
  }

  // ForceMerge: the smallest segments until at most `max_segments` remain.
  Status MergeDownTo(std::size_t max_segments) {
    const std::vector<std::size_t> chosen = index::PickForceMerge(LiveCounts(), max_segments);
    return chosen.empty() ? Status::OK() : Merge(chosen);
  }

  // Runs `fn`; its first error breaks the writer for good.
  template <typename Fn>
  Status Guard(Fn fn) {
    if (!status.ok()) return status;
    Status s = fn();
    if (!s.ok() && !s.IsInvalidArgument()) status = s;
    return s;
  }
};

IndexWriter::IndexWriter(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
IndexWriter::~IndexWriter() = default;

Status IndexWriter::Open(const std::string& dir, const IndexOptions& options,
                         std::unique_ptr<IndexWriter>* out) {
  if (options.analyzer.has_value() && options.analyzer->max_token_bytes > limits::kMaxTokenBytes) {
    return Status::InvalidArgument(
        "analyzer option max_token_bytes is " + std::to_string(options.analyzer->max_token_bytes) +
        ", more than the most, " + std::to_string(limits::kMaxTokenBytes));
  }
  if (options.max_document_bytes > limits::kMaxDocumentBytes) {
    return Status::InvalidArgument(
        "max_document_bytes is " + std::to_string(options.max_document_bytes) +
        ", more than the most, " + std::to_string(limits::kMaxDocumentBytes));
  }
  auto rep = std::make_unique<Rep>(options);
  rep->dir = dir;
  rep->fs = options.file_system != nullptr ? options.file_system : FileSystem::Default();
  rep->store_options.zstd_level = options.zstd_level;
  rep->store_options.block_bytes = std::max<std::size_t>(options.store_block_bytes, 1024);
  if (!options.store_dictionary) rep->store_options.dict_training_bytes = 0;
  FileSystem* fs = rep->fs;

  std::uint64_t size;
  Status exists = fs->FileSize(dir, &size);
  if (exists.IsNotFound() && !options.create_if_missing) {
    return Status::NotFound(dir + ": no such index directory");
  }
  if (exists.IsNotFound()) TIM_RETURN_IF_ERROR(fs->CreateDir(dir));
  TIM_RETURN_IF_ERROR(fs->LockFile(dir + "/" + index::kLockFileName, &rep->lock));
  std::uint64_t generation;
  TIM_RETURN_IF_ERROR(index::FindLatestManifest(fs, dir, &generation));
  if (generation == 0 && !options.create_if_missing) {
    return Status::NotFound(dir + ": no tim index here (no manifest)");
  }
  // The options asked for, as the analyzer takes them (it raises
  // max_token_bytes to its floor).
  const AnalyzerOptions asked = Analyzer(options.analyzer.value_or(AnalyzerOptions())).options();
  if (generation == 0) {
    rep->manifest.analyzer = asked;
  } else {
    TIM_RETURN_IF_ERROR(index::ReadManifest(fs, dir, generation, &rep->manifest));
    if (options.analyzer.has_value()) {
      const std::string diff = index::AnalyzerDifference(asked, rep->manifest.analyzer);
      if (!diff.empty()) {
        return Status::InvalidArgument(dir + ": analyzer option " + diff +
                                       " (leave IndexOptions::analyzer unset to keep the index's)");
      }
    }
    // The analyzer the index was built with; strict_utf8 is the writer's.
    AnalyzerOptions stored = rep->manifest.analyzer;
    stored.strict_utf8 = options.analyzer.has_value() && options.analyzer->strict_utf8;
    rep->analyzer = Analyzer(stored);
    rep->committed_fields = rep->manifest.fields.size();
    // The commit before, when its manifest is still here: RemoveUnusedFiles
    // spares its files, which readers may still be opening.
    if (generation == 1 ||
        !index::ReadManifest(fs, dir, generation - 1, &rep->previous_manifest).ok()) {
      rep->previous_manifest = Manifest();
    }
    for (const ManifestSegment& ms : rep->manifest.segments) {
      auto rec = std::make_shared<Record>();
      rec->state = Record::State::kOnDisk;
      rec->name = ms.name;
      rec->doc_count = ms.doc_count;
      rec->del_gen = ms.del_gen;
      TIM_RETURN_IF_ERROR(SegmentReader::Open(fs, dir, ms.name, true, &rec->reader));
      if (rec->reader->doc_count() != ms.doc_count) {
        return Status::Corruption(ms.name + ": document count differs from the manifest");
      }
      if (ms.del_gen > 0) {
        TIM_RETURN_IF_ERROR(index::ReadDeletes(fs, dir, index::DeletesFileName(ms.name, ms.del_gen),
                                               ms.doc_count, ms.del_count, &rec->deletes));
      }
      rep->records.push_back(std::move(rec));
    }
  }
  TIM_RETURN_IF_ERROR(rep->DeclareFields(options.schema));
  TIM_RETURN_IF_ERROR(rep->RemoveUnusedFiles());
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  rep->workers = std::make_unique<index::BuildWorkers>(
      &rep->analyzer, rep->fs, rep->dir, rep->store_options, std::clamp(threads, 1, 256));
  out->reset(new IndexWriter(std::move(rep)));
  return Status::OK();
}

Status IndexWriter::AddDocument(const Document& doc) {
  return rep_->Guard([&] { return rep_->Add(doc); });
}

Status IndexWriter::DeleteDocument(std::string_view id) {
  return rep_->Guard([&] {
    bool found;
    TIM_RETURN_IF_ERROR(rep_->DeleteId(id, &found));
    rep_->deleted += found;
    return Status::OK();
  });
}

Status IndexWriter::Commit() {
  return rep_->Guard([&] {
    TIM_RETURN_IF_ERROR(rep_->CommitNoMerge());
    return rep_->MergeTiers();
  });
}

Status IndexWriter::ForceMerge(int max_segments) {
  return rep_->Guard([&] {
    TIM_RETURN_IF_ERROR(rep_->CommitNoMerge());
    return rep_->MergeDownTo(static_cast<std::size_t>(std::max(max_segments, 1)));
  });
}

Schema IndexWriter::schema() const { return rep_->manifest.TypedFields(); }

std::uint64_t IndexWriter::added() const { return rep_->added; }
std::uint64_t IndexWriter::deleted() const { return rep_->deleted; }

}  // namespace tim
