// Parses one JSONL line into a document: a string "id" and string fields.

#ifndef TIM_UTIL_JSONL_DOC_H_
#define TIM_UTIL_JSONL_DOC_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/status.h"

namespace tim {

struct JsonDoc {
  std::string id;
  // Every other member whose value is a string, in input order.
  std::vector<std::pair<std::string, std::string>> fields;

  // The value of field `name`, or "" when absent.
  std::string_view Field(std::string_view name) const;
};

// Reuse one parser for many lines: it keeps its buffers.
class JsonDocParser {
 public:
  JsonDocParser();
  ~JsonDocParser();
  JsonDocParser(const JsonDocParser&) = delete;
  JsonDocParser& operator=(const JsonDocParser&) = delete;

  // Parses a JSON object. The message of an error says what is wrong, without
  // file or line: the caller adds them. "id" must be a string or an integer.
  // Members whose value is not a string (numbers, null, arrays) are skipped.
  Status Parse(std::string_view line, JsonDoc* doc);
  // Members with these names (typed fields) also take numbers, as written,
  // and arrays of strings and numbers, each element a value of its own;
  // null is no value.
  void set_value_fields(std::vector<std::string> names) { value_fields_ = std::move(names); }

 private:
  Status ParseObject(std::string_view line, JsonDoc* doc);
  bool IsValueField(std::string_view name) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> value_fields_;
};

}  // namespace tim

#endif  // TIM_UTIL_JSONL_DOC_H_
