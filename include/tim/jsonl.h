// Reading documents from JSON Lines: one JSON object per line, as `tim
// index` takes them. A file whose name ends in ".zst" is decompressed on
// the fly; "-" is standard input.
//
//   {"id": "vn-1", "title": "Hà Nội", "body": "Thủ đô ..."}
//
// "id" is a string or an integer; every other member whose value is a
// string becomes a field, in input order; members of other types (numbers,
// null, arrays, objects) are skipped, except that a member naming a typed
// field (set_schema) also takes a number, as written, and an array of
// strings and numbers, each element a value: {"price": 120000, "tags":
// ["bóng đá", "V-League"]}. Blank lines are skipped.
//
// A JsonlReader is used by one thread at a time.

#ifndef TIM_JSONL_H_
#define TIM_JSONL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tim/document.h"
#include "tim/export.h"
#include "tim/schema.h"
#include "tim/status.h"

namespace tim {

// Parses one JSON object into *out. Returns OK, or InvalidArgument saying
// what is wrong (broken JSON, no "id", a bad id); the message names no file
// or line, so the caller adds them.
TIM_EXPORT Status ParseJsonDocument(std::string_view json, Document* out);
// The same, reading the members of `schema`'s typed fields as they take values.
TIM_EXPORT Status ParseJsonDocument(std::string_view json, const Schema& schema, Document* out);

class TIM_EXPORT JsonlReader {
 public:
  // Opens `path`. Returns OK, or IOError naming the path and the reason
  // ("No such file or directory").
  static Status Open(const std::string& path, std::unique_ptr<JsonlReader>* out);
  ~JsonlReader();
  JsonlReader(const JsonlReader&) = delete;
  JsonlReader& operator=(const JsonlReader&) = delete;

  // Members naming a typed field of `schema` take numbers and arrays too
  // (see above). Call before the first Next().
  void set_schema(const Schema& schema);

  // Reads the next document into *doc; *done is true (and *doc untouched)
  // at the end of the input. Returns OK; InvalidArgument for a line that is
  // not a document, naming "path:line" (reading may go on with the next
  // line); IOError or Corruption (a damaged .zst) when the input cannot be
  // read, after which every call returns that error.
  Status Next(Document* doc, bool* done);

  // The 1-based line of the document (or error) Next returned last.
  std::uint64_t line_number() const;
  // Bytes read from the file so far (compressed bytes for .zst).
  std::uint64_t bytes_read() const;

 private:
  struct Rep;  // opaque
  explicit JsonlReader(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace tim

#endif  // TIM_JSONL_H_
