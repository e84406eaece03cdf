// Status, UTF-8 decoding, the line reader and the JSONL document parser.

#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "tim/jsonl.h"
#include "tim/status.h"
#include "util/jsonl_doc.h"
#include "util/line_reader.h"
#include "util/utf8.h"

namespace tim {
namespace {

TEST(Status, OkAndErrors) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(Status::OK().ToString(), "OK");
  const Status s = Status::Corruption("seg_1.post: bad checksum");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "Corruption: seg_1.post: bad checksum");
  const Status copy = s;
  EXPECT_EQ(copy.ToString(), s.ToString());
  EXPECT_EQ(s.WithContext("index").message(), "index: seg_1.post: bad checksum");
  EXPECT_TRUE(Status::InvalidArgument("x").IsInvalidArgument());
  EXPECT_TRUE(Status::Busy("locked").IsBusy());
}

std::size_t DecodeAll(const std::string& s, int* invalid) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  std::size_t cps = 0;
  *invalid = 0;
  while (p < end) {
    char32_t cp;
    bool valid;
    p += utf8::Decode(p, end, &cp, &valid);
    *invalid += !valid;
    ++cps;
  }
  return cps;
}

TEST(Utf8, MaximalSubparts) {
  int invalid;
  EXPECT_EQ(DecodeAll("Việt", &invalid), 4u);
  EXPECT_EQ(invalid, 0);
  // The examples of Unicode 15 Table 3-8: each byte below is one U+FFFD,
  // except the truncated E1 80 which is one maximal subpart.
  EXPECT_EQ(DecodeAll("\xc0\xaf\xe0\x80\xbf\xf0\x81\x82\x41", &invalid), 9u);
  EXPECT_EQ(invalid, 8);
  EXPECT_EQ(DecodeAll("\xed\xa0\x80\xed\xbf\xbf\xed\xaf\x41", &invalid), 9u);
  EXPECT_EQ(invalid, 8);
  EXPECT_EQ(DecodeAll("\xf4\x91\x92\x93\xff\x41\x80\xbf\x42", &invalid), 9u);
  EXPECT_EQ(invalid, 7);
  EXPECT_EQ(DecodeAll("\xe1\x80\xe2\xf0\x91\x92\xf1\xbf\x41", &invalid), 5u);
  EXPECT_EQ(invalid, 4);
}

TEST(Utf8, FirstInvalidIsTheStartOfTheBadSequence) {
  EXPECT_EQ(utf8::FirstInvalid("Hà Nội"), std::string_view("Hà Nội").size());
  EXPECT_EQ(utf8::FirstInvalid(""), 0u);
  EXPECT_EQ(utf8::FirstInvalid("ab\xff"), 2u);
  // A truncated three-byte sequence (the start of "ệ") before ASCII: the
  // offset is its first byte, not its last.
  EXPECT_EQ(utf8::FirstInvalid("vi\xe1\xbbt"), 2u);
  EXPECT_EQ(utf8::FirstInvalid("đ\xed\xa0\x80"), 2u);  // a surrogate
}

TEST(Utf8, BoundaryAtOrBefore) {
  const std::string s = "aệb";  // ệ is 3 bytes at 1..3
  EXPECT_EQ(utf8::BoundaryAtOrBefore(s.data(), s.size(), 2), 1u);
  EXPECT_EQ(utf8::BoundaryAtOrBefore(s.data(), s.size(), 4), 4u);
  EXPECT_EQ(utf8::BoundaryAtOrBefore(s.data(), s.size(), 99), s.size());
}

class TempFile {
 public:
  explicit TempFile(const std::string& suffix) {
    char tmpl[] = "/tmp/tim_test_XXXXXX";
    const int fd = mkstemp(tmpl);
    close(fd);
    std::remove(tmpl);
    path_ = std::string(tmpl) + suffix;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  void Write(const std::string& bytes) const { std::ofstream(path_, std::ios::binary) << bytes; }

 private:
  std::string path_;
};

std::vector<std::string> ReadLines(const std::string& path, Status* status) {
  std::unique_ptr<LineReader> r;
  *status = LineReader::Open(path, &r);
  std::vector<std::string> lines;
  if (!status->ok()) return lines;
  std::string_view line;
  while (r->Next(&line)) lines.emplace_back(line);
  *status = r->status();
  return lines;
}

TEST(LineReader, PlainAndZstdFiles) {
  const std::string text = "một\r\nhai\n\nba";  // CRLF, an empty line, no final newline
  TempFile plain(".jsonl");
  plain.Write(text);
  Status s;
  EXPECT_EQ(ReadLines(plain.path(), &s), (std::vector<std::string>{"một", "hai", "", "ba"}));
  EXPECT_TRUE(s.ok());

  std::string compressed(ZSTD_compressBound(text.size()), '\0');
  compressed.resize(
      ZSTD_compress(compressed.data(), compressed.size(), text.data(), text.size(), 3));
  TempFile zst(".jsonl.zst");
  zst.Write(compressed);
  EXPECT_EQ(ReadLines(zst.path(), &s), (std::vector<std::string>{"một", "hai", "", "ba"}));
  EXPECT_TRUE(s.ok());

  // A truncated stream is reported, not taken for the end of the file.
  TempFile cut(".zst");
  cut.Write(compressed.substr(0, compressed.size() - 3));
  ReadLines(cut.path(), &s);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find(cut.path()), std::string::npos);

  ReadLines("/nonexistent/corpus.jsonl", &s);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(s.message().find("/nonexistent/corpus.jsonl"), std::string::npos);
}

// The public JSONL reader: documents in order, blank lines skipped, a bad
// line named by path and line without ending the file, a damaged .zst
// stops it.
TEST(JsonlReader, DocumentsBadLinesAndDamage) {
  const std::string text =
      "{\"id\": \"a\", \"title\": \"Đà Nẵng\", \"views\": 3, \"body\": \"Thuở ấy\"}\n"
      "\n"
      "{\"id\": \"b\", \"body\": \"giá\"\n"  // broken JSON
      "{\"title\": \"no id\"}\n"
      "{\"id\": 42, \"body\": \"qu\u1ed1c\"}\n";
  TempFile file(".jsonl");
  file.Write(text);
  std::unique_ptr<JsonlReader> reader;
  ASSERT_TRUE(JsonlReader::Open(file.path(), &reader).ok());
  Document doc;
  bool done = false;
  ASSERT_TRUE(reader->Next(&doc, &done).ok());
  EXPECT_FALSE(done);
  EXPECT_EQ(doc.id, "a");
  EXPECT_EQ(doc.fields, (std::vector<std::pair<std::string, std::string>>{{"title", "Đà Nẵng"},
                                                                          {"body", "Thuở ấy"}}));
  for (int line : {3, 4}) {
    const Status s = reader->Next(&doc, &done);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_EQ(s.message().rfind(file.path() + ":" + std::to_string(line) + ": ", 0), 0u)
        << s.message();
  }
  ASSERT_TRUE(reader->Next(&doc, &done).ok());
  EXPECT_EQ(doc.id, "42");
  EXPECT_EQ(doc.Field("body"), "quốc");
  ASSERT_TRUE(reader->Next(&doc, &done).ok());
  EXPECT_TRUE(done);

  std::string compressed(ZSTD_compressBound(text.size()), '\0');
  compressed.resize(
      ZSTD_compress(compressed.data(), compressed.size(), text.data(), text.size(), 3));
  TempFile cut(".jsonl.zst");
  cut.Write(compressed.substr(0, compressed.size() - 4));
  ASSERT_TRUE(JsonlReader::Open(cut.path(), &reader).ok());
  Status s;
  done = false;
  for (int i = 0; i < 10 && (s.ok() || s.IsInvalidArgument()) && !done; ++i) {
    done = false;
    s = reader->Next(&doc, &done);
  }
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_TRUE(JsonlReader::Open("/nonexistent/x.jsonl", &reader).IsIOError());
  // One object alone.
  EXPECT_TRUE(ParseJsonDocument("{\"id\": \"x\", \"body\": \"Đường\"}", &doc).ok());
  EXPECT_EQ(doc.Field("body"), "Đường");
  EXPECT_TRUE(ParseJsonDocument("[1, 2]", &doc).IsInvalidArgument());
  // Ids are 1 to kMaxIdBytes bytes, as IndexWriter takes them (found by
  // fuzz_jsonl: an empty id was read as a document).
  for (const std::string& id : {std::string(), std::string(kMaxIdBytes + 1, 'a')}) {
    const Status bad = ParseJsonDocument("{\"id\": \"" + id + "\", \"body\": \"Hà Nội\"}", &doc);
    EXPECT_TRUE(bad.IsInvalidArgument()) << id.size();
    EXPECT_NE(
        bad.message().find("\"id\" must be 1 to 1024 bytes, got " + std::to_string(id.size())),
        std::string::npos)
        << bad.ToString();
  }
  EXPECT_TRUE(ParseJsonDocument("{\"id\": \"" + std::string(kMaxIdBytes, 'a') + "\"}", &doc).ok());
}

TEST(LineReader, LongLines) {
  const std::string big(3 << 20, 'x');
  TempFile f(".txt");
  f.Write("a\n" + big + "\nb\n");
  Status s;
  const auto lines = ReadLines(f.path(), &s);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), big.size());
  EXPECT_EQ(lines[2], "b");
}

TEST(JsonDoc, ParsesIdAndStringFields) {
  JsonDocParser parser;
  JsonDoc doc;
  ASSERT_TRUE(parser
                  .Parse(R"({"id":"vntc/1","title":"Hà Nội","body":"Tin \"nóng\"\nmới","n":3,)"
                         R"("tags":["a"],"source":"x"})",
                         &doc)
                  .ok());
  EXPECT_EQ(doc.id, "vntc/1");
  EXPECT_EQ(doc.Field("title"), "Hà Nội");
  EXPECT_EQ(doc.Field("body"), "Tin \"nóng\"\nmới");
  EXPECT_EQ(doc.Field("source"), "x");
  EXPECT_EQ(doc.Field("missing"), "");
  ASSERT_TRUE(parser.Parse(R"({"id": 42, "title": "x"})", &doc).ok());
  EXPECT_EQ(doc.id, "42");
}

TEST(JsonDoc, BrokenLinesGiveClearErrors) {
  JsonDocParser parser;
  JsonDoc doc;
  for (const char* bad : {R"({"id":"1","title":"x")", R"({"title":"no id"})", R"([1,2])",
                          R"({"id":true})", R"({"id":"1"} trailing)", "", "\xff"}) {
    const Status s = parser.Parse(bad, &doc);
    EXPECT_TRUE(s.IsInvalidArgument()) << bad << " -> " << s.ToString();
    EXPECT_FALSE(s.message().empty());
  }
  // What is wrong, where, in words a person can act on.
  const std::pair<const char*, const char*> cases[] = {
      {R"({"id":"1","title":"Hà Nội")", "unterminated object: '}' missing"},
      {R"({"id":"1","tags":["a", "b"})", "unexpected '}' at column 27"},
      {R"({"id":"1","tags":["a")", "unterminated array: ']' missing"},
      {R"({"id":"1","title":"Hà Nội})", "unterminated string: the '\"' at column 19"},
      {R"(  "id":"1")",
       "expected a JSON object (a line starting with '{'), found '\"' at column 3"},
      {"   ", "empty line"},
  };
  for (const auto& [line, want] : cases) {
    const Status s = parser.Parse(line, &doc);
    EXPECT_NE(s.message().find(want), std::string::npos) << line << " -> " << s.ToString();
  }
}

}  // namespace
}  // namespace tim
