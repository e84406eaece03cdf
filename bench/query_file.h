// The query files of ../shared/queries (qid<TAB>query per line), read by
// the benchmark programs.

#ifndef TIM_BENCH_QUERY_FILE_H_
#define TIM_BENCH_QUERY_FILE_H_

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace tim::bench {

// The query text of each line (the whole line when it has no tab), at most
// `limit` of them. Exits with status 2, naming `program` and the file, when
// the file cannot be read.
inline std::vector<std::string> ReadQueryFile(
    const char* program, const std::string& path,
    std::size_t limit = std::numeric_limits<std::size_t>::max()) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read %s\n", program, path.c_str());
    std::exit(2);
  }
  std::vector<std::string> out;
  std::string line;
  while (out.size() < limit && std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    out.push_back(tab == std::string::npos ? line : line.substr(tab + 1));
  }
  return out;
}

}  // namespace tim::bench

#endif  // TIM_BENCH_QUERY_FILE_H_
