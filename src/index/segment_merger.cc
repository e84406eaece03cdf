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

}  // namespace

Status MergeSegments(FileSystem* fs, const std::string& dir, const std::string& name,
                     const std::vector<internal::SegmentView>& sources, const Analyzer& analyzer,
                     std::uint32_t title_field, const store::StoreOptions& store_options,
                     SegmentInfo* info) {
  // A merge copies what it reads into a segment that outlives its sources:
  // damaged bytes must stop it here, not spread.
  for (const internal::SegmentView& src : sources) {
    TIM_RETURN_IF_ERROR(src.reader->VerifyChecksums());
  }
  // New doc numbers: live documents in source order.
  std::vector<std::vector<std::uint32_t>> docmap(sources.size());
  std::uint32_t next = 0;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const std::uint32_t n = sources[s].reader->doc_count();
    docmap[s].resize(n);
    for (std::uint32_t d = 0; d < n; ++d) {
      docmap[s][d] = sources[s].IsDeleted(d) ? kNoMoreDocs : next++;
    }
  }
  *info = SegmentInfo();
  info->doc_count = next;

  // Norms of every field any source has, renumbered.
  std::vector<std::uint32_t> field_slot(kMaxFields, kNoMoreDocs);
  for (const internal::SegmentView& src : sources) {
    for (const FieldStats& f : src.reader->info().fields) field_slot[f.field] = 0;
  }
  std::vector<std::vector<std::uint32_t>> norms;
  for (std::uint32_t f = 0; f < kMaxFields; ++f) {
    if (field_slot[f] == kNoMoreDocs) continue;
    field_slot[f] = static_cast<std::uint32_t>(norms.size());
    FieldStats stats;
    stats.field = f;
    std::vector<std::uint32_t> lens(next, 0);
    for (std::size_t s = 0; s < sources.size(); ++s) {
      for (std::uint32_t d = 0; d < docmap[s].size(); ++d) {
        if (docmap[s][d] == kNoMoreDocs) continue;
        const std::uint32_t len = sources[s].reader->FieldLength(f, d);
        lens[docmap[s][d]] = len;
        stats.docs += len > 0;
        stats.total_length += len;
      }
    }
    info->fields.push_back(stats);
    norms.push_back(std::move(lens));
  }

  SegmentWriter writer;
  TIM_RETURN_IF_ERROR(writer.Open(fs, dir, name, store_options));

  // Terms: a k-way merge of the sources' dictionaries.
  std::vector<SegmentReader::TermIterator> iters;
  iters.reserve(sources.size());
  for (const internal::SegmentView& src : sources) {
    iters.emplace_back(src.reader.get());
    iters.back().SeekToFirst();
    TIM_RETURN_IF_ERROR(iters.back().status());
  }
  KeyMerge<SegmentReader::TermIterator> merge(&iters);
  PostingsCursor cursor;
  std::vector<std::uint32_t> positions;
  std::string key;
  std::vector<std::size_t> holders;
  PostingsWriter* out = writer.postings();
  while (merge.Next(&key, &holders)) {  // holders in source order = doc order
    TermKeyParts parts;
    if (!ParseTermKey(key, &parts))
      return Status::Corruption(name + ": a source has a bad term key");
    const TermKind kind = parts.kind;
    const std::uint32_t slot = field_slot[parts.field];
    if (slot == kNoMoreDocs) {
      return Status::Corruption(name + ": a source term names a field without norms");
    }
    out->StartTerm(HasPositions(kind));
    for (std::size_t s : holders) {
      TIM_RETURN_IF_ERROR(sources[s].reader->OpenCursor(key, iters[s].info(), &cursor));
      for (; cursor.doc() != kNoMoreDocs; cursor.Next()) {
        const std::uint32_t d = docmap[s][cursor.doc()];
        if (d == kNoMoreDocs) continue;
        if (HasPositions(kind)) TIM_RETURN_IF_ERROR(cursor.Positions(&positions));
        out->AddDoc(d, cursor.freq(), norms[slot][d], positions.data());
      }
      TIM_RETURN_IF_ERROR(cursor.status());
    }
    if (out->pending_docs() > 0) {
      TIM_RETURN_IF_ERROR(writer.FinishTerm(key));
      ++info->terms;
    }
    TIM_RETURN_IF_ERROR(merge.Advance(holders));
  }

  // Stored documents, copied as serialised. The text of deleted ones is
  // analysed again, to take its counts out of the language model.
  std::string raw;
  std::vector<std::string_view> docs;
  LanguageModelBuilder removed(~std::size_t{0});
  std::uint64_t removed_docs = 0;
  Analysis analysis;
  store::StoredDoc deleted;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const store::StoreReader& store = sources[s].reader->store();
    std::uint32_t next_doc = 0;  // the first document of block b
    for (std::size_t b = 0; b < store.blocks(); ++b) {
      std::uint32_t first = 0;
      TIM_RETURN_IF_ERROR(store.ReadBlock(b, &raw, &docs, &first));
      if (first != next_doc || docs.size() > store.doc_count() - first) {
        return Status::Corruption(sources[s].reader->name() +
                                  ".sto: blocks disagree with the document count");
      }
      next_doc += static_cast<std::uint32_t>(docs.size());
      for (std::size_t i = 0; i < docs.size(); ++i) {
        if (docmap[s][first + i] != kNoMoreDocs) {
          TIM_RETURN_IF_ERROR(writer.AddStored(docs[i]));
          continue;
        }
        std::string_view in = docs[i];
        if (!store::ParseDoc(&in, &deleted)) {
          return Status::Corruption(sources[s].reader->name() + ": stored document " +
                                    std::to_string(first + i) + " does not parse");
        }
        for (const auto& [field, text] : deleted.fields) {
          TIM_RETURN_IF_ERROR(analyzer.Analyze(text, &analysis));
          removed.AddField(analysis, field == title_field);
        }
        ++removed_docs;
      }
    }
  }

  // Ids of live documents: by document in the merged order, then sorted
  // for the id map.
  std::vector<std::pair<std::string, std::uint32_t>> ids;
  ids.reserve(next);
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const SegmentReader& reader = *sources[s].reader;
    for (std::uint32_t doc = 0; doc < reader.doc_count(); ++doc) {
      if (docmap[s][doc] == kNoMoreDocs) continue;
      std::string id;
      TIM_RETURN_IF_ERROR(reader.DocId(doc, &id));
      TIM_RETURN_IF_ERROR(writer.AddDocId(id));
      ids.emplace_back(std::move(id), docmap[s][doc]);
    }
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0 && ids[i].first == ids[i - 1].first) {
      return Status::Corruption(name + ": id \"" + ids[i].first + "\" live in two segments");
    }
    TIM_RETURN_IF_ERROR(writer.AddId(ids[i].first, ids[i].second));
  }
  // The language model: the sources' counts less the deleted documents'.
  std::vector<const LanguageModelReader*> models;
  for (const internal::SegmentView& src : sources) models.push_back(&src.reader->language_model());
  TIM_RETURN_IF_ERROR(
      MergeModels(fs, dir, name, models, removed_docs > 0 ? &removed : nullptr, writer.lm_file()));
  return writer.Finish(*info, norms);
}

}  // namespace tim::index
