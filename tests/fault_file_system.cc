#include "fault_file_system.h"

#include <cassert>
#include <utility>

namespace tim::testing {

namespace {

// The directory of `path`, spelled as a caller of SyncDir() would spell it.
std::string DirName(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// `dir` without trailing slashes, so that SyncDir("d/") counts for "d/f".
std::string NormalizeDir(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// An injected failure, worded like the POSIX file system's errors.
Status Fault(const std::string& path, std::string_view operation, std::string_view what) {
  std::string msg = path;
  msg += ": ";
  msg += operation;
  msg += ": ";
  msg += what;
  return Status::IOError(msg);
}

}  // namespace

// Every call takes the file system's mutex: faults and counters are shared
// with all other files, and SimulateCrash() may kill this file from another
// thread.
class FaultFileSystem::File final : public WritableFile {
 public:
  File(FaultFileSystem* fs, std::string path, std::unique_ptr<WritableFile> base,
       std::shared_ptr<Tracked> tracked)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)), tracked_(std::move(tracked)) {}

  ~File() override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    fs_->open_files_.erase(this);
    // Closing flushes the base file's buffer, which must not interleave
    // with a rollback rewriting the same file.
    base_.reset();
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    TIM_RETURN_IF_ERROR(fs_->CountMutation(path_, "append"));
    TIM_RETURN_IF_ERROR(CheckAlive("append"));
    const std::uint64_t room =
        fs_->space_limit_ > fs_->appended_bytes_ ? fs_->space_limit_ - fs_->appended_bytes_ : 0;
    if (data.size() > room) {
      // A full disk takes what fits and then refuses: the file ends torn.
      TIM_RETURN_IF_ERROR(AppendToBase(data.substr(0, room)));
      return Fault(path_, "append", "No space left on device");
    }
    return AppendToBase(data);
  }

  Status Sync() override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    TIM_RETURN_IF_ERROR(fs_->CountMutation(path_, "sync", /*sync=*/true));
    TIM_RETURN_IF_ERROR(CheckAlive("sync"));
    TIM_RETURN_IF_ERROR(base_->Sync());
    tracked_->synced_size = base_->size();
    return Status::OK();
  }

  Status Close() override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    TIM_RETURN_IF_ERROR(fs_->CountMutation(path_, "close"));
    TIM_RETURN_IF_ERROR(CheckAlive("close"));
    return base_->Close();
  }

  // Written only by Append, in the one thread using this file.
  std::uint64_t size() const override { return size_; }

  // The power is gone: every later call fails. Called with fs_->mu_ held.
  void Kill() { base_.reset(); }

 private:
  Status CheckAlive(std::string_view operation) const {
    if (base_ == nullptr) return Fault(path_, operation, "file lost in a simulated crash");
    return Status::OK();
  }

  Status AppendToBase(std::string_view data) {
    const Status status = base_->Append(data);
    if (status.ok()) fs_->appended_bytes_ += data.size();
    size_ = base_->size();
    return status;
  }

  FaultFileSystem* const fs_;
  const std::string path_;
  std::unique_ptr<WritableFile> base_;  // null once killed by a crash
  const std::shared_ptr<Tracked> tracked_;
  std::uint64_t size_ = 0;
};

FaultFileSystem::FaultFileSystem(FileSystem* base) : base_(base) {}

FaultFileSystem::~FaultFileSystem() {
  // A File still alive would later lock a destroyed mutex.
  assert(open_files_.empty());
}

void FaultFileSystem::FailAfter(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_at_ = n > 0 ? mutating_ops_ + n : 0;
}

void FaultFileSystem::FailSyncs(bool fail) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_syncs_ = fail;
}

void FaultFileSystem::SetSpaceLimit(std::uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  space_limit_ = bytes;
}

int FaultFileSystem::mutating_ops() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mutating_ops_;
}

std::uint64_t FaultFileSystem::appended_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return appended_bytes_;
}

void FaultFileSystem::Reset() {
  std::lock_guard<std::mutex> lock(mu_);
  mutating_ops_ = 0;
  fail_at_ = 0;
  fail_syncs_ = false;
  space_limit_ = kNoLimit;
  appended_bytes_ = 0;
}

Status FaultFileSystem::CountMutation(const std::string& path, std::string_view operation,
                                      bool sync) {
  ++mutating_ops_;
  if (fail_at_ != 0 && mutating_ops_ >= fail_at_) return Fault(path, operation, "injected fault");
  if (sync && fail_syncs_) return Fault(path, operation, "injected fsync failure");
  return Status::OK();
}

Status FaultFileSystem::NewWritableFile(const std::string& path,
                                        std::unique_ptr<WritableFile>* out) {
  std::unique_ptr<File> file;
  {
    std::lock_guard<std::mutex> lock(mu_);
    TIM_RETURN_IF_ERROR(CountMutation(path, "open"));
    std::uint64_t size;
    const bool existed = base_->FileSize(path, &size).ok();
    std::unique_ptr<WritableFile> base_file;
    TIM_RETURN_IF_ERROR(base_->NewWritableFile(path, &base_file));
    // Truncating an existing file is not a directory operation, but its old
    // bytes are gone: with synced_size 0 a crash leaves it empty.
    auto tracked = std::make_shared<Tracked>();
    tracked_[path] = tracked;
    if (!existed) {
      DirOp op(DirOp::Kind::kCreate);
      op.path = path;
      op.unsynced_dirs = {DirName(path)};
      unsynced_ops_.push_back(std::move(op));
    }
    file = std::make_unique<File>(this, path, std::move(base_file), std::move(tracked));
    open_files_.insert(file.get());
  }
  // Outside the lock: this destroys the File *out held before, if any, and
  // its destructor takes the lock.
  *out = std::move(file);
  return Status::OK();
}

Status FaultFileSystem::MapFile(const std::string& path, std::unique_ptr<MappedFile>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  return base_->MapFile(path, out);
}

Status FaultFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  TIM_RETURN_IF_ERROR(CountMutation(from, "rename to " + to));
  // rename(2) of a name onto itself does nothing, so there is nothing to undo.
  if (from == to) return base_->Rename(from, to);
  DirOp op(DirOp::Kind::kRename);
  op.path = to;
  op.from = from;
  std::uint64_t size;
  if (base_->FileSize(to, &size).ok()) {
    // Kept now: once replaced, the target's bytes are unreachable.
    TIM_RETURN_IF_ERROR(ReadWhole(to, &op.old_bytes));
    op.had_old = true;
  }
  TIM_RETURN_IF_ERROR(base_->Rename(from, to));
  if (auto it = tracked_.find(to); it != tracked_.end()) {
    op.old_tracked = std::move(it->second);
    tracked_.erase(it);
  }
  if (auto it = tracked_.find(from); it != tracked_.end()) {
    std::shared_ptr<Tracked> moved = std::move(it->second);
    tracked_.erase(it);
    tracked_[to] = std::move(moved);
  }
  op.unsynced_dirs = {DirName(from), DirName(to)};
  unsynced_ops_.push_back(std::move(op));
  return Status::OK();
}

Status FaultFileSystem::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  TIM_RETURN_IF_ERROR(CountMutation(path, "unlink"));
  DirOp op(DirOp::Kind::kRemove);
  op.path = path;
  op.had_old = true;
  // A removal that could not be undone is refused, except for a missing
  // file, whose removal fails below with the base file system's NotFound.
  const Status read = ReadWhole(path, &op.old_bytes);
  if (!read.ok() && !read.IsNotFound()) return read;
  TIM_RETURN_IF_ERROR(base_->RemoveFile(path));
  if (auto it = tracked_.find(path); it != tracked_.end()) {
    op.old_tracked = std::move(it->second);
    tracked_.erase(it);
  }
  op.unsynced_dirs = {DirName(path)};
  unsynced_ops_.push_back(std::move(op));
  return Status::OK();
}

Status FaultFileSystem::CreateDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  TIM_RETURN_IF_ERROR(CountMutation(path, "mkdir"));
  return base_->CreateDir(path);
}

Status FaultFileSystem::ListDir(const std::string& dir, std::vector<std::string>* names) {
  std::lock_guard<std::mutex> lock(mu_);
  return base_->ListDir(dir, names);
}

Status FaultFileSystem::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  TIM_RETURN_IF_ERROR(CountMutation(dir, "fsync", /*sync=*/true));
  TIM_RETURN_IF_ERROR(base_->SyncDir(dir));
  const std::string synced = NormalizeDir(dir);
  std::vector<DirOp> still_unsynced;
  for (DirOp& op : unsynced_ops_) {
    op.unsynced_dirs.erase(synced);
    if (!op.unsynced_dirs.empty()) still_unsynced.push_back(std::move(op));
  }
  unsynced_ops_ = std::move(still_unsynced);
  return Status::OK();
}

Status FaultFileSystem::FileSize(const std::string& path, std::uint64_t* size) {
  std::lock_guard<std::mutex> lock(mu_);
  return base_->FileSize(path, size);
}

Status FaultFileSystem::LockFile(const std::string& path, std::unique_ptr<FileLock>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  return base_->LockFile(path, out);
}

Status FaultFileSystem::SimulateCrash() {
  std::lock_guard<std::mutex> lock(mu_);
  // Killing a file flushes what its base still buffers; harmless, since that
  // lies past the last Sync and the truncation below cuts it off again.
  for (File* file : open_files_) file->Kill();
  const Status status = RollBack();
  tracked_.clear();
  unsynced_ops_.clear();
  return status;
}

Status FaultFileSystem::RollBack() {
  // Undoing the directory operations newest first brings each name back to
  // the state the older operations left it in.
  for (auto op = unsynced_ops_.rbegin(); op != unsynced_ops_.rend(); ++op) {
    switch (op->kind) {
      case DirOp::Kind::kCreate:
        TIM_RETURN_IF_ERROR(base_->RemoveFile(op->path));
        tracked_.erase(op->path);
        break;
      case DirOp::Kind::kRename:
        TIM_RETURN_IF_ERROR(base_->Rename(op->path, op->from));
        if (auto it = tracked_.find(op->path); it != tracked_.end()) {
          std::shared_ptr<Tracked> moved = std::move(it->second);
          tracked_.erase(it);
          tracked_[op->from] = std::move(moved);
        }
        break;
      case DirOp::Kind::kRemove: break;  // only the bytes to put back, below
    }
    if (op->had_old) {
      TIM_RETURN_IF_ERROR(WriteWhole(op->path, op->old_bytes));
      if (op->old_tracked != nullptr) tracked_[op->path] = op->old_tracked;
    }
  }
  // Then the data: each file written here keeps what its last Sync made
  // durable. This comes second so that restored files are cut too.
  for (const auto& [path, tracked] : tracked_) {
    std::uint64_t size;
    TIM_RETURN_IF_ERROR(base_->FileSize(path, &size));
    if (size <= tracked->synced_size) continue;
    std::string bytes;
    TIM_RETURN_IF_ERROR(ReadWhole(path, &bytes));
    bytes.resize(tracked->synced_size);
    TIM_RETURN_IF_ERROR(WriteWhole(path, bytes));
  }
  return Status::OK();
}

Status FaultFileSystem::WriteWhole(const std::string& path, std::string_view bytes) {
  std::unique_ptr<WritableFile> file;
  TIM_RETURN_IF_ERROR(base_->NewWritableFile(path, &file));
  TIM_RETURN_IF_ERROR(file->Append(bytes));
  return file->Close();
}

Status FaultFileSystem::ReadWhole(const std::string& path, std::string* bytes) {
  std::unique_ptr<MappedFile> map;
  TIM_RETURN_IF_ERROR(base_->MapFile(path, &map));
  // Copied out of the mapping: callers rewrite the file in place, and a
  // mapped page past the new end of a file raises SIGBUS when read.
  bytes->assign(map->view());
  return Status::OK();
}

}  // namespace tim::testing
