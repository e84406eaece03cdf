// The language model's reader: a segment's .lm table, looked up by folded
// n-gram.
#include <utility>

#include "index/language_model.h"
#include "index/language_model_entry.h"

namespace tim::index {

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
  if (!found) return lm::Bad(table_.name(), ngram, "a syllable has no entry");
  std::vector<lm::RawVariant> raw;
  TIM_RETURN_IF_ERROR(lm::DecodeRaw(table_.name(), word, v, &raw));
  std::vector<std::string> spellings;
  for (lm::RawVariant& r : raw) spellings.push_back(std::move(r.exact));
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
  std::vector<lm::RawVariant> raw;
  TIM_RETURN_IF_ERROR(lm::DecodeRaw(table_.name(), key, value, &raw));
  out->clear();
  out->reserve(raw.size());
  if (lm::Syllables(key) == 1) {
    for (lm::RawVariant& r : raw) out->push_back(LmVariant{std::move(r.exact), r.counts});
    return Status::OK();
  }
  // Resolve each word's index through its own entry.
  const std::vector<std::string_view> words = SplitWords(key);
  std::vector<std::vector<std::string>> scratch(words.size());
  std::vector<const std::vector<std::string>*> parts(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    TIM_RETURN_IF_ERROR(WordSpellings(words[i], key, cache, &scratch[i], &parts[i]));
  }
  for (const lm::RawVariant& r : raw) {
    LmVariant v;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (r.refs[i] >= parts[i]->size())
        return lm::Bad(table_.name(), key, "spelling out of range");
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

}  // namespace tim::index
