// The parts of IndexWriter alone (src/index/): the document check, which
// refuses a document before anything changes, and the build workers, which
// turn documents into segment files on their threads.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "index/build_workers.h"
#include "index/document_check.h"
#include "test_util.h"

namespace tim::testing {
namespace {

Document Doc(std::string id, std::vector<std::pair<std::string, std::string>> fields) {
  Document d;
  d.id = std::move(id);
  d.fields = std::move(fields);
  return d;
}

TEST(DocumentCheck, AcceptsVietnameseAndNamesWhatIsWrong) {
  const std::vector<std::string> known = {"title", "body"};
  EXPECT_TRUE(
      index::CheckDocument(
          Doc("qu-gi", {{"title", "Quý giá người Huế"}, {"body", "Đà Nẵng, thuở ấy"}}), known, 1000)
          .ok());
  Status s = index::CheckDocument(Doc("", {}), known, 1000);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("got 0"), std::string::npos) << s.message();
  s = index::CheckDocument(Doc(std::string(kMaxIdBytes + 1, 'x'), {}), known, 1 << 20);
  EXPECT_NE(s.message().find("got " + std::to_string(kMaxIdBytes + 1)), std::string::npos);
  // Invalid UTF-8 is named with its field and byte ("người " is 9 bytes).
  s = index::CheckDocument(Doc("đ", {{"body", "người \xC3"}}), known, 1000);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("document \"đ\" field body: invalid UTF-8 at byte 9"),
            std::string::npos)
      << s.message();
  s = index::CheckDocument(Doc("đ", {{"", "x"}}), known, 1000);
  EXPECT_NE(s.message().find("field 1's name is 0 bytes"), std::string::npos) << s.message();
  // The whole document counts: id, names and texts.
  s = index::CheckDocument(Doc("ab", {{"body", "0123456789"}}), known, 15);
  EXPECT_NE(s.message().find("16 bytes, more than max_document_bytes (15)"), std::string::npos)
      << s.message();
  // Field names: 255 at most in an index; known names cost nothing.
  std::vector<std::string> full;
  for (int i = 0; i < 254; ++i) full.push_back("f" + std::to_string(i));
  EXPECT_TRUE(index::CheckDocument(Doc("a", {{"mới", "x"}, {"f3", "y"}}), full, 1000).ok());
  s = index::CheckDocument(Doc("a", {{"mới", "x"}, {"mới nữa", "y"}}), full, 1000);
  EXPECT_NE(s.message().find("2 new field names, and the index has 254"), std::string::npos)
      << s.message();
  // A long id is quoted cut on a character, with its size.
  EXPECT_EQ(index::Quote(std::string(63, 'a') + "ư"),
            "\"" + std::string(63, 'a') + "...\" (65 bytes)");
}

// Documents through the workers, inline and on threads: every record
// flushes into a segment holding exactly its documents.
TEST(BuildWorkers, FlushEveryRecordIntoItsSegment) {
  for (const int threads : {1, 3}) {
    TempDir dir;
    Analyzer analyzer;
    index::BuildWorkers workers(&analyzer, FileSystem::Default(), dir.path(), store::StoreOptions(),
                                threads);
    EXPECT_EQ(workers.size(), static_cast<std::size_t>(threads));
    std::vector<std::shared_ptr<index::SegmentRecord>> records;
    for (int i = 0; i < 300; ++i) {
      index::BuildWorkers::Worker* w = workers.Pick();
      if (w->active == nullptr) {
        w->active = std::make_shared<index::SegmentRecord>();
        w->active->name = index::SegmentName(records.size() + 1);
        records.push_back(w->active);
      }
      index::BuildTask task;
      task.record = w->active;
      task.id = "d" + std::to_string(i);
      task.fields = {{0, "Hà Nội " + std::to_string(i)}, {1, "phố cổ, người Huế"}};
      task.title_field = 0;
      ++w->active->doc_count;
      workers.Submit(w, std::move(task));
      if (i == 100) workers.Flush(w);  // one record flushed early
    }
    workers.FlushAll();
    workers.WaitIdle();
    std::uint32_t total = 0;
    for (const auto& rec : records) {
      SCOPED_TRACE(rec->name);
      ASSERT_TRUE(rec->flush_status.ok()) << rec->flush_status.ToString();
      EXPECT_EQ(rec->state, index::SegmentRecord::State::kFlushing);
      EXPECT_EQ(rec->info.doc_count, rec->doc_count);
      std::shared_ptr<const index::SegmentReader> reader;
      ASSERT_TRUE(
          index::SegmentReader::Open(FileSystem::Default(), dir.path(), rec->name, true, &reader)
              .ok());
      EXPECT_EQ(reader->doc_count(), rec->doc_count);
      total += rec->doc_count;
    }
    EXPECT_EQ(total, 300u);
    EXPECT_GE(records.size(), 2u);  // the early flush started another
  }
}

}  // namespace
}  // namespace tim::testing
