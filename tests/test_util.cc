#include "test_util.h"

#include <gtest/gtest.h>
#include <sanitizer/asan_interface.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "codec/file_format.h"

namespace tim::testing {

namespace {

std::vector<std::string> Forms(std::string_view text, const AnalyzerOptions& options, bool exact) {
  Analysis a;
  const Status s = Analyzer(options).Analyze(text, &a);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> out;
  for (const Token& t : a.tokens()) {
    if (t.kind == TokenKind::kWord) out.emplace_back(exact ? a.exact(t) : a.folded(t));
  }
  return out;
}

}  // namespace

std::vector<std::string> Exact(std::string_view text, const AnalyzerOptions& options) {
  return Forms(text, options, true);
}

std::vector<std::string> Folded(std::string_view text, const AnalyzerOptions& options) {
  return Forms(text, options, false);
}

std::string FoldedText(std::string_view text, const AnalyzerOptions& options) {
  std::string out;
  for (const std::string& w : Folded(text, options)) out += (out.empty() ? "" : " ") + w;
  return out;
}

void WriteTextFile(const std::string& path, std::string_view text) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> Describe(std::string_view text, const AnalyzerOptions& options) {
  Analysis a;
  const Status s = Analyzer(options).Analyze(text, &a);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return Describe(a);
}

std::vector<std::string> Describe(const Analysis& a) {
  std::vector<std::string> out;
  for (const Token& t : a.tokens()) {
    out.push_back(std::string(TokenKindName(t.kind)) + ":" + std::string(a.exact(t)) + "/" +
                  std::string(a.folded(t)) + "@" + std::to_string(t.position));
  }
  return out;
}

std::string Nfd(std::string_view text) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::string out;
  nfd->normalize(s, err).toUTF8String(out);
  return out;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/tim_test_XXXXXX";
  const char* dir = mkdtemp(tmpl);
  EXPECT_NE(dir, nullptr);
  path_ = dir != nullptr ? dir : "/tmp/tim_test_failed";
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

FramedCopy::FramedCopy(std::string_view data)
    : size_(data.size()), buf_(std::make_unique<char[]>(data.size())) {
  if (size_ > 0) std::memcpy(buf_.get(), data.data(), size_);
}

FramedCopy::~FramedCopy() { UnpoisonFrame(); }

void FramedCopy::PoisonFrame() {
  ASAN_POISON_MEMORY_REGION(buf_.get(), codec::kHeaderSize);
  ASAN_POISON_MEMORY_REGION(buf_.get() + size_ - codec::kFooterSize, codec::kFooterSize);
}

void FramedCopy::UnpoisonFrame() { ASAN_UNPOISON_MEMORY_REGION(buf_.get(), size_); }

CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace tim::testing
