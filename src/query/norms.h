// Length norms (bm25f.h Scoring::LengthNorm) read where they are scored, with nothing
// built per document: a segment's field lengths stay in its mapped .nrm
// file, and each scoring (the searcher's own, or a collection's) keeps one
// table per field of the norm of every length below kNormTableSize. A
// document's norm is its length looked up in that table (computed the same
// way, so scores are the same floats), or computed for a longer field.
// Opening a searcher thus costs nothing per document, and a sharded search
// with a collection's averages builds a few tables, not a float per
// document.
#ifndef TIM_QUERY_NORMS_H_
#define TIM_QUERY_NORMS_H_

#include <cstdint>
#include <vector>

#include "codec/varint.h"
#include "index/segment.h"
#include "query/bm25f.h"

namespace tim::query {

// Lengths below this are looked up (16 KiB per field): most titles and
// bodies.
constexpr std::uint32_t kNormTableSize = 4096;

// One scoring's tables, per field number. Not copyable: FieldNorms point
// into it.
class NormTables {
 public:
  explicit NormTables(const Scoring& scoring) : b_(scoring.b()), avg_(scoring.avg_length) {
    tables_.resize(avg_.size());
    for (std::uint32_t f = 0; f < avg_.size(); ++f) {
      tables_[f].resize(kNormTableSize);
      for (std::uint32_t len = 0; len < kNormTableSize; ++len) {
        tables_[f][len] = scoring.LengthNorm(f, len);
      }
    }
  }
  NormTables(const NormTables&) = delete;
  NormTables& operator=(const NormTables&) = delete;

  const std::vector<float>& avg_length() const { return avg_; }
  std::uint32_t fields() const { return static_cast<std::uint32_t>(tables_.size()); }
  const float* table(std::uint32_t field) const { return tables_[field].data(); }
  float b() const { return b_; }

 private:
  float b_;
  std::vector<float> avg_;
  std::vector<std::vector<float>> tables_;
};

// Where a segment lacks a field: one length of 0 for every document.
inline constexpr char kNoLengths[4] = {0, 0, 0, 0};

// One field's norms in one segment.
struct FieldNorms {
  // fixed32 per document, `stride` bytes apart: 4, or 0 on kNoLengths where
  // the segment lacks the field (no posting of it is ever scored there).
  const char* lengths = kNoLengths;
  std::uint64_t stride = 0;
  const float* table = nullptr;  // NormTables::table(field)
  float b = 0, avg = 0;          // for lengths past the table
  // `doc` is below the segment's document count (the postings decoder
  // checks every document number against it).
  float operator()(std::uint32_t doc) const {
    const std::uint32_t len = codec::DecodeFixed32(lengths + stride * doc);
    return len < kNormTableSize ? table[len] : LengthNormOf(b, avg, len);
  }
};

// Per field number of a scoring.
using SegmentNorms = std::vector<FieldNorms>;

inline SegmentNorms NormsOf(const NormTables& tables, const index::SegmentReader& reader) {
  SegmentNorms out(tables.fields());
  for (std::uint32_t f = 0; f < tables.fields(); ++f) {
    const char* lengths = reader.FieldLengths(f);
    out[f] = FieldNorms{lengths != nullptr ? lengths : kNoLengths, lengths != nullptr ? 4u : 0u,
                        tables.table(f), tables.b(), tables.avg_length()[f]};
  }
  return out;
}

}  // namespace tim::query

#endif  // TIM_QUERY_NORMS_H_
