// A Snapshot is one commit opened for reading: the manifest, a reader per
// segment and each segment's deletions. Immutable once built, shared by
// IndexReader and the query core. Segment readers are shared between
// snapshots (Reopen keeps the ones both commits name).

#ifndef TIM_INDEX_SNAPSHOT_H_
#define TIM_INDEX_SNAPSHOT_H_

#include <roaring/roaring.hh>

#include <memory>
#include <string>
#include <vector>

#include "index/manifest.h"
#include "index/segment.h"
#include "tim/index.h"
#include "util/hidden.h"

namespace tim::internal {

struct SegmentView {
  std::shared_ptr<const index::SegmentReader> reader;
  std::shared_ptr<const Roaring> deletes;  // null: nothing deleted
  std::uint32_t live_docs = 0;

  bool IsDeleted(std::uint32_t doc) const { return deletes != nullptr && deletes->contains(doc); }
};

struct Snapshot {
  index::Manifest manifest;
  std::vector<SegmentView> segments;
  std::uint64_t live_docs = 0;
};

// Opens the newest commit of `dir`. Segments of `previous` (may be null)
// that the commit still names are reused. A file that vanished because a
// writer committed meanwhile makes it retry with the newer manifest.
Status LoadSnapshot(FileSystem* fs, const std::string& dir, bool verify_checksums,
                    const Snapshot* previous, std::shared_ptr<const Snapshot>* out);

// Opens commit `generation` (0: the empty index) with no retry.
Status LoadCommit(FileSystem* fs, const std::string& dir, bool verify_checksums,
                  const Snapshot* previous, std::uint64_t generation,
                  std::shared_ptr<const Snapshot>* out);

}  // namespace tim::internal

namespace tim {

struct TIM_HIDDEN IndexReader::Rep {
  std::string dir;
  ReaderOptions options;
  std::shared_ptr<const internal::Snapshot> snapshot;
};

// The one door from a public IndexReader to its commit (a friend of it).
struct TIM_HIDDEN ReaderInternals {
  static const internal::Snapshot& Of(const IndexReader& reader) { return *reader.rep_->snapshot; }
};

namespace internal {
// The commit a reader sees: for the query core, tests and benchmarks.
inline const Snapshot& SnapshotOf(const IndexReader& reader) { return ReaderInternals::Of(reader); }
}  // namespace internal

}  // namespace tim

#endif  // TIM_INDEX_SNAPSHOT_H_
