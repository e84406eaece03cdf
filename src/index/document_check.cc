#include "index/document_check.h"

#include <algorithm>
#include <unordered_set>

#include "index/segment.h"
#include "util/limits.h"
#include "util/utf8.h"

namespace tim::index {

Status CheckUtf8(std::string_view s, const std::string& what) {
  const std::size_t bad = utf8::FirstInvalid(s);
  if (bad == s.size()) return Status::OK();
  return Status::InvalidArgument(what + ": invalid UTF-8 at byte " + std::to_string(bad));
}

std::string Quote(std::string_view s) {
  constexpr std::size_t kShown = 64;
  if (s.size() <= kShown) return "\"" + std::string(s) + "\"";
  std::size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(s.substr(0, cut)) + "...\" (" + std::to_string(s.size()) + " bytes)";
}

Status CheckFieldName(std::string_view name) {
  if (name.empty() || name.size() > limits::kMaxFieldNameBytes) {
    return Status::InvalidArgument("a field name of " + std::to_string(name.size()) +
                                   " bytes; field names are 1 to 255 bytes");
  }
  return CheckUtf8(name, "field name");
}

Status CheckDocument(const Document& doc, const std::vector<std::string>& fields,
                     std::uint64_t max_document_bytes) {
  if (doc.id.empty() || doc.id.size() > kMaxIdBytes) {
    return Status::InvalidArgument("document id must be 1 to " + std::to_string(kMaxIdBytes) +
                                   " bytes, got " + std::to_string(doc.id.size()));
  }
  TIM_RETURN_IF_ERROR(CheckUtf8(doc.id, "id"));
  const std::string what = "document " + Quote(doc.id);
  std::uint64_t bytes = doc.id.size();
  std::unordered_set<std::string_view> new_names;
  for (std::size_t i = 0; i < doc.fields.size(); ++i) {
    const auto& [name, text] = doc.fields[i];
    bytes += name.size() + text.size();
    if (name.empty() || name.size() > limits::kMaxFieldNameBytes) {
      return Status::InvalidArgument(what + ": field " + std::to_string(i + 1) + "'s name is " +
                                     std::to_string(name.size()) +
                                     " bytes; field names are 1 to 255 bytes");
    }
    TIM_RETURN_IF_ERROR(CheckUtf8(name, what + ": field " + std::to_string(i + 1) + "'s name"));
    TIM_RETURN_IF_ERROR(CheckUtf8(text, what + " field " + name));
    if (std::find(fields.begin(), fields.end(), name) == fields.end()) new_names.insert(name);
  }
  if (bytes > max_document_bytes) {
    return Status::InvalidArgument(what + ": " + std::to_string(bytes) +
                                   " bytes, more than max_document_bytes (" +
                                   std::to_string(max_document_bytes) + ")");
  }
  if (fields.size() + new_names.size() > kMaxFields) {
    return Status::InvalidArgument(
        what + ": " + std::to_string(new_names.size()) + " new field names, and the index has " +
        std::to_string(fields.size()) + " of the 255 field names it can hold");
  }
  return Status::OK();
}

}  // namespace tim::index
