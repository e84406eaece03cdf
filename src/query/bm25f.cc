#include "query/bm25f.h"

#include <algorithm>
#include <string>
#include <utility>

#include "index/segment.h"
#include "query/plan.h"

namespace tim::query {
namespace {

// The field weights of `options` for the fields named in s->field_names,
// and the title field among them.
void ResolveOptions(const RankingOptions& options, Scoring* s) {
  s->options = options;
  const std::size_t nf = s->field_names.size();
  s->title_field = kNoField;
  for (std::uint32_t f = 0; f < nf; ++f) {
    if (s->field_names[f] == kTitleField) s->title_field = f;
  }
  s->field_weight.assign(nf, options.default_field_weight);
  for (std::size_t f = 0; f < nf; ++f) {
    for (const auto& [name, weight] : options.field_weights) {
      if (name == s->field_names[f]) s->field_weight[f] = weight;
    }
  }
}

float AverageLength(std::uint64_t docs, std::uint64_t length) {
  return docs > 0 && length > 0 ? static_cast<float>(static_cast<double>(length) / docs) : 1.0f;
}

}  // namespace

Scoring MakeScoring(const internal::Snapshot& snap, const RankingOptions& options) {
  Scoring s;
  s.field_names = snap.manifest.fields;
  ResolveOptions(options, &s);
  const std::size_t nf = s.field_names.size();
  std::vector<std::uint64_t> docs(nf, 0), lengths(nf, 0);
  for (const internal::SegmentView& v : snap.segments) {
    s.total_docs += v.reader->doc_count();
    for (const index::FieldStats& fs : v.reader->info().fields) {
      if (fs.field >= nf) continue;
      docs[fs.field] += fs.docs;
      lengths[fs.field] += fs.total_length;
    }
  }
  s.avg_length.assign(nf, 1.0f);
  for (std::size_t f = 0; f < nf; ++f) s.avg_length[f] = AverageLength(docs[f], lengths[f]);
  return s;
}

Status MakeScoring(const internal::Snapshot& snap, const RankingOptions& options,
                   const CollectionStats::Rep& collection, Scoring* out) {
  Scoring s;
  s.field_names = snap.manifest.fields;
  for (const auto& [name, f] : collection.fields) {
    if (std::find(s.field_names.begin(), s.field_names.end(), name) == s.field_names.end()) {
      s.field_names.push_back(name);
    }
  }
  if (s.field_names.size() > index::kMaxFields) {
    return Status::InvalidArgument("the collection's shards name " +
                                   std::to_string(s.field_names.size()) + " fields; at most " +
                                   std::to_string(index::kMaxFields) + " can be searched");
  }
  ResolveOptions(options, &s);
  s.total_docs = collection.total_docs;
  s.avg_length.assign(s.field_names.size(), 1.0f);
  for (std::size_t f = 0; f < s.field_names.size(); ++f) {
    for (const auto& [name, stats] : collection.fields) {
      if (name == s.field_names[f]) s.avg_length[f] = AverageLength(stats.docs, stats.total_length);
    }
  }
  *out = std::move(s);
  return Status::OK();
}

void RecordCollection(const internal::Snapshot& snap, CollectionStats::Rep* out) {
  const std::vector<std::string>& names = snap.manifest.fields;
  out->sources += 1;
  for (const std::string& name : names) {
    if (out->FindField(name) == nullptr)
      out->fields.emplace_back(name, CollectionStats::Rep::Field());
  }
  for (const internal::SegmentView& v : snap.segments) {
    out->total_docs += v.reader->doc_count();
    for (const index::FieldStats& fs : v.reader->info().fields) {
      if (fs.field >= names.size()) continue;
      CollectionStats::Rep::Field* f = out->FindField(names[fs.field]);
      f->docs += fs.docs;
      f->total_length += fs.total_length;
    }
  }
}

ScoreDetail ExplainSpec(const Scoring& scoring, const Plan& plan, int spec, std::uint32_t tf,
                        std::uint32_t field_length, float group_score, float freq,
                        float group_freq) {
  static const char* const kTiers[] = {"folded", "exact", "bigram"};
  static_assert(sizeof(kTiers) / sizeof(kTiers[0]) == index::kTermKinds);
  const Spec& sp = plan.specs[spec];
  const Group& g = plan.groups[sp.group];
  ScoreDetail detail;
  detail.term = sp.term;
  detail.tier = kTiers[static_cast<int>(sp.kind)];
  detail.field = scoring.field_names[sp.field];
  detail.tf = tf;
  detail.field_length = field_length;
  detail.idf = g.idf;
  detail.weight = g.weight;
  detail.field_weight = sp.field_weight;
  detail.score = group_score * (freq / group_freq);
  return detail;
}

ScoreDetail ExplainTitleMatch(const Scoring& scoring, const Plan& plan,
                              const std::vector<char>& present, float bonus) {
  ScoreDetail detail;
  detail.tier = "title-match";
  detail.field = scoring.field_names[scoring.title_field];
  for (std::size_t i = 0; i < present.size(); ++i) {
    if (!present[i] || !plan.specs[i].title) continue;
    detail.term += (detail.term.empty() ? "" : " ") + plan.specs[i].term;
    ++detail.tf;
  }
  detail.weight = scoring.options.title_match_weight;
  detail.score = bonus;
  return detail;
}

}  // namespace tim::query
