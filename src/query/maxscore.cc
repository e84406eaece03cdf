// MaxScore over block-max windows (query/algorithms.h): the default for
// flat OR and AND plans.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "query/algorithms.h"
#include "query/unit_scorer.h"

namespace tim::query {
namespace {

// MaxScore's windows span at least this many documents.
constexpr std::uint32_t kMinWindow = 2048;

class MaxScore : public UnitScorer {
 public:
  explicit MaxScore(const SegmentSearch& s) : UnitScorer(s) {}

  // ---- MaxScore over block-max windows (flat shapes).
  //
  // The documents are taken in windows: from d to the first end of a block
  // among the lists. In a window each list's score is bounded by its block's
  // maximum, usually far below the list's overall maximum. Lists ordered
  // (by that bound, or by bound per posting) split into non-essential ones
  // (a prefix of the order, together unable to lift a
  // document over the threshold) and essential ones: candidates come from
  // the essential lists only, the others just complete their scores, and
  // each stops as soon as what is left cannot beat the threshold. A window
  // whose bounds add up to no more than the threshold is skipped whole.
  // AND shapes add a filter: each required term must hold the candidate,
  // and a required phrase is checked in its words' positions once the
  // candidate's score can enter the top k.
  // The title match bonus is a list of its own: its window bound is the
  // bonus of a title holding every term whose title list has a block in the
  // window, and when it is essential the title lists give candidates.
  Status Run(TopK* top, std::uint64_t* hits) {
    if (s_.accept != nullptr) {
      return plan_.phrases.empty() ? Run<false, true>(top, hits) : Run<true, true>(top, hits);
    }
    return plan_.phrases.empty() ? Run<false, false>(top, hits) : Run<true, false>(top, hits);
  }

 private:
  // kPhrases: the plan has phrases to check; kFiltered: a filter narrows
  // the search (SegmentSearch::accept). Each a loop of its own, so plans
  // without them carry none of that code (the filter's branches cost
  // unfiltered AND queries 2% of their instructions, callgrind).
  template <bool kPhrases, bool kFiltered>
  Status Run(TopK* top, std::uint64_t* hits) {
    const std::size_t n = Units();
    std::vector<float> ub(n), cum(n), alt_cum(n);  // window bounds; their prefix sums
    std::vector<std::size_t> order(n), alt_order(n);
    Found found;
    found.reserve(n);
    std::uint64_t count = 0;
    float thr = top->threshold();
    std::size_t first_essential = 0;
    auto partition = [&]() {
      while (first_essential < n && cum[first_essential] * kBoundSlack <= thr) ++first_essential;
    };
    const Costs costs = CostsOf();
    const std::vector<std::uint64_t>& cost = costs.unit;
    const bool and_shape = !plan_.required.empty();
    roaring_uint32_iterator_t accepted{};  // over s_.accept, when a filter leads
    if constexpr (kFiltered) roaring_init_iterator(&s_.accept->roaring, &accepted);
    std::vector<int> gen;  // the cursors candidates come from
    gen.reserve(n);
    std::uint32_t d = 0;
    for (;;) {
      // Filtered: the next window starts at a document that passes, so the
      // windows of a selective filter are few.
      if constexpr (kFiltered) {
        if (!roaring_move_uint32_iterator_equalorlarger(&accepted, d)) break;
        d = accepted.current_value;
      }
      d = NextHoldingRequired(d);
      if (d == kNoMoreDocs) break;
      const std::uint32_t window = WindowEnd(d);
      if (window == kNoMoreDocs) break;  // every list is done
      float total = 0;
      for (std::size_t j = 0; j < n; ++j) total += (ub[j] = WindowBound(j, d, window));
      if (top->full() && total * kBoundSlack <= thr) {
        if (window == kNoMoreDocs - 1) break;
        d = window + 1;
        continue;
      }
      // The non-essential lists are a prefix of `order` whose bounds add
      // up to no more than the threshold (any order is exact). By bound,
      // the prefix holds the most lists; by bound per posting, the longest
      // ones (a pair of common words whose adjacency list is rare: the
      // words become non-essential, the pair gives the candidates). Take
      // the order that leaves the essential lists fewer postings.
      Arrange([&](std::size_t j) { return ub[j]; }, ub, &order, &cum);
      first_essential = 0;
      partition();
      if (top->full() && first_essential < n) {
        Arrange([&](std::size_t j) { return ub[j] / static_cast<float>(cost[j] + 1); }, ub,
                &alt_order, &alt_cum);
        std::size_t alt_first = 0;
        while (alt_first < n && alt_cum[alt_first] * kBoundSlack <= thr) ++alt_first;
        if (EssentialCost(alt_order, alt_first, cost) <
            EssentialCost(order, first_essential, cost)) {
          order.swap(alt_order);
          cum.swap(alt_cum);
          first_essential = alt_first;
        }
      }
      // Candidates come from the essential lists, or, for AND, from the
      // rarest required term when that is cheaper: a document that can
      // enter the top k is in both. (This step stays in the loop: made a
      // function, it cost 4.6% more instructions in Run, callgrind.)
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
      if (costs.lead != nullptr && costs.lead_cost < essential_cost) gen = *costs.lead;
      // A filter that passes fewer documents than the candidate lists hold
      // leads instead: the candidates are its documents that a candidate
      // list holds, found by leapfrog (each side skips to the other's
      // next document), as Lucene's conjunctions lead with the cheapest
      // clause.
      const bool filter_leads =
          kFiltered && first_essential < n && s_.accept_count < essential_cost;
      if (filter_leads) roaring_move_uint32_iterator_equalorlarger(&accepted, d);
      for (int spec : gen) cur_[spec].NextGeq(d);
      for (;;) {
        std::uint32_t c = kNoMoreDocs;
        if (filter_leads) {
          while (accepted.has_value) {
            const std::uint32_t a = accepted.current_value;
            std::uint32_t m = kNoMoreDocs;
            if (a <= window) {
              for (int spec : gen) {
                cur_[spec].NextGeq(a);
                m = std::min(m, cur_[spec].doc());
              }
            }
            if (a > window || m == a || m > window) {
              c = a > window || m == a ? a : m;
              break;
            }
            roaring_move_uint32_iterator_equalorlarger(&accepted, m);
          }
        } else {
          for (int spec : gen) c = std::min(c, cur_[spec].doc());
        }
        if (c > window) break;
        if (filter_leads) roaring_advance_uint32_iterator(&accepted);
        // A filtered-out document goes before any scoring; AND: every
        // required term must hold c, checked first: most candidates of a
        // lead list fail it.
        bool match = (!kFiltered || filter_leads || s_.accept->contains(c)) &&
                     (!and_shape || HoldsRequired(c));
        // Phrases cost most (positions): checked once the score says the
        // document can enter the top k, or first while the top k is not
        // full (nothing can be pruned yet). So a phrase's matches are
        // counted where checked.
        bool phrases_first = false;
        if constexpr (kPhrases) {
          phrases_first = !top->full();
          if (match && phrases_first) match = !Out(c) && PhrasesHold(c);
        }
        float score = 0;
        if (match) {
          found.clear();
          float s = 0;
          for (std::size_t i = first_essential; i < n; ++i) {
            Part part;
            if (!UnitScore(order[i], c, &part)) continue;
            s += part.value;
            found.push_back(part);
          }
          // The non-essential lists, largest bound first.
          const auto at = [&](std::size_t k) { return order[first_essential - 1 - k]; };
          const auto rest = [&](std::size_t k) { return cum[first_essential - 1 - k]; };
          match =
              Complete(c, first_essential, at, rest, top->full(), thr, &s, &found) && !Excluded(c);
          if (filter_leads && found.empty()) match = false;  // no word scored: not a match
          if (match) score = Total(&found);
          if constexpr (kPhrases) {
            if (match && !phrases_first) match = score > thr && PhrasesHold(c);
          }
        }
        for (int spec : gen) {
          if (cur_[spec].doc() == c) cur_[spec].Next();
        }
        if (!match) continue;
        ++count;
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
      TIM_RETURN_IF_ERROR(CountFlatMatches(s_, hits));
    } else {
      *hits += count;
    }
    return Status::OK();
  }

  // What walking a unit costs: the length of its lists in this segment;
  // for AND, the required term with the shortest lists and its cost.
  struct Costs {
    std::vector<std::uint64_t> unit;
    const std::vector<int>* lead = nullptr;
    std::uint64_t lead_cost = 0;
  };
  Costs CostsOf() const {
    Costs out;
    out.unit.assign(Units(), 0);
    for (std::size_t j = 0; j < out.unit.size(); ++j) {
      for (int spec : UnitSpecs(j))
        out.unit[j] += plan_.specs[spec].infos[s_.segment_index].doc_freq;
    }
    for (const auto& g : plan_.required) {
      std::uint64_t c = 0;
      for (int spec : g) c += plan_.specs[spec].infos[s_.segment_index].doc_freq;
      if (out.lead == nullptr || c < out.lead_cost) {
        out.lead = &g;
        out.lead_cost = c;
      }
    }
    return out;
  }

  // AND: the next document from d that every required term holds (a
  // leapfrog), so stretches without one cost no window; kNoMoreDocs when a
  // required term has no more documents. Other shapes: d.
  std::uint32_t NextHoldingRequired(std::uint32_t d) {
    for (bool moved = !plan_.required.empty(); moved;) {
      moved = false;
      for (const auto& g : plan_.required) {
        std::uint32_t m = kNoMoreDocs;
        for (int spec : g) {
          cur_[spec].NextGeq(d);
          m = std::min(m, cur_[spec].doc());
        }
        if (m == kNoMoreDocs) return kNoMoreDocs;
        if (m > d) {
          d = m;
          moved = true;
        }
      }
    }
    return d;
  }

  // The window from d ends at the first block end among the lists, but
  // spans at least kMinWindow documents: a list's bound is then its largest
  // block bound over the window. kNoMoreDocs when every list is done.
  std::uint32_t WindowEnd(std::uint32_t d) {
    std::uint32_t window = kNoMoreDocs - 1;
    bool any = false;
    for (std::size_t j = 0; j < Units(); ++j) {
      for (int spec : UnitSpecs(j)) {
        PostingsCursor& c = cur_[spec];
        if (c.doc() == kNoMoreDocs) continue;
        c.ShallowSeek(d);
        if (c.shallow_last_doc() < d) continue;
        any = true;
        window = std::min(window, c.shallow_last_doc());
      }
    }
    if (!any) return kNoMoreDocs;
    if (window - d < kMinWindow) {
      window = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(kNoMoreDocs - 1, std::uint64_t{d} + kMinWindow));
    }
    return window;
  }

  // Sets *order to the units sorted by key (ascending) and *cum to the
  // prefix sums of their bounds `ub`.
  template <typename Key>
  static void Arrange(Key key, const std::vector<float>& ub, std::vector<std::size_t>* order,
                      std::vector<float>* cum) {
    const std::size_t n = ub.size();
    std::iota(order->begin(), order->end(), 0);
    for (std::size_t i = 1; i < n; ++i) {  // insertion sort: n is small
      const std::size_t v = (*order)[i];
      const float kv = key(v);
      std::size_t k = i;
      for (; k > 0 && key((*order)[k - 1]) > kv; --k) (*order)[k] = (*order)[k - 1];
      (*order)[k] = v;
    }
    float run = 0;
    for (std::size_t i = 0; i < n; ++i) (*cum)[i] = (run += ub[(*order)[i]]);
  }

  // The postings of the essential units: order[first ..].
  static std::uint64_t EssentialCost(const std::vector<std::size_t>& order, std::size_t first,
                                     const std::vector<std::uint64_t>& cost) {
    std::uint64_t c = 0;
    for (std::size_t i = first; i < order.size(); ++i) c += cost[order[i]];
    return c;
  }

  // Whether every required term holds doc (moves their cursors there).
  bool HoldsRequired(std::uint32_t doc) {
    for (const auto& g : plan_.required) {
      bool in = false;
      for (int spec : g) {
        cur_[spec].NextGeq(doc);
        if (cur_[spec].doc() == doc) {
          in = true;
          break;
        }
      }
      if (!in) return false;
    }
    return true;
  }

  bool PhrasesHold(std::uint32_t doc) {
    for (const PhraseCheck& phrase : plan_.phrases) {
      if (!PhraseIn(phrase, doc)) return false;
    }
    return true;
  }
};

}  // namespace

Status MaxScoreSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits) {
  MaxScore run(s);
  TIM_RETURN_IF_ERROR(run.Init());
  return run.Run(top, hits);
}

}  // namespace tim::query
