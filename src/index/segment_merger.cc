#include "index/segment_merger.h"

#include <algorithm>

#include "index/key_merge.h"
#include "index/language_model.h"

namespace tim::index {

namespace {

// Writes the merged segment's language model: the sum of the sources'
// counts, less `removed` (the deleted documents' counts; may be null), which
// goes through a scratch file: written, read back, then removed. A leftover
// of a crash is removed with the writer's unused files.
Status MergeModels(FileSystem* fs, const std::string& dir, const std::string& name,
                   const std::vector<const LanguageModelReader*>& models,
                   LanguageModelBuilder* removed, codec::FileBuilder* out) {
  if (removed == nullptr) return MergeLanguageModels(models, nullptr, out);
  const std::string scratch_name = name + "_deleted.lm";
  const std::string scratch = dir + "/" + scratch_name;
  {
    codec::FileBuilder file;
    TIM_RETURN_IF_ERROR(file.Open(fs, scratch, codec::FileKind::kLanguageModel));
    TIM_RETURN_IF_ERROR(removed->Write(&file));
    TIM_RETURN_IF_ERROR(file.Finish());
  }
  std::unique_ptr<MappedFile> mapped;
  LanguageModelReader removed_model;
  Status status = fs->MapFile(scratch, &mapped);
  std::string_view body;
  if (status.ok()) {
    status = codec::CheckFrame(scratch_name, mapped->view(), codec::FileKind::kLanguageModel, true,
                               &body);
  }
  if (status.ok()) status = removed_model.Open(scratch_name, mapped->view());
  if (status.ok()) status = MergeLanguageModels(models, &removed_model, out);
  mapped.reset();
  (void)fs->RemoveFile(scratch);
  return status;
}

// One merge, one step per kind of file the new segment has: documents are
// renumbered first, then norms (.nrm, with the field statistics of .seg),
// terms (.tim, .doc, .pos), stored documents (.sto), ids (.did, .ids) and
// the language model (.lm), each from the sources' files of its kind.
class SegmentMerge {
 public:
  SegmentMerge(FileSystem* fs, const std::string& dir, const std::string& name,
               const std::vector<internal::SegmentView>& sources, const Analyzer& analyzer,
               std::uint32_t title_field)
      : fs_(fs),
        dir_(dir),
        name_(name),
        sources_(sources),
        analyzer_(analyzer),
        title_field_(title_field),
        removed_(~std::size_t{0}) {}

  Status Run(const store::StoreOptions& store_options, SegmentInfo* info) {
    // A merge copies what it reads into a segment that outlives its
    // sources: damaged bytes must stop it here, not spread.
    for (const internal::SegmentView& src : sources_) {
      TIM_RETURN_IF_ERROR(src.reader->VerifyChecksums());
    }
    *info = SegmentInfo();
    MapDocs(info);
    MergeNorms(info);
    TIM_RETURN_IF_ERROR(writer_.Open(fs_, dir_, name_, store_options));
    TIM_RETURN_IF_ERROR(MergeTerms(info));
    TIM_RETURN_IF_ERROR(CopyStored());
    TIM_RETURN_IF_ERROR(MergeIds(info->doc_count));
    TIM_RETURN_IF_ERROR(MergeModel());
    TIM_RETURN_IF_ERROR(MergeColumns(info->doc_count));
    return writer_.Finish(*info, norms_);
  }

 private:
  // New doc numbers: live documents in source order.
  void MapDocs(SegmentInfo* info) {
    docmap_.resize(sources_.size());
    std::uint32_t next = 0;
    for (std::size_t s = 0; s < sources_.size(); ++s) {
      const std::uint32_t n = sources_[s].reader->doc_count();
      docmap_[s].resize(n);
      for (std::uint32_t d = 0; d < n; ++d) {
        docmap_[s][d] = sources_[s].IsDeleted(d) ? kNoMoreDocs : next++;
      }
    }
    info->doc_count = next;
  }

  // Norms of every field any source has, renumbered, and their statistics.
  void MergeNorms(SegmentInfo* info) {
    field_slot_.assign(kMaxFields, kNoMoreDocs);
    for (const internal::SegmentView& src : sources_) {
      for (const FieldStats& f : src.reader->info().fields) field_slot_[f.field] = 0;
    }
    for (std::uint32_t f = 0; f < kMaxFields; ++f) {
      if (field_slot_[f] == kNoMoreDocs) continue;
      field_slot_[f] = static_cast<std::uint32_t>(norms_.size());
      FieldStats stats;
      stats.field = f;
      std::vector<std::uint32_t> lens(info->doc_count, 0);
      for (std::size_t s = 0; s < sources_.size(); ++s) {
        for (std::uint32_t d = 0; d < docmap_[s].size(); ++d) {
          if (docmap_[s][d] == kNoMoreDocs) continue;
          const std::uint32_t len = sources_[s].reader->FieldLength(f, d);
          lens[docmap_[s][d]] = len;
          stats.docs += len > 0;
          stats.total_length += len;
        }
      }
      info->fields.push_back(stats);
      norms_.push_back(std::move(lens));
    }
  }

  // Terms: a k-way merge of the sources' dictionaries, postings (and
  // positions) renumbered, deleted documents left out.
  Status MergeTerms(SegmentInfo* info) {
    std::vector<SegmentReader::TermIterator> iters;
    iters.reserve(sources_.size());
    for (const internal::SegmentView& src : sources_) {
      iters.emplace_back(src.reader.get());
      iters.back().SeekToFirst();
      TIM_RETURN_IF_ERROR(iters.back().status());
    }
    KeyMerge<SegmentReader::TermIterator> merge(&iters);
    PostingsCursor cursor;
    std::vector<std::uint32_t> positions;
    std::string key;
    std::vector<std::size_t> holders;
    PostingsWriter* out = writer_.postings();
    while (merge.Next(&key, &holders)) {  // holders in source order = doc order
      TermKeyParts parts;
      if (!ParseTermKey(key, &parts))
        return Status::Corruption(name_ + ": a source has a bad term key");
      const TermKind kind = parts.kind;
      const std::uint32_t slot = field_slot_[parts.field];
      if (slot == kNoMoreDocs) {
        return Status::Corruption(name_ + ": a source term names a field without norms");
      }
      out->StartTerm(HasPositions(kind));
      for (std::size_t s : holders) {
        TIM_RETURN_IF_ERROR(sources_[s].reader->OpenCursor(key, iters[s].info(), &cursor));
        for (; cursor.doc() != kNoMoreDocs; cursor.Next()) {
          const std::uint32_t d = docmap_[s][cursor.doc()];
          if (d == kNoMoreDocs) continue;
          if (HasPositions(kind)) TIM_RETURN_IF_ERROR(cursor.Positions(&positions));
          out->AddDoc(d, cursor.freq(), norms_[slot][d], positions.data());
        }
        TIM_RETURN_IF_ERROR(cursor.status());
      }
      if (out->pending_docs() > 0) {
        TIM_RETURN_IF_ERROR(writer_.FinishTerm(key));
        ++info->terms;
      }
      TIM_RETURN_IF_ERROR(merge.Advance(holders));
    }
    return Status::OK();
  }

  // Stored documents, copied as serialised. The text of deleted ones is
  // analysed again, to take its counts out of the language model.
  Status CopyStored() {
    std::string raw;
    std::vector<std::string_view> docs;
    Analysis analysis;
    store::StoredDoc deleted;
    for (std::size_t s = 0; s < sources_.size(); ++s) {
      const store::StoreReader& store = sources_[s].reader->store();
      std::uint32_t next_doc = 0;  // the first document of block b
      for (std::size_t b = 0; b < store.blocks(); ++b) {
        std::uint32_t first = 0;
        TIM_RETURN_IF_ERROR(store.ReadBlock(b, &raw, &docs, &first));
        if (first != next_doc || docs.size() > store.doc_count() - first) {
          return Status::Corruption(sources_[s].reader->name() +
                                    ".sto: blocks disagree with the document count");
        }
        next_doc += static_cast<std::uint32_t>(docs.size());
        for (std::size_t i = 0; i < docs.size(); ++i) {
          if (docmap_[s][first + i] != kNoMoreDocs) {
            TIM_RETURN_IF_ERROR(writer_.AddStored(docs[i]));
            continue;
          }
          std::string_view in = docs[i];
          if (!store::ParseDoc(&in, &deleted)) {
            return Status::Corruption(sources_[s].reader->name() + ": stored document " +
                                      std::to_string(first + i) + " does not parse");
          }
          for (const auto& [field, text] : deleted.fields) {
            // Typed fields were never analysed: the model never counted them.
            if (sources_[s].reader->columns().Find(field) != nullptr) continue;
            TIM_RETURN_IF_ERROR(analyzer_.Analyze(text, &analysis));
            removed_.AddField(analysis, field == title_field_);
          }
          ++removed_docs_;
        }
      }
    }
    return Status::OK();
  }

  // Ids of live documents: by document in the merged order (.did), then
  // sorted for the id map (.ids).
  Status MergeIds(std::uint32_t doc_count) {
    std::vector<std::pair<std::string, std::uint32_t>> ids;
    ids.reserve(doc_count);
    for (std::size_t s = 0; s < sources_.size(); ++s) {
      const SegmentReader& reader = *sources_[s].reader;
      for (std::uint32_t doc = 0; doc < reader.doc_count(); ++doc) {
        if (docmap_[s][doc] == kNoMoreDocs) continue;
        std::string id;
        TIM_RETURN_IF_ERROR(reader.DocId(doc, &id));
        TIM_RETURN_IF_ERROR(writer_.AddDocId(id));
        ids.emplace_back(std::move(id), docmap_[s][doc]);
      }
    }
    std::sort(ids.begin(), ids.end());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i > 0 && ids[i].first == ids[i - 1].first) {
        return Status::Corruption(name_ + ": id \"" + ids[i].first + "\" live in two segments");
      }
      TIM_RETURN_IF_ERROR(writer_.AddId(ids[i].first, ids[i].second));
    }
    return Status::OK();
  }

  // Columns: each live document's typed values, renumbered.
  Status MergeColumns(std::uint32_t doc_count) {
    ColumnBuilder columns;
    std::vector<std::uint32_t> ords;
    for (std::size_t s = 0; s < sources_.size(); ++s) {
      for (const Column& c : sources_[s].reader->columns().columns()) {
        for (std::uint32_t d = 0; d < c.doc_count(); ++d) {
          const std::uint32_t to = docmap_[s][d];
          if (to == kNoMoreDocs) continue;
          if (c.keyword()) {
            if (!c.Ords(d, &ords)) {
              return Status::Corruption(sources_[s].reader->name() +
                                        ".col: bad ordinals of document " + std::to_string(d));
            }
            for (std::uint32_t o : ords) columns.AddKeyword(c.field(), to, c.Value(o));
          } else if (c.Has(d)) {
            const Number n = c.NumberOf(c.Key(d));
            if (c.kind() == ColumnKind::kDate) {
              columns.AddDate(c.field(), to, n.i);
            } else {
              columns.AddNumber(c.field(), to, n);
            }
          }
        }
      }
    }
    std::string body;
    TIM_RETURN_IF_ERROR(columns.Write(doc_count, &body));
    return writer_.col_file()->Append(body);
  }

  // The language model: the sources' counts less the deleted documents'.
  Status MergeModel() {
    std::vector<const LanguageModelReader*> models;
    for (const internal::SegmentView& src : sources_) {
      models.push_back(&src.reader->language_model());
    }
    return MergeModels(fs_, dir_, name_, models, removed_docs_ > 0 ? &removed_ : nullptr,
                       writer_.lm_file());
  }

  FileSystem* fs_;
  const std::string& dir_;
  const std::string& name_;
  const std::vector<internal::SegmentView>& sources_;
  const Analyzer& analyzer_;
  const std::uint32_t title_field_;
  SegmentWriter writer_;
  std::vector<std::vector<std::uint32_t>> docmap_;  // per source: new doc numbers
  std::vector<std::uint32_t> field_slot_;           // per field number: its norms_ slot
  std::vector<std::vector<std::uint32_t>> norms_;
  LanguageModelBuilder removed_;  // the deleted documents' counts
  std::uint64_t removed_docs_ = 0;
};

}  // namespace

Status MergeSegments(FileSystem* fs, const std::string& dir, const std::string& name,
                     const std::vector<internal::SegmentView>& sources, const Analyzer& analyzer,
                     std::uint32_t title_field, const store::StoreOptions& store_options,
                     SegmentInfo* info) {
  SegmentMerge merge(fs, dir, name, sources, analyzer, title_field);
  return merge.Run(store_options, info);
}

}  // namespace tim::index
