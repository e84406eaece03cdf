#include "query/collect.h"

#include <algorithm>
#include <cstdio>

namespace tim::query {

using index::Column;
using index::ColumnKind;

namespace {

std::uint32_t FieldNamed(const index::Manifest& m, const std::string& name) {
  for (std::uint32_t i = 0; i < m.fields.size(); ++i) {
    if (m.fields[i] == name) return i;
  }
  return index::kNoField;
}

Status TypedField(const index::Manifest& m, const std::string& name, const char* what,
                  std::uint32_t* field, FieldType* type) {
  *field = FieldNamed(m, name);
  if (*field == index::kNoField) {
    return Status::InvalidArgument(std::string(what) + ": unknown field \"" + name + "\"");
  }
  *type = m.TypeOf(*field);
  if (*type == FieldType::kText) {
    return Status::InvalidArgument(std::string(what) + ": field \"" + name +
                                   "\" is text; only keyword, number and date fields " + what);
  }
  return Status::OK();
}

}  // namespace

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

Status ResolveSort(const std::vector<SortField>& sort, const index::Manifest& m,
                   std::vector<SortPart>* out) {
  out->clear();
  if (sort.size() > 16) return Status::InvalidArgument("sort: more than 16 fields");
  for (const SortField& f : sort) {
    SortPart p;
    p.descending = f.descending;
    if (f.field == "_score") {
      p.score = true;
    } else {
      TIM_RETURN_IF_ERROR(TypedField(m, f.field, "sort", &p.field, &p.type));
    }
    out->push_back(p);
  }
  return Status::OK();
}

Status ResolveFacets(const std::vector<FacetRequest>& facets, const index::Manifest& m,
                     std::vector<FacetPart>* out) {
  out->clear();
  if (facets.size() > 64) return Status::InvalidArgument("facets: more than 64");
  for (const FacetRequest& r : facets) {
    FacetPart p;
    p.name = r.field;
    TIM_RETURN_IF_ERROR(TypedField(m, r.field, "facets", &p.field, &p.type));
    if (r.top == 0 || r.top > 10000) {
      return Status::InvalidArgument("facet \"" + r.field + "\": top must be 1 to 10000");
    }
    p.top = r.top;
    if (p.type == FieldType::kKeyword && !r.ranges.empty()) {
      return Status::InvalidArgument("facet \"" + r.field +
                                     "\": a keyword field counts its values, not ranges");
    }
    if (p.type != FieldType::kKeyword && r.ranges.empty()) {
      return Status::InvalidArgument("facet \"" + r.field + "\": a " + FieldTypeName(p.type) +
                                     " field counts ranges: give them as \"A TO B\"");
    }
    if (r.ranges.size() > 256) {
      return Status::InvalidArgument("facet \"" + r.field + "\": more than 256 ranges");
    }
    for (const std::string& range : r.ranges) {
      FacetPart::Bucket b;
      b.label = range;
      std::size_t to = std::string::npos;
      for (std::size_t i = 0; i + 4 <= range.size(); ++i) {
        if (range.compare(i, 4, " TO ") == 0 || range.compare(i, 4, " to ") == 0) {
          to = i;
          break;
        }
      }
      if (to == std::string::npos) {
        return Status::InvalidArgument("facet \"" + r.field + "\": range \"" + range +
                                       "\" is not \"A TO B\"");
      }
      const std::string low = Trim(std::string_view(range).substr(0, to));
      const std::string high = Trim(std::string_view(range).substr(to + 4));
      b.open_low = low == "*";
      b.open_high = high == "*";
      const auto read = [&](const std::string& text, FilterValue* v) -> Status {
        const Status s = ReadFilterValue(text, p.type, r.field, v);
        if (!s.ok()) return Status::InvalidArgument("facet range: " + s.message());
        return s;
      };
      if (!b.open_low) TIM_RETURN_IF_ERROR(read(low, &b.low));
      if (!b.open_high) TIM_RETURN_IF_ERROR(read(high, &b.high));
      p.buckets.push_back(std::move(b));
    }
    out->push_back(std::move(p));
  }
  return Status::OK();
}

Collector::Collector(const std::vector<SortPart>& sort, const std::vector<FacetPart>& facets,
                     std::size_t k, const CompareIds* compare_ids)
    : sort_(sort),
      facets_(facets),
      k_(k),
      compare_ids_(compare_ids),
      by_score_(sort.empty() ? k : 0, compare_ids),
      keyword_counts_(facets.size()),
      bucket_counts_(facets.size()) {
  for (std::size_t i = 0; i < facets.size(); ++i)
    bucket_counts_[i].assign(facets[i].buckets.size(), 0);
}

Status Collector::BeginSegment(const index::ColumnReader& columns, std::uint64_t doc_base,
                               bool ids_ascend) {
  base_ = doc_base;
  if (sort_.empty()) by_score_.BeginSegment(doc_base, ids_ascend);
  sort_columns_.clear();
  for (const SortPart& p : sort_)
    sort_columns_.push_back(p.score ? nullptr : columns.Find(p.field));
  if (k_ > 0 && heap_.size() >= k_) UpdateWorst();
  facet_columns_.clear();
  counts_.assign(facets_.size(), {});
  bucket_keys_.assign(facets_.size(), {});
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    const FacetPart& f = facets_[i];
    const Column* c = columns.Find(f.field);
    facet_columns_.push_back(c);
    if (c == nullptr) continue;
    if (c->keyword() != (f.type == FieldType::kKeyword)) {
      return Status::Corruption("column of field " + std::to_string(f.field) +
                                " disagrees with the manifest's type");
    }
    if (c->keyword()) {
      counts_[i].assign(c->value_count(), 0);
      continue;
    }
    counts_[i].assign(f.buckets.size(), 0);
    for (const FacetPart::Bucket& b : f.buckets) {
      KeyRange r;
      std::uint64_t lo = 0, hi = ~std::uint64_t{0}, unused;
      r.any = true;
      if (!b.open_low) r.any = query::KeyRange(*c, FilterNode::Op::kGe, b.low, &lo, &unused);
      if (r.any && !b.open_high)
        r.any = query::KeyRange(*c, FilterNode::Op::kLt, b.high, &unused, &hi);
      r.lo = lo;
      r.hi = hi;
      r.any = r.any && lo <= hi;
      bucket_keys_[i].push_back(r);
    }
  }
  return Status::OK();
}

Status Collector::Count(std::uint32_t doc) { return CountWord(doc, 1); }

Status Collector::CountWord(std::uint32_t first_doc, std::uint64_t word) {
  matches_ += static_cast<std::uint64_t>(__builtin_popcountll(word));
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    const Column* c = facet_columns_[i];
    if (c == nullptr) continue;
    if (c->keyword() && c->single()) {
      // The common facet (a category): one packed ordinal per match.
      std::uint32_t* counts = counts_[i].data();
      const std::uint64_t values = c->value_count();
      for (std::uint64_t w = word; w != 0; w &= w - 1) {
        const std::uint64_t o =
            c->OrdPlusOne(first_doc + static_cast<std::uint32_t>(__builtin_ctzll(w)));
        if (o > values) return Status::Corruption("bad column ordinals");
        if (o > 0) ++counts[o - 1];
      }
      continue;
    }
    for (std::uint64_t w = word; w != 0; w &= w - 1) {
      const std::uint32_t doc = first_doc + static_cast<std::uint32_t>(__builtin_ctzll(w));
      if (c->keyword()) {
        if (!c->Ords(doc, &ords_)) return Status::Corruption("bad column ordinals");
        for (std::uint32_t o : ords_) ++counts_[i][o];
      } else if (c->Has(doc)) {
        const std::uint64_t key = c->Key(doc);
        const std::vector<KeyRange>& ranges = bucket_keys_[i];
        for (std::size_t b = 0; b < ranges.size(); ++b) {
          if (ranges[b].any && key >= ranges[b].lo && key <= ranges[b].hi) ++counts_[i][b];
        }
      }
    }
  }
  return Status::OK();
}

Status Collector::Competes(std::uint32_t doc, bool* competes) {
  // The first sort field's raw key against the worst kept hit's, when the
  // top k is full: most documents lose there, reading one packed value.
  if (worst_.usable && heap_.size() >= k_ && k_ > 0) {
    const Column* c = sort_columns_[0];
    if (!c->Has(doc)) {
      if (!worst_.missing) {
        *competes = false;  // no value: after every kept hit, which has one
        return Status::OK();
      }
    } else if (!worst_.missing) {
      const std::uint64_t k = c->Key(doc);
      if (sort_[0].descending ? k < worst_.key : k > worst_.key) {
        *competes = false;
        return Status::OK();
      }
    }
  }
  scratch_.keys.resize(sort_.size());
  for (std::size_t p = 0; p < sort_.size(); ++p) {
    Value& v = scratch_.keys[p];
    v.missing = true;
    const Column* c = sort_columns_[p];
    if (sort_[p].score || c == nullptr) continue;
    if (c->keyword()) {
      if (!c->Ords(doc, &ords_)) return Status::Corruption("bad column ordinals");
      if (ords_.empty()) continue;
      v.missing = false;
      v.text.assign(c->Value(sort_[p].descending ? ords_.back() : ords_.front()));
    } else if (c->Has(doc)) {
      v.missing = false;
      v.number = c->NumberOf(c->Key(doc));
    }
  }
  *competes = true;
  if (k_ == 0) {
    *competes = false;
  } else if (heap_.size() >= k_) {
    bool score_decides = false;
    const int c = CompareKeys(scratch_, heap_.front(), &score_decides);
    // Ties on every value go by score, then id: the score is needed.
    *competes = score_decides || c <= 0;
  }
  return Status::OK();
}

void Collector::Offer(std::uint32_t doc, float score) {
  scratch_.score = score;
  scratch_.doc = base_ + doc;
  const auto worse = [this](const Entry& a, const Entry& b) { return Before(a, b); };
  if (heap_.size() < k_) {
    heap_.push_back(scratch_);
    std::push_heap(heap_.begin(), heap_.end(), worse);
  } else if (Before(scratch_, heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), worse);
    std::swap(heap_.back(), scratch_);
    std::push_heap(heap_.begin(), heap_.end(), worse);
  }
  if (heap_.size() >= k_) UpdateWorst();
}

bool Collector::BlockLoses(std::uint32_t block) const {
  if (!worst_.usable || worst_.missing || k_ == 0 || heap_.size() < k_) return false;
  const Column* c = sort_columns_[0];
  if (block >= c->blocks()) return false;
  const Column::BlockBounds b = c->Block(block);
  if (b.present == 0) return true;  // no value: after every kept hit
  return sort_[0].descending ? b.max < worst_.key : b.min > worst_.key;
}

void Collector::UpdateWorst() {
  worst_.usable = false;
  if (sort_.empty() || sort_[0].score || heap_.empty() || sort_columns_.empty()) return;
  const Column* c = sort_columns_[0];
  if (c == nullptr || c->keyword()) return;
  const Value& v = heap_.front().keys[0];
  worst_.missing = v.missing;
  worst_.usable = true;
  if (v.missing) return;
  // The worst value as a key of this segment's column, when exact.
  const index::Number& n = v.number;
  if (c->kind() == ColumnKind::kDouble) {
    const double d = n.is_double ? n.d : static_cast<double>(n.i);
    if (!n.is_double && static_cast<std::int64_t>(d) != n.i) worst_.usable = false;
    worst_.key = index::DoubleKey(d);
  } else if (!n.is_double) {
    worst_.key = index::IntKey(n.i);
  } else {
    worst_.usable = false;
  }
}

Status Collector::Add(std::uint32_t doc, float score) {
  TIM_RETURN_IF_ERROR(Count(doc));
  if (k_ == 0) return Status::OK();
  if (sort_.empty()) {
    by_score_.Push(score, base_ + doc);
    return Status::OK();
  }
  bool competes = false;
  TIM_RETURN_IF_ERROR(Competes(doc, &competes));
  if (competes) Offer(doc, score);
  return Status::OK();
}

int Collector::CompareKeys(const Entry& a, const Entry& b, bool* score_decides) const {
  *score_decides = false;
  for (std::size_t p = 0; p < sort_.size(); ++p) {
    const SortPart& part = sort_[p];
    if (part.score) {
      *score_decides = true;
      return 0;
    }
    const Value& x = a.keys[p];
    const Value& y = b.keys[p];
    if (x.missing != y.missing) return x.missing ? 1 : -1;  // a value before none, both ways
    if (x.missing) continue;
    int c = part.type == FieldType::kKeyword ? x.text.compare(y.text)
                                             : index::CompareNumbers(x.number, y.number);
    c = c < 0 ? -1 : (c > 0 ? 1 : 0);
    if (part.descending) c = -c;
    if (c != 0) return c;
  }
  return 0;
}

bool Collector::Before(const Entry& a, const Entry& b) const {
  for (std::size_t p = 0; p < sort_.size(); ++p) {
    const SortPart& part = sort_[p];
    int c = 0;
    if (part.score) {
      c = a.score < b.score ? -1 : (a.score > b.score ? 1 : 0);
      if (part.descending) c = -c;
    } else {
      const Value& x = a.keys[p];
      const Value& y = b.keys[p];
      if (x.missing != y.missing) return y.missing;  // a value before none, both ways
      if (x.missing) continue;
      c = part.type == FieldType::kKeyword ? x.text.compare(y.text)
                                           : index::CompareNumbers(x.number, y.number);
      c = c < 0 ? -1 : (c > 0 ? 1 : 0);
      if (part.descending) c = -c;
    }
    if (c != 0) return c < 0;
  }
  if (a.score != b.score) return a.score > b.score;
  if (a.doc == b.doc) return false;
  return (*compare_ids_)(a.doc, b.doc) < 0;
}

void Collector::EndSegment() {
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    const Column* c = facet_columns_[i];
    if (c == nullptr) continue;
    for (std::size_t j = 0; j < counts_[i].size(); ++j) {
      if (counts_[i][j] == 0) continue;
      if (c->keyword()) {
        keyword_counts_[i][std::string(c->Value(static_cast<std::uint32_t>(j)))] += counts_[i][j];
      } else {
        bucket_counts_[i][j] += counts_[i][j];
      }
    }
  }
  facet_columns_.clear();
  sort_columns_.clear();
  worst_.usable = false;
}

std::string Collector::Text(const SortPart& part, const Value& v, float score) const {
  if (part.score) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", score);
    return buf;
  }
  if (v.missing) return "";
  if (part.type == FieldType::kKeyword) return v.text;
  if (part.type == FieldType::kDate) return index::FormatDate(v.number.i);
  return index::FormatNumber(v.number);
}

std::vector<TopK::Entry> Collector::Top(std::vector<std::vector<std::string>>* sort_values) const {
  sort_values->clear();
  if (sort_.empty()) return by_score_.Sorted();
  std::vector<Entry> sorted = heap_;
  std::sort(sorted.begin(), sorted.end(),
            [this](const Entry& a, const Entry& b) { return Before(a, b); });
  std::vector<TopK::Entry> out;
  for (const Entry& e : sorted) {
    out.push_back({e.score, e.doc});
    std::vector<std::string> texts;
    for (std::size_t p = 0; p < sort_.size(); ++p)
      texts.push_back(Text(sort_[p], e.keys[p], e.score));
    sort_values->push_back(std::move(texts));
  }
  return out;
}

std::vector<Facet> Collector::Facets() const {
  std::vector<Facet> out;
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    Facet f;
    f.field = facets_[i].name;
    if (facets_[i].type == FieldType::kKeyword) {
      std::vector<std::pair<std::string, std::uint64_t>> all(keyword_counts_[i].begin(),
                                                             keyword_counts_[i].end());
      const std::size_t n = std::min(all.size(), facets_[i].top);
      std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                        [](const auto& a, const auto& b) {
                          return a.second != b.second ? a.second > b.second : a.first < b.first;
                        });
      for (std::size_t j = 0; j < n; ++j) f.counts.push_back({all[j].first, all[j].second});
    } else {
      for (std::size_t j = 0; j < facets_[i].buckets.size(); ++j) {
        f.counts.push_back({facets_[i].buckets[j].label, bucket_counts_[i][j]});
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tim::query

namespace tim {

Status ParseSortSpec(std::string_view spec, std::vector<SortField>* out) {
  out->clear();
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string item = query::Trim(spec.substr(start, comma - start));
    SortField f;
    bool plus = false;
    if (!item.empty() && (item[0] == '-' || item[0] == '+')) {
      f.descending = item[0] == '-';
      plus = item[0] == '+';
      item.erase(0, 1);
    }
    if (item.empty()) {
      return Status::InvalidArgument("sort: empty field in \"" + std::string(spec) + "\"");
    }
    if (item == "_score" && !plus) f.descending = true;  // best first unless "+_score"
    f.field = std::move(item);
    out->push_back(std::move(f));
    start = comma + 1;
  }
  return Status::OK();
}

Status ParseFacetSpec(std::string_view spec, FacetRequest* out) {
  *out = FacetRequest();
  const std::size_t colon = spec.find(':');
  out->field = query::Trim(spec.substr(0, colon));
  if (out->field.empty())
    return Status::InvalidArgument("facet: no field in \"" + std::string(spec) + "\"");
  if (colon == std::string_view::npos) return Status::OK();
  const std::string rest = query::Trim(spec.substr(colon + 1));
  if (!rest.empty() && rest.find_first_not_of("0123456789") == std::string::npos) {
    if (rest.size() > 6) return Status::InvalidArgument("facet: top must be 1 to 10000");
    out->top = static_cast<std::size_t>(std::stoul(rest));
    return Status::OK();
  }
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t comma = rest.find(',', start);
    if (comma == std::string::npos) comma = rest.size();
    std::string range = query::Trim(std::string_view(rest).substr(start, comma - start));
    if (range.empty())
      return Status::InvalidArgument("facet: empty range in \"" + std::string(spec) + "\"");
    out->ranges.push_back(std::move(range));
    start = comma + 1;
  }
  return Status::OK();
}

}  // namespace tim
