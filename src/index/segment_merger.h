// Merging segments: their live documents, renumbered in segment order, are
// written as one new segment. Postings are merged term by term (a k-way
// merge of the term dictionaries), never re-analysed; stored documents are
// copied as serialised. Only the text of deleted documents is analysed again
// (with `analyzer`, the index's), so that the merged language model no
// longer counts it: a deleted document's words must not come back as
// suggestions. `title_field` is the number of the field named "title", if
// any (index::kNoField when none).

#ifndef TIM_INDEX_SEGMENT_MERGER_H_
#define TIM_INDEX_SEGMENT_MERGER_H_

#include <string>
#include <vector>

#include "index/snapshot.h"
#include "store/doc_store.h"
#include "tim/analyzer.h"

namespace tim::index {

Status MergeSegments(FileSystem* fs, const std::string& dir, const std::string& name,
                     const std::vector<internal::SegmentView>& sources, const Analyzer& analyzer,
                     std::uint32_t title_field, const store::StoreOptions& store_options,
                     SegmentInfo* info);

}  // namespace tim::index

#endif  // TIM_INDEX_SEGMENT_MERGER_H_
