// Filters on typed fields (docs/query.md, "Filters"): an expression in the
// syntax Meilisearch users know, read against an index's schema and
// evaluated segment by segment into the set of documents that pass.
// Filters never change scores.
//
//   category = "Thể thao" AND published >= 2017-01-01
//   price 100000 TO 500000 OR NOT (tags IN [sale, "giảm giá"])
//   category ~ "the thao"          (keyword, compared folded)
//   published EXISTS               (has a value)
//
// Dates compare by the span their literal names: "2017-02-06" is that whole
// day, "2017-02" the month, "2017" the year: published = 2017-02 holds every
// time of February 2017, published > 2017-02 starts in March.

#ifndef TIM_QUERY_FILTER_H_
#define TIM_QUERY_FILTER_H_

#include <roaring/roaring.hh>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index/columns.h"
#include "index/manifest.h"
#include "index/segment.h"
#include "index/typed_value.h"
#include "tim/query.h"
#include "tim/status.h"

namespace tim::query {

// A literal of a filter, read by its field's type.
struct FilterValue {
  std::string text;        // as written
  index::Number number;    // number fields
  std::int64_t start = 0;  // dates: the span [start, end) in milliseconds
  std::int64_t end = 0;
};

struct FilterNode {
  enum class Kind : std::uint8_t {
    kAnd,
    kOr,
    kNot,
    kCompare,  // field op value
    kRange,    // field A TO B (both included)
    kIn,       // field IN [values]
    kExists,   // field EXISTS
  };
  enum class Op : std::uint8_t { kEq, kLt, kLe, kGt, kGe, kFolded };
  Kind kind = Kind::kAnd;
  Op op = Op::kEq;
  std::uint32_t field = 0;
  FieldType type = FieldType::kKeyword;
  std::vector<FilterValue> values;  // kCompare: 1, kRange: 2, kIn: any
  std::vector<FilterNode> children;
};

// Reads `text` against the manifest's fields. InvalidArgument naming what
// is wrong and where ("filter: unknown field \"gia\" at column 1"): a
// syntax error, an unknown or text field, a value that does not fit the
// field's type, an operator the type has no meaning for (~ on a number).
Status ParseFilter(std::string_view text, const index::Manifest& manifest, FilterNode* out);

// Reads `text` as a value of a field of type `type` (named `field`, for
// the message): a number, a date and its span, or a keyword as it is.
Status ReadFilterValue(std::string_view text, FieldType type, const std::string& field,
                       FilterValue* out);

// The folded form of a keyword for the ~ operator ("Thể thao" -> "the thao").
using FoldFn = std::function<std::string(std::string_view)>;

// The documents of a segment (of `doc_count` documents, columns
// `columns`) that pass `node`, deleted or not. Corruption when a column's
// bytes are damaged.
Status EvaluateFilter(const FilterNode& node, const index::ColumnReader& columns,
                      std::uint32_t doc_count, const FoldFn& fold, Roaring* out);

// The key range [*lo, *hi] of column `c` that `op value` selects on a
// number or date column; false when it selects nothing. Shared by filters
// and range facets.
bool KeyRange(const index::Column& c, FilterNode::Op op, const FilterValue& value,
              std::uint64_t* lo, std::uint64_t* hi);

// Takes the filters out of a query (Query::Filter, "{...}" in the query
// language) into *filters, each as SearchOptions::filters would hold it (a
// kMustNot filter as NOT (...)), leaving the words. A filter narrows the
// whole query, so it must stand at its top: the query itself, a clause of
// the top kBool other than an OR alternative, or a clause of an AND at the
// top; anywhere else is InvalidArgument naming it.
Status LiftFilters(tim::Query* root, std::vector<std::string>* filters);

}  // namespace tim::query

#endif  // TIM_QUERY_FILTER_H_
