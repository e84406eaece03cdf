#include "index/file_names.h"

#include <cstdio>

namespace tim::index {
namespace {

constexpr std::string_view kManifestPrefix = "manifest-";
constexpr std::size_t kGenerationDigits = 20;
constexpr std::string_view kSegmentPrefix = "seg_";
constexpr std::size_t kSegmentDigits = 8;

}  // namespace

const char* const kSegmentExtensions[kSegmentFiles] = {".seg", ".tim", ".doc", ".pos", ".nrm",
                                                       ".sto", ".ids", ".lm",  ".did", ".col"};
const codec::FileKind kSegmentFileKinds[kSegmentFiles] = {
    codec::FileKind::kSegmentInfo, codec::FileKind::kTermDict,      codec::FileKind::kPostings,
    codec::FileKind::kPositions,   codec::FileKind::kNorms,         codec::FileKind::kStore,
    codec::FileKind::kIds,         codec::FileKind::kLanguageModel, codec::FileKind::kDocIds,
    codec::FileKind::kColumns};

std::string ManifestFileName(std::uint64_t generation) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%020llu", static_cast<unsigned long long>(generation));
  return std::string(kManifestPrefix) + buf;
}

bool ParseManifestFileName(std::string_view name, std::uint64_t* generation) {
  if (name.size() != kManifestPrefix.size() + kGenerationDigits ||
      name.substr(0, kManifestPrefix.size()) != kManifestPrefix) {
    return false;
  }
  std::uint64_t gen = 0;
  for (char c : name.substr(kManifestPrefix.size())) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (c < '0' || c > '9' || gen > (UINT64_MAX - digit) / 10) return false;
    gen = gen * 10 + digit;
  }
  *generation = gen;
  return true;
}

std::string SegmentName(std::uint64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%08llx", static_cast<unsigned long long>(number));
  return std::string(kSegmentPrefix) + buf;
}

bool IsSegmentName(std::string_view name) {
  if (name.size() != kSegmentPrefix.size() + kSegmentDigits ||
      name.substr(0, kSegmentPrefix.size()) != kSegmentPrefix) {
    return false;
  }
  for (char c : name.substr(kSegmentPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string SegmentFile(const std::string& segment, SegmentFileIndex file) {
  return segment + kSegmentExtensions[file];
}

std::string DeletesFileName(const std::string& segment, std::uint64_t del_gen) {
  return segment + "_" + std::to_string(del_gen) + ".del";
}

bool IsIndexFileName(std::string_view name) {
  return name.substr(0, kManifestPrefix.size()) == kManifestPrefix ||
         name.substr(0, kSegmentPrefix.size()) == kSegmentPrefix;
}

}  // namespace tim::index
