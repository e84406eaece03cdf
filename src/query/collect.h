// Collecting every match of a search for what the top k by score cannot
// give: hits in the order of typed fields (SearchOptions::sort) and counts
// of their values (SearchOptions::facets). The matches come segment by
// segment, each segment's in document order.

#ifndef TIM_QUERY_COLLECT_H_
#define TIM_QUERY_COLLECT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "index/columns.h"
#include "index/manifest.h"
#include "index/segment.h"
#include "query/filter.h"
#include "query/topk.h"
#include "tim/search.h"
#include "tim/status.h"

namespace tim::query {

// A sort field read against the index's fields.
struct SortPart {
  bool score = false;  // "_score"
  bool descending = false;
  std::uint32_t field = 0;
  FieldType type = FieldType::kKeyword;
};

// A facet request read against the index's fields.
struct FacetPart {
  std::string name;
  std::uint32_t field = 0;
  FieldType type = FieldType::kKeyword;
  std::size_t top = 10;
  struct Bucket {
    std::string label;
    bool open_low = false, open_high = false;
    FilterValue low, high;  // [low, high)
  };
  std::vector<Bucket> buckets;
};

// `s` without the spaces and tabs around it.
std::string Trim(std::string_view s);

// InvalidArgument naming an unknown or text field, a keyword facet with
// ranges or a number facet without, a malformed bucket.
Status ResolveSort(const std::vector<SortField>& sort, const index::Manifest& m,
                   std::vector<SortPart>* out);
Status ResolveFacets(const std::vector<FacetRequest>& facets, const index::Manifest& m,
                     std::vector<FacetPart>* out);

class Collector {
 public:
  // Keeps the best `k` by `sort` (by score when empty; ties by id through
  // `compare_ids`) and counts `facets`.
  Collector(const std::vector<SortPart>& sort, const std::vector<FacetPart>& facets, std::size_t k,
            const CompareIds* compare_ids);
  // Before a segment's matches: its columns, its first global doc number,
  // whether its ids ascend with its doc numbers.
  Status BeginSegment(const index::ColumnReader& columns, std::uint64_t doc_base, bool ids_ascend);
  // A match of the current segment (increasing doc order).
  Status Add(std::uint32_t doc, float score);
  // Add() in parts, for a caller that scores only the documents whose sort
  // values can enter the top k: count a match and its facets; read its
  // sort values and say whether it may enter (then Offer() it with its
  // score). A caller without sort fields keeps its own top k by score.
  Status Count(std::uint32_t doc);
  Status Competes(std::uint32_t doc, bool* competes);
  void Offer(std::uint32_t doc, float score);
  bool sorted() const { return !sort_.empty(); }
  bool counts_facets() const { return !facets_.empty(); }
  // Count() of the matches `word` marks: documents first_doc + bit.
  Status CountWord(std::uint32_t first_doc, std::uint64_t word);
  // Counts `n` matches that no facet needs to see.
  void CountMatches(std::uint64_t n) { matches_ += n; }
  // Whether no document of column block `block` (kColumnBlock documents)
  // can enter the top k, by the block's bounds of the first sort field:
  // sorting skips whole blocks without reading a value.
  bool BlockLoses(std::uint32_t block) const;
  // After the segment's last match.
  void EndSegment();
  std::uint64_t matches() const { return matches_; }
  // The best k, best first, with each hit's sort values as text.
  std::vector<TopK::Entry> Top(std::vector<std::vector<std::string>>* sort_values) const;
  std::vector<Facet> Facets() const;

 private:
  struct Value {
    bool missing = true;
    index::Number number;
    std::string text;
  };
  struct Entry {
    std::vector<Value> keys;
    float score;
    std::uint64_t doc;
  };
  // Whether a ranks before b.
  bool Before(const Entry& a, const Entry& b) const;
  // Negative, zero, positive as a's sort values rank before, tie with,
  // rank after b's; `score_decides` set when a "_score" part is reached
  // before the values differ.
  int CompareKeys(const Entry& a, const Entry& b, bool* score_decides) const;
  // The worst kept hit's first sort value as a raw key of the current
  // segment's column (a number or date column), for Competes' quick test.
  void UpdateWorst();
  struct Worst {
    bool usable = false;  // the key below is exact for this segment
    bool missing = false;
    std::uint64_t key = 0;
  };
  Worst worst_;
  std::string Text(const SortPart& part, const Value& v, float score) const;

  const std::vector<SortPart>& sort_;
  const std::vector<FacetPart>& facets_;
  std::size_t k_;
  const CompareIds* compare_ids_;
  TopK by_score_;
  std::vector<Entry> heap_;  // sort: the worst first (a heap under Before)
  Entry scratch_;
  std::uint64_t matches_ = 0;
  // The current segment.
  std::uint64_t base_ = 0;
  std::vector<const index::Column*> sort_columns_, facet_columns_;
  std::vector<std::vector<std::uint32_t>> counts_;  // per facet: per ordinal or bucket
  struct KeyRange {
    bool any = false;
    std::uint64_t lo = 0, hi = 0;
  };
  std::vector<std::vector<KeyRange>> bucket_keys_;  // per facet, per bucket
  std::vector<std::uint32_t> ords_;
  Status status_;
  // Totals.
  std::vector<std::map<std::string, std::uint64_t>> keyword_counts_;
  std::vector<std::vector<std::uint64_t>> bucket_counts_;
};

}  // namespace tim::query

#endif  // TIM_QUERY_COLLECT_H_
