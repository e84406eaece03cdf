// Queries built as objects (include/tim/query.h): they search as the
// strings that read the same do, print back to such strings, take weights
// and fields; QuoteText makes any text plain words; ForEachMatch walks every
// match past the 10,000 cap; MarkHighlights escapes through a hook.

#include <gmock/gmock.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "query/query_parser.h"
#include "search_test_util.h"

namespace tim::testing {
namespace {

// (id, score) of every hit, scores to the bit.
std::vector<std::pair<std::string, float>> Hits(const SearchResults& r) {
  std::vector<std::pair<std::string, float>> out;
  for (const Hit& h : r.hits) out.emplace_back(h.id, h.score);
  return out;
}

class QueryObjects : public ::testing::Test {
 protected:
  void SetUp() override {
    idx_.Add("dn", "Đà Nẵng đón khách", "Thành phố Đà Nẵng đón khách du lịch mùa hè");
    idx_.Add("hn", "Hà Nội mùa thu", "Hà Nội đón khách du lịch mùa thu, phố cổ đông vui");
    idx_.Add("qn", "Quảng Nam gieo lúa", "Nông dân Quảng Nam gieo giống lúa mới");
    idx_.Add("gi", "Giá vàng hôm nay", "Giá vàng trong nước tăng, người mua ở Hà Nội xếp hàng");
    idx_.Add("uo", "Thuở ấy", "Thuở ấy, người ta ướp cá bằng muối ở Đà Nẵng");
    idx_.Add("cv", "Covid-19", "Ca COVID-19 mới ở Hà Nội, TP.HCM");
    idx_.Commit();
  }
  SearchResults Run(const Query& q, SearchOptions o = {}) {
    SearchResults r;
    const Status s = idx_.searcher().Search(q, o, &r);
    EXPECT_TRUE(IsOk(s)) << q.ToString();
    return r;
  }
  SearchIndex idx_;
};

TEST_F(QueryObjects, BuiltQueriesSearchAsTheirStrings) {
  const std::vector<std::pair<Query, std::string>> cases = {
      {Query::Text("Đà Nẵng đón khách"), "Đà Nẵng đón khách"},
      {Query::Text("ha noi"), "ha noi"},
      {Query::And({Query::Word("hà"), Query::Word("nội")}), "hà AND nội"},
      {Query::Or({Query::Word("lúa"), Query::Word("vàng")}), "lúa OR vàng"},
      {Query::Phrase("đà nẵng", "title"), "title:\"đà nẵng\""},
      {Query::Phrase("Đà Nẵng"), "\"Đà Nẵng\""},
      {Query::Prefix("gi"), "gi*"},
      {Query::Word("covid-19"), "covid-19"},
      {Query::Text("du lịch").MustNot(Query::Word("Hà")), "du lịch -Hà"},
      {Query::Text("ha noi").Must(Query::Word("vàng", "body")), "ha noi +body:vàng"},
      {Query::And({Query::Word("thuở"), Query::Or({Query::Word("ướp"), Query::Word("mua")})}),
       "thuở AND (ướp OR mua)"},
  };
  for (const auto& [query, text] : cases) {
    EXPECT_EQ(Hits(Run(query)), Hits(idx_.Search(text))) << text;
    // Its string form reads back to a query that searches the same.
    EXPECT_EQ(Hits(Run(idx_.searcher().Parse(query.ToString()))), Hits(Run(query)))
        << text << " printed " << query.ToString();
    // Parsing the string gives objects that search as the string.
    EXPECT_EQ(Hits(Run(idx_.searcher().Parse(text))), Hits(idx_.Search(text))) << text;
  }
  EXPECT_EQ(Query::And({Query::Word("hà"), Query::Word("nội")}).ToString(), "hà AND nội");
  EXPECT_EQ(Query::Phrase("đà nẵng", "title").ToString(), "title:\"đà nẵng\"");
  EXPECT_EQ(Query::Text("du lịch").MustNot(Query::Word("Hà")).ToString(), "du lịch -Hà");
}

TEST_F(QueryObjects, DefaultAndRequiresTheWordsOfASequence) {
  SearchOptions o;
  o.default_operator = DefaultOperator::kAnd;
  o.k = 2;
  for (const char* text : {"ha noi du lich", "đón khách mùa hè", "gieo lua quang nam"}) {
    const SearchResults built = Run(Query::Text(text), o);
    const SearchResults typed = idx_.Search(text, o);
    EXPECT_EQ(Hits(built), Hits(typed)) << text;
    EXPECT_EQ(built.relaxed, typed.relaxed) << text;
  }
}

TEST_F(QueryObjects, SuggestionRewritesTheBuiltQuery) {
  const SearchResults r = Run(Query::Text("gia vang"));
  EXPECT_EQ(r.suggestion, "giá vàng");
}

TEST_F(QueryObjects, WeightScalesTheScoreUnderIt) {
  const SearchResults plain = Run(Query::Word("khách"));
  const SearchResults doubled = Run(Query::Word("khách").Weighted(2));
  ASSERT_EQ(plain.hits.size(), 2u);
  ASSERT_EQ(doubled.hits.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(doubled.hits[i].id, plain.hits[i].id);
    EXPECT_NEAR(doubled.hits[i].score, 2 * plain.hits[i].score, 1e-4 * plain.hits[i].score);
  }
  // A weight on one clause moves the documents it matches up.
  const Query favour_rice =
      Query::Or({Query::Word("khách"), Query::Word("lúa").Weighted(50), Query::Word("vàng")});
  EXPECT_EQ(Run(favour_rice).hits[0].id, "qn");
  const Query favour_gold =
      Query::Or({Query::Word("khách"), Query::Word("lúa"), Query::Word("vàng").Weighted(50)});
  EXPECT_EQ(Run(favour_gold).hits[0].id, "gi");
}

TEST_F(QueryObjects, ABoolsFieldAppliesToItsClauses) {
  // "mùa" is in the titles of hn only; in the bodies of dn and hn.
  Query title = Query::Or({Query::Word("mùa"), Query::Word("đón")});
  title.field = "title";
  std::set<std::string> ids;
  for (const Hit& h : Run(title).hits) ids.insert(h.id);
  EXPECT_EQ(ids, (std::set<std::string>{"dn", "hn"}));
  title.clauses[1].second.field = "body";  // its own field wins
  EXPECT_EQ(Run(title).total_hits, 2u);
  Query only_title = Query::Word("mùa");
  only_title.field = "title";
  EXPECT_EQ(Run(only_title).total_hits, 1u);
}

TEST_F(QueryObjects, QueriesPastTheLimitsAreRefused) {
  SearchResults r;
  const Searcher& s = idx_.searcher();
  for (float w : {0.0f, -1.0f, NAN, INFINITY}) {
    EXPECT_TRUE(s.Search(Query::Word("hà").Weighted(w), {}, &r).IsInvalidArgument()) << w;
  }
  Query deep = Query::Word("hà");
  for (int i = 0; i < 40; ++i) deep = Query::And({deep});
  EXPECT_TRUE(s.Search(deep, {}, &r).IsInvalidArgument());
  std::vector<Query> many(1100, Query::Word("hà"));
  EXPECT_TRUE(s.Search(Query::Or(many), {}, &r).IsInvalidArgument());
  EXPECT_TRUE(s.Search(Query(), {}, &r).IsInvalidArgument());  // nothing to search
  EXPECT_TRUE(s.Search(Query::Text("-- ( ) \"\" * && ||"), {}, &r).IsInvalidArgument());
  // Only an exclusion.
  EXPECT_TRUE(s.Search(Query::Or({}).MustNot(Query::Word("hà")), {}, &r).IsInvalidArgument());
}

// QuoteText: whatever the input, the parser reads plain words, the same
// words the analyzer finds in the raw text (the oracle: the analyzer alone).
TEST(QuoteText, AnyTextReadsAsItsPlainWords) {
  EXPECT_EQ(QuoteText("title:\"Hà Nội\" AND (giá OR vàng*) -cũ +mới"),
            "title Hà Nội and giá or vàng cũ mới");
  EXPECT_EQ(QuoteText("covid-19 TP.HCM 10:30 C++"), "covid-19 TP.HCM 10:30 C++");
  EXPECT_EQ(QuoteText("&& || NOT"), "not");
  const std::vector<std::string> parts = {
      "Hà", "Nội", "gi",     "quốc",   "thuở", "ướp", "Đà",  "covid-19", "\"",  "(",   ")",   "+",
      "-",  "*",   "title:", "body:",  "AND",  "OR",  "NOT", "&&",       "||",  "x:y", "ha*", "-5",
      " ",  "  ",  "\t",     "TP.HCM", "+-+",  "**",  ":",   "title:-",  "Nfd", "qu"};
  std::mt19937 rng(7);
  query::ParseOptions po;
  po.fields = {"title", "body", "x"};
  for (int round = 0; round < 2000; ++round) {
    std::string raw;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      std::string p = parts[rng() % parts.size()];
      if (p == "Nfd") p = Nfd("Đường hoà");
      raw += p;
      if (rng() % 2) raw += ' ';
    }
    const std::string quoted = QuoteText(raw);
    const query::ParsedQuery parsed = query::ParseQuery(quoted, po);
    EXPECT_TRUE(parsed.notes.empty()) << raw << " -> " << quoted << ": " << parsed.notes[0];
    const Query& q = parsed.root;
    // Only words, side by side, none required, excluded, prefixed or fielded.
    std::vector<const Query*> leaves;
    if (q.kind == Query::Kind::kBool) {
      EXPECT_TRUE(q.clauses.empty() || q.sequence) << raw;
      for (const auto& [occur, c] : q.clauses) {
        EXPECT_EQ(occur, Occur::kShould) << raw;
        leaves.push_back(&c);
      }
    } else {
      leaves.push_back(&q);
    }
    for (const Query* l : leaves) {
      EXPECT_EQ(l->kind, Query::Kind::kWord) << raw;
      EXPECT_FALSE(l->prefix) << raw;
      EXPECT_TRUE(l->field.empty()) << raw;
    }
    EXPECT_EQ(Folded(quoted), Folded(raw)) << raw << " -> " << quoted;
    // Query::Text is the same reading.
    EXPECT_EQ(Query::Text(raw).ToString(), q.ToString()) << raw;
  }
}

TEST_F(QueryObjects, ForEachMatchWalksEveryMatchWithItsScore) {
  const Searcher& s = idx_.searcher();
  std::map<std::string, float> seen;
  ASSERT_TRUE(IsOk(s.ForEachMatch(Query::Text("ha noi"), DefaultOperator::kOr,
                                  [&](std::string_view id, float score) {
                                    EXPECT_TRUE(seen.emplace(std::string(id), score).second);
                                    return true;
                                  })));
  const SearchResults top = idx_.Search("ha noi");
  ASSERT_EQ(seen.size(), top.total_hits);
  for (const Hit& h : top.hits) EXPECT_EQ(seen.at(h.id), h.score) << h.id;
  int calls = 0;
  ASSERT_TRUE(IsOk(s.ForEachMatch(Query::Word("mùa"), DefaultOperator::kOr,
                                  [&](std::string_view, float) { return ++calls < 1; })));
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(s.ForEachMatch(Query(), DefaultOperator::kOr, [](std::string_view, float) {
                 return true;
               }).IsInvalidArgument());
}

// Past the 10,000 hits Search can page to, over several segments and with
// deletions: every live match, once.
TEST(ForEachMatch, IsNotCapped) {
  SearchIndex idx;
  const int n = 10200;
  for (int i = 0; i < n; ++i) {
    idx.Add("d" + std::to_string(i), "", "tin số " + std::to_string(i) + " ở Đà Nẵng");
    if (i == n / 2) idx.Commit();
  }
  idx.Delete("d7");
  idx.Delete("d9000");
  idx.Commit();
  std::set<std::string> ids;
  std::uint64_t calls = 0;
  ASSERT_TRUE(IsOk(idx.searcher().ForEachMatch(Query::Text("da nang"), DefaultOperator::kAnd,
                                               [&](std::string_view id, float score) {
                                                 ++calls;
                                                 EXPECT_GT(score, 0);
                                                 ids.insert(std::string(id));
                                                 return true;
                                               })));
  EXPECT_EQ(calls, static_cast<std::uint64_t>(n - 2));
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(n - 2));
  EXPECT_EQ(ids.count("d7"), 0u);
  EXPECT_EQ(ids.count("d10199"), 1u);
}

TEST(MarkHighlights, EscapesTheTextNotTheMarks) {
  Hit hit;
  hit.snippet = "a<b> & Hà Nội";
  hit.highlights = {{7, 10}, {11, 16}};  // "Hà", "Nội"
  const auto html = [](std::string_view text, std::string* out) {
    for (char c : text) {
      if (c == '<') {
        *out += "&lt;";
      } else if (c == '>') {
        *out += "&gt;";
      } else if (c == '&') {
        *out += "&amp;";
      } else {
        *out += c;
      }
    }
  };
  EXPECT_EQ(MarkHighlights(hit, "<em>", "</em>", html),
            "a&lt;b&gt; &amp; <em>Hà</em> <em>Nội</em>");
  EXPECT_EQ(MarkHighlights(hit, "[", "]"), "a<b> & [Hà] [Nội]");
}

}  // namespace
}  // namespace tim::testing
