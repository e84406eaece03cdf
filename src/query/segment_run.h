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
  // Whether document d is out: deleted, or failing the search's filters.
  bool Out(std::uint32_t d) const {
    return view_.IsDeleted(d) || (s_.accept != nullptr && !s_.accept->contains(d));
  }

  // A spec's frequency share for the document its cursor stands on.
  float Freq(int spec, std::uint32_t doc) {
    ++scored_;
    const Spec& sp = plan_.specs[spec];
    return FieldFreq(sp.field_weight, cur_[spec].freq(), norm_[sp.field](doc));
  }

  // Whether document d holds the words of `words` (one field's folded
  // specs) at p + offsets[0], p + offsets[1], ... for some p. Moves the
  // words' cursors to d; false when one of them lacks d or its positions
  // fail to decode (the cursor's status says so).
  bool PhraseIn(const std::vector<int>& words, const std::vector<std::uint32_t>& offsets,
                std::uint32_t d) {
    for (int spec : words) {
      cur_[spec].NextGeq(d);
      if (cur_[spec].doc() != d) return false;
    }
    // Candidate starts from the first word, filtered by each other word.
    if (!cur_[words[0]].Positions(&starts_).ok()) return false;
    for (std::size_t j = 1; j < words.size() && !starts_.empty(); ++j) {
      if (!cur_[words[j]].Positions(&other_).ok()) return false;
      std::size_t k = 0, out = 0;
      for (std::uint32_t p : starts_) {
        const std::uint64_t want = std::uint64_t{p} + offsets[j];
        while (k < other_.size() && other_[k] < want) ++k;
        if (k < other_.size() && other_[k] == want) starts_[out++] = p;
      }
      starts_.resize(out);
    }
    return !starts_.empty();
  }
  // Whether d holds the phrase in one of its fields.
  bool PhraseIn(const PhraseCheck& phrase, std::uint32_t d) {
    for (const std::vector<int>& words : phrase.fields) {
      if (PhraseIn(words, phrase.offsets, d)) return true;
    }
    return false;
  }

  const SegmentSearch& s_;
  const Plan& plan_;
  const SegmentData& seg_;
  const SegmentNorms& norm_;
  const internal::SegmentView& view_;
  Cursors cur_;
  std::uint64_t scored_ = 0;

 private:
  std::vector<std::uint32_t> starts_, other_;  // PhraseIn()'s positions
};

}  // namespace tim::query

#endif  // TIM_QUERY_SEGMENT_RUN_H_
