// corpus_check: runs the analyzer over JSONL corpora (plain or .zst) and
// checks, for every document, that the fast analyzer gives exactly the tokens
// of the ICU-only reference (analysis/reference.h), that every offset lies on
// a UTF-8 boundary, and that nothing crashes. Prints what it counted.
//
//   build/corpus_check [--max-docs N] [--fast-only] FILE.jsonl[.zst]...
//
// Exit status: 0 when everything agreed, 1 on a mismatch or a read error.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "analysis/reference.h"
#include "tim/analyzer.h"
#include "util/jsonl_doc.h"
#include "util/line_reader.h"
#include "util/utf8.h"

namespace {

struct Totals {
  std::uint64_t docs = 0, bytes = 0, words = 0, tokens = 0, retoned = 0, invalid = 0;
  std::uint64_t mismatched_docs = 0, bad_offsets = 0;
};

bool SameTokens(const tim::Analysis& a, const tim::Analysis& b, std::string* why) {
  if (a.tokens().size() != b.tokens().size()) {
    *why = "token count " + std::to_string(a.tokens().size()) + " vs reference " +
           std::to_string(b.tokens().size());
  }
  const std::size_t n = std::min(a.tokens().size(), b.tokens().size());
  for (std::size_t i = 0; i < n; ++i) {
    const tim::Token& x = a.tokens()[i];
    const tim::Token& y = b.tokens()[i];
    if (x.kind != y.kind || x.position != y.position || a.exact(x) != b.exact(y) ||
        a.folded(x) != b.folded(y)) {
      *why = "token " + std::to_string(i) + ": fast " + tim::TokenKindName(x.kind) + "@" +
             std::to_string(x.position) + " '" + std::string(a.exact(x)) + "'/'" +
             std::string(a.folded(x)) + "' vs reference " + tim::TokenKindName(y.kind) + "@" +
             std::to_string(y.position) + " '" + std::string(b.exact(y)) + "'/'" +
             std::string(b.folded(y)) + "'";
      return false;
    }
  }
  return why->empty();
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t max_docs = UINT64_MAX;
  bool fast_only = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--max-docs") == 0 && i + 1 < argc) {
      max_docs = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--fast-only") == 0) {
      fast_only = true;
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: corpus_check [--max-docs N] [--fast-only] FILE.jsonl[.zst]...\n");
    return 2;
  }
  tim::Analyzer analyzer;
  tim::Analysis fast, ref;
  tim::JsonDocParser parser;
  tim::JsonDoc doc;
  Totals t;
  double fast_seconds = 0;
  int shown = 0;
  bool failed = false;
  for (const std::string& file : files) {
    std::unique_ptr<tim::LineReader> reader;
    tim::Status s = tim::LineReader::Open(file, &reader);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    std::uint64_t file_docs = 0;
    std::string_view line;
    std::string text;
    while (file_docs < max_docs && reader->Next(&line)) {
      s = parser.Parse(line, &doc);
      if (!s.ok()) {
        std::fprintf(stderr, "%s:%llu: %s\n", file.c_str(),
                     static_cast<unsigned long long>(reader->line_number()), s.message().c_str());
        failed = true;
        continue;
      }
      text.assign(doc.Field("title"));
      text.push_back('\n');
      text.append(doc.Field("body"));
      const auto t0 = std::chrono::steady_clock::now();
      s = analyzer.Analyze(text, &fast);
      fast_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (!s.ok()) {
        std::fprintf(stderr, "%s: %s\n", doc.id.c_str(), s.ToString().c_str());
        failed = true;
        continue;
      }
      ++file_docs;
      ++t.docs;
      t.bytes += text.size();
      t.words += fast.word_count();
      t.tokens += fast.tokens().size();
      t.retoned += fast.retoned();
      t.invalid += fast.invalid_utf8();
      for (const tim::Token& tok : fast.tokens()) {
        if (!tim::utf8::IsBoundary(text, tok.start) || !tim::utf8::IsBoundary(text, tok.end) ||
            tok.start >= tok.end) {
          ++t.bad_offsets;
        }
      }
      if (fast_only) continue;
      s = tim::analysis::ReferenceAnalyze(text, analyzer.options(), &ref);
      std::string why;
      if (!s.ok() || !SameTokens(fast, ref, &why)) {
        ++t.mismatched_docs;
        if (shown++ < 10) {
          std::fprintf(stderr, "MISMATCH %s: %s\n", doc.id.c_str(),
                       s.ok() ? why.c_str() : s.ToString().c_str());
        }
      }
    }
    if (!reader->status().ok()) {
      std::fprintf(stderr, "%s\n", reader->status().ToString().c_str());
      failed = true;
    }
  }
  std::printf(
      "docs %llu, text %.1f MB, words %llu, tokens %llu\n"
      "syllables re-toned (tone mark moved to the canonical vowel) %llu\n"
      "invalid UTF-8 sequences %llu, offsets off a UTF-8 boundary %llu\n"
      "fast analyzer %.1f MB/s (this process, one thread)\n",
      static_cast<unsigned long long>(t.docs), t.bytes / 1e6,
      static_cast<unsigned long long>(t.words), static_cast<unsigned long long>(t.tokens),
      static_cast<unsigned long long>(t.retoned), static_cast<unsigned long long>(t.invalid),
      static_cast<unsigned long long>(t.bad_offsets), t.bytes / 1e6 / fast_seconds);
  if (!fast_only) {
    std::printf("documents where fast != ICU reference: %llu\n",
                static_cast<unsigned long long>(t.mismatched_docs));
  }
  return (failed || t.mismatched_docs > 0 || t.bad_offsets > 0) ? 1 : 0;
}
