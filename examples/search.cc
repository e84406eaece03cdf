// Embedding tim from C++: build an index, search with and without accents.
//   search_cpp INDEX_DIR
#include <tim/index.h>
#include <tim/search.h>

#include <cstdio>
#include <memory>

static int Fail(const tim::Status& s) {
  std::fprintf(stderr, "%s\n", s.ToString().c_str());
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::unique_ptr<tim::IndexWriter> writer;
  tim::Status s = tim::IndexWriter::Open(argv[1], tim::IndexOptions(), &writer);
  if (!s.ok()) return Fail(s);
  const tim::Document docs[] = {
      {"hn", {{"title", "Hà Nội mùa thu"}, {"body", "Hà Nội đón khách du lịch mùa thu"}}},
      {"dn", {{"title", "Đà Nẵng"}, {"body", "Thành phố Đà Nẵng đón khách mùa hè"}}},
      {"qn", {{"title", "Quảng Nam"}, {"body", "Nông dân Quảng Nam gieo giống lúa mới"}}},
  };
  for (const tim::Document& d : docs) {
    if (!(s = writer->AddDocument(d)).ok()) return Fail(s);
  }
  if (!(s = writer->Commit()).ok()) return Fail(s);

  std::unique_ptr<tim::IndexReader> reader;
  if (!(s = tim::IndexReader::Open(argv[1], tim::ReaderOptions(), &reader)).ok()) return Fail(s);
  std::unique_ptr<tim::Searcher> searcher;
  if (!(s = tim::Searcher::Open(reader.get(), tim::RankingOptions(), &searcher)).ok()) {
    return Fail(s);
  }
  for (const char* query : {"ha noi", "Đà Nẵng"}) {
    tim::SearchResults results;
    if (!(s = searcher->Search(query, tim::SearchOptions(), &results)).ok()) return Fail(s);
    std::printf("%s: %llu hit(s)\n", query, static_cast<unsigned long long>(results.total_hits));
    if (!results.suggestion.empty())
      std::printf("  did you mean: %s\n", results.suggestion.c_str());
    for (const tim::Hit& hit : results.hits) {
      std::printf("  %s  %s  %s\n", hit.id.c_str(), hit.title.c_str(),
                  tim::MarkHighlights(hit, "[", "]").c_str());
    }
  }
  return 0;
}
