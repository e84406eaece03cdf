// Command-line flags shared by the benchmark programs: --corpus=DIR and
// --mb=N, next to Google Benchmark's own.

#ifndef TIM_BENCH_BENCH_ARGS_H_
#define TIM_BENCH_BENCH_ARGS_H_

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace tim::bench {

// Call after benchmark::Initialize, which removes the flags it knows.
// Returns false (having said why) on an unknown flag.
inline bool ParseArgs(const char* program, int argc, char** argv, std::string* corpus_dir,
                      std::size_t* megabytes) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--corpus=", 9) == 0) {
      *corpus_dir = argv[i] + 9;
    } else if (std::strncmp(argv[i], "--mb=", 5) == 0) {
      *megabytes = std::strtoull(argv[i] + 5, nullptr, 10);
    } else {
      std::fprintf(stderr, "%s: unknown argument %s\n", program, argv[i]);
      return false;
    }
  }
  return true;
}

}  // namespace tim::bench

#endif  // TIM_BENCH_BENCH_ARGS_H_
