// tim::Searcher: parses, plans and runs queries over a reader's snapshot,
// then dresses the top hits (ids, titles, snippets, explanations).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

#include "index/snapshot.h"
#include "query/collect.h"
#include "query/collection_stats.h"
#include "query/filter.h"
#include "query/plan.h"
#include "query/query_parser.h"
#include "query/readings.h"
#include "query/rewrite.h"
#include "query/segment_search.h"
#include "query/snippet.h"
#include "query/suggest.h"
#include "tim/search.h"
#include "tim/shards.h"
#include "util/hidden.h"
#include "util/limits.h"

namespace tim {

namespace {}

// What one search scores with: the searcher's own statistics, or a
// collection's (a sharded search) with the norms they give.
struct SearchContext {
  const query::Scoring* scoring = nullptr;
  // Per segment; null: each segment's own (SegmentData::norm).
  const std::vector<query::SegmentNorms>* norms = nullptr;
  query::StatsView stats;
};

// Norms of every segment for one collection's field averages: the last
// ones made, shared by the searches that use them.
struct NormCache {
  std::unique_ptr<const query::NormTables> tables;
  std::vector<query::SegmentNorms> norms;
};

struct TIM_HIDDEN Searcher::Rep {
  const IndexReader* reader = nullptr;
  const internal::Snapshot* snap = nullptr;
  Analyzer analyzer;
  query::Scoring scoring;  // the options, resolved against the snapshot's fields
  std::unique_ptr<const query::NormTables> norm_tables;  // of `scoring`
  std::vector<query::SegmentData> segments;
  mutable std::mutex norm_mutex;
  mutable std::shared_ptr<const NormCache> norm_cache;

  Status Prepare();
  SearchContext Local() const {
    SearchContext c;
    c.scoring = &scoring;
    return c;
  }
  // The norms of `s` (a collection's scoring) for every segment.
  std::shared_ptr<const NormCache> NormsFor(const query::Scoring& s) const;
  // A query as given: typed text, or built objects.
  struct Input {
    std::string_view typed;
    const Query* built = nullptr;
  };
  // The readings a search may make of a query, in the order it tries them:
  // each text it may search (as typed or a Telex/VNI rewrite; a built
  // query's string form), read with default AND when asked and then as
  // ranked OR (the relaxation). Search, SearchShard and Fetch take the
  // first text, GatherStats records every reading of every text, so that
  // merged statistics decide as one index would: one list, so a new
  // reading cannot be forgotten in one of them.
  struct Readings {
    std::string rewritten;             // texts[0] when it is not the typed text
    std::vector<std::string> texts;    // texts[0] is searched
    std::vector<bool> default_and;     // each text's readings, in the order tried
    std::optional<Query> built;        // a built query, checked
    std::vector<std::string> filters;  // taken out of the query (LiftFilters)
    std::vector<std::string> notes;    // how the typed text was read, when filters left it
    bool no_words = false;             // nothing left to search but filters
    const std::vector<std::string>* fields = nullptr;  // a "field:" prefix may name
    query::ParsedQuery Parse(std::size_t text, bool and_words) const;
  };
  // `every`: every text any statistics may choose (GatherStats); otherwise
  // the one `ctx`'s statistics choose.
  Status Read(const Input& in, const SearchOptions& options, const SearchContext& ctx, bool every,
              Readings* out) const;
  // What a search asks beyond words, read against the index: filters (and
  // the segments as they filter them), sorting, facets.
  struct Extras {
    std::vector<query::FilterNode> filters;
    std::vector<std::string> filter_texts;  // as given: each filter's key in the segment caches
    std::vector<query::SortPart> sort;
    std::vector<query::FacetPart> facets;
    // With filters: per segment, the live documents that pass, and how many.
    std::vector<std::shared_ptr<const Roaring>> accept;
    std::vector<std::uint64_t> accept_count;
    const Roaring* AcceptOf(std::size_t i) const {
      return filters.empty() ? nullptr : accept[i].get();
    }
    // Every match is visited (sorting, facets) instead of the top k by score.
    bool collect() const { return !sort.empty() || !facets.empty(); }
  };
  // `lifted`: the filters a query carries (Readings::filters), after
  // options.filters.
  Status PrepareExtras(const SearchOptions& options, const std::vector<std::string>& lifted,
                       Extras* out) const;
  // A search with filters and no word lists what the filters pass.
  static bool Lists(const Readings& r, const Extras& extras) {
    return !extras.filters.empty() && r.no_words;
  }
  // The folded form of a keyword (the ~ filter).
  std::string Fold(std::string_view text) const;
  // One reading run over every segment: its plan and top k + offset.
  struct Outcome {
    query::Plan plan;
    std::vector<query::TopK::Entry> top;
    std::vector<std::vector<std::string>> sort_values;  // per entry of top, when sorted
    std::vector<Facet> facets;
    std::uint64_t hits = 0;
    bool exact = true;
  };
  Status RunReading(const Readings& r, bool and_words, const SearchOptions& options,
                    const SearchContext& ctx, const Extras& extras, Outcome* out,
                    std::uint64_t* scored) const;
  // A hit of a listing (no words): its title and its body's beginning.
  Status DressPlain(std::size_t si, std::uint32_t doc, const SearchOptions& options,
                    Analysis* scratch, Hit* hit) const;
  // Without words: the documents the filters pass, in the order asked.
  Status ListFiltered(const SearchOptions& options, const Extras& extras, SearchResults* out) const;
  // Results of an outcome: totals, notes, hits offset.. (dressed as
  // `options` ask), suggestion.
  Status Results(const Readings& r, const Outcome& o, const SearchOptions& options,
                 const SearchContext& ctx, SearchResults* out) const;
  Status SearchIn(const Input& in, const SearchOptions& options, const SearchContext& ctx,
                  SearchResults* out) const;
  Status SearchShardIn(const Input& in, const SearchOptions& options, const SearchContext& ctx,
                       ShardAnswer* out) const;
  Status FetchIn(const Input& in, const SearchOptions& options, const SearchContext& ctx,
                 bool relaxed, std::vector<Hit>* hits) const;
  Status GatherIn(const Input& in, const SearchOptions& options, CollectionStats* out) const;
  static query::ParsedQuery ParseString(std::string_view q, bool default_and,
                                        const std::vector<std::string>& fields) {
    query::ParseOptions po;
    po.default_and = default_and;
    po.fields = fields;
    return query::ParseQuery(q, po);
  }
  query::ParsedQuery ParseString(std::string_view q, bool default_and) const {
    return ParseString(q, default_and, scoring.field_names);
  }
  // Title, snippet and explanation of document `doc` of segment `si`.
  Status DressHit(const query::Plan& plan, const SearchOptions& options, const SearchContext& ctx,
                  std::size_t si, std::uint32_t doc, Analysis* scratch, Hit* hit) const;
  std::size_t SegmentOf(std::uint64_t doc) const {
    std::size_t i = segments.size() - 1;
    while (i > 0 && segments[i].doc_base > doc) --i;
    return i;
  }
  // The id of a global document number (ties in the top k go by id).
  Status IdOf(std::uint64_t doc, std::string* id) const {
    const query::SegmentData& seg = segments[SegmentOf(doc)];
    return seg.view->reader->DocId(static_cast<std::uint32_t>(doc - seg.doc_base), id);
  }
  // Compares the ids of two global document numbers, reading them only
  // when their segment's ids do not follow its numbering; the first error
  // lands in *status.
  int CompareIds(std::uint64_t a, std::uint64_t b, std::string* a_id, std::string* b_id,
                 Status* status) const {
    const std::size_t segment = SegmentOf(a);
    if (segment == SegmentOf(b) && segments[segment].view->reader->ids_ascending()) {
      return a < b ? -1 : (a > b ? 1 : 0);
    }
    Status s = IdOf(a, a_id);
    if (s.ok()) s = IdOf(b, b_id);
    if (!s.ok() && status->ok()) *status = s;
    return a_id->compare(*b_id);
  }
  // Runs `search` with a context for `stats`.
  Status WithCollection(const CollectionStats& stats,
                        const std::function<Status(const SearchContext&)>& search) const;
};

Status Searcher::Rep::Prepare() {
  norm_tables = std::make_unique<const query::NormTables>(scoring);
  std::uint64_t base = 0;
  segments.resize(snap->segments.size());
  for (std::size_t i = 0; i < snap->segments.size(); ++i) {
    query::SegmentData& seg = segments[i];
    seg.view = &snap->segments[i];
    seg.doc_base = base;
    const index::SegmentReader& r = *seg.view->reader;
    const std::uint32_t n = r.doc_count();
    base += n;
    for (const index::FieldStats& fs : r.info().fields) {
      if (fs.field >= scoring.field_names.size()) {
        return Status::Corruption(r.name() + ".seg: field number " + std::to_string(fs.field) +
                                  " unknown to the manifest");
      }
    }
    seg.norm = query::NormsOf(*norm_tables, r);
  }
  return Status::OK();
}

Status Searcher::Rep::RunReading(const Readings& r, bool and_words, const SearchOptions& options,
                                 const SearchContext& ctx, const Extras& extras, Outcome* out,
                                 std::uint64_t* scored) const {
  TIM_RETURN_IF_ERROR(query::BuildPlan(*snap, *ctx.scoring, analyzer, r.Parse(0, and_words),
                                       options, ctx.stats, &out->plan));
  // Ties may read ids; a damaged id block fails the search.
  Status id_status;
  std::string a_id, b_id;
  const query::CompareIds compare_ids = [&](std::uint64_t a, std::uint64_t b) {
    return CompareIds(a, b, &a_id, &b_id, &id_status);
  };
  const std::vector<query::SegmentData>& segs = segments;
  out->hits = 0;
  out->exact = true;
  if (extras.collect()) {
    // Every match counts (facets) or may rank (sorting). A flat plan
    // without phrases (most typed queries) gets its matches as a bitset,
    // no score computed: facets count over it; sorted hits are scored only
    // where their sort values can enter the top k (as Lucene's field sort
    // does); hits by score come from the usual top-k algorithms. Other
    // plans are walked by the generic evaluator, every match scored.
    const bool flat = (out->plan.shape == query::Plan::Shape::kOr ||
                       out->plan.shape == query::Plan::Shape::kAnd) &&
                      out->plan.phrases.empty();
    query::Collector collector(extras.sort, extras.facets, options.k + options.offset,
                               &compare_ids);
    query::TopK heap(options.k + options.offset, &compare_ids);
    std::vector<std::uint64_t> bits;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const index::SegmentReader& reader = *segs[i].view->reader;
      const bool ascend = reader.doc_count() > 0 && reader.ids_ascending();
      TIM_RETURN_IF_ERROR(collector.BeginSegment(reader.columns(), segs[i].doc_base, ascend));
      query::SegmentSearch s;
      s.plan = &out->plan;
      s.scoring = ctx.scoring;
      s.segment = &segs[i];
      s.norm = ctx.norms != nullptr ? &(*ctx.norms)[i] : nullptr;
      s.segment_index = i;
      s.scored = scored;
      s.accept = extras.AcceptOf(i);
      s.accept_count = s.accept != nullptr ? extras.accept_count[i] : 0;
      if (flat) {
        TIM_RETURN_IF_ERROR(query::FlatMatches(s, &bits));
        std::unique_ptr<query::DocScorer> scorer;
        if (collector.sorted()) TIM_RETURN_IF_ERROR(query::NewDocScorer(s, &scorer));
        static_assert(index::kColumnBlock == 128, "two bitset words per column block");
        for (std::size_t w = 0; w < bits.size(); ++w) {
          if (collector.counts_facets()) {
            TIM_RETURN_IF_ERROR(collector.CountWord(static_cast<std::uint32_t>(w * 64), bits[w]));
          } else {
            collector.CountMatches(static_cast<std::uint64_t>(__builtin_popcountll(bits[w])));
          }
          // Sorted: a column block whose bounds lose to the k-th kept hit is
          // skipped whole; otherwise each match's value is read, and only
          // one that can enter is scored.
          if (scorer == nullptr || bits[w] == 0 ||
              collector.BlockLoses(static_cast<std::uint32_t>(w / 2))) {
            continue;
          }
          for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
            const auto d = static_cast<std::uint32_t>(w * 64 + __builtin_ctzll(word));
            bool competes = false;
            TIM_RETURN_IF_ERROR(collector.Competes(d, &competes));
            float score = 0;
            if (competes && scorer->Score(d, &score)) collector.Offer(d, score);
          }
        }
        if (scorer != nullptr) TIM_RETURN_IF_ERROR(scorer->status());
        if (!collector.sorted()) {
          s.algorithm = options.algorithm;
          s.count_all = false;  // counted above
          heap.BeginSegment(segs[i].doc_base, ascend);
          std::uint64_t unused = 0;
          TIM_RETURN_IF_ERROR(query::RunSegment(s, &heap, &unused));
        }
      } else {
        Status add_status;
        const std::function<bool(std::uint32_t, float)> visit = [&](std::uint32_t doc,
                                                                    float score) {
          add_status = collector.Add(doc, score);
          return add_status.ok();
        };
        s.algorithm = Algorithm::kGeneric;
        s.visit = &visit;
        query::TopK unused(0, nullptr);
        std::uint64_t visited = 0;
        TIM_RETURN_IF_ERROR(query::RunSegment(s, &unused, &visited));
        TIM_RETURN_IF_ERROR(add_status);
      }
      TIM_RETURN_IF_ERROR(id_status);
      collector.EndSegment();
    }
    out->top = flat && !collector.sorted() ? heap.Sorted() : collector.Top(&out->sort_values);
    TIM_RETURN_IF_ERROR(id_status);
    out->facets = collector.Facets();
    out->hits = collector.matches();
    return Status::OK();
  }
  query::TopK heap(options.k + options.offset, &compare_ids);
  query::SearchScratch scratch;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    query::SegmentSearch s;
    s.scratch = &scratch;
    s.plan = &out->plan;
    s.scoring = ctx.scoring;
    s.segment = &segs[i];
    s.norm = ctx.norms != nullptr ? &(*ctx.norms)[i] : nullptr;
    s.segment_index = i;
    s.algorithm = options.algorithm;
    s.count_all = options.exact_total_hits;
    s.scored = scored;
    s.accept = extras.AcceptOf(i);
    s.accept_count = s.accept != nullptr ? extras.accept_count[i] : 0;
    const index::SegmentReader& reader = *segs[i].view->reader;
    heap.BeginSegment(segs[i].doc_base, reader.doc_count() > 0 && reader.ids_ascending());
    TIM_RETURN_IF_ERROR(query::RunSegment(s, &heap, &out->hits));
    TIM_RETURN_IF_ERROR(id_status);
  }
  // Without counting, the skipping algorithms (MaxScore, the leapfrog)
  // report only the documents they looked at; exhaustive and generic
  // evaluation visit every match anyway.
  if (!options.exact_total_hits && out->plan.shape != query::Plan::Shape::kGeneric &&
      options.algorithm != Algorithm::kExhaustive && options.algorithm != Algorithm::kGeneric) {
    out->exact = false;
  }
  out->top = heap.Sorted();
  return Status::OK();
}

Status Searcher::Rep::DressHit(const query::Plan& plan, const SearchOptions& options,
                               const SearchContext& ctx, std::size_t si, std::uint32_t doc,
                               Analysis* scratch, Hit* hit) const {
  const query::SegmentData& seg = segments[si];
  if (options.snippets) {
    store::StoredDoc stored;
    TIM_RETURN_IF_ERROR(seg.view->reader->store().Get(doc, &stored));
    const std::string* body = nullptr;
    for (const auto& [field, text] : stored.fields) {
      if (field == scoring.title_field) {
        if (hit->title.empty()) hit->title = text;
      } else if (body == nullptr && snap->manifest.TypeOf(field) == FieldType::kText) {
        body = &text;
      }
    }
    if (body != nullptr) {
      query::Snippet snippet;
      TIM_RETURN_IF_ERROR(query::MakeSnippet(*body, plan.words, plan.has_diacritics, analyzer,
                                             options.snippet_bytes, scratch, &snippet));
      hit->snippet = std::move(snippet.text);
      hit->highlights = std::move(snippet.highlights);
    }
  }
  if (options.explain) {
    query::SegmentSearch s;
    s.plan = &plan;
    s.scoring = ctx.scoring;
    s.segment = &seg;
    s.norm = ctx.norms != nullptr ? &(*ctx.norms)[si] : nullptr;
    s.segment_index = si;
    bool matched = false;
    float score = 0;
    TIM_RETURN_IF_ERROR(query::ExplainDoc(s, doc, &matched, &score, &hit->explanation));
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
  if (depth > limits::kMaxQueryObjectDepth) {
    return Status::InvalidArgument("query: nested deeper than " +
                                   std::to_string(limits::kMaxQueryObjectDepth));
  }
  if (!(q.weight > 0) || !std::isfinite(q.weight)) {
    return Status::InvalidArgument("query: weight " + std::to_string(q.weight) +
                                   " is not a finite number > 0");
  }
  if (q.kind != Query::Kind::kBool && ++*leaves > limits::kMaxQueryObjectLeaves) {
    return Status::InvalidArgument(
        "query: more than " + std::to_string(limits::kMaxQueryObjectLeaves) + " words and phrases");
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
query::ParsedQuery ReadingOf(const Query& q, bool default_and) {
  query::ParsedQuery parsed;
  parsed.root = q;
  if (default_and) RequireSequences(&parsed.root);
  parsed.empty = parsed.root.empty();
  return parsed;
}

// A built query, its filters taken out, with its string form and offsets,
// ready to run.
Status PrepareQuery(const Query& query, Query* copy, std::string* text,
                    std::vector<std::string>* filters) {
  std::size_t leaves = 0;
  TIM_RETURN_IF_ERROR(CheckQuery(query, 0, &leaves));
  *copy = query;
  TIM_RETURN_IF_ERROR(query::LiftFilters(copy, filters));
  *text = query::QueryString(copy);
  return Status::OK();
}

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

query::ParsedQuery Searcher::Rep::Readings::Parse(std::size_t text, bool and_words) const {
  if (built.has_value()) return ReadingOf(*built, and_words);
  return ParseString(texts[text], and_words, *fields);
}

Status Searcher::Rep::Read(const Input& in, const SearchOptions& options, const SearchContext& ctx,
                           bool every, Readings* out) const {
  *out = Readings();
  out->fields = &ctx.scoring->field_names;
  if (in.built != nullptr) {
    Query copy;
    std::string text;
    TIM_RETURN_IF_ERROR(PrepareQuery(*in.built, &copy, &text, &out->filters));
    out->no_words = copy.kind == Query::Kind::kBool && copy.clauses.empty();
    out->built = std::move(copy);
    out->texts = {std::move(text)};
  } else {
    std::string_view typed = in.typed;
    std::string words;  // the typed text without its filters
    if (typed.find('{') != std::string_view::npos) {
      query::ParsedQuery parsed = ParseString(typed, false, *out->fields);
      TIM_RETURN_IF_ERROR(query::LiftFilters(&parsed.root, &out->filters));
      if (!out->filters.empty()) {
        // The words left, in canonical form: malformed input was read (and
        // noted) here.
        typed = words = query::QueryString(&parsed.root);
        out->notes = std::move(parsed.notes);
      }
    }
    out->no_words = Blank(typed);
    out->texts = {std::string(typed)};
    if (options.rewrite_typing) {
      std::vector<std::string> others;
      TIM_RETURN_IF_ERROR(query::RewriteTyped(*snap, *ctx.scoring, ctx.stats, typed,
                                              &out->rewritten, every ? &others : nullptr));
      if (every) {
        out->texts.insert(out->texts.end(), others.begin(), others.end());
      } else if (!out->rewritten.empty()) {
        out->texts[0] = out->rewritten;
      }
    }
  }
  // With default AND, the relaxation reads the query as ranked OR.
  out->default_and = {options.default_operator == DefaultOperator::kAnd};
  if (out->default_and[0]) out->default_and.push_back(false);
  return Status::OK();
}

Status Searcher::Rep::Results(const Readings& r, const Outcome& o, const SearchOptions& options,
                              const SearchContext& ctx, SearchResults* out) const {
  out->total_hits = o.hits;
  out->total_hits_exact = o.exact;
  out->notes = r.notes;
  out->notes.insert(out->notes.end(), o.plan.notes.begin(), o.plan.notes.end());
  out->rewritten = r.rewritten;
  Analysis scratch;
  for (std::size_t i = options.offset; i < o.top.size(); ++i) {
    const query::TopK::Entry& e = o.top[i];
    const std::size_t si = SegmentOf(e.doc);
    const std::uint32_t doc = static_cast<std::uint32_t>(e.doc - segments[si].doc_base);
    Hit hit;
    TIM_RETURN_IF_ERROR(segments[si].view->reader->DocId(doc, &hit.id));
    hit.score = e.score;
    if (i < o.sort_values.size()) hit.sort_values = o.sort_values[i];
    TIM_RETURN_IF_ERROR(DressHit(o.plan, options, ctx, si, doc, &scratch, &hit));
    out->hits.push_back(std::move(hit));
  }
  out->facets = o.facets;
  if (options.suggest) {
    TIM_RETURN_IF_ERROR(
        query::SuggestQuery(*snap, ctx.stats, r.texts[0], o.plan, &out->suggestion));
  }
  // What the user may search instead keeps the query's filters.
  for (std::string* text : {&out->suggestion, &out->rewritten}) {
    if (text->empty()) continue;
    for (const std::string& f : r.filters) *text += " {" + f + "}";
  }
  return Status::OK();
}

namespace {

Status CheckK(const SearchOptions& options) {
  if (options.k + options.offset > limits::kMaxResults || options.k > limits::kMaxResults) {
    return Status::InvalidArgument("k + offset must be at most " +
                                   std::to_string(limits::kMaxResults));
  }
  return Status::OK();
}

}  // namespace

Status Searcher::Rep::SearchIn(const Input& in, const SearchOptions& options,
                               const SearchContext& ctx, SearchResults* out) const {
  *out = SearchResults();
  TIM_RETURN_IF_ERROR(CheckK(options));
  Readings r;
  TIM_RETURN_IF_ERROR(Read(in, options, ctx, false, &r));
  Extras extras;
  TIM_RETURN_IF_ERROR(PrepareExtras(options, r.filters, &extras));
  if (Lists(r, extras)) return ListFiltered(options, extras, out);
  const std::size_t want = options.k + options.offset;
  Outcome taken;
  TIM_RETURN_IF_ERROR(
      RunReading(r, r.default_and[0], options, ctx, extras, &taken, &out->postings_scored));
  if (r.default_and.size() > 1 && options.relax_and &&
      query::TriesRelaxed(taken.top.size(), want)) {
    Outcome relaxed;
    TIM_RETURN_IF_ERROR(
        RunReading(r, r.default_and[1], options, ctx, extras, &relaxed, &out->postings_scored));
    if (query::TakesRelaxed(taken.top.size(), relaxed.top.size())) {
      taken = std::move(relaxed);
      out->relaxed = true;
    }
  }
  return Results(r, taken, options, ctx, out);
}

Status Searcher::Rep::SearchShardIn(const Input& in, const SearchOptions& options,
                                    const SearchContext& ctx, ShardAnswer* out) const {
  *out = ShardAnswer();
  TIM_RETURN_IF_ERROR(CheckK(options));
  Readings r;
  TIM_RETURN_IF_ERROR(Read(in, options, ctx, false, &r));
  Extras extras;
  TIM_RETURN_IF_ERROR(PrepareExtras(options, r.filters, &extras));
  // The merge counts facets over every shard: each shard counts every value.
  for (query::FacetPart& f : extras.facets) f.top = SIZE_MAX;
  for (const query::SortPart& p : extras.sort) {
    out->sort_types.push_back(p.score ? FieldType::kText : p.type);
  }
  if (Lists(r, extras)) {
    SearchOptions o = options;
    o.k = options.k + options.offset;
    o.offset = 0;
    out->requested = o.k;
    out->dressed = o.snippets;
    return ListFiltered(o, extras, &out->results);
  }
  // Every hit up to k + offset: the merge pages. Explanations are the
  // fetch round's.
  SearchOptions o = options;
  o.k = options.k + options.offset;
  o.offset = 0;
  o.explain = false;
  out->requested = o.k;
  out->dressed = o.snippets;
  Outcome outcome;
  TIM_RETURN_IF_ERROR(
      RunReading(r, r.default_and[0], o, ctx, extras, &outcome, &out->results.postings_scored));
  TIM_RETURN_IF_ERROR(Results(r, outcome, o, ctx, &out->results));
  if (r.default_and.size() > 1 && o.relax_and && query::TriesRelaxed(outcome.top.size(), o.k)) {
    // Whether the search relaxes is decided over every shard's hits.
    Outcome relaxed;
    TIM_RETURN_IF_ERROR(
        RunReading(r, r.default_and[1], o, ctx, extras, &relaxed, &out->relaxed.postings_scored));
    TIM_RETURN_IF_ERROR(Results(r, relaxed, o, ctx, &out->relaxed));
    out->relaxed.relaxed = true;
    out->has_relaxed = true;
  }
  return Status::OK();
}

Status Searcher::Rep::FetchIn(const Input& in, const SearchOptions& options,
                              const SearchContext& ctx, bool relaxed,
                              std::vector<Hit>* hits) const {
  Readings r;
  TIM_RETURN_IF_ERROR(Read(in, options, ctx, false, &r));
  // A listing has no words to find: its hits show the title and the
  // body's beginning.
  const bool listing = (!options.filters.empty() || !r.filters.empty()) && r.no_words;
  query::Plan plan;
  if (!listing) {
    const bool and_words = relaxed ? r.default_and.back() : r.default_and[0];
    TIM_RETURN_IF_ERROR(query::BuildPlan(*snap, *ctx.scoring, analyzer, r.Parse(0, and_words),
                                         options, ctx.stats, &plan));
  }
  Analysis scratch;
  for (Hit& hit : *hits) {
    // Newer segments come last; a live copy exists in at most one.
    bool found = false;
    for (std::size_t si = segments.size(); si-- > 0 && !found;) {
      const internal::SegmentView& view = *segments[si].view;
      std::uint32_t doc = 0;
      TIM_RETURN_IF_ERROR(view.reader->LookupId(hit.id, &doc, &found));
      if (found && view.IsDeleted(doc)) found = false;
      if (!found) continue;
      hit.title.clear();
      hit.snippet.clear();
      hit.highlights.clear();
      hit.explanation.clear();
      if (!listing) {
        TIM_RETURN_IF_ERROR(DressHit(plan, options, ctx, si, doc, &scratch, &hit));
      } else if (options.snippets) {
        TIM_RETURN_IF_ERROR(DressPlain(si, doc, options, &scratch, &hit));
      }
    }
    if (!found) {
      return Status::NotFound("fetch: no document with id \"" + hit.id + "\" in this shard");
    }
  }
  return Status::OK();
}

Status Searcher::Rep::GatherIn(const Input& in, const SearchOptions& options,
                               CollectionStats* out) const {
  CollectionStats::Rep collection;
  query::RecordCollection(*snap, &collection);
  SearchContext ctx = Local();
  ctx.stats = query::StatsView::Record(&collection);
  Readings r;
  TIM_RETURN_IF_ERROR(Read(in, options, ctx, true, &r));
  if ((!options.filters.empty() || !r.filters.empty()) && r.no_words) {
    // A listing scores nothing: the document counts are all it needs.
    CollectionStatsAccess::Of(*out) = std::move(collection);
    return Status::OK();
  }
  for (std::size_t text = 0; text < r.texts.size(); ++text) {
    for (const bool and_words : r.default_and) {
      query::Plan plan;
      TIM_RETURN_IF_ERROR(query::BuildPlan(*snap, *ctx.scoring, analyzer, r.Parse(text, and_words),
                                           options, ctx.stats, &plan));
      if (options.suggest) {
        std::string suggestion;
        TIM_RETURN_IF_ERROR(
            query::SuggestQuery(*snap, ctx.stats, r.texts[text], plan, &suggestion));
      }
    }
  }
  CollectionStatsAccess::Of(*out) = std::move(collection);
  return Status::OK();
}

Status Searcher::Rep::PrepareExtras(const SearchOptions& options,
                                    const std::vector<std::string>& lifted, Extras* out) const {
  const index::Manifest& m = snap->manifest;
  for (const std::vector<std::string>* texts : {&options.filters, &lifted}) {
    for (const std::string& text : *texts) {
      if (out->filters.size() >= 64) return Status::InvalidArgument("more than 64 filters");
      query::FilterNode node;
      TIM_RETURN_IF_ERROR(query::ParseFilter(text, m, &node));
      out->filters.push_back(std::move(node));
      out->filter_texts.push_back(text);
    }
  }
  TIM_RETURN_IF_ERROR(query::ResolveSort(options.sort, m, &out->sort));
  TIM_RETURN_IF_ERROR(query::ResolveFacets(options.facets, m, &out->facets));
  if (out->filters.empty()) return Status::OK();
  // Each segment's documents that pass every filter and are not deleted:
  // every algorithm checks them where it checks deletions
  // (SegmentSearch::accept), and a selective filter leads the search. Each
  // filter's set is kept in its segment's cache (by its text), so a
  // repeated filter costs a lookup; one filter on a segment with no
  // deletions is the cached set itself.
  const query::FoldFn fold = [this](std::string_view s) { return Fold(s); };
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const internal::SegmentView& view = *segments[i].view;
    const index::SegmentReader& reader = *view.reader;
    std::shared_ptr<const Roaring> pass;
    for (std::size_t f = 0; f < out->filters.size(); ++f) {
      index::SetCache* cache = reader.filter_cache();
      std::shared_ptr<const Roaring> one =
          cache != nullptr ? cache->Find(out->filter_texts[f]) : nullptr;
      if (one == nullptr) {
        auto fresh = std::make_shared<Roaring>();
        const Status s = query::EvaluateFilter(out->filters[f], reader.columns(),
                                               reader.doc_count(), fold, fresh.get());
        if (!s.ok()) return Status::Corruption(reader.name() + ".col: " + s.message());
        fresh->runOptimize();
        one = std::move(fresh);
        if (cache != nullptr) cache->Insert(out->filter_texts[f], one);
      }
      if (pass == nullptr) {
        pass = std::move(one);
      } else {
        pass = std::make_shared<const Roaring>(*pass & *one);
      }
    }
    if (view.deletes != nullptr) pass = std::make_shared<const Roaring>(*pass - *view.deletes);
    out->accept_count.push_back(pass->cardinality());
    out->accept.push_back(std::move(pass));
  }
  return Status::OK();
}

std::string Searcher::Rep::Fold(std::string_view text) const {
  Analysis a;
  std::string out;
  if (!analyzer.Analyze(text, &a).ok()) return out;
  for (const Token& t : a.tokens()) {
    if (t.kind != TokenKind::kWord) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(a.folded(t));
  }
  return out;
}

Status Searcher::Rep::ListFiltered(const SearchOptions& options, const Extras& extras,
                                   SearchResults* out) const {
  Status id_status;
  std::string a_id, b_id;
  const query::CompareIds compare_ids = [&](std::uint64_t a, std::uint64_t b) {
    return CompareIds(a, b, &a_id, &b_id, &id_status);
  };
  query::Collector collector(extras.sort, extras.facets, options.k + options.offset, &compare_ids);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const query::SegmentData& seg = segments[i];
    const index::SegmentReader& reader = *seg.view->reader;
    if (extras.accept_count[i] == 0) continue;
    TIM_RETURN_IF_ERROR(
        collector.BeginSegment(reader.columns(), seg.doc_base, reader.ids_ascending()));
    for (std::uint32_t d : *extras.accept[i]) TIM_RETURN_IF_ERROR(collector.Add(d, 0.0f));
    TIM_RETURN_IF_ERROR(id_status);
    collector.EndSegment();
  }
  Outcome o;
  o.top = collector.Top(&o.sort_values);
  TIM_RETURN_IF_ERROR(id_status);
  o.facets = collector.Facets();
  o.hits = collector.matches();
  out->total_hits = o.hits;
  out->facets = o.facets;
  Analysis scratch;
  for (std::size_t i = options.offset; i < o.top.size(); ++i) {
    const query::TopK::Entry& e = o.top[i];
    const std::size_t si = SegmentOf(e.doc);
    const std::uint32_t doc = static_cast<std::uint32_t>(e.doc - segments[si].doc_base);
    Hit hit;
    TIM_RETURN_IF_ERROR(segments[si].view->reader->DocId(doc, &hit.id));
    if (i < o.sort_values.size()) hit.sort_values = o.sort_values[i];
    if (options.snippets) TIM_RETURN_IF_ERROR(DressPlain(si, doc, options, &scratch, &hit));
    out->hits.push_back(std::move(hit));
  }
  return Status::OK();
}

Status Searcher::Rep::DressPlain(std::size_t si, std::uint32_t doc, const SearchOptions& options,
                                 Analysis* scratch, Hit* hit) const {
  store::StoredDoc stored;
  TIM_RETURN_IF_ERROR(segments[si].view->reader->store().Get(doc, &stored));
  for (const auto& [field, text] : stored.fields) {
    if (field == scoring.title_field) {
      if (hit->title.empty()) hit->title = text;
    } else if (hit->snippet.empty() && snap->manifest.TypeOf(field) == FieldType::kText) {
      query::Snippet snippet;
      TIM_RETURN_IF_ERROR(
          query::MakeSnippet(text, {}, false, analyzer, options.snippet_bytes, scratch, &snippet));
      hit->snippet = std::move(snippet.text);
    }
  }
  return Status::OK();
}

std::shared_ptr<const NormCache> Searcher::Rep::NormsFor(const query::Scoring& s) const {
  {
    const std::lock_guard<std::mutex> lock(norm_mutex);
    if (norm_cache != nullptr && norm_cache->tables->avg_length() == s.avg_length) {
      return norm_cache;
    }
  }
  // Made outside the lock: searches with other averages go on.
  auto cache = std::make_shared<NormCache>();
  cache->tables = std::make_unique<const query::NormTables>(s);
  cache->norms.resize(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    cache->norms[i] = query::NormsOf(*cache->tables, *segments[i].view->reader);
  }
  const std::lock_guard<std::mutex> lock(norm_mutex);
  norm_cache = cache;
  return cache;
}

Status Searcher::Rep::WithCollection(
    const CollectionStats& stats, const std::function<Status(const SearchContext&)>& search) const {
  const CollectionStats::Rep& collection = CollectionStatsAccess::Of(stats);
  if (collection.sources == 0) {
    return Status::InvalidArgument(
        "the collection statistics are empty: gather them from every shard with GatherStats");
  }
  query::Scoring s;
  TIM_RETURN_IF_ERROR(query::MakeScoring(*snap, scoring.options, collection, &s));
  const std::shared_ptr<const NormCache> norms = NormsFor(s);
  SearchContext ctx;
  ctx.scoring = &s;
  ctx.norms = &norms->norms;
  ctx.stats = query::StatsView::Supplied(&collection);
  return search(ctx);
}

Status Searcher::Search(std::string_view typed, const SearchOptions& options,
                        SearchResults* out) const {
  return rep_->SearchIn({typed}, options, rep_->Local(), out);
}

Status Searcher::Search(const Query& query, const SearchOptions& options,
                        SearchResults* out) const {
  return rep_->SearchIn({{}, &query}, options, rep_->Local(), out);
}

Status Searcher::Search(std::string_view typed, const SearchOptions& options,
                        const CollectionStats& stats, SearchResults* out) const {
  *out = SearchResults();
  return rep_->WithCollection(
      stats, [&](const SearchContext& ctx) { return rep_->SearchIn({typed}, options, ctx, out); });
}

Status Searcher::Search(const Query& query, const SearchOptions& options,
                        const CollectionStats& stats, SearchResults* out) const {
  *out = SearchResults();
  return rep_->WithCollection(stats, [&](const SearchContext& ctx) {
    return rep_->SearchIn({{}, &query}, options, ctx, out);
  });
}

Status Searcher::SearchShard(std::string_view typed, const SearchOptions& options,
                             const CollectionStats& stats, ShardAnswer* out) const {
  *out = ShardAnswer();
  return rep_->WithCollection(stats, [&](const SearchContext& ctx) {
    return rep_->SearchShardIn({typed}, options, ctx, out);
  });
}

Status Searcher::SearchShard(const Query& query, const SearchOptions& options,
                             const CollectionStats& stats, ShardAnswer* out) const {
  *out = ShardAnswer();
  return rep_->WithCollection(stats, [&](const SearchContext& ctx) {
    return rep_->SearchShardIn({{}, &query}, options, ctx, out);
  });
}

Status Searcher::Fetch(std::string_view typed, const SearchOptions& options,
                       const CollectionStats& stats, bool relaxed, std::vector<Hit>* hits) const {
  return rep_->WithCollection(stats, [&](const SearchContext& ctx) {
    return rep_->FetchIn({typed}, options, ctx, relaxed, hits);
  });
}

Status Searcher::Fetch(const Query& query, const SearchOptions& options,
                       const CollectionStats& stats, bool relaxed, std::vector<Hit>* hits) const {
  return rep_->WithCollection(stats, [&](const SearchContext& ctx) {
    return rep_->FetchIn({{}, &query}, options, ctx, relaxed, hits);
  });
}

Status Searcher::GatherStats(std::string_view typed, const SearchOptions& options,
                             CollectionStats* out) const {
  return rep_->GatherIn({typed}, options, out);
}

Status Searcher::GatherStats(const Query& query, const SearchOptions& options,
                             CollectionStats* out) const {
  return rep_->GatherIn({{}, &query}, options, out);
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
  std::vector<std::string> filters;
  TIM_RETURN_IF_ERROR(PrepareQuery(query, &copy, &text, &filters));
  const query::ParsedQuery parsed = ReadingOf(copy, default_operator == DefaultOperator::kAnd);
  SearchOptions options;
  options.algorithm = Algorithm::kGeneric;
  Rep::Extras extras;
  TIM_RETURN_IF_ERROR(rep_->PrepareExtras(options, filters, &extras));
  if (!filters.empty() && copy.kind == Query::Kind::kBool && copy.clauses.empty()) {
    // Filters alone: every document they pass, unscored.
    std::string id;
    for (std::size_t i = 0; i < rep_->segments.size(); ++i) {
      for (const std::uint32_t doc : *extras.accept[i]) {
        TIM_RETURN_IF_ERROR(rep_->segments[i].view->reader->DocId(doc, &id));
        if (!visit(id, 0.0f)) return Status::OK();
      }
    }
    return Status::OK();
  }
  query::Plan plan;
  TIM_RETURN_IF_ERROR(query::BuildPlan(*rep_->snap, rep_->scoring, rep_->analyzer, parsed, options,
                                       query::StatsView(), &plan));
  bool stopped = false;
  for (std::size_t i = 0; i < rep_->segments.size() && !stopped; ++i) {
    const query::SegmentData& seg = rep_->segments[i];
    Status id_status;
    std::string id;
    const std::function<bool(std::uint32_t, float)> each = [&](std::uint32_t doc, float score) {
      id_status = seg.view->reader->DocId(doc, &id);
      if (!id_status.ok() || !visit(id, score)) stopped = true;
      return !stopped;
    };
    query::SegmentSearch s;
    s.plan = &plan;
    s.scoring = &rep_->scoring;
    s.segment = &seg;
    s.segment_index = i;
    s.algorithm = Algorithm::kGeneric;
    s.visit = &each;
    s.accept = extras.AcceptOf(i);
    s.accept_count = s.accept != nullptr ? extras.accept_count[i] : 0;
    query::TopK unused(0, nullptr);
    std::uint64_t hits = 0;
    TIM_RETURN_IF_ERROR(query::RunSegment(s, &unused, &hits));
    TIM_RETURN_IF_ERROR(id_status);
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
  return query::RestoreQuery(*rep_->snap, query::StatsView(), q, plan, std::min<std::size_t>(n, 16),
                             query::RestoreParams(), out);
}

bool RanksBefore(const Hit& a, const Hit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.id < b.id;
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
