// The entries of a language model's table (docs/format.md, "Language
// model"), shared by its builder, reader and merge: the key is the folded
// n-gram, its syllables joined by one space; the value
//   single syllable: varint n, then n times: length-prefixed exact form,
//                    counts (exact forms in increasing byte order)
//   k syllables:     varint n, then n times: k varints (each the index of the
//                    syllable's spelling in its own single-syllable entry),
//                    counts
//   counts:          varint64 other << 1 | (title > 0), then varint64 title
//                    when title > 0 (most spellings are never in a title)
#ifndef TIM_INDEX_LANGUAGE_MODEL_ENTRY_H_
#define TIM_INDEX_LANGUAGE_MODEL_ENTRY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/language_model.h"
#include "tim/status.h"

namespace tim::index::lm {

// Whether a spelling's counts stay in a pruned model: seen in a title, or
// at least `min_other` times elsewhere.
bool Kept(const LmCounts& c, std::uint64_t min_other);

void PutCounts(std::string* dst, const LmCounts& c);

// The syllables of an n-gram key.
std::size_t Syllables(std::string_view key);

// Corruption naming the file and the entry.
Status Bad(const std::string& file, std::string_view key, const char* what);

// A decoded entry: single syllables keep their forms, longer n-grams the
// indices of their syllables' forms.
struct RawVariant {
  std::string exact;                  // single word
  std::uint32_t refs[kLmOrder] = {};  // n-gram: its words' spellings
  LmCounts counts;
};

// Decodes an entry's value; Corruption naming `file` and the key when it
// does not follow the layout.
Status DecodeRaw(const std::string& file, std::string_view key, std::string_view value,
                 std::vector<RawVariant>* out);

}  // namespace tim::index::lm

#endif  // TIM_INDEX_LANGUAGE_MODEL_ENTRY_H_
