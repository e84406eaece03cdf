// Every on-disk decoder through the public open path: the input is a whole
// index directory (fuzz_util.h's image format) behind a flags byte. The
// index is opened, counted, searched, its documents fetched and verified;
// with flag 2 a writer also adds, deletes and merges it. Each call returns a
// status (Corruption for damage) and never crashes, hangs or runs away
// with memory.
#include <memory>
#include <string>

#include "fuzz/fuzz_text.h"
#include "fuzz/fuzz_util.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim::fuzz {
std::vector<std::string> Seeds() {
  const std::string image = SerializeImage(SampleIndexFiles());
  std::vector<std::string> out;
  for (const char flags : {'\0', '\x01', '\x02', '\x03'}) out.push_back(flags + image);
  return out;
}
}  // namespace tim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tim;
  using tim::fuzz::Check;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::uint8_t flags = fuzz::TakeU8(&in);
  fuzz::MemFileSystem fs;
  for (auto& [name, bytes] : fuzz::ParseImage(in)) {
    if (name.empty() || name.find('/') != std::string::npos) continue;
    fs.files["idx/" + name] = std::move(bytes);
  }
  {
    ReaderOptions options;
    options.file_system = &fs;
    options.verify_checksums = flags & 1;
    std::unique_ptr<IndexReader> reader;
    const Status s = IndexReader::Open("idx", options, &reader);
    if (!s.ok()) {
      Check(!s.ToString().empty(), "errors say what is wrong");
    } else {
      IndexStats stats;
      (void)reader->GetStats(&stats, true);
      std::unique_ptr<Searcher> searcher;
      if (Searcher::Open(reader.get(), RankingOptions(), &searcher).ok()) {
        SearchOptions search;
        search.k = 5;
        for (const char* q : {"thành phố Huế", "\"đô thị thông minh\"", "ha noi", "thà*",
                              "title:Huế -Gyeongju", "vieetj nam", "quốc gia"}) {
          SearchResults results;
          if (!searcher->Search(q, search, &results).ok()) continue;
          for (const Hit& hit : results.hits) {
            Document doc;
            (void)reader->GetDocument(hit.id, &doc);
          }
        }
        std::string suggestion;
        (void)searcher->Suggest("thanh pho hue", &suggestion);
      }
      for (const Document& d : fuzz::CorpusDocuments()) {
        Document doc;
        (void)reader->GetDocument(d.id, &doc);
      }
      (void)reader->Verify();
    }
  }
  if (flags & 2) {
    IndexOptions options;
    options.file_system = &fs;
    options.threads = 1;
    options.create_if_missing = false;
    std::unique_ptr<IndexWriter> writer;
    if (IndexWriter::Open("idx", options, &writer).ok()) {
      Status s = writer->AddDocument(fuzz::CorpusDocuments()[0]);
      if (s.ok()) s = writer->DeleteDocument(fuzz::CorpusDocuments()[1].id);
      if (s.ok()) (void)writer->ForceMerge(1);
    }
  }
  return 0;
}
