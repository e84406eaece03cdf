// tim index, stats, verify, merge, delete and get, run as a user would.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "test_util.h"
#include "tim/index.h"

namespace {

using tim::testing::TempDir;
using tim::testing::WriteTextFile;

using TimRun = tim::testing::CommandResult;

// Runs the built tim with `args`; standard error joins standard output.
TimRun Tim(const std::string& args, const std::string& stdin_file = "") {
  std::string cmd = std::string(TIM_BINARY) + " " + args + " 2>&1";
  if (!stdin_file.empty()) cmd += " < " + stdin_file;
  return tim::testing::RunCommand(cmd);
}

bool Has(const TimRun& r, const std::string& needle) {
  return r.out.find(needle) != std::string::npos;
}

TEST(CliIndex, FolderOfTextFilesThenStatsVerifyGet) {
  TempDir dir;
  WriteTextFile(dir.Sub("news/a.txt"), "Hà Nội đón khách\nThủ đô ngàn năm văn hiến.\n");
  WriteTextFile(dir.Sub("news/sub/b.txt"), "ĐÀ NẴNG\nThành phố đáng sống.");
  WriteTextFile(dir.Sub("news/skip.md"), "not indexed");
  const std::string idx = dir.Sub("idx");
  TimRun r = Tim("index " + idx + " " + dir.Sub("news"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r, "indexed 2 documents")) << r.out;

  r = Tim("stats --json " + idx);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r, "\"docs\":2,")) << r.out;
  EXPECT_TRUE(Has(r, "\"fields\":[\"title\",\"body\"]")) << r.out;
  EXPECT_TRUE(Has(r, "\"postings\":")) << r.out;
  r = Tim("stats " + idx);
  EXPECT_TRUE(Has(r, "stored documents")) << r.out;

  r = Tim("verify " + idx);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r, "ok: commit 1, 2 documents")) << r.out;

  r = Tim("get " + idx + " sub/b.txt");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            "{\"id\":\"sub/b.txt\",\"title\":\"ĐÀ NẴNG\",\"body\":\"Thành phố đáng sống.\"}\n");
  EXPECT_EQ(Tim("get " + idx + " nope.txt").exit_code, 3);
}

TEST(CliIndex, BrokenJsonLinesAreReportedWithFileAndLine) {
  TempDir dir;
  const std::string jsonl = dir.Sub("docs.jsonl");
  WriteTextFile(
      jsonl,
      "{\"id\":\"1\",\"title\":\"Hoà bình\",\"body\":\"thuỷ lợi\"}\n"
      "{\"id\":\"2\",\"title\": \n"
      "\n"
      "{\"id\":\"3\",\"title\":\"bad \\udc00 surrogate\"}\n"
      "{\"id\":\"4\",\"title\":\"Quốc gia\",\"body\":\"giữa người\",\"tags\":\"khuơ\"}\n");
  const std::string idx = dir.Sub("idx");
  TimRun r = Tim("index --quiet " + idx + " " + jsonl);
  ASSERT_EQ(r.exit_code, 3) << r.out;  // committed, but lines were skipped
  EXPECT_TRUE(Has(r, jsonl + ":2: invalid JSON: unterminated object: '}' missing")) << r.out;
  EXPECT_TRUE(Has(r, "(skipped)")) << r.out;
  r = Tim("stats --json " + idx);
  EXPECT_TRUE(Has(r, "\"docs\":2,")) << r.out;
  EXPECT_TRUE(Has(r, "\"tags\"")) << r.out;  // any other string member is a field

  // Fatal with --on-error=fail: nothing of this run is committed.
  const std::string more = dir.Sub("more.jsonl");
  WriteTextFile(more, "{\"id\":\"5\",\"title\":\"mới\"}\n{broken\n");
  r = Tim("index --quiet --on-error=fail " + idx + " " + more);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Has(r, more + ":2: ")) << r.out;
  EXPECT_TRUE(Has(r, "the index keeps its last commit")) << r.out;
  EXPECT_TRUE(Has(Tim("stats --json " + idx), "\"docs\":2,"));
}

TEST(CliIndex, UnknownFlagsAndCommandsAreUsageErrorsWithTheClosestName) {
  TempDir dir;
  TimRun r = Tim("index --thread 2 " + dir.Sub("idx") + " x.jsonl");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(Has(r, "tim index has no flag --thread; did you mean --threads?")) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("idx")));  // nothing was done
  r = Tim("serch " + dir.Sub("idx") + " 'hà nội'");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(Has(r, "'serch' is not a tim command; did you mean 'tim search'?")) << r.out;
  r = Tim("search --jsn " + dir.Sub("idx") + " x");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(Has(r, "did you mean --json?")) << r.out;
  r = Tim("index");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(Has(r, "index_dir is required")) << r.out;
  r = Tim("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(Has(r, "Exit status:")) << r.out;
  EXPECT_TRUE(Has(r, "3  partly done")) << r.out;
}

TEST(CliIndex, SameIdReplacesDeleteAndMerge) {
  TempDir dir;
  const std::string idx = dir.Sub("idx");
  WriteTextFile(dir.Sub("v1.jsonl"),
                "{\"id\":\"x\",\"title\":\"cũ\"}\n{\"id\":\"y\",\"title\":\"khác\"}\n");
  WriteTextFile(dir.Sub("v2.jsonl"), "{\"id\":\"x\",\"title\":\"mới\"}\n");
  ASSERT_EQ(Tim("index --quiet --threads 1 " + idx + " " + dir.Sub("v1.jsonl")).exit_code, 0);
  ASSERT_EQ(Tim("index --quiet " + idx + " -", dir.Sub("v2.jsonl")).exit_code, 0);  // stdin
  TimRun r = Tim("get " + idx + " x");
  EXPECT_TRUE(Has(r, "\"title\":\"mới\"")) << r.out;
  EXPECT_TRUE(Has(Tim("stats --json " + idx), "\"docs\":2,\"deleted_docs\":1,"));

  r = Tim("delete " + idx + " y");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r, "deleted 1 of 1")) << r.out;
  EXPECT_EQ(Tim("delete " + idx + " never-there").exit_code, 3);
  EXPECT_EQ(Tim("get " + idx + " y").exit_code, 3);

  r = Tim("merge " + idx + " --max-segments 1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = Tim("stats --json " + idx);
  EXPECT_TRUE(Has(r, "\"docs\":1,\"deleted_docs\":0,\"segments\":1,")) << r.out;
  EXPECT_EQ(Tim("verify " + idx).exit_code, 0);
}

TEST(CliIndex, VerifyNamesTheDamagedFile) {
  TempDir dir;
  const std::string idx = dir.Sub("idx");
  WriteTextFile(dir.Sub("d.jsonl"), "{\"id\":\"1\",\"title\":\"Huế\",\"body\":\"cố đô\"}\n");
  ASSERT_EQ(Tim("index --quiet --threads 1 " + idx + " " + dir.Sub("d.jsonl")).exit_code, 0);
  const std::string doc = idx + "/seg_00000001.pos";
  std::string bytes;
  {
    std::ifstream in(doc, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 20u);
  bytes[10] = static_cast<char>(bytes[10] ^ 1);
  std::ofstream(doc, std::ios::binary | std::ios::trunc) << bytes;
  const TimRun r = Tim("verify " + idx);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Has(r, "DAMAGED: Corruption: seg_00000001.pos: checksum mismatch")) << r.out;
}

TEST(CliIndex, BadInputsAndMissingIndex) {
  TempDir dir;
  EXPECT_EQ(Tim("index " + dir.Sub("idx") + " " + dir.Sub("missing.jsonl")).exit_code, 1);
  WriteTextFile(dir.Sub("x.csv"), "a,b");
  const TimRun r = Tim("index " + dir.Sub("idx") + " " + dir.Sub("x.csv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r, "not a .txt, .jsonl, .jsonl.zst file or a folder")) << r.out;
  EXPECT_EQ(Tim("stats " + dir.Sub("nothing")).exit_code, 1);
  EXPECT_EQ(Tim("verify " + dir.Sub("nothing")).exit_code, 1);
  EXPECT_EQ(Tim("merge " + dir.Sub("nothing")).exit_code, 1);
}

}  // namespace

namespace {

// One process commits again and again while another opens readers: every
// reader opens (retrying when a commit removes the files it chose) and sees
// a whole commit, never fewer documents than an earlier one saw.
// A writer of this process holds the index: writers of another process
// (tim index, merge, delete) get a clear lock error and change nothing.
TEST(CliIndex, ASecondProcessCannotWriteWhileAWriterIsOpen) {
  TempDir dir;
  const std::string idx = dir.Sub("idx");
  WriteTextFile(dir.Sub("more.jsonl"), "{\"id\":\"b\",\"title\":\"Quy Nhơn\",\"body\":\"biển\"}\n");
  std::unique_ptr<tim::IndexWriter> writer;
  ASSERT_TRUE(tim::IndexWriter::Open(idx, tim::IndexOptions(), &writer).ok());
  ASSERT_TRUE(writer->AddDocument({"a", {{"title", "Đà Lạt"}, {"body", "sương mù"}}}).ok());
  ASSERT_TRUE(writer->Commit().ok());
  const std::string before = Tim("stats --json " + idx).out;
  for (const std::string& command :
       {"index " + idx + " " + dir.Sub("more.jsonl"), "merge " + idx, "delete " + idx + " a"}) {
    SCOPED_TRACE(command);
    const TimRun r = Tim(command);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_TRUE(Has(r, "LOCK")) << r.out;
    EXPECT_TRUE(Has(r, "Busy")) << r.out;
  }
  EXPECT_EQ(Tim("stats --json " + idx).out, before);
  EXPECT_TRUE(Has(Tim("get " + idx + " a"), "Đà Lạt"));
  EXPECT_FALSE(Has(Tim("get " + idx + " b"), "Quy Nhơn"));
  // Once this process lets go, the other one writes.
  writer.reset();
  EXPECT_EQ(Tim("index --quiet " + idx + " " + dir.Sub("more.jsonl")).exit_code, 0);
  EXPECT_TRUE(Has(Tim("get " + idx + " b"), "Quy Nhơn"));
  EXPECT_EQ(Tim("verify " + idx).exit_code, 0);
}

TEST(CliIndex, ReadersInAnotherProcessWhileTheWriterCommits) {
  TempDir dir;
  const std::string idx = dir.Sub("idx");
  for (int i = 0; i < 12; ++i) {
    WriteTextFile(dir.Sub("batch" + std::to_string(i) + ".jsonl"),
                  "{\"id\":\"a" + std::to_string(i) + "\",\"title\":\"Hà Nội " + std::to_string(i) +
                      "\",\"body\":\"thủ đô\"}\n{\"id\":\"b" + std::to_string(i) +
                      "\",\"title\":\"Đà Nẵng\"}\n");
  }
  ASSERT_EQ(Tim("index --quiet " + idx + " " + dir.Sub("batch0.jsonl")).exit_code, 0);
  // The writer: eleven more commits, in the background.
  const std::string writer = "for i in 1 2 3 4 5 6 7 8 9 10 11; do " + std::string(TIM_BINARY) +
                             " index --quiet --threads 1 " + idx + " " + dir.Sub("batch") +
                             "$i.jsonl || exit 1; done; touch " + dir.Sub("done");
  ASSERT_EQ(tim::testing::RunCommand("(" + writer + ") > /dev/null 2>&1 &").exit_code, 0);
  long last = 0;
  int reads = 0;
  while (!std::filesystem::exists(dir.Sub("done")) && reads < 2000) {
    const TimRun r = Tim("get " + idx + " a0");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const TimRun st = Tim("stats --json " + idx);
    ASSERT_EQ(st.exit_code, 0) << st.out;
    const std::size_t at = st.out.find("\"docs\":");
    ASSERT_NE(at, std::string::npos) << st.out;
    const long docs = std::stol(st.out.substr(at + 7));
    EXPECT_EQ(docs % 2, 0) << "half a commit seen: " << st.out;
    EXPECT_GE(docs, last);
    last = docs;
    ++reads;
  }
  for (int i = 0; i < 100 && !std::filesystem::exists(dir.Sub("done")); ++i) {
    tim::testing::RunCommand("sleep 0.1");
  }
  ASSERT_TRUE(std::filesystem::exists(dir.Sub("done")));
  EXPECT_GT(reads, 0);
  std::printf("%d reads while the writer committed\n", reads);
  EXPECT_TRUE(Has(Tim("stats --json " + idx), "\"docs\":24,"));
  EXPECT_EQ(Tim("verify " + idx).exit_code, 0);
}

}  // namespace
