// What tim's fuzz targets share (docs/testing.md, "Fuzzing").
//
// Each target in this folder defines LLVMFuzzerTestOneInput() and
// tim::fuzz::Seeds(). It is built twice:
//  - with clang and -fsanitize=fuzzer (cmake -DTIM_FUZZ=ON), libFuzzer's
//    own main drives it; TIM_FUZZ_WRITE_SEEDS=DIR makes it write its seeds
//    to DIR and exit, which is how tools/fuzz.sh starts a corpus;
//  - in sanitizer builds (-DTIM_SANITIZE), with replay_main.cc: ctest runs it over its
//    seeds and over tests/fuzz/regressions/<target>/, the inputs that once
//    crashed it.
// Seeds come from real data in the repository: the articles of corpus/
// and indexes built from them.
#ifndef TIM_TESTS_FUZZ_FUZZ_UTIL_H_
#define TIM_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tim/document.h"
#include "tim/file_system.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace tim::fuzz {

// The target's seed inputs.
std::vector<std::string> Seeds();

// What every target calls before its first input: checksums stop being
// compared (codec::IgnoreChecksumsForFuzzing), so that mutated bytes reach
// the decoders behind them.
void Init();

// The articles of corpus/ as documents: id = file name, "title" = first
// line, "body" = the rest.
const std::vector<Document>& CorpusDocuments();

// A file system held in memory: a map from path to bytes. Directories exist
// implicitly: a path some file lies under (CreateDir records nothing).
// Thread-safe.
class MemFileSystem : public FileSystem {
 public:
  std::map<std::string, std::string> files;  // path -> bytes; guard with mu when shared

  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) override;
  Status MapFile(const std::string& path, std::unique_ptr<MappedFile>* out) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RemoveFile(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Status ListDir(const std::string& dir, std::vector<std::string>* names) override;
  Status SyncDir(const std::string& dir) override;
  Status FileSize(const std::string& path, std::uint64_t* size) override;
  Status LockFile(const std::string& path, std::unique_ptr<FileLock>* out) override;

  std::mutex mu;
};

// An index in a MemFileSystem under the directory "idx", built from
// CorpusDocuments() (many_docs: from 400 documents of two of their
// paragraphs each, so that common words have lists of several blocks):
// two commits, so two segments, the second replacing one document and
// deleting another, so that every file kind is present. Returns the files
// of that directory, by name.
std::map<std::string, std::string> SampleIndexFiles(bool many_docs = false);

// A directory image: its files as one byte string,
//   repeat { name length (1 byte) | name | size (fixed32, little-endian) | bytes },
// and back. ParseImage stops at the first incomplete record.
std::string SerializeImage(const std::map<std::string, std::string>& files);
std::map<std::string, std::string> ParseImage(std::string_view image);

// Frames `body` as a tim file of kind `kind` and version `version`, with a
// correct checksum (codec/file_format.h).
std::string Frame(char kind, std::uint32_t version, std::string_view body);

// Reads little-endian integers from the front of *in, advancing it; 0 when
// it runs out.
std::uint32_t TakeU32(std::string_view* in);
std::uint8_t TakeU8(std::string_view* in);

}  // namespace tim::fuzz

#endif  // TIM_TESTS_FUZZ_FUZZ_UTIL_H_
