// Using only the installed public headers: prints "exact/folded" for each
// word of its first argument; given an index directory as second argument,
// also indexes the text as a document, commits, and reads it back.
#include <tim/analyzer.h>
#include <tim/index.h>

#include <cstdio>
#include <memory>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  tim::Analyzer analyzer;
  tim::Analysis analysis;
  tim::Status s = analyzer.Analyze(argv[1], &analysis);
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
  if (argc < 3) return 0;

  std::unique_ptr<tim::IndexWriter> writer;
  s = tim::IndexWriter::Open(argv[2], tim::IndexOptions(), &writer);
  if (s.ok()) s = writer->AddDocument({"example", {{"title", argv[1]}}});
  if (s.ok()) s = writer->Commit();
  std::unique_ptr<tim::IndexReader> reader;
  if (s.ok()) s = tim::IndexReader::Open(argv[2], tim::ReaderOptions(), &reader);
  tim::Document doc;
  if (s.ok()) s = reader->GetDocument("example", &doc);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("%llu document: %s\n", static_cast<unsigned long long>(reader->num_docs()),
              std::string(doc.Field("title")).c_str());
  return 0;
}
