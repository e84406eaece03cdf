// The names of the files in an index directory (docs/format.md, "Files"):
// the one place that spells them, as leveldb's filename.h does. Writers
// name what they create here, readers what they open, and the writer's
// clean-up asks IsIndexFileName() what it may remove.
//
//   LOCK                          the writer's lock
//   manifest-<20 decimal digits>  a commit (its generation); a temporary
//                                 manifest starts the same way
//   seg_<8 hex digits><ext>       a segment's files, one per extension below
//   seg_<8 hex digits>_<gen>.del  a segment's deletions as of a generation
#ifndef TIM_INDEX_FILE_NAMES_H_
#define TIM_INDEX_FILE_NAMES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/file_format.h"

namespace tim::index {

inline constexpr char kLockFileName[] = "LOCK";

std::string ManifestFileName(std::uint64_t generation);
// The generation a manifest's file name carries; false for any other name,
// including foreign names that merely look like one ("manifest-1").
bool ParseManifestFileName(std::string_view name, std::uint64_t* generation);

// A segment's name: "seg_" and its number as 8 hex digits.
std::string SegmentName(std::uint64_t number);
bool IsSegmentName(std::string_view name);

// The files of a segment, by index into the tables below.
enum SegmentFileIndex : int { kSeg = 0, kTim, kDoc, kPos, kNrm, kSto, kIds, kLm, kDid, kCol };
constexpr int kSegmentFiles = 10;
// Each file's extension and its kind (the kind its header names).
extern const char* const kSegmentExtensions[kSegmentFiles];
extern const codec::FileKind kSegmentFileKinds[kSegmentFiles];
// The name of one of a segment's files: SegmentFile("seg_0000000a", kDoc).
std::string SegmentFile(const std::string& segment, SegmentFileIndex file);

std::string DeletesFileName(const std::string& segment, std::uint64_t del_gen);

// Whether `name` is one a tim index writes (a manifest, temporary or not, a
// segment's file or its deletions): what a writer may remove once no
// commit it keeps names it. The lock and foreign files are never removed.
bool IsIndexFileName(std::string_view name);

}  // namespace tim::index

#endif  // TIM_INDEX_FILE_NAMES_H_
