// tim::FieldType and tim::Schema: the types of an index's fields.
//
// Every field is text unless the schema says otherwise. A typed field is
// not analysed and not searched by words: it is stored, kept in a column
// per segment, and used by filters, sorting and facets (SearchOptions in
// include/tim/search.h, docs/query.md "Filters, sorting and facets").
//
//   tim::IndexOptions o;
//   o.schema = {{"category", tim::FieldType::kKeyword},
//               {"price", tim::FieldType::kNumber},
//               {"published", tim::FieldType::kDate}};
//
// A document gives a typed field's values as text, as it gives any field:
//   keyword  any UTF-8 text, 1 to kMaxKeywordBytes bytes, kept as given
//            (compared bytewise: "Thể thao" is not "thể thao"; the filter
//            operator ~ compares folded forms). A document may give the
//            field several times: each is one value ("tags").
//   number   a 64-bit integer ("-42", "120000") or a finite double
//            ("3.5", "1e6"); once per document.
//   date     an ISO 8601 date ("2017-02-06"; "2017-02" and "2017" are
//            their first day) or date-time ("2017-02-06T10:30:00",
//            "2017-02-06 10:30:00.250+07:00"; no zone is UTC), or whole
//            seconds since 1970-01-01T00:00:00Z of other than four digits
//            ("1486339200"); years 0001 to 9999; once per document. Kept as
//            milliseconds since the epoch.
// A value that does not fit its type makes IndexWriter::AddDocument refuse
// the document (InvalidArgument naming the document, the field and the value).

#ifndef TIM_SCHEMA_H_
#define TIM_SCHEMA_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/export.h"
#include "tim/status.h"

namespace tim {

enum class FieldType : std::uint8_t {
  kText = 0,     // analysed and searched by words (the default)
  kKeyword = 1,  // exact values, several per document
  kNumber = 2,   // a 64-bit integer or a double
  kDate = 3,     // a point in time, in milliseconds since the epoch
};

// The longest keyword value, in bytes.
constexpr std::size_t kMaxKeywordBytes = 4096;

// "text", "keyword", "number" or "date".
TIM_EXPORT const char* FieldTypeName(FieldType type);
// The type named `name` (as FieldTypeName spells it); false for any other name.
TIM_EXPORT bool ParseFieldType(std::string_view name, FieldType* out);

// Field names and their types. Fields not listed are text.
using Schema = std::vector<std::pair<std::string, FieldType>>;

// Reads a schema in JSON: {"fields": {"category": "keyword", "price":
// "number", "published": "date", "body": "text"}}. Returns OK, or
// InvalidArgument saying what is wrong (broken JSON, an unknown type
// naming its field, a field named twice, a bad field name).
TIM_EXPORT Status ParseSchemaJson(std::string_view json, Schema* out);

}  // namespace tim

#endif  // TIM_SCHEMA_H_
