// Helpers shared by the tests.

#ifndef TIM_TESTS_TEST_UTIL_H_
#define TIM_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tim/analyzer.h"
#include "tim/status.h"

namespace tim::testing {

// The exact (or folded) forms of the word tokens of text.
std::vector<std::string> Exact(std::string_view text, const AnalyzerOptions& options = {});
std::vector<std::string> Folded(std::string_view text, const AnalyzerOptions& options = {});
// The folded words of `text` joined by spaces: "Hà Nội" -> "ha noi".
std::string FoldedText(std::string_view text, const AnalyzerOptions& options = {});

// Writes `text` to `path` (binary, replacing it), creating its directories.
void WriteTextFile(const std::string& path, std::string_view text);
// The whole of a file's bytes ("" when it cannot be read).
std::string ReadTextFile(const std::string& path);
// Every token as "kind:exact/folded@pos".
std::vector<std::string> Describe(std::string_view text, const AnalyzerOptions& options = {});
std::vector<std::string> Describe(const Analysis& analysis);

// ICU's NFD of a UTF-8 string.
std::string Nfd(std::string_view text);

// EXPECT_TRUE(IsOk(s)) prints the status when it fails.
inline ::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}

using Rng = std::mt19937_64;
// A uniform integer in [lo, hi].
inline std::uint64_t Uniform(Rng& rng, std::uint64_t lo, std::uint64_t hi) {
  return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A file's bytes in a heap block of exactly their size, so that ASan reports
// any read past the end; the frame's header and footer can be poisoned too,
// as readers never touch them once CheckFrame has passed.
class FramedCopy {
 public:
  explicit FramedCopy(std::string_view data);
  ~FramedCopy();
  FramedCopy(const FramedCopy&) = delete;
  FramedCopy& operator=(const FramedCopy&) = delete;
  std::string_view view() const { return std::string_view(buf_.get(), size_); }
  char* data() { return buf_.get(); }
  void PoisonFrame();
  void UnpoisonFrame();

 private:
  std::size_t size_;
  std::unique_ptr<char[]> buf_;
};

// Runs a shell command; its exit code and its standard output (and standard
// error, when the command says 2>&1).
struct CommandResult {
  int exit_code = -1;
  std::string out;
};
CommandResult RunCommand(const std::string& command);

}  // namespace tim::testing

#endif  // TIM_TESTS_TEST_UTIL_H_
