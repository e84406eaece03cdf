#include "query/segment_search.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>
#include <utility>

#include "index/postings.h"

#include <emmintrin.h>  // SSE2: part of x86-64

namespace tim::query {
namespace {

using index::kNoMoreDocs;
using index::PostingsCursor;

// Upper bounds are compared with a margin, so float rounding in a sum of
// bounds never prunes a document whose exact score would enter the top k.
constexpr float kBoundSlack = 1.0f + 1e-5f;

// MaxScore's windows span at least this many documents.
constexpr std::uint32_t kMinWindow = 2048;

void SiftDown(std::vector<TopK::Entry>* h, std::size_t i);

// "a is worse than b": lower score, or the same score and a later document.
inline bool Worse(const TopK::Entry& a, const TopK::Entry& b) {
  return a.score < b.score || (a.score == b.score && a.doc > b.doc);
}

void SiftDown(std::vector<TopK::Entry>* h, std::size_t i) {
  std::vector<TopK::Entry>& v = *h;
  const std::size_t n = v.size();
  for (;;) {
    std::size_t l = 2 * i + 1, worst = i;
    if (l < n && Worse(v[l], v[worst])) worst = l;
    if (l + 1 < n && Worse(v[l + 1], v[worst])) worst = l + 1;
    if (worst == i) return;
    std::swap(v[i], v[worst]);
    i = worst;
  }
}

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

class Runner {
 public:
  explicit Runner(const SegmentSearch& s)
      : s_(s), plan_(*s.plan), seg_(*s.segment), view_(*s.segment->view) {}

  Status Init() {
    block_cache_.assign(plan_.specs.size(), BlockCache());
    return cur_.Open(s_);
  }

  // A spec's frequency share for the document its cursor stands on.
  float Freq(int spec, std::uint32_t doc) {
    ++scored_;
    const Spec& sp = plan_.specs[spec];
    return FieldFreq(sp.field_weight, cur_[spec].freq(), seg_.norm[sp.field][doc]);
  }

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
      part->value = held > 0 ? TitleMatch(*s_.scoring, plan_.title_total, held) : 0.0f;
      return held > 0;
    }
    const Group& g = plan_.groups[plan_.positive[unit]];
    float freq = 0;
    bool present = false;
    for (int spec : g.specs) {
      PostingsCursor& c = cur_[spec];
      c.NextGeq(doc);
      if (c.doc() != doc) continue;
      freq += Freq(spec, doc);
      present = true;
    }
    part->value = present ? Saturate(g.w, s_.scoring->k1, freq) : 0.0f;
    return present;
  }

  // The title shares of the terms the title of `doc` holds, summed in group
  // order (as Exhaustive() and Evaluate() sum them).
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
    return held > 0 ? TitleMatch(*s_.scoring, plan_.title_total, held) : 0.0f;
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
        if ((rest + TitleMatch(*s_.scoring, plan_.title_total, more)) * kBoundSlack > thr) break;
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
        cache.bound = FieldFreq(sp.field_weight, c.shallow_max_tf(),
                                LengthNorm(*s_.scoring, sp.field, c.shallow_min_len()));
      }
    }
    if (cache.bound > 0) *last = cache.last_doc;
    return cache.bound;
  }

  // A bound on a unit's score over a whole segment.
  float TermBound(std::size_t unit) {
    if (IsBonus(unit)) {
      return BonusBound([&](int spec) { return cur_[spec].doc() != kNoMoreDocs; });
    }
    const Group& g = plan_.groups[plan_.positive[unit]];
    float freq = 0;
    for (int spec : g.specs) {
      PostingsCursor& c = cur_[spec];
      if (c.doc() == kNoMoreDocs) continue;
      const Spec& sp = plan_.specs[spec];
      freq +=
          FieldFreq(sp.field_weight, c.max_tf(), LengthNorm(*s_.scoring, sp.field, c.min_len()));
    }
    return freq > 0 ? Saturate(g.w, s_.scoring->k1, freq) : 0.0f;
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
    if (view_.IsDeleted(doc)) return true;
    for (int e : plan_.excluded) {
      cur_[e].NextGeq(doc);
      if (cur_[e].doc() == doc) return true;
    }
    return false;
  }

  // ---- Exhaustive, term at a time (flat shapes).
  Status Exhaustive(TopK* top, std::uint64_t* hits) {
    const std::uint32_t n = view_.reader->doc_count();
    thread_local std::vector<float> acc;
    thread_local std::vector<std::uint64_t> mask;
    acc.assign(n, 0.0f);
    const bool conj = plan_.shape == Plan::Shape::kAnd;
    const std::size_t groups = plan_.required.size();
    if (conj) mask.assign(n, 0);
    // Gather, compute, scatter: the middle loop vectorises. (AVX2 and
    // AVX-512 kernels with gathers and scatters measured slower than this on
    // the EPYC machines here, 3.9 and 3.6 against 3.5 ns per posting.) A
    // group of one spec saturates in place; a group of several sums its
    // frequencies per document first, then saturates the documents it
    // touched.
    float value[index::kPostingsBlock], norm[index::kPostingsBlock];
    const float k1 = s_.scoring->k1;
    thread_local std::vector<float> freq, held;
    thread_local std::vector<std::uint32_t> touched;
    const bool title_match = plan_.title_total > 0;
    if (title_match) held.assign(n, 0.0f);
    for (int group : plan_.positive) {
      const Group& g = plan_.groups[group];
      const bool single = g.specs.size() == 1;
      if (!single && freq.size() != n) freq.assign(n, 0.0f);
      touched.clear();
      for (int spec : g.specs) {
        PostingsCursor& c = cur_[spec];
        const Spec& sp = plan_.specs[spec];
        const float* nf = seg_.norm[sp.field].data();
        const float fw = sp.field_weight;
        for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
          const std::uint32_t* tfs = c.block_tfs();
          const std::uint32_t* docs = c.block_docs();
          for (std::size_t i = 0; i < m; ++i) norm[i] = nf[docs[i]];
          for (std::size_t i = 0; i < m; ++i) value[i] = FieldFreq(fw, tfs[i], norm[i]);
          if (sp.title && title_match) {
            for (std::size_t i = 0; i < m; ++i) held[docs[i]] += g.title_share;
          }
          if (single) {
            for (std::size_t i = 0; i < m; ++i) value[i] = Saturate(g.w, k1, value[i]);
            for (std::size_t i = 0; i < m; ++i) acc[docs[i]] += value[i];
          } else {
            for (std::size_t i = 0; i < m; ++i) {
              float& f = freq[docs[i]];
              if (f == 0) touched.push_back(docs[i]);
              f += value[i];
            }
          }
          scored_ += m;
        }
      }
      // Each document's frequency was summed in spec order, as everywhere.
      for (std::uint32_t d : touched) {
        acc[d] += Saturate(g.w, k1, freq[d]);
        freq[d] = 0;
      }
    }
    if (title_match) {
      for (std::uint32_t d = 0; d < n; ++d) {
        if (held[d] > 0) acc[d] += TitleMatch(*s_.scoring, plan_.title_total, held[d]);
      }
    }
    TIM_RETURN_IF_ERROR(cur_.status());
    if (conj) {
      // Fresh cursors: the scoring pass consumed the ones above.
      Cursors fresh;
      TIM_RETURN_IF_ERROR(fresh.Open(s_));
      for (std::size_t g = 0; g < groups; ++g) {
        for (int spec : plan_.required[g]) {
          PostingsCursor& c = fresh[spec];
          for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
            for (std::size_t i = 0; i < m; ++i) mask[c.block_docs()[i]] |= std::uint64_t{1} << g;
          }
        }
      }
      TIM_RETURN_IF_ERROR(fresh.status());
    }
    if (!plan_.excluded.empty()) {
      Cursors fresh;
      TIM_RETURN_IF_ERROR(fresh.Open(s_));
      for (int spec : plan_.excluded) {
        PostingsCursor& c = fresh[spec];
        for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
          for (std::size_t i = 0; i < m; ++i) acc[c.block_docs()[i]] = 0;
        }
      }
      TIM_RETURN_IF_ERROR(fresh.status());
    }
    if (view_.deletes != nullptr) {
      for (std::uint32_t d : *view_.deletes) {
        if (d < n) acc[d] = 0;
      }
    }
    const std::uint64_t full = groups >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << groups) - 1;
    std::uint64_t count = 0;
    std::uint32_t d = 0;
    if (!conj) {
      // Four documents at a time: count the scored ones, and look closer
      // only where one beats the threshold (most documents score 0).
      float thr = std::max(top->threshold(), 0.0f);
      __m128 t = _mm_set1_ps(thr);
      const __m128 zero = _mm_setzero_ps();
      for (; d + 4 <= n; d += 4) {
        const __m128 v = _mm_loadu_ps(acc.data() + d);
        // Bits set in a 4-bit mask (x86-64's baseline has no popcnt).
        static constexpr std::uint8_t kBits[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
        count += kBits[_mm_movemask_ps(_mm_cmpgt_ps(v, zero))];
        if (_mm_movemask_ps(_mm_cmpgt_ps(v, t)) == 0) continue;
        for (std::uint32_t i = d; i < d + 4; ++i) {
          if (acc[i] > 0 && acc[i] > top->threshold()) top->Push(acc[i], seg_.doc_base + i);
        }
        thr = std::max(top->threshold(), 0.0f);
        t = _mm_set1_ps(thr);
      }
    }
    for (; d < n; ++d) {
      const float v = acc[d];
      if (!(v > 0) || (conj && mask[d] != full)) continue;
      ++count;
      if (v > top->threshold()) top->Push(v, seg_.doc_base + d);
    }
    *hits += count;
    return Status::OK();
  }

  // ---- MaxScore over block-max windows (flat shapes).
  //
  // The documents are taken in windows: from d to the first end of a block
  // among the lists. In a window each list's score is bounded by its block's
  // maximum, usually far below the list's overall maximum. Lists sorted by
  // that bound split into non-essential ones (together unable to lift a
  // document over the threshold) and essential ones: candidates come from
  // the essential lists only, the others just complete their scores, and
  // each stops as soon as what is left cannot beat the threshold. A window
  // whose bounds add up to no more than the threshold is skipped whole.
  // AND shapes add a filter: each required term must hold the candidate.
  // The title match bonus is a list of its own: its window bound is the
  // bonus of a title holding every term whose title list has a block in the
  // window, and when it is essential the title lists give candidates.
  Status MaxScore(TopK* top, std::uint64_t* hits) {
    const std::size_t n = Units();
    std::vector<float> ub(n), cum(n);  // window bounds; sums of the smallest
    std::vector<std::size_t> order(n);
    Found found;
    found.reserve(n);
    std::uint64_t count = 0;
    float thr = top->threshold();
    std::size_t first_essential = 0;
    auto partition = [&]() {
      while (first_essential < n && cum[first_essential] * kBoundSlack <= thr) ++first_essential;
    };
    // Cost of a unit: the length of its lists in this segment. For AND,
    // the required term with the shortest lists.
    std::vector<std::uint64_t> cost(n, 0);
    for (std::size_t j = 0; j < n; ++j) {
      for (int spec : UnitSpecs(j)) cost[j] += plan_.specs[spec].infos[s_.segment_index].doc_freq;
    }
    const std::vector<int>* lead = nullptr;
    std::uint64_t lead_cost = 0;
    for (const auto& g : plan_.required) {
      std::uint64_t c = 0;
      for (int spec : g) c += plan_.specs[spec].infos[s_.segment_index].doc_freq;
      if (lead == nullptr || c < lead_cost) {
        lead = &g;
        lead_cost = c;
      }
    }
    std::vector<int> gen;  // the cursors candidates come from
    gen.reserve(n);
    std::uint32_t d = 0;
    for (;;) {
      // AND: start at the next document every required term holds (a
      // leapfrog), so stretches without one cost no window.
      bool done = false;
      for (bool moved = !plan_.required.empty(); moved && !done;) {
        moved = false;
        for (const auto& g : plan_.required) {
          std::uint32_t m = kNoMoreDocs;
          for (int spec : g) {
            cur_[spec].NextGeq(d);
            m = std::min(m, cur_[spec].doc());
          }
          if (m == kNoMoreDocs) {
            done = true;
            break;
          }
          if (m > d) {
            d = m;
            moved = true;
          }
        }
      }
      if (done) break;
      // The window ends at the first block end among the lists, but spans
      // at least kMinWindow documents: a list's bound is then its largest
      // block bound over the window.
      std::uint32_t window = kNoMoreDocs - 1;
      bool any = false;
      for (std::size_t j = 0; j < n; ++j) {
        for (int spec : UnitSpecs(j)) {
          PostingsCursor& c = cur_[spec];
          if (c.doc() == kNoMoreDocs) continue;
          c.ShallowSeek(d);
          if (c.shallow_last_doc() < d) continue;
          any = true;
          window = std::min(window, c.shallow_last_doc());
        }
      }
      if (!any) break;  // every list is done
      if (window - d < kMinWindow)
        window = std::min<std::uint64_t>(kNoMoreDocs - 1, std::uint64_t{d} + kMinWindow);
      float total = 0;
      for (std::size_t j = 0; j < n; ++j) {
        if (IsBonus(j)) {
          ub[j] = BonusBound([&](int spec) {
            return cur_[spec].MaxBlockBound(d, window,
                                            [](std::uint32_t, std::uint32_t) { return 1.0f; }) > 0;
          });
          total += ub[j];
          continue;
        }
        const Group& g = plan_.groups[plan_.positive[j]];
        float freq = 0;
        for (int spec : g.specs) {
          const Spec& sp = plan_.specs[spec];
          freq += cur_[spec].MaxBlockBound(d, window, [&](std::uint32_t tf, std::uint32_t len) {
            return FieldFreq(sp.field_weight, tf, LengthNorm(*s_.scoring, sp.field, len));
          });
        }
        ub[j] = freq > 0 ? Saturate(g.w, s_.scoring->k1, freq) : 0.0f;
        total += ub[j];
      }
      if (top->full() && total * kBoundSlack <= thr) {
        if (window == kNoMoreDocs - 1) break;
        d = window + 1;
        continue;
      }
      std::iota(order.begin(), order.end(), 0);
      for (std::size_t i = 1; i < n; ++i) {  // insertion sort: n is small
        const std::size_t v = order[i];
        std::size_t k = i;
        for (; k > 0 && ub[order[k - 1]] > ub[v]; --k) order[k] = order[k - 1];
        order[k] = v;
      }
      float run = 0;
      for (std::size_t i = 0; i < n; ++i) cum[i] = (run += ub[order[i]]);
      first_essential = 0;
      partition();
      // Candidates come from the essential lists, or, for AND, from the
      // rarest required term when that is cheaper: a document that can
      // enter the top k is in both.
      gen.clear();
      std::uint64_t essential_cost = 0;
      for (std::size_t i = first_essential; i < n; ++i) {
        if (IsBonus(order[i])) {
          BonusGenerators(d, window, top->full(), thr,
                          first_essential > 0 ? cum[first_essential - 1] : 0.0f, &gen);
        } else {
          const std::vector<int>& specs = UnitSpecs(order[i]);
          gen.insert(gen.end(), specs.begin(), specs.end());
        }
        essential_cost += cost[order[i]];
      }
      // A title spec is also its group's: each cursor once.
      std::sort(gen.begin(), gen.end());
      gen.erase(std::unique(gen.begin(), gen.end()), gen.end());
      if (lead != nullptr && lead_cost < essential_cost) gen = *lead;
      for (int spec : gen) cur_[spec].NextGeq(d);
      for (;;) {
        std::uint32_t c = kNoMoreDocs;
        for (int spec : gen) c = std::min(c, cur_[spec].doc());
        if (c > window) break;
        found.clear();
        float s = 0;
        for (std::size_t i = first_essential; i < n; ++i) {
          Part part;
          if (!UnitScore(order[i], c, &part)) continue;
          s += part.value;
          found.push_back(part);
        }
        // AND: every required term must hold c. Essential cursors stay on c
        // until the candidate is done, so NextGeq(c) answers for them too.
        bool pruned = false;
        for (const auto& g : plan_.required) {
          bool in = false;
          for (int spec : g) {
            cur_[spec].NextGeq(c);
            if (cur_[spec].doc() == c) {
              in = true;
              break;
            }
          }
          if (!in) {
            pruned = true;
            break;
          }
        }
        // The non-essential lists, largest bound first.
        if (!pruned) {
          pruned = !Complete(
              c, first_essential, [&](std::size_t k) { return order[first_essential - 1 - k]; },
              [&](std::size_t k) { return cum[first_essential - 1 - k]; }, top->full(), thr, &s,
              &found);
        }
        for (int spec : gen) {
          if (cur_[spec].doc() == c) cur_[spec].Next();
        }
        if (pruned || Excluded(c)) continue;
        ++count;
        const float score = Total(&found);
        if (score > thr) {
          top->Push(score, seg_.doc_base + c);
          thr = top->threshold();
          partition();
          if (first_essential == n) break;
        }
      }
      if (window == kNoMoreDocs - 1) break;
      d = window + 1;
    }
    TIM_RETURN_IF_ERROR(cur_.status());
    if (s_.count_all) {
      TIM_RETURN_IF_ERROR(CountFlat(hits));
    } else {
      *hits += count;
    }
    return Status::OK();
  }

  // ---- Leapfrog over the required terms (flat AND).
  Status Conjunctive(TopK* top, std::uint64_t* hits) {
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
      bound_of[j] = TermBound(j);
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
        for (int group : pos) {
          const Group& g = plan_.groups[group];
          float freq = 0;
          for (int spec : g.specs) {
            std::uint32_t last;
            freq += BlockFreqBound(spec, d, &last);
            window = std::min(window, last);
          }
          if (freq > 0) bound += Saturate(g.w, s_.scoring->k1, freq);
        }
        // The bonus where the title lists have blocks (their windows are
        // already in `window`).
        bound += BonusBound([&](int spec) {
          std::uint32_t last;
          return BlockFreqBound(spec, d, &last) > 0;
        });
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
    if (s_.count_all) return CountFlat(hits);
    *hits += count;
    return Status::OK();
  }

  // Counts the matches of a flat plan with a bitset (MaxScore skips some).
  Status CountFlat(std::uint64_t* hits) {
    const std::uint32_t n = view_.reader->doc_count();
    const std::size_t words = (n + 63) / 64;
    std::vector<std::uint64_t> bits(words, 0), group(words);
    Cursors fresh;
    TIM_RETURN_IF_ERROR(fresh.Open(s_));
    auto fill = [&](const std::vector<int>& specs, std::vector<std::uint64_t>* out) {
      for (int spec : specs) {
        PostingsCursor& c = fresh[spec];
        for (std::size_t m = c.block_size(); m > 0; m = c.NextBlock() ? c.block_size() : 0) {
          for (std::size_t i = 0; i < m; ++i) {
            const std::uint32_t d = c.block_docs()[i];
            (*out)[d >> 6] |= std::uint64_t{1} << (d & 63);
          }
        }
      }
    };
    for (const auto& g : plan_.optional) fill(g, &bits);
    if (!plan_.required.empty()) {
      std::fill(bits.begin(), bits.end(), ~std::uint64_t{0});
      for (const auto& g : plan_.required) {
        std::fill(group.begin(), group.end(), 0);
        fill(g, &group);
        for (std::size_t i = 0; i < words; ++i) bits[i] &= group[i];
      }
      if (n % 64 != 0) bits[words - 1] &= (std::uint64_t{1} << (n % 64)) - 1;
    }
    std::fill(group.begin(), group.end(), 0);
    fill(plan_.excluded, &group);
    TIM_RETURN_IF_ERROR(fresh.status());
    if (view_.deletes != nullptr) {
      for (std::uint32_t d : *view_.deletes) {
        if (d < n) group[d >> 6] |= std::uint64_t{1} << (d & 63);
      }
    }
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < words; ++i) count += __builtin_popcountll(bits[i] & ~group[i]);
    *hits += count;
    return Status::OK();
  }

  // ---- Generic: any tree.
  bool Matches(const MatchNode& m, std::uint32_t d) {
    switch (m.kind) {
      case MatchNode::Kind::kTerm:
        for (int spec : m.match) {
          cur_[spec].NextGeq(d);
          if (cur_[spec].doc() == d) return true;
        }
        return false;
      case MatchNode::Kind::kPhrase:
        for (const std::vector<int>& words : m.phrase) {
          if (PhraseIn(words, m.offsets, d)) return true;
        }
        return false;
      case MatchNode::Kind::kBool: break;
    }
    bool any_must = false, any_should = false;
    for (const auto& [occur, c] : m.clauses) {
      switch (occur) {
        case Occur::kMust:
          any_must = true;
          if (!Matches(c, d)) return false;
          break;
        case Occur::kMustNot:
          if (Matches(c, d)) return false;
          break;
        case Occur::kShould: break;
      }
    }
    if (any_must) return true;
    for (const auto& [occur, c] : m.clauses) {
      if (occur == Occur::kShould && !any_should) any_should = Matches(c, d);
    }
    return any_should;
  }

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

  // Adds the contributions of a matching node's specs into contrib_.
  void Score(const MatchNode& m, std::uint32_t d) {
    for (int spec : m.score) {
      cur_[spec].NextGeq(d);
      if (cur_[spec].doc() == d) {
        freq_[spec] = Freq(spec, d);
        present_[spec] = 1;
      }
    }
    if (m.kind != MatchNode::Kind::kBool) return;
    for (const auto& [occur, c] : m.clauses) {
      if (occur != Occur::kMustNot && Matches(c, d)) Score(c, d);
    }
  }

  // Scores document d if it matches; the sum runs in spec order.
  bool Evaluate(std::uint32_t d, float* score) {
    if (!Matches(plan_.root, d)) return false;
    std::fill(present_.begin(), present_.end(), 0);
    Score(plan_.root, d);
    float s = 0, held = 0;
    for (std::size_t g = 0; g < plan_.groups.size(); ++g) {
      const Group& group = plan_.groups[g];
      float freq = 0;
      bool any = false, title = false;
      for (int spec : group.specs) {
        if (!present_[spec]) continue;
        freq += freq_[spec];
        any = true;
        title |= plan_.specs[spec].title;
      }
      group_score_[g] = any ? Saturate(group.w, s_.scoring->k1, freq) : 0.0f;
      group_freq_[g] = freq;
      if (any) s += group_score_[g];
      if (title) held += group.title_share;
    }
    title_bonus_ = held > 0 ? TitleMatch(*s_.scoring, plan_.title_total, held) : 0.0f;
    *score = held > 0 ? s + title_bonus_ : s;
    return true;
  }

  void CollectCandidates(const MatchNode& m, bool negated) {
    if (negated) return;
    if (m.kind == MatchNode::Kind::kTerm) {
      candidates_.insert(candidates_.end(), m.match.begin(), m.match.end());
    } else if (m.kind == MatchNode::Kind::kPhrase) {
      for (const auto& w : m.phrase) candidates_.push_back(w[0]);
    } else {
      for (const auto& [occur, c] : m.clauses) CollectCandidates(c, occur == Occur::kMustNot);
    }
  }

  void ResetScratch() {
    freq_.assign(plan_.specs.size(), 0);
    present_.assign(plan_.specs.size(), 0);
    group_score_.assign(plan_.groups.size(), 0);
    group_freq_.assign(plan_.groups.size(), 0);
  }

  Status Generic(TopK* top, std::uint64_t* hits) {
    ResetScratch();
    candidates_.clear();
    CollectCandidates(plan_.root, false);
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
    // Candidate generation gets cursors of its own: evaluation moves the
    // shared ones past documents that candidates still need to visit.
    Cursors gen;
    TIM_RETURN_IF_ERROR(gen.Open(s_));
    std::uint64_t count = 0;
    for (;;) {
      std::uint32_t d = kNoMoreDocs;
      for (int spec : candidates_) d = std::min(d, gen[spec].doc());
      if (d == kNoMoreDocs) break;
      for (int spec : candidates_) {
        if (gen[spec].doc() == d) gen[spec].Next();
      }
      if (view_.IsDeleted(d)) continue;
      float score;
      if (!Evaluate(d, &score)) continue;
      ++count;
      if (s_.visit != nullptr) {
        if (!(*s_.visit)(d, score)) break;
        continue;
      }
      if (score > top->threshold()) top->Push(score, seg_.doc_base + d);
    }
    TIM_RETURN_IF_ERROR(gen.status());
    TIM_RETURN_IF_ERROR(cur_.status());
    *hits += count;
    return Status::OK();
  }

  Status Explain(std::uint32_t d, bool* matched, float* score, std::vector<ScoreDetail>* out) {
    ResetScratch();
    *matched = !view_.IsDeleted(d) && Evaluate(d, score);
    TIM_RETURN_IF_ERROR(cur_.status());
    out->clear();
    if (!*matched) return Status::OK();
    static const char* const kTiers[] = {"folded", "exact", "bigram"};
    for (std::size_t i = 0; i < present_.size(); ++i) {
      if (!present_[i]) continue;
      const Spec& sp = plan_.specs[i];
      const Group& g = plan_.groups[sp.group];
      ScoreDetail detail;
      detail.term = sp.term;
      detail.tier = kTiers[static_cast<int>(sp.kind)];
      detail.field = s_.scoring->field_names[sp.field];
      detail.tf = cur_[i].freq();
      detail.field_length = view_.reader->FieldLength(sp.field, d);
      detail.idf = g.idf;
      detail.weight = g.weight;
      detail.field_weight = sp.field_weight;
      // The group's score, shared among its fields by frequency.
      detail.score = group_score_[sp.group] * (freq_[i] / group_freq_[sp.group]);
      out->push_back(std::move(detail));
    }
    if (title_bonus_ > 0) {
      ScoreDetail detail;
      detail.tier = "title-match";
      detail.field = s_.scoring->field_names[s_.scoring->title_field];
      for (std::size_t i = 0; i < present_.size(); ++i) {
        if (!present_[i] || !plan_.specs[i].title) continue;
        detail.term += (detail.term.empty() ? "" : " ") + plan_.specs[i].term;
        ++detail.tf;
      }
      detail.weight = s_.scoring->title_match_weight;
      detail.score = title_bonus_;
      out->push_back(std::move(detail));
    }
    return Status::OK();
  }

 private:
  const SegmentSearch& s_;
  const Plan& plan_;
  const SegmentData& seg_;
  const internal::SegmentView& view_;
  Cursors cur_;
  struct BlockCache {
    bool valid = false;
    std::uint32_t last_doc = 0;
    float bound = 0;
  };
  std::vector<BlockCache> block_cache_;
  std::vector<float> freq_;  // per spec, for the document evaluated
  std::vector<char> present_;
  std::vector<float> group_score_, group_freq_;
  float title_bonus_ = 0;  // of the document evaluated
  std::vector<std::pair<float, int>> bonus_scratch_;
  std::vector<int> candidates_;
  std::vector<std::uint32_t> starts_, other_;

 public:
  std::uint64_t scored_ = 0;
};

}  // namespace

void TopK::Push(float score, std::uint64_t doc) {
  if (k_ == 0) return;
  const Entry e{score, doc};
  if (heap_.size() < k_) {
    heap_.push_back(e);
    // Sift up.
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!Worse(heap_[i], heap_[parent])) break;
      std::swap(heap_[i], heap_[parent]);
      i = parent;
    }
    return;
  }
  if (!Worse(heap_.front(), e)) return;
  heap_.front() = e;
  SiftDown(&heap_, 0);
}

std::vector<TopK::Entry> TopK::Sorted() const {
  std::vector<Entry> out = heap_;
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return Worse(b, a); });
  return out;
}

static Status Dispatch(const SegmentSearch& s, Runner* runner, TopK* top, std::uint64_t* hits);

Status RunSegment(const SegmentSearch& s, TopK* top, std::uint64_t* hits) {
  Runner r(s);
  TIM_RETURN_IF_ERROR(r.Init());
  const Status status = Dispatch(s, &r, top, hits);
  if (s.scored != nullptr) *s.scored += r.scored_;
  return status;
}

static Status Dispatch(const SegmentSearch& s, Runner* runner, TopK* top, std::uint64_t* hits) {
  Runner& r = *runner;
  const Plan::Shape shape = s.plan->shape;
  Algorithm a = s.algorithm;
  if (shape == Plan::Shape::kGeneric) a = Algorithm::kGeneric;
  switch (a) {
    case Algorithm::kExhaustive: return r.Exhaustive(top, hits);
    case Algorithm::kGeneric: return r.Generic(top, hits);
    case Algorithm::kConjunctive:
      if (shape == Plan::Shape::kAnd) return r.Conjunctive(top, hits);
      return r.MaxScore(top, hits);
    case Algorithm::kAuto:
    case Algorithm::kMaxScore: break;
  }
  return r.MaxScore(top, hits);
}

Status ExplainDoc(const SegmentSearch& s, std::uint32_t doc, bool* matched, float* score,
                  std::vector<ScoreDetail>* details) {
  Runner r(s);
  TIM_RETURN_IF_ERROR(r.Init());
  return r.Explain(doc, matched, score, details);
}

}  // namespace tim::query
