// Analyzer throughput in MB of UTF-8 text per second, on one core.
//
// Corpus: the long-document part of the shared Vietnamese news corpus
// (vntc_news and baomoi_news_2017; title + "\n" + body per document), read
// from --corpus=DIR (default ../shared/corpus beside the project). The first
// --mb=N megabytes (default 64) are loaded into memory before timing, so the
// figures measure analysis only, not decompression or JSON parsing.
//
//   build/bench/analyzer_bench [--corpus=DIR] [--mb=N] [--benchmark_repetitions=5]
//
// Cases: the fast analyzer with everything on (the indexing configuration),
// without bigrams and joined tokens, and the ICU-only reference for scale.
// Target (issue 2): >= 60 MB/s per core for BM_Analyze.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "analysis/reference.h"
#include "bench_args.h"
#include "tim/analyzer.h"
#include "util/jsonl_doc.h"
#include "util/line_reader.h"

namespace {

std::string g_corpus_dir = TIM_DEFAULT_CORPUS;
std::size_t g_megabytes = 64;

const std::vector<std::string>& Docs() {
  static const std::vector<std::string> docs = [] {
    std::vector<std::string> out;
    std::size_t bytes = 0;
    const std::size_t limit = g_megabytes << 20;
    tim::JsonDocParser parser;
    tim::JsonDoc doc;
    for (const char* name : {"vntc_news.jsonl.zst", "baomoi_news_2017.jsonl.zst"}) {
      std::unique_ptr<tim::LineReader> reader;
      const tim::Status s = tim::LineReader::Open(g_corpus_dir + "/" + name, &reader);
      if (!s.ok()) {
        std::fprintf(stderr, "analyzer_bench: %s\n", s.ToString().c_str());
        std::exit(1);
      }
      // Half the budget from each file, so both sources are measured.
      const std::size_t file_limit = bytes + limit / 2;
      std::string_view line;
      while (bytes < file_limit && reader->Next(&line)) {
        if (!parser.Parse(line, &doc).ok()) continue;
        std::string text(doc.Field("title"));
        text += '\n';
        text += doc.Field("body");
        bytes += text.size();
        out.push_back(std::move(text));
      }
    }
    return out;
  }();
  return docs;
}

void Run(benchmark::State& state, const tim::AnalyzerOptions& options, bool reference) {
  const auto& docs = Docs();
  const tim::Analyzer analyzer(options);
  tim::Analysis analysis;
  std::size_t bytes = 0, words = 0;
  for (auto _ : state) {
    for (const std::string& text : docs) {
      const tim::Status s = reference ? tim::analysis::ReferenceAnalyze(text, options, &analysis)
                                      : analyzer.Analyze(text, &analysis);
      if (!s.ok()) state.SkipWithError(s.ToString().c_str());
      bytes += text.size();
      words += analysis.word_count();
      benchmark::DoNotOptimize(analysis.tokens().data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["words/s"] =
      benchmark::Counter(static_cast<double>(words), benchmark::Counter::kIsRate);
}

void BM_Analyze(benchmark::State& state) { Run(state, tim::AnalyzerOptions(), false); }

void BM_AnalyzeWordsOnly(benchmark::State& state) {
  tim::AnalyzerOptions options;
  options.bigrams = false;
  options.joined = false;
  Run(state, options, false);
}

void BM_IcuReference(benchmark::State& state) { Run(state, tim::AnalyzerOptions(), true); }

BENCHMARK(BM_Analyze)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AnalyzeWordsOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IcuReference)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (!tim::bench::ParseArgs("analyzer_bench", argc, argv, &g_corpus_dir, &g_megabytes)) return 2;
  std::fprintf(stderr, "corpus %s: %zu documents loaded\n", g_corpus_dir.c_str(), Docs().size());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
