// The merge of language models (segment merges): spellings summed and
// renumbered, pruned as a builder prunes.
#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

#include "codec/varint.h"
#include "index/key_merge.h"
#include "index/language_model.h"
#include "index/language_model_entry.h"

namespace tim::index {

namespace {

// a - b, at least 0.
std::uint64_t SaturatingSub(std::uint64_t a, std::uint64_t b) { return a > b ? a - b : 0; }

}  // namespace

namespace {

// One merge of models (MergeLanguageModels): the single words first, whose
// spellings are summed and renumbered, then every entry in key order, an
// n-gram's spellings mapped through the renumbering of its words.
class ModelMerge {
 public:
  ModelMerge(const std::vector<const LanguageModelReader*>& sources,
             const LanguageModelReader* removed)
      : sources_(sources.size()), models_(sources) {
    if (removed != nullptr) models_.push_back(removed);
    renumber_.resize(models_.size());
  }

  Status Run(codec::FileBuilder* file) {
    TIM_RETURN_IF_ERROR(SumWords());
    TIM_RETURN_IF_ERROR(Renumber());
    std::vector<SortedTable::Iterator> iters;
    iters.reserve(models_.size());
    for (const LanguageModelReader* m : models_) {
      iters.emplace_back(&m->table());
      iters.back().SeekToFirst();
      TIM_RETURN_IF_ERROR(iters.back().status());
    }
    KeyMerge<SortedTable::Iterator> merge(&iters);
    // A merged model as large as a big segment's is pruned as one would be.
    std::uint64_t entries = 0;
    for (std::size_t s = 0; s < sources_; ++s) entries += models_[s]->entries();
    min_other_ = entries > kLmPruneAbove ? kLmMinOther : 1;
    SortedTableWriter table(file, 32, 4096);
    std::string key, value;
    std::vector<std::size_t> holders;
    while (merge.Next(&key, &holders)) {
      value.clear();
      const std::vector<std::string_view> words = SplitWords(key);
      if (words.size() == 1) {
        WriteWord(key, &value);
      } else {
        TIM_RETURN_IF_ERROR(WriteNgram(key, words, iters, holders, &value));
      }
      if (!value.empty()) TIM_RETURN_IF_ERROR(table.Add(key, value));
      TIM_RETURN_IF_ERROR(merge.Advance(holders));
    }
    return table.Finish();
  }

 private:
  // Where a model's spelling lands in the merged entry when it was removed.
  static constexpr std::uint32_t kGone = 0xFFFFFFFFu;
  struct Spelling {
    std::uint32_t refs[kLmOrder];
    LmCounts counts, removed;
  };

  // The model that takes counts away (after the sources).
  bool Subtracts(std::size_t s) const { return s >= sources_; }

  // Calls fn(word, spellings) for each single word of model s, its
  // spellings decoded.
  template <typename Fn>
  Status ForEachWord(std::size_t s, Fn fn) {
    SortedTable::Iterator it(&models_[s]->table());
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      if (it.key().find(' ') != std::string_view::npos) continue;
      TIM_RETURN_IF_ERROR(lm::DecodeRaw(models_[s]->table().name(), it.key(), it.value(), &raw_));
      fn(it.key(), raw_);
    }
    return it.status();
  }

  // Every source's spellings of each single word, summed, less what was
  // removed; spellings left with no count go.
  Status SumWords() {
    for (std::size_t s = 0; s < models_.size(); ++s) {
      TIM_RETURN_IF_ERROR(
          ForEachWord(s, [&](std::string_view key, const std::vector<lm::RawVariant>& raw) {
            if (!Subtracts(s)) {
              auto& list = forms_[std::string(key)];
              for (const lm::RawVariant& r : raw) {
                LmCounts& c = list[r.exact];
                c.title += r.counts.title;
                c.other += r.counts.other;
              }
              return;
            }
            const auto word = forms_.find(key);
            if (word == forms_.end()) return;
            for (const lm::RawVariant& r : raw) {
              const auto spelling = word->second.find(r.exact);
              if (spelling == word->second.end()) continue;
              LmCounts& c = spelling->second;
              c.title = SaturatingSub(c.title, r.counts.title);
              c.other = SaturatingSub(c.other, r.counts.other);
              if (c.title == 0 && c.other == 0) word->second.erase(spelling);
            }
            if (word->second.empty()) forms_.erase(word);
          }));
    }
    return Status::OK();
  }

  // Per model: folded word -> the merged number of each of its spellings
  // (kGone when the spelling was removed).
  Status Renumber() {
    for (std::size_t s = 0; s < models_.size(); ++s) {
      TIM_RETURN_IF_ERROR(ForEachWord(s, [&](std::string_view key,
                                             const std::vector<lm::RawVariant>& raw) {
        const auto word = forms_.find(key);
        auto& numbers = renumber_[s][std::string(key)];
        for (const lm::RawVariant& r : raw) {
          std::uint32_t number = kGone;
          if (word != forms_.end()) {
            const auto spelling = word->second.find(r.exact);
            if (spelling != word->second.end()) {
              number = static_cast<std::uint32_t>(std::distance(word->second.begin(), spelling));
            }
          }
          numbers.push_back(number);
        }
      }));
    }
    return Status::OK();
  }

  // A single word's merged entry (empty when none of its spellings is left).
  void WriteWord(const std::string& key, std::string* value) const {
    const auto word = forms_.find(key);
    if (word == forms_.end()) return;
    codec::PutVarint64(value, word->second.size());
    for (const auto& [exact, c] : word->second) {
      codec::PutLengthPrefixed(value, exact);
      lm::PutCounts(value, c);
    }
  }

  // An n-gram's merged entry: its spellings from every model holding it,
  // renumbered, summed, less what was removed, pruned (empty when none is
  // left).
  Status WriteNgram(const std::string& key, const std::vector<std::string_view>& words,
                    const std::vector<SortedTable::Iterator>& iters,
                    const std::vector<std::size_t>& holders, std::string* value) {
    sums_.clear();
    for (std::size_t s : holders) {
      const std::string& name = models_[s]->table().name();
      TIM_RETURN_IF_ERROR(lm::DecodeRaw(name, key, iters[s].value(), &raw_));
      const std::vector<std::uint32_t>* numbers[kLmOrder] = {};
      for (std::size_t i = 0; i < words.size(); ++i) {
        const auto it = renumber_[s].find(words[i]);
        if (it == renumber_[s].end()) return lm::Bad(name, key, "a syllable has no entry");
        numbers[i] = &it->second;
      }
      for (const lm::RawVariant& r : raw_) {
        Spelling sp{{}, {}, {}};
        (Subtracts(s) ? sp.removed : sp.counts) = r.counts;
        bool gone = false;
        for (std::size_t i = 0; i < words.size(); ++i) {
          if (r.refs[i] >= numbers[i]->size()) return lm::Bad(name, key, "spelling out of range");
          sp.refs[i] = (*numbers[i])[r.refs[i]];
          gone |= sp.refs[i] == kGone;
        }
        if (!gone) sums_.push_back(sp);
      }
    }
    auto less = [&](const Spelling& a, const Spelling& b) {
      return std::lexicographical_compare(a.refs, a.refs + words.size(), b.refs,
                                          b.refs + words.size());
    };
    std::sort(sums_.begin(), sums_.end(), less);
    std::size_t out = 0;
    for (std::size_t i = 0; i < sums_.size(); ++i) {
      if (out > 0 && !less(sums_[out - 1], sums_[i])) {
        Spelling& to = sums_[out - 1];
        to.counts.title += sums_[i].counts.title;
        to.counts.other += sums_[i].counts.other;
        to.removed.title += sums_[i].removed.title;
        to.removed.other += sums_[i].removed.other;
      } else {
        sums_[out++] = sums_[i];
      }
    }
    sums_.resize(out);
    for (Spelling& sp : sums_) {
      sp.counts.title = SaturatingSub(sp.counts.title, sp.removed.title);
      sp.counts.other = SaturatingSub(sp.counts.other, sp.removed.other);
    }
    sums_.erase(
        std::remove_if(sums_.begin(), sums_.end(),
                       [&](const Spelling& sp) { return !lm::Kept(sp.counts, min_other_); }),
        sums_.end());
    if (sums_.empty()) return Status::OK();
    codec::PutVarint64(value, sums_.size());
    for (const Spelling& sp : sums_) {
      for (std::size_t i = 0; i < words.size(); ++i) codec::PutVarint32(value, sp.refs[i]);
      lm::PutCounts(value, sp.counts);
    }
    return Status::OK();
  }

  const std::size_t sources_;                       // models_[0, sources_) add
  std::vector<const LanguageModelReader*> models_;  // then the one that subtracts
  std::map<std::string, std::map<std::string, LmCounts>, std::less<>> forms_;
  using Renumbering = std::map<std::string, std::vector<std::uint32_t>, std::less<>>;
  std::vector<Renumbering> renumber_;
  std::uint64_t min_other_ = 1;
  std::vector<lm::RawVariant> raw_;
  std::vector<Spelling> sums_;
};

}  // namespace

Status MergeLanguageModels(const std::vector<const LanguageModelReader*>& sources,
                           const LanguageModelReader* removed, codec::FileBuilder* file) {
  ModelMerge merge(sources, removed);
  return merge.Run(file);
}

}  // namespace tim::index
