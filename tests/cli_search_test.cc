// tim search, run as a user would: text and JSON output, paging, --explain,
// --and, run files (--queries) and the error exits.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"

namespace {

using tim::testing::ReadTextFile;
using tim::testing::TempDir;
using tim::testing::WriteTextFile;

// A run of the built tim: exit code, standard output and standard error apart.
struct SearchRun {
  int exit_code = -1;
  std::string out, err;
};

// One shell word.
std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (true) {
    const std::size_t next = line.find(sep, at);
    parts.push_back(line.substr(at, next - at));
    if (next == std::string::npos) break;
    at = next + 1;
  }
  return parts;
}

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Parses text as exactly one JSON value (trailing content is an error).
::testing::AssertionResult ParseJson(const std::string& text, simdjson::dom::parser* parser,
                                     simdjson::dom::element* root) {
  const simdjson::error_code e = parser->parse(text).get(*root);
  if (e != simdjson::SUCCESS) {
    return ::testing::AssertionFailure()
           << "invalid JSON (" << simdjson::error_message(e) << "): " << text;
  }
  return ::testing::AssertionSuccess();
}

// A number member, integer or not; NaN when absent or not a number.
double Num(simdjson::dom::element e, const char* key) {
  double v = 0;
  if (e[key].get_double().get(v) == simdjson::SUCCESS) return v;
  std::int64_t i = 0;
  if (e[key].get_int64().get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  return std::nan("");
}

std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get_string().get(v) != simdjson::SUCCESS) return "<not a string>";
  return std::string(v);
}

class CliSearch : public ::testing::Test {
 protected:
  // One small index shared by every test (tim search never writes to it).
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    WriteTextFile(
        dir_->Sub("docs.jsonl"),
        R"({"id":"hn","title":"Hà Nội mùa thu","body":"Thủ đô Hà Nội đẹp nhất vào mùa thu, khi gió heo may về trên phố cổ Hà Nội."}
{"id":"dt","title":"Đô thị thông minh","body":"Hà Nội và Đà Nẵng xây dựng đô thị thông minh: giao thông <thông minh> & camera giám sát."}
{"id":"tl1","title":"Công trình thủy lợi","body":"Hệ thống thủy lợi ở ngoại thành Hà Nội giúp nông dân tưới tiêu đồng ruộng."}
{"id":"tl2","title":"Thuỷ lợi miền Tây","body":"Các công trình thuỷ lợi ở đồng bằng sông Cửu Long giữ nước ngọt cho mùa khô."}
{"id":"ma1","title":"Người má","body":"Má tôi nấu cơm mỗi chiều, má hay kể chuyện ngày xưa."}
{"id":"ma2","title":"Nhưng mà","body":"Trời mưa to mà anh vẫn đi làm ở Hà Đông."}
)");
    idx_ = dir_->Sub("idx");
    const auto r = tim::testing::RunCommand(std::string(TIM_BINARY) + " index --quiet " + idx_ +
                                            " " + dir_->Sub("docs.jsonl") + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Runs `tim search <args>`.
  static SearchRun Search(const std::string& args) {
    const std::string err_file = dir_->Sub("stderr.txt");
    const auto r =
        tim::testing::RunCommand(std::string(TIM_BINARY) + " search " + args + " 2> " + err_file);
    SearchRun run;
    run.exit_code = r.exit_code;
    run.out = r.out;
    run.err = ReadTextFile(err_file);
    return run;
  }
  // `tim search IDX <query> <options>`.
  static SearchRun Query(const std::string& query, const std::string& options = "") {
    return Search(idx_ + " " + Quote(query) + " " + options);
  }

  // The hit ids of a --json run, in rank order.
  static std::vector<std::string> JsonIds(const SearchRun& r) {
    std::vector<std::string> ids;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    EXPECT_TRUE(ParseJson(r.out, &parser, &root));
    simdjson::dom::array hits;
    if (root["hits"].get_array().get(hits) != simdjson::SUCCESS) {
      ADD_FAILURE() << "no hits array: " << r.out;
      return ids;
    }
    for (simdjson::dom::element h : hits) ids.push_back(Str(h, "id"));
    return ids;
  }

  static TempDir* dir_;
  static std::string idx_;
};

TempDir* CliSearch::dir_ = nullptr;
std::string CliSearch::idx_;

TEST_F(CliSearch, HumanOutputSuggestsCountsAndHighlights) {
  const SearchRun r = Query("ha noi");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0], "Did you mean: hà nội") << r.out;
  // "4 hits (0.12 ms)": hn, dt and tl1 have Hà Nội, ma2 has Hà.
  EXPECT_EQ(lines[1].rfind("4 hits (", 0), 0u) << r.out;
  EXPECT_TRUE(Has(lines[1], " ms)")) << r.out;
  // The best hit: rank, id and score, then its title and snippet.
  EXPECT_TRUE(Has(r.out, "\n1. hn  (")) << r.out;
  EXPECT_TRUE(Has(r.out, "\n   Hà Nội mùa thu\n")) << r.out;
  // Not a terminal: the matched words, as written, in [brackets].
  EXPECT_TRUE(Has(r.out, "Thủ đô [Hà] [Nội] đẹp nhất")) << r.out;
  EXPECT_TRUE(Has(r.out, "phố cổ [Hà] [Nội].")) << r.out;
  EXPECT_TRUE(Has(r.out, "ở [Hà] Đông.")) << r.out;
  EXPECT_FALSE(Has(r.out, "\033[")) << r.out;
  for (const char* id : {"hn", "dt", "tl1", "ma2"}) {
    EXPECT_TRUE(Has(r.out, std::string(". ") + id + "  (")) << id << "\n" << r.out;
  }
  // The document text is printed as is, not HTML-escaped.
  const SearchRun t = Query("thông minh");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_TRUE(Has(t.out, "giao [thông] <[thông] [minh]> & camera")) << t.out;
  // An accented query gets no suggestion.
  EXPECT_FALSE(Has(t.out, "Did you mean")) << t.out;
}

// Telex typed with the input method off is read as what it spells, said
// out loud in both outputs; --raw searches the keys as typed.
TEST_F(CliSearch, TypedTelexIsRewrittenAndSaid) {
  const SearchRun r = Query("thuyr lowij");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out)[0],
            "Showing results for: thủy lợi · search instead for: thuyr lowij (--raw)")
      << r.out;
  EXPECT_TRUE(Has(r.out, ". tl1  (")) << r.out;
  const SearchRun j = Query("thuyr lowij", "--json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.out.rfind("{\"rewritten\":\"thủy lợi\",", 0), 0u) << j.out;
  const SearchRun raw = Query("thuyr lowij", "--raw --json");
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_EQ(raw.out.rfind("{\"rewritten\":null,\"total_hits\":0,", 0), 0u) << raw.out;
}

TEST_F(CliSearch, JsonIsOneObjectWithEscapedSnippets) {
  const SearchRun r = Query("ha noi", "--json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "not one line: " << r.out;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_TRUE(ParseJson(r.out, &parser, &root));
  ASSERT_TRUE(root.is_object()) << r.out;
  EXPECT_EQ(Num(root, "total_hits"), 4) << r.out;
  bool exact = false, relaxed = true;
  ASSERT_EQ(root["total_hits_exact"].get_bool().get(exact), simdjson::SUCCESS) << r.out;
  EXPECT_TRUE(exact);
  const double took = Num(root, "took_ms");
  EXPECT_TRUE(took >= 0 && took < 10000) << r.out;
  EXPECT_EQ(Str(root, "suggestion"), "hà nội") << r.out;
  ASSERT_EQ(root["relaxed"].get_bool().get(relaxed), simdjson::SUCCESS) << r.out;
  EXPECT_FALSE(relaxed);
  simdjson::dom::array notes, hits;
  ASSERT_EQ(root["notes"].get_array().get(notes), simdjson::SUCCESS) << r.out;
  EXPECT_EQ(notes.size(), 0u);
  ASSERT_EQ(root["hits"].get_array().get(hits), simdjson::SUCCESS) << r.out;
  ASSERT_EQ(hits.size(), 4u) << r.out;
  double last = INFINITY;
  for (simdjson::dom::element h : hits) {
    const double score = Num(h, "score");
    EXPECT_GT(score, 0) << r.out;
    EXPECT_LE(score, last) << "not in rank order: " << r.out;
    last = score;
    EXPECT_NE(Str(h, "title"), "<not a string>") << r.out;
    EXPECT_TRUE(Has(Str(h, "snippet"), "<b>Hà</b>")) << r.out;
    simdjson::dom::element unused;
    EXPECT_NE(h["explanation"].get(unused), simdjson::SUCCESS) << "only with --explain";
  }
  simdjson::dom::element first = hits.at(0);
  EXPECT_EQ(Str(first, "id"), "hn");
  EXPECT_EQ(Str(first, "title"), "Hà Nội mùa thu");
  EXPECT_TRUE(Has(Str(first, "snippet"), "Thủ đô <b>Hà</b> <b>Nội</b> đẹp nhất")) << r.out;

  // An accented query: suggestion is null. The snippet is HTML: <, > and &
  // of the text escaped, matched words in <b>...</b>.
  const SearchRun t = Query("thông minh", "--json");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  simdjson::dom::parser parser2;
  simdjson::dom::element root2;
  ASSERT_TRUE(ParseJson(t.out, &parser2, &root2));
  EXPECT_TRUE(root2["suggestion"].is_null()) << t.out;
  simdjson::dom::array hits2;
  ASSERT_EQ(root2["hits"].get_array().get(hits2), simdjson::SUCCESS) << t.out;
  ASSERT_GE(hits2.size(), 1u) << t.out;
  simdjson::dom::element dt = hits2.at(0);
  EXPECT_EQ(Str(dt, "id"), "dt");
  const std::string snippet = Str(dt, "snippet");
  EXPECT_TRUE(Has(snippet, "giao <b>thông</b> &lt;<b>thông</b> <b>minh</b>&gt; &amp; camera"))
      << snippet;
  // Nothing unescaped is left once the <b> tags are taken out.
  std::string text = snippet;
  for (const std::string_view tag : {"<b>", "</b>"}) {
    for (std::size_t at; (at = text.find(tag)) != std::string::npos;) text.erase(at, tag.size());
  }
  EXPECT_EQ(text.find_first_of("<>"), std::string::npos) << snippet;
  for (std::size_t at = text.find('&'); at != std::string::npos; at = text.find('&', at + 1)) {
    const std::string_view rest = std::string_view(text).substr(at);
    EXPECT_TRUE(rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0 ||
                rest.rfind("&amp;", 0) == 0)
        << snippet;
  }
  // Titles are JSON strings, not HTML.
  EXPECT_EQ(Str(dt, "title"), "Đô thị thông minh");
}

TEST_F(CliSearch, DiacriticsRankExactSpellingFirst) {
  for (const auto& [query, first] : {std::pair<const char*, const char*>{"má", "ma1"},
                                     std::pair<const char*, const char*>{"mà", "ma2"}}) {
    const SearchRun r = Query(query, "--json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> ids = JsonIds(r);
    ASSERT_EQ(ids.size(), 2u) << r.out;  // folded matching finds both spellings
    EXPECT_EQ(ids[0], first) << query << ": " << r.out;
  }
  // "thủy" and "thuỷ" are the same spelling.
  const SearchRun r = Query("thủy lợi", "--json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> ids = JsonIds(r);
  ASSERT_EQ(ids.size(), 2u) << r.out;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"tl1", "tl2"}));
  EXPECT_TRUE(Has(r.out, "<b>thuỷ</b> <b>lợi</b>")) << r.out;
  EXPECT_TRUE(Has(r.out, "<b>thủy</b> <b>lợi</b>")) << r.out;
  // An unaccented one-word query suggests one of the index's spellings.
  const SearchRun u = Query("ma", "--json");
  ASSERT_EQ(u.exit_code, 0) << u.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_TRUE(ParseJson(u.out, &parser, &root));
  const std::string suggestion = Str(root, "suggestion");
  EXPECT_TRUE(suggestion == "má" || suggestion == "mà") << u.out;
}

TEST_F(CliSearch, KAndOffsetPage) {
  const SearchRun all = Query("ha noi", "--json -k 3");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const std::vector<std::string> top3 = JsonIds(all);
  ASSERT_EQ(top3.size(), 3u) << all.out;
  EXPECT_TRUE(Has(all.out, "\"total_hits\":4,")) << all.out;  // counts beyond k

  const SearchRun one = Query("ha noi", "--json -k 1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(JsonIds(one), std::vector<std::string>(top3.begin(), top3.begin() + 1));

  const SearchRun page = Query("ha noi", "--json -k 2 --offset 1");
  ASSERT_EQ(page.exit_code, 0) << page.err;
  EXPECT_EQ(JsonIds(page), std::vector<std::string>(top3.begin() + 1, top3.end()));
  EXPECT_TRUE(Has(page.out, "\"total_hits\":4,")) << page.out;

  // Text output numbers the hits from offset + 1.
  const SearchRun text = Query("ha noi", "-k 1 --offset 2");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(Has(text.out, "\n3. " + top3[2] + "  (")) << text.out;
  EXPECT_FALSE(Has(text.out, "\n1. ")) << text.out;
  EXPECT_FALSE(Has(text.out, "\n4. ")) << text.out;

  // Past the end: no hits, still the count.
  const SearchRun past = Query("ha noi", "--json --offset 10");
  ASSERT_EQ(past.exit_code, 0) << past.err;
  EXPECT_TRUE(JsonIds(past).empty()) << past.out;
  EXPECT_TRUE(Has(past.out, "\"total_hits\":4,")) << past.out;

  // --no-snippets: ids and scores only.
  const SearchRun bare = Query("ha noi", "-k 1 --no-snippets");
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_TRUE(Has(bare.out, "\n1. " + top3[0] + "  (")) << bare.out;
  EXPECT_FALSE(Has(bare.out, "[")) << bare.out;
  EXPECT_FALSE(Has(bare.out, "Hà Nội mùa thu")) << bare.out;
}

TEST_F(CliSearch, EveryAlgorithmGivesTheSameHits) {
  for (const char* mode : {"", "--and "}) {
    const SearchRun want = Query("thủy lợi hà nội", std::string(mode) + "--json -k 4");
    ASSERT_EQ(want.exit_code, 0) << want.err;
    ASSERT_FALSE(JsonIds(want).empty()) << want.out;
    for (const char* a : {"exhaustive", "maxscore", "conjunctive", "generic"}) {
      const SearchRun got =
          Query("thủy lợi hà nội", std::string(mode) + "--json -k 4 --algorithm " + a);
      ASSERT_EQ(got.exit_code, 0) << a << ": " << got.err;
      EXPECT_EQ(JsonIds(got), JsonIds(want)) << mode << a;
    }
  }
  EXPECT_NE(Query("hà nội", "--algorithm fastest").exit_code, 0);
}

TEST_F(CliSearch, ExplainAddsUpToTheScore) {
  const SearchRun r = Query("ha noi", "--json --explain");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_TRUE(ParseJson(r.out, &parser, &root));
  simdjson::dom::array hits;
  ASSERT_EQ(root["hits"].get_array().get(hits), simdjson::SUCCESS) << r.out;
  ASSERT_EQ(hits.size(), 4u) << r.out;
  for (simdjson::dom::element h : hits) {
    simdjson::dom::array parts;
    ASSERT_EQ(h["explanation"].get_array().get(parts), simdjson::SUCCESS) << r.out;
    ASSERT_GT(parts.size(), 0u) << r.out;
    double sum = 0;
    for (simdjson::dom::element d : parts) {
      const std::string tier = Str(d, "tier");
      EXPECT_TRUE(tier == "folded" || tier == "exact" || tier == "bigram" || tier == "title-match")
          << tier;
      const std::string field = Str(d, "field");
      EXPECT_TRUE(field == "title" || field == "body") << field;
      EXPECT_NE(Str(d, "term"), "<not a string>");
      for (const char* key : {"tf", "field_length", "idf", "weight"}) {
        EXPECT_FALSE(std::isnan(Num(d, key))) << key << ": " << r.out;
      }
      EXPECT_GE(Num(d, "tf"), 1);
      sum += Num(d, "score");
    }
    EXPECT_NEAR(sum, Num(h, "score"), 1e-3) << Str(h, "id") << ": " << r.out;
  }
  // An unaccented query scores no exact tier.
  EXPECT_FALSE(Has(r.out, "\"tier\":\"exact\"")) << r.out;
  EXPECT_TRUE(Has(r.out, "{\"term\":\"ha noi\",\"tier\":\"bigram\",")) << r.out;

  // Text: one line per term under each hit, "score field tier term tf=…".
  const SearchRun t = Query("hà nội", "--explain");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  int hits_seen = 0;
  double hit_score = 0, sum = 0;
  int terms = 0;
  bool exact_seen = false;
  auto check = [&] {
    if (hits_seen == 0) return;
    EXPECT_GT(terms, 0) << t.out;
    // Printed as %.3f and %.4f: allow their rounding.
    EXPECT_NEAR(sum, hit_score, 1e-3 + terms * 5e-5) << t.out;
  };
  for (const std::string& line : Lines(t.out)) {
    const std::size_t open = line.rfind("  (");
    if (!line.empty() && line[0] >= '1' && line[0] <= '9' && open != std::string::npos) {
      check();
      ++hits_seen;
      hit_score = std::stod(line.substr(open + 3));
      sum = 0;
      terms = 0;
    } else if (Has(line, " tf=") && Has(line, " idf=") && Has(line, " weight=")) {
      ASSERT_GT(hits_seen, 0) << t.out;
      ++terms;
      sum += std::stod(line);
      exact_seen = exact_seen || Has(line, " exact ");
    }
  }
  check();
  EXPECT_EQ(hits_seen, 4) << t.out;
  EXPECT_TRUE(exact_seen) << t.out;
}

TEST_F(CliSearch, AndRequiresEveryWordOrSaysItRelaxed) {
  // Only dt holds all four words: enough for -k 1.
  SearchRun r = Query("đô thị thông minh", "--and --json -k 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonIds(r), std::vector<std::string>{"dt"});
  EXPECT_TRUE(Has(r.out, "\"total_hits\":1,")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"relaxed\":false,")) << r.out;
  // Without --and the same query also finds documents holding some words.
  r = Query("đô thị thông minh", "--json");
  EXPECT_FALSE(Has(r.out, "\"total_hits\":1,")) << r.out;

  // "hà nội": three documents hold both words, enough for -k 2.
  r = Query("hà nội", "--and -k 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).at(0).rfind("3 hits (", 0), 0u) << r.out;
  EXPECT_FALSE(Has(r.out, "not all words in any")) << r.out;

  // No document holds all of "hà nội mùa khô": ranked OR instead, and the
  // count line says so.
  r = Query("hà nội mùa khô", "--and");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(Has(lines[0], " hits, not all words in any (")) << r.out;
  r = Query("hà nội mùa khô", "--and --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "\"relaxed\":true,")) << r.out;
  EXPECT_GE(JsonIds(r).size(), 4u) << r.out;
  // Not relaxed without --and.
  r = Query("hà nội mùa khô", "--json");
  EXPECT_TRUE(Has(r.out, "\"relaxed\":false,")) << r.out;
}

TEST_F(CliSearch, QueriesFileWritesARunFile) {
  const std::string tsv = dir_->Sub("queries.tsv");
  WriteTextFile(tsv, "q1\tha noi\r\n\nq2\tthuỷ lợi\nq3\tmá\n");
  SearchRun r = Search(idx_ + " --queries " + tsv + " -k 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  const char* qids[] = {"q1", "q1", "q2", "q2", "q3", "q3"};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string> f = Split(lines[i], '\t');
    ASSERT_EQ(f.size(), 4u) << lines[i];
    EXPECT_EQ(f[0], qids[i]);
    EXPECT_EQ(f[1], std::to_string(i % 2 + 1)) << r.out;
    EXPECT_FALSE(f[2].empty());
    EXPECT_GT(std::stod(f[3]), 0) << lines[i];
  }
  EXPECT_EQ(Split(lines[0], '\t')[2], "hn");
  EXPECT_EQ(Split(lines[4], '\t')[2], "ma1");
  // The same ranking as a single query.
  const std::vector<std::string> top = JsonIds(Query("thuỷ lợi", "--json -k 2"));
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(Split(lines[2], '\t')[2], top[0]);
  EXPECT_EQ(Split(lines[3], '\t')[2], top[1]);

  // Standard error: one JSON line of figures.
  ASSERT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_TRUE(ParseJson(r.err, &parser, &root));
  EXPECT_EQ(Num(root, "queries"), 3) << r.err;
  EXPECT_EQ(Num(root, "errors"), 0) << r.err;
  const double mean = Num(root, "mean_ms"), p50 = Num(root, "p50_ms"), p99 = Num(root, "p99_ms");
  EXPECT_GE(mean, 0) << r.err;
  EXPECT_GE(p50, 0) << r.err;
  EXPECT_GE(p99, p50) << r.err;

  // Ranks start at offset + 1.
  r = Search(idx_ + " --queries " + tsv + " -k 1 --offset 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Lines(r.out).size(), 3u) << r.out;
  EXPECT_EQ(Lines(r.out)[0], "q1\t2\t" + JsonIds(Query("ha noi", "--json -k 2")).at(1) + "\t" +
                                 Split(Lines(r.out)[0], '\t')[3]);
  for (const std::string& line : Lines(r.out)) EXPECT_EQ(Split(line, '\t').at(1), "2") << line;
}

TEST_F(CliSearch, QueriesFileReportsBadLinesAndGoesOn) {
  const std::string tsv = dir_->Sub("bad.tsv");
  WriteTextFile(tsv, "q1\tha noi\nno tab on this line\nq3\t-thủy\nq4\tmà\n");
  const SearchRun r = Search(idx_ + " --queries " + tsv + " -k 2");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(Has(r.err, tsv + ":2: ")) << r.err;
  EXPECT_TRUE(Has(r.err, tsv + ":3: ")) << r.err;  // a query with no word
  EXPECT_FALSE(Has(r.err, tsv + ":1:")) << r.err;
  EXPECT_FALSE(Has(r.err, tsv + ":4:")) << r.err;
  // The good lines still ran.
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0].rfind("q1\t1\t", 0), 0u) << r.out;
  EXPECT_EQ(lines[1].rfind("q1\t2\t", 0), 0u) << r.out;
  EXPECT_EQ(lines[2].rfind("q4\t1\tma2\t", 0), 0u) << r.out;
  EXPECT_EQ(lines[3].rfind("q4\t2\t", 0), 0u) << r.out;
  // The last line of standard error is the figures.
  const std::vector<std::string> err = Lines(r.err);
  ASSERT_FALSE(err.empty());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_TRUE(ParseJson(err.back(), &parser, &root));
  EXPECT_EQ(Num(root, "queries"), 2) << r.err;
  EXPECT_EQ(Num(root, "errors"), 2) << r.err;

  // A file that is not there.
  const SearchRun missing = Search(idx_ + " --queries " + dir_->Sub("nope.tsv"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_TRUE(Has(missing.err, dir_->Sub("nope.tsv"))) << missing.err;
}

TEST_F(CliSearch, ErrorsExitNonZeroWithAMessage) {
  // No index there.
  const std::string nowhere = dir_->Sub("no-such-index");
  SearchRun r = Search(nowhere + " 'ha noi'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Has(r.err, nowhere)) << r.err;
  EXPECT_TRUE(Has(r.err, "no such index directory")) << r.err;
  // A directory that holds no index.
  r = Search(dir_->path() + " 'ha noi'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "no tim index here")) << r.err;

  // Queries with no word to search for: nothing on standard output.
  for (const std::string& args :
       {Quote("   "), Quote("!!! ..."), Quote("NOT giá"), "-- " + Quote("-abc"),
        "-- " + Quote("-hà -nội"), "--json -k 2 -- " + Quote("-abc")}) {
    r = Search(idx_ + " " + args);
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_TRUE(Has(r.err, "no word to search for")) << args << ": " << r.err;
  }
  // The empty query: an error too (see the report: exit 2, "give either a
  // QUERY or --queries FILE", where docs/query.md says exit 1).
  r = Search(idx_ + " ''");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(r.err.empty());
  // Without "--", a leading '-' is taken for an option: a usage error.
  r = Search(idx_ + " " + Quote("-abc"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(r.err.empty());

  // Both a QUERY and --queries, or neither.
  const std::string tsv = dir_->Sub("one.tsv");
  WriteTextFile(tsv, "q1\tha noi\n");
  r = Search(idx_ + " 'ha noi' --queries " + tsv);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Has(r.err, "give either a QUERY or --queries FILE")) << r.err;
  r = Search(idx_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "give a QUERY, --queries FILE or --filter EXPR")) << r.err;

  // k + offset beyond the limit.
  r = Query("ha noi", "-k 10 --offset 9995");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "at most 10000")) << r.err;
}

TEST_F(CliSearch, MalformedQueriesRunWithANote) {
  SearchRun r = Query("\"hà nội");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).at(0),
            "Note: unbalanced quote at byte 0: the phrase runs to the end of the query")
      << r.out;
  EXPECT_TRUE(Has(r.out, "\n1. hn  (")) << r.out;

  r = Query("hà) nội");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).at(0), "Note: unbalanced ')' at byte 3 ignored") << r.out;
  EXPECT_TRUE(Has(r.out, "\n1. hn  (")) << r.out;

  // In JSON, the notes array.
  r = Query("(ha noi", "--json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_TRUE(ParseJson(r.out, &parser, &root));
  simdjson::dom::array notes;
  ASSERT_EQ(root["notes"].get_array().get(notes), simdjson::SUCCESS) << r.out;
  ASSERT_EQ(notes.size(), 1u) << r.out;
  std::string_view note;
  ASSERT_EQ(notes.at(0).get_string().get(note), simdjson::SUCCESS);
  EXPECT_EQ(note, "unbalanced '(' at byte 0: closed at the end");
}

}  // namespace
