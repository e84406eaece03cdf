// The main of a fuzz target outside libFuzzer builds: runs the target over
// its seeds, then over every file named on the command line (or in the
// directories named there), in name order. A crash or a sanitizer report
// fails the run, as it fails the fuzzer.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  std::size_t seeds = 0, files = 0;
  for (const std::string& seed : tim::fuzz::Seeds()) {
    Run(seed);
    ++seeds;
  }
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& entry : std::filesystem::directory_iterator(argv[i])) {
        if (entry.is_regular_file()) paths.push_back(entry.path());
      }
      std::sort(paths.begin(), paths.end());
    } else if (std::filesystem::exists(argv[i])) {
      paths.emplace_back(argv[i]);
    }
    for (const auto& path : paths) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      Run(bytes.str());
      ++files;
    }
  }
  std::printf("replayed %zu seeds and %zu saved inputs\n", seeds, files);
  return 0;
}
