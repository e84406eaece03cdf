#include "index/language_model.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

#include "analysis/vietnamese.h"
#include "codec/varint.h"
#include "index/key_merge.h"
#include "util/utf8.h"

namespace tim::index {

// Value layout (docs/format.md, "Language model"): the key is the folded
// n-gram, its syllables joined by one space.
//   single syllable: varint n, then n times: length-prefixed exact form,
//                    counts (exact forms in increasing byte order)
//   k syllables:     varint n, then n times: k varints (each the index of the
//                    syllable's spelling in its own single-syllable entry),
//                    counts
//   counts:          varint64 other << 1 | (title > 0), then varint64 title
//                    when title > 0 (most spellings are never in a title)

namespace {

constexpr std::uint32_t kIdBits = 20;
constexpr std::uint32_t kMaxSyllables = (1u << kIdBits) - 1;
constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
constexpr std::uint64_t kTrigramBit = std::uint64_t{1} << 62;

std::uint64_t BigramKey(std::uint32_t a, std::uint32_t b) {
  return (std::uint64_t{a} << (2 * kIdBits)) | (std::uint64_t{b} << kIdBits);
}
std::uint64_t TrigramKey(std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  return kTrigramBit | BigramKey(a, b) | c;
}

// Whether the model counts a word: its folded form is at most 16 ASCII
// letters and digits, its exact form letters of the repertoire (so
// Vietnamese syllables, and also numbers, codes and abbreviations such as
// "u23", "đh", which give context to the syllables around them).
bool Counted(std::string_view exact, std::string_view folded) {
  constexpr std::size_t kMaxLetters = 16;
  if (folded.empty() || folded.size() > kMaxLetters) return false;
  for (char c : folded) {
    if ((c < 'a' || c > 'z') && (c < '0' || c > '9')) return false;
  }
  analysis::Letter letters[kMaxLetters];
  std::size_t n = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(exact.data());
  const auto* end = p + exact.size();
  while (p < end) {
    char32_t cp = 0;
    bool valid = true;
    p += utf8::Decode(p, end, &cp, &valid);
    if (!valid || n == kMaxLetters || !analysis::DecodeLetter(cp, &letters[n])) return false;
    ++n;
  }
  return n == folded.size();
}

bool Kept(const LmCounts& c, std::uint64_t min_other) {
  return c.title > 0 || c.other >= min_other;
}

void PutCounts(std::string* dst, const LmCounts& c) {
  codec::PutVarint64(dst, (c.other << 1) | (c.title > 0 ? 1 : 0));
  if (c.title > 0) codec::PutVarint64(dst, c.title);
}

const char* GetCounts(const char* p, const char* limit, LmCounts* c) {
  std::uint64_t v = 0;
  p = codec::GetVarint64(p, limit, &v);
  if (p == nullptr) return nullptr;
  c->other = v >> 1;
  c->title = 0;
  if ((v & 1) == 0) return p;
  p = codec::GetVarint64(p, limit, &c->title);
  return p != nullptr && c->title > 0 ? p : nullptr;
}

std::size_t Syllables(std::string_view key) {
  return static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
}

Status Bad(const std::string& file, std::string_view key, const char* what) {
  return Status::Corruption(file + ": language model entry \"" + std::string(key) + "\": " + what);
}

// A decoded entry: single syllables keep their forms, longer n-grams the
// indices of their syllables' forms.
struct RawVariant {
  std::string exact;                  // single word
  std::uint32_t refs[kLmOrder] = {};  // n-gram: its words' spellings
  LmCounts counts;
};

Status DecodeRaw(const std::string& file, std::string_view key, std::string_view value,
                 std::vector<RawVariant>* out) {
  out->clear();
  const std::size_t k = Syllables(key);
  if (k > static_cast<std::size_t>(kLmOrder)) {
    return Bad(file, key, "more syllables than the model's order");
  }
  const char* p = value.data();
  const char* limit = p + value.size();
  std::uint64_t n = 0;
  p = codec::GetVarint64(p, limit, &n);
  if (p == nullptr || n == 0 || n > value.size()) return Bad(file, key, "bad variant count");
  out->resize(n);
  for (RawVariant& v : *out) {
    if (k == 1) {
      std::string_view exact;
      p = codec::GetLengthPrefixed(p, limit, &exact);
      if (p == nullptr || exact.empty()) return Bad(file, key, "bad spelling");
      v.exact.assign(exact);
    } else {
      for (std::size_t i = 0; i < k && p != nullptr; ++i)
        p = codec::GetVarint32(p, limit, &v.refs[i]);
    }
    if (p != nullptr) p = GetCounts(p, limit, &v.counts);
    if (p == nullptr) return Bad(file, key, "truncated variant");
  }
  if (p != limit) return Bad(file, key, "trailing bytes");
  return Status::OK();
}

}  // namespace

std::vector<std::string_view> SplitWords(std::string_view ngram) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at <= ngram.size();) {
    std::size_t space = ngram.find(' ', at);
    if (space == std::string_view::npos) space = ngram.size();
    out.push_back(ngram.substr(at, space - at));
    at = space + 1;
  }
  return out;
}

// ---------------------------------------------------------------- builder

// Open addressing from an n-gram key to its counts: 16 bytes a slot
// (32-bit counts, saturating), as the table is most of a builder's model.
class LanguageModelBuilder::CountTable {
 public:
  CountTable() { Resize(1 << 16); }

  void Bump(std::uint64_t key, bool title) {
    Slot& s = Find(key);
    std::uint32_t& n = title ? s.title : s.other;
    if (n != UINT32_MAX) ++n;
  }

  // Bump(key, title) for every key in order. The table is far larger than
  // the cache, so each key's slot is fetched a few keys ahead of its bump.
  void BumpAll(const std::vector<std::uint64_t>& keys, bool title) {
    constexpr std::size_t kAhead = 8;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i + kAhead < keys.size()) {
        __builtin_prefetch(&slots_[Mix(keys[i + kAhead]) & (slots_.size() - 1)]);
      }
      Bump(keys[i], title);
    }
  }

  std::size_t bytes() const { return slots_.size() * sizeof(Slot); }
  std::size_t size() const { return size_; }

  template <typename F>
  void ForEach(F f) const {
    for (const Slot& s : slots_) {
      if (s.key != kEmpty) f(s.key, LmCounts{s.title, s.other});
    }
  }

 private:
  struct Slot {
    std::uint64_t key = kEmpty;
    std::uint32_t title = 0, other = 0;
  };
  Slot& Find(std::uint64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Resize(slots_.size() * 2);
    std::size_t i = Mix(key) & (slots_.size() - 1);
    while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i].key == kEmpty) {
      slots_[i].key = key;
      ++size_;
    }
    return slots_[i];
  }
  static std::size_t Mix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  void Resize(std::size_t n) {
    std::vector<Slot> old(n);
    old.swap(slots_);
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key != kEmpty) Find(s.key) = s;
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

LanguageModelBuilder::LanguageModelBuilder(std::size_t prune_above)
    : table_(std::make_unique<CountTable>()), prune_above_(prune_above) {}
LanguageModelBuilder::~LanguageModelBuilder() = default;

std::uint32_t LanguageModelBuilder::Intern(std::string_view exact, std::string_view folded) {
  if (syllables_.size() >= kMaxSyllables || !Counted(exact, folded)) return kNone;
  syllables_.push_back(Syllable{std::string(exact), std::string(folded), {}});
  return static_cast<std::uint32_t>(syllables_.size() - 1);
}

void LanguageModelBuilder::AddField(const Analysis& analysis, const std::vector<std::uint32_t>& ids,
                                    bool title) {
  adjacent_.assign(ids.size(), title);
  for (const Token& t : analysis.tokens()) {
    if (t.kind == TokenKind::kBigram && t.position < adjacent_.size()) adjacent_[t.position] = true;
  }
  grams_.clear();
  for (std::size_t p = 0; p < ids.size(); ++p) {
    const std::uint32_t a = ids[p];
    if (a == kNone) continue;
    ++(title ? syllables_[a].counts.title : syllables_[a].counts.other);
    if (p + 1 >= ids.size() || !adjacent_[p] || ids[p + 1] == kNone) continue;
    grams_.push_back(BigramKey(a, ids[p + 1]));
    if (!title || p + 2 >= ids.size() || !adjacent_[p + 1] || ids[p + 2] == kNone) continue;
    grams_.push_back(TrigramKey(a, ids[p + 1], ids[p + 2]));
  }
  table_->BumpAll(grams_, title);
}

void LanguageModelBuilder::AddField(const Analysis& analysis, bool title) {
  ids_.assign(analysis.word_count(), kNone);
  for (const Token& t : analysis.tokens()) {
    if (t.kind != TokenKind::kWord || t.position >= ids_.size()) continue;
    const std::string_view exact = analysis.exact(t);
    auto it = interned_.find(std::string(exact));
    if (it == interned_.end()) {
      it = interned_.emplace(std::string(exact), Intern(exact, analysis.folded(t))).first;
    }
    ids_[t.position] = it->second;
  }
  AddField(analysis, ids_, title);
}

std::size_t LanguageModelBuilder::memory_usage() const {
  return table_->bytes() + syllables_.size() * (sizeof(Syllable) + 16);
}

Status LanguageModelBuilder::Write(codec::FileBuilder* file) {
  // Folded words in byte order, each with its spellings in byte order. The
  // same spelling may have been interned more than once (one number per
  // field's term): its counts are summed.
  std::vector<std::uint32_t> order(syllables_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Syllable& x = syllables_[a];
    const Syllable& y = syllables_[b];
    return x.folded != y.folded ? x.folded < y.folded : x.exact < y.exact;
  });
  struct Word {
    std::string folded;
    std::vector<std::pair<std::string, LmCounts>> spellings;
  };
  std::vector<Word> words;
  std::vector<std::uint32_t> rank(syllables_.size()), spelling(syllables_.size());
  for (std::uint32_t id : order) {
    Syllable& s = syllables_[id];
    if (words.empty() || words.back().folded != s.folded) words.push_back(Word{s.folded, {}});
    auto& list = words.back().spellings;
    if (list.empty() || list.back().first != s.exact) list.emplace_back(s.exact, LmCounts());
    list.back().second.title += s.counts.title;
    list.back().second.other += s.counts.other;
    rank[id] = static_cast<std::uint32_t>(words.size() - 1);
    spelling[id] = static_cast<std::uint32_t>(list.size() - 1);
  }
  // N-grams as packed numbers that sort as their keys do: each word's rank
  // + 1 in 21 bits (0: no word), so "a" < "a b" < "a b c" < "ab"; spellings
  // 8 bits each (a word's 256th spelling and later are left out of pairs).
  struct Gram {
    std::uint64_t key;
    std::uint32_t refs, title, other;
  };
  auto word_key = [](std::uint32_t r, int at) { return std::uint64_t{r + 1} << (21 * (2 - at)); };
  const std::uint64_t min_other = table_->size() > prune_above_ ? kLmMinOther : 1;
  std::vector<Gram> grams;
  grams.reserve(table_->size());
  const std::uint64_t mask = (std::uint64_t{1} << kIdBits) - 1;
  table_->ForEach([&](std::uint64_t k, const LmCounts& c) {
    const std::uint32_t ids[3] = {static_cast<std::uint32_t>((k >> (2 * kIdBits)) & mask),
                                  static_cast<std::uint32_t>((k >> kIdBits) & mask),
                                  static_cast<std::uint32_t>(k & mask)};
    const int n = (k & kTrigramBit) != 0 ? 3 : 2;
    Gram g{0, 0, static_cast<std::uint32_t>(c.title), static_cast<std::uint32_t>(c.other)};
    for (int i = 0; i < n; ++i) {
      if (spelling[ids[i]] > 0xFF) return;
      g.key |= word_key(rank[ids[i]], i);
      g.refs = (g.refs << 8) | spelling[ids[i]];
    }
    grams.push_back(g);
  });
  table_ = std::make_unique<CountTable>();
  std::sort(grams.begin(), grams.end(), [](const Gram& a, const Gram& b) {
    return a.key != b.key ? a.key < b.key : a.refs < b.refs;
  });

  SortedTableWriter table(file, 32, 4096);
  std::string key, value;
  std::size_t next_word = 0;
  // Single words come before every n-gram they start.
  auto write_words_before = [&](std::uint64_t limit) -> Status {
    for (; next_word < words.size() && word_key(next_word, 0) < limit; ++next_word) {
      const Word& w = words[next_word];
      value.clear();
      codec::PutVarint64(&value, w.spellings.size());
      for (const auto& [exact, c] : w.spellings) {
        codec::PutLengthPrefixed(&value, exact);
        PutCounts(&value, c);
      }
      TIM_RETURN_IF_ERROR(table.Add(w.folded, value));
    }
    return Status::OK();
  };
  std::vector<std::pair<std::uint32_t, LmCounts>> kept;
  for (std::size_t i = 0; i < grams.size();) {
    const std::uint64_t k = grams[i].key;
    TIM_RETURN_IF_ERROR(write_words_before(k));
    // The group of this key, equal spellings summed, pruned.
    kept.clear();
    for (; i < grams.size() && grams[i].key == k; ++i) {
      if (kept.empty() || kept.back().first != grams[i].refs) {
        kept.emplace_back(grams[i].refs, LmCounts());
      }
      kept.back().second.title += grams[i].title;
      kept.back().second.other += grams[i].other;
    }
    kept.erase(std::remove_if(kept.begin(), kept.end(),
                              [&](const auto& e) { return !Kept(e.second, min_other); }),
               kept.end());
    if (kept.empty()) continue;
    const int n = (k & ((std::uint64_t{1} << 21) - 1)) != 0 ? 3 : 2;
    key.clear();
    for (int at = 0; at < n; ++at) {
      if (at > 0) key.push_back(' ');
      key += words[((k >> (21 * (2 - at))) & ((std::uint64_t{1} << 21) - 1)) - 1].folded;
    }
    value.clear();
    codec::PutVarint64(&value, kept.size());
    for (const auto& [refs, c] : kept) {
      for (int at = n - 1; at >= 0; --at) codec::PutVarint32(&value, (refs >> (8 * at)) & 0xFF);
      PutCounts(&value, c);
    }
    TIM_RETURN_IF_ERROR(table.Add(key, value));
  }
  TIM_RETURN_IF_ERROR(write_words_before(~std::uint64_t{0}));
  return table.Finish();
}

// ---------------------------------------------------------------- reader

Status LanguageModelReader::Open(std::string name, std::string_view file, std::uint32_t version) {
  return SortedTable::Open(std::move(name), file, version, &table_);
}

Status LanguageModelReader::WordSpellings(std::string_view word, std::string_view ngram,
                                          SpellingCache* cache, std::vector<std::string>* scratch,
                                          const std::vector<std::string>** out) const {
  if (cache != nullptr) {
    const auto it = cache->find(std::string(word));
    if (it != cache->end()) {
      *out = &it->second;
      return Status::OK();
    }
  }
  std::string_view v;
  bool found = false;
  TIM_RETURN_IF_ERROR(table_.Get(word, &v, &found));
  if (!found) return Bad(table_.name(), ngram, "a syllable has no entry");
  std::vector<RawVariant> raw;
  TIM_RETURN_IF_ERROR(DecodeRaw(table_.name(), word, v, &raw));
  std::vector<std::string> spellings;
  for (RawVariant& r : raw) spellings.push_back(std::move(r.exact));
  if (cache != nullptr) {
    std::vector<std::string>& slot = (*cache)[std::string(word)];
    slot = std::move(spellings);
    *out = &slot;
  } else {
    *scratch = std::move(spellings);
    *out = scratch;
  }
  return Status::OK();
}

Status LanguageModelReader::Decode(std::string_view key, std::string_view value,
                                   std::vector<LmVariant>* out, SpellingCache* cache) const {
  std::vector<RawVariant> raw;
  TIM_RETURN_IF_ERROR(DecodeRaw(table_.name(), key, value, &raw));
  out->clear();
  out->reserve(raw.size());
  if (Syllables(key) == 1) {
    for (RawVariant& r : raw) out->push_back(LmVariant{std::move(r.exact), r.counts});
    return Status::OK();
  }
  // Resolve each word's index through its own entry.
  const std::vector<std::string_view> words = SplitWords(key);
  std::vector<std::vector<std::string>> scratch(words.size());
  std::vector<const std::vector<std::string>*> parts(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    TIM_RETURN_IF_ERROR(WordSpellings(words[i], key, cache, &scratch[i], &parts[i]));
  }
  for (const RawVariant& r : raw) {
    LmVariant v;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (r.refs[i] >= parts[i]->size()) return Bad(table_.name(), key, "spelling out of range");
      if (i > 0) v.exact.push_back(' ');
      v.exact += (*parts[i])[r.refs[i]];
    }
    v.counts = r.counts;
    out->push_back(std::move(v));
  }
  return Status::OK();
}

Status LanguageModelReader::Lookup(std::string_view folded, std::vector<LmVariant>* out,
                                   SpellingCache* cache) const {
  out->clear();
  std::string_view value;
  bool found = false;
  TIM_RETURN_IF_ERROR(table_.Get(folded, &value, &found));
  if (!found) return Status::OK();
  return Decode(folded, value, out, cache);
}

Status LanguageModelReader::Verify() const {
  SortedTable::Iterator it(&table_);
  std::vector<LmVariant> variants;
  SpellingCache cache;
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    TIM_RETURN_IF_ERROR(Decode(it.key(), it.value(), &variants, &cache));
  }
  return it.status();
}

// ---------------------------------------------------------------- merge

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
      TIM_RETURN_IF_ERROR(DecodeRaw(models_[s]->table().name(), it.key(), it.value(), &raw_));
      fn(it.key(), raw_);
    }
    return it.status();
  }

  // Every source's spellings of each single word, summed, less what was
  // removed; spellings left with no count go.
  Status SumWords() {
    for (std::size_t s = 0; s < models_.size(); ++s) {
      TIM_RETURN_IF_ERROR(
          ForEachWord(s, [&](std::string_view key, const std::vector<RawVariant>& raw) {
            if (!Subtracts(s)) {
              auto& list = forms_[std::string(key)];
              for (const RawVariant& r : raw) {
                LmCounts& c = list[r.exact];
                c.title += r.counts.title;
                c.other += r.counts.other;
              }
              return;
            }
            const auto word = forms_.find(key);
            if (word == forms_.end()) return;
            for (const RawVariant& r : raw) {
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
                                             const std::vector<RawVariant>& raw) {
        const auto word = forms_.find(key);
        auto& numbers = renumber_[s][std::string(key)];
        for (const RawVariant& r : raw) {
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
      PutCounts(value, c);
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
      TIM_RETURN_IF_ERROR(DecodeRaw(name, key, iters[s].value(), &raw_));
      const std::vector<std::uint32_t>* numbers[kLmOrder] = {};
      for (std::size_t i = 0; i < words.size(); ++i) {
        const auto it = renumber_[s].find(words[i]);
        if (it == renumber_[s].end()) return Bad(name, key, "a syllable has no entry");
        numbers[i] = &it->second;
      }
      for (const RawVariant& r : raw_) {
        Spelling sp{{}, {}, {}};
        (Subtracts(s) ? sp.removed : sp.counts) = r.counts;
        bool gone = false;
        for (std::size_t i = 0; i < words.size(); ++i) {
          if (r.refs[i] >= numbers[i]->size()) return Bad(name, key, "spelling out of range");
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
    sums_.erase(std::remove_if(sums_.begin(), sums_.end(),
                               [&](const Spelling& sp) { return !Kept(sp.counts, min_other_); }),
                sums_.end());
    if (sums_.empty()) return Status::OK();
    codec::PutVarint64(value, sums_.size());
    for (const Spelling& sp : sums_) {
      for (std::size_t i = 0; i < words.size(); ++i) codec::PutVarint32(value, sp.refs[i]);
      PutCounts(value, sp.counts);
    }
    return Status::OK();
  }

  const std::size_t sources_;                       // models_[0, sources_) add
  std::vector<const LanguageModelReader*> models_;  // then the one that subtracts
  std::map<std::string, std::map<std::string, LmCounts>, std::less<>> forms_;
  using Renumbering = std::map<std::string, std::vector<std::uint32_t>, std::less<>>;
  std::vector<Renumbering> renumber_;
  std::uint64_t min_other_ = 1;
  std::vector<RawVariant> raw_;
  std::vector<Spelling> sums_;
};

}  // namespace

Status MergeLanguageModels(const std::vector<const LanguageModelReader*>& sources,
                           const LanguageModelReader* removed, codec::FileBuilder* file) {
  ModelMerge merge(sources, removed);
  return merge.Run(file);
}

}  // namespace tim::index
