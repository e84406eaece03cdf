// tim::JsonlReader and ParseJsonDocument (include/tim/jsonl.h), over the
// line reader and the simdjson document parser.

#include <utility>

#include "tim/jsonl.h"
#include "util/hidden.h"
#include "util/jsonl_doc.h"
#include "util/line_reader.h"

namespace tim {

namespace {
std::vector<std::string> TypedNames(const Schema& schema) {
  std::vector<std::string> names;
  for (const auto& [name, type] : schema) {
    if (type != FieldType::kText) names.push_back(name);
  }
  return names;
}
}  // namespace

Status ParseJsonDocument(std::string_view json, Document* out) {
  return ParseJsonDocument(json, Schema(), out);
}

Status ParseJsonDocument(std::string_view json, const Schema& schema, Document* out) {
  JsonDocParser parser;
  parser.set_value_fields(TypedNames(schema));
  JsonDoc doc;
  TIM_RETURN_IF_ERROR(parser.Parse(json, &doc));
  out->id = std::move(doc.id);
  out->fields = std::move(doc.fields);
  return Status::OK();
}

struct TIM_HIDDEN JsonlReader::Rep {
  std::string name;  // for messages: the path, or "<stdin>"
  std::unique_ptr<LineReader> lines;
  JsonDocParser parser;
  JsonDoc json;
};

JsonlReader::JsonlReader(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
JsonlReader::~JsonlReader() = default;

Status JsonlReader::Open(const std::string& path, std::unique_ptr<JsonlReader>* out) {
  auto rep = std::make_unique<Rep>();
  rep->name = path == "-" ? "<stdin>" : path;
  TIM_RETURN_IF_ERROR(LineReader::Open(path, &rep->lines));
  out->reset(new JsonlReader(std::move(rep)));
  return Status::OK();
}

Status JsonlReader::Next(Document* doc, bool* done) {
  *done = false;
  std::string_view line;
  while (rep_->lines->Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const Status s = rep_->parser.Parse(line, &rep_->json);
    if (!s.ok()) {
      return Status::InvalidArgument(rep_->name + ":" + std::to_string(line_number()) + ": " +
                                     s.message());
    }
    doc->id = std::move(rep_->json.id);
    doc->fields = std::move(rep_->json.fields);
    return Status::OK();
  }
  TIM_RETURN_IF_ERROR(rep_->lines->status());
  *done = true;
  return Status::OK();
}

void JsonlReader::set_schema(const Schema& schema) {
  rep_->parser.set_value_fields(TypedNames(schema));
}

std::uint64_t JsonlReader::line_number() const { return rep_->lines->line_number(); }
std::uint64_t JsonlReader::bytes_read() const { return rep_->lines->bytes_read(); }

}  // namespace tim
