#include "codec/file_format.h"

#include <xxhash.h>

#include <atomic>
#include <cstring>

#include "codec/varint.h"

namespace tim::codec {

namespace {
constexpr char kEndMagic[4] = {'T', 'I', 'M', '!'};
}

const char* FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kManifest: return "manifest";
    case FileKind::kSegmentInfo: return "segment info";
    case FileKind::kTermDict: return "term dictionary";
    case FileKind::kPostings: return "postings";
    case FileKind::kPositions: return "positions";
    case FileKind::kNorms: return "norms";
    case FileKind::kStore: return "stored documents";
    case FileKind::kIds: return "id map";
    case FileKind::kLanguageModel: return "language model";
    case FileKind::kDeletes: return "deletions";
    case FileKind::kDocIds: return "ids by document";
    case FileKind::kColumns: return "columns";
  }
  return "unknown";
}

std::uint64_t Checksum(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

namespace {
std::atomic<bool> checksums_ignored{false};
}  // namespace

void IgnoreChecksumsForFuzzing() { checksums_ignored.store(true, std::memory_order_relaxed); }

bool ChecksumMismatch(std::uint64_t stored, std::uint64_t computed) {
  return stored != computed && !checksums_ignored.load(std::memory_order_relaxed);
}

struct FileBuilder::HashState {
  XXH3_state_t* state = XXH3_createState();
  ~HashState() { XXH3_freeState(state); }
};

FileBuilder::FileBuilder() = default;
FileBuilder::~FileBuilder() = default;

Status FileBuilder::Open(FileSystem* fs, const std::string& path, FileKind kind) {
  path_ = path;
  hash_ = std::make_unique<HashState>();
  if (hash_->state == nullptr) return status_ = Status::IOError(path + ": out of memory");
  XXH3_64bits_reset(hash_->state);
  status_ = fs->NewWritableFile(path, &file_);
  if (!status_.ok()) return status_;
  std::string header = {'t', 'i', 'm', static_cast<char>(kind)};
  PutFixed32(&header, kFormatVersion);
  return Append(header);
}

Status FileBuilder::Append(std::string_view data) {
  if (!status_.ok()) return status_;
  if (file_ == nullptr) return status_ = Status::IOError(path_ + ": file is not open");
  XXH3_64bits_update(hash_->state, data.data(), data.size());
  offset_ += data.size();
  status_ = file_->Append(data);
  return status_;
}

Status FileBuilder::Finish() {
  if (!status_.ok()) return status_;
  std::string footer;
  PutFixed64(&footer, XXH3_64bits_digest(hash_->state));
  footer.append(kEndMagic, 4);
  status_ = file_->Append(footer);
  if (status_.ok()) status_ = file_->Sync();
  if (status_.ok()) status_ = file_->Close();
  if (status_.ok()) offset_ += footer.size();
  file_.reset();
  return status_;
}

Status CorruptionAt(std::string_view name, std::uint64_t offset, std::string_view what) {
  std::string msg(name);
  msg += ": ";
  msg += what;
  msg += " at offset ";
  msg += std::to_string(offset);
  return Status::Corruption(msg);
}

Status CheckFrame(std::string_view name, std::string_view data, FileKind kind, bool verify_checksum,
                  std::string_view* body) {
  const std::string file(name);
  if (data.size() < kHeaderSize + kFooterSize) {
    return Status::Corruption(file + ": truncated: " + std::to_string(data.size()) +
                              " bytes, shorter than a header and footer");
  }
  if (std::memcmp(data.data(), "tim", 3) != 0) {
    return CorruptionAt(name, 0, "not a tim file (bad magic number)");
  }
  if (data[3] != static_cast<char>(kind)) {
    return CorruptionAt(name, 3, std::string("expected a ") + FileKindName(kind) + " file");
  }
  const std::uint32_t version = DecodeFixed32(data.data() + 4);
  if (version < kOldestReadableVersion || version > kFormatVersion) {
    // Every version frames its files alike: a file of another version
    // still checks out, and a flipped bit in the version field does not.
    const std::size_t end = data.size() - kFooterSize;
    if (ChecksumMismatch(DecodeFixed64(data.data() + end), Checksum(data.substr(0, end)))) {
      return Status::Corruption(file + ": checksum mismatch over bytes [0, " + std::to_string(end) +
                                "): the file is damaged (its version field reads " +
                                std::to_string(version) + ")");
    }
    return Status::NotSupported(
        file + ": format version " + std::to_string(version) + ", this build reads versions " +
        std::to_string(kOldestReadableVersion) + " to " + std::to_string(kFormatVersion) +
        (version < kFormatVersion ? " (an index of an older tim: build it again with tim index)"
                                  : " (an index of a newer tim)"));
  }
  const std::size_t footer = data.size() - kFooterSize;
  if (std::memcmp(data.data() + footer + 8, kEndMagic, 4) != 0) {
    return CorruptionAt(name, footer + 8, "truncated or damaged (no end marker)");
  }
  if (verify_checksum) {
    const std::uint64_t stored = DecodeFixed64(data.data() + footer);
    const std::uint64_t actual = Checksum(data.substr(0, footer));
    if (ChecksumMismatch(stored, actual)) {
      return Status::Corruption(file + ": checksum mismatch over bytes [0, " +
                                std::to_string(footer) + "): the file is damaged");
    }
  }
  *body = data.substr(kHeaderSize, footer - kHeaderSize);
  return Status::OK();
}

}  // namespace tim::codec
