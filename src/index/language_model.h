// The syllable language model of a segment (.lm): how often each spelling
// of a word, of two adjacent words and (in titles) of three occurs in the
// segment's text, keyed by the forms without diacritics. Accent restoration
// (query/suggest) decodes a query typed without diacritics from these
// counts alone (docs/format.md, "Language model").
//
// Counts are split in two: occurrences in the field named "title" and in
// every other field. Words count when their folded form is 1-16 ASCII
// letters and digits and their exact form letters of the Vietnamese
// repertoire (syllables, numbers, codes such as "u23"); any other word
// breaks the sequence.

#ifndef TIM_INDEX_LANGUAGE_MODEL_H_
#define TIM_INDEX_LANGUAGE_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "codec/file_format.h"
#include "index/sorted_table.h"
#include "tim/analyzer.h"
#include "tim/status.h"

namespace tim::index {

// What an n-gram's spelling was counted in.
struct LmCounts {
  std::uint64_t title = 0;  // the field named "title"
  std::uint64_t other = 0;  // every other field
};

// Pruning: in a segment that counted more than kLmPruneAbove distinct
// n-grams, an n-gram spelling is kept when it occurs in a title at least
// once or elsewhere at least kLmMinOther times; smaller segments keep every
// spelling (a small index has few counts, each of them telling). Single
// words are all kept.
constexpr std::uint64_t kLmMinOther = 2;
constexpr std::size_t kLmPruneAbove = std::size_t{1} << 19;
// Longest n-gram counted (3: trigrams, in titles only).
constexpr int kLmOrder = 3;

// Counts the n-grams of a segment while it is built.
class LanguageModelBuilder {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // Pruning starts above `prune_above` distinct n-grams.
  explicit LanguageModelBuilder(std::size_t prune_above = kLmPruneAbove);
  ~LanguageModelBuilder();
  LanguageModelBuilder(const LanguageModelBuilder&) = delete;
  LanguageModelBuilder& operator=(const LanguageModelBuilder&) = delete;

  // The model's number for an exact word form ("hà") whose folded form is
  // `folded` ("ha"); kNone when the model does not count the word (then it
  // breaks sequences). Callers cache the number per term.
  std::uint32_t Intern(std::string_view exact, std::string_view folded);

  // Counts one field's words: ids[p] is the Intern() number of the word at
  // position p of `analysis` (the field's). In titles every word follows the
  // one before it (people type a headline's words without its punctuation);
  // elsewhere only words the analyzer made a bigram of.
  void AddField(const Analysis& analysis, const std::vector<std::uint32_t>& ids, bool title);
  // The same for a caller without its own numbers (a merge re-counting the
  // stored text of deleted documents): words are interned here, once each.
  void AddField(const Analysis& analysis, bool title);

  std::size_t memory_usage() const;
  // Writes the model, pruned, as the body of `file` (then Finish() the file).
  Status Write(codec::FileBuilder* file);

 private:
  class CountTable;
  struct Syllable {
    std::string exact, folded;
    LmCounts counts;
  };
  std::vector<Syllable> syllables_;
  std::unique_ptr<CountTable> table_;  // bigrams and trigrams
  std::size_t prune_above_;
  std::string scratch_;
  std::vector<bool> adjacent_;
  std::vector<std::uint32_t> ids_;
  std::vector<std::uint64_t> grams_;                         // one field's n-gram keys, in order
  std::unordered_map<std::string, std::uint32_t> interned_;  // exact -> id, for AddField(analysis)
};

// The words of an n-gram key or spelling ("a b c" -> a, b, c).
std::vector<std::string_view> SplitWords(std::string_view ngram);

// One spelling of an n-gram: `exact` are its syllables joined by spaces.
struct LmVariant {
  std::string exact;
  LmCounts counts;
};

// Reads a segment's model.
class LanguageModelReader {
 public:
  // `file` is the whole framed .lm file named `name`; it must outlive the reader.
  Status Open(std::string name, std::string_view file,
              std::uint32_t version = codec::kFormatVersion);
  bool empty() const { return table_.entries() == 0; }
  std::uint64_t entries() const { return table_.entries(); }

  // Single words' spellings already decoded, by folded word. An n-gram's
  // entry names its words' spellings by number, so resolving it reads each
  // word's entry: a caller looking up several n-grams of one query passes
  // one cache per segment and reads each word once.
  using SpellingCache = std::unordered_map<std::string, std::vector<std::string>>;

  // The spellings of the folded n-gram `folded` ("do thi"), in no set order;
  // empty when the segment never spelled it (or pruned it). Corruption when
  // the entry does not decode. `cache` may be null.
  Status Lookup(std::string_view folded, std::vector<LmVariant>* out,
                SpellingCache* cache = nullptr) const;

  // Walks every entry, checking that it decodes and refers to syllables the
  // model holds.
  Status Verify() const;

  const SortedTable& table() const { return table_; }

 private:
  Status Decode(std::string_view key, std::string_view value, std::vector<LmVariant>* out,
                SpellingCache* cache) const;
  // The spellings of one folded word, through `cache` when given.
  Status WordSpellings(std::string_view word, std::string_view ngram, SpellingCache* cache,
                       std::vector<std::string>* scratch,
                       const std::vector<std::string>** out) const;
  SortedTable table_;
};

// Writes the model of a merged segment: the sum of the sources' counts,
// less the counts of `removed` (the model of the sources' deleted documents,
// may be null). A spelling whose counts reach zero is left out, and so is
// every n-gram spelled with it.
Status MergeLanguageModels(const std::vector<const LanguageModelReader*>& sources,
                           const LanguageModelReader* removed, codec::FileBuilder* file);

}  // namespace tim::index

#endif  // TIM_INDEX_LANGUAGE_MODEL_H_
