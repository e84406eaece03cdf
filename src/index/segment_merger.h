// Merging segments: their live documents, renumbered in segment order, are
// written as one new segment. Postings are merged term by term (a k-way
// merge of the term dictionaries), never re-analysed; stored documents are
// copied block by block without parsing their text.

#ifndef TIM_INDEX_SEGMENT_MERGER_H_
#define TIM_INDEX_SEGMENT_MERGER_H_

#include <string>
#include <vector>

#include "index/snapshot.h"
#include "store/doc_store.h"

namespace tim::index {

Status MergeSegments(FileSystem* fs, const std::string& dir, const std::string& name,
                     const std::vector<internal::SegmentView>& sources,
                     const store::StoreOptions& store_options, SegmentInfo* info);

}  // namespace tim::index

#endif  // TIM_INDEX_SEGMENT_MERGER_H_
