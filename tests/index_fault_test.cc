// Damage and failure: every file kind truncated or with a flipped byte, a
// file of another format version, and I/O failing or the machine crashing
// at every step of a commit. The rule under test: an error naming the file,
// never a crash, and nothing committed is ever lost.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "codec/file_format.h"
#include "codec/varint.h"
#include "fault_file_system.h"
#include "index/language_model.h"
#include "index/segment.h"
#include "index/snapshot.h"
#include "index_test_util.h"
#include "store/doc_store.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using testing::DocGenerator;
using testing::TempDir;

// An index of two segments, one of them with deletions, so that every file
// kind exists.
void BuildIndex(const std::string& dir) {
  IndexOptions options;
  options.threads = 1;
  options.store_block_bytes = 1024;
  std::unique_ptr<IndexWriter> writer;
  ASSERT_TRUE(IndexWriter::Open(dir, options, &writer).ok());
  DocGenerator gen(5);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(writer->AddDocument(gen.Make(std::to_string(i))).ok());
  ASSERT_TRUE(writer->Commit().ok());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(writer->AddDocument(gen.Make(std::to_string(i))).ok());
  ASSERT_TRUE(writer->Commit().ok());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The files of the newest commit, one per kind (by extension / prefix).
std::map<std::string, std::string> OneFilePerKind(const std::string& dir) {
  std::map<std::string, std::string> kinds;
  std::vector<std::string> manifests;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("manifest-", 0) == 0) {
      manifests.push_back(name);
    } else if (name.rfind("seg_", 0) == 0) {
      kinds[e.path().extension().string()] = name;
    }
  }
  std::sort(manifests.begin(), manifests.end());
  kinds["manifest"] = manifests.back();
  return kinds;
}

// Reads every posting, position and stored document, ignoring errors: on a
// damaged index this must end (with errors) and never crash.
void WalkEverything(const IndexReader& reader) {
  for (const internal::SegmentView& seg : internal::SnapshotOf(reader).segments) {
    const index::SegmentReader& r = *seg.reader;
    store::StoredDoc stored;
    for (std::uint32_t d = 0; d < r.doc_count(); ++d) (void)r.store().Get(d, &stored);
    index::SegmentReader::TermIterator it(&r);
    index::PostingsCursor cursor;
    std::vector<std::uint32_t> positions;
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      if (!r.OpenCursor(it.key(), it.info(), &cursor).ok()) continue;
      for (; cursor.doc() != index::kNoMoreDocs; cursor.Next()) {
        ASSERT_LT(cursor.doc(), r.doc_count());
        if (index::HasPositions(it.parts().kind)) {
          (void)cursor.Positions(&positions);
        }
      }
    }
  }
}

// Opening (checksums on) or verifying must fail, naming the file.
void ExpectDamageFound(const std::string& dir, const std::string& file) {
  std::unique_ptr<IndexReader> reader;
  Status s = IndexReader::Open(dir, ReaderOptions(), &reader);
  if (s.ok()) s = reader->Verify();
  EXPECT_FALSE(s.ok()) << file;
  EXPECT_NE(s.message().find(file.substr(0, file.find('.'))), std::string::npos)
      << file << ": " << s.ToString();
  // Without checksums the open may succeed, but Verify() still finds it
  // and nothing crashes on the way.
  ReaderOptions fast;
  fast.verify_checksums = false;
  if (IndexReader::Open(dir, fast, &reader).ok()) {
    Document d;
    for (int i = 0; i < 60; ++i) (void)reader->GetDocument(std::to_string(i), &d);
    WalkEverything(*reader);
    EXPECT_FALSE(reader->Verify().ok()) << file;
  }
}

TEST(IndexDamage, EveryFileKindTruncatedOrFlippedIsAnErrorNeverACrash) {
  TempDir dir;
  BuildIndex(dir.Sub("index"));
  const std::map<std::string, std::string> kinds = OneFilePerKind(dir.Sub("index"));
  for (const char* kind : {".seg", ".tim", ".doc", ".pos", ".nrm", ".sto", ".ids", ".lm", ".did",
                           ".del", "manifest"}) {
    ASSERT_EQ(kinds.count(kind), 1u) << "no " << kind << " file";
  }
  for (const auto& [kind, file] : kinds) {
    const std::string original = testing::ReadTextFile(dir.Sub("index/" + file));
    for (const std::size_t cut :
         {std::size_t{0}, std::size_t{7}, original.size() / 2, original.size() - 1}) {
      SCOPED_TRACE(file + " truncated to " + std::to_string(cut));
      WriteAll(dir.Sub("index/" + file), original.substr(0, cut));
      ExpectDamageFound(dir.Sub("index"), file);
    }
    for (const std::size_t at :
         {std::size_t{9}, original.size() / 3, original.size() / 2, original.size() - 13}) {
      SCOPED_TRACE(file + " byte flipped at " + std::to_string(at));
      std::string damaged = original;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
      WriteAll(dir.Sub("index/" + file), damaged);
      ExpectDamageFound(dir.Sub("index"), file);
    }
    WriteAll(dir.Sub("index/" + file), original);
  }
  std::unique_ptr<IndexReader> reader;
  ASSERT_TRUE(IndexReader::Open(dir.Sub("index"), ReaderOptions(), &reader).ok());
  EXPECT_TRUE(reader->Verify().ok());
}

// Flips the bits of `mask` in the byte at `at`, in place (a writer that has
// the file mapped sees the change, as it would see bit rot).
void FlipInPlace(const std::string& path, std::size_t at, char mask) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(at));
  f.put(static_cast<char>(c ^ mask));
}

bool Names(const Status& s, const std::string& file) {
  return s.message().find(file) != std::string::npos;
}

// Reads every block of every sorted table (terms, ids, language model) and
// every id by document of every segment; returns the first error.
Status ReadEveryTable(const IndexReader& reader) {
  for (const internal::SegmentView& seg : internal::SnapshotOf(reader).segments) {
    const index::SegmentReader& r = *seg.reader;
    index::SegmentReader::TermIterator terms(&r);
    for (terms.SeekToFirst(); terms.Valid(); terms.Next()) {
    }
    if (!terms.status().ok()) return terms.status();
    for (const index::SortedTable* table : {&r.id_table(), &r.language_model().table()}) {
      index::SortedTable::Iterator it(table);
      for (it.SeekToFirst(); it.Valid(); it.Next()) {
      }
      if (!it.status().ok()) return it.status();
    }
    std::string id;
    for (std::uint32_t d = 0; d < r.doc_count(); ++d) {
      const Status s = r.DocId(d, &id);
      if (!s.ok()) return s;
    }
  }
  return Status::OK();
}

// Damage is caught where it is cheap to catch, and never served or copied.
// One bit flipped at a time, at 16 offsets of each file kind:
// - opened as `tim search` opens (no whole-file checksums), the small files
//   (.seg, manifest, .del) fail to open, naming the file; a sorted table
//   (.tim, .ids, .lm) and the ids by document (.did) fail to open or fail
//   the first read of the damaged block (a checksum per block), naming the
//   file;
// - a stored document comes back exactly as added or as Corruption naming
//   the .sto file (each block's own checksum), never changed;
// - a merge by a writer opened before the damage fails naming the file, for
//   every segment file kind, and the last commit stays whole.
TEST(IndexDamage, CheapChecksCatchDamageBeforeItIsServedOrMerged) {
  TempDir dir;
  const std::string index = dir.Sub("index");
  BuildIndex(index);
  std::map<std::string, Document> originals;
  {
    std::unique_ptr<IndexReader> reader;
    ASSERT_TRUE(IndexReader::Open(index, ReaderOptions(), &reader).ok());
    for (int i = 0; i < 60; ++i) {
      ASSERT_TRUE(reader->GetDocument(std::to_string(i), &originals[std::to_string(i)]).ok());
    }
  }
  ReaderOptions fast;
  fast.verify_checksums = false;
  for (const auto& [kind, file] : OneFilePerKind(index)) {
    const std::string path = index + "/" + file;
    const std::size_t size = fs::file_size(path);
    const bool bulk = kind == ".doc" || kind == ".pos" || kind == ".sto" || kind == ".nrm";
    const bool by_block = kind == ".tim" || kind == ".ids" || kind == ".lm" || kind == ".did";
    for (int k = 0; k < 16; ++k) {
      const std::size_t at = size * (2 * k + 1) / 32;
      const char mask = static_cast<char>(1 << (k % 8));
      SCOPED_TRACE(file + " bit " + std::to_string(k % 8) + " of byte " + std::to_string(at));
      FlipInPlace(path, at, mask);
      std::unique_ptr<IndexReader> reader;
      const Status open = IndexReader::Open(index, fast, &reader);
      if (!bulk && !by_block) {
        EXPECT_TRUE(open.IsCorruption()) << open.ToString();
        EXPECT_TRUE(Names(open, file)) << open.ToString();
      }
      // (A flip in the whole-file checksum of a sorted table damages no
      // data: only Verify(), below, notices it.)
      const bool in_file_checksum = at >= size - 12 && at < size - 4;
      if (by_block && !in_file_checksum) {
        const Status read = open.ok() ? ReadEveryTable(*reader) : open;
        EXPECT_TRUE(read.IsCorruption()) << read.ToString();
        EXPECT_TRUE(Names(read, file)) << read.ToString();
      }
      if (open.ok()) {
        for (const auto& [id, want] : originals) {
          Document got;
          const Status get = reader->GetDocument(id, &got);
          if (get.ok()) {
            EXPECT_EQ(got.fields, want.fields) << id;
          } else {
            EXPECT_TRUE(get.IsCorruption()) << get.ToString();
            if (kind == ".sto") {
              EXPECT_TRUE(Names(get, file)) << get.ToString();
            }
          }
        }
        EXPECT_FALSE(reader->Verify().ok());
      }
      reader.reset();
      FlipInPlace(path, at, mask);  // restored
      if (kind == "manifest" || kind == ".del" || k % 4 != 0) continue;
      // A merge reads every byte of its sources: a writer that opened the
      // index before the damage must not copy it into a new segment.
      std::unique_ptr<IndexWriter> writer;
      IndexOptions options;
      options.threads = 1;
      ASSERT_TRUE(IndexWriter::Open(index, options, &writer).ok());
      FlipInPlace(path, at, mask);
      const Status merged = writer->ForceMerge(1);
      EXPECT_TRUE(merged.IsCorruption()) << merged.ToString();
      EXPECT_TRUE(Names(merged, file)) << merged.ToString();
      writer.reset();
      FlipInPlace(path, at, mask);
      ASSERT_TRUE(IndexReader::Open(index, ReaderOptions(), &reader).ok());
      EXPECT_EQ(reader->num_docs(), 60u);
      EXPECT_TRUE(reader->Verify().ok());
    }
  }
}

TEST(IndexDamage, AnotherFormatVersionIsRefusedByName) {
  // Version 2 (before the language model) and a version from the future,
  // in a segment file and in the manifest.
  for (const char* kind : {".tim", "manifest"}) {
    for (const char version : {char{2}, static_cast<char>(codec::kFormatVersion + 1)}) {
      TempDir dir;
      BuildIndex(dir.Sub("index"));
      const std::string file = OneFilePerKind(dir.Sub("index"))[kind];
      ASSERT_FALSE(file.empty()) << kind;
      std::string bytes = testing::ReadTextFile(dir.Sub("index/" + file));
      bytes[4] = version;  // little-endian fixed32 at offset 4
      // A file another tim wrote checks out.
      std::string sum;
      codec::PutFixed64(&sum,
                        codec::Checksum(std::string_view(bytes).substr(0, bytes.size() - 12)));
      bytes.replace(bytes.size() - 12, 8, sum);
      WriteAll(dir.Sub("index/" + file), bytes);
      std::unique_ptr<IndexReader> reader;
      const Status s = IndexReader::Open(dir.Sub("index"), ReaderOptions(), &reader);
      EXPECT_TRUE(s.IsNotSupported()) << s.ToString();
      const std::string want = file + ": format version " + std::to_string(version) +
                               ", this build reads versions 3 to " +
                               std::to_string(codec::kFormatVersion) + " (an index of " +
                               (version == 2 ? "an older tim: build it again" : "a newer tim");
      EXPECT_NE(s.message().find(want), std::string::npos) << s.ToString();
    }
  }
}

// tests/data/index_v4: the sample corpus (corpus/) as a version 4 build
// of tim indexed it (`tim index DIR corpus --threads 1`, commit e04bf9f).
// Versions 3 and 4 differ only in that version 4 postings blocks may have
// exceptions, so the same files relabelled 3 are a version 3 index.
TEST(IndexDamage, VersionThreeAndFourIndexesAreStillReadAndUpdated) {
  for (const char version : {4, 3}) {
    SCOPED_TRACE("version " + std::to_string(version));
    TempDir dir;
    const std::string index = dir.Sub("index");
    fs::create_directories(index);
    for (const auto& entry : fs::directory_iterator(std::string(TIM_TEST_DATA) + "/index_v4")) {
      std::string bytes = testing::ReadTextFile(entry.path().string());
      ASSERT_EQ(bytes[4], 4) << entry.path();
      bytes[4] = version;
      std::string sum;
      codec::PutFixed64(&sum,
                        codec::Checksum(std::string_view(bytes).substr(0, bytes.size() - 12)));
      bytes.replace(bytes.size() - 12, 8, sum);
      WriteAll(index + "/" + entry.path().filename().string(), bytes);
    }
    std::unique_ptr<IndexReader> reader;
    ASSERT_TRUE(IndexReader::Open(index, ReaderOptions(), &reader).ok());
    EXPECT_TRUE(reader->Verify().ok());
    EXPECT_EQ(reader->num_docs(), 5u);
    Document doc;
    ASSERT_TRUE(reader->GetDocument("001_e93e4d1366500a3a.txt", &doc).ok());
    EXPECT_NE(doc.Field("body").find("Hàn Quốc"), std::string_view::npos);
    // Their ids come from the id map (no .did before version 6).
    {
      std::unique_ptr<Searcher> searcher;
      ASSERT_TRUE(Searcher::Open(reader.get(), RankingOptions(), &searcher).ok());
      SearchResults results;
      ASSERT_TRUE(searcher->Search("\"Hàn Quốc\"", SearchOptions(), &results).ok());
      ASSERT_FALSE(results.hits.empty());
      for (const Hit& hit : results.hits) {
        Document found;
        ASSERT_TRUE(reader->GetDocument(hit.id, &found).ok()) << hit.id;
        EXPECT_NE((std::string(found.Field("title")) + " " + std::string(found.Field("body")))
                      .find("Hàn Quốc"),
                  std::string::npos)
            << hit.id;
      }
    }
    // A writer adds a version 6 segment beside the old one, then merges both.
    {
      std::unique_ptr<IndexWriter> writer;
      ASSERT_TRUE(IndexWriter::Open(index, IndexOptions(), &writer).ok());
      Document added;
      added.id = "moi";
      added.fields = {{"title", "Đà Nẵng"}, {"body", "Thành phố Đà Nẵng mùa mưa bão."}};
      ASSERT_TRUE(writer->AddDocument(added).ok());
      ASSERT_TRUE(writer->Commit().ok());
      ASSERT_TRUE(IndexReader::Open(index, ReaderOptions(), &reader).ok());
      EXPECT_TRUE(reader->Verify().ok());
      EXPECT_EQ(reader->num_docs(), 6u);
      ASSERT_TRUE(writer->ForceMerge(1).ok());
    }
    ASSERT_TRUE(IndexReader::Open(index, ReaderOptions(), &reader).ok());
    EXPECT_TRUE(reader->Verify().ok());
    EXPECT_EQ(reader->num_docs(), 6u);
    ASSERT_TRUE(reader->GetDocument("001_e93e4d1366500a3a.txt", &doc).ok());
    EXPECT_NE(doc.Field("body").find("Hàn Quốc"), std::string_view::npos);
  }
}

TEST(IndexDamage, ANonIndexFileWhereAManifestShouldBe) {
  TempDir dir;
  BuildIndex(dir.Sub("index"));
  // Names that only look like manifests (too large a number, too few
  // digits) are not ours and are ignored...
  WriteAll(dir.Sub("index/manifest-99999999999999999999"), "hello");
  WriteAll(dir.Sub("index/manifest-12"), "not ours");
  std::unique_ptr<IndexReader> reader;
  Status s = IndexReader::Open(dir.Sub("index"), ReaderOptions(), &reader);
  EXPECT_TRUE(s.ok()) << s.ToString();
  // ...but a damaged newest manifest is an error, not a silent step back.
  WriteAll(dir.Sub("index/manifest-00000000000000000099"), "hello");
  s = IndexReader::Open(dir.Sub("index"), ReaderOptions(), &reader);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find("manifest-00000000000000000099"), std::string::npos);
}

// A one-thread writer on `index` whose every file operation goes through `fs`.
void OpenWriter(const std::string& index, FileSystem* fs, std::unique_ptr<IndexWriter>* writer) {
  IndexOptions options;
  options.file_system = fs;
  options.threads = 1;
  const Status s = IndexWriter::Open(index, options, writer);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// The number of live documents a fresh reader sees, or -1 when it cannot open.
long LiveDocs(const std::string& dir) {
  std::unique_ptr<IndexReader> reader;
  if (!IndexReader::Open(dir, ReaderOptions(), &reader).ok()) return -1;
  if (!reader->Verify().ok()) return -2;
  return static_cast<long>(reader->num_docs());
}

// Runs a commit of 10 new documents and 5 deletions through a file system
// that fails (or crashes, or fails every fsync) at mutating operation n, for
// every n until the commit goes through before the fault. Each run starts
// from a copy of the same index. Afterwards a fresh reader must see either
// the old commit or the new one, whole and verified.
void FailEveryStep(bool crash, bool fail_syncs) {
  TempDir dir;
  const std::string base = dir.Sub("base");
  BuildIndex(base);
  const long before = LiveDocs(base);
  ASSERT_EQ(before, 60);
  const long after = before + 10 - 5;
  for (int n = 1; n < 2000; ++n) {
    SCOPED_TRACE("failing at mutating operation " + std::to_string(n));
    const std::string index = dir.Sub("run");
    fs::remove_all(index);
    fs::copy(base, index, fs::copy_options::recursive);
    testing::FaultFileSystem faulty(FileSystem::Default());
    std::unique_ptr<IndexWriter> writer;
    ASSERT_NO_FATAL_FAILURE(OpenWriter(index, &faulty, &writer));
    const int ops_before = faulty.mutating_ops();
    if (fail_syncs) {
      faulty.FailSyncs(true);
    } else {
      faulty.FailAfter(n);
    }
    DocGenerator gen(9);
    Status s;
    for (int i = 0; i < 10 && s.ok(); ++i) {
      s = writer->AddDocument(gen.Make("new" + std::to_string(i)));
    }
    for (int i = 0; i < 5 && s.ok(); ++i) s = writer->DeleteDocument(std::to_string(i));
    if (s.ok()) s = writer->Commit();
    const bool fault_reached = fail_syncs || faulty.mutating_ops() - ops_before >= n;
    writer.reset();
    if (crash) {
      ASSERT_TRUE(faulty.SimulateCrash().ok());
    }
    const long live = LiveDocs(index);
    if (s.ok()) {
      EXPECT_EQ(live, after);
    } else {
      EXPECT_TRUE(live == before || live == after) << live << " documents after " << s.ToString();
      // Whatever the error, a new writer can go on from there.
      std::unique_ptr<IndexWriter> again;
      const Status reopen = IndexWriter::Open(index, IndexOptions(), &again);
      EXPECT_TRUE(reopen.ok()) << reopen.ToString();
    }
    if (fail_syncs) {
      EXPECT_FALSE(s.ok());
      return;
    }
    if (!fault_reached) {
      EXPECT_TRUE(s.ok());
      // Every step of a commit was failed once: there are dozens.
      EXPECT_GT(n, 30);
      std::printf("commit survived failures at each of its %d mutating operations\n", n - 1);
      return;
    }
  }
  FAIL() << "the commit never completed";
}

TEST(IndexFaults, IoErrorAtEveryStepKeepsTheLastCommit) { FailEveryStep(false, false); }
TEST(IndexFaults, CrashAtEveryStepLeavesOneWholeCommit) { FailEveryStep(true, false); }
TEST(IndexFaults, FailedFsyncNeverReportsSuccess) { FailEveryStep(false, true); }

TEST(IndexFaults, FullDiskIsAnErrorAndTheWriterStaysBroken) {
  TempDir dir;
  const std::string index = dir.Sub("index");
  BuildIndex(index);
  testing::FaultFileSystem faulty(FileSystem::Default());
  std::unique_ptr<IndexWriter> writer;
  ASSERT_NO_FATAL_FAILURE(OpenWriter(index, &faulty, &writer));
  faulty.SetSpaceLimit(faulty.appended_bytes() + 3000);
  DocGenerator gen(1);
  Status s;
  for (int i = 0; i < 50 && s.ok(); ++i) s = writer->AddDocument(gen.Make("x" + std::to_string(i)));
  if (s.ok()) s = writer->Commit();
  ASSERT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
  // Sticky: the writer refuses more work with the same error.
  EXPECT_EQ(writer->AddDocument(gen.Make("y")).ToString(), s.ToString());
  EXPECT_EQ(writer->Commit().ToString(), s.ToString());
  writer.reset();
  EXPECT_EQ(LiveDocs(index), 60);
}

}  // namespace
}  // namespace tim

namespace tim {
namespace {

// A segment written whole and consistent, checksums and all, but with a
// flaw only Verify() can see (a writer bug): Verify names the file and
// what is wrong.
Status VerifyWrittenSegment(const std::vector<std::string>& stored,
                            const std::vector<std::pair<std::string, std::uint32_t>>& ids) {
  testing::TempDir dir;
  FileSystem* fs = FileSystem::Default();
  const std::string name = index::SegmentName(1);
  index::SegmentWriter writer;
  TIM_RETURN_IF_ERROR(writer.Open(fs, dir.path(), name, store::StoreOptions()));
  for (const std::string& doc : stored) TIM_RETURN_IF_ERROR(writer.AddStored(doc));
  for (std::size_t d = 0; d < stored.size(); ++d) {
    TIM_RETURN_IF_ERROR(writer.AddDocId("tài-liệu-" + std::to_string(d)));
  }
  for (const auto& [id, doc] : ids) TIM_RETURN_IF_ERROR(writer.AddId(id, doc));
  index::LanguageModelBuilder model;
  TIM_RETURN_IF_ERROR(model.Write(writer.lm_file()));
  index::SegmentInfo info;
  info.doc_count = static_cast<std::uint32_t>(stored.size());
  TIM_RETURN_IF_ERROR(writer.Finish(info, {}));
  std::shared_ptr<const index::SegmentReader> reader;
  TIM_RETURN_IF_ERROR(index::SegmentReader::Open(fs, dir.path(), name, true, &reader));
  return reader->Verify();
}

std::string Stored(const std::string& id) {
  std::string out;
  store::SerializeDoc(id, {{0, "Hà Nội"}}, &out);
  return out;
}

TEST(IndexDamage, VerifyFindsWhatAWriterBugLeavesBehindConsistentChecksums) {
  // Sound: two documents stored with the ids the maps give them.
  EXPECT_TRUE(VerifyWrittenSegment({Stored("tài-liệu-0"), Stored("tài-liệu-1")},
                                   {{"tài-liệu-0", 0}, {"tài-liệu-1", 1}})
                  .ok());
  // A stored document that does not parse.
  Status s = VerifyWrittenSegment({Stored("tài-liệu-0"), std::string("\xFF\xFF\xFF", 3)},
                                  {{"tài-liệu-0", 0}, {"tài-liệu-1", 1}});
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("seg_00000001.sto: bad document in block"), std::string::npos)
      << s.ToString();
  // The id map pointing an id at a document stored with another.
  s = VerifyWrittenSegment({Stored("tài-liệu-0"), Stored("tài-liệu-1")},
                           {{"tài-liệu-0", 1}, {"tài-liệu-1", 0}});
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("seg_00000001.ids"), std::string::npos) << s.ToString();
  // The id map pointing past the segment's documents.
  s = VerifyWrittenSegment({Stored("tài-liệu-0")}, {{"tài-liệu-0", 7}});
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("seg_00000001.ids"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace tim
