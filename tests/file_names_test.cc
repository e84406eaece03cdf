// The names of an index's files (src/index/file_names.h): what a writer
// creates, what a reader opens, and what clean-up may remove.

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "index/file_names.h"

namespace tim::testing {
namespace {

TEST(FileNames, ManifestNamesRoundTripAndForeignOnesAreRefused) {
  for (std::uint64_t gen :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{42}, std::uint64_t{UINT64_MAX}}) {
    const std::string name = index::ManifestFileName(gen);
    EXPECT_EQ(name.size(), 29u) << name;
    std::uint64_t back = 7;
    ASSERT_TRUE(index::ParseManifestFileName(name, &back)) << name;
    EXPECT_EQ(back, gen);
  }
  EXPECT_EQ(index::ManifestFileName(3), "manifest-00000000000000000003");
  std::uint64_t gen = 0;
  for (const char* foreign :
       {"manifest-1", "manifest-0000000000000000000x", "manifest-00000000000000000003.tmp",
        "Manifest-00000000000000000003", "manifest-99999999999999999999", "", "seg_00000001"}) {
    EXPECT_FALSE(index::ParseManifestFileName(foreign, &gen)) << foreign;
  }
}

TEST(FileNames, SegmentNamesAndTheirFiles) {
  EXPECT_EQ(index::SegmentName(10), "seg_0000000a");
  EXPECT_TRUE(index::IsSegmentName("seg_0000000a"));
  for (const char* bad : {"seg_0000000A", "seg_000000a", "seg_0000000ag", "sEg_0000000a", ""}) {
    EXPECT_FALSE(index::IsSegmentName(bad)) << bad;
  }
  EXPECT_EQ(index::SegmentFile("seg_0000000a", index::kDoc), "seg_0000000a.doc");
  EXPECT_EQ(index::SegmentFile("seg_0000000a", index::kDid), "seg_0000000a.did");
  EXPECT_EQ(index::DeletesFileName("seg_0000000a", 12), "seg_0000000a_12.del");
  // Every file of a segment has an extension and a kind of its own.
  std::set<std::string> extensions;
  std::set<codec::FileKind> kinds;
  for (int f = 0; f < index::kSegmentFiles; ++f) {
    extensions.insert(index::kSegmentExtensions[f]);
    kinds.insert(index::kSegmentFileKinds[f]);
  }
  EXPECT_EQ(extensions.size(), static_cast<std::size_t>(index::kSegmentFiles));
  EXPECT_EQ(kinds.size(), static_cast<std::size_t>(index::kSegmentFiles));
}

TEST(FileNames, CleanUpTouchesOnlyTheIndexsOwnFiles) {
  for (int f = 0; f < index::kSegmentFiles; ++f) {
    const std::string name =
        index::SegmentFile(index::SegmentName(3), static_cast<index::SegmentFileIndex>(f));
    EXPECT_TRUE(index::IsIndexFileName(name)) << name;
  }
  EXPECT_TRUE(index::IsIndexFileName(index::ManifestFileName(9)));
  EXPECT_TRUE(index::IsIndexFileName(index::ManifestFileName(9) + ".tmp"));
  EXPECT_TRUE(index::IsIndexFileName(index::DeletesFileName(index::SegmentName(3), 4)));
  for (const char* other : {index::kLockFileName, "notes.txt", "tài-liệu.jsonl", "", ".seg"}) {
    EXPECT_FALSE(index::IsIndexFileName(other)) << other;
  }
}

}  // namespace
}  // namespace tim::testing
