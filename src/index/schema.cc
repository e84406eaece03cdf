// include/tim/schema.h: type names and the JSON form of a schema.

#include "tim/schema.h"

#include <simdjson.h>

#include "index/document_check.h"

namespace tim {

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kText: return "text";
    case FieldType::kKeyword: return "keyword";
    case FieldType::kNumber: return "number";
    case FieldType::kDate: return "date";
  }
  return "unknown";
}

bool ParseFieldType(std::string_view name, FieldType* out) {
  for (FieldType t :
       {FieldType::kText, FieldType::kKeyword, FieldType::kNumber, FieldType::kDate}) {
    if (name == FieldTypeName(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

Status ParseSchemaJson(std::string_view json, Schema* out) {
  out->clear();
  const auto fail = [](const std::string& why) {
    return Status::InvalidArgument("schema: " + why);
  };
  const auto json_error = [&](simdjson::error_code e) {
    return fail(std::string("invalid JSON: ") + simdjson::error_message(e));
  };
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto e = parser.parse(json.data(), json.size()).get(root); e) return json_error(e);
  simdjson::dom::object top;
  if (root.get(top) != simdjson::SUCCESS) return fail("expected an object {\"fields\": {...}}");
  simdjson::dom::object fields;
  bool have_fields = false;
  for (auto [key, value] : top) {
    if (key != "fields")
      return fail("unknown member \"" + std::string(key) + "\" (expected \"fields\")");
    if (value.get(fields) != simdjson::SUCCESS) {
      return fail("\"fields\" must be an object of field names and types");
    }
    have_fields = true;
  }
  if (!have_fields) return fail("no \"fields\" member");
  for (auto [key, value] : fields) {
    const std::string name(key);
    TIM_RETURN_IF_ERROR(index::CheckFieldName(name));
    std::string_view type_name;
    FieldType type;
    if (value.get(type_name) != simdjson::SUCCESS || !ParseFieldType(type_name, &type)) {
      return fail("field " + index::Quote(name) +
                  ": the type must be \"text\", \"keyword\", \"number\" or \"date\"");
    }
    for (const auto& [other, t] : *out) {
      if (other == name) return fail("field " + index::Quote(name) + " is named twice");
    }
    out->emplace_back(name, type);
  }
  return Status::OK();
}

}  // namespace tim
