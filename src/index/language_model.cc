#include "index/language_model.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <queue>
#include <unordered_map>
#include <utility>

#include "analysis/vietnamese.h"
#include "codec/varint.h"
#include "util/utf8.h"

namespace tim::index {

// Value layout (docs/format.md, "Language model"): the key is the folded
// n-gram, its syllables joined by one space.
//   single syllable: varint n, then n times: length-prefixed exact form,
//                    varint title count, varint other count
//                    (exact forms in increasing byte order)
//   k syllables:     varint n, then n times: k varints (each the index of the
//                    syllable's spelling in its own single-syllable entry),
//                    varint title count, varint other count

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
  codec::PutVarint64(dst, c.title);
  codec::PutVarint64(dst, c.other);
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
  std::string exact;                // single syllable
  std::vector<std::uint32_t> refs;  // n-gram
  LmCounts counts;
};

Status DecodeRaw(const std::string& file, std::string_view key, std::string_view value,
                 std::vector<RawVariant>* out) {
  out->clear();
  const std::size_t k = Syllables(key);
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
      v.refs.resize(k);
      for (std::uint32_t& r : v.refs) {
        if (p != nullptr) p = codec::GetVarint32(p, limit, &r);
      }
    }
    if (p != nullptr) p = codec::GetVarint64(p, limit, &v.counts.title);
    if (p != nullptr) p = codec::GetVarint64(p, limit, &v.counts.other);
    if (p == nullptr) return Bad(file, key, "truncated variant");
  }
  if (p != limit) return Bad(file, key, "trailing bytes");
  return Status::OK();
}

}  // namespace

// ---------------------------------------------------------------- builder

// Open addressing from an n-gram key to its counts.
class LanguageModelBuilder::CountTable {
 public:
  CountTable() { Resize(1 << 16); }

  LmCounts* Find(std::uint64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Resize(slots_.size() * 2);
    std::size_t i = Mix(key) & (slots_.size() - 1);
    while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i].key == kEmpty) {
      slots_[i].key = key;
      ++size_;
    }
    return &slots_[i].counts;
  }

  std::size_t bytes() const { return slots_.size() * sizeof(Slot); }
  std::size_t size() const { return size_; }

  template <typename F>
  void ForEach(F f) const {
    for (const Slot& s : slots_) {
      if (s.key != kEmpty) f(s.key, s.counts);
    }
  }

 private:
  struct Slot {
    std::uint64_t key = kEmpty;
    LmCounts counts;
  };
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
      if (s.key != kEmpty) *Find(s.key) = s.counts;
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

void LanguageModelBuilder::AddField(const std::vector<std::uint32_t>& ids,
                                    const std::vector<bool>& adjacent, bool title) {
  auto bump = [title](LmCounts* c) { ++(title ? c->title : c->other); };
  for (std::size_t p = 0; p < ids.size(); ++p) {
    const std::uint32_t a = ids[p];
    if (a == kNone) continue;
    bump(&syllables_[a].counts);
    if (p + 1 >= ids.size() || !adjacent[p] || ids[p + 1] == kNone) continue;
    bump(table_->Find(BigramKey(a, ids[p + 1])));
    if (!title || p + 2 >= ids.size() || !adjacent[p + 1] || ids[p + 2] == kNone) continue;
    bump(table_->Find(TrigramKey(a, ids[p + 1], ids[p + 2])));
  }
}

std::size_t LanguageModelBuilder::memory_usage() const {
  return table_->bytes() + syllables_.size() * (sizeof(Syllable) + 16);
}

Status LanguageModelBuilder::Write(codec::FileBuilder* file) {
  // Spellings of each folded syllable: the same exact form may have been
  // interned more than once (one number per field's term); sum them.
  std::map<std::string, std::map<std::string, LmCounts>> forms;
  for (const Syllable& s : syllables_) {
    LmCounts& c = forms[s.folded][s.exact];
    c.title += s.counts.title;
    c.other += s.counts.other;
  }
  // The index of each interned number's spelling in its folded entry.
  std::vector<std::uint32_t> index_of(syllables_.size());
  for (std::size_t i = 0; i < syllables_.size(); ++i) {
    const auto& list = forms[syllables_[i].folded];
    index_of[i] =
        static_cast<std::uint32_t>(std::distance(list.begin(), list.find(syllables_[i].exact)));
  }
  // N-grams by folded key, their spellings as index tuples.
  const std::uint64_t min_other = table_->size() > prune_above_ ? kLmMinOther : 1;
  std::map<std::string, std::map<std::vector<std::uint32_t>, LmCounts>> grams;
  std::string key;
  std::vector<std::uint32_t> refs;
  const std::uint64_t mask = (std::uint64_t{1} << kIdBits) - 1;
  table_->ForEach([&](std::uint64_t k, const LmCounts& c) {
    const bool tri = (k & kTrigramBit) != 0;
    const std::uint32_t ids[3] = {static_cast<std::uint32_t>((k >> (2 * kIdBits)) & mask),
                                  static_cast<std::uint32_t>((k >> kIdBits) & mask),
                                  static_cast<std::uint32_t>(k & mask)};
    const int n = tri ? 3 : 2;
    key.clear();
    refs.clear();
    for (int i = 0; i < n; ++i) {
      if (i > 0) key.push_back(' ');
      key += syllables_[ids[i]].folded;
      refs.push_back(index_of[ids[i]]);
    }
    LmCounts& sum = grams[key][refs];
    sum.title += c.title;
    sum.other += c.other;
  });
  table_ = std::make_unique<CountTable>();

  SortedTableWriter table(file, 32, 4096);
  std::string value;
  auto f = forms.begin();
  auto g = grams.begin();
  while (f != forms.end() || g != grams.end()) {
    const bool single = g == grams.end() || (f != forms.end() && f->first < g->first);
    value.clear();
    if (single) {
      codec::PutVarint64(&value, f->second.size());
      for (const auto& [exact, c] : f->second) {
        codec::PutLengthPrefixed(&value, exact);
        PutCounts(&value, c);
      }
      TIM_RETURN_IF_ERROR(table.Add(f->first, value));
      ++f;
      continue;
    }
    std::size_t kept = 0;
    for (const auto& [r, c] : g->second) kept += Kept(c, min_other);
    if (kept > 0) {
      codec::PutVarint64(&value, kept);
      for (const auto& [r, c] : g->second) {
        if (!Kept(c, min_other)) continue;
        for (std::uint32_t x : r) codec::PutVarint32(&value, x);
        PutCounts(&value, c);
      }
      TIM_RETURN_IF_ERROR(table.Add(g->first, value));
    }
    ++g;
  }
  return table.Finish();
}

// ---------------------------------------------------------------- reader

Status LanguageModelReader::Open(std::string name, std::string_view file) {
  return SortedTable::Open(std::move(name), file, &table_);
}

Status LanguageModelReader::Decode(std::string_view key, std::string_view value,
                                   std::vector<LmVariant>* out) const {
  std::vector<RawVariant> raw;
  TIM_RETURN_IF_ERROR(DecodeRaw(table_.name(), key, value, &raw));
  out->clear();
  out->reserve(raw.size());
  if (Syllables(key) == 1) {
    for (RawVariant& r : raw) out->push_back(LmVariant{std::move(r.exact), r.counts});
    return Status::OK();
  }
  // Resolve each syllable's index through its own entry.
  std::vector<std::vector<RawVariant>> parts;
  std::size_t at = 0;
  while (at <= key.size()) {
    std::size_t space = key.find(' ', at);
    if (space == std::string_view::npos) space = key.size();
    const std::string_view syllable = key.substr(at, space - at);
    std::string_view v;
    bool found = false;
    TIM_RETURN_IF_ERROR(table_.Get(syllable, &v, &found));
    if (!found) return Bad(table_.name(), key, "a syllable has no entry");
    parts.emplace_back();
    TIM_RETURN_IF_ERROR(DecodeRaw(table_.name(), syllable, v, &parts.back()));
    at = space + 1;
  }
  for (const RawVariant& r : raw) {
    LmVariant v;
    for (std::size_t i = 0; i < r.refs.size(); ++i) {
      if (r.refs[i] >= parts[i].size()) return Bad(table_.name(), key, "spelling out of range");
      if (i > 0) v.exact.push_back(' ');
      v.exact += parts[i][r.refs[i]].exact;
    }
    v.counts = r.counts;
    out->push_back(std::move(v));
  }
  return Status::OK();
}

Status LanguageModelReader::Lookup(std::string_view folded, std::vector<LmVariant>* out) const {
  out->clear();
  std::string_view value;
  bool found = false;
  TIM_RETURN_IF_ERROR(table_.Get(folded, &value, &found));
  if (!found) return Status::OK();
  return Decode(folded, value, out);
}

Status LanguageModelReader::Verify() const {
  SortedTable::Iterator it(&table_);
  std::vector<LmVariant> variants;
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    const std::string key(it.key());
    if (Syllables(key) > static_cast<std::size_t>(kLmOrder)) {
      return Bad(table_.name(), key, "more syllables than the model's order");
    }
    TIM_RETURN_IF_ERROR(Decode(key, it.value(), &variants));
  }
  return it.status();
}

// ---------------------------------------------------------------- merge

Status MergeLanguageModels(const std::vector<const LanguageModelReader*>& sources,
                           codec::FileBuilder* file) {
  // Pass 1: every source's spellings of each single syllable, and where each
  // lands in the merged entry.
  std::map<std::string, std::map<std::string, LmCounts>> forms;
  std::vector<std::unordered_map<std::string, std::vector<std::string>>> source_forms(
      sources.size());
  std::vector<RawVariant> raw;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    SortedTable::Iterator it(&sources[s]->table());
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      if (it.key().find(' ') != std::string_view::npos) continue;
      TIM_RETURN_IF_ERROR(DecodeRaw(sources[s]->table().name(), it.key(), it.value(), &raw));
      auto& list = forms[std::string(it.key())];
      auto& mine = source_forms[s][std::string(it.key())];
      for (const RawVariant& r : raw) {
        LmCounts& c = list[r.exact];
        c.title += r.counts.title;
        c.other += r.counts.other;
        mine.push_back(r.exact);
      }
    }
    TIM_RETURN_IF_ERROR(it.status());
  }
  std::unordered_map<std::string, std::unordered_map<std::string, std::uint32_t>> merged_index;
  for (const auto& [folded, list] : forms) {
    auto& m = merged_index[folded];
    std::uint32_t i = 0;
    for (const auto& entry : list) m[entry.first] = i++;
  }

  // Pass 2: a k-way merge of the sources' entries in key order.
  std::vector<SortedTable::Iterator> iters;
  iters.reserve(sources.size());
  for (const LanguageModelReader* src : sources) {
    iters.emplace_back(&src->table());
    iters.back().SeekToFirst();
    TIM_RETURN_IF_ERROR(iters.back().status());
  }
  auto greater = [&](std::size_t a, std::size_t b) {
    const int c = iters[a].key().compare(iters[b].key());
    return c > 0 || (c == 0 && a > b);
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(greater)> heap(greater);
  for (std::size_t s = 0; s < iters.size(); ++s) {
    if (iters[s].Valid()) heap.push(s);
  }
  // A merged model as large as a big segment's is pruned as one would be.
  std::uint64_t entries = 0;
  for (const LanguageModelReader* src : sources) entries += src->entries();
  const std::uint64_t min_other = entries > kLmPruneAbove ? kLmMinOther : 1;
  SortedTableWriter table(file, 32, 4096);
  std::string key, value;
  std::vector<std::size_t> holders;
  std::vector<std::string_view> syllables;
  while (!heap.empty()) {
    key.assign(iters[heap.top()].key());
    holders.clear();
    while (!heap.empty() && iters[heap.top()].key() == key) {
      holders.push_back(heap.top());
      heap.pop();
    }
    value.clear();
    if (key.find(' ') == std::string::npos) {
      const auto& list = forms[key];
      codec::PutVarint64(&value, list.size());
      for (const auto& [exact, c] : list) {
        codec::PutLengthPrefixed(&value, exact);
        PutCounts(&value, c);
      }
    } else {
      syllables.clear();
      for (std::size_t at = 0; at <= key.size();) {
        std::size_t space = key.find(' ', at);
        if (space == std::string::npos) space = key.size();
        syllables.emplace_back(key.data() + at, space - at);
        at = space + 1;
      }
      std::map<std::vector<std::uint32_t>, LmCounts> sums;
      for (std::size_t s : holders) {
        TIM_RETURN_IF_ERROR(DecodeRaw(sources[s]->table().name(), key, iters[s].value(), &raw));
        for (RawVariant& r : raw) {
          for (std::size_t i = 0; i < r.refs.size(); ++i) {
            const auto mine = source_forms[s].find(std::string(syllables[i]));
            if (mine == source_forms[s].end() || r.refs[i] >= mine->second.size()) {
              return Bad(sources[s]->table().name(), key, "spelling out of range");
            }
            r.refs[i] = merged_index[mine->first][mine->second[r.refs[i]]];
          }
          LmCounts& c = sums[r.refs];
          c.title += r.counts.title;
          c.other += r.counts.other;
        }
      }
      std::size_t kept = 0;
      for (const auto& entry : sums) kept += Kept(entry.second, min_other);
      if (kept > 0) {
        codec::PutVarint64(&value, kept);
        for (const auto& [r, c] : sums) {
          if (!Kept(c, min_other)) continue;
          for (std::uint32_t x : r) codec::PutVarint32(&value, x);
          PutCounts(&value, c);
        }
      }
    }
    if (!value.empty()) TIM_RETURN_IF_ERROR(table.Add(key, value));
    for (std::size_t s : holders) {
      iters[s].Next();
      TIM_RETURN_IF_ERROR(iters[s].status());
      if (iters[s].Valid()) heap.push(s);
    }
  }
  return table.Finish();
}

}  // namespace tim::index
