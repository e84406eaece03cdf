// The manifest names the segments of one commit (docs/format.md, "Manifest").
// Commit N writes "manifest-<N as 20 digits>.tmp", fsyncs it and renames it
// to "manifest-<N as 20 digits>"; the newest manifest is the index. Deletions of
// a segment live in "<segment>_<generation>.del" files, a checksummed
// portable Roaring bitmap each.

#ifndef TIM_INDEX_MANIFEST_H_
#define TIM_INDEX_MANIFEST_H_

#include <roaring/roaring.hh>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/file_names.h"
#include "tim/analyzer.h"
#include "tim/file_system.h"
#include "tim/schema.h"
#include "tim/status.h"

namespace tim::index {

struct ManifestSegment {
  std::string name;
  std::uint32_t doc_count = 0;
  std::uint64_t del_gen = 0;  // 0: no deletions file
  std::uint32_t del_count = 0;
};

struct Manifest {
  std::uint64_t generation = 0;     // 0: an empty index never committed
  std::uint64_t next_segment = 1;   // numbers segment names
  std::vector<std::string> fields;  // field number -> name
  // Field number -> type (as long as `fields`; format version 7 on, older
  // manifests' fields are all text).
  std::vector<FieldType> field_types;
  FieldType TypeOf(std::uint32_t field) const {
    return field < field_types.size() ? field_types[field] : FieldType::kText;
  }
  // The typed fields, in field number order.
  Schema TypedFields() const {
    Schema out;
    for (std::uint32_t i = 0; i < fields.size(); ++i) {
      if (TypeOf(i) != FieldType::kText) out.emplace_back(fields[i], TypeOf(i));
    }
    return out;
  }
  // The analyzer the index was built with: the options that decide which
  // terms exist (bigrams, joined, max_token_bytes). strict_utf8 is a
  // writer's policy, not stored.
  AnalyzerOptions analyzer;
  std::vector<ManifestSegment> segments;
};

// The first stored analyzer option on which `asked` and `stored` differ, as
// "bigrams is false here but true in the index"; empty when they agree.
std::string AnalyzerDifference(const AnalyzerOptions& asked, const AnalyzerOptions& stored);

// Finds the newest manifest in `dir`; *generation is 0 when there is none.
Status FindLatestManifest(FileSystem* fs, const std::string& dir, std::uint64_t* generation);
Status ReadManifest(FileSystem* fs, const std::string& dir, std::uint64_t generation,
                    Manifest* out);
// Writes manifest `m` durably and atomically (temp file, fsync, rename, fsync dir).
Status WriteManifest(FileSystem* fs, const std::string& dir, const Manifest& m);

// Removes the files of `dir` that none of `kept` (commits; generation 0
// ones are skipped) names and that are tim's (IsIndexFileName): older
// commits, and leftovers of a crashed or rolled-back writer. Never LOCK.
// A failed removal only leaves a file behind (the next commit retries);
// returns an error only when the directory cannot be listed.
Status RemoveUnusedFiles(FileSystem* fs, const std::string& dir,
                         const std::vector<const Manifest*>& kept);

// Deletions: written whole, fsynced; read back with the checksum verified
// before CRoaring sees a byte (it trusts its input), then checked against
// the expected count and doc range.
Status WriteDeletes(FileSystem* fs, const std::string& dir, const std::string& file,
                    const Roaring& deletes);
Status ReadDeletes(FileSystem* fs, const std::string& dir, const std::string& file,
                   std::uint32_t doc_count, std::uint32_t expected_count, Roaring* out);

}  // namespace tim::index

#endif  // TIM_INDEX_MANIFEST_H_
