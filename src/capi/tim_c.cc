// The C API (include/tim/tim.h) over the C++ one. Every entry point checks
// its pointers, turns Status into a code and a malloc'd message, and keeps
// exceptions (an allocation failing) from crossing into C.

#include "tim/tim.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tim/index.h"
#include "tim/jsonl.h"
#include "tim/query.h"
#include "tim/search.h"
#include "tim/shards.h"
#include "tim/version.h"
#include "util/hidden.h"
#include "util/utf8.h"

struct TIM_HIDDEN tim_reader {
  std::unique_ptr<tim::IndexReader> reader;
  std::unique_ptr<tim::Searcher> searcher;
};

struct TIM_HIDDEN tim_writer {
  std::unique_ptr<tim::IndexWriter> writer;
};

struct TIM_HIDDEN tim_jsonl {
  std::unique_ptr<tim::JsonlReader> reader;
};

namespace {

using tim::Status;

// What a tim_results or tim_document points into: one allocation owning
// every string and array, the public struct first so its address is the
// handle's.
struct TIM_HIDDEN ResultsBlock {
  tim_results pub{};
  std::vector<std::string> strings;
  std::vector<tim_hit> hits;
  std::vector<std::vector<tim_range>> ranges;
  std::vector<const char*> notes;
  std::vector<std::size_t> shards;
  std::vector<std::vector<const char*>> sort_values;  // per hit
  std::vector<tim_facet> facets;
  std::vector<std::vector<tim_facet_count>> facet_counts;
};

struct TIM_HIDDEN DocumentBlock {
  tim_document pub{};
  std::vector<std::string> strings;
  std::vector<tim_field> fields;
};

// The handle given out is &block->pub; freeing turns it back into the
// block, which standard layout (pub first) makes exact.
static_assert(std::is_standard_layout_v<ResultsBlock> && offsetof(ResultsBlock, pub) == 0);
static_assert(std::is_standard_layout_v<DocumentBlock> && offsetof(DocumentBlock, pub) == 0);

// tim_code mirrors Status::Code.
static_assert(TIM_NOT_FOUND == static_cast<int>(Status::Code::kNotFound) &&
              TIM_CORRUPTION == static_cast<int>(Status::Code::kCorruption) &&
              TIM_INVALID_ARGUMENT == static_cast<int>(Status::Code::kInvalidArgument) &&
              TIM_IO_ERROR == static_cast<int>(Status::Code::kIOError) &&
              TIM_NOT_SUPPORTED == static_cast<int>(Status::Code::kNotSupported) &&
              TIM_BUSY == static_cast<int>(Status::Code::kBusy));

char* Copy(std::string_view s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) return nullptr;
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

int Fail(tim_code code, std::string_view message, char** errmsg) {
  if (errmsg != nullptr) *errmsg = Copy(message);
  return code;
}

int Report(const Status& s, char** errmsg) {
  if (s.ok()) return TIM_OK;
  return Fail(static_cast<tim_code>(s.code()), s.message(), errmsg);
}

// Runs `body`, which returns a Status, with errmsg cleared first and no
// exception escaping.
template <typename F>
int Guard(char** errmsg, F&& body) {
  if (errmsg != nullptr) *errmsg = nullptr;
  try {
    return Report(body(), errmsg);
  } catch (const std::bad_alloc&) {
    return Fail(TIM_NO_MEMORY, "out of memory", errmsg);
  } catch (const std::exception& e) {
    return Fail(TIM_INTERNAL, std::string("internal error: ") + e.what(), errmsg);
  } catch (...) {
    return Fail(TIM_INTERNAL, "internal error", errmsg);
  }
}

Status NoNull(const void* p, const char* what) {
  if (p == nullptr) return Status::InvalidArgument(std::string(what) + " is NULL");
  return Status::OK();
}

// A (pointer, length) argument as a view: NULL only with length 0; valid UTF-8.
Status Text(const char* p, std::size_t len, const char* what, std::string_view* out) {
  if (p == nullptr && len != 0) {
    return Status::InvalidArgument(std::string(what) + " is NULL with length " +
                                   std::to_string(len));
  }
  *out = len == 0 ? std::string_view() : std::string_view(p, len);
  const std::size_t bad = tim::utf8::FirstInvalid(*out);
  if (bad < out->size()) {
    return Status::InvalidArgument(std::string(what) + ": invalid UTF-8 at byte " +
                                   std::to_string(bad));
  }
  return Status::OK();
}

Status Path(const char* path, std::string* out) {
  TIM_RETURN_IF_ERROR(NoNull(path, "path"));
  if (*path == '\0') return Status::InvalidArgument("path is empty");
  *out = path;
  return Status::OK();
}

Status OpenReader(std::unique_ptr<tim::IndexReader> reader, tim_reader** out) {
  auto r = std::make_unique<tim_reader>();
  r->reader = std::move(reader);
  TIM_RETURN_IF_ERROR(tim::Searcher::Open(r->reader.get(), tim::RankingOptions(), &r->searcher));
  *out = r.release();
  return Status::OK();
}

constexpr unsigned kKnownFlags = TIM_SEARCH_AND | TIM_SEARCH_NO_SNIPPETS | TIM_SEARCH_NO_SUGGEST |
                                 TIM_SEARCH_PLAIN | TIM_SEARCH_RAW | TIM_SEARCH_NO_RELAX;

Status CheckFlags(unsigned flags, unsigned known) {
  if ((flags & ~known) != 0) {
    return Status::InvalidArgument("unknown search flags " + std::to_string(flags & ~known));
  }
  return Status::OK();
}

// The search options `flags` ask for.
tim::SearchOptions OptionsOf(unsigned flags, std::size_t k, std::size_t offset) {
  tim::SearchOptions options;
  options.k = k;
  options.offset = offset;
  options.default_operator =
      (flags & TIM_SEARCH_AND) != 0 ? tim::DefaultOperator::kAnd : tim::DefaultOperator::kOr;
  options.snippets = (flags & TIM_SEARCH_NO_SNIPPETS) == 0;
  options.suggest = (flags & TIM_SEARCH_NO_SUGGEST) == 0;
  options.rewrite_typing = (flags & TIM_SEARCH_RAW) == 0;
  options.relax_and = (flags & TIM_SEARCH_NO_RELAX) == 0;
  return options;
}

// Adds what `x` asks (may be null) to *o: filters, sort, facets.
Status AddExtras(const tim_search_extras* x, tim::SearchOptions* o) {
  if (x == nullptr) return Status::OK();
  if (x->filter_count > 0) TIM_RETURN_IF_ERROR(NoNull(x->filters, "extras.filters"));
  if (x->facet_count > 0) TIM_RETURN_IF_ERROR(NoNull(x->facets, "extras.facets"));
  if (x->filter_count > 1024 || x->facet_count > 1024) {
    return Status::InvalidArgument("extras: more than 1024 filters or facets");
  }
  const auto text = [](const char* p, const std::string& what, std::string_view* out) {
    TIM_RETURN_IF_ERROR(NoNull(p, what.c_str()));
    return Text(p, std::strlen(p), what.c_str(), out);
  };
  for (std::size_t i = 0; i < x->filter_count; ++i) {
    std::string_view f;
    TIM_RETURN_IF_ERROR(text(x->filters[i], "extras.filters[" + std::to_string(i) + "]", &f));
    o->filters.emplace_back(f);
  }
  if (x->sort != nullptr && x->sort[0] != '\0') {
    std::string_view spec;
    TIM_RETURN_IF_ERROR(text(x->sort, "extras.sort", &spec));
    TIM_RETURN_IF_ERROR(tim::ParseSortSpec(spec, &o->sort));
  }
  for (std::size_t i = 0; i < x->facet_count; ++i) {
    std::string_view spec;
    TIM_RETURN_IF_ERROR(text(x->facets[i], "extras.facets[" + std::to_string(i) + "]", &spec));
    tim::FacetRequest f;
    TIM_RETURN_IF_ERROR(tim::ParseFacetSpec(spec, &f));
    o->facets.push_back(std::move(f));
  }
  return Status::OK();
}

// Lays results out for C, to free with tim_results_free; `shards`: each
// hit's shard (tim_merge_shards), or empty.
Status GiveResults(tim::SearchResults results, std::vector<std::size_t> shards, tim_results** out) {
  auto block = std::make_unique<ResultsBlock>();
  // Every string first, so the vector does not move them later.
  std::vector<std::string>& s = block->strings;
  std::size_t extra = 0;
  for (const tim::Hit& h : results.hits) extra += h.sort_values.size();
  for (const tim::Facet& f : results.facets) extra += 1 + f.counts.size();
  s.reserve(3 * results.hits.size() + 2 + results.notes.size() + extra);
  for (tim::Hit& h : results.hits) {
    s.push_back(std::move(h.id));
    s.push_back(std::move(h.title));
    s.push_back(std::move(h.snippet));
  }
  s.push_back(std::move(results.suggestion));
  s.push_back(std::move(results.rewritten));
  for (std::string& n : results.notes) s.push_back(std::move(n));
  block->ranges.resize(results.hits.size());
  block->hits.resize(results.hits.size());
  for (std::size_t i = 0; i < results.hits.size(); ++i) {
    for (const auto& [b, e] : results.hits[i].highlights) block->ranges[i].push_back({b, e});
    tim_hit& h = block->hits[i];
    h.id = s[3 * i].c_str();
    h.id_len = s[3 * i].size();
    h.score = results.hits[i].score;
    h.title = s[3 * i + 1].c_str();
    h.title_len = s[3 * i + 1].size();
    h.snippet = s[3 * i + 2].c_str();
    h.snippet_len = s[3 * i + 2].size();
    h.highlights = block->ranges[i].empty() ? nullptr : block->ranges[i].data();
    h.highlight_count = block->ranges[i].size();
  }
  const std::size_t sug = 3 * results.hits.size();
  for (std::size_t i = sug + 2; i < s.size(); ++i) block->notes.push_back(s[i].c_str());
  tim_results& p = block->pub;
  p.total_hits = results.total_hits;
  p.total_hits_exact = results.total_hits_exact ? 1 : 0;
  p.relaxed = results.relaxed ? 1 : 0;
  p.hits = block->hits.empty() ? nullptr : block->hits.data();
  p.hit_count = block->hits.size();
  p.suggestion = s[sug].c_str();
  p.suggestion_len = s[sug].size();
  p.notes = block->notes.empty() ? nullptr : block->notes.data();
  p.note_count = block->notes.size();
  p.rewritten = s[sug + 1].c_str();
  p.rewritten_len = s[sug + 1].size();
  block->shards = std::move(shards);
  p.shards = block->shards.empty() ? nullptr : block->shards.data();
  // Sort values and facets: their strings after the others (reserved above).
  block->sort_values.resize(results.hits.size());
  for (std::size_t i = 0; i < results.hits.size(); ++i) {
    for (std::string& v : results.hits[i].sort_values) {
      s.push_back(std::move(v));
      block->sort_values[i].push_back(s.back().c_str());
    }
    tim_hit& h = block->hits[i];
    h.sort_values = block->sort_values[i].empty() ? nullptr : block->sort_values[i].data();
    h.sort_value_count = block->sort_values[i].size();
  }
  block->facet_counts.resize(results.facets.size());
  for (std::size_t i = 0; i < results.facets.size(); ++i) {
    s.push_back(std::move(results.facets[i].field));
    tim_facet f{};
    f.field = s.back().c_str();
    f.field_len = s.back().size();
    for (tim::FacetCount& c : results.facets[i].counts) {
      s.push_back(std::move(c.value));
      block->facet_counts[i].push_back({s.back().c_str(), s.back().size(), c.count});
    }
    block->facets.push_back(f);
  }
  for (std::size_t i = 0; i < block->facets.size(); ++i) {
    block->facets[i].counts =
        block->facet_counts[i].empty() ? nullptr : block->facet_counts[i].data();
    block->facets[i].count = block->facet_counts[i].size();
  }
  p.facets = block->facets.empty() ? nullptr : block->facets.data();
  p.facet_count = block->facets.size();
  *out = &block.release()->pub;
  return Status::OK();
}

// Runs a search of the query language or, with `plain`, of raw text read
// as plain words, and lays its results out for C. With `stats` (serialized
// collection statistics), scores with them.
Status SearchInto(const tim_reader* r, const char* text, std::size_t len, bool plain, std::size_t k,
                  std::size_t offset, unsigned flags, const tim::CollectionStats* stats,
                  tim_results** out, const tim_search_extras* extras = nullptr) {
  TIM_RETURN_IF_ERROR(NoNull(r, "reader"));
  TIM_RETURN_IF_ERROR(NoNull(out, "out"));
  *out = nullptr;
  std::string_view q;
  TIM_RETURN_IF_ERROR(Text(text, len, plain ? "text" : "query", &q));
  TIM_RETURN_IF_ERROR(CheckFlags(flags, kKnownFlags));
  plain = plain || (flags & TIM_SEARCH_PLAIN) != 0;
  tim::SearchOptions options = OptionsOf(flags, k, offset);
  TIM_RETURN_IF_ERROR(AddExtras(extras, &options));
  tim::SearchResults results;
  if (stats != nullptr) {
    TIM_RETURN_IF_ERROR(plain ? r->searcher->Search(tim::Query::Text(q), options, *stats, &results)
                              : r->searcher->Search(q, options, *stats, &results));
  } else {
    TIM_RETURN_IF_ERROR(plain ? r->searcher->Search(tim::Query::Text(q), options, &results)
                              : r->searcher->Search(q, options, &results));
  }

  return GiveResults(std::move(results), {}, out);
}

// A document laid out for C, to free with tim_document_free.
tim_document* NewDocument(tim::Document doc) {
  auto block = std::make_unique<DocumentBlock>();
  std::vector<std::string>& s = block->strings;
  s.reserve(1 + 2 * doc.fields.size());
  s.push_back(std::move(doc.id));
  for (auto& [name, value] : doc.fields) {
    s.push_back(std::move(name));
    s.push_back(std::move(value));
  }
  for (std::size_t i = 0; i < doc.fields.size(); ++i) {
    const std::string& n = s[1 + 2 * i];
    const std::string& t = s[2 + 2 * i];
    block->fields.push_back({n.c_str(), n.size(), t.c_str(), t.size()});
  }
  tim_document& p = block->pub;
  p.id = s[0].c_str();
  p.id_len = s[0].size();
  p.fields = block->fields.empty() ? nullptr : block->fields.data();
  p.field_count = block->fields.size();
  return &block.release()->pub;
}

// Collection statistics handed out as bytes.
Status GiveBytes(const std::string& bytes, char** out, std::size_t* out_len) {
  char* p = static_cast<char*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
  if (p == nullptr) throw std::bad_alloc();
  if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
  *out = p;
  *out_len = bytes.size();
  return Status::OK();
}

Status ParseStats(const char* bytes, std::size_t len, tim::CollectionStats* out) {
  if (bytes == nullptr && len != 0) return Status::InvalidArgument("stats is NULL");
  return tim::CollectionStats::Parse(std::string_view(bytes == nullptr ? "" : bytes, len), out);
}

}  // namespace

extern "C" {

const char* tim_code_name(int code) {
  switch (code) {
    case TIM_OK: return "OK";
    case TIM_NOT_FOUND: return "NotFound";
    case TIM_CORRUPTION: return "Corruption";
    case TIM_INVALID_ARGUMENT: return "InvalidArgument";
    case TIM_IO_ERROR: return "IOError";
    case TIM_NOT_SUPPORTED: return "NotSupported";
    case TIM_BUSY: return "Busy";
    case TIM_NO_MEMORY: return "NoMemory";
    case TIM_INTERNAL: return "Internal";
    default: return "Unknown";
  }
}

const char* tim_version(void) { return tim::Version(); }

void tim_free(void* p) { std::free(p); }

int tim_writer_open(const char* path, int create, tim_writer** out, char** errmsg) {
  return tim_writer_open_schema(path, create, nullptr, 0, out, errmsg);
}

int tim_writer_open_schema(const char* path, int create, const char* schema_json, size_t schema_len,
                           tim_writer** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    std::string dir;
    TIM_RETURN_IF_ERROR(Path(path, &dir));
    tim::IndexOptions options;
    options.create_if_missing = create != 0;
    std::string_view schema;
    TIM_RETURN_IF_ERROR(Text(schema_json, schema_len, "schema", &schema));
    if (!schema.empty()) TIM_RETURN_IF_ERROR(tim::ParseSchemaJson(schema, &options.schema));
    auto w = std::make_unique<tim_writer>();
    TIM_RETURN_IF_ERROR(tim::IndexWriter::Open(dir, options, &w->writer));
    *out = w.release();
    return Status::OK();
  });
}

int tim_writer_add(tim_writer* w, const char* id, size_t id_len, const tim_field* fields,
                   size_t nfields, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(w, "writer"));
    if (fields == nullptr && nfields != 0) return Status::InvalidArgument("fields is NULL");
    tim::Document doc;
    std::string_view v;
    TIM_RETURN_IF_ERROR(Text(id, id_len, "id", &v));
    doc.id = std::string(v);
    doc.fields.reserve(nfields);
    for (std::size_t i = 0; i < nfields; ++i) {
      std::string_view name, value;
      const std::string which = "field " + std::to_string(i);
      TIM_RETURN_IF_ERROR(
          Text(fields[i].name, fields[i].name_len, (which + " name").c_str(), &name));
      TIM_RETURN_IF_ERROR(
          Text(fields[i].value, fields[i].value_len, (which + " value").c_str(), &value));
      doc.fields.emplace_back(std::string(name), std::string(value));
    }
    return w->writer->AddDocument(doc);
  });
}

int tim_writer_delete(tim_writer* w, const char* id, size_t id_len, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(w, "writer"));
    std::string_view v;
    TIM_RETURN_IF_ERROR(Text(id, id_len, "id", &v));
    return w->writer->DeleteDocument(v);
  });
}

int tim_writer_commit(tim_writer* w, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(w, "writer"));
    return w->writer->Commit();
  });
}

void tim_writer_close(tim_writer* w) { delete w; }

int tim_reader_open(const char* path, tim_reader** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    std::string dir;
    TIM_RETURN_IF_ERROR(Path(path, &dir));
    std::unique_ptr<tim::IndexReader> reader;
    TIM_RETURN_IF_ERROR(tim::IndexReader::Open(dir, tim::ReaderOptions(), &reader));
    return OpenReader(std::move(reader), out);
  });
}

int tim_reader_reopen(const tim_reader* r, tim_reader** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(r, "reader"));
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    std::unique_ptr<tim::IndexReader> reader;
    TIM_RETURN_IF_ERROR(r->reader->Reopen(&reader));
    return OpenReader(std::move(reader), out);
  });
}

void tim_reader_close(tim_reader* r) { delete r; }

uint64_t tim_reader_num_docs(const tim_reader* r) {
  return r == nullptr ? 0 : r->reader->num_docs();
}

int tim_search(const tim_reader* r, const char* query, size_t query_len, size_t k, size_t offset,
               unsigned flags, tim_results** out, char** errmsg) {
  return Guard(errmsg, [&] {
    return SearchInto(r, query, query_len, false, k, offset, flags, nullptr, out);
  });
}

int tim_search_ex(const tim_reader* r, const char* query, size_t query_len, size_t k, size_t offset,
                  unsigned flags, const tim_search_extras* extras, tim_results** out,
                  char** errmsg) {
  return Guard(errmsg, [&] {
    return SearchInto(r, query, query_len, false, k, offset, flags, nullptr, out, extras);
  });
}

int tim_search_text(const tim_reader* r, const char* text, size_t text_len, size_t k, size_t offset,
                    unsigned flags, tim_results** out, char** errmsg) {
  return Guard(errmsg,
               [&] { return SearchInto(r, text, text_len, true, k, offset, flags, nullptr, out); });
}

int tim_for_each_match(const tim_reader* r, const char* query, size_t query_len, unsigned flags,
                       tim_match_fn visit, void* ctx, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(r, "reader"));
    if (visit == nullptr) return Status::InvalidArgument("visit is NULL");
    std::string_view q;
    TIM_RETURN_IF_ERROR(Text(query, query_len, "query", &q));
    TIM_RETURN_IF_ERROR(CheckFlags(flags, TIM_SEARCH_AND | TIM_SEARCH_PLAIN));
    const tim::Query parsed =
        (flags & TIM_SEARCH_PLAIN) != 0 ? tim::Query::Text(q) : r->searcher->Parse(q);
    const tim::DefaultOperator op =
        (flags & TIM_SEARCH_AND) != 0 ? tim::DefaultOperator::kAnd : tim::DefaultOperator::kOr;
    return r->searcher->ForEachMatch(parsed, op, [&](std::string_view id, float score) {
      return visit(ctx, id.data(), id.size(), score) != 0;
    });
  });
}

void tim_results_free(tim_results* res) {
  // pub is the first member of its block.
  delete reinterpret_cast<ResultsBlock*>(res);
}

int tim_get_document(const tim_reader* r, const char* id, size_t id_len, tim_document** out,
                     char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(r, "reader"));
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    std::string_view v;
    TIM_RETURN_IF_ERROR(Text(id, id_len, "id", &v));
    tim::Document doc;
    TIM_RETURN_IF_ERROR(r->reader->GetDocument(v, &doc));
    *out = NewDocument(std::move(doc));
    return Status::OK();
  });
}

void tim_document_free(tim_document* doc) { delete reinterpret_cast<DocumentBlock*>(doc); }

int tim_gather_stats(const tim_reader* r, const char* query, size_t query_len, unsigned flags,
                     char** stats, size_t* stats_len, char** errmsg) {
  return tim_gather_stats_ex(r, query, query_len, flags, nullptr, stats, stats_len, errmsg);
}

int tim_gather_stats_ex(const tim_reader* r, const char* query, size_t query_len, unsigned flags,
                        const tim_search_extras* extras, char** stats, size_t* stats_len,
                        char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(r, "reader"));
    TIM_RETURN_IF_ERROR(NoNull(stats, "stats"));
    TIM_RETURN_IF_ERROR(NoNull(stats_len, "stats_len"));
    *stats = nullptr;
    *stats_len = 0;
    std::string_view q;
    TIM_RETURN_IF_ERROR(Text(query, query_len, "query", &q));
    TIM_RETURN_IF_ERROR(CheckFlags(flags, kKnownFlags));
    tim::SearchOptions options = OptionsOf(flags, 10, 0);
    TIM_RETURN_IF_ERROR(AddExtras(extras, &options));
    tim::CollectionStats gathered;
    TIM_RETURN_IF_ERROR((flags & TIM_SEARCH_PLAIN) != 0
                            ? r->searcher->GatherStats(tim::Query::Text(q), options, &gathered)
                            : r->searcher->GatherStats(q, options, &gathered));
    return GiveBytes(gathered.Serialize(), stats, stats_len);
  });
}

int tim_merge_stats(const char* const* stats, const size_t* lens, size_t n, char** out,
                    size_t* out_len, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    TIM_RETURN_IF_ERROR(NoNull(out_len, "out_len"));
    *out = nullptr;
    *out_len = 0;
    if (n > 0) {
      TIM_RETURN_IF_ERROR(NoNull(stats, "stats"));
      TIM_RETURN_IF_ERROR(NoNull(lens, "lens"));
    }
    tim::CollectionStats all;
    for (std::size_t i = 0; i < n; ++i) {
      tim::CollectionStats one;
      const Status s = ParseStats(stats[i], lens[i], &one);
      if (!s.ok()) return s.WithContext("statistics " + std::to_string(i));
      all.Merge(one);
    }
    return GiveBytes(all.Serialize(), out, out_len);
  });
}

int tim_search_with_stats(const tim_reader* r, const char* query, size_t query_len, size_t k,
                          size_t offset, unsigned flags, const char* stats, size_t stats_len,
                          tim_results** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    if (out != nullptr) *out = nullptr;
    tim::CollectionStats collection;
    TIM_RETURN_IF_ERROR(ParseStats(stats, stats_len, &collection));
    return SearchInto(r, query, query_len, false, k, offset, flags, &collection, out);
  });
}

int tim_search_shard(const tim_reader* r, const char* query, size_t query_len, size_t k,
                     size_t offset, unsigned flags, const char* stats, size_t stats_len,
                     char** answer, size_t* answer_len, char** errmsg) {
  return tim_search_shard_ex(r, query, query_len, k, offset, flags, nullptr, stats, stats_len,
                             answer, answer_len, errmsg);
}

int tim_search_shard_ex(const tim_reader* r, const char* query, size_t query_len, size_t k,
                        size_t offset, unsigned flags, const tim_search_extras* extras,
                        const char* stats, size_t stats_len, char** answer, size_t* answer_len,
                        char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(r, "reader"));
    TIM_RETURN_IF_ERROR(NoNull(answer, "answer"));
    TIM_RETURN_IF_ERROR(NoNull(answer_len, "answer_len"));
    *answer = nullptr;
    *answer_len = 0;
    std::string_view q;
    TIM_RETURN_IF_ERROR(Text(query, query_len, "query", &q));
    TIM_RETURN_IF_ERROR(CheckFlags(flags, kKnownFlags));
    tim::CollectionStats collection;
    TIM_RETURN_IF_ERROR(ParseStats(stats, stats_len, &collection));
    tim::SearchOptions options = OptionsOf(flags, k, offset);
    TIM_RETURN_IF_ERROR(AddExtras(extras, &options));
    tim::ShardAnswer a;
    TIM_RETURN_IF_ERROR((flags & TIM_SEARCH_PLAIN) != 0
                            ? r->searcher->SearchShard(tim::Query::Text(q), options, collection, &a)
                            : r->searcher->SearchShard(q, options, collection, &a));
    return GiveBytes(a.Serialize(), answer, answer_len);
  });
}

int tim_merge_shards(const char* const* answers, const size_t* lens, size_t n, size_t k,
                     size_t offset, unsigned flags, tim_results** out, char** errmsg) {
  return tim_merge_shards_ex(answers, lens, n, k, offset, flags, nullptr, out, errmsg);
}

int tim_merge_shards_ex(const char* const* answers, const size_t* lens, size_t n, size_t k,
                        size_t offset, unsigned flags, const tim_search_extras* extras,
                        tim_results** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    if (n > 0) {
      TIM_RETURN_IF_ERROR(NoNull(answers, "answers"));
      TIM_RETURN_IF_ERROR(NoNull(lens, "lens"));
    }
    TIM_RETURN_IF_ERROR(CheckFlags(flags, kKnownFlags));
    std::vector<tim::ShardAnswer> parsed(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (answers[i] == nullptr && lens[i] != 0) {
        return Status::InvalidArgument("answer " + std::to_string(i) + " is NULL");
      }
      const Status s = tim::ShardAnswer::Parse(
          std::string_view(answers[i] == nullptr ? "" : answers[i], lens[i]), &parsed[i]);
      if (!s.ok()) return s.WithContext("answer " + std::to_string(i));
    }
    tim::SearchResults results;
    std::vector<std::size_t> shards;
    tim::SearchOptions options = OptionsOf(flags, k, offset);
    TIM_RETURN_IF_ERROR(AddExtras(extras, &options));
    TIM_RETURN_IF_ERROR(tim::MergeShards(parsed, options, &results, &shards));
    return GiveResults(std::move(results), std::move(shards), out);
  });
}

int tim_fetch(const tim_reader* r, const char* query, size_t query_len, unsigned flags,
              const char* stats, size_t stats_len, const char* const* ids, const size_t* id_lens,
              const double* scores, size_t n, tim_results** out, char** errmsg) {
  return tim_fetch_ex(r, query, query_len, flags, nullptr, stats, stats_len, ids, id_lens, scores,
                      n, out, errmsg);
}

int tim_fetch_ex(const tim_reader* r, const char* query, size_t query_len, unsigned flags,
                 const tim_search_extras* extras, const char* stats, size_t stats_len,
                 const char* const* ids, const size_t* id_lens, const double* scores, size_t n,
                 tim_results** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(r, "reader"));
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    if (n > 0) {
      TIM_RETURN_IF_ERROR(NoNull(ids, "ids"));
      TIM_RETURN_IF_ERROR(NoNull(id_lens, "id_lens"));
    }
    std::string_view q;
    TIM_RETURN_IF_ERROR(Text(query, query_len, "query", &q));
    TIM_RETURN_IF_ERROR(CheckFlags(flags, kKnownFlags | TIM_FETCH_RELAXED));
    tim::CollectionStats collection;
    TIM_RETURN_IF_ERROR(ParseStats(stats, stats_len, &collection));
    std::vector<tim::Hit> hits(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::string_view id;
      TIM_RETURN_IF_ERROR(Text(ids[i], id_lens[i], "id", &id));
      hits[i].id = std::string(id);
      if (scores != nullptr) hits[i].score = static_cast<float>(scores[i]);
    }
    tim::SearchOptions options = OptionsOf(flags, 10, 0);
    TIM_RETURN_IF_ERROR(AddExtras(extras, &options));
    const bool relaxed = (flags & TIM_FETCH_RELAXED) != 0;
    TIM_RETURN_IF_ERROR(
        (flags & TIM_SEARCH_PLAIN) != 0
            ? r->searcher->Fetch(tim::Query::Text(q), options, collection, relaxed, &hits)
            : r->searcher->Fetch(q, options, collection, relaxed, &hits));
    tim::SearchResults results;
    results.hits = std::move(hits);
    results.total_hits = n;
    results.relaxed = relaxed;
    return GiveResults(std::move(results), {}, out);
  });
}

int tim_writer_add_jsonl(tim_writer* w, const char* path, int skip_bad, uint64_t* added,
                         uint64_t* skipped, char** errmsg) {
  if (added != nullptr) *added = 0;
  if (skipped != nullptr) *skipped = 0;
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(w, "writer"));
    std::string p;
    TIM_RETURN_IF_ERROR(Path(path, &p));
    std::unique_ptr<tim::JsonlReader> reader;
    TIM_RETURN_IF_ERROR(tim::JsonlReader::Open(p, &reader));
    reader->set_schema(w->writer->schema());
    tim::Document doc;
    for (;;) {
      bool done = false;
      Status s = reader->Next(&doc, &done);
      if (s.ok() && done) return Status::OK();
      if (s.ok()) {
        s = w->writer->AddDocument(doc);
        // A document the writer refuses is named by its line.
        if (s.IsInvalidArgument()) {
          s = s.WithContext(p + ":" + std::to_string(reader->line_number()));
        }
        if (s.ok() && added != nullptr) ++*added;
      }
      if (s.IsInvalidArgument() && skip_bad != 0) {
        if (skipped != nullptr) ++*skipped;
        continue;
      }
      TIM_RETURN_IF_ERROR(s);
    }
  });
}

int tim_jsonl_open(const char* path, tim_jsonl** out, char** errmsg) {
  return tim_jsonl_open_schema(path, nullptr, 0, out, errmsg);
}

int tim_jsonl_open_schema(const char* path, const char* schema_json, size_t schema_len,
                          tim_jsonl** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    std::string p;
    TIM_RETURN_IF_ERROR(Path(path, &p));
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    std::string_view schema_text;
    TIM_RETURN_IF_ERROR(Text(schema_json, schema_len, "schema", &schema_text));
    tim::Schema schema;
    if (!schema_text.empty()) TIM_RETURN_IF_ERROR(tim::ParseSchemaJson(schema_text, &schema));
    auto j = std::make_unique<tim_jsonl>();
    TIM_RETURN_IF_ERROR(tim::JsonlReader::Open(p, &j->reader));
    j->reader->set_schema(schema);
    *out = j.release();
    return Status::OK();
  });
}

int tim_jsonl_next(tim_jsonl* j, tim_document** out, char** errmsg) {
  return Guard(errmsg, [&]() -> Status {
    TIM_RETURN_IF_ERROR(NoNull(j, "jsonl"));
    TIM_RETURN_IF_ERROR(NoNull(out, "out"));
    *out = nullptr;
    tim::Document doc;
    bool done = false;
    TIM_RETURN_IF_ERROR(j->reader->Next(&doc, &done));
    if (!done) *out = NewDocument(std::move(doc));
    return Status::OK();
  });
}

uint64_t tim_jsonl_line(const tim_jsonl* j) { return j == nullptr ? 0 : j->reader->line_number(); }

void tim_jsonl_close(tim_jsonl* j) { delete j; }

}  // extern "C"
