// The frame every tim file shares (docs/format.md, "File frame"):
//
//   header: magic "tim" + one kind byte | format version (fixed32)   8 bytes
//   body:   kind-specific
//   footer: XXH3-64 of header + body (fixed64) | "TIM!"              12 bytes
//
// Readers check the magic, the kind, the version and the footer before they
// look at the body, so a file of another kind, another version, a truncated
// file or (with checksums on) a flipped byte becomes a clear Status.

#ifndef TIM_CODEC_FILE_FORMAT_H_
#define TIM_CODEC_FILE_FORMAT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tim/file_system.h"
#include "tim/status.h"

namespace tim::codec {

// The format version this build writes and reads. History in docs/format.md:
//   1 (2026-11-23): first on-disk format.
//   2 (2026-11-30): the manifest stores the analyzer options.
//   3 (2026-11-30): segments carry a syllable language model (.lm).
//   4 (2026-11-30): postings blocks and position chunks may have exceptions
//                   (codec/patched.h); version 3 files read unchanged.
//   5 (2026-11-30): sorted tables (.tim, .ids, .lm) carry a checksum per
//                   block and one of their block index; versions 3 and 4
//                   read unchanged.
//   6 (2026-12-07): constant-time open: sorted tables index their blocks
//                   with fixed-width records read in place; segments carry
//                   their ids in document order (.did); versions 3 to 5
//                   read unchanged.
//   7 (2026-12-07): segments carry the columns of typed fields (.col) and
//                   the manifest their types; versions 3 to 6 read
//                   unchanged (their fields are all text).
//   8 (2026-12-07): a keyword value held by 1 in 32 documents or more keeps
//                   no list of its documents in .col (its ordinals say
//                   it); versions 3 to 7 read unchanged.
constexpr std::uint32_t kFormatVersion = 8;
// The oldest version this build reads.
constexpr std::uint32_t kOldestReadableVersion = 3;
constexpr std::size_t kHeaderSize = 8;
constexpr std::size_t kFooterSize = 12;

enum class FileKind : char {
  kManifest = 'M',
  kSegmentInfo = 'G',
  kTermDict = 'T',
  kPostings = 'D',
  kPositions = 'P',
  kNorms = 'N',
  kStore = 'S',
  kIds = 'I',
  kLanguageModel = 'L',
  kDeletes = 'X',
  kDocIds = 'R',
  kColumns = 'C',
};

const char* FileKindName(FileKind kind);

// XXH3-64 of `data`.
std::uint64_t Checksum(std::string_view data);

// Whether a stored checksum disagrees with the one computed: every
// checksum comparison of a reader goes through here. The fuzz targets
// (tests/fuzz/) call IgnoreChecksumsForFuzzing() once, before anything
// else, so that mutated bytes reach the decoders behind the checksums;
// nothing else may call it.
void IgnoreChecksumsForFuzzing();
bool ChecksumMismatch(std::uint64_t stored, std::uint64_t computed);

// Writes one framed file: the header on Open(), the footer on Finish().
// Records the first error; later calls return it (leveldb's builders do the same).
class FileBuilder {
 public:
  FileBuilder();
  ~FileBuilder();
  FileBuilder(const FileBuilder&) = delete;
  FileBuilder& operator=(const FileBuilder&) = delete;

  Status Open(FileSystem* fs, const std::string& path, FileKind kind);
  Status Append(std::string_view data);
  // Bytes written so far, header included: the offset of the next Append.
  std::uint64_t offset() const { return offset_; }
  // Writes the footer, fsyncs and closes.
  Status Finish();

 private:
  struct HashState;
  std::string path_;
  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<HashState> hash_;
  std::uint64_t offset_ = 0;
  Status status_;
};

// Checks the frame of `data` (the whole file named `name`) and sets *body to
// the bytes between header and footer. With verify_checksum the XXH3 of the
// file is recomputed and compared.
Status CheckFrame(std::string_view name, std::string_view data, FileKind kind, bool verify_checksum,
                  std::string_view* body);

// Builds the message "<name>: <what> at offset <offset>" as a Corruption status.
Status CorruptionAt(std::string_view name, std::uint64_t offset, std::string_view what);

}  // namespace tim::codec

#endif  // TIM_CODEC_FILE_FORMAT_H_
