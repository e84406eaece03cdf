// tim::Document: what an application indexes and gets back.

#ifndef TIM_DOCUMENT_H_
#define TIM_DOCUMENT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tim {

// The longest document id, in bytes (ids are 1 to kMaxIdBytes bytes of
// UTF-8).
constexpr std::size_t kMaxIdBytes = 1024;

// The field that is a document's title: the title match bonus
// (RankingOptions) reads the query words it holds, the accent restoration
// model counts its words apart, and search results show it (Hit::title).
constexpr std::string_view kTitleField = "title";

// A document has a unique id and named text fields ("title", "body", or any
// other name). Every field is indexed and stored; the order of fields is
// kept. Field names are 1 to 255 bytes of UTF-8; an index holds at most 255
// distinct field names.
struct Document {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;

  // The text of field `name`, or "" when the document has no such field.
  std::string_view Field(std::string_view name) const {
    for (const auto& [n, text] : fields) {
      if (n == name) return text;
    }
    return {};
  }
};

}  // namespace tim

#endif  // TIM_DOCUMENT_H_
