// tim search: one query (human or --json output), or a file of queries
// written out as a run file with latency figures.

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "commands.h"
#include "json_out.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim::cli {

namespace {

struct SearchArgs {
  std::string dir, query, queries_file;
  std::size_t k = 10, offset = 0;
  bool json = false, explain = false, use_and = false, no_snippets = false, raw = false;
  bool query_given = false;  // an empty QUERY is still a query (and an error)
  std::string algorithm = "auto";
  RankingOptions ranking;
  float title_weight = -1;                 // -1: RankingOptions' default
  std::vector<std::string> field_weights;  // NAME=WEIGHT
  std::vector<std::string> filters, facets;
  std::string sort;
};

int Fail(const Status& s) {
  std::fprintf(stderr, "tim search: %s\n", s.ToString().c_str());
  return 1;
}

void HtmlEscape(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '&': *out += "&amp;"; break;
      default: *out += c;
    }
  }
}

// The snippet as an HTML fragment: escaped text, matches in <b>...</b>.
std::string SnippetHtml(const Hit& hit) { return MarkHighlights(hit, "<b>", "</b>", HtmlEscape); }

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void AppendExplanation(const Hit& hit, std::string* out) {
  *out += "[";
  for (std::size_t i = 0; i < hit.explanation.size(); ++i) {
    const ScoreDetail& d = hit.explanation[i];
    if (i > 0) *out += ",";
    *out += "{\"term\":";
    AppendJsonString(d.term, out);
    *out += ",\"tier\":\"" + d.tier + "\",\"field\":";
    AppendJsonString(d.field, out);
    *out += ",\"tf\":" + std::to_string(d.tf) +
            ",\"field_length\":" + std::to_string(d.field_length) + ",\"idf\":" + Number(d.idf) +
            ",\"weight\":" + Number(d.weight) + ",\"field_weight\":" + Number(d.field_weight) +
            ",\"score\":" + Number(d.score) + "}";
  }
  *out += "]";
}

void PrintJson(const SearchResults& r, double took_ms, bool explain) {
  std::string out = "{\"rewritten\":";
  if (r.rewritten.empty()) {
    out += "null";
  } else {
    AppendJsonString(r.rewritten, &out);
  }
  out += ",\"total_hits\":" + std::to_string(r.total_hits) +
         ",\"total_hits_exact\":" + (r.total_hits_exact ? "true" : "false") +
         ",\"took_ms\":" + Number(took_ms) + ",\"suggestion\":";
  if (r.suggestion.empty()) {
    out += "null";
  } else {
    AppendJsonString(r.suggestion, &out);
  }
  out += std::string(",\"relaxed\":") + (r.relaxed ? "true" : "false") + ",\"notes\":[";
  for (std::size_t i = 0; i < r.notes.size(); ++i) {
    if (i > 0) out += ",";
    AppendJsonString(r.notes[i], &out);
  }
  out += "],\"hits\":[";
  for (std::size_t i = 0; i < r.hits.size(); ++i) {
    const Hit& h = r.hits[i];
    if (i > 0) out += ",";
    out += "{\"id\":";
    AppendJsonString(h.id, &out);
    out += ",\"score\":" + Number(h.score) + ",\"title\":";
    AppendJsonString(h.title, &out);
    out += ",\"snippet\":";
    AppendJsonString(SnippetHtml(h), &out);
    if (!h.sort_values.empty()) {
      out += ",\"sort\":[";
      for (std::size_t j = 0; j < h.sort_values.size(); ++j) {
        if (j > 0) out += ",";
        AppendJsonString(h.sort_values[j], &out);
      }
      out += "]";
    }
    if (explain) {
      out += ",\"explanation\":";
      AppendExplanation(h, &out);
    }
    out += "}";
  }
  out += "]";
  if (!r.facets.empty()) {
    out += ",\"facets\":{";
    for (std::size_t i = 0; i < r.facets.size(); ++i) {
      if (i > 0) out += ",";
      AppendJsonString(r.facets[i].field, &out);
      out += ":[";
      for (std::size_t j = 0; j < r.facets[i].counts.size(); ++j) {
        if (j > 0) out += ",";
        out += "{\"value\":";
        AppendJsonString(r.facets[i].counts[j].value, &out);
        out += ",\"count\":" + std::to_string(r.facets[i].counts[j].count) + "}";
      }
      out += "]";
    }
    out += "}";
  }
  out += "}\n";
  std::fputs(out.c_str(), stdout);
}

void PrintHuman(const SearchResults& r, const std::string& typed, double took_ms,
                std::size_t offset, bool explain) {
  const bool tty = isatty(STDOUT_FILENO) != 0;
  if (!r.rewritten.empty()) {
    std::printf("Showing results for: %s · search instead for: %s (--raw)\n", r.rewritten.c_str(),
                typed.c_str());
  }
  for (const std::string& note : r.notes) std::printf("Note: %s\n", note.c_str());
  if (!r.suggestion.empty()) std::printf("Did you mean: %s\n", r.suggestion.c_str());
  std::printf("%s%llu hit%s%s (%.2f ms)\n", r.total_hits_exact ? "" : "at least ",
              static_cast<unsigned long long>(r.total_hits), r.total_hits == 1 ? "" : "s",
              r.relaxed ? ", not all words in any" : "", took_ms);
  for (std::size_t i = 0; i < r.hits.size(); ++i) {
    const Hit& h = r.hits[i];
    std::string sorted;
    for (const std::string& v : h.sort_values) sorted += (sorted.empty() ? "  [" : ", ") + v;
    if (!sorted.empty()) sorted += "]";
    std::printf("\n%zu. %s  (%.3f)%s\n", offset + i + 1, h.id.c_str(), h.score, sorted.c_str());
    if (!h.title.empty()) std::printf("   %s\n", h.title.c_str());
    if (!h.snippet.empty()) {
      const std::string s =
          tty ? MarkHighlights(h, "\033[1;33m", "\033[0m") : MarkHighlights(h, "[", "]");
      std::printf("   %s\n", s.c_str());
    }
    if (explain) {
      for (const ScoreDetail& d : h.explanation) {
        std::printf("     %8.4f  %-6s %-6s %-20s tf=%u len=%u idf=%.3f weight=%.2f field=%.2f\n",
                    d.score, d.field.c_str(), d.tier.c_str(), d.term.c_str(), d.tf, d.field_length,
                    d.idf, d.weight, d.field_weight);
      }
    }
  }
  for (const Facet& f : r.facets) {
    std::printf("\n%s:\n", f.field.c_str());
    for (const FacetCount& c : f.counts) {
      std::printf("  %8llu  %s\n", static_cast<unsigned long long>(c.count), c.value.c_str());
    }
  }
}

int RunQueries(const Searcher& searcher, const SearchArgs& a, SearchOptions options) {
  std::ifstream in(a.queries_file);
  if (!in) {
    std::fprintf(stderr, "tim search: cannot open %s\n", a.queries_file.c_str());
    return 1;
  }
  options.snippets = false;
  options.suggest = false;
  options.exact_total_hits = false;
  std::vector<double> ms;
  std::string line, out;
  std::size_t line_no = 0, errors = 0;
  SearchResults r;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      std::fprintf(stderr, "tim search: %s:%zu: expected qid<TAB>query\n", a.queries_file.c_str(),
                   line_no);
      ++errors;
      continue;
    }
    const std::string qid = line.substr(0, tab);
    const auto t0 = std::chrono::steady_clock::now();
    const Status s = searcher.Search(std::string_view(line).substr(tab + 1), options, &r);
    const auto t1 = std::chrono::steady_clock::now();
    if (!s.ok()) {
      std::fprintf(stderr, "tim search: %s:%zu: %s\n", a.queries_file.c_str(), line_no,
                   s.ToString().c_str());
      ++errors;
      continue;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    out.clear();
    for (std::size_t i = 0; i < r.hits.size(); ++i) {
      out += qid + "\t" + std::to_string(a.offset + i + 1) + "\t" + r.hits[i].id + "\t" +
             Number(r.hits[i].score) + "\n";
    }
    std::fputs(out.c_str(), stdout);
  }
  double mean = 0, p50 = 0, p99 = 0;
  if (!ms.empty()) {
    for (double v : ms) mean += v;
    mean /= static_cast<double>(ms.size());
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double p) {
      const std::size_t i =
          static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
      return sorted[std::min(i, sorted.size() - 1)];
    };
    p50 = pct(0.50);
    p99 = pct(0.99);
  }
  std::fprintf(
      stderr, "{\"queries\":%zu,\"errors\":%zu,\"mean_ms\":%.4f,\"p50_ms\":%.4f,\"p99_ms\":%.4f}\n",
      ms.size(), errors, mean, p50, p99);
  return errors == 0 ? 0 : 3;
}

int RunSearch(const SearchArgs& a) {
  if (a.query_given && !a.queries_file.empty()) {
    std::fprintf(stderr, "tim search: give either a QUERY or --queries FILE\n");
    return 2;
  }
  if (!a.query_given && a.queries_file.empty() && a.filters.empty()) {
    std::fprintf(stderr, "tim search: give a QUERY, --queries FILE or --filter EXPR\n");
    return 2;
  }
  std::unique_ptr<IndexReader> reader;
  ReaderOptions ro;
  ro.verify_checksums = false;  // tim verify checks; searching maps files lazily
  Status s = IndexReader::Open(a.dir, ro, &reader);
  if (!s.ok()) return Fail(s);
  RankingOptions ranking = a.ranking;
  for (auto& [name, weight] : ranking.field_weights) {
    if (name == kTitleField && a.title_weight >= 0) weight = a.title_weight;
  }
  for (const std::string& fw : a.field_weights) {
    const std::size_t eq = fw.find('=');
    char* end = nullptr;
    const float w = eq == std::string::npos ? -1 : std::strtof(fw.c_str() + eq + 1, &end);
    if (eq == std::string::npos || eq == 0 || end == fw.c_str() + eq + 1 || *end != '\0' ||
        !(w >= 0)) {
      std::fprintf(stderr, "tim search: --field-weight wants NAME=WEIGHT (WEIGHT >= 0), not '%s'\n",
                   fw.c_str());
      return 2;
    }
    const std::string name = fw.substr(0, eq);
    bool found = false;
    for (auto& [n, weight] : ranking.field_weights) {
      if (n == name) {
        weight = w;
        found = true;
      }
    }
    if (!found) ranking.field_weights.emplace_back(name, w);
  }
  std::unique_ptr<Searcher> searcher;
  s = Searcher::Open(reader.get(), ranking, &searcher);
  if (!s.ok()) return Fail(s);
  SearchOptions options;
  options.k = a.k;
  options.offset = a.offset;
  options.explain = a.explain;
  options.snippets = !a.no_snippets;
  options.rewrite_typing = !a.raw;
  options.default_operator = a.use_and ? DefaultOperator::kAnd : DefaultOperator::kOr;
  options.filters = a.filters;
  if (!a.sort.empty()) {
    s = ParseSortSpec(a.sort, &options.sort);
    if (!s.ok()) return Fail(s);
  }
  for (const std::string& spec : a.facets) {
    FacetRequest f;
    s = ParseFacetSpec(spec, &f);
    if (!s.ok()) return Fail(s);
    options.facets.push_back(std::move(f));
  }
  if (a.algorithm == "exhaustive") options.algorithm = Algorithm::kExhaustive;
  if (a.algorithm == "maxscore") options.algorithm = Algorithm::kMaxScore;
  if (a.algorithm == "conjunctive") options.algorithm = Algorithm::kConjunctive;
  if (a.algorithm == "generic") options.algorithm = Algorithm::kGeneric;
  if (!a.queries_file.empty()) return RunQueries(*searcher, a, options);
  SearchResults r;
  const auto t0 = std::chrono::steady_clock::now();
  s = searcher->Search(a.query, options, &r);
  const auto t1 = std::chrono::steady_clock::now();
  if (!s.ok()) return Fail(s);
  const double took = std::chrono::duration<double, std::milli>(t1 - t0).count();
  if (a.json) {
    PrintJson(r, took, a.explain);
  } else {
    PrintHuman(r, a.query, took, a.offset, a.explain);
  }
  return 0;
}

}  // namespace

Command AddSearchCommand(CLI::App* app) {
  auto a = std::make_shared<SearchArgs>();
  CLI::App* cmd = app->add_subcommand("search", "Search an index (query language: docs/query.md)");
  cmd->add_option("index_dir", a->dir, "Index directory")->required();
  CLI::Option* query =
      cmd->add_option("query", a->query, "The query, e.g. 'ha noi' or '\"đô thị\" -quy'");
  cmd->add_option("-k", a->k, "Hits to show (default 10)")->check(CLI::Range(0, 10000));
  cmd->add_option("--offset", a->offset, "Hits to skip first (paging)")
      ->check(CLI::Range(0, 10000));
  cmd->add_flag("--json", a->json, "One JSON object: total_hits, took_ms, suggestion, hits");
  cmd->add_flag("--explain", a->explain, "Break each hit's score down by term, tier and field");
  cmd->add_option("--queries", a->queries_file,
                  "A file of qid<TAB>query lines: prints a run file (qid rank id score), "
                  "latency stats as JSON on stderr");
  cmd->add_flag("--and", a->use_and,
                "Require every word (ranked OR when fewer than k documents have them all)");
  cmd->add_flag("--no-snippets", a->no_snippets, "Skip titles and snippets");
  cmd->add_option("--filter", a->filters,
                  "Only documents passing EXPR, on typed fields (repeatable, all must hold): "
                  "'category = \"Thể thao\" AND published >= 2017-01-01'; without a QUERY, "
                  "lists them")
      ->allow_extra_args(false);
  cmd->add_option("--sort", a->sort,
                  "Order by typed fields, '-' for descending, score last: -published, "
                  "price,-_score");
  cmd->add_option("--facet", a->facets,
                  "Count matches by a field's values (repeatable): category (top 10), "
                  "category:50, 'price:0 TO 100000,100000 TO 500000'")
      ->allow_extra_args(false);
  cmd->add_flag("--raw", a->raw,
                "Search the words exactly as typed: no reading of Telex or VNI typed with "
                "the input method off (vieetj nam, vie65t nam)");
  cmd->add_option("--algorithm", a->algorithm,
                  "Top-k algorithm: auto, exhaustive, maxscore, conjunctive, generic")
      ->check(CLI::IsMember({"auto", "exhaustive", "maxscore", "conjunctive", "generic"}));
  // Defaults come from RankingOptions (docs/ranking.md).
  const RankingOptions defaults;
  std::string field_defaults;
  for (const auto& [name, weight] : defaults.field_weights) {
    field_defaults += (field_defaults.empty() ? "" : ", ") + name + " " + Number(weight);
  }
  cmd->add_option("--k1", a->ranking.k1, "BM25 saturation")->capture_default_str();
  cmd->add_option("--b", a->ranking.b, "BM25 length normalisation")->capture_default_str();
  cmd->add_option(
      "--title-weight", a->title_weight,
      "Weight of the title field's term frequencies (defaults: " + field_defaults + ")");
  cmd->add_option("--field-weight", a->field_weights,
                  "NAME=WEIGHT for a field (repeatable; 0 leaves the field out of searches "
                  "without a field: prefix)");
  cmd->add_option("--exact-share", a->ranking.exact_share,
                  "Share of a word's weight that needs its exact spelling, in a query with "
                  "diacritics")
      ->capture_default_str();
  cmd->add_option("--bigram-weight", a->ranking.bigram_weight, "Weight of adjacent-word bigrams")
      ->capture_default_str();
  cmd->add_option("--question-word-weight", a->ranking.question_word_weight,
                  "Weight of question words (ai, gì, nào, bao nhiêu ...), as a share of a word's")
      ->capture_default_str();
  cmd->add_option("--name-weight", a->ranking.name_weight,
                  "Weight of names (words capitalised inside the query), in words")
      ->capture_default_str();
  cmd->add_option("--title-match-weight", a->ranking.title_match_weight,
                  "Bonus for a title holding the query's words (0: none)")
      ->capture_default_str();
  cmd->add_option("--title-match-power", a->ranking.title_match_power,
                  "How steeply the title bonus grows with the share of the query held (>= 1)")
      ->capture_default_str();
  return [a, query] {
    a->query_given = query->count() > 0;
    return RunSearch(*a);
  };
}

}  // namespace tim::cli
