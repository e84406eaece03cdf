// tim::Searcher: parses, plans and runs queries over a reader's snapshot,
// then dresses the top hits (ids, titles, snippets, explanations).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <utility>

#include "index/snapshot.h"
#include "query/plan.h"
#include "query/query_parser.h"
#include "query/rewrite.h"
#include "query/segment_search.h"
#include "query/snippet.h"
#include "query/suggest.h"
#include "tim/search.h"
#include "util/hidden.h"

namespace tim {

namespace {
constexpr std::size_t kMaxResults = 10000;  // k + offset
}

struct TIM_HIDDEN Searcher::Rep {
  const IndexReader* reader = nullptr;
  const internal::Snapshot* snap = nullptr;
  Analyzer analyzer;
  query::Scoring scoring;
  std::vector<query::SegmentData> segments;
  std::uint32_t title_field = UINT32_MAX;

  Status Prepare();
  // A query read with or without default AND.
  using Reading = std::function<query::ParsedQuery(bool default_and)>;
  // Runs a query: `text` is its string form (for the suggestion).
  Status SearchReading(std::string_view text, const Reading& read, const SearchOptions& options,
                       SearchResults* out) const;
  Status Run(const query::ParsedQuery& parsed, const SearchOptions& options, query::Plan* plan,
             std::vector<query::TopK::Entry>* top, std::uint64_t* hits, bool* exact,
             std::uint64_t* scored) const;
  query::ParsedQuery ParseString(std::string_view q, bool default_and) const {
    query::ParseOptions po;
    po.default_and = default_and;
    po.fields = scoring.field_names;
    return query::ParseQuery(q, po);
  }
  Status Dress(const query::Plan& plan, const SearchOptions& options,
               const std::vector<query::TopK::Entry>& top, SearchResults* out) const;
  std::size_t SegmentOf(std::uint64_t doc) const {
    std::size_t i = segments.size() - 1;
    while (i > 0 && segments[i].doc_base > doc) --i;
    return i;
  }
};

Status Searcher::Rep::Prepare() {
  for (std::uint32_t f = 0; f < scoring.field_names.size(); ++f) {
    if (scoring.field_names[f] == "title") title_field = f;
  }
  std::uint64_t base = 0;
  segments.resize(snap->segments.size());
  for (std::size_t i = 0; i < snap->segments.size(); ++i) {
    query::SegmentData& seg = segments[i];
    seg.view = &snap->segments[i];
    seg.doc_base = base;
    const index::SegmentReader& r = *seg.view->reader;
    const std::uint32_t n = r.doc_count();
    base += n;
    seg.norm.resize(scoring.field_names.size());
    for (const index::FieldStats& fs : r.info().fields) {
      if (fs.field >= scoring.field_names.size()) {
        return Status::Corruption(r.name() + ".seg: field number " + std::to_string(fs.field) +
                                  " unknown to the manifest");
      }
      std::vector<float>& norm = seg.norm[fs.field];
      norm.resize(n);
      for (std::uint32_t d = 0; d < n; ++d) {
        norm[d] = query::LengthNorm(scoring, fs.field, r.FieldLength(fs.field, d));
      }
    }
    // Fields a segment lacks still get a table: lookups stay in bounds.
    for (auto& norm : seg.norm) {
      if (norm.size() != n) norm.assign(n, 1.0f);
    }
    // The id of every document, from the id map (id -> doc), in one pass:
    // ids land in the arena in id order, each document remembers its span.
    seg.id_spans.assign(n, {0, 0});
    seg.id_arena.clear();
    index::SortedTable::Iterator it(&r.id_table());
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      std::uint32_t doc;
      TIM_RETURN_IF_ERROR(r.DecodeIdValue(it.value(), &doc));
      if (doc >= n) return Status::Corruption(r.name() + ".ids: document number out of range");
      if (seg.id_arena.size() + it.key().size() > UINT32_MAX) {
        return Status::Corruption(r.name() + ".ids: ids too large");
      }
      seg.id_spans[doc] = {static_cast<std::uint32_t>(seg.id_arena.size()),
                           static_cast<std::uint32_t>(it.key().size())};
      seg.id_arena.append(it.key());
    }
    TIM_RETURN_IF_ERROR(it.status());
  }
  return Status::OK();
}

Status Searcher::Rep::Run(const query::ParsedQuery& parsed, const SearchOptions& options,
                          query::Plan* plan, std::vector<query::TopK::Entry>* top,
                          std::uint64_t* hits, bool* exact, std::uint64_t* scored) const {
  TIM_RETURN_IF_ERROR(query::BuildPlan(*snap, scoring, analyzer, parsed, options, plan));
  query::TopK heap(options.k + options.offset);
  query::SearchScratch scratch;
  *hits = 0;
  *exact = true;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    query::SegmentSearch s;
    s.scratch = &scratch;
    s.plan = plan;
    s.scoring = &scoring;
    s.segment = &segments[i];
    s.segment_index = i;
    s.algorithm = options.algorithm;
    s.count_all = options.exact_total_hits;
    s.scored = scored;
    TIM_RETURN_IF_ERROR(query::RunSegment(s, &heap, hits));
  }
  // Without counting, the skipping algorithms (MaxScore, the leapfrog)
  // report only the documents they looked at; exhaustive and generic
  // evaluation visit every match anyway.
  if (!options.exact_total_hits && plan->shape != query::Plan::Shape::kGeneric &&
      options.algorithm != Algorithm::kExhaustive && options.algorithm != Algorithm::kGeneric) {
    *exact = false;
  }
  *top = heap.Sorted();
  return Status::OK();
}

Status Searcher::Rep::Dress(const query::Plan& plan, const SearchOptions& options,
                            const std::vector<query::TopK::Entry>& top, SearchResults* out) const {
  Analysis scratch;
  for (std::size_t r = options.offset; r < top.size(); ++r) {
    const query::TopK::Entry& e = top[r];
    const std::size_t si = SegmentOf(e.doc);
    const query::SegmentData& seg = segments[si];
    const std::uint32_t doc = static_cast<std::uint32_t>(e.doc - seg.doc_base);
    Hit hit;
    hit.id = std::string(seg.id(doc));
    hit.score = e.score;
    if (options.snippets) {
      store::StoredDoc stored;
      TIM_RETURN_IF_ERROR(seg.view->reader->store().Get(doc, &stored));
      const std::string* body = nullptr;
      for (const auto& [field, text] : stored.fields) {
        if (field == title_field) {
          if (hit.title.empty()) hit.title = text;
        } else if (body == nullptr) {
          body = &text;
        }
      }
      if (body != nullptr) {
        query::Snippet snippet;
        TIM_RETURN_IF_ERROR(query::MakeSnippet(*body, plan.words, plan.has_diacritics, analyzer,
                                               options.snippet_bytes, &scratch, &snippet));
        hit.snippet = std::move(snippet.text);
        hit.highlights = std::move(snippet.highlights);
      }
    }
    if (options.explain) {
      query::SegmentSearch s;
      s.plan = &plan;
      s.scoring = &scoring;
      s.segment = &seg;
      s.segment_index = si;
      bool matched = false;
      float score = 0;
      TIM_RETURN_IF_ERROR(query::ExplainDoc(s, doc, &matched, &score, &hit.explanation));
    }
    out->hits.push_back(std::move(hit));
  }
  return Status::OK();
}

Searcher::Searcher(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Searcher::~Searcher() = default;

Status Searcher::Open(const IndexReader* reader, const RankingOptions& options,
                      std::unique_ptr<Searcher>* out) {
  if (reader == nullptr) return Status::InvalidArgument("Searcher::Open: no reader");
  if (!(options.k1 >= 0) || !(options.b >= 0 && options.b <= 1)) {
    return Status::InvalidArgument("ranking: k1 must be >= 0 and b within [0, 1]");
  }
  // A word's folded tier decides which documents it matches: it must keep
  // some weight.
  if (!(options.word_weight > 0) || !(options.exact_share >= 0 && options.exact_share < 1) ||
      !(options.question_word_weight > 0) || !(options.name_weight > 0) ||
      !(options.bigram_weight >= 0)) {
    return Status::InvalidArgument(
        "ranking: word_weight, question_word_weight and name_weight must be > 0, exact_share "
        "within [0, 1), bigram_weight >= 0");
  }
  for (const auto& [name, weight] : options.field_weights) {
    if (!(weight >= 0) || !std::isfinite(weight)) {
      return Status::InvalidArgument("ranking: the weight of field '" + name +
                                     "' must be a finite number >= 0");
    }
  }
  if (!(options.default_field_weight >= 0) || !std::isfinite(options.default_field_weight) ||
      !std::isfinite(options.k1) || !std::isfinite(options.word_weight) ||
      !std::isfinite(options.bigram_weight) || !std::isfinite(options.question_word_weight) ||
      !std::isfinite(options.name_weight) || !(options.title_match_weight >= 0) ||
      !std::isfinite(options.title_match_weight) || !(options.title_match_power >= 1) ||
      !std::isfinite(options.title_match_power)) {
    return Status::InvalidArgument(
        "ranking: weights must be finite numbers >= 0, title_match_power a finite number >= 1");
  }
  auto rep = std::make_unique<Rep>();
  rep->reader = reader;
  rep->snap = &internal::SnapshotOf(*reader);
  // Queries are analysed as the index's documents were.
  rep->analyzer = Analyzer(reader->analyzer_options());
  rep->scoring = query::MakeScoring(*rep->snap, options);
  TIM_RETURN_IF_ERROR(rep->Prepare());
  out->reset(new Searcher(std::move(rep)));
  return Status::OK();
}

namespace {

// Checks a query built as objects against the limits the parser keeps.
Status CheckQuery(const Query& q, int depth, std::size_t* leaves) {
  if (depth > 32) return Status::InvalidArgument("query: nested deeper than 32");
  if (!(q.weight > 0) || !std::isfinite(q.weight)) {
    return Status::InvalidArgument("query: weight " + std::to_string(q.weight) +
                                   " is not a finite number > 0");
  }
  if (q.kind != Query::Kind::kBool && ++*leaves > 1024) {
    return Status::InvalidArgument("query: more than 1,024 words and phrases");
  }
  for (const auto& clause : q.clauses) {
    TIM_RETURN_IF_ERROR(CheckQuery(clause.second, depth + 1, leaves));
  }
  return Status::OK();
}

// Default AND: the words of every sequence are required, as the parser
// makes typed words.
void RequireSequences(Query* q) {
  for (auto& [occur, c] : q->clauses) {
    if (q->sequence && occur == Occur::kShould) occur = Occur::kMust;
    RequireSequences(&c);
  }
}

// A built query as the parser would hand it over.
query::ParsedQuery Reading(const Query& q, bool default_and) {
  query::ParsedQuery parsed;
  parsed.root = q;
  if (default_and) RequireSequences(&parsed.root);
  parsed.empty = parsed.root.empty();
  return parsed;
}

// A built query, with its string form and offsets, ready to run.
Status PrepareQuery(const Query& query, Query* copy, std::string* text) {
  std::size_t leaves = 0;
  TIM_RETURN_IF_ERROR(CheckQuery(query, 0, &leaves));
  *copy = query;
  *text = query::QueryString(copy);
  return Status::OK();
}

}  // namespace

Status Searcher::Rep::SearchReading(std::string_view q, const Reading& read,
                                    const SearchOptions& options, SearchResults* out) const {
  *out = SearchResults();
  if (options.k + options.offset > kMaxResults || options.k > kMaxResults) {
    return Status::InvalidArgument("k + offset must be at most " + std::to_string(kMaxResults));
  }
  query::Plan plan;
  std::vector<query::TopK::Entry> top;
  std::uint64_t hits = 0;
  bool exact = true;
  const bool want_and = options.default_operator == DefaultOperator::kAnd;
  TIM_RETURN_IF_ERROR(
      Run(read(want_and), options, &plan, &top, &hits, &exact, &out->postings_scored));
  if (want_and && top.size() < options.k + options.offset) {
    // Too few documents hold every word: rank those holding some.
    query::Plan relaxed;
    std::vector<query::TopK::Entry> more;
    std::uint64_t more_hits = 0;
    bool more_exact = true;
    TIM_RETURN_IF_ERROR(
        Run(read(false), options, &relaxed, &more, &more_hits, &more_exact, &out->postings_scored));
    if (more.size() > top.size()) {
      plan = std::move(relaxed);
      top = std::move(more);
      hits = more_hits;
      exact = more_exact;
      out->relaxed = true;
    }
  }
  out->total_hits = hits;
  out->total_hits_exact = exact;
  out->notes = plan.notes;
  TIM_RETURN_IF_ERROR(Dress(plan, options, top, out));
  if (options.suggest) {
    TIM_RETURN_IF_ERROR(query::SuggestQuery(*snap, q, plan, &out->suggestion));
  }
  return Status::OK();
}

Status Searcher::Search(std::string_view typed, const SearchOptions& options,
                        SearchResults* out) const {
  std::string rewritten;
  if (options.rewrite_typing) {
    TIM_RETURN_IF_ERROR(query::RewriteTyped(*rep_->snap, rep_->scoring, typed, &rewritten));
  }
  const std::string_view q = rewritten.empty() ? typed : std::string_view(rewritten);
  TIM_RETURN_IF_ERROR(rep_->SearchReading(
      q, [&](bool default_and) { return rep_->ParseString(q, default_and); }, options, out));
  out->rewritten = std::move(rewritten);
  return Status::OK();
}

Status Searcher::Search(const Query& query, const SearchOptions& options,
                        SearchResults* out) const {
  *out = SearchResults();
  Query copy;
  std::string text;
  TIM_RETURN_IF_ERROR(PrepareQuery(query, &copy, &text));
  return rep_->SearchReading(
      text, [&](bool default_and) { return Reading(copy, default_and); }, options, out);
}

Query Searcher::Parse(std::string_view q, DefaultOperator default_operator,
                      std::vector<std::string>* notes) const {
  query::ParsedQuery parsed = rep_->ParseString(q, default_operator == DefaultOperator::kAnd);
  if (notes != nullptr) *notes = std::move(parsed.notes);
  return std::move(parsed.root);
}

Status Searcher::ForEachMatch(
    const Query& query, DefaultOperator default_operator,
    const std::function<bool(std::string_view id, float score)>& visit) const {
  Query copy;
  std::string text;
  TIM_RETURN_IF_ERROR(PrepareQuery(query, &copy, &text));
  const query::ParsedQuery parsed = Reading(copy, default_operator == DefaultOperator::kAnd);
  SearchOptions options;
  options.algorithm = Algorithm::kGeneric;
  query::Plan plan;
  TIM_RETURN_IF_ERROR(
      query::BuildPlan(*rep_->snap, rep_->scoring, rep_->analyzer, parsed, options, &plan));
  bool stopped = false;
  for (std::size_t i = 0; i < rep_->segments.size() && !stopped; ++i) {
    const query::SegmentData& seg = rep_->segments[i];
    const std::function<bool(std::uint32_t, float)> each = [&](std::uint32_t doc, float score) {
      if (!visit(seg.id(doc), score)) stopped = true;
      return !stopped;
    };
    query::SegmentSearch s;
    s.plan = &plan;
    s.scoring = &rep_->scoring;
    s.segment = &seg;
    s.segment_index = i;
    s.algorithm = Algorithm::kGeneric;
    s.visit = &each;
    query::TopK unused(0);
    std::uint64_t hits = 0;
    TIM_RETURN_IF_ERROR(query::RunSegment(s, &unused, &hits));
  }
  return Status::OK();
}

Status Searcher::Suggest(std::string_view q, std::string* out) const {
  out->clear();
  std::vector<std::string> best;
  TIM_RETURN_IF_ERROR(Restorations(q, 1, &best));
  if (!best.empty() && best[0] != q) *out = std::move(best[0]);
  return Status::OK();
}

Status Searcher::Restorations(std::string_view q, std::size_t n,
                              std::vector<std::string>* out) const {
  out->clear();
  query::Plan plan;
  TIM_RETURN_IF_ERROR(query::BuildWordPlan(*rep_->snap, rep_->scoring, rep_->analyzer,
                                           rep_->ParseString(q, false), &plan));
  return query::RestoreQuery(*rep_->snap, q, plan, std::min<std::size_t>(n, 16),
                             query::RestoreParams(), out);
}

std::string MarkHighlights(
    const Hit& hit, std::string_view open, std::string_view close,
    const std::function<void(std::string_view text, std::string* out)>& escape) {
  std::string out;
  const std::string_view snippet = hit.snippet;
  const auto text = [&](std::size_t from, std::size_t to) {
    if (escape) {
      escape(snippet.substr(from, to - from), &out);
    } else {
      out.append(snippet.substr(from, to - from));
    }
  };
  std::size_t at = 0;
  for (const auto& [start, end] : hit.highlights) {
    if (start < at || end > snippet.size() || start > end) continue;
    text(at, start);
    out.append(open);
    text(start, end);
    out.append(close);
    at = end;
  }
  text(at, snippet.size());
  return out;
}

}  // namespace tim
