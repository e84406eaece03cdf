// A shard's answer as bytes, and the merge of every shard's answers into
// the results of one index (include/tim/shards.h).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "codec/message.h"
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
//   | XXH3-64 of everything before it (fixed64)
namespace {

constexpr std::string_view kMagic = "TIMA";
constexpr std::uint64_t kAnswerVersion = 1;

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
  TIM_RETURN_IF_ERROR(d.Finish());
  *out = std::move(a);
  return Status::OK();
}

namespace {

// The best `want` hits of one reading over every answer, each with the
// answer it came from; totals summed.
void MergeReading(const std::vector<const SearchResults*>& readings, std::size_t want,
                  SearchResults* out, std::vector<std::size_t>* from) {
  std::vector<std::pair<const Hit*, std::size_t>> all;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    const SearchResults& r = *readings[i];
    out->total_hits += r.total_hits;
    out->total_hits_exact = out->total_hits_exact && r.total_hits_exact;
    out->postings_scored += r.postings_scored;
    for (const Hit& hit : r.hits) all.emplace_back(&hit, i);
  }
  const std::size_t keep = std::min(want, all.size());
  const auto before = [](const auto& a, const auto& b) { return RanksBefore(*a.first, *b.first); };
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
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].requested < want) {
      return Status::InvalidArgument("merging shards: answer " + std::to_string(i) + " holds " +
                                     std::to_string(answers[i].requested) +
                                     " hits, k + offset is " + std::to_string(want));
    }
    readings.push_back(&answers[i].results);
  }
  MergeReading(readings, want, out, &from);
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
    MergeReading(readings, want, &relaxed, &relaxed_from);
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
