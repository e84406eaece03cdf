// What every top-k algorithm holds while it runs on one segment: the
// plan, the segment, a cursor per spec, and the count of postings scored.
#ifndef TIM_QUERY_SEGMENT_RUN_H_
#define TIM_QUERY_SEGMENT_RUN_H_

#include <cstdint>
#include <vector>

#include "index/postings.h"
#include "query/plan.h"
#include "query/segment_search.h"
#include "tim/status.h"

namespace tim::query {

using index::kNoMoreDocs;
using index::PostingsCursor;

// The per-segment cursors of a plan's specs.
class Cursors {
 public:
  Status Open(const SegmentSearch& s) {
    const Plan& plan = *s.plan;
    cursors_.clear();
    cursors_.resize(plan.specs.size());
    const index::SegmentReader& reader = *s.segment->view->reader;
    for (std::size_t i = 0; i < plan.specs.size(); ++i) {
      const index::TermInfo& info = plan.specs[i].infos[s.segment_index];
      if (info.doc_freq == 0) continue;  // a default cursor is at its end
      TIM_RETURN_IF_ERROR(reader.OpenCursor(plan.specs[i].key, info, &cursors_[i]));
    }
    return Status::OK();
  }
  PostingsCursor& operator[](std::size_t i) { return cursors_[i]; }
  Status status() const {
    for (const PostingsCursor& c : cursors_) {
      if (!c.status().ok()) return c.status();
    }
    return Status::OK();
  }

 private:
  std::vector<PostingsCursor> cursors_;
};

class SegmentRun {
 public:
  explicit SegmentRun(const SegmentSearch& s)
      : s_(s), plan_(*s.plan), seg_(*s.segment), norm_(s.norms()), view_(*s.segment->view) {}
  // Adds the postings scored to SegmentSearch::scored.
  ~SegmentRun() {
    if (s_.scored != nullptr) *s_.scored += scored_;
  }
  SegmentRun(const SegmentRun&) = delete;
  SegmentRun& operator=(const SegmentRun&) = delete;

 protected:
  // A spec's frequency share for the document its cursor stands on.
  float Freq(int spec, std::uint32_t doc) {
    ++scored_;
    const Spec& sp = plan_.specs[spec];
    return FieldFreq(sp.field_weight, cur_[spec].freq(), norm_[sp.field][doc]);
  }

  const SegmentSearch& s_;
  const Plan& plan_;
  const SegmentData& seg_;
  const SegmentNorms& norm_;
  const internal::SegmentView& view_;
  Cursors cur_;
  std::uint64_t scored_ = 0;
};

}  // namespace tim::query

#endif  // TIM_QUERY_SEGMENT_RUN_H_
