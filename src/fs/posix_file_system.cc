// FileSystem::Default(): the POSIX implementation of tim::FileSystem.
//
// Every descriptor is opened with O_CLOEXEC so that a program embedding tim
// that forks and execs does not leak index files, or the writer lock, into
// the child (a lock inherited by a long-lived child would outlive the writer).

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/file_system.h"

namespace tim {

namespace {

// "<path>: <operation>: <strerror(err)>". ENOENT is NotFound wherever it
// comes from (a missing file or a missing parent directory), so that callers
// can tell "absent" from "broken" with one test; anything else is IOError.
Status PosixError(const std::string& path, std::string_view operation, int err) {
  std::string msg = path;
  msg += ": ";
  msg += operation;
  msg += ": ";
  msg += std::strerror(err);
  return err == ENOENT ? Status::NotFound(msg) : Status::IOError(msg);
}

// Writes all of `data`, resuming after partial writes and signals.
Status WriteAll(int fd, const std::string& path, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return PosixError(path, "write", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::OK();
}

class PosixWritableFile final : public WritableFile {
 public:
  // Appends smaller than this are gathered into one write(2).
  static constexpr std::size_t kBufferSize = 64 << 10;

  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
    buffer_.reserve(kBufferSize);
  }
  ~PosixWritableFile() override {
    if (fd_ >= 0) (void)Close();  // errors ignored, as the interface says
  }
  PosixWritableFile(const PosixWritableFile&) = delete;
  PosixWritableFile& operator=(const PosixWritableFile&) = delete;

  Status Append(std::string_view data) override {
    TIM_RETURN_IF_ERROR(CheckWritable("append"));
    if (data.size() > kBufferSize - buffer_.size()) {
      TIM_RETURN_IF_ERROR(Flush());
      // A piece as large as the buffer gains nothing from being copied.
      if (data.size() >= kBufferSize) {
        error_ = WriteAll(fd_, path_, data);
        TIM_RETURN_IF_ERROR(error_);
        size_ += data.size();
        return Status::OK();
      }
    }
    buffer_.append(data);
    size_ += data.size();
    return Status::OK();
  }

  Status Sync() override {
    TIM_RETURN_IF_ERROR(CheckWritable("sync"));
    TIM_RETURN_IF_ERROR(Flush());
    // fdatasync skips the timestamps but still flushes the file size, which
    // is what a reader needs to find the data after a crash.
#if defined(__linux__)
    if (::fdatasync(fd_) != 0) error_ = PosixError(path_, "fdatasync", errno);
#else
    if (::fsync(fd_) != 0) error_ = PosixError(path_, "fsync", errno);
#endif
    return error_;
  }

  Status Close() override {
    if (fd_ < 0) return Status::IOError(path_ + ": close: file is already closed");
    Status status = error_.ok() ? Flush() : error_;
    // Not retried on EINTR: on Linux the descriptor is released even then, and
    // a retry could close a descriptor another thread has just opened.
    if (::close(fd_) != 0 && status.ok()) status = PosixError(path_, "close", errno);
    fd_ = -1;
    return status;
  }

  std::uint64_t size() const override { return size_; }

 private:
  Status CheckWritable(std::string_view operation) const {
    if (fd_ < 0) {
      return Status::IOError(path_ + ": " + std::string(operation) + ": file is closed");
    }
    return error_;
  }

  Status Flush() {
    error_ = WriteAll(fd_, path_, buffer_);
    buffer_.clear();
    return error_;
  }

  const std::string path_;
  int fd_;  // -1 once closed
  // Appended bytes not yet handed to write(2); never more than kBufferSize.
  std::string buffer_;
  std::uint64_t size_ = 0;
  // The first write or sync failure, returned by every later call. After a
  // failed write(2) we cannot know how much of the buffer reached the file,
  // so appending more could leave a hole or a duplicate in the middle of it;
  // after a failed fsync the kernel may have dropped the dirty pages, so a
  // second fsync could succeed without the data ever reaching the disk.
  Status error_;
};

class PosixMappedFile final : public MappedFile {
 public:
  // `base` is a mapping of `size` bytes, or null when size is 0 (mmap refuses
  // a length of 0).
  PosixMappedFile(void* base, std::size_t size) : base_(base), size_(size) {}
  ~PosixMappedFile() override {
    if (base_ != nullptr) ::munmap(base_, size_);
  }
  PosixMappedFile(const PosixMappedFile&) = delete;
  PosixMappedFile& operator=(const PosixMappedFile&) = delete;

  const char* data() const override {
    // An empty file still has a valid address, so view() and pointer
    // arithmetic on data() need no special case.
    static constexpr char kEmpty[1] = {};
    return base_ != nullptr ? static_cast<const char*>(base_) : kEmpty;
  }
  std::size_t size() const override { return size_; }

 private:
  void* const base_;
  const std::size_t size_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  // Closing the descriptor releases the flock.
  ~PosixFileLock() override { ::close(fd_); }
  PosixFileLock(const PosixFileLock&) = delete;
  PosixFileLock& operator=(const PosixFileLock&) = delete;

 private:
  const int fd_;
};

// Closes a descriptor at the end of a scope.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }
  // Gives up ownership.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

int OpenRetryingEintr(const std::string& path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

class PosixFileSystem final : public FileSystem {
 public:
  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) override {
    const int fd = OpenRetryingEintr(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError(path, "open", errno);
    *out = std::make_unique<PosixWritableFile>(path, fd);
    return Status::OK();
  }

  Status MapFile(const std::string& path, std::unique_ptr<MappedFile>* out) override {
    // The mapping keeps the file alive; the descriptor is not needed after mmap.
    const ScopedFd fd(OpenRetryingEintr(path, O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return PosixError(path, "open", errno);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return PosixError(path, "fstat", errno);
    const auto size = static_cast<std::size_t>(st.st_size);
    void* base = nullptr;
    if (size > 0) {
      base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
      if (base == MAP_FAILED) return PosixError(path, "mmap", errno);
    }
    *out = std::make_unique<PosixMappedFile>(base, size);
    return Status::OK();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return PosixError(from, "rename to " + to, errno);
    return Status::OK();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError(path, "unlink", errno);
    return Status::OK();
  }

  Status CreateDir(const std::string& path) override {
    // mkdir every prefix that ends just before a '/', then the whole path.
    // EEXIST is fine at every step: the last one is checked below to be a
    // directory, and an earlier one that is not makes the next mkdir fail.
    for (std::size_t end = 1; end <= path.size(); ++end) {
      if (end < path.size() && path[end] != '/') continue;
      if (path[end - 1] == '/') continue;  // "//" or a trailing '/': nothing new
      const std::string prefix = path.substr(0, end);
      if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
        return PosixError(prefix, "mkdir", errno);
      }
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return PosixError(path, "stat", errno);
    if (!S_ISDIR(st.st_mode)) return PosixError(path, "mkdir", ENOTDIR);
    return Status::OK();
  }

  Status ListDir(const std::string& dir, std::vector<std::string>* names) override {
    const std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
    if (d == nullptr) return PosixError(dir, "opendir", errno);
    names->clear();
    while (true) {
      // readdir returns null both at the end and on error; only errno tells.
      errno = 0;
      const dirent* entry = ::readdir(d.get());
      if (entry == nullptr) break;
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") names->emplace_back(name);
    }
    if (errno != 0) return PosixError(dir, "readdir", errno);
    return Status::OK();
  }

  Status SyncDir(const std::string& dir) override {
    const ScopedFd fd(OpenRetryingEintr(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return PosixError(dir, "open", errno);
    if (::fsync(fd.get()) != 0) return PosixError(dir, "fsync", errno);
    return Status::OK();
  }

  Status FileSize(const std::string& path, std::uint64_t* size) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return PosixError(path, "stat", errno);
    *size = static_cast<std::uint64_t>(st.st_size);
    return Status::OK();
  }

  Status LockFile(const std::string& path, std::unique_ptr<FileLock>* out) override {
    ScopedFd fd(OpenRetryingEintr(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (fd.get() < 0) return PosixError(path, "open", errno);
    // flock, not fcntl: an fcntl lock belongs to the process, so a second
    // lock in the same process would silently succeed, and closing any
    // descriptor of the file would drop it. A flock belongs to the open file
    // description, so two FileLocks in one process conflict as documented.
    int rc;
    do {
      rc = ::flock(fd.get(), LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      if (errno == EWOULDBLOCK) return Status::Busy(path + ": locked by another writer");
      return PosixError(path, "flock", errno);
    }
    *out = std::make_unique<PosixFileLock>(fd.release());
    return Status::OK();
  }
};

}  // namespace

FileSystem* FileSystem::Default() {
  // Stateless, so its (empty) destructor at exit cannot disturb a late user.
  static PosixFileSystem fs;
  return &fs;
}

}  // namespace tim
