#include "util/jsonl_doc.h"

#include "tim/document.h"

#include <simdjson.h>

namespace tim {

std::string_view JsonDoc::Field(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return {};
}

struct JsonDocParser::Impl {
  simdjson::ondemand::parser parser;
  std::string padded;
};

JsonDocParser::JsonDocParser() : impl_(std::make_unique<Impl>()) {}
JsonDocParser::~JsonDocParser() = default;

namespace {

// What is structurally wrong with a line that does not parse, in words a
// person fixing the file can act on ("unterminated object: '}' missing");
// empty when the brackets and strings balance (then the parser's own
// message says more).
std::string Diagnose(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
  if (i == line.size()) return "empty line";
  if (line[i] != '{') {
    return "expected a JSON object (a line starting with '{'), found '" + std::string(1, line[i]) +
           "' at column " + std::to_string(i + 1);
  }
  std::string open;  // the brackets still open, innermost last
  std::size_t string_start = 0;
  bool in_string = false;
  for (; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      string_start = i;
    } else if (c == '{' || c == '[') {
      open.push_back(c);
    } else if (c == '}' || c == ']') {
      if (open.empty() || (open.back() == '{') != (c == '}')) {
        return std::string("unexpected '") + c + "' at column " + std::to_string(i + 1);
      }
      open.pop_back();
    }
  }
  if (in_string) {
    return "unterminated string: the '\"' at column " + std::to_string(string_start + 1) +
           " is never closed";
  }
  if (!open.empty()) {
    return open.back() == '{' ? "unterminated object: '}' missing at the end of the line"
                              : "unterminated array: ']' missing at the end of the line";
  }
  return "";
}

}  // namespace

bool JsonDocParser::IsValueField(std::string_view name) const {
  for (const std::string& f : value_fields_) {
    if (f == name) return true;
  }
  return false;
}

Status JsonDocParser::Parse(std::string_view line, JsonDoc* doc) {
  const Status s = ParseObject(line, doc);
  if (s.ok()) return s;
  const std::string why = Diagnose(line);
  return why.empty() ? s : Status::InvalidArgument("invalid JSON: " + why);
}

Status JsonDocParser::ParseObject(std::string_view line, JsonDoc* doc) {
  using simdjson::ondemand::json_type;
  doc->id.clear();
  doc->fields.clear();
  std::string& padded = impl_->padded;
  padded.reserve(line.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(line);
  simdjson::padded_string_view input(padded.data(), padded.size(), padded.capacity());
  auto fail = [](simdjson::error_code e) {
    return Status::InvalidArgument(std::string("invalid JSON: ") + simdjson::error_message(e));
  };
  simdjson::ondemand::document d;
  if (auto e = impl_->parser.iterate(input).get(d); e) return fail(e);
  simdjson::ondemand::object obj;
  if (auto e = d.get_object().get(obj); e) return fail(e);
  bool have_id = false;
  for (auto member : obj) {
    std::string_view key;
    if (auto e = member.unescaped_key().get(key); e) return fail(e);
    simdjson::ondemand::value value;
    if (auto e = member.value().get(value); e) return fail(e);
    json_type type;
    if (auto e = value.type().get(type); e) return fail(e);
    if (key == "id") {
      if (type == json_type::string) {
        std::string_view s;
        if (auto e = value.get_string().get(s); e) return fail(e);
        doc->id.assign(s);
      } else if (type == json_type::number) {
        std::string_view raw = value.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
        doc->id.assign(raw);
      } else {
        return Status::InvalidArgument("\"id\" must be a string or a number");
      }
      have_id = true;
    } else if (type == json_type::string) {
      std::string_view s;
      if (auto e = value.get_string().get(s); e) return fail(e);
      doc->fields.emplace_back(std::string(key), std::string(s));
    } else if ((type == json_type::number || type == json_type::array) && IsValueField(key)) {
      const std::string name(key);
      const auto number = [&](simdjson::ondemand::value v) {
        std::string_view raw = v.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                                raw.back() == '\r' || raw.back() == ',' || raw.back() == ']')) {
          raw.remove_suffix(1);
        }
        doc->fields.emplace_back(name, std::string(raw));
      };
      if (type == json_type::number) {
        number(value);
        continue;
      }
      simdjson::ondemand::array items;
      if (auto e = value.get_array().get(items); e) return fail(e);
      for (auto item : items) {
        simdjson::ondemand::value v;
        if (auto e = item.get(v); e) return fail(e);
        json_type t;
        if (auto e = v.type().get(t); e) return fail(e);
        if (t == json_type::string) {
          std::string_view s;
          if (auto e = v.get_string().get(s); e) return fail(e);
          doc->fields.emplace_back(name, std::string(s));
        } else if (t == json_type::number) {
          number(v);
        } else if (t != json_type::null) {
          return Status::InvalidArgument("\"" + name +
                                         "\": an array of values holds only strings and numbers");
        }
      }
    }
    // Values of other types are skipped by the iteration itself.
  }
  // current_location() fails with OUT_OF_BOUNDS exactly when all was read.
  if (d.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return Status::InvalidArgument("trailing characters after the JSON object");
  }
  if (!have_id) return Status::InvalidArgument("missing \"id\"");
  if (doc->id.empty() || doc->id.size() > kMaxIdBytes) {
    return Status::InvalidArgument("\"id\" must be 1 to " + std::to_string(kMaxIdBytes) +
                                   " bytes, got " + std::to_string(doc->id.size()));
  }
  return Status::OK();
}

}  // namespace tim
