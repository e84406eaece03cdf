// The language model's builder: counts syllables, bigrams and title
// trigrams as documents are added, and writes the segment's .lm table.
#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "analysis/vietnamese.h"
#include "codec/varint.h"
#include "index/language_model.h"
#include "index/language_model_entry.h"
#include "util/utf8.h"

namespace tim::index {

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

}  // namespace

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
        lm::PutCounts(&value, c);
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
                              [&](const auto& e) { return !lm::Kept(e.second, min_other); }),
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
      lm::PutCounts(&value, c);
    }
    TIM_RETURN_IF_ERROR(table.Add(key, value));
  }
  TIM_RETURN_IF_ERROR(write_words_before(~std::uint64_t{0}));
  return table.Finish();
}

}  // namespace tim::index
