// Limits and hostile input (docs/limits.md): each gets a clear error or a
// sane result, in bounded time and memory, and loses nothing committed.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fault_file_system.h"
#include "test_util.h"
#include "tim/index.h"
#include "tim/query.h"
#include "tim/search.h"

namespace tim {
namespace {

using testing::TempDir;

// Vietnamese text of about `bytes` bytes.
std::string Text(std::size_t bytes) {
  static const char* const kWords[] = {"người", "Hà",   "Nội", "quốc", "gia",   "thuở",
                                       "Đà",    "Nẵng", "giữ", "nước", "khuya", "trường"};
  std::string out;
  for (std::size_t i = 0; out.size() < bytes; ++i) {
    out += kWords[(i * 7 + i / 3) % 12];
    out += ' ';
  }
  std::size_t cut = bytes;  // on a character, then spaces up to `bytes`
  while ((static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  out.resize(bytes, ' ');
  return out;
}

// An index of three documents, committed, and a writer on it.
class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Sub("idx");
    ASSERT_TRUE(IndexWriter::Open(path_, IndexOptions(), &writer_).ok());
    for (const char* id : {"a", "b", "c"}) {
      ASSERT_TRUE(writer_->AddDocument({id, {{"title", "Hà Nội"}, {"body", Text(300)}}}).ok());
    }
    ASSERT_TRUE(writer_->Commit().ok());
  }

  // The committed state as a string: live count, fields, every document.
  std::string Committed() {
    std::unique_ptr<IndexReader> reader;
    EXPECT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
    if (reader == nullptr) return "";
    IndexStats stats;
    EXPECT_TRUE(reader->GetStats(&stats).ok());
    std::string out = std::to_string(reader->num_docs());
    for (const std::string& f : stats.fields) out += "|" + f;
    return out;
  }

  // Refused with InvalidArgument whose message holds `says`; the writer goes
  // on and the refused document left no trace.
  void ExpectRefused(const Document& doc, const std::string& says) {
    const std::string before = Committed();
    const Status s = writer_->AddDocument(doc);
    ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_NE(s.message().find(says), std::string::npos) << s.ToString();
    EXPECT_LT(s.message().size(), 400u) << "a message quotes at most a prefix";
    ASSERT_TRUE(writer_->AddDocument({"after", {{"body", "người Hà Nội"}}}).ok());
    ASSERT_TRUE(writer_->Commit().ok());
    const std::string after = Committed();
    EXPECT_EQ(after.substr(after.find('|')), before.substr(before.find('|')))
        << "the refused document's field names stayed";
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<IndexWriter> writer_;
};

TEST_F(LimitsTest, AHundredMegabyteDocumentIsRefusedByNameBeforeItIsRead) {
  // The size counted is the id's, the field names' and the texts'.
  ExpectRefused({"sách", {{"body", Text(100 << 20)}}},
                "document \"sách\": " + std::to_string(5 + 4 + (100 << 20)) +
                    " bytes, more than max_document_bytes (16777216)");
}

TEST_F(LimitsTest, ADocumentUnderTheLimitIsIndexedWhole) {
  const std::string text = Text(3 << 20) + " Đà Lạt";
  ASSERT_TRUE(writer_->AddDocument({"lớn", {{"body", text}}}).ok());
  ASSERT_TRUE(writer_->Commit().ok());
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
  Document doc;
  ASSERT_TRUE(reader->GetDocument("lớn", &doc).ok());
  EXPECT_EQ(doc.Field("body"), text);
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
  SearchResults results;
  ASSERT_TRUE(searcher->Search("\"đà lạt\"", SearchOptions(), &results).ok());
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].id, "lớn");
}

TEST_F(LimitsTest, MaxDocumentBytesPastOneGibibyteIsRefusedAtOpen) {
  writer_.reset();
  IndexOptions options;
  options.max_document_bytes = std::size_t{2} << 30;
  std::unique_ptr<IndexWriter> writer;
  const Status s = IndexWriter::Open(path_, options, &writer);
  ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.message().find("max_document_bytes"), std::string::npos);
}

TEST_F(LimitsTest, AOneMegabyteTokenIsCutAndItsDocumentFound) {
  // One "word" of a million letters, between two ordinary ones.
  std::string giant;
  for (int i = 0; i < (1 << 20) / 2; ++i) giant += "ư";  // two bytes each
  ASSERT_TRUE(writer_->AddDocument({"dài", {{"body", "khởi đầu " + giant + " kết thúc"}}}).ok());
  ASSERT_TRUE(writer_->Commit().ok());
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
  ASSERT_TRUE(reader->Verify().ok());
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
  SearchResults results;
  // The words around it, and the giant itself typed in full: its form is
  // cut at max_token_bytes (64) in the index and in the query alike.
  for (const std::string& q : {std::string("kết thúc"), std::string("khởi đầu"), giant}) {
    ASSERT_TRUE(searcher->Search(q, SearchOptions(), &results).ok());
    ASSERT_EQ(results.hits.size(), 1u) << q.substr(0, 20);
    EXPECT_EQ(results.hits[0].id, "dài");
  }
  IndexStats stats;
  ASSERT_TRUE(reader->GetStats(&stats).ok());
  EXPECT_LT(stats.total_bytes, 4u << 20) << "the token is not stored in every form";
}

TEST_F(LimitsTest, AHundredThousandFieldsAreRefusedWithoutTakingAFieldName) {
  Document doc{"nhiều", {}};
  for (int i = 0; i < 100000; ++i) doc.fields.emplace_back("f" + std::to_string(i), "gì");
  ExpectRefused(doc, "document \"nhiều\": 100000 new field names, and the index has 2 of the 255");
}

TEST_F(LimitsTest, TheLastFieldNameSlotsCanBeFilledButNotPassed) {
  Document doc{"đủ", {}};
  for (int i = 0; i < 253; ++i) doc.fields.emplace_back("f" + std::to_string(i), "gì");
  ASSERT_TRUE(writer_->AddDocument(doc).ok());
  ASSERT_TRUE(writer_->Commit().ok());
  ExpectRefused({"thừa", {{"một nữa", "quá"}}}, "1 new field names, and the index has 255");
}

TEST_F(LimitsTest, AFieldNameOf64KilobytesIsRefused) {
  ExpectRefused({"tên", {{std::string(64 << 10, 'q'), "quê hương"}}},
                "document \"tên\": field 1's name is 65536 bytes; field names are 1 to 255 bytes");
}

TEST_F(LimitsTest, AOneMegabyteIdIsRefused) {
  ExpectRefused({std::string(1 << 20, 'x'), {{"body", "gì"}}},
                "document id must be 1 to 1024 bytes, got 1048576");
}

TEST_F(LimitsTest, InvalidUtf8IsRefusedWhereItIs) {
  ExpectRefused({"id\xC3", {{"body", "gì"}}}, "id: invalid UTF-8 at byte 2");
  ExpectRefused({"tên",
                 {{"title", "Hà"},
                  {"bo\xFF"
                   "dy",
                   "gì"}}},
                "document \"tên\": field 2's name: invalid UTF-8 at byte 2");
  ExpectRefused({"tên", {{"body", "người \xED\xA0\x80"}}},  // a surrogate
                "document \"tên\" field body: invalid UTF-8 at byte 9");
  // A long id is quoted by its first 64 bytes.
  ExpectRefused({std::string(1000, 'i'), {{"body", "\xC0\xAF"}}},
                "document \"" + std::string(64, 'i') + "...\" (1000 bytes) field body");
}

TEST_F(LimitsTest, NulBytesInIdsFieldNamesAndTextsAreKept) {
  static const char kId[] = "Đà\0Nẵng", kField[] = "ti\0tle", kText[] = "Hà\0Nội người";
  const std::string id(kId, sizeof kId - 1), field(kField, sizeof kField - 1),
      text(kText, sizeof kText - 1);
  const Status added = writer_->AddDocument({id, {{field, text}}});
  ASSERT_TRUE(added.ok()) << added.ToString();
  ASSERT_TRUE(writer_->Commit().ok());
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
  ASSERT_TRUE(reader->Verify().ok());
  Document doc;
  ASSERT_TRUE(reader->GetDocument(id, &doc).ok());
  ASSERT_EQ(doc.fields.size(), 1u);
  EXPECT_EQ(doc.fields[0].first, field);
  EXPECT_EQ(doc.fields[0].second, text);
  EXPECT_TRUE(reader->GetDocument("Đà", &doc).IsNotFound()) << "the id is not cut at the NUL";
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
  SearchResults results;
  ASSERT_TRUE(searcher->Search("nội", SearchOptions(), &results).ok());
  bool found = false;
  for (const Hit& hit : results.hits) found = found || hit.id == id;
  EXPECT_TRUE(found) << "a NUL separates words";
}

TEST_F(LimitsTest, AbsurdQueriesAreBounded) {
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
  std::string words, nested, nul("Hà\0Nội", 8);
  for (int i = 0; i < 10000; ++i) words += (i % 2 ? "người " : "quốc ");
  for (int i = 0; i < 1000; ++i) nested += "(";
  nested += "Hà Nội";
  for (int i = 0; i < 1000; ++i) nested += ")";
  const std::string invalid = "H\xC3 N\xFFi";
  for (const std::string& q :
       {words, nested, std::string("*"), std::string("h*"), std::string("đ*"),
        std::string("title:*"), nul, invalid, std::string(1 << 20, 'a')}) {
    SearchResults results;
    const Status s = searcher->Search(q, SearchOptions(), &results);
    EXPECT_TRUE(s.ok() || s.IsInvalidArgument()) << q.substr(0, 20) << ": " << s.ToString();
    EXPECT_LE(results.hits.size(), 10u);
  }
  // The long query keeps its first words, and says so.
  SearchResults results;
  ASSERT_TRUE(searcher->Search(words, SearchOptions(), &results).ok());
  EXPECT_EQ(results.hits.size(), 3u);
  EXPECT_FALSE(results.notes.empty());
  // Nested parentheses still find what they hold.
  ASSERT_TRUE(searcher->Search(nested, SearchOptions(), &results).ok());
  EXPECT_EQ(results.hits.size(), 3u);
}

TEST_F(LimitsTest, QueryObjectsPastTheirLimitsAreRefusedByName) {
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
  auto nested = [](int depth) {
    Query q = Query::Word("Hà Nội");
    for (int i = 0; i < depth; ++i) q = Query::And({q});
    return q;
  };
  auto wide = [](int words) {
    std::vector<Query> clauses;
    for (int i = 0; i < words; ++i) clauses.push_back(Query::Word(i % 2 ? "người" : "quốc"));
    return Query::Or(std::move(clauses));
  };
  SearchResults results;
  // At the limits: searched.
  EXPECT_TRUE(searcher->Search(nested(32), SearchOptions(), &results).ok());
  EXPECT_EQ(results.hits.size(), 3u);
  EXPECT_TRUE(searcher->Search(wide(1024), SearchOptions(), &results).ok());
  // Past them: refused, saying which.
  Status s = searcher->Search(nested(33), SearchOptions(), &results);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("nested deeper than 32"), std::string::npos) << s.ToString();
  s = searcher->Search(wide(1025), SearchOptions(), &results);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("more than 1024 words and phrases"), std::string::npos)
      << s.ToString();
}

// A file system whose every change fails as on a read-only mount (root
// ignores permission bits, so chmod cannot make one in a test).
class ReadOnlyFileSystem : public FileSystem {
 public:
  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>*) override {
    return Fail(path);
  }
  Status MapFile(const std::string& path, std::unique_ptr<MappedFile>* out) override {
    return base_->MapFile(path, out);
  }
  Status Rename(const std::string& from, const std::string&) override { return Fail(from); }
  Status RemoveFile(const std::string& path) override { return Fail(path); }
  Status CreateDir(const std::string& path) override { return Fail(path); }
  Status ListDir(const std::string& dir, std::vector<std::string>* names) override {
    return base_->ListDir(dir, names);
  }
  Status SyncDir(const std::string& dir) override { return Fail(dir); }
  Status FileSize(const std::string& path, std::uint64_t* size) override {
    return base_->FileSize(path, size);
  }
  Status LockFile(const std::string& path, std::unique_ptr<FileLock>*) override {
    return Fail(path);
  }

 private:
  static Status Fail(const std::string& path) {
    return Status::IOError(path + ": Read-only file system");
  }
  FileSystem* base_ = FileSystem::Default();
};

TEST_F(LimitsTest, AReadOnlyIndexIsSearchedButNotWritten) {
  writer_.reset();
  const std::string before = Committed();
  ReadOnlyFileSystem read_only;
  ReaderOptions reader_options;
  reader_options.file_system = &read_only;
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(path_, reader_options, &reader).ok());
  EXPECT_TRUE(reader->Verify().ok());
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
  SearchResults results;
  ASSERT_TRUE(searcher->Search("hà nội", SearchOptions(), &results).ok());
  EXPECT_EQ(results.hits.size(), 3u);

  IndexOptions options;
  options.file_system = &read_only;
  std::unique_ptr<IndexWriter> writer;
  const Status s = IndexWriter::Open(path_, options, &writer);
  ASSERT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("Read-only file system"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find(path_), std::string::npos) << s.ToString();
  EXPECT_EQ(Committed(), before);
}

TEST_F(LimitsTest, ADiskThatFillsDuringAMergeKeepsTheLastCommit) {
  // Several segments (a policy that never merges them), then a merge with
  // room for only part of its output.
  writer_.reset();
  IndexOptions no_merges;
  no_merges.merge_factor = 1000;
  ASSERT_TRUE(IndexWriter::Open(path_, no_merges, &writer_).ok());
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 20; ++i) {
      const std::string id = "r" + std::to_string(round) + "_" + std::to_string(i);
      ASSERT_TRUE(writer_->AddDocument({id, {{"body", Text(2000 + i)}}}).ok());
    }
    ASSERT_TRUE(writer_->Commit().ok());
  }
  writer_.reset();
  const std::string before = Committed();
  {
    std::unique_ptr<IndexReader> reader;
    ASSERT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
    IndexStats stats;
    ASSERT_TRUE(reader->GetStats(&stats).ok());
    ASSERT_GE(stats.segments, 5u);
  }
  testing::FaultFileSystem faulty(FileSystem::Default());
  IndexOptions options;
  options.file_system = &faulty;
  std::unique_ptr<IndexWriter> writer;
  ASSERT_TRUE(IndexWriter::Open(path_, options, &writer).ok());
  faulty.SetSpaceLimit(faulty.appended_bytes() + 500);
  const Status s = writer->ForceMerge(1);
  ASSERT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
  writer.reset();
  EXPECT_EQ(Committed(), before);
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(path_, ReaderOptions(), &reader).ok());
  EXPECT_TRUE(reader->Verify().ok());
  // With room again, the merge goes through.
  ASSERT_TRUE(IndexWriter::Open(path_, IndexOptions(), &writer).ok());
  ASSERT_TRUE(writer->ForceMerge(1).ok());
  EXPECT_EQ(Committed(), before);
}

}  // namespace
}  // namespace tim
