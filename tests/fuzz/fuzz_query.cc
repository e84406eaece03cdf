// The query parser and everything a query string reaches: parsing, typing
// rewrites, planning and every top-k algorithm, over an index of corpus/.
// A search returns OK or InvalidArgument; the exhaustive algorithm, which
// scores every posting, agrees with the one kAuto picks on hits and scores.
#include <cstdio>
#include <memory>
#include <string>

#include "fuzz/fuzz_text.h"
#include "fuzz/fuzz_util.h"
#include "query/query_parser.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim::fuzz {
std::vector<std::string> Seeds() {
  std::vector<std::string> out;
  for (const std::string& text : TextSeeds())
    out.push_back(std::string(1, '\0') + text.substr(0, 200));
  for (const char* q : {"thành phố Huế", "\"đô thị thông minh\"", "title:Huế +hợp -tác",
                        "(Huế OR Gyeongju) AND NOT \"Hàn Quốc\"", "thà*", "h*", "*", "ha noi",
                        "hoaf nhaapj", "((((a))))", "tags:quốc", "dda2 na84ng",
                        "Huế {category = \"Thể thao\"}", "-{a IN ['}']} b", "a OR {b", "{}"}) {
    for (const char flags : {'\0', '\x01', '\x1e'}) out.push_back(std::string(1, flags) + q);
  }
  return out;
}
}  // namespace tim::fuzz

namespace {

struct Index {
  tim::fuzz::MemFileSystem fs;
  std::unique_ptr<tim::IndexReader> reader;
  std::unique_ptr<tim::Searcher> searcher;
  Index() {
    for (const auto& [name, bytes] : tim::fuzz::SampleIndexFiles()) fs.files["idx/" + name] = bytes;
    tim::ReaderOptions options;
    options.file_system = &fs;
    const tim::Status s = tim::IndexReader::Open("idx", options, &reader);
    if (!s.ok()) std::fprintf(stderr, "fuzz: %s\n", s.ToString().c_str());
    tim::fuzz::Check(s.ok(), "open the sample index");
    tim::fuzz::Check(tim::Searcher::Open(reader.get(), tim::RankingOptions(), &searcher).ok(),
                     "open a searcher");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tim::fuzz;
  static Index index;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::uint8_t flags = TakeU8(&in);

  tim::query::ParseOptions parse_options;
  parse_options.default_and = flags & 1;
  parse_options.fields = {"title", "body", "tags"};
  const tim::query::ParsedQuery parsed = tim::query::ParseQuery(in, parse_options);
  (void)tim::query::DebugString(parsed.root);

  tim::SearchOptions options;
  options.default_operator = flags & 1 ? tim::DefaultOperator::kAnd : tim::DefaultOperator::kOr;
  options.k = 1 + (flags >> 1 & 7) * 3;
  options.offset = flags >> 4 & 3;
  options.explain = flags & 64;
  options.snippets = !(flags & 128);
  tim::SearchResults results;
  const tim::Status s = index.searcher->Search(in, options, &results);
  Check(s.ok() || s.IsInvalidArgument(), "a search returns OK or InvalidArgument");
  if (!s.ok()) return 0;
  Check(results.hits.size() <= options.k, "at most k hits");
  for (const tim::Hit& hit : results.hits) {
    tim::Document doc;
    Check(index.reader->GetDocument(hit.id, &doc).ok(), "every hit can be fetched");
    Check(IsUtf8(hit.snippet) && IsUtf8(hit.title), "snippets are UTF-8");
    for (const auto& [begin, end] : hit.highlights) {
      Check(begin <= end && end <= hit.snippet.size(), "highlights inside the snippet");
    }
  }
  options.algorithm = tim::Algorithm::kExhaustive;
  tim::SearchResults exhaustive;
  Check(index.searcher->Search(in, options, &exhaustive).ok(), "the exhaustive search runs");
  Check(exhaustive.hits.size() == results.hits.size(), "the same number of hits as exhaustive");
  for (std::size_t i = 0; i < results.hits.size(); ++i) {
    Check(exhaustive.hits[i].score == results.hits[i].score, "the same scores as exhaustive");
  }
  return 0;
}
