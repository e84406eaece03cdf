// Shared pieces of the C++ search peer harnesses (bench/peers/sqlite,
// bench/peers/xapian): reading the JSONL corpus, reading a queries TSV, and
// the timed two-pass query loop that writes the run file and prints the one
// JSON line of results. bench/peers/lucene/SearchBench.java does the same in
// Java; keep the two in step.
//
// Needs simdjson (apt-get install libsimdjson-dev), the JSON parser tim uses.
#ifndef TIM_BENCH_PEERS_COMMON_PEER_BENCH_H_
#define TIM_BENCH_PEERS_COMMON_PEER_BENCH_H_

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace peer {

// Results per query, as the brief for these harnesses fixes them.
constexpr std::size_t kTopK = 10;

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One corpus document. The views point into the parser's buffers and are
// valid only during the callback that receives them.
struct Doc {
  std::string_view id;
  std::string_view title;
  std::string_view body;
};

// A string member of a JSON object, or "" when the member is missing.
inline std::string_view StringMember(simdjson::ondemand::document& doc, const char* key) {
  std::string_view value;
  simdjson::error_code err = doc[key].get_string().get(value);
  if (err == simdjson::NO_SUCH_FIELD) return {};
  if (err)
    throw std::runtime_error(std::string("member \"") + key +
                             "\": " + simdjson::error_message(err));
  return value;
}

// Calls on_doc(const Doc&) for every non-empty line of JSONL on `in`
// ({"id": ..., "title": ..., "body": ..., ...}) and returns the number of
// documents. Throws std::runtime_error naming the line of a malformed one.
template <class OnDoc>
std::uint64_t ForEachDoc(std::istream& in, OnDoc on_doc) {
  simdjson::ondemand::parser parser;
  std::string line;
  std::uint64_t line_no = 0;
  std::uint64_t docs = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end of the text.
    line.reserve(line.size() + simdjson::SIMDJSON_PADDING);
    try {
      simdjson::ondemand::document doc = parser.iterate(line);
      Doc d;
      d.id = StringMember(doc, "id");
      d.title = StringMember(doc, "title");
      d.body = StringMember(doc, "body");
      on_doc(d);
    } catch (const simdjson::simdjson_error& e) {
      throw std::runtime_error("stdin line " + std::to_string(line_no) + ": " + e.what());
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("stdin line " + std::to_string(line_no) + ": " + e.what());
    }
    ++docs;
  }
  return docs;
}

// Total size of the regular files under `path` (a file or a directory).
inline std::uint64_t DiskBytes(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  if (fs::is_regular_file(path)) return fs::file_size(path);
  std::uint64_t total = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(path)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

struct Query {
  std::string qid;
  std::string text;
};

// Reads `qid<TAB>query` lines.
inline std::vector<Query> ReadQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<Query> queries;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::size_t tab = line.find('\t');
    if (tab == std::string::npos) throw std::runtime_error(path + ": line without a tab: " + line);
    queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return queries;
}

struct Hit {
  std::string id;
  double score;  // higher is better
};

// Value at quantile q (0 < q <= 1) of sorted values, nearest-rank method.
inline double Quantile(const std::vector<double>& sorted, double q) {
  std::size_t rank = static_cast<std::size_t>(std::ceil(q * sorted.size()));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

// Runs every query twice through search(const std::string& text,
// std::vector<Hit>& hits), which must fill `hits` with the top kTopK
// documents (best first) of one query: parse it, search, fetch the ids. The
// first pass warms caches and is not reported; the second is timed per query
// with a monotonic clock. Writes the second pass's hits to `run_path` as
// `qid<TAB>rank<TAB>id<TAB>score` (rank from 1) and prints one JSON line:
// {"engine","mode","queries","mean_ms","p50_ms","p99_ms","hits_found"}.
template <class Search>
void RunQueries(const std::string& engine, const std::string& mode,
                const std::vector<Query>& queries, const std::string& run_path, Search search) {
  std::vector<Hit> hits;
  for (const Query& q : queries) {
    hits.clear();
    search(q.text, hits);
  }

  std::ofstream run(run_path);
  if (!run) throw std::runtime_error("cannot write " + run_path);
  run << std::setprecision(10);  // enough digits that distinct scores print apart
  std::vector<double> ms;
  ms.reserve(queries.size());
  std::size_t hits_found = 0;
  for (const Query& q : queries) {
    hits.clear();
    Clock::time_point start = Clock::now();
    search(q.text, hits);
    ms.push_back(SecondsSince(start) * 1e3);
    if (!hits.empty()) ++hits_found;
    for (std::size_t i = 0; i < hits.size(); ++i) {
      run << q.qid << '\t' << i + 1 << '\t' << hits[i].id << '\t' << hits[i].score << '\n';
    }
  }
  run.close();
  if (!run) throw std::runtime_error("error writing " + run_path);

  double mean = 0;
  for (double m : ms) mean += m;
  if (!ms.empty()) mean /= ms.size();
  std::sort(ms.begin(), ms.end());
  double p50 = ms.empty() ? 0 : Quantile(ms, 0.50);
  double p99 = ms.empty() ? 0 : Quantile(ms, 0.99);
  std::printf(
      "{\"engine\":\"%s\",\"mode\":\"%s\",\"queries\":%zu,\"mean_ms\":%.4f,\"p50_ms\":%.4f,"
      "\"p99_ms\":%.4f,\"hits_found\":%zu}\n",
      engine.c_str(), mode.c_str(), queries.size(), mean, p50, p99, hits_found);
}

// A harness's main(): "index TARGET < docs.jsonl" calls index(TARGET);
// "search TARGET QUERIES_TSV and|or|phrase RUN_FILE" calls search(...). Anything
// else prints the usage and returns 2; a std::exception is reported as
// "<program>: <what>" and returns 1.
template <typename IndexFn, typename SearchFn>
int Main(int argc, char** argv, const char* program, const char* target, IndexFn index,
         SearchFn search) {
  std::ios::sync_with_stdio(false);
  try {
    if (argc == 3 && std::string_view(argv[1]) == "index") return index(argv[2]);
    if (argc == 6 && std::string_view(argv[1]) == "search" &&
        (std::string_view(argv[4]) == "and" || std::string_view(argv[4]) == "or" ||
         std::string_view(argv[4]) == "phrase")) {
      return search(argv[2], argv[3], argv[4], argv[5]);
    }
    std::fprintf(stderr,
                 "usage: %s index %s < docs.jsonl\n"
                 "       %s search %s QUERIES_TSV and|or|phrase RUN_FILE\n",
                 program, target, program, target);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }
}

}  // namespace peer

#endif  // TIM_BENCH_PEERS_COMMON_PEER_BENCH_H_
