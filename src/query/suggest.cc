#include "query/suggest.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "index/language_model.h"
#include "query/word_roles.h"
#include "util/limits.h"

namespace tim::query {
namespace {

using index::LmVariant;

// The words' longest context: the model's order.
constexpr std::size_t kOrder = index::kLmOrder;
// Longer queries are restored in pieces of this many words.
constexpr std::size_t kMaxWords = limits::kMaxQueryWords;

// The model's spellings of folded n-grams, summed over the snapshot's
// segments, with their title and other counts.
class ModelView {
 public:
  ModelView(const internal::Snapshot& snap, const StatsView& stats)
      : snap_(snap), stats_(stats), spellings_(snap.segments.size()) {
    if (const CollectionStats::Rep* c = stats.supplied_rep()) {
      for (const auto& [name, f] : c->fields) {
        (name == kTitleField ? title_words_ : other_words_) += static_cast<double>(f.total_length);
      }
      return;
    }
    for (const internal::SegmentView& seg : snap_.segments) {
      for (const index::FieldStats& f : seg.reader->info().fields) {
        const bool title =
            f.field < snap_.manifest.fields.size() && snap_.manifest.fields[f.field] == kTitleField;
        (title ? title_words_ : other_words_) += static_cast<double>(f.total_length);
      }
    }
  }

  struct Spelling {
    std::string exact;
    double title = 0, other = 0;
  };
  using Spellings = std::vector<Spelling>;

  // Spellings most frequent first (title occurrences counted `rank_weight`
  // times); ties in byte order, so results never depend on hash order.
  Status Get(const std::string& key, double rank_weight, const Spellings** out) {
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      StatsView::Spellings sum;
      if (!stats_.supplied()) {
        for (std::size_t s = 0; s < snap_.segments.size(); ++s) {
          TIM_RETURN_IF_ERROR(
              snap_.segments[s].reader->language_model().Lookup(key, &variants_, &spellings_[s]));
          for (const LmVariant& v : variants_) {
            auto& c = sum[v.exact];
            c.title += v.counts.title;
            c.other += v.counts.other;
          }
        }
      }
      TIM_RETURN_IF_ERROR(stats_.Model(key, &sum));
      Spellings list;
      for (const auto& [exact, c] : sum) {
        list.push_back(Spelling{exact, static_cast<double>(c.title), static_cast<double>(c.other)});
      }
      std::sort(list.begin(), list.end(), [&](const Spelling& a, const Spelling& b) {
        const double wa = a.other + rank_weight * a.title, wb = b.other + rank_weight * b.title;
        return wa != wb ? wa > wb : a.exact < b.exact;
      });
      it = cache_.emplace(key, std::move(list)).first;
    }
    *out = &it->second;
    return Status::OK();
  }

  // Words of the text in titles and in other fields.
  double title_words() const { return title_words_; }
  double other_words() const { return other_words_; }

 private:
  const internal::Snapshot& snap_;
  const StatsView& stats_;
  double title_words_ = 0, other_words_ = 0;
  std::vector<LmVariant> variants_;
  std::unordered_map<std::string, Spellings> cache_;
  // Per segment: each word's spellings, read once per query.
  std::vector<index::LanguageModelReader::SpellingCache> spellings_;
};

struct Counts {
  double title = 0, other = 0;
  double Weighted(double w) const { return other + w * title; }
};

struct Word {
  std::vector<std::string> cands;  // spellings
  std::vector<Counts> count;       // of each
};

// An n-gram's counts by candidate numbers (packed 16 bits each).
struct NgramCounts {
  bool present = false;
  std::unordered_map<std::uint64_t, Counts> count;
};

std::uint64_t Pack(const std::uint32_t* c, std::size_t n) {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < n; ++i) k = (k << 16) | c[i];
  return k;
}

std::uint32_t IndexOf(const std::vector<std::string>& list, std::string_view s) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i] == s) return static_cast<std::uint32_t>(i);
  }
  return UINT32_MAX;
}

Counts Find(const NgramCounts& m, std::uint64_t k) {
  const auto it = m.count.find(k);
  return it == m.count.end() ? Counts() : it->second;
}

// The words of one query with their candidates and every count the
// scoring reads.
class Lattice {
 public:
  Lattice(const std::vector<std::string>& folded, const std::vector<bool>& linked, std::size_t len)
      : folded_(folded),
        linked_(linked),
        len_(len),
        words_(len),
        grams_(kOrder - 1, std::vector<NgramCounts>(len)) {}

  bool link(std::size_t i) const { return i > 0 && i < linked_.size() && linked_[i]; }
  std::size_t size() const { return len_; }
  const Word& word(std::size_t i) const { return words_[i]; }

  Status Load(ModelView* model, const RestoreParams& params) {
    title_words_ = model->title_words();
    other_words_ = model->other_words();
    // Candidates: the most frequent spellings of each word, plus every
    // spelling an n-gram through it holds.
    static const ModelView::Spellings kNoSpellings;
    std::vector<const ModelView::Spellings*> uni(len_, &kNoSpellings);
    for (std::size_t i = 0; i < len_; ++i) {
      if (folded_[i].empty()) continue;
      TIM_RETURN_IF_ERROR(model->Get(folded_[i], params.title_weight, &uni[i]));
      for (std::size_t c = 0; c < uni[i]->size() && c < params.candidates; ++c) {
        words_[i].cands.push_back((*uni[i])[c].exact);
      }
    }
    std::vector<std::vector<const ModelView::Spellings*>> lists(
        kOrder - 1, std::vector<const ModelView::Spellings*>(len_, nullptr));
    std::string key;
    for (std::size_t k = 2; k <= kOrder; ++k) {
      for (std::size_t i = k - 1; i < len_; ++i) {
        bool chain = true;
        for (std::size_t j = i + 2 - k; j <= i; ++j) chain &= link(j);
        if (!chain) continue;
        key.clear();
        for (std::size_t j = i + 1 - k; j <= i; ++j) {
          if (j > i + 1 - k) key.push_back(' ');
          key += folded_[j];
        }
        const ModelView::Spellings* list = nullptr;
        TIM_RETURN_IF_ERROR(model->Get(key, params.title_weight, &list));
        if (list->empty()) continue;
        lists[k - 2][i] = list;
        for (const ModelView::Spelling& sp : *list) {
          const std::vector<std::string_view> parts = index::SplitWords(sp.exact);
          if (parts.size() != k) continue;
          for (std::size_t j = 0; j < k; ++j) {
            Word& w = words_[i + 1 - k + j];
            if (IndexOf(w.cands, parts[j]) == UINT32_MAX) w.cands.emplace_back(parts[j]);
          }
        }
      }
    }
    for (std::size_t i = 0; i < len_; ++i) {
      Word& w = words_[i];
      if (w.cands.empty()) w.cands.push_back(folded_[i]);  // unknown: kept as typed
      for (const std::string& c : w.cands) {
        Counts n;
        for (const ModelView::Spelling& sp : *uni[i]) {
          if (sp.exact == c) n = Counts{sp.title, sp.other};
        }
        w.count.push_back(n);
      }
    }
    for (std::size_t k = 2; k <= kOrder; ++k) {
      for (std::size_t i = k - 1; i < len_; ++i) {
        const ModelView::Spellings* list = lists[k - 2][i];
        if (list == nullptr) continue;
        NgramCounts& nc = grams_[k - 2][i];
        nc.present = true;
        std::uint32_t idx[kOrder];
        for (const ModelView::Spelling& sp : *list) {
          const std::vector<std::string_view> parts = index::SplitWords(sp.exact);
          if (parts.size() != k) continue;
          for (std::size_t j = 0; j < k; ++j) {
            idx[j] = IndexOf(words_[i + 1 - k + j].cands, parts[j]);
          }
          Counts& c = nc.count[Pack(idx, k)];
          c.title += sp.title;
          c.other += sp.other;
        }
      }
    }
    return Status::OK();
  }

  // log P(word i spelled c | the spellings before it), title counts
  // weighing w: P(x) = (c(x) + a) / N; P(y | x) = (c(x y) + b P(y)) /
  // (c(x) + b); P(z | x y) the same over title counts (trigrams are
  // counted in titles only) and P(z | y).
  // x and y: the spellings of words i - 2 and i - 1 (read only when linked).
  double LogP(std::size_t i, std::uint32_t x, std::uint32_t y, std::uint32_t z, double w,
              const RestoreParams& params) const {
    const double total = std::max(other_words_ + w * title_words_, 1.0);
    auto p1 = [&](std::size_t at, std::uint32_t y) {
      return (words_[at].count[y].Weighted(w) + params.unigram_prior) / total;
    };
    auto p2 = [&](std::size_t at, std::uint32_t x, std::uint32_t y) {
      const double p = p1(at, y);
      const NgramCounts& nc = grams_[0][at];
      if (!nc.present) return p;
      const std::uint32_t xy[2] = {x, y};
      return (Find(nc, Pack(xy, 2)).Weighted(w) + params.bigram_prior * p) /
             (words_[at - 1].count[x].Weighted(w) + params.bigram_prior);
    };
    double p;
    if (link(i) && i >= 2 && link(i - 1)) {
      const double pb = p2(i, y, z);
      const NgramCounts& nc = grams_[1][i];
      if (nc.present) {
        const std::uint32_t xy[2] = {x, y};
        const std::uint32_t xyz[3] = {x, y, z};
        p = (Find(nc, Pack(xyz, 3)).title + params.trigram_prior * pb) /
            (Find(grams_[0][i - 1], Pack(xy, 2)).title + params.trigram_prior);
      } else {
        p = pb;
      }
    } else if (link(i)) {
      p = p2(i, y, z);
    } else {
      p = p1(i, z);
    }
    return std::log(p);
  }

  double Score(const std::vector<std::uint32_t>& choice, double w,
               const RestoreParams& params) const {
    double s = 0;
    for (std::size_t i = 0; i < choice.size(); ++i) {
      s += LogP(i, i >= 2 ? choice[i - 2] : 0, i >= 1 ? choice[i - 1] : 0, choice[i], w, params);
    }
    return s;
  }

 private:
  const std::vector<std::string>& folded_;
  const std::vector<bool>& linked_;
  std::size_t len_;
  std::vector<Word> words_;
  std::vector<std::vector<NgramCounts>> grams_;  // [k - 2][i]: the k-gram ending at word i
  double title_words_ = 0, other_words_ = 0;
};

struct Hyp {
  std::vector<std::uint32_t> choice;
  double score = 0;
};

bool Better(const Hyp& a, const Hyp& b) {
  return a.score != b.score ? a.score > b.score : a.choice < b.choice;
}

// The `keep` best spellings under title weight w, by beam search: each
// word keeps the best nodes, each pointing to the node before it.
std::vector<Hyp> Decode(const Lattice& lattice, double w, std::size_t keep,
                        const RestoreParams& params) {
  struct Node {
    double score;
    std::uint32_t parent;  // in the previous word's beam
    std::uint32_t cand;    // this word's spelling
    std::uint32_t prev;    // the previous word's spelling
  };
  auto better = [](const Node& a, const Node& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.parent != b.parent ? a.parent < b.parent : a.cand < b.cand;
  };
  const std::size_t width = std::max(params.beam, keep);
  std::vector<std::vector<Node>> beams(lattice.size());
  for (std::size_t i = 0; i < lattice.size(); ++i) {
    std::vector<Node>& next = beams[i];
    const std::uint32_t cands = static_cast<std::uint32_t>(lattice.word(i).cands.size());
    if (i == 0) {
      for (std::uint32_t c = 0; c < cands; ++c) {
        next.push_back(Node{lattice.LogP(0, 0, 0, c, w, params), 0, c, 0});
      }
    } else {
      const std::vector<Node>& before = beams[i - 1];
      for (std::uint32_t p = 0; p < before.size(); ++p) {
        for (std::uint32_t c = 0; c < cands; ++c) {
          const double lp = lattice.LogP(i, before[p].prev, before[p].cand, c, w, params);
          next.push_back(Node{before[p].score + lp, p, c, before[p].cand});
        }
      }
    }
    if (next.size() > width) {
      std::partial_sort(next.begin(), next.begin() + static_cast<std::ptrdiff_t>(width), next.end(),
                        better);
      next.resize(width);
    } else {
      std::sort(next.begin(), next.end(), better);
    }
  }
  std::vector<Hyp> out;
  if (lattice.size() == 0) return out;
  for (std::uint32_t b = 0; b < beams.back().size() && out.size() < keep; ++b) {
    Hyp h;
    h.score = beams.back()[b].score;
    h.choice.resize(lattice.size());
    for (std::size_t i = lattice.size(), at = b; i-- > 0;) {
      h.choice[i] = beams[i][at].cand;
      at = beams[i][at].parent;
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace

Status Restore(const internal::Snapshot& snap, const StatsView& stats,
               const std::vector<std::string>& folded, const std::vector<bool>& linked,
               std::size_t n, const RestoreParams& params, std::vector<Restoration>* out) {
  out->clear();
  const std::size_t len = std::min(folded.size(), kMaxWords);
  if (len == 0 || n == 0) return Status::OK();
  ModelView model(snap, stats);
  Lattice lattice(folded, linked, len);
  TIM_RETURN_IF_ERROR(lattice.Load(&model, params));
  // The best spellings under the text's model and under the titles' model;
  // each then scores by the mixture of the two: a fragment of a title is
  // explained by the titles, a question by the text.
  const std::size_t keep = std::max<std::size_t>(n, params.rescore);
  std::vector<Hyp> hyps = Decode(lattice, params.title_weight, keep, params);
  for (Hyp& h : Decode(lattice, params.title_only_weight, keep, params)) {
    if (std::none_of(hyps.begin(), hyps.end(),
                     [&](const Hyp& x) { return x.choice == h.choice; })) {
      hyps.push_back(std::move(h));
    }
  }
  const double lambda = std::clamp(params.title_mixture, 0.0, 1.0);
  for (Hyp& h : hyps) {
    const double a = lattice.Score(h.choice, params.title_weight, params);
    const double t = lattice.Score(h.choice, params.title_only_weight, params);
    // log(λ e^t + (1 - λ) e^a), computed without underflow.
    const double m = std::max(a, t);
    h.score = m + std::log(lambda * std::exp(t - m) + (1 - lambda) * std::exp(a - m));
  }
  std::sort(hyps.begin(), hyps.end(), Better);
  for (std::size_t b = 0; b < hyps.size() && out->size() < n; ++b) {
    Restoration r;
    r.log_prob = hyps[b].score;
    for (std::size_t i = 0; i < len; ++i)
      r.words.push_back(lattice.word(i).cands[hyps[b].choice[i]]);
    for (std::size_t i = len; i < folded.size(); ++i) r.words.push_back(folded[i]);
    out->push_back(std::move(r));
  }
  return Status::OK();
}

Status RestoreQuery(const internal::Snapshot& snap, const StatsView& stats, std::string_view query,
                    const Plan& plan, std::size_t n, const RestoreParams& params,
                    std::vector<std::string>* out) {
  out->clear();
  if (plan.has_diacritics || plan.words.empty()) return Status::OK();
  // Words in the order typed.
  std::vector<std::size_t> order(plan.words.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return plan.words[a].start < plan.words[b].start;
  });
  // What stands between word k - 1 and word k as typed: a connector with no
  // space ("shangri-la", "tp.hcm", "covid-19"), punctuation that ends a
  // clause ("ha noi, da nang"), or spaces (with quotes or operators, which
  // the chains already account for).
  enum class Gap { kSpace, kJoined, kBreak };
  auto gap = [&](std::size_t k) {
    const QueryWord& a = plan.words[order[k - 1]];
    const QueryWord& b = plan.words[order[k]];
    if (a.end > b.start || b.start > query.size()) return Gap::kBreak;
    const std::string_view between = query.substr(a.end, b.start - a.end);
    if (between.find_first_of(" \t") == std::string_view::npos) return Gap::kJoined;
    if (between.find_first_of(",;:.!?") != std::string_view::npos) return Gap::kBreak;
    return Gap::kSpace;
  };
  std::vector<bool> fixed(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const QueryWord& q = plan.words[order[k]];
    // A prefix or an excluded word is searched as typed, and so are words
    // joined by connectors: names and codes ("shangri-la"), not syllables
    // to respell one by one.
    fixed[k] = fixed[k] || q.prefix || q.excluded;
    if (k > 0 && gap(k) == Gap::kJoined) fixed[k - 1] = fixed[k] = true;
  }
  std::vector<std::string> folded;
  std::vector<bool> linked;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const QueryWord& q = plan.words[order[k]];
    // A fixed word is an empty word: it has no spellings in the model and
    // breaks the sequence. Words link only across spaces.
    folded.push_back(fixed[k] ? std::string() : q.folded);
    const QueryWord* prev = k > 0 ? &plan.words[order[k - 1]] : nullptr;
    linked.push_back(prev != nullptr && !fixed[k] && !fixed[k - 1] && q.chain >= 0 &&
                     prev->chain == q.chain && gap(k) == Gap::kSpace);
  }
  std::vector<Restoration> restored;
  TIM_RETURN_IF_ERROR(Restore(snap, stats, folded, linked, n, params, &restored));
  for (const Restoration& r : restored) {
    std::string result;
    std::size_t at = 0;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const QueryWord& q = plan.words[order[k]];
      if (q.start < at || q.end > query.size()) continue;
      result.append(query.substr(at, q.start - at));
      const std::string_view original = query.substr(q.start, q.end - q.start);
      if (fixed[k] || r.words[k].empty()) {
        result.append(original);
      } else {
        result += MatchCase(original, r.words[k]);
      }
      at = q.end;
    }
    result.append(query.substr(at));
    if (std::find(out->begin(), out->end(), result) == out->end())
      out->push_back(std::move(result));
  }
  return Status::OK();
}

Status SuggestQuery(const internal::Snapshot& snap, const StatsView& stats, std::string_view query,
                    const Plan& plan, std::string* out) {
  out->clear();
  std::vector<std::string> restored;
  TIM_RETURN_IF_ERROR(RestoreQuery(snap, stats, query, plan, 1, RestoreParams(), &restored));
  if (!restored.empty() && restored[0] != query) *out = std::move(restored[0]);
  return Status::OK();
}

}  // namespace tim::query
