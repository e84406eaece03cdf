// tim::FileSystem: every byte tim reads or writes goes through this interface.
//
// The index never calls the operating system directly. FileSystem::Default()
// is the POSIX implementation; an application (or a test) can pass its own in
// IndexOptions / ReaderOptions, for example one that injects faults: a full
// disk, a failed fsync, a torn write, a crash between two steps of a commit.
//
// Paths are plain strings joined with '/'. Every method returns a Status whose
// message names the path and the operation ("seg_00000001.doc: fsync: No space
// left on device"): OK, NotFound for a path that does not exist (FileSize,
// MapFile, RemoveFile, ListDir), Busy from LockFile when another holder has
// the lock, IOError for anything else the operating system refuses.
//
// Thread safety: implementations must allow concurrent calls on different
// files. A WritableFile is used by one thread at a time; a MappedFile is
// immutable and may be read from many threads.

#ifndef TIM_FILE_SYSTEM_H_
#define TIM_FILE_SYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tim/export.h"
#include "tim/status.h"

namespace tim {

// A file being written from its start. Data is durable only after Sync().
class TIM_EXPORT WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Makes everything appended so far durable (fsync).
  virtual Status Sync() = 0;
  // Closes the file; appending after Close() is an error. The destructor
  // closes a file that was not closed, ignoring errors.
  virtual Status Close() = 0;
  // Bytes appended so far.
  virtual std::uint64_t size() const = 0;
};

// The whole of a file, read-only, at a stable address: usually a memory map,
// so its pages stay valid after the file is removed from the directory.
class TIM_EXPORT MappedFile {
 public:
  virtual ~MappedFile() = default;
  virtual const char* data() const = 0;
  virtual std::size_t size() const = 0;
  std::string_view view() const { return std::string_view(data(), size()); }
};

// An exclusive lock on a file, held until the object is destroyed.
class TIM_EXPORT FileLock {
 public:
  virtual ~FileLock() = default;
};

class TIM_EXPORT FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The POSIX file system. Never null; lives for the whole program.
  static FileSystem* Default();

  // Creates (or truncates) `path` for writing.
  virtual Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) = 0;
  // Maps the whole file read-only. An empty file maps to size() == 0.
  virtual Status MapFile(const std::string& path, std::unique_ptr<MappedFile>* out) = 0;
  // Atomically replaces `to` with `from` (rename(2)).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Creates the directory (and missing parents); OK if it already exists.
  virtual Status CreateDir(const std::string& path) = 0;
  // Names (not paths) of the entries of `dir`, without "." and "..".
  virtual Status ListDir(const std::string& dir, std::vector<std::string>* names) = 0;
  // Makes renames, creations and removals in `dir` durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // NotFound when the path does not exist.
  virtual Status FileSize(const std::string& path, std::uint64_t* size) = 0;
  // Takes an exclusive advisory lock on `path` (created if missing). Busy when
  // another process, or another FileLock in this process, holds it.
  virtual Status LockFile(const std::string& path, std::unique_ptr<FileLock>* out) = 0;
};

}  // namespace tim

#endif  // TIM_FILE_SYSTEM_H_
