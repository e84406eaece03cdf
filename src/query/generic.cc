// Any boolean tree with phrases (query/algorithms.h): every candidate
// document is evaluated against the tree; and the explanation of one
// document's score.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "query/algorithms.h"
#include "query/segment_run.h"

namespace tim::query {
namespace {

class Evaluator : public SegmentRun {
 public:
  explicit Evaluator(const SegmentSearch& s) : SegmentRun(s) {}
  Status Open() { return cur_.Open(s_); }

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
      group_score_[g] = any ? s_.scoring->Saturate(group.w, freq) : 0.0f;
      group_freq_[g] = freq;
      if (any) s += group_score_[g];
      if (title) held += group.title_share;
    }
    title_bonus_ = held > 0 ? s_.scoring->TitleMatch(plan_.title_total, held) : 0.0f;
    *score = held > 0 ? s + title_bonus_ : s;
    return true;
  }

  std::uint64_t Cost(int spec) const { return plan_.specs[spec].infos[s_.segment_index].doc_freq; }

  // Adds to *out specs whose documents together hold every match of `m` (a
  // cover), and returns how many postings they hold: a phrase's rarest word
  // in each field; of a node's required clauses, the cheapest one's cover
  // (a match must be in each); else every optional clause's.
  std::uint64_t Cover(const MatchNode& m, std::vector<int>* out) {
    std::uint64_t cost = 0;
    switch (m.kind) {
      case MatchNode::Kind::kTerm:
        out->insert(out->end(), m.match.begin(), m.match.end());
        for (int spec : m.match) cost += Cost(spec);
        return cost;
      case MatchNode::Kind::kPhrase:
        for (const std::vector<int>& words : m.phrase) {
          if (words.empty()) continue;
          int rarest = words[0];
          for (int spec : words) {
            if (Cost(spec) < Cost(rarest)) rarest = spec;
          }
          out->push_back(rarest);
          cost += Cost(rarest);
        }
        return cost;
      case MatchNode::Kind::kBool: break;
    }
    bool any_must = false;
    std::uint64_t best = 0;
    std::vector<int> best_cover, cover;
    for (const auto& [occur, c] : m.clauses) {
      if (occur != Occur::kMust) continue;
      cover.clear();
      const std::uint64_t c_cost = Cover(c, &cover);
      if (!any_must || c_cost < best) {
        best = c_cost;
        best_cover.swap(cover);
      }
      any_must = true;
    }
    if (any_must) {
      out->insert(out->end(), best_cover.begin(), best_cover.end());
      return best;
    }
    for (const auto& [occur, c] : m.clauses) {
      if (occur == Occur::kShould) cost += Cover(c, out);
    }
    return cost;
  }

  void ResetScratch() {
    freq_.assign(plan_.specs.size(), 0);
    present_.assign(plan_.specs.size(), 0);
    group_score_.assign(plan_.groups.size(), 0);
    group_freq_.assign(plan_.groups.size(), 0);
  }

  Status Run(TopK* top, std::uint64_t* hits) {
    ResetScratch();
    candidates_.clear();
    const std::uint64_t cover_cost = Cover(plan_.root, &candidates_);
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
    std::uint64_t count = 0;
    // Evaluates candidate d: a match is counted, then visited or offered to
    // the top k. False when the visitor stops the search.
    const auto consider = [&](std::uint32_t d) {
      float score;
      if (!Evaluate(d, &score)) return true;
      ++count;
      if (s_.visit != nullptr) return (*s_.visit)(d, score);
      if (score > top->threshold()) top->Push(score, seg_.doc_base + d);
      return true;
    };
    if (s_.accept != nullptr && s_.accept_count < cover_cost) {
      // A selective filter leads: only its documents are evaluated.
      for (const std::uint32_t d : *s_.accept) {
        if (!consider(d)) break;
      }
      TIM_RETURN_IF_ERROR(cur_.status());
      *hits += count;
      return Status::OK();
    }
    // Candidate generation gets cursors of its own: evaluation moves the
    // shared ones past documents that candidates still need to visit.
    Cursors gen;
    TIM_RETURN_IF_ERROR(gen.Open(s_));
    for (;;) {
      std::uint32_t d = kNoMoreDocs;
      for (int spec : candidates_) d = std::min(d, gen[spec].doc());
      if (d == kNoMoreDocs) break;
      for (int spec : candidates_) {
        if (gen[spec].doc() == d) gen[spec].Next();
      }
      if (Out(d)) continue;
      if (!consider(d)) break;
    }
    TIM_RETURN_IF_ERROR(gen.status());
    TIM_RETURN_IF_ERROR(cur_.status());
    *hits += count;
    return Status::OK();
  }

  // One document's match and score (DocScorer), documents in increasing order.
  bool ScoreOne(std::uint32_t d, float* score) {
    if (!scratch_ready_) {
      ResetScratch();
      scratch_ready_ = true;
    }
    return Evaluate(d, score);
  }
  Status status() const { return cur_.status(); }

  Status Explain(std::uint32_t d, bool* matched, float* score, std::vector<ScoreDetail>* out) {
    ResetScratch();
    *matched = !view_.IsDeleted(d) && Evaluate(d, score);
    TIM_RETURN_IF_ERROR(cur_.status());
    out->clear();
    if (!*matched) return Status::OK();
    for (std::size_t i = 0; i < present_.size(); ++i) {
      if (!present_[i]) continue;
      const int group = plan_.specs[i].group;
      out->push_back(ExplainSpec(*s_.scoring, plan_, static_cast<int>(i), cur_[i].freq(),
                                 view_.reader->FieldLength(plan_.specs[i].field, d),
                                 group_score_[group], freq_[i], group_freq_[group]));
    }
    if (title_bonus_ > 0) {
      out->push_back(ExplainTitleMatch(*s_.scoring, plan_, present_, title_bonus_));
    }
    return Status::OK();
  }

 private:
  std::vector<float> freq_;  // per spec, for the document evaluated
  std::vector<char> present_;
  std::vector<float> group_score_, group_freq_;
  float title_bonus_ = 0;       // of the document evaluated
  bool scratch_ready_ = false;  // ScoreOne's
  std::vector<int> candidates_;
};

}  // namespace

Status GenericSearch(const SegmentSearch& s, TopK* top, std::uint64_t* hits) {
  Evaluator run(s);
  TIM_RETURN_IF_ERROR(run.Open());
  return run.Run(top, hits);
}

namespace {

class EvaluatorScorer : public DocScorer {
 public:
  explicit EvaluatorScorer(const SegmentSearch& s) : run_(s) {}
  Status Open() { return run_.Open(); }
  bool Score(std::uint32_t doc, float* score) override { return run_.ScoreOne(doc, score); }
  Status status() const override { return run_.status(); }

 private:
  Evaluator run_;
};

}  // namespace

Status NewDocScorer(const SegmentSearch& s, std::unique_ptr<DocScorer>* out) {
  auto scorer = std::make_unique<EvaluatorScorer>(s);
  TIM_RETURN_IF_ERROR(scorer->Open());
  *out = std::move(scorer);
  return Status::OK();
}

Status ExplainDoc(const SegmentSearch& s, std::uint32_t doc, bool* matched, float* score,
                  std::vector<ScoreDetail>* details) {
  Evaluator run(s);
  TIM_RETURN_IF_ERROR(run.Open());
  return run.Explain(doc, matched, score, details);
}

}  // namespace tim::query
