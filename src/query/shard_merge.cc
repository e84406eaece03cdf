// A shard's answer as bytes, and the merge of every shard's answers into
// the results of one index (include/tim/shards.h).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <utility>

#include "codec/message.h"
#include "index/typed_value.h"
#include "query/readings.h"
#include "tim/shards.h"

namespace tim {

// Serialized (docs/format.md, "Shard answer"):
//   "TIMA" | version varint | requested | readings count (1 or 2)
//   | dressed byte
//   | each reading: total_hits, exact byte, postings_scored, rewritten,
//     suggestion, notes (count, then each), hits (count, then id and score
//     as the float's fixed32 bits each; dressed: title, snippet, then
//     highlights: count, then start and end each)
//   | version 2: sort types (count, then a FieldType byte each), and per
//     reading: each hit's sort values (count, then each), facets (count,
//     then field, and its counts: count, then value and number each)
//   | XXH3-64 of everything before it (fixed64)
namespace {

constexpr std::string_view kMagic = "TIMA";
constexpr std::uint64_t kAnswerVersion = 2;

void PutResults(std::string* out, const SearchResults& r, bool dressed) {
  codec::PutVarint64(out, r.total_hits);
  out->push_back(r.total_hits_exact ? 1 : 0);
  codec::PutVarint64(out, r.postings_scored);
  codec::PutString(out, r.rewritten);
  codec::PutString(out, r.suggestion);
  codec::PutVarint64(out, r.notes.size());
  for (const std::string& note : r.notes) codec::PutString(out, note);
  codec::PutVarint64(out, r.hits.size());
  for (const Hit& hit : r.hits) {
    codec::PutString(out, hit.id);
    std::uint32_t bits;
    std::memcpy(&bits, &hit.score, sizeof(bits));
    codec::PutFixed32(out, bits);
    if (!dressed) continue;
    codec::PutString(out, hit.title);
    codec::PutString(out, hit.snippet);
    codec::PutVarint64(out, hit.highlights.size());
    for (const auto& [start, end] : hit.highlights) {
      codec::PutVarint64(out, start);
      codec::PutVarint64(out, end);
    }
  }
}

// What version 2 added to a reading: sort values and facets.
void PutExtras(std::string* out, const SearchResults& r) {
  for (const Hit& hit : r.hits) {
    codec::PutVarint64(out, hit.sort_values.size());
    for (const std::string& v : hit.sort_values) codec::PutString(out, v);
  }
  codec::PutVarint64(out, r.facets.size());
  for (const Facet& f : r.facets) {
    codec::PutString(out, f.field);
    codec::PutVarint64(out, f.counts.size());
    for (const FacetCount& c : f.counts) {
      codec::PutString(out, c.value);
      codec::PutVarint64(out, c.count);
    }
  }
}

void ReadExtras(codec::MessageReader* d, std::size_t sort_fields, SearchResults* r) {
  for (Hit& hit : r->hits) {
    const std::uint64_t n = d->Count(1);
    if (n != sort_fields) d->Fail();
    for (std::uint64_t i = 0; d->ok() && i < n; ++i) hit.sort_values.push_back(d->String());
  }
  for (std::uint64_t n = d->Count(2); d->ok() && n > 0; --n) {
    Facet f;
    f.field = d->String();
    for (std::uint64_t m = d->Count(2); d->ok() && m > 0; --m) {
      FacetCount c;
      c.value = d->String();
      c.count = d->Number();
      f.counts.push_back(std::move(c));
    }
    r->facets.push_back(std::move(f));
  }
}

void ReadResults(codec::MessageReader* d, bool dressed, SearchResults* r) {
  r->total_hits = d->Number();
  const std::uint8_t exact = d->Byte();
  if (exact > 1) d->Fail();
  r->total_hits_exact = exact == 1;
  r->postings_scored = d->Number();
  r->rewritten = d->String();
  r->suggestion = d->String();
  for (std::uint64_t n = d->Count(1); d->ok() && n > 0; --n) r->notes.push_back(d->String());
  for (std::uint64_t n = d->Count(dressed ? 8 : 5); d->ok() && n > 0; --n) {
    Hit hit;
    hit.id = d->String();
    const std::uint32_t bits = d->Fixed32();
    std::memcpy(&hit.score, &bits, sizeof(bits));
    if (!std::isfinite(hit.score)) d->Fail();  // scores are ordered: no NaN
    if (dressed) {
      hit.title = d->String();
      hit.snippet = d->String();
      for (std::uint64_t m = d->Count(2); d->ok() && m > 0; --m) {
        const std::uint64_t start = d->Number();
        const std::uint64_t end = d->Number();
        // Highlights are ranges of the snippet, in order.
        const std::uint64_t last = hit.highlights.empty() ? 0 : hit.highlights.back().second;
        if (start < last || end < start || end > hit.snippet.size()) d->Fail();
        hit.highlights.emplace_back(static_cast<std::uint32_t>(start),
                                    static_cast<std::uint32_t>(end));
      }
    }
    r->hits.push_back(std::move(hit));
  }
}

}  // namespace

std::string ShardAnswer::Serialize() const {
  std::string out = codec::BeginMessage(kMagic, kAnswerVersion);
  codec::PutVarint64(&out, requested);
  codec::PutVarint64(&out, has_relaxed ? 2 : 1);
  out.push_back(dressed ? 1 : 0);
  PutResults(&out, results, dressed);
  if (has_relaxed) PutResults(&out, relaxed, dressed);
  codec::PutVarint64(&out, sort_types.size());
  for (FieldType t : sort_types) out.push_back(static_cast<char>(t));
  PutExtras(&out, results);
  if (has_relaxed) PutExtras(&out, relaxed);
  codec::EndMessage(&out);
  return out;
}

Status ShardAnswer::Parse(std::string_view bytes, ShardAnswer* out) {
  codec::MessageReader d;
  TIM_RETURN_IF_ERROR(d.Open(bytes, kMagic, kAnswerVersion, "shard answer"));
  ShardAnswer a;
  a.requested = d.Number();
  const std::uint64_t readings = d.Number();
  if (readings != 1 && readings != 2) d.Fail();
  const std::uint8_t dressed = d.Byte();
  if (dressed > 1) d.Fail();
  a.dressed = dressed == 1;
  ReadResults(&d, a.dressed, &a.results);
  a.has_relaxed = readings == 2;
  if (a.has_relaxed) {
    ReadResults(&d, a.dressed, &a.relaxed);
    a.relaxed.relaxed = true;
  }
  if (a.results.hits.size() > a.requested || a.relaxed.hits.size() > a.requested) d.Fail();
  for (std::uint64_t n = d.Count(1); d.ok() && n > 0; --n) {
    const std::uint8_t t = d.Byte();
    if (t > static_cast<std::uint8_t>(FieldType::kDate)) d.Fail();
    a.sort_types.push_back(static_cast<FieldType>(t));
  }
  ReadExtras(&d, a.sort_types.size(), &a.results);
  if (a.has_relaxed) ReadExtras(&d, a.sort_types.size(), &a.relaxed);
  TIM_RETURN_IF_ERROR(d.Finish());
  *out = std::move(a);
  return Status::OK();
}

namespace {

// Whether hit a ranks before hit b by the sort fields (their types from
// the answers, their directions from the options), then by RanksBefore.
class SortOrder {
 public:
  SortOrder(const std::vector<SortField>& sort, const std::vector<FieldType>& types)
      : sort_(sort), types_(types) {}
  bool operator()(const Hit& a, const Hit& b) const {
    for (std::size_t i = 0; i < sort_.size() && i < types_.size(); ++i) {
      int c = 0;
      if (types_[i] == FieldType::kText) {  // the score
        c = a.score < b.score ? -1 : (a.score > b.score ? 1 : 0);
      } else {
        const std::string& x = a.sort_values[i];
        const std::string& y = b.sort_values[i];
        if (x.empty() != y.empty()) return y.empty();  // a value before none, both ways
        if (x.empty()) continue;
        c = Compare(types_[i], x, y);
      }
      if (sort_[i].descending) c = -c;
      if (c != 0) return c < 0;
    }
    return RanksBefore(a, b);
  }

 private:
  static int Compare(FieldType type, const std::string& x, const std::string& y) {
    if (type == FieldType::kKeyword) {
      const int c = x.compare(y);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (type == FieldType::kDate) {
      std::int64_t a = 0, b = 0;
      index::ParseDate(x, &a);
      index::ParseDate(y, &b);
      return a < b ? -1 : (a > b ? 1 : 0);
    }
    index::Number a, b;
    index::ParseNumber(x, &a);
    index::ParseNumber(y, &b);
    const int c = index::CompareNumbers(a, b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  const std::vector<SortField>& sort_;
  const std::vector<FieldType>& types_;
};

// Facets summed over every reading: keyword values by value (the `top`
// largest kept), buckets by position.
std::vector<Facet> MergeFacets(const std::vector<const SearchResults*>& readings,
                               const std::vector<FacetRequest>& requests) {
  std::vector<Facet> out;
  for (std::size_t f = 0; f < requests.size(); ++f) {
    Facet merged;
    merged.field = requests[f].field;
    std::map<std::string, std::uint64_t> sums;
    std::vector<std::string> order;  // buckets, as asked
    for (const SearchResults* r : readings) {
      if (f >= r->facets.size()) continue;
      for (const FacetCount& c : r->facets[f].counts) {
        auto [it, added] = sums.emplace(c.value, 0);
        if (added) order.push_back(c.value);
        it->second += c.count;
      }
    }
    if (!requests[f].ranges.empty()) {
      for (const std::string& range : requests[f].ranges) {
        const auto it = sums.find(range);
        merged.counts.push_back({range, it == sums.end() ? 0 : it->second});
      }
    } else {
      std::vector<std::pair<std::string, std::uint64_t>> all(sums.begin(), sums.end());
      const std::size_t n = std::min(all.size(), requests[f].top);
      std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                        [](const auto& a, const auto& b) {
                          return a.second != b.second ? a.second > b.second : a.first < b.first;
                        });
      for (std::size_t i = 0; i < n; ++i) merged.counts.push_back({all[i].first, all[i].second});
    }
    out.push_back(std::move(merged));
  }
  return out;
}

// The best `want` hits of one reading over every answer, each with the
// answer it came from; totals summed.
void MergeReading(const std::vector<const SearchResults*>& readings, std::size_t want,
                  const SortOrder& order, SearchResults* out, std::vector<std::size_t>* from) {
  std::vector<std::pair<const Hit*, std::size_t>> all;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    const SearchResults& r = *readings[i];
    out->total_hits += r.total_hits;
    out->total_hits_exact = out->total_hits_exact && r.total_hits_exact;
    out->postings_scored += r.postings_scored;
    for (const Hit& hit : r.hits) all.emplace_back(&hit, i);
  }
  const std::size_t keep = std::min(want, all.size());
  const auto before = [&order](const auto& a, const auto& b) { return order(*a.first, *b.first); };
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(),
                    before);
  out->hits.clear();
  from->clear();
  for (std::size_t i = 0; i < keep; ++i) {
    out->hits.push_back(*all[i].first);
    from->push_back(all[i].second);
  }
  // Every shard read the query alike, scoring with the same statistics.
  out->rewritten = readings[0]->rewritten;
  out->suggestion = readings[0]->suggestion;
  out->notes = readings[0]->notes;
}

}  // namespace

Status MergeShards(const std::vector<ShardAnswer>& answers, const SearchOptions& options,
                   SearchResults* out, std::vector<std::size_t>* shard_of_hit) {
  *out = SearchResults();
  std::vector<std::size_t> from;
  if (answers.empty()) return Status::InvalidArgument("merging shards: no shard answer");
  const std::size_t want = options.k + options.offset;
  std::vector<const SearchResults*> readings;
  const SortOrder order(options.sort, answers[0].sort_types);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].sort_types != answers[0].sort_types ||
        answers[i].sort_types.size() != options.sort.size()) {
      return Status::InvalidArgument("merging shards: answer " + std::to_string(i) +
                                     " was sorted otherwise (other fields, or their types "
                                     "differ between shards)");
    }
    for (const Hit& hit : answers[i].results.hits) {
      if (hit.sort_values.size() != options.sort.size()) {
        return Status::InvalidArgument("merging shards: answer " + std::to_string(i) +
                                       " lacks its hits' sort values");
      }
    }
    if (answers[i].requested < want) {
      return Status::InvalidArgument("merging shards: answer " + std::to_string(i) + " holds " +
                                     std::to_string(answers[i].requested) +
                                     " hits, k + offset is " + std::to_string(want));
    }
    readings.push_back(&answers[i].results);
  }
  MergeReading(readings, want, order, out, &from);
  out->facets = MergeFacets(readings, options.facets);
  if (options.default_operator == DefaultOperator::kAnd && options.relax_and &&
      query::TriesRelaxed(out->hits.size(), want)) {
    // Every shard found fewer than `want` (one that found more would make
    // the merge find enough): each has its relaxed reading.
    readings.clear();
    for (std::size_t i = 0; i < answers.size(); ++i) {
      if (!answers[i].has_relaxed) {
        return Status::InvalidArgument(
            "merging shards: answer " + std::to_string(i) +
            " has no ranked-OR reading (searched without default AND or relax_and?)");
      }
      readings.push_back(&answers[i].relaxed);
    }
    SearchResults relaxed;
    std::vector<std::size_t> relaxed_from;
    MergeReading(readings, want, order, &relaxed, &relaxed_from);
    relaxed.facets = MergeFacets(readings, options.facets);
    if (query::TakesRelaxed(out->hits.size(), relaxed.hits.size())) {
      // The work of both readings was done.
      relaxed.postings_scored += out->postings_scored;
      *out = std::move(relaxed);
      from = std::move(relaxed_from);
      out->relaxed = true;
    } else {
      out->postings_scored += relaxed.postings_scored;
    }
  }
  const std::size_t skip = std::min(options.offset, out->hits.size());
  out->hits.erase(out->hits.begin(), out->hits.begin() + static_cast<std::ptrdiff_t>(skip));
  from.erase(from.begin(), from.begin() + static_cast<std::ptrdiff_t>(skip));
  if (shard_of_hit != nullptr) *shard_of_hit = std::move(from);
  return Status::OK();
}

}  // namespace tim
