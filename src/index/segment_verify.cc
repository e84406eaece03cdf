// SegmentReader::Verify: a full walk of one segment's structures, for
// `tim verify`. Checksums were checked when the segment was opened; this
// finds what a checksum cannot: a writer bug, or a file that is internally
// consistent but contradicts another.

#include <algorithm>
#include <string>
#include <vector>

#include "index/segment.h"

namespace tim::index {

namespace {
Status Bad(const std::string& file, const std::string& what) {
  return Status::Corruption(file + ": " + what);
}
}  // namespace

Status SegmentReader::Verify() const {
  TIM_RETURN_IF_ERROR(VerifyNorms());
  TIM_RETURN_IF_ERROR(VerifyTerms());
  std::vector<std::string> stored_ids;
  TIM_RETURN_IF_ERROR(VerifyStored(&stored_ids));
  TIM_RETURN_IF_ERROR(VerifyIds(stored_ids));
  TIM_RETURN_IF_ERROR(columns_.Verify());
  return lm_.Verify();
}

// Norms (.nrm): each field's lengths add up to the segment info's totals.
Status SegmentReader::VerifyNorms() const {
  for (const FieldStats& f : info_.fields) {
    std::uint64_t total = 0;
    std::uint32_t docs = 0;
    for (std::uint32_t d = 0; d < info_.doc_count; ++d) {
      const std::uint32_t len = FieldLength(f.field, d);
      total += len;
      docs += len > 0;
    }
    if (total != f.total_length || docs != f.docs) {
      return Bad(SegmentFile(name_, kNrm),
                 "field " + std::to_string(f.field) + " lengths do not match the segment info");
    }
  }
  return Status::OK();
}

// Terms (.tim, .doc, .pos): every list decodes, ascends, agrees with its
// dictionary entry, its skip data and the norms, and the lists tile the
// postings files.
Status SegmentReader::VerifyTerms() const {
  const std::string tim = SegmentFile(name_, kTim);
  const std::string doc_file = SegmentFile(name_, kDoc);
  TermIterator it(this);
  PostingsCursor cursor;
  std::vector<std::uint32_t> positions;
  std::uint64_t terms = 0;
  // The terms' lists tile .doc and .pos: each starts where the last ended.
  std::uint64_t doc_end = codec::kHeaderSize, pos_end = codec::kHeaderSize;
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    ++terms;
    if ((it.info().doc_freq > 1 && it.info().doc_offset != doc_end) ||
        it.info().pos_offset != pos_end) {
      return Bad(tim, "term #" + std::to_string(terms) + ": postings offsets leave a gap");
    }
    doc_end += it.info().doc_bytes;
    pos_end += it.info().pos_bytes;
    const std::string_view key = it.key();
    const std::uint32_t field = it.parts().field;
    const TermKind kind = it.parts().kind;
    const std::string term_name = "term #" + std::to_string(terms);
    if (field >= kMaxFields || norms_[field] == nullptr) {
      return Bad(tim,
                 term_name + " names field " + std::to_string(field) + ", absent from the segment");
    }
    const TermInfo& info = it.info();
    TIM_RETURN_IF_ERROR(OpenCursor(key, info, &cursor));
    std::uint64_t docs = 0, total = 0;
    std::uint32_t prev = 0;
    for (; cursor.doc() != kNoMoreDocs; cursor.Next()) {
      const std::uint32_t d = cursor.doc();
      if (docs > 0 && d <= prev) return Bad(doc_file, term_name + ": doc ids not increasing");
      if (cursor.freq() == 0) return Bad(doc_file, term_name + ": zero frequency");
      if (cursor.block_last_doc() < d || cursor.block_max_tf() < cursor.freq() ||
          cursor.block_min_len() > FieldLength(field, d)) {
        return Bad(doc_file, term_name + ": skip data does not bound its block");
      }
      if (HasPositions(kind)) {
        TIM_RETURN_IF_ERROR(cursor.Positions(&positions));
        if (positions.size() != cursor.freq() ||
            (!positions.empty() && positions.back() >= FieldLength(field, d))) {
          return Bad(SegmentFile(name_, kPos), term_name + ": positions out of range");
        }
      }
      prev = d;
      ++docs;
      total += cursor.freq();
    }
    TIM_RETURN_IF_ERROR(cursor.status());
    if (docs != info.doc_freq || total != info.total_freq) {
      return Bad(doc_file, term_name + ": postings do not match the dictionary's counts");
    }
  }
  TIM_RETURN_IF_ERROR(it.status());
  if (terms != info_.terms) return Bad(tim, "term count does not match the segment info");
  if (doc_end + codec::kFooterSize != postings_.doc_file.size() ||
      pos_end + codec::kFooterSize != postings_.pos_file.size()) {
    return Bad(doc_file, "postings files hold bytes no term owns");
  }
  return Status::OK();
}

// Stored documents (.sto): every block decompresses and its documents parse
// (ReadBlock checks both), and the blocks hold the segment's documents,
// each once.
// *stored_ids gets each document's stored id.
Status SegmentReader::VerifyStored(std::vector<std::string>* stored_ids) const {
  const std::string sto = SegmentFile(name_, kSto);
  std::string raw;
  std::vector<std::string_view> docs;
  stored_ids->assign(info_.doc_count, std::string());
  std::uint64_t next = 0;  // the first document of the next block
  for (std::size_t b = 0; b < store_.blocks(); ++b) {
    std::uint32_t first = 0;
    TIM_RETURN_IF_ERROR(store_.ReadBlock(b, &raw, &docs, &first));
    // next <= doc_count holds: each block is checked against what is left.
    if (first != next || docs.size() > info_.doc_count - next) {
      return Bad(sto, "block " + std::to_string(b) + " does not follow the one before");
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
      std::string_view one = docs[i];
      store::StoredDoc doc;
      store::ParseDoc(&one, &doc);  // ReadBlock parsed every document once already
      (*stored_ids)[first + i] = std::move(doc.id);
    }
    next += docs.size();
  }
  if (next != info_.doc_count) {
    return Bad(sto, "blocks hold " + std::to_string(next) + " documents, the segment " +
                        std::to_string(info_.doc_count));
  }
  return Status::OK();
}

// Ids (.did, .ids): each document's id is the one stored with it, the
// ascending flag is true, and the id map points each id at a document
// stored with it.
Status SegmentReader::VerifyIds(const std::vector<std::string>& stored_ids) const {
  if (has_doc_ids_) {
    bool ascending = true;
    for (std::uint32_t d = 1; d < info_.doc_count && ascending; ++d) {
      ascending = stored_ids[d - 1] < stored_ids[d];
    }
    if (ascending != doc_ids_.ascending()) {
      return Bad(SegmentFile(name_, kDid),
                 ascending ? "ids ascend but the file says not" : "ids said to ascend do not");
    }
    for (std::uint32_t d = 0; d < info_.doc_count; ++d) {
      std::string id;
      TIM_RETURN_IF_ERROR(doc_ids_.Get(d, &id));
      if (id != stored_ids[d]) {
        return Bad(SegmentFile(name_, kDid),
                   "document " + std::to_string(d) + " has another id than the one stored");
      }
    }
  }
  SortedTable::Iterator ids(&ids_);
  std::uint64_t id_count = 0;
  for (ids.SeekToFirst(); ids.Valid(); ids.Next()) {
    std::uint32_t doc;
    TIM_RETURN_IF_ERROR(DecodeIdValue(ids.value(), &doc));
    if (stored_ids[doc] != ids.key()) {  // DecodeIdValue checked doc < doc_count
      return Bad(SegmentFile(name_, kIds), "id map names a document stored with another id");
    }
    ++id_count;
  }
  TIM_RETURN_IF_ERROR(ids.status());
  // A document replaced within its own segment leaves its id there once.
  if (id_count == 0 && info_.doc_count > 0) return Bad(SegmentFile(name_, kIds), "no ids");
  return Status::OK();
}

}  // namespace tim::index
