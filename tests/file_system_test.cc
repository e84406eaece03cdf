// The POSIX file system and the fault-injecting one used by the index tests.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fault_file_system.h"
#include "tim/file_system.h"
#include "tim/status.h"

namespace tim {
namespace {

using ::tim::testing::FaultFileSystem;

::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}

// Creates `path` holding `contents`, synced or not, and closes it.
Status WriteFile(FileSystem* fs, const std::string& path, std::string_view contents, bool sync) {
  std::unique_ptr<WritableFile> file;
  TIM_RETURN_IF_ERROR(fs->NewWritableFile(path, &file));
  TIM_RETURN_IF_ERROR(file->Append(contents));
  if (sync) TIM_RETURN_IF_ERROR(file->Sync());
  return file->Close();
}

// The contents of `path`, or the error that prevented reading them.
std::string ReadFile(FileSystem* fs, const std::string& path) {
  std::unique_ptr<MappedFile> map;
  const Status s = fs->MapFile(path, &map);
  if (!s.ok()) return s.ToString();
  return std::string(map->view());
}

bool Exists(FileSystem* fs, const std::string& path) {
  std::uint64_t size;
  return fs->FileSize(path, &size).ok();
}

std::vector<std::string> SortedList(FileSystem* fs, const std::string& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(IsOk(fs->ListDir(dir, &names)));
  std::sort(names.begin(), names.end());
  return names;
}

// Each test gets a fresh directory under /tmp, removed at the end.
class FileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/tim_fs_test_XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr) << std::strerror(errno);
    dir_ = name;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  FileSystem* const fs_ = FileSystem::Default();
  std::string dir_;
};

TEST(DefaultFileSystem, IsOneObject) {
  ASSERT_NE(FileSystem::Default(), nullptr);
  EXPECT_EQ(FileSystem::Default(), FileSystem::Default());
}

TEST_F(FileSystemTest, WriteSyncCloseThenMap) {
  // Pieces that fit the 64 KiB buffer, overflow it, and bypass it.
  std::string big(200 << 10, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i * 7 % 26);
  const std::string medium(60 << 10, 'm');
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(IsOk(fs_->NewWritableFile(Path("f"), &file)));
  std::string expected;
  for (const std::string_view piece : {std::string_view("head"), std::string_view(medium),
                                       std::string_view(big), std::string_view("tail")}) {
    ASSERT_TRUE(IsOk(file->Append(piece)));
    expected += piece;
    EXPECT_EQ(file->size(), expected.size());
  }
  ASSERT_TRUE(IsOk(file->Sync()));
  ASSERT_TRUE(IsOk(file->Append("after sync")));
  expected += "after sync";
  ASSERT_TRUE(IsOk(file->Close()));

  std::uint64_t size = 0;
  ASSERT_TRUE(IsOk(fs_->FileSize(Path("f"), &size)));
  EXPECT_EQ(size, expected.size());
  EXPECT_TRUE(ReadFile(fs_, Path("f")) == expected);  // not EXPECT_EQ: 260 KiB diffs

  const Status after_close = file->Append("x");
  EXPECT_TRUE(after_close.IsIOError());
  EXPECT_EQ(after_close.message(), Path("f") + ": append: file is closed");
  EXPECT_TRUE(file->Close().IsIOError());
}

TEST_F(FileSystemTest, ManySmallAppendsKeepTheirOrder) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(IsOk(fs_->NewWritableFile(Path("f"), &file)));
  std::string expected;
  for (int i = 0; i < 50000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    ASSERT_TRUE(IsOk(file->Append(piece)));
    expected += piece;
  }
  ASSERT_TRUE(IsOk(file->Close()));
  EXPECT_TRUE(ReadFile(fs_, Path("f")) == expected);
}

TEST_F(FileSystemTest, UnclosedFileIsFlushedByItsDestructor) {
  {
    std::unique_ptr<WritableFile> file;
    ASSERT_TRUE(IsOk(fs_->NewWritableFile(Path("f"), &file)));
    ASSERT_TRUE(IsOk(file->Append("buffered")));
  }
  EXPECT_EQ(ReadFile(fs_, Path("f")), "buffered");
}

TEST_F(FileSystemTest, NewWritableFileTruncates) {
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("f"), "a longer first version", false)));
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("f"), "short", false)));
  EXPECT_EQ(ReadFile(fs_, Path("f")), "short");
}

TEST_F(FileSystemTest, WriteErrorIsReportedAndSticky) {
  // /dev/full accepts open and fails every write with ENOSPC.
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(IsOk(fs_->NewWritableFile("/dev/full", &file)));
  ASSERT_TRUE(IsOk(file->Append("buffered, not yet written")));
  const Status sync = file->Sync();
  EXPECT_TRUE(sync.IsIOError());
  EXPECT_EQ(sync.message(), std::string("/dev/full: write: ") + std::strerror(ENOSPC));
  // Later calls cannot succeed: the bytes lost in between would leave a hole.
  EXPECT_EQ(file->Append("more").message(), sync.message());
  EXPECT_EQ(file->Sync().message(), sync.message());
  EXPECT_EQ(file->Close().message(), sync.message());
}

TEST_F(FileSystemTest, MapEmptyFile) {
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("empty"), "", true)));
  std::unique_ptr<MappedFile> map;
  ASSERT_TRUE(IsOk(fs_->MapFile(Path("empty"), &map)));
  EXPECT_EQ(map->size(), 0u);
  EXPECT_NE(map->data(), nullptr);
  EXPECT_TRUE(map->view().empty());
}

TEST_F(FileSystemTest, MissingFilesAreNotFoundAndNamed) {
  const std::string missing = Path("missing");
  const std::string enoent = std::strerror(ENOENT);
  std::unique_ptr<MappedFile> map;
  Status s = fs_->MapFile(missing, &map);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), missing + ": open: " + enoent);
  EXPECT_EQ(map, nullptr);

  std::uint64_t size = 7;
  s = fs_->FileSize(missing, &size);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), missing + ": stat: " + enoent);
  EXPECT_EQ(size, 7u);

  s = fs_->RemoveFile(missing);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), missing + ": unlink: " + enoent);

  std::unique_ptr<WritableFile> file;
  s = fs_->NewWritableFile(Path("no_dir/f"), &file);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), Path("no_dir/f") + ": open: " + enoent);

  s = fs_->Rename(missing, Path("to"));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), missing + ": rename to " + Path("to") + ": " + enoent);

  std::vector<std::string> names;
  s = fs_->ListDir(missing, &names);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), missing + ": opendir: " + enoent);

  s = fs_->SyncDir(missing);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.message(), missing + ": open: " + enoent);
}

TEST_F(FileSystemTest, RemoveFile) {
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("f"), "x", false)));
  ASSERT_TRUE(IsOk(fs_->RemoveFile(Path("f"))));
  EXPECT_FALSE(Exists(fs_, Path("f")));
  EXPECT_TRUE(fs_->RemoveFile(Path("f")).IsNotFound());
}

TEST_F(FileSystemTest, RenameReplacesTarget) {
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("current"), "old", true)));
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("current.tmp"), "new", true)));
  std::unique_ptr<MappedFile> old_map;
  ASSERT_TRUE(IsOk(fs_->MapFile(Path("current"), &old_map)));

  ASSERT_TRUE(IsOk(fs_->Rename(Path("current.tmp"), Path("current"))));
  ASSERT_TRUE(IsOk(fs_->SyncDir(dir_)));
  EXPECT_EQ(ReadFile(fs_, Path("current")), "new");
  EXPECT_EQ(SortedList(fs_, dir_), std::vector<std::string>{"current"});
  // A reader's map of the replaced file stays valid, as the interface promises.
  EXPECT_EQ(old_map->view(), "old");
}

TEST_F(FileSystemTest, ListDir) {
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("b"), "", false)));
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("a"), "", false)));
  ASSERT_TRUE(IsOk(fs_->CreateDir(Path("sub"))));
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("sub/inner"), "", false)));
  std::vector<std::string> names = {"stale"};
  ASSERT_TRUE(IsOk(fs_->ListDir(dir_, &names)));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "sub"}));
}

TEST_F(FileSystemTest, CreateDirMakesParents) {
  ASSERT_TRUE(IsOk(fs_->CreateDir(Path("x/y/z"))));
  ASSERT_TRUE(IsOk(WriteFile(fs_, Path("x/y/z/f"), "deep", false)));
  EXPECT_EQ(ReadFile(fs_, Path("x/y/z/f")), "deep");
  EXPECT_TRUE(IsOk(fs_->CreateDir(Path("x/y/z"))));  // already there
  EXPECT_TRUE(IsOk(fs_->CreateDir(Path("x//y/z/"))));
  EXPECT_TRUE(IsOk(fs_->SyncDir(Path("x/y"))));

  const std::string not_dir = std::strerror(ENOTDIR);
  Status s = fs_->CreateDir(Path("x/y/z/f"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), Path("x/y/z/f") + ": mkdir: " + not_dir);
  s = fs_->CreateDir(Path("x/y/z/f/g"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), Path("x/y/z/f/g") + ": mkdir: " + not_dir);
}

TEST_F(FileSystemTest, LockFileConflictsWithinOneProcess) {
  const std::string path = Path("LOCK");
  std::unique_ptr<FileLock> first;
  ASSERT_TRUE(IsOk(fs_->LockFile(path, &first)));
  EXPECT_TRUE(Exists(fs_, path));

  std::unique_ptr<FileLock> second;
  const Status s = fs_->LockFile(path, &second);
  EXPECT_TRUE(s.IsBusy()) << s.ToString();
  EXPECT_EQ(s.message(), path + ": locked by another writer");
  EXPECT_EQ(second, nullptr);

  first.reset();
  EXPECT_TRUE(IsOk(fs_->LockFile(path, &second)));
}

class FaultFileSystemTest : public FileSystemTest {
 protected:
  FaultFileSystem fault_{FileSystem::Default()};
};

TEST_F(FaultFileSystemTest, FailAfter) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(IsOk(fault_.CreateDir(Path("sub"))));  // counted before FailAfter
  fault_.FailAfter(3);
  ASSERT_TRUE(IsOk(fault_.NewWritableFile(Path("f"), &file)));  // 1
  ASSERT_TRUE(IsOk(file->Append("x")));                         // 2
  const Status s = file->Sync();                                // 3: fails
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), Path("f") + ": sync: injected fault");
  // And so does every mutating operation after it.
  EXPECT_TRUE(file->Append("y").IsIOError());
  EXPECT_TRUE(file->Close().IsIOError());
  EXPECT_TRUE(fault_.Rename(Path("f"), Path("g")).IsIOError());
  EXPECT_TRUE(fault_.RemoveFile(Path("f")).IsIOError());
  EXPECT_TRUE(fault_.SyncDir(dir_).IsIOError());
  EXPECT_TRUE(fault_.CreateDir(Path("other")).IsIOError());
  std::unique_ptr<WritableFile> other;
  EXPECT_TRUE(fault_.NewWritableFile(Path("other"), &other).IsIOError());
  EXPECT_EQ(other, nullptr);
  EXPECT_FALSE(Exists(fs_, Path("other")));
  EXPECT_EQ(fault_.mutating_ops(), 11);
  // Reading is not mutating.
  EXPECT_TRUE(Exists(&fault_, Path("f")));
  EXPECT_EQ(SortedList(&fault_, dir_), (std::vector<std::string>{"f", "sub"}));
  std::unique_ptr<FileLock> lock;
  EXPECT_TRUE(IsOk(fault_.LockFile(Path("LOCK"), &lock)));
  EXPECT_EQ(fault_.mutating_ops(), 11);

  fault_.Reset();
  EXPECT_EQ(fault_.mutating_ops(), 0);
  EXPECT_TRUE(IsOk(fault_.Rename(Path("f"), Path("g"))));
  fault_.FailAfter(2);
  EXPECT_TRUE(IsOk(fault_.SyncDir(dir_)));
  EXPECT_TRUE(fault_.RemoveFile(Path("g")).IsIOError());
  fault_.FailAfter(0);
  EXPECT_TRUE(IsOk(fault_.RemoveFile(Path("g"))));
  EXPECT_EQ(fault_.mutating_ops(), 4);
}

TEST_F(FaultFileSystemTest, FailSyncs) {
  fault_.FailSyncs(true);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(IsOk(fault_.NewWritableFile(Path("f"), &file)));
  ASSERT_TRUE(IsOk(file->Append("data")));
  Status s = file->Sync();
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), Path("f") + ": sync: injected fsync failure");
  s = fault_.SyncDir(dir_);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), dir_ + ": fsync: injected fsync failure");
  EXPECT_TRUE(IsOk(file->Close()));
  EXPECT_TRUE(IsOk(fault_.Rename(Path("f"), Path("g"))));
  EXPECT_EQ(ReadFile(&fault_, Path("g")), "data");

  fault_.FailSyncs(false);
  EXPECT_TRUE(IsOk(fault_.SyncDir(dir_)));
}

TEST_F(FaultFileSystemTest, SpaceLimitTearsTheWriteThatCrossesIt) {
  fault_.SetSpaceLimit(10);
  std::unique_ptr<WritableFile> first;
  std::unique_ptr<WritableFile> second;
  ASSERT_TRUE(IsOk(fault_.NewWritableFile(Path("first"), &first)));
  ASSERT_TRUE(IsOk(fault_.NewWritableFile(Path("second"), &second)));
  ASSERT_TRUE(IsOk(first->Append("abcdef")));
  const Status s = second->Append("ghijklmn");
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), Path("second") + ": append: No space left on device");
  EXPECT_EQ(second->size(), 4u);
  EXPECT_TRUE(first->Append("z").IsIOError());  // the disk is full for everyone
  EXPECT_EQ(fault_.appended_bytes(), 10u);
  EXPECT_TRUE(IsOk(first->Close()));
  EXPECT_TRUE(IsOk(second->Close()));
  EXPECT_EQ(ReadFile(fs_, Path("first")), "abcdef");
  EXPECT_EQ(ReadFile(fs_, Path("second")), "ghij");

  fault_.SetSpaceLimit(std::numeric_limits<std::uint64_t>::max());
  EXPECT_TRUE(IsOk(WriteFile(&fault_, Path("third"), "room again", false)));
}

TEST_F(FaultFileSystemTest, CrashDropsUnsyncedData) {
  std::unique_ptr<WritableFile> open;
  ASSERT_TRUE(IsOk(fault_.NewWritableFile(Path("open"), &open)));
  ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("closed"), "closed, never synced", false)));
  ASSERT_TRUE(IsOk(fault_.SyncDir(dir_)));  // both names are durable, not their data
  ASSERT_TRUE(IsOk(open->Append("durable")));
  ASSERT_TRUE(IsOk(open->Sync()));
  ASSERT_TRUE(IsOk(open->Append(" lost")));
  fault_.Reset();  // clears the knobs, not what the crash must undo

  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_EQ(ReadFile(fs_, Path("open")), "durable");
  EXPECT_EQ(ReadFile(fs_, Path("closed")), "");
  // The open file died with the power.
  const Status s = open->Append("more");
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), Path("open") + ": append: file lost in a simulated crash");
  EXPECT_TRUE(open->Sync().IsIOError());
  EXPECT_TRUE(open->Close().IsIOError());
  EXPECT_EQ(ReadFile(fs_, Path("open")), "durable");

  // After the reboot the file system works, and a second crash only undoes
  // what came after the first.
  ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("later"), "later", true)));
  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_FALSE(Exists(fs_, Path("later")));
  EXPECT_EQ(SortedList(fs_, dir_), (std::vector<std::string>{"closed", "open"}));
}

TEST_F(FaultFileSystemTest, SyncedFileWithoutSyncDirDisappears) {
  ASSERT_TRUE(IsOk(fault_.CreateDir(Path("sub"))));
  ASSERT_TRUE(IsOk(fault_.CreateDir(Path("other"))));
  ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("lost"), "data", true)));
  ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("sub/lost"), "data", true)));
  ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("other/kept"), "data", true)));
  // Syncing one directory makes durable only the entries in it; a trailing
  // '/' names the same directory.
  ASSERT_TRUE(IsOk(fault_.SyncDir(Path("other/"))));
  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_EQ(SortedList(fs_, dir_), (std::vector<std::string>{"other", "sub"}));
  EXPECT_EQ(SortedList(fs_, Path("sub")), std::vector<std::string>{});
  EXPECT_EQ(SortedList(fs_, Path("other")), std::vector<std::string>{"kept"});
  EXPECT_EQ(ReadFile(fs_, Path("other/kept")), "data");
}

class CrashAfterRenameTest : public FaultFileSystemTest {
 protected:
  // A durable "current" holding "old", then "current.tmp" holding "new",
  // synced, renamed over it. `sync_tmp_creation`: SyncDir before the rename.
  void ReplaceCurrent(bool sync_tmp_creation) {
    ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("current"), "old", true)));
    ASSERT_TRUE(IsOk(fault_.SyncDir(dir_)));
    ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("current.tmp"), "new", true)));
    if (sync_tmp_creation) {
      ASSERT_TRUE(IsOk(fault_.SyncDir(dir_)));
    }
    ASSERT_TRUE(IsOk(fault_.Rename(Path("current.tmp"), Path("current"))));
    ASSERT_EQ(ReadFile(fs_, Path("current")), "new");
  }
};

TEST_F(CrashAfterRenameTest, RenameFollowedBySyncDirSurvives) {
  ASSERT_NO_FATAL_FAILURE(ReplaceCurrent(false));
  ASSERT_TRUE(IsOk(fault_.SyncDir(dir_)));
  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_EQ(ReadFile(fs_, Path("current")), "new");
  EXPECT_EQ(SortedList(fs_, dir_), std::vector<std::string>{"current"});
}

TEST_F(CrashAfterRenameTest, RenameWithoutSyncDirIsRolledBack) {
  ASSERT_NO_FATAL_FAILURE(ReplaceCurrent(true));
  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_EQ(ReadFile(fs_, Path("current")), "old");
  EXPECT_EQ(ReadFile(fs_, Path("current.tmp")), "new");
}

TEST_F(CrashAfterRenameTest, UnsyncedCreationAndRenameAreBothRolledBack) {
  ASSERT_NO_FATAL_FAILURE(ReplaceCurrent(false));
  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_EQ(ReadFile(fs_, Path("current")), "old");
  EXPECT_EQ(SortedList(fs_, dir_), std::vector<std::string>{"current"});
}

TEST_F(FaultFileSystemTest, SyncedDataFollowsARenamedOpenFile) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(IsOk(fault_.NewWritableFile(Path("tmp"), &file)));
  ASSERT_TRUE(IsOk(file->Append("abc")));
  ASSERT_TRUE(IsOk(file->Sync()));
  ASSERT_TRUE(IsOk(fault_.Rename(Path("tmp"), Path("final"))));
  ASSERT_TRUE(IsOk(fault_.SyncDir(dir_)));
  ASSERT_TRUE(IsOk(file->Append("def")));
  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_EQ(ReadFile(fs_, Path("final")), "abc");
  EXPECT_EQ(SortedList(fs_, dir_), std::vector<std::string>{"final"});
}

TEST_F(FaultFileSystemTest, RemovalWithoutSyncDirIsRolledBack) {
  ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("kept"), "kept bytes", true)));
  ASSERT_TRUE(IsOk(WriteFile(&fault_, Path("gone"), "gone bytes", true)));
  ASSERT_TRUE(IsOk(fault_.SyncDir(dir_)));
  ASSERT_TRUE(IsOk(fault_.RemoveFile(Path("gone"))));
  ASSERT_TRUE(IsOk(fault_.SyncDir(dir_)));
  ASSERT_TRUE(IsOk(fault_.RemoveFile(Path("kept"))));
  EXPECT_TRUE(fault_.RemoveFile(Path("kept")).IsNotFound());
  ASSERT_TRUE(IsOk(fault_.SimulateCrash()));
  EXPECT_EQ(ReadFile(fs_, Path("kept")), "kept bytes");
  EXPECT_FALSE(Exists(fs_, Path("gone")));
}

TEST_F(FaultFileSystemTest, ConcurrentWriters) {
  constexpr int kThreads = 4;
  constexpr int kFiles = 10;
  constexpr int kAppends = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int f = 0; f < kFiles; ++f) {
        std::unique_ptr<WritableFile> file;
        const std::string path = Path(std::to_string(t) + "_" + std::to_string(f));
        ASSERT_TRUE(IsOk(fault_.NewWritableFile(path, &file)));
        for (int a = 0; a < kAppends; ++a) ASSERT_TRUE(IsOk(file->Append(path)));
        ASSERT_TRUE(IsOk(file->Sync()));
        ASSERT_TRUE(IsOk(file->Close()));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(fault_.mutating_ops(), kThreads * kFiles * (kAppends + 3));
  std::uint64_t expected_bytes = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int f = 0; f < kFiles; ++f) {
      const std::string path = Path(std::to_string(t) + "_" + std::to_string(f));
      std::string expected;
      for (int a = 0; a < kAppends; ++a) expected += path;
      EXPECT_EQ(ReadFile(fs_, path), expected);
      expected_bytes += expected.size();
    }
  }
  EXPECT_EQ(fault_.appended_bytes(), expected_bytes);
}

}  // namespace
}  // namespace tim
