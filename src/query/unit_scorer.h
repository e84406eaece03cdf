// What MaxScore and the leapfrog AND see of a flat plan: its score in
// units (each positive group, then the title match bonus), each with its
// score for a document and bounds on it over a block, a window or the
// segment, all computed by the scoring unit (query/bm25f.h). The
// algorithms only add these numbers up and compare them. Defined here, in
// the header, so each algorithm's loops inline them.
#ifndef TIM_QUERY_UNIT_SCORER_H_
#define TIM_QUERY_UNIT_SCORER_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "query/segment_run.h"

namespace tim::query {

class UnitScorer : public SegmentRun {
 public:
  explicit UnitScorer(const SegmentSearch& s) : SegmentRun(s) {}

  Status Init() {
    block_cache_.assign(plan_.specs.size(), BlockCache());
    TIM_RETURN_IF_ERROR(cur_.Open(s_));
    // Each group unit's lists, flat: what scoring a candidate reads, with
    // no lookup through the plan.
    const std::size_t groups = plan_.positive.size();
    unit_begin_.assign(groups + 1, 0);
    unit_w_.assign(groups, 0.0f);
    unit_lists_.clear();
    for (std::size_t j = 0; j < groups; ++j) {
      const Group& g = plan_.groups[plan_.positive[j]];
      unit_w_[j] = g.w;
      for (int spec : g.specs) {
        const Spec& sp = plan_.specs[spec];
        unit_lists_.push_back(UnitList{&cur_[spec], sp.field_weight, norm_[sp.field]});
      }
      unit_begin_[j + 1] = static_cast<std::uint32_t>(unit_lists_.size());
    }
    return Status::OK();
  }

 protected:
  // The flat algorithms score in units: unit j < n is the group
  // plan.positive[j], unit n (when the plan has one) the title match bonus,
  // which depends on every word the title holds and so comes last.
  std::size_t Units() const { return plan_.positive.size() + (plan_.title_total > 0 ? 1 : 0); }
  bool IsBonus(std::size_t unit) const { return unit == plan_.positive.size(); }

  // A unit's part of the score of `doc` (its cursors move there): none when
  // it does not score the document.
  struct Part {
    std::size_t unit;
    float value;
  };
  bool UnitScore(std::size_t unit, std::uint32_t doc, Part* part) {
    part->unit = unit;
    if (IsBonus(unit)) {
      const float held = TitleHeld(doc);
      part->value = held > 0 ? s_.scoring->TitleMatch(plan_.title_total, held) : 0.0f;
      return held > 0;
    }
    float freq = 0;
    bool present = false;
    for (std::uint32_t i = unit_begin_[unit]; i < unit_begin_[unit + 1]; ++i) {
      const UnitList& l = unit_lists_[i];
      l.cursor->NextGeq(doc);
      if (l.cursor->doc() != doc) continue;
      ++scored_;
      freq += FieldFreq(l.field_weight, l.cursor->freq(), l.norm(doc));
      present = true;
    }
    part->value = present ? s_.scoring->Saturate(unit_w_[unit], freq) : 0.0f;
    return present;
  }

  // The title shares of the terms the title of `doc` holds, summed in group
  // order (as the exhaustive pass and the generic evaluator sum them).
  float TitleHeld(std::uint32_t doc) {
    float held = 0;
    for (int spec : plan_.title_specs) {
      PostingsCursor& c = cur_[spec];
      c.NextGeq(doc);
      if (c.doc() == doc) held += plan_.groups[plan_.specs[spec].group].title_share;
    }
    return held;
  }

  // The score of a document from its parts: their values in unit order.
  static float Total(std::vector<Part>* parts) {
    std::sort(parts->begin(), parts->end(),
              [](const Part& a, const Part& b) { return a.unit < b.unit; });
    float score = 0;
    for (const Part& p : *parts) score += p.value;
    return score;
  }

  // The bonus of a title holding every term whose title spec is in
  // `possible` (a bound on the bonus where only those may be held).
  template <typename Possible>
  float BonusBound(Possible possible) {
    float held = 0;
    for (int spec : plan_.title_specs) {
      if (possible(spec)) held += plan_.groups[plan_.specs[spec].group].title_share;
    }
    return held > 0 ? s_.scoring->TitleMatch(plan_.title_total, held) : 0.0f;
  }

  // The title lists the bonus needs candidates from, when it is an
  // essential list of MaxScore's window [d, window]: a document outside the
  // other essential lists scores at most `rest` (the non-essential lists'
  // bounds) plus its bonus, so the title lists of the smallest shares can be
  // left out while the bonus of holding all of them keeps that sum within
  // the threshold ("có" in the title of every document never makes one a
  // candidate on its own).
  void BonusGenerators(std::uint32_t d, std::uint32_t window, bool full, float thr, float rest,
                       std::vector<int>* gen) {
    std::vector<std::pair<float, int>>& by_share = bonus_scratch_;
    by_share.clear();
    for (int spec : plan_.title_specs) {
      const bool present = cur_[spec].MaxBlockBound(
                               d, window, [](std::uint32_t, std::uint32_t) { return 1.0f; }) > 0;
      if (present) by_share.emplace_back(plan_.groups[plan_.specs[spec].group].title_share, spec);
    }
    std::sort(by_share.begin(), by_share.end());
    std::size_t skip = 0;
    if (full) {
      float held = 0;
      for (; skip < by_share.size(); ++skip) {
        const float more = held + by_share[skip].first;
        if ((rest + s_.scoring->TitleMatch(plan_.title_total, more)) * kBoundSlack > thr) break;
        held = more;
      }
    }
    for (std::size_t i = skip; i < by_share.size(); ++i) gen->push_back(by_share[i].second);
  }

  // The specs whose documents a unit scores.
  const std::vector<int>& UnitSpecs(std::size_t unit) const {
    return IsBonus(unit) ? plan_.title_specs : plan_.groups[plan_.positive[unit]].specs;
  }

  // A bound on a spec's frequency share for any document from `doc` to the
  // end of the block that holds doc (or the next block), which ends at
  // *last; 0 when its list has nothing there. Documents only grow, so each
  // block's bound is computed once and cached.
  float BlockFreqBound(int spec, std::uint32_t doc, std::uint32_t* last) {
    PostingsCursor& c = cur_[spec];
    *last = kNoMoreDocs;
    if (c.doc() == kNoMoreDocs) return 0;
    BlockCache& cache = block_cache_[spec];
    if (!(cache.valid && doc <= cache.last_doc)) {
      c.ShallowSeek(doc);
      cache.valid = true;
      cache.last_doc = c.shallow_last_doc();
      if (cache.last_doc < doc) {
        cache.last_doc = kNoMoreDocs;
        cache.bound = 0;
      } else {
        const Spec& sp = plan_.specs[spec];
        cache.bound = s_.scoring->FreqBound(sp.field_weight, sp.field, c.shallow_max_tf(),
                                            c.shallow_min_len());
      }
    }
    if (cache.bound > 0) *last = cache.last_doc;
    return cache.bound;
  }

  // A bound on a unit's score over a whole segment.
  float SegmentBound(std::size_t unit) {
    if (IsBonus(unit)) {
      return BonusBound([&](int spec) { return cur_[spec].doc() != kNoMoreDocs; });
    }
    const Group& g = plan_.groups[plan_.positive[unit]];
    float freq = 0;
    for (int spec : g.specs) {
      PostingsCursor& c = cur_[spec];
      if (c.doc() == kNoMoreDocs) continue;
      const Spec& sp = plan_.specs[spec];
      freq += s_.scoring->FreqBound(sp.field_weight, sp.field, c.max_tf(), c.min_len());
    }
    return freq > 0 ? s_.scoring->Saturate(g.w, freq) : 0.0f;
  }

  // A bound on a unit's score for the documents of [d, window], from its
  // lists' blocks there (their shallow cursors move to d).
  float WindowBound(std::size_t unit, std::uint32_t d, std::uint32_t window) {
    if (IsBonus(unit)) {
      return BonusBound([&](int spec) {
        return cur_[spec].MaxBlockBound(d, window,
                                        [](std::uint32_t, std::uint32_t) { return 1.0f; }) > 0;
      });
    }
    const Group& g = plan_.groups[plan_.positive[unit]];
    float freq = 0;
    for (int spec : g.specs) {
      const Spec& sp = plan_.specs[spec];
      freq += cur_[spec].MaxBlockBound(d, window, [&](std::uint32_t tf, std::uint32_t len) {
        return s_.scoring->FreqBound(sp.field_weight, sp.field, tf, len);
      });
    }
    return freq > 0 ? s_.scoring->Saturate(g.w, freq) : 0.0f;
  }

  // A bound on a unit's score for the documents from `doc` to the end of
  // the first block of its lists that holds doc (or follows it), and
  // lowers *window to that end.
  float BlockBound(std::size_t unit, std::uint32_t doc, std::uint32_t* window) {
    std::uint32_t last;
    if (IsBonus(unit)) {
      return BonusBound([&](int spec) { return BlockFreqBound(spec, doc, &last) > 0; });
    }
    const Group& g = plan_.groups[plan_.positive[unit]];
    float freq = 0;
    for (int spec : g.specs) {
      freq += BlockFreqBound(spec, doc, &last);
      *window = std::min(*window, last);
    }
    return freq > 0 ? s_.scoring->Saturate(g.w, freq) : 0.0f;
  }

  using Found = std::vector<Part>;

  // Completes a candidate's parts with more units, the most promising
  // first: the k-th is unit at(k), and rest(k) bounds what it and every one
  // after it can add to the partial score *s. Returns false (pruned) as
  // soon as *s + rest(k) cannot beat the threshold of a full top k.
  template <typename At, typename Rest>
  bool Complete(std::uint32_t doc, std::size_t count, At at, Rest rest, bool full, float thr,
                float* s, Found* found) {
    for (std::size_t k = 0; k < count; ++k) {
      if (full && (*s + rest(k)) * kBoundSlack <= thr) return false;
      Part part;
      if (UnitScore(at(k), doc, &part)) {
        *s += part.value;
        found->push_back(part);
      }
    }
    return true;
  }

  bool Excluded(std::uint32_t doc) {
    if (Out(doc)) return true;
    for (int e : plan_.excluded) {
      cur_[e].NextGeq(doc);
      if (cur_[e].doc() == doc) return true;
    }
    return false;
  }

 private:
  struct BlockCache {
    bool valid = false;
    std::uint32_t last_doc = 0;
    float bound = 0;
  };
  std::vector<BlockCache> block_cache_;
  // A group unit's list: its cursor, its field's weight and norms
  // (SegmentRun::Freq() as one record). Unit j's are
  // unit_lists_[unit_begin_[j], unit_begin_[j + 1]).
  struct UnitList {
    PostingsCursor* cursor;
    float field_weight;
    FieldNorms norm;
  };
  std::vector<UnitList> unit_lists_;
  std::vector<std::uint32_t> unit_begin_;
  std::vector<float> unit_w_;
  std::vector<std::pair<float, int>> bonus_scratch_;
};

}  // namespace tim::query

#endif  // TIM_QUERY_UNIT_SCORER_H_
