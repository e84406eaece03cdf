// What a writer refuses before it changes anything: a document whose id,
// field names or text break the rules (docs/limits.md), named with what and
// where, so that a refused document leaves no trace (not even a field
// name).
#ifndef TIM_INDEX_DOCUMENT_CHECK_H_
#define TIM_INDEX_DOCUMENT_CHECK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tim/document.h"
#include "tim/status.h"

namespace tim::index {

// OK, or InvalidArgument naming the document and what is wrong: an id
// empty or over kMaxIdBytes, a field name empty or over 255 bytes, invalid
// UTF-8 in the id, a name or a text (with its byte offset), more than
// `max_document_bytes` in all, or more new field names than the index
// (which knows `fields`) can still hold.
Status CheckDocument(const Document& doc, const std::vector<std::string>& fields,
                     std::uint64_t max_document_bytes);

// OK, or InvalidArgument naming `what` and the byte offset of the first
// ill-formed UTF-8 sequence.
Status CheckUtf8(std::string_view s, const std::string& what);

// OK, or InvalidArgument for a field name that is empty, over 255 bytes
// or not valid UTF-8 (a schema's).
Status CheckFieldName(std::string_view name);

// An id or name (valid UTF-8) as a message quotes it: whole up to 64 bytes,
// else its first 64 (cut on a character) and its size.
std::string Quote(std::string_view s);

}  // namespace tim::index

#endif  // TIM_INDEX_DOCUMENT_CHECK_H_
