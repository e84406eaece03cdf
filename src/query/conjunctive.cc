// The leapfrog AND (query/algorithms.h): Algorithm::kConjunctive on flat
// AND plans.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "query/algorithms.h"
#include "query/unit_scorer.h"

namespace tim::query {
namespace {

class Conjunctive : public UnitScorer {
 public:
  explicit Conjunctive(const SegmentSearch& s) : UnitScorer(s) {}

  // ---- Leapfrog over the required terms (flat AND).
  Status Run(TopK* top, std::uint64_t* hits) {
    const std::vector<std::vector<int>>& req = plan_.required;
    for (const auto& g : req) {
      if (g.empty()) return Status::OK();  // a required word the segment lacks
    }
    std::vector<std::size_t> order(req.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::uint64_t> cost(req.size(), 0);
    for (std::size_t g = 0; g < req.size(); ++g) {
      for (int spec : req[g]) cost[g] += plan_.specs[spec].infos[s_.segment_index].doc_freq;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
    auto group_geq = [&](std::size_t g, std::uint32_t target) {
      std::uint32_t m = kNoMoreDocs;
      for (int spec : req[g]) {
        cur_[spec].NextGeq(target);
        m = std::min(m, cur_[spec].doc());
      }
      return m;
    };
    const std::vector<int>& pos = plan_.positive;
    const std::size_t n = Units();
    // The units outside the required terms (the bonus among them), by
    // decreasing bound, with the sums of the bounds from each on.
    std::vector<char> is_required(n, 0);
    for (const auto& g : req) {
      for (int spec : g) {
        const int group = plan_.specs[spec].group;
        const auto it = std::lower_bound(pos.begin(), pos.end(), group);
        if (it != pos.end() && *it == group) is_required[it - pos.begin()] = 1;
      }
    }
    std::vector<std::size_t> rest;
    std::vector<float> bound_of(n);
    for (std::size_t j = 0; j < n; ++j) {
      bound_of[j] = SegmentBound(j);
      if (!is_required[j] && bound_of[j] > 0) rest.push_back(j);
    }
    std::stable_sort(rest.begin(), rest.end(),
                     [&](std::size_t a, std::size_t b) { return bound_of[a] > bound_of[b]; });
    std::vector<float> rest_bound(rest.size() + 1, 0.0f);
    for (std::size_t i = rest.size(); i-- > 0;)
      rest_bound[i] = rest_bound[i + 1] + bound_of[rest[i]];
    Found found;
    found.reserve(n);
    std::uint64_t count = 0;
    std::uint32_t d = 0;
    std::uint32_t window = 0;  // last doc of the window checked last
    float window_thr = -1;     // the threshold it was checked against
    for (;;) {
      d = group_geq(order[0], d);
      if (d == kNoMoreDocs) break;
      if (top->full() && (d > window || top->threshold() > window_thr)) {
        // Block-max skip: every spec's current block bounds its score up to
        // the block's last doc; when their sum over [d, window] cannot beat
        // the threshold, no document of the window can. A window that can
        // is not checked again until d leaves it or the threshold rises.
        window = kNoMoreDocs - 1;
        float bound = 0;
        for (std::size_t j = 0; j < n; ++j) bound += BlockBound(j, d, &window);
        window_thr = top->threshold();
        if (bound * kBoundSlack <= window_thr) {
          if (window >= kNoMoreDocs - 1) break;
          d = window + 1;
          continue;
        }
      }
      bool all = true;
      for (std::size_t i = 1; i < order.size(); ++i) {
        const std::uint32_t e = group_geq(order[i], d);
        if (e != d) {
          d = e;
          all = false;
          break;
        }
      }
      if (d == kNoMoreDocs) break;
      if (!all) continue;
      if (!Excluded(d)) {
        ++count;
        // The required terms' cursors stand on d already; the other specs
        // follow by decreasing bound, and stop once what is left cannot lift
        // the score over the threshold.
        found.clear();
        float s = 0;
        for (std::size_t j = 0; j < pos.size(); ++j) {
          if (!is_required[j]) continue;
          Part part;
          if (!UnitScore(j, d, &part)) continue;
          s += part.value;
          found.push_back(part);
        }
        const bool pruned = !Complete(
            d, rest.size(), [&](std::size_t k) { return rest[k]; },
            [&](std::size_t k) { return rest_bound[k]; }, top->full(), top->threshold(), &s,
            &found);
        if (!pruned) {
          const float score = Total(&found);
          if (score > top->threshold()) top->Push(score, seg_.doc_base + d);
        }
      }
      if (d == kNoMoreDocs - 1) break;
      ++d;
    }
    TIM_RETURN_IF_ERROR(cur_.status());
    // Block-max skips pass over matches without counting them.
    if (s_.count_all) return CountFlatMatches(s_, hits);
    *hits += count;
    return Status::OK();
  }
};

}  // namespace

Status ConjunctiveSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits) {
  Conjunctive run(s);
  TIM_RETURN_IF_ERROR(run.Init());
  return run.Run(top, hits);
}

}  // namespace tim::query
