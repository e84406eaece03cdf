// Search latency over the shared corpus, per query class, and the cost of
// exhaustive scoring per posting.
//
//   build/bench/search_bench --index=DIR [--queries=DIR]
//   build/bench/search_bench [--corpus=DIR] [--mb=N] [--queries=DIR]
//   --slowest=N prints each case's N slowest queries (to stderr).
//
// --index opens an index built by `tim index` (and merged, as the peers'
// indexes are: `tim merge DIR`); without it the first --mb=N megabytes (0:
// all) of the corpus (default ../shared/corpus) are indexed into a
// temporary directory and merged to one segment first. Queries come from
// bench.tsv and bench_nodiac.tsv in --queries (default ../shared/queries):
// 2,000 headline fragments, with and without diacritics.
//
// Cases (each iteration runs the whole query set once, top 10, ids fetched,
// no snippets or suggestions, as the peers run them):
//   BM_Search/<set>/<and|or>    counters: mean_ms, p50_ms, p99_ms per query
//   BM_Search/<set>/phrase      the 1,759 fragments of 2+ words, quoted
//   BM_Exhaustive/<set>         every posting of every query scored (OR,
//                               term at a time); counter ns_per_posting
// bench/peer_search.sh runs the peers and tim side by side and prints ratios.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tim/index.h"
#include "tim/search.h"
#include "util/jsonl_doc.h"
#include "util/line_reader.h"

namespace {

std::string g_corpus_dir = TIM_DEFAULT_CORPUS;
std::string g_queries_dir = TIM_DEFAULT_QUERIES;
std::string g_index_dir;
std::size_t g_megabytes = 0;
std::string g_temp_dir;
std::size_t g_slowest = 0;  // --slowest=N: print each case's N slowest queries

struct Loaded {
  std::unique_ptr<tim::IndexReader> reader;
  std::unique_ptr<tim::Searcher> searcher;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "search_bench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const tim::Status& s) {
  if (!s.ok()) Die(s.ToString());
}

void BuildIndex(const std::string& dir) {
  tim::IndexOptions o;
  std::unique_ptr<tim::IndexWriter> writer;
  Check(tim::IndexWriter::Open(dir, o, &writer));
  const std::size_t limit = g_megabytes == 0 ? SIZE_MAX : g_megabytes << 20;
  std::size_t bytes = 0, docs = 0;
  tim::JsonDocParser parser;
  tim::JsonDoc json;
  for (const char* name : {"vntc_news.jsonl.zst", "baomoi_news_2017.jsonl.zst"}) {
    std::unique_ptr<tim::LineReader> reader;
    Check(tim::LineReader::Open(g_corpus_dir + "/" + name, &reader));
    std::string_view line;
    while (bytes < limit && reader->Next(&line)) {
      if (!parser.Parse(line, &json).ok()) continue;
      tim::Document d;
      d.id = json.id;
      for (auto& [field, text] : json.fields) {
        bytes += text.size();
        d.fields.emplace_back(std::string(field), std::string(text));
      }
      Check(writer->AddDocument(d));
      ++docs;
    }
  }
  Check(writer->ForceMerge(1));
  std::fprintf(stderr, "search_bench: indexed %zu documents (%.1f MB of text) into %s\n", docs,
               bytes / 1e6, dir.c_str());
}

Loaded& Index() {
  static Loaded loaded = [] {
    Loaded l;
    std::string dir = g_index_dir;
    if (dir.empty()) {
      char tmpl[] = "/tmp/tim_search_bench_XXXXXX";
      if (mkdtemp(tmpl) == nullptr) Die("cannot make a temporary directory");
      g_temp_dir = dir = tmpl;
      BuildIndex(dir);
    }
    tim::ReaderOptions ro;
    ro.verify_checksums = false;
    Check(tim::IndexReader::Open(dir, ro, &l.reader));
    // Title and body, as the peers index them: the corpus's "source" field
    // (a file path) is left out of searches.
    tim::RankingOptions ranking;
    ranking.field_weights.emplace_back("source", 0.0f);
    Check(tim::Searcher::Open(l.reader.get(), ranking, &l.searcher));
    return l;
  }();
  return loaded;
}

const std::vector<std::string>& Queries(const std::string& set) {
  static std::vector<std::string> sets[2];
  std::vector<std::string>& q = sets[set == "bench" ? 0 : 1];
  if (q.empty()) {
    std::ifstream in(g_queries_dir + "/" + set + ".tsv");
    if (!in) Die("cannot read " + g_queries_dir + "/" + set + ".tsv");
    std::string line;
    while (std::getline(in, line)) {
      const std::size_t tab = line.find('\t');
      if (tab != std::string::npos) q.push_back(line.substr(tab + 1));
    }
  }
  return q;
}

// The fragments of two words or more, each quoted as a phrase.
const std::vector<std::string>& Phrases(const std::string& set) {
  static std::vector<std::string> sets[2];
  std::vector<std::string>& q = sets[set == "bench" ? 0 : 1];
  if (q.empty()) {
    for (const std::string& f : Queries(set)) {
      if (f.find(' ') != std::string::npos) q.push_back("\"" + f + "\"");
    }
  }
  return q;
}

tim::SearchOptions BenchOptions() {
  tim::SearchOptions o;
  o.k = 10;
  o.snippets = false;
  o.suggest = false;
  o.exact_total_hits = false;
  return o;
}

void BM_Search(benchmark::State& state, const std::string& set, bool conjunctive,
               tim::Algorithm algorithm, bool phrases = false) {
  const tim::Searcher& searcher = *Index().searcher;
  const std::vector<std::string>& queries = phrases ? Phrases(set) : Queries(set);
  tim::SearchOptions o = BenchOptions();
  o.default_operator = conjunctive ? tim::DefaultOperator::kAnd : tim::DefaultOperator::kOr;
  o.algorithm = algorithm;
  std::vector<double> ms(queries.size());
  tim::SearchResults r;
  std::size_t found = 0, relaxed = 0;
  for (auto _ : state) {
    found = relaxed = 0;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      const tim::Status s = searcher.Search(queries[i], o, &r);
      ms[i] =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (!s.ok()) Die(queries[i] + ": " + s.ToString());
      found += !r.hits.empty();
      relaxed += r.relaxed;
      benchmark::DoNotOptimize(r.hits.data());
    }
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  if (g_slowest > 0) {
    std::vector<std::size_t> idx(ms.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return ms[a] > ms[b]; });
    for (std::size_t i = 0; i < std::min(g_slowest, idx.size()); ++i) {
      std::fprintf(stderr, "  %8.3f ms  %s\n", ms[idx[i]], queries[idx[i]].c_str());
    }
  }
  double mean = 0;
  for (double v : ms) mean += v;
  mean /= static_cast<double>(ms.size());
  state.counters["mean_ms"] = mean;
  state.counters["p50_ms"] = sorted[sorted.size() / 2];
  state.counters["p99_ms"] = sorted[static_cast<std::size_t>(0.99 * (sorted.size() - 1) + 0.5)];
  state.counters["with_hits"] = static_cast<double>(found);
  if (conjunctive) state.counters["relaxed"] = static_cast<double>(relaxed);
}

void BM_Exhaustive(benchmark::State& state, const std::string& set) {
  const tim::Searcher& searcher = *Index().searcher;
  const std::vector<std::string>& queries = Queries(set);
  tim::SearchOptions o = BenchOptions();
  o.algorithm = tim::Algorithm::kExhaustive;
  tim::SearchResults r;
  std::uint64_t postings = 0;
  for (auto _ : state) {
    postings = 0;
    for (const std::string& q : queries) {
      const tim::Status s = searcher.Search(q, o, &r);
      if (!s.ok()) Die(q + ": " + s.ToString());
      postings += r.postings_scored;
    }
  }
  state.counters["postings"] = static_cast<double>(postings);
  state.counters["ns_per_posting"] = benchmark::Counter(
      static_cast<double>(postings) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--corpus=", 9) == 0) {
      g_corpus_dir = argv[i] + 9;
    } else if (std::strncmp(argv[i], "--mb=", 5) == 0) {
      g_megabytes = std::strtoull(argv[i] + 5, nullptr, 10);
    } else if (std::strncmp(argv[i], "--index=", 8) == 0) {
      g_index_dir = argv[i] + 8;
    } else if (std::strncmp(argv[i], "--slowest=", 10) == 0) {
      g_slowest = std::strtoull(argv[i] + 10, nullptr, 10);
    } else if (std::strncmp(argv[i], "--queries=", 10) == 0) {
      g_queries_dir = argv[i] + 10;
    } else {
      std::fprintf(stderr, "search_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  for (const char* set : {"bench", "bench_nodiac"}) {
    for (bool conj : {true, false}) {
      benchmark::RegisterBenchmark(
          (std::string("BM_Search/") + set + (conj ? "/and" : "/or")).c_str(),
          [set, conj](benchmark::State& st) { BM_Search(st, set, conj, tim::Algorithm::kAuto); })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Iterations(2);
    }
  }
  // Phrases: the fragments of two words or more, quoted.
  for (const char* set : {"bench", "bench_nodiac"}) {
    benchmark::RegisterBenchmark(
        (std::string("BM_Search/") + set + "/phrase").c_str(),
        [set](benchmark::State& st) { BM_Search(st, set, false, tim::Algorithm::kAuto, true); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(2);
  }
  // The AND path's alternative: leapfrogging the required terms.
  for (const char* set : {"bench", "bench_nodiac"}) {
    benchmark::RegisterBenchmark(
        (std::string("BM_Search/") + set + "/and/leapfrog").c_str(),
        [set](benchmark::State& st) { BM_Search(st, set, true, tim::Algorithm::kConjunctive); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(2);
  }
  for (const char* set : {"bench", "bench_nodiac"}) {
    benchmark::RegisterBenchmark((std::string("BM_Exhaustive/") + set).c_str(),
                                 [set](benchmark::State& st) { BM_Exhaustive(st, set); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (!g_temp_dir.empty()) std::filesystem::remove_all(g_temp_dir);
  return 0;
}
