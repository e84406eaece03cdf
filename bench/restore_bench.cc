// How well tim restores the accents of queries typed without them, from the
// index's syllable language model.
//
//   build/bench/restore_bench --index=DIR [--queries=DIR] [--half=all|even|odd]
//       [--title-weight=X] [--title-only-weight=X] [--title-mixture=X] [--rescore=N]
//       [--unigram-prior=X] [--bigram-prior=X]
//       [--trigram-prior=X] [--candidates=N] [--beam=N] [--misses]
//       [--typed=FILE --wanted=FILE]
//
// DIR is a tim index of the long corpus (bench/ranking_eval.sh and
// bench/peer_search.sh build one: OUT_DIR/tim-index). Each query of
// QUERIES/bench_nodiac.tsv is restored and compared with the same line of
// QUERIES/bench.tsv, both read through the index's analyzer (so "hoà" and
// "hòa" are one spelling). Printed:
//   - public API (Searcher::Suggest, default settings): whole queries
//     restored exactly, syllables right, by query length, and the time of
//     a Suggest call (mean, p50, p99, max);
//   - how often the original is among Searcher::Restorations(q, 3);
//   - the decoder with the settings given (for tuning: --half=even tunes,
//     --half=odd checks on the other half), exact and syllables.
// Also the model's size against the index's. --typed and --wanted name
// another pair of files (qid<TAB>query, the same lines without and with
// accents), e.g. devqa/queries_nodiac.tsv and devqa/queries.tsv.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "index/snapshot.h"
#include "query/suggest.h"
#include "query_file.h"
#include "tim/analyzer.h"
#include "tim/index.h"
#include "tim/search.h"

namespace {

struct Words {
  std::vector<std::string> exact, folded;
  std::vector<bool> linked;
};

Words Read(const tim::Analyzer& analyzer, const std::string& text) {
  tim::Analysis a;
  Words w;
  if (!analyzer.Analyze(text, &a).ok()) return w;
  std::vector<bool> adjacent(a.word_count() + 1, false);
  for (const tim::Token& t : a.tokens()) {
    if (t.kind == tim::TokenKind::kBigram) adjacent[t.position] = true;
  }
  for (const tim::Token& t : a.tokens()) {
    if (t.kind != tim::TokenKind::kWord) continue;
    w.exact.emplace_back(a.exact(t));
    w.folded.emplace_back(a.folded(t));
    w.linked.push_back(t.position > 0 && adjacent[t.position - 1]);
  }
  return w;
}

struct Tally {
  std::size_t queries = 0, exact = 0, syllables = 0, syllables_right = 0;
  std::size_t by_len[5] = {}, by_len_exact[5] = {};

  void Add(const std::vector<std::string>& want, const std::vector<std::string>& got) {
    ++queries;
    const bool same = want == got;
    exact += same;
    const std::size_t b = std::min<std::size_t>(want.size(), 4);
    ++by_len[b];
    by_len_exact[b] += same;
    syllables += want.size();
    for (std::size_t i = 0; i < want.size(); ++i) {
      syllables_right += i < got.size() && got[i] == want[i];
    }
  }
  void Print(const char* what) const {
    auto pct = [](std::size_t a, std::size_t b) { return b == 0 ? 0.0 : 100.0 * a / b; };
    std::printf(
        "%-34s queries %zu  exact %.1f%%  syllables %.1f%%  (1: %.1f%%  2: %.1f%%  3: %.1f%%  4+: "
        "%.1f%%)\n",
        what, queries, pct(exact, queries), pct(syllables_right, syllables),
        pct(by_len_exact[1], by_len[1]), pct(by_len_exact[2], by_len[2]),
        pct(by_len_exact[3], by_len[3]), pct(by_len_exact[4], by_len[4]));
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string index_dir, queries_dir = "../shared/queries", half = "all";
  std::string typed_file, wanted_file;
  tim::query::RestoreParams params;
  bool misses = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name, std::string* out) {
      const std::string prefix = std::string("--") + name + "=";
      if (arg.compare(0, prefix.size(), prefix) != 0) return false;
      *out = arg.substr(prefix.size());
      return true;
    };
    std::string v;
    if (value("index", &index_dir) || value("queries", &queries_dir) || value("half", &half) ||
        value("typed", &typed_file) || value("wanted", &wanted_file)) {
    } else if (value("title-weight", &v)) {
      params.title_weight = std::atof(v.c_str());
    } else if (value("title-only-weight", &v)) {
      params.title_only_weight = std::atof(v.c_str());
    } else if (value("title-mixture", &v)) {
      params.title_mixture = std::atof(v.c_str());
    } else if (value("rescore", &v)) {
      params.rescore = std::strtoull(v.c_str(), nullptr, 10);
    } else if (value("unigram-prior", &v)) {
      params.unigram_prior = std::atof(v.c_str());
    } else if (value("bigram-prior", &v)) {
      params.bigram_prior = std::atof(v.c_str());
    } else if (value("trigram-prior", &v)) {
      params.trigram_prior = std::atof(v.c_str());
    } else if (value("candidates", &v)) {
      params.candidates = std::strtoull(v.c_str(), nullptr, 10);
    } else if (value("beam", &v)) {
      params.beam = std::strtoull(v.c_str(), nullptr, 10);
    } else if (arg == "--misses") {
      misses = true;
    } else {
      std::fprintf(stderr, "restore_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (index_dir.empty() || (half != "all" && half != "even" && half != "odd")) {
    std::fprintf(stderr,
                 "usage: restore_bench --index=DIR [--queries=DIR] [--half=all|even|odd] ...\n");
    return 2;
  }
  if (typed_file.empty()) typed_file = queries_dir + "/bench_nodiac.tsv";
  if (wanted_file.empty()) wanted_file = queries_dir + "/bench.tsv";
  const std::vector<std::string> typed = tim::bench::ReadQueryFile("restore_bench", typed_file);
  const std::vector<std::string> wanted = tim::bench::ReadQueryFile("restore_bench", wanted_file);
  if (typed.size() != wanted.size()) {
    std::fprintf(stderr, "restore_bench: %s and %s differ in length\n", typed_file.c_str(),
                 wanted_file.c_str());
    return 2;
  }
  std::unique_ptr<tim::IndexReader> reader;
  std::unique_ptr<tim::Searcher> searcher;
  tim::Status s = tim::IndexReader::Open(index_dir, tim::ReaderOptions(), &reader);
  if (s.ok()) s = tim::Searcher::Open(reader.get(), tim::RankingOptions(), &searcher);
  if (!s.ok()) {
    std::fprintf(stderr, "restore_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  const tim::internal::Snapshot& snap = tim::internal::SnapshotOf(*reader);
  const tim::Analyzer analyzer(reader->analyzer_options());

  std::uint64_t model_bytes = 0, index_bytes = 0;
  for (const auto& seg : snap.segments) {
    for (int k = 0; k < tim::index::kSegmentFiles; ++k)
      index_bytes += seg.reader->file_sizes().bytes[k];
    model_bytes += seg.reader->file_sizes().bytes[tim::index::kSegmentFiles - 1];
  }
  std::printf("index %s: %zu segments, %.1f MB; language model %.2f MB = %.2f%% of the index\n",
              index_dir.c_str(), snap.segments.size(), index_bytes / 1e6, model_bytes / 1e6,
              100.0 * model_bytes / index_bytes);

  Tally api, tuned;
  std::size_t top3 = 0;
  std::vector<double> micros, decoder_micros;
  for (std::size_t q = 0; q < typed.size(); ++q) {
    if ((half == "even" && q % 2 != 0) || (half == "odd" && q % 2 == 0)) continue;
    const Words want = Read(analyzer, wanted[q]);
    // The public API, as an application calls it.
    std::string suggestion;
    const auto t0 = std::chrono::steady_clock::now();
    s = searcher->Suggest(typed[q], &suggestion);
    const auto t1 = std::chrono::steady_clock::now();
    if (!s.ok()) {
      std::fprintf(stderr, "restore_bench: %s: %s\n", typed[q].c_str(), s.ToString().c_str());
      return 1;
    }
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    const Words got = Read(analyzer, suggestion.empty() ? typed[q] : suggestion);
    api.Add(want.exact, got.exact);
    std::vector<std::string> three;
    s = searcher->Restorations(typed[q], 3, &three);
    if (!s.ok()) {
      std::fprintf(stderr, "restore_bench: %s: %s\n", typed[q].c_str(), s.ToString().c_str());
      return 1;
    }
    bool found = false;
    for (const std::string& r : three) found |= Read(analyzer, r).exact == want.exact;
    top3 += found;
    // The decoder with the settings given.
    const Words in = Read(analyzer, typed[q]);
    std::vector<tim::query::Restoration> restored;
    const auto d0 = std::chrono::steady_clock::now();
    s = tim::query::Restore(snap, tim::query::StatsView(), in.folded, in.linked, 1, params,
                            &restored);
    decoder_micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - d0).count());
    if (!s.ok()) {
      std::fprintf(stderr, "restore_bench: %s\n", s.ToString().c_str());
      return 1;
    }
    const std::vector<std::string> best = restored.empty() ? in.folded : restored[0].words;
    tuned.Add(want.exact, best);
    if (misses && best != want.exact) {
      std::string b;
      for (const std::string& w : best) b += (b.empty() ? "" : " ") + w;
      std::printf("miss\t%s\t%s\t%s\n", typed[q].c_str(), wanted[q].c_str(), b.c_str());
    }
  }
  api.Print("Searcher::Suggest (defaults)");
  std::printf("%-34s %.1f%% of queries\n", "original among 3 Restorations",
              api.queries == 0 ? 0.0 : 100.0 * top3 / api.queries);
  tuned.Print("decoder, settings given");
  auto report = [](const char* what, std::vector<double> v) {
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (double m : v) sum += m;
    auto at = [&](double p) {
      return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
    };
    std::printf("%s (us): mean %.1f  p50 %.1f  p99 %.1f  max %.1f\n", what,
                v.empty() ? 0.0 : sum / v.size(), at(0.5), at(0.99), v.empty() ? 0.0 : v.back());
  };
  report("Suggest time", micros);
  report("decoder alone", decoder_micros);
  std::printf(
      "settings: title_weight %g title_only_weight %g title_mixture %g rescore %zu unigram_prior "
      "%g bigram_prior %g trigram_prior %g candidates %zu beam %zu half %s\n",
      params.title_weight, params.title_only_weight, params.title_mixture, params.rescore,
      params.unigram_prior, params.bigram_prior, params.trigram_prior, params.candidates,
      params.beam, half.c_str());
  return 0;
}
