#include "index/manifest.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>

#include "codec/file_format.h"
#include "codec/varint.h"
#include "util/limits.h"

namespace tim::index {

using codec::GetLengthPrefixed;
using codec::GetVarint32;
using codec::GetVarint64;
using codec::PutLengthPrefixed;
using codec::PutVarint32;
using codec::PutVarint64;

namespace {
// Analyzer flags in the manifest (docs/format.md, "Manifest").
constexpr std::uint32_t kBigrams = 1, kJoined = 2, kAnalyzerFlags = kBigrams | kJoined;
// The first format version whose manifests carry field types.
constexpr std::uint32_t kFieldTypesVersion = 7;

const char* Bool(bool b) { return b ? "true" : "false"; }
}  // namespace

std::string AnalyzerDifference(const AnalyzerOptions& asked, const AnalyzerOptions& stored) {
  auto differs = [](const char* name, const std::string& a, const std::string& s) {
    return std::string(name) + " is " + a + " here but " + s + " in the index";
  };
  if (asked.bigrams != stored.bigrams) {
    return differs("bigrams", Bool(asked.bigrams), Bool(stored.bigrams));
  }
  if (asked.joined != stored.joined)
    return differs("joined", Bool(asked.joined), Bool(stored.joined));
  if (asked.max_token_bytes != stored.max_token_bytes) {
    return differs("max_token_bytes", std::to_string(asked.max_token_bytes),
                   std::to_string(stored.max_token_bytes));
  }
  return "";
}

Status FindLatestManifest(FileSystem* fs, const std::string& dir, std::uint64_t* generation) {
  *generation = 0;
  std::vector<std::string> names;
  TIM_RETURN_IF_ERROR(fs->ListDir(dir, &names));
  for (const std::string& name : names) {
    std::uint64_t gen;
    if (ParseManifestFileName(name, &gen) && gen > *generation) *generation = gen;
  }
  return Status::OK();
}

Status ReadManifest(FileSystem* fs, const std::string& dir, std::uint64_t generation,
                    Manifest* out) {
  const std::string name = ManifestFileName(generation);
  std::unique_ptr<MappedFile> file;
  TIM_RETURN_IF_ERROR(fs->MapFile(dir + "/" + name, &file));
  std::string_view body;
  TIM_RETURN_IF_ERROR(
      codec::CheckFrame(name, file->view(), codec::FileKind::kManifest, true, &body));
  const char* p = body.data();
  const char* limit = p + body.size();
  std::uint64_t nfields = 0, nsegments = 0;
  *out = Manifest();
  p = GetVarint64(p, limit, &out->generation);
  if (p != nullptr) p = GetVarint64(p, limit, &out->next_segment);
  if (p != nullptr) p = GetVarint64(p, limit, &nfields);
  if (p != nullptr && (nfields > 255 || out->generation != generation)) p = nullptr;
  for (std::uint64_t i = 0; p != nullptr && i < nfields; ++i) {
    std::string_view field;
    p = GetLengthPrefixed(p, limit, &field);
    if (p != nullptr) out->fields.emplace_back(field);
  }
  std::uint32_t flags = 0;
  std::uint64_t max_token_bytes = 0;
  if (p != nullptr) p = GetVarint32(p, limit, &flags);
  if (p != nullptr) p = GetVarint64(p, limit, &max_token_bytes);
  if (p != nullptr && ((flags & ~kAnalyzerFlags) != 0 || max_token_bytes < limits::kMinTokenBytes ||
                       max_token_bytes > limits::kMaxTokenBytes)) {
    return codec::CorruptionAt(name, codec::kHeaderSize, "bad analyzer options in manifest");
  }
  out->analyzer.bigrams = (flags & kBigrams) != 0;
  out->analyzer.joined = (flags & kJoined) != 0;
  out->analyzer.max_token_bytes = static_cast<std::size_t>(max_token_bytes);
  if (p != nullptr) p = GetVarint64(p, limit, &nsegments);
  if (p != nullptr && nsegments > static_cast<std::uint64_t>(limit - p)) p = nullptr;
  for (std::uint64_t i = 0; p != nullptr && i < nsegments; ++i) {
    ManifestSegment s;
    std::string_view seg_name;
    p = GetLengthPrefixed(p, limit, &seg_name);
    if (p != nullptr) p = GetVarint32(p, limit, &s.doc_count);
    if (p != nullptr) p = GetVarint64(p, limit, &s.del_gen);
    if (p != nullptr) p = GetVarint32(p, limit, &s.del_count);
    if (p == nullptr || !IsSegmentName(seg_name) || s.del_count > s.doc_count) {
      p = nullptr;
      break;
    }
    s.name.assign(seg_name.data(), seg_name.size());
    for (const ManifestSegment& other : out->segments) {
      if (other.name == s.name) p = nullptr;
    }
    if (p == nullptr) break;
    out->segments.push_back(std::move(s));
  }
  // Version 7 on: the type of every field.
  out->field_types.assign(out->fields.size(), FieldType::kText);
  if (p != nullptr && codec::DecodeFixed32(file->view().data() + 4) >= kFieldTypesVersion) {
    std::uint64_t ntypes = 0;
    p = GetVarint64(p, limit, &ntypes);
    if (p != nullptr && (ntypes != nfields || static_cast<std::uint64_t>(limit - p) < ntypes)) {
      p = nullptr;
    }
    for (std::uint64_t i = 0; p != nullptr && i < ntypes; ++i) {
      const auto t = static_cast<std::uint8_t>(*p++);
      if (t > static_cast<std::uint8_t>(FieldType::kDate)) {
        return codec::CorruptionAt(name, codec::kHeaderSize, "bad field type in manifest");
      }
      out->field_types[i] = static_cast<FieldType>(t);
    }
  }
  if (p != limit) return codec::CorruptionAt(name, codec::kHeaderSize, "bad manifest");
  return Status::OK();
}

Status WriteManifest(FileSystem* fs, const std::string& dir, const Manifest& m) {
  std::string body;
  PutVarint64(&body, m.generation);
  PutVarint64(&body, m.next_segment);
  PutVarint64(&body, m.fields.size());
  for (const std::string& f : m.fields) PutLengthPrefixed(&body, f);
  PutVarint32(&body, (m.analyzer.bigrams ? kBigrams : 0) | (m.analyzer.joined ? kJoined : 0));
  PutVarint64(&body, m.analyzer.max_token_bytes);
  PutVarint64(&body, m.segments.size());
  for (const ManifestSegment& s : m.segments) {
    PutLengthPrefixed(&body, s.name);
    PutVarint32(&body, s.doc_count);
    PutVarint64(&body, s.del_gen);
    PutVarint32(&body, s.del_count);
  }
  PutVarint64(&body, m.fields.size());
  for (std::size_t i = 0; i < m.fields.size(); ++i) {
    body.push_back(static_cast<char>(m.TypeOf(static_cast<std::uint32_t>(i))));
  }
  const std::string name = ManifestFileName(m.generation);
  const std::string tmp = dir + "/" + name + ".tmp";
  codec::FileBuilder file;
  TIM_RETURN_IF_ERROR(file.Open(fs, tmp, codec::FileKind::kManifest));
  TIM_RETURN_IF_ERROR(file.Append(body));
  TIM_RETURN_IF_ERROR(file.Finish());
  TIM_RETURN_IF_ERROR(fs->Rename(tmp, dir + "/" + name));
  return fs->SyncDir(dir);
}

Status WriteDeletes(FileSystem* fs, const std::string& dir, const std::string& file,
                    const Roaring& deletes) {
  std::string bytes(deletes.getSizeInBytes(true), '\0');
  bytes.resize(deletes.write(bytes.data(), true));
  codec::FileBuilder out;
  TIM_RETURN_IF_ERROR(out.Open(fs, dir + "/" + file, codec::FileKind::kDeletes));
  TIM_RETURN_IF_ERROR(out.Append(bytes));
  return out.Finish();
}

Status ReadDeletes(FileSystem* fs, const std::string& dir, const std::string& file,
                   std::uint32_t doc_count, std::uint32_t expected_count, Roaring* out) {
  std::unique_ptr<MappedFile> mapped;
  TIM_RETURN_IF_ERROR(fs->MapFile(dir + "/" + file, &mapped));
  std::string_view body;
  TIM_RETURN_IF_ERROR(
      codec::CheckFrame(file, mapped->view(), codec::FileKind::kDeletes, true, &body));
  if (roaring_bitmap_portable_deserialize_size(body.data(), body.size()) != body.size()) {
    return codec::CorruptionAt(file, codec::kHeaderSize, "bad deletion bitmap");
  }
  roaring_bitmap_t* bitmap = roaring_bitmap_portable_deserialize_safe(body.data(), body.size());
  if (bitmap == nullptr)
    return codec::CorruptionAt(file, codec::kHeaderSize, "bad deletion bitmap");
  Roaring result(bitmap);
  if (result.cardinality() != expected_count ||
      (expected_count > 0 && result.maximum() >= doc_count)) {
    return Status::Corruption(file + ": " + std::to_string(result.cardinality()) +
                              " deletions, the manifest says " + std::to_string(expected_count));
  }
  *out = std::move(result);
  return Status::OK();
}

Status RemoveUnusedFiles(FileSystem* fs, const std::string& dir,
                         const std::vector<const Manifest*>& kept) {
  std::set<std::string> keep = {kLockFileName};
  for (const Manifest* m : kept) {
    if (m->generation == 0) continue;
    keep.insert(ManifestFileName(m->generation));
    for (const ManifestSegment& s : m->segments) {
      for (int f = 0; f < kSegmentFiles; ++f) {
        keep.insert(SegmentFile(s.name, static_cast<SegmentFileIndex>(f)));
      }
      if (s.del_gen > 0) keep.insert(DeletesFileName(s.name, s.del_gen));
    }
  }
  std::vector<std::string> names;
  TIM_RETURN_IF_ERROR(fs->ListDir(dir, &names));
  for (const std::string& name : names) {
    if (keep.count(name) > 0 || !IsIndexFileName(name)) continue;
    (void)fs->RemoveFile(dir + "/" + name);
  }
  return Status::OK();
}

}  // namespace tim::index
