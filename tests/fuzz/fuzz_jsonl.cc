// The JSONL reader: any bytes as one document (ParseJsonDocument) and as a
// file of lines (JsonlReader, which also reads zstd when the name says so).
// Every document read has a 1..1024-byte UTF-8 id; every error names a line.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "fuzz/fuzz_text.h"
#include "fuzz/fuzz_util.h"
#include "tim/jsonl.h"

namespace tim::fuzz {
std::vector<std::string> Seeds() {
  std::vector<std::string> out;
  std::string all;
  for (const Document& doc : CorpusDocuments()) {
    std::string line = "{\"id\": \"" + doc.id + "\"";
    for (const auto& [field, text] : doc.fields) {
      std::string escaped;
      for (const char c : text.substr(0, 400)) {
        if (c == '"' || c == '\\') escaped.push_back('\\');
        if (c == '\n') {
          escaped += "\\n";
          continue;
        }
        escaped.push_back(c);
      }
      line += ", \"" + field + "\": \"" + escaped + "\"";
    }
    line += ", \"n\": 3, \"tags\": [\"a\", \"\\u0110\\u00e0\"]}";
    out.push_back(line);
    all += line + "\n";
  }
  out.push_back(all);
  out.push_back("{\"id\": 7, \"title\": null}\n\n{\"id\": \"x\"\n{}\r\n[1]\n\"s\"");
  return out;
}
}  // namespace tim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tim::fuzz;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto check_doc = [](const tim::Document& doc) {
    Check(!doc.id.empty() && doc.id.size() <= 1024 && IsUtf8(doc.id),
          "ids are 1..1024 UTF-8 bytes");
    for (const auto& [name, text] : doc.fields) {
      Check(IsUtf8(name) && IsUtf8(text), "fields are UTF-8");
    }
  };
  tim::Document doc;
  if (tim::ParseJsonDocument(in, &doc).ok()) check_doc(doc);

  // The same bytes as a file: one scratch file per process, removed at exit.
  struct Scratch {
    std::string path;
    Scratch() {
      char name[] = "/tmp/tim_fuzz_jsonl_XXXXXX";
      const int fd = mkstemp(name);
      Check(fd >= 0, "mkstemp");
      close(fd);
      path = name;
    }
    ~Scratch() { unlink(path.c_str()); }
  };
  static const Scratch scratch;
  const std::string& path = scratch.path;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  Check(f != nullptr, "fopen");
  std::fwrite(in.data(), 1, in.size(), f);
  std::fclose(f);
  std::unique_ptr<tim::JsonlReader> reader;
  if (!tim::JsonlReader::Open(path, &reader).ok()) return 0;
  for (int i = 0; i < 100000; ++i) {
    bool done = false;
    const tim::Status s = reader->Next(&doc, &done);
    if (done) break;
    if (s.ok()) {
      check_doc(doc);
    } else {
      Check(s.ToString().find(path) != std::string::npos, "errors name the file and line");
      if (s.code() != tim::Status::Code::kInvalidArgument) break;
    }
  }
  return 0;
}
