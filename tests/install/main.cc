// Prints "exact/folded" for each word of its argument, using only the
// installed public headers.
#include <tim/analyzer.h>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  tim::Analyzer analyzer;
  tim::Analysis analysis;
  const tim::Status s = analyzer.Analyze(argv[1], &analysis);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::string line;
  for (const tim::Token& t : analysis.tokens()) {
    if (t.kind != tim::TokenKind::kWord) continue;
    if (!line.empty()) line += ' ';
    line += std::string(analysis.exact(t)) + "/" + std::string(analysis.folded(t));
  }
  std::printf("%s\n", line.c_str());
  return 0;
}
