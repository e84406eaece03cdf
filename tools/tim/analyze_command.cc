// tim analyze: shows how tim's analyzer reads a text.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "commands.h"
#include "json_out.h"
#include "tim/analyzer.h"

namespace tim::cli {

namespace {

struct AnalyzeArgs {
  std::vector<std::string> text;
  bool json = false;
  bool strict = false;
  bool no_bigrams = false;
};

void PrintTable(std::string_view text, const Analysis& a) {
  std::printf("%-4s %-7s %-13s %-20s %-20s %s\n", "pos", "kind", "bytes", "text", "exact",
              "folded");
  for (const Token& t : a.tokens()) {
    const std::string bytes = "[" + std::to_string(t.start) + "," + std::to_string(t.end) + ")";
    const std::string original(text.substr(t.start, t.end - t.start));
    const std::string exact(a.exact(t)), folded(a.folded(t));
    // printf pads by bytes; pad by characters so Vietnamese columns line up.
    auto pad = [](const std::string& s, std::size_t width) {
      std::size_t chars = 0;
      for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
      return s + std::string(chars < width ? width - chars : 1, ' ');
    };
    std::printf("%-4u %-7s %-13s %s%s%s\n", t.position, TokenKindName(t.kind), bytes.c_str(),
                pad(original, 21).c_str(), pad(exact, 21).c_str(), folded.c_str());
  }
}

void PrintJson(std::string_view text, const Analysis& a) {
  std::string line;
  for (const Token& t : a.tokens()) {
    line.assign("{\"kind\":\"");
    line += TokenKindName(t.kind);
    line += "\",\"pos\":" + std::to_string(t.position);
    line += ",\"start\":" + std::to_string(t.start);
    line += ",\"end\":" + std::to_string(t.end);
    line += ",\"text\":";
    AppendJsonString(text.substr(t.start, t.end - t.start), &line);
    line += ",\"exact\":";
    AppendJsonString(a.exact(t), &line);
    line += ",\"folded\":";
    AppendJsonString(a.folded(t), &line);
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
}

int RunAnalyze(const AnalyzeArgs& args) {
  std::string text;
  if (args.text.empty()) {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    for (std::size_t i = 0; i < args.text.size(); ++i) {
      if (i > 0) text.push_back(' ');
      text += args.text[i];
    }
  }
  AnalyzerOptions options;
  options.strict_utf8 = args.strict;
  options.bigrams = !args.no_bigrams;
  Analyzer analyzer(options);
  Analysis analysis;
  Status s = analyzer.Analyze(text, &analysis);
  if (!s.ok()) {
    std::fprintf(stderr, "tim analyze: %s\n", s.ToString().c_str());
    return 1;
  }
  if (args.json) {
    PrintJson(text, analysis);
  } else {
    PrintTable(text, analysis);
  }
  if (analysis.invalid_utf8() > 0) {
    std::fprintf(stderr, "tim analyze: %llu invalid UTF-8 sequence(s) replaced by U+FFFD\n",
                 static_cast<unsigned long long>(analysis.invalid_utf8()));
  }
  if (!args.json) {
    std::fprintf(stderr, "%u words, %llu tone mark(s) moved to the canonical vowel\n",
                 analysis.word_count(), static_cast<unsigned long long>(analysis.retoned()));
  }
  return 0;
}

}  // namespace

Command AddAnalyzeCommand(CLI::App* app) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app->add_subcommand(
      "analyze", "Show the tokens tim makes of a text (from the arguments, or standard input)");
  cmd->add_option("text", args->text, "Text to analyse; read from standard input when absent");
  cmd->add_flag("--json", args->json,
                "One JSON object per token and line: kind, pos, start, end, text, exact, folded");
  cmd->add_flag("--strict", args->strict, "Fail on invalid UTF-8 instead of replacing it");
  cmd->add_flag("--no-bigrams", args->no_bigrams, "Do not show bigram tokens");
  return [args] { return RunAnalyze(*args); };
}

}  // namespace tim::cli
