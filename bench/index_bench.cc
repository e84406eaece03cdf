// Index build throughput (MB of text per second) and index size, and the
// speed of decoding every posting of the built index.
//
// Corpus: the first --mb=N megabytes (default 64) of the long-document part
// of the shared Vietnamese news corpus (vntc_news, then baomoi_news_2017),
// read from --corpus=DIR (default ../shared/corpus beside the project) and
// loaded into memory before timing: the figures measure indexing (analysis,
// inversion, segment writing, stored-document compression, commit), not
// decompression or JSON parsing.
//
//   build/bench/index_bench [--corpus=DIR] [--mb=N] [--benchmark_repetitions=3]
//
// Cases:
//   BM_Index/threads:T  builds a fresh index with T indexing threads;
//                       counters: MB/s of text, and the index's bytes for
//                       postings + positions + dictionary ("postings_MB") and
//                       stored documents as a share of the text ("stored_%").
//   BM_DecodeAll        walks every posting (doc, freq) of the folded terms of
//                       an index of the same documents: seconds per posting.
// The whole-corpus comparison with Lucene is bench/index_compare.sh.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_args.h"
#include "index/snapshot.h"
#include "tim/index.h"
#include "util/jsonl_doc.h"
#include "util/line_reader.h"

namespace {

std::string g_corpus_dir = TIM_DEFAULT_CORPUS;
std::size_t g_megabytes = 64;
std::size_t g_text_bytes = 0;

const std::vector<tim::Document>& Docs() {
  static const std::vector<tim::Document> docs = [] {
    std::vector<tim::Document> out;
    const std::size_t limit = g_megabytes << 20;
    tim::JsonDocParser parser;
    tim::JsonDoc json;
    for (const char* name : {"vntc_news.jsonl.zst", "baomoi_news_2017.jsonl.zst"}) {
      std::unique_ptr<tim::LineReader> reader;
      const tim::Status s = tim::LineReader::Open(g_corpus_dir + "/" + name, &reader);
      if (!s.ok()) {
        std::fprintf(stderr, "index_bench: %s\n", s.ToString().c_str());
        std::exit(1);
      }
      std::string_view line;
      while (g_text_bytes < limit && reader->Next(&line)) {
        if (!parser.Parse(line, &json).ok()) continue;
        tim::Document d;
        d.id = json.id;
        d.fields.emplace_back("title", std::string(json.Field("title")));
        d.fields.emplace_back("body", std::string(json.Field("body")));
        g_text_bytes += d.fields[0].second.size() + d.fields[1].second.size();
        out.push_back(std::move(d));
      }
    }
    return out;
  }();
  return docs;
}

std::string TempDir() {
  char tmpl[] = "/tmp/tim_bench_XXXXXX";
  const char* dir = mkdtemp(tmpl);
  if (dir == nullptr) std::exit(1);
  return dir;
}

void Build(const std::string& dir, int threads) {
  tim::IndexOptions options;
  options.threads = threads;
  std::unique_ptr<tim::IndexWriter> writer;
  tim::Status s = tim::IndexWriter::Open(dir, options, &writer);
  for (const tim::Document& d : Docs()) {
    if (s.ok()) s = writer->AddDocument(d);
  }
  if (s.ok()) s = writer->Commit();
  if (!s.ok()) {
    std::fprintf(stderr, "index_bench: %s\n", s.ToString().c_str());
    std::exit(1);
  }
}

void BM_Index(benchmark::State& state) {
  const auto& docs = Docs();
  (void)docs;
  tim::IndexStats stats;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = TempDir();
    state.ResumeTiming();
    Build(dir, static_cast<int>(state.range(0)));
    state.PauseTiming();
    std::unique_ptr<tim::IndexReader> reader;
    tim::ReaderOptions ro;
    ro.verify_checksums = false;
    tim::Status s = tim::IndexReader::Open(dir, ro, &reader);
    if (s.ok()) s = reader->GetStats(&stats);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(g_text_bytes * state.iterations()));
  std::uint64_t postings = 0, stored = 0;
  for (const auto& [kind, bytes] : stats.bytes_by_kind) {
    if (kind == "postings" || kind == "positions" || kind == "term dictionary") postings += bytes;
    if (kind == "stored documents") stored = bytes;
  }
  state.counters["postings_MB"] = static_cast<double>(postings) / 1e6;
  state.counters["stored_%"] =
      100.0 * static_cast<double>(stored) / static_cast<double>(g_text_bytes);
  state.counters["segments"] = static_cast<double>(stats.segments);
}

void BM_DecodeAll(benchmark::State& state) {
  static const std::string dir = [] {
    const std::string d = TempDir();
    Build(d, 0);
    return d;
  }();
  std::unique_ptr<tim::IndexReader> reader;
  tim::Status s = tim::IndexReader::Open(dir, tim::ReaderOptions(), &reader);
  if (!s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  std::uint64_t postings = 0;
  tim::index::PostingsCursor cursor;
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (const auto& seg : tim::internal::SnapshotOf(*reader).segments) {
      tim::index::SegmentReader::TermIterator it(seg.reader.get());
      for (it.SeekToFirst(); it.Valid(); it.Next()) {
        if (it.parts().kind != tim::index::TermKind::kFolded) continue;
        // Positions are not decoded (they are lazy): this measures doc/freq.
        s = cursor.Init(seg.reader->postings(), it.info(), true);
        if (!s.ok()) {
          state.SkipWithError(s.ToString().c_str());
          return;
        }
        for (; cursor.doc() != tim::index::kNoMoreDocs; cursor.Next()) sum += cursor.freq();
        postings += it.info().doc_freq;
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  // Seconds per posting, printed with an SI prefix ("9.2n" is 9.2 ns).
  state.counters["s/posting"] = benchmark::Counter(
      static_cast<double>(postings), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_Index)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_DecodeAll)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (!tim::bench::ParseArgs("index_bench", argc, argv, &g_corpus_dir, &g_megabytes)) return 2;
  const std::size_t docs = Docs().size();
  std::fprintf(stderr, "corpus %s: %zu documents, %.1f MB of text loaded\n", g_corpus_dir.c_str(),
               docs, g_text_bytes / 1e6);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
