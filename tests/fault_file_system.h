// FaultFileSystem: a tim::FileSystem for tests that wraps a real one and
// injects the failures a disk can produce: an operation that fails, an fsync
// that fails, a full disk that tears a write, and a power loss.
//
// Crash model (SimulateCrash). At the instant of the crash:
//  - every file created through this file system is cut back to the length
//    it had at its last successful WritableFile::Sync() (0 if never synced);
//  - the file creations, renames and removals done through it are undone, in
//    reverse order, unless SyncDir() has since succeeded on their directory
//    (on both directories, for a rename between two directories).
// Everything not made durable is lost, the harshest outcome for unsynced
// work, which is what exposes a missing fsync. The other outcome a real disk
// allows, unsynced data surviving in part, is not modelled here. Directories
// made by CreateDir() are assumed durable, and paths are compared as strings:
// name each file and directory one way only.
//
// The wrapped file system is a real one on a scratch directory: rolling back
// rewrites files through it. Every WritableFile obtained from a
// FaultFileSystem must be destroyed before the FaultFileSystem.
//
// Thread safety: one mutex guards everything, and it is held across the
// wrapped call so that the bookkeeping always matches the disk. Calls from
// several threads are therefore safe but serialized.

#ifndef TIM_TESTS_FAULT_FILE_SYSTEM_H_
#define TIM_TESTS_FAULT_FILE_SYSTEM_H_

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tim/file_system.h"
#include "tim/status.h"

namespace tim::testing {

class FaultFileSystem : public FileSystem {
 public:
  // `base` must outlive this object.
  explicit FaultFileSystem(FileSystem* base);
  ~FaultFileSystem() override;
  FaultFileSystem(const FaultFileSystem&) = delete;
  FaultFileSystem& operator=(const FaultFileSystem&) = delete;

  // The n-th mutating operation from now (1-based) and every one after it
  // fail with IOError "injected fault", until Reset(). n <= 0 disables.
  // Mutating operations: NewWritableFile, Append, Sync, Close, Rename,
  // RemoveFile, SyncDir and CreateDir.
  void FailAfter(int n);
  // While set, every Sync and SyncDir fails with IOError "injected fsync
  // failure"; nothing else is affected.
  void FailSyncs(bool fail);
  // At most `bytes` may be appended through this file system, counted since
  // construction or Reset() (see appended_bytes()); removing files gives no
  // space back. An Append that would cross the limit writes the prefix that
  // fits, as a full disk does, then fails with IOError "No space left on
  // device". std::numeric_limits<std::uint64_t>::max() disables.
  void SetSpaceLimit(std::uint64_t bytes);
  // Power loss now: applies the crash model above, and makes every open
  // WritableFile from this file system fail from now on. Then the file
  // system forgets what it tracked, as after a reboot, and works normally.
  // An error means the rollback itself failed (a bug in the test setup).
  Status SimulateCrash();

  // Mutating operations attempted (failed ones included) since construction
  // or Reset().
  int mutating_ops() const;
  // Bytes appended (torn prefixes included) since construction or Reset().
  std::uint64_t appended_bytes() const;
  // Clears the fault knobs and both counters. Crash tracking is kept.
  void Reset();

  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) override;
  Status MapFile(const std::string& path, std::unique_ptr<MappedFile>* out) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RemoveFile(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Status ListDir(const std::string& dir, std::vector<std::string>* names) override;
  Status SyncDir(const std::string& dir) override;
  Status FileSize(const std::string& path, std::uint64_t* size) override;
  Status LockFile(const std::string& path, std::unique_ptr<FileLock>* out) override;

 private:
  class File;

  // What the crash model needs to know about a file created through this
  // file system. Shared by its open File and the entry for its current name,
  // so that a rename while the file is open keeps them connected.
  struct Tracked {
    std::uint64_t synced_size = 0;  // size at the last successful Sync()
  };

  // A creation, rename or removal not yet made durable by SyncDir().
  struct DirOp {
    enum class Kind { kCreate, kRename, kRemove };
    explicit DirOp(Kind k) : kind(k) {}
    Kind kind;
    std::string path;  // the file created or removed, or the rename's target
    std::string from;  // kRename: the source
    // kRemove, and kRename that replaced a file: the bytes that were at
    // `path` just before, to put back when the operation is undone.
    bool had_old = false;
    std::string old_bytes;
    std::shared_ptr<Tracked> old_tracked;  // and their tracking, if any
    // Directories still to be synced before the operation is durable.
    std::set<std::string> unsynced_dirs;
  };

  static constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

  // Counts one mutating operation and returns the injected fault, if any.
  // `sync` marks Sync and SyncDir, which FailSyncs() also affects.
  Status CountMutation(const std::string& path, std::string_view operation, bool sync = false);
  // Replaces the contents of `path` with `bytes`, through the base file system.
  Status WriteWhole(const std::string& path, std::string_view bytes);
  // The current contents of `path`.
  Status ReadWhole(const std::string& path, std::string* bytes);
  // SimulateCrash() without the final forgetting.
  Status RollBack();

  FileSystem* const base_;

  mutable std::mutex mu_;
  // Fault knobs and counters.
  int mutating_ops_ = 0;
  int fail_at_ = 0;  // the value of mutating_ops_ from which ops fail; 0: never
  bool fail_syncs_ = false;
  std::uint64_t space_limit_ = kNoLimit;
  std::uint64_t appended_bytes_ = 0;
  // Crash tracking.
  std::map<std::string, std::shared_ptr<Tracked>> tracked_;  // by current name
  std::vector<DirOp> unsynced_ops_;                          // oldest first
  std::set<File*> open_files_;  // Files alive, killed by SimulateCrash()
};

}  // namespace tim::testing

#endif  // TIM_TESTS_FAULT_FILE_SYSTEM_H_
