// The query-language parser (src/query/query_parser.h): structure, operator
// precedence, fields, and how malformed or oversized input is read.
#include "query/query_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace tim::query {
namespace {

ParseOptions Options(bool default_and = false) {
  ParseOptions o;
  o.default_and = default_and;
  o.fields = {"title", "body"};
  return o;
}

ParsedQuery Parse(std::string_view q, bool default_and = false) {
  return ParseQuery(q, Options(default_and));
}

// The canonical form of a query parsed with the sample corpus's fields.
std::string Debug(std::string_view q, bool default_and = false) {
  return DebugString(Parse(q, default_and).root);
}

std::string Notes(const ParsedQuery& p) {
  std::string s;
  for (const std::string& n : p.notes) s += "[" + n + "]";
  return s;
}

bool HasNote(const ParsedQuery& p, std::string_view part) {
  for (const std::string& n : p.notes) {
    if (n.find(part) != std::string::npos) return true;
  }
  return false;
}

// Words and phrases in the tree.
// Words and phrases (a filter holds no word).
std::size_t CountLeaves(const Node& n) {
  if (n.kind == Node::Kind::kFilter) return 0;
  if (n.kind != Node::Kind::kBool) return 1;
  std::size_t c = 0;
  for (const auto& clause : n.clauses) c += CountLeaves(clause.second);
  return c;
}

std::size_t Depth(const Node& n) {
  std::size_t d = 0;
  for (const auto& clause : n.clauses) d = std::max(d, Depth(clause.second));
  return d + 1;
}

TEST(QueryParser, OneWordIsAWordNode) {
  const ParsedQuery p = Parse("giá");
  EXPECT_FALSE(p.empty);
  EXPECT_TRUE(p.notes.empty());
  EXPECT_EQ(p.root.kind, Node::Kind::kWord);
  EXPECT_EQ(p.root.text, "giá");
  EXPECT_EQ(p.root.offset, 0u);
  EXPECT_FALSE(p.root.prefix);
  EXPECT_EQ(p.root.field, "");
  EXPECT_EQ(DebugString(p.root), "giá");
}

TEST(QueryParser, JuxtaposedWordsAreOptionalByDefault) {
  const ParsedQuery p = Parse("hà nội thông minh");
  EXPECT_EQ(DebugString(p.root), "(hà nội thông minh)");
  EXPECT_FALSE(p.empty);
  EXPECT_TRUE(p.notes.empty()) << Notes(p);
  ASSERT_EQ(p.root.kind, Node::Kind::kBool);
  EXPECT_TRUE(p.root.sequence);
  ASSERT_EQ(p.root.clauses.size(), 4u);
  for (const auto& [occur, child] : p.root.clauses) {
    EXPECT_EQ(occur, Occur::kShould);
    EXPECT_EQ(child.kind, Node::Kind::kWord);
  }
  // Offsets are bytes of the raw query.
  EXPECT_EQ(p.root.clauses[1].second.text, "nội");
  EXPECT_EQ(p.root.clauses[1].second.offset, std::string("hà ").size());
  // Any whitespace separates words.
  EXPECT_EQ(Debug("  hà\tnội\n\r thủy  lợi  "), "(hà nội thủy lợi)");
}

TEST(QueryParser, DefaultAndRequiresEveryWord) {
  EXPECT_EQ(Debug("hà nội", true), "(+hà +nội)");
  EXPECT_EQ(Debug("giá", true), "giá");
  EXPECT_EQ(Debug("hà -nội giá", true), "(+hà -nội +giá)");
  EXPECT_EQ(Debug("\"đô thị\" thông minh", true), "(+\"đô thị\" +thông +minh)");
  // OR still offers alternatives; each side requires its own words.
  EXPECT_EQ(Debug("hà nội OR quốc gia", true), "((+hà +nội) (+quốc +gia))");
  const ParsedQuery p = Parse("hà nội", true);
  EXPECT_TRUE(p.root.sequence);
  EXPECT_FALSE(p.empty);
}

TEST(QueryParser, Phrases) {
  const ParsedQuery p = Parse("\"đô thị\" thông minh");
  EXPECT_EQ(DebugString(p.root), "(\"đô thị\" thông minh)");
  EXPECT_TRUE(p.notes.empty()) << Notes(p);
  const Node& phrase = p.root.clauses[0].second;
  EXPECT_EQ(phrase.kind, Node::Kind::kPhrase);
  EXPECT_EQ(phrase.text, "đô thị");
  EXPECT_EQ(phrase.offset, 1u);  // after the quote
  EXPECT_EQ(p.root.clauses[1].second.offset, std::string("\"đô thị\" ").size());
  // A lone phrase is the root itself; its text is kept as typed.
  const ParsedQuery one = Parse("\"Thủy  lợi\"");
  EXPECT_EQ(one.root.kind, Node::Kind::kPhrase);
  EXPECT_EQ(one.root.text, "Thủy  lợi");
  // A quote ends a word and starts a phrase without a space.
  EXPECT_EQ(Debug("giá\"quốc gia\"hà"), "(giá \"quốc gia\" hà)");
  // An empty phrase is nothing.
  const ParsedQuery empty = Parse("\"\"");
  EXPECT_TRUE(empty.empty);
  EXPECT_EQ(DebugString(empty.root), "()");
  EXPECT_EQ(Debug("\"  \" giá"), "giá");
}

TEST(QueryParser, MustAndExclude) {
  const ParsedQuery p = Parse("+hà -nội giá");
  EXPECT_EQ(DebugString(p.root), "(+hà -nội giá)");
  EXPECT_FALSE(p.empty);
  EXPECT_TRUE(p.notes.empty()) << Notes(p);
  ASSERT_EQ(p.root.clauses.size(), 3u);
  EXPECT_EQ(p.root.clauses[0].first, Occur::kMust);
  EXPECT_EQ(p.root.clauses[1].first, Occur::kMustNot);
  EXPECT_EQ(p.root.clauses[1].second.text, "nội");  // the operator is not part of the word
  EXPECT_EQ(p.root.clauses[2].first, Occur::kShould);
  EXPECT_EQ(Debug("+\"đô thị\" -\"quốc gia\""), "(+\"đô thị\" -\"quốc gia\")");
  EXPECT_EQ(Debug("+(hà nội) -(thủy lợi)"), "(+(hà nội) -(thủy lợi))");
  EXPECT_EQ(Debug("hà NOT nội"), "(hà -nội)");
  // A lone '+word' is the word itself.
  EXPECT_EQ(Debug("+giá"), "giá");
}

TEST(QueryParser, OperatorsAreUpperCaseWords) {
  EXPECT_EQ(Debug("quốc AND gia"), "(+quốc +gia)");
  EXPECT_EQ(Debug("quốc && gia"), "(+quốc +gia)");
  EXPECT_EQ(Debug("hà || nội"), "(hà nội)");
  EXPECT_FALSE(Parse("hà || nội").root.sequence);
  // Lower case (or Vietnamese) and/or/not are plain words.
  EXPECT_EQ(Debug("hà and nội or giá not thủy"), "(hà and nội or giá not thủy)");
  EXPECT_EQ(Debug("ANDROID ORDER NOTE"), "(ANDROID ORDER NOTE)");
}

TEST(QueryParser, OrBindsLoosestAndChainsTighterThanJuxtaposition) {
  // OR separates sequences.
  const ParsedQuery p = Parse("hà nội OR đô thị");
  EXPECT_EQ(DebugString(p.root), "((hà nội) (đô thị))");
  EXPECT_FALSE(p.root.sequence);  // an OR, not juxtaposed words
  EXPECT_TRUE(p.root.clauses[0].second.sequence);
  // An AND chain is one clause of its sequence.
  EXPECT_EQ(Debug("quốc AND gia thủy lợi"), "((+quốc +gia) thủy lợi)");
  EXPECT_EQ(Debug("thủy quốc AND gia lợi"), "(thủy (+quốc +gia) lợi)");
  EXPECT_EQ(Debug("hà OR nội AND giá"), "(hà (+nội +giá))");
  EXPECT_EQ(Debug("quốc AND gia OR thủy AND lợi"), "((+quốc +gia) (+thủy +lợi))");
  EXPECT_EQ(Debug("hà nội OR đô thị AND thông minh"), "((hà nội) (đô (+thị +thông) minh))");
  EXPECT_EQ(Debug("hà AND nội AND giá"), "(+hà +nội +giá)");
  EXPECT_EQ(Debug("hà OR nội OR giá"), "(hà nội giá)");
  // NOT (or '-') after AND excludes that operand; twice cancels.
  EXPECT_EQ(Debug("hà AND NOT nội"), "(+hà -nội)");
  EXPECT_EQ(Debug("hà AND -nội"), "(+hà -nội)");
  EXPECT_EQ(Debug("hà AND NOT NOT nội"), "(+hà +nội)");
  EXPECT_EQ(Debug("hà AND NOT nội giá"), "((+hà -nội) giá)");
  EXPECT_FALSE(Parse("quốc AND gia").root.sequence);
}

TEST(QueryParser, ExclusionBeforeAnAndChainExcludesItsFirstOperand) {
  // NOT a AND b is (NOT a) AND b, as after AND: not NOT (a AND b), which
  // would leave the query with no word to search for.
  const ParsedQuery p = Parse("NOT quốc AND gia");
  EXPECT_EQ(DebugString(p.root), "(-quốc +gia)");
  EXPECT_FALSE(p.empty);
  EXPECT_EQ(Debug("-giá AND hà"), "(-giá +hà)");
  EXPECT_EQ(Debug("-giá AND hà nội"), "((-giá +hà) nội)");
  EXPECT_EQ(Debug("-giá AND hà", true), "(-giá +hà)");
  EXPECT_EQ(Debug("thủy -giá AND hà", true), "(+thủy +(-giá +hà))");
  EXPECT_EQ(Debug("+quốc AND gia"), "(+quốc +gia)");
  EXPECT_EQ(Debug("+quốc AND gia lợi"), "(+(+quốc +gia) lợi)");
  const ParsedQuery none = Parse("-giá AND -hà");
  EXPECT_EQ(DebugString(none.root), "(-giá -hà)");
  EXPECT_TRUE(none.empty);
}

TEST(QueryParser, Parentheses) {
  EXPECT_EQ(Debug("(hà nội) OR giá"), "((hà nội) giá)");
  EXPECT_EQ(Debug("(hà OR nội) giá"), "((hà nội) giá)");
  EXPECT_EQ(Debug("((đô thị) thông minh) -giá"), "(((đô thị) thông minh) -giá)");
  EXPECT_EQ(Debug("(quốc AND (gia OR thủy)) lợi"), "((+quốc +(gia thủy)) lợi)");
  EXPECT_EQ(Debug("-(hà nội) giá"), "(-(hà nội) giá)");
  EXPECT_EQ(Debug("(((giá)))"), "giá");
  EXPECT_EQ(Debug("hà(nội)giá"), "(hà nội giá)");
  const ParsedQuery empty = Parse("( )");
  EXPECT_TRUE(empty.empty);
  EXPECT_EQ(DebugString(empty.root), "()");
  const ParsedQuery p = Parse("(hà nội) (thủy lợi)");
  EXPECT_EQ(DebugString(p.root), "((hà nội) (thủy lợi))");
  EXPECT_TRUE(p.notes.empty()) << Notes(p);
}

TEST(QueryParser, UnbalancedParenthesesAreReadAndNoted) {
  ParsedQuery p = Parse("(hà nội");
  EXPECT_EQ(DebugString(p.root), "(hà nội)");
  ASSERT_EQ(p.notes.size(), 1u) << Notes(p);
  EXPECT_EQ(p.notes[0], "unbalanced '(' at byte 0: closed at the end");

  p = Parse("hà) nội");
  EXPECT_EQ(DebugString(p.root), "(hà nội)");
  ASSERT_EQ(p.notes.size(), 1u) << Notes(p);
  EXPECT_EQ(p.notes[0], "unbalanced ')' at byte 3 ignored");  // "hà" is 3 bytes

  p = Parse("((thủy lợi");
  EXPECT_EQ(DebugString(p.root), "(thủy lợi)");
  EXPECT_EQ(p.notes.size(), 2u) << Notes(p);

  p = Parse("(hà OR (nội giá");
  EXPECT_EQ(DebugString(p.root), "(hà (nội giá))");
  EXPECT_EQ(p.notes.size(), 2u) << Notes(p);

  p = Parse(")) giá");
  EXPECT_EQ(DebugString(p.root), "giá");
  EXPECT_EQ(p.notes.size(), 2u) << Notes(p);

  // The parts around a stray ')' both count, as juxtaposed words do.
  p = Parse("(hà nội)) giá", true);
  EXPECT_EQ(DebugString(p.root), "(+(+hà +nội) +giá)");
  EXPECT_TRUE(HasNote(p, "unbalanced ')' at byte")) << Notes(p);
}

TEST(QueryParser, FieldsOfTheIndex) {
  ParsedQuery p = Parse("title:hà body:\"đô thị\"");
  EXPECT_EQ(DebugString(p.root), "(title:hà body:\"đô thị\")");
  EXPECT_TRUE(p.notes.empty()) << Notes(p);
  EXPECT_EQ(p.root.clauses[0].second.field, "title");
  EXPECT_EQ(p.root.clauses[0].second.text, "hà");
  EXPECT_EQ(p.root.clauses[0].second.offset, std::string("title:").size());
  EXPECT_EQ(p.root.clauses[1].second.kind, Node::Kind::kPhrase);
  EXPECT_EQ(p.root.clauses[1].second.field, "body");
  EXPECT_EQ(p.root.clauses[1].second.text, "đô thị");

  // A field applies to every word of a group, unless one names its own.
  EXPECT_EQ(Debug("title:(thủy lợi) giá"), "((title:thủy title:lợi) giá)");
  EXPECT_EQ(Debug("title:(hà body:nội)"), "(title:hà body:nội)");
  EXPECT_EQ(Debug("title:body:giá"), "body:giá");
  EXPECT_EQ(Debug("+title:hà -body:giá"), "(+title:hà -body:giá)");
  EXPECT_EQ(Debug("title:ha*"), "title:ha*");
  EXPECT_EQ(Debug("quốc AND title:gia"), "(+quốc +title:gia)");
}

TEST(QueryParser, UnknownFieldPrefixIsAPlainWord) {
  ParsedQuery p = Parse("10:30");
  EXPECT_EQ(p.root.kind, Node::Kind::kWord);
  EXPECT_EQ(p.root.text, "10:30");
  EXPECT_EQ(p.root.field, "");
  EXPECT_TRUE(p.notes.empty());

  p = Parse("foo:bar");
  EXPECT_EQ(p.root.kind, Node::Kind::kWord);
  EXPECT_EQ(p.root.text, "foo:bar");
  EXPECT_EQ(p.root.field, "");

  EXPECT_EQ(Debug("lúc 10:30 foo:\"bar\""), "(lúc 10:30 foo: \"bar\")");
  EXPECT_EQ(Debug("Title:hà"), "Title:hà");      // field names are case-sensitive
  EXPECT_EQ(Debug("title: hà"), "(title: hà)");  // nothing right after the colon
  EXPECT_EQ(Debug("https://vnexpress.net"), "https://vnexpress.net");
  // Without the field in ParseOptions::fields, "title:" is text too.
  ParseOptions no_fields;
  EXPECT_EQ(DebugString(ParseQuery("title:hà", no_fields).root), "title:hà");
  EXPECT_EQ(ParseQuery("title:hà", no_fields).root.field, "");
}

TEST(QueryParser, Prefix) {
  ParsedQuery p = Parse("ha*");
  EXPECT_EQ(p.root.kind, Node::Kind::kWord);
  EXPECT_EQ(p.root.text, "ha");
  EXPECT_TRUE(p.root.prefix);
  EXPECT_EQ(DebugString(p.root), "ha*");
  EXPECT_TRUE(p.notes.empty());
  EXPECT_EQ(Debug("thông min*"), "(thông min*)");
  EXPECT_EQ(Debug("thủ**"), "thủ*");
  EXPECT_EQ(Debug("-gi*"), "(-gi*)");
  // A '*' that does not end a word is text.
  p = Parse("*ha");
  EXPECT_EQ(p.root.text, "*ha");
  EXPECT_FALSE(p.root.prefix);
}

TEST(QueryParser, LoneOperatorsAreIgnoredWithANote) {
  ParsedQuery p = Parse("hà - nội +");
  EXPECT_EQ(DebugString(p.root), "(hà nội)");
  ASSERT_EQ(p.notes.size(), 2u) << Notes(p);
  EXPECT_EQ(p.notes[0], "lone '-' at byte 4 ignored");
  EXPECT_EQ(p.notes[1], "lone '+' at byte 12 ignored");

  p = Parse("-");
  EXPECT_TRUE(p.empty);
  EXPECT_EQ(DebugString(p.root), "()");
  EXPECT_EQ(p.notes.size(), 1u);
  p = Parse("+");
  EXPECT_TRUE(p.empty);
  EXPECT_EQ(p.notes.size(), 1u);
  p = Parse("(hà -)");
  EXPECT_EQ(DebugString(p.root), "hà");
  EXPECT_TRUE(HasNote(p, "lone '-'")) << Notes(p);

  p = Parse("*");
  EXPECT_TRUE(p.empty);
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_EQ(p.notes[0], "'*' without a word before it at byte 0 ignored");
  p = Parse("hà ** nội");
  EXPECT_EQ(DebugString(p.root), "(hà nội)");
  EXPECT_EQ(p.notes.size(), 1u) << Notes(p);
}

TEST(QueryParser, DanglingWordOperatorsAreIgnoredWithANote) {
  struct Case {
    const char* query;
    const char* reading;
    const char* note;  // the one note expected ("" when only counted)
  };
  const Case cases[] = {
      {"hà AND", "hà", "'AND' at byte 4 has nothing after it: ignored"},
      {"AND hà", "hà", "'AND' at byte 0 has nothing before it: ignored"},
      {"hà OR", "hà", "'OR' at byte 4 has nothing after it: ignored"},
      {"OR hà", "hà", "'OR' at byte 0 has nothing before it: ignored"},
      {"hà OR OR nội", "(hà nội)", ""},
      {"hà AND AND nội", "(+hà +nội)", "'AND' at byte 8 ignored"},
      {"giá NOT", "giá", "'NOT' at byte 5 has nothing after it: ignored"},
  };
  for (const Case& c : cases) {
    const ParsedQuery p = Parse(c.query);
    EXPECT_EQ(DebugString(p.root), c.reading) << c.query;
    ASSERT_EQ(p.notes.size(), 1u) << c.query << ": " << Notes(p);
    if (*c.note != '\0') {
      EXPECT_EQ(p.notes[0], c.note) << c.query;
    }
  }

  ParsedQuery p = Parse("NOT");
  EXPECT_TRUE(p.empty);
  EXPECT_EQ(p.notes.size(), 1u) << Notes(p);
  p = Parse("(hà AND) nội");
  EXPECT_EQ(DebugString(p.root), "(hà nội)");
  EXPECT_EQ(p.notes.size(), 1u) << Notes(p);
  p = Parse("title:OR giá");
  EXPECT_EQ(DebugString(p.root), "giá");
  EXPECT_TRUE(HasNote(p, "'title:' at byte 0 has nothing after it")) << Notes(p);
}

TEST(QueryParser, HyphenInsideAWordIsNotAnOperator) {
  ParsedQuery p = Parse("covid-19");
  EXPECT_EQ(p.root.kind, Node::Kind::kWord);
  EXPECT_EQ(p.root.text, "covid-19");
  EXPECT_TRUE(p.notes.empty());
  EXPECT_EQ(Debug("vắc-xin covid-19 TP.HCM"), "(vắc-xin covid-19 TP.HCM)");
  EXPECT_EQ(Debug("a+b"), "a+b");
  // At the start of a word it is one.
  p = Parse("-covid-19 giá");
  EXPECT_EQ(DebugString(p.root), "(-covid-19 giá)");
  EXPECT_EQ(p.root.clauses[0].first, Occur::kMustNot);
  EXPECT_EQ(p.root.clauses[0].second.text, "covid-19");
  // After a closing quote or parenthesis too.
  EXPECT_EQ(Debug("\"hà nội\"-giá"), "(\"hà nội\" -giá)");
  p = Parse("(hà nội)-giá");
  EXPECT_EQ(DebugString(p.root), "((hà nội) -giá)");
  EXPECT_EQ(p.root.clauses[1].first, Occur::kMustNot);
  EXPECT_EQ(p.root.clauses[1].second.text, "giá");
}

TEST(QueryParser, UnbalancedQuoteRunsToTheEnd) {
  ParsedQuery p = Parse("\"hà nội");
  EXPECT_EQ(p.root.kind, Node::Kind::kPhrase);
  EXPECT_EQ(p.root.text, "hà nội");
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_EQ(p.notes[0], "unbalanced quote at byte 0: the phrase runs to the end of the query");

  // Operators inside it are text.
  p = Parse("giá \"đô thị (thông OR minh");
  EXPECT_EQ(DebugString(p.root), "(giá \"đô thị (thông OR minh\")");
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_EQ(p.notes[0], "unbalanced quote at byte 5: the phrase runs to the end of the query");

  p = Parse("\"");
  EXPECT_TRUE(p.empty);
  EXPECT_EQ(p.notes.size(), 1u);
  EXPECT_EQ(Debug("\"a\" \"b\" \"c"), "(\"a\" \"b\" \"c\")");
}

TEST(QueryParser, LongQueryKeepsItsFirstWords) {
  std::string q;
  const char* words[] = {"hà", "nội", "đô", "thị", "thông", "minh", "thủy", "lợi", "quốc", "gia"};
  for (int i = 0; i < 10000; ++i) {
    q += words[i % 10];
    q += ' ';
  }
  const auto t0 = std::chrono::steady_clock::now();
  const ParsedQuery p = Parse(q);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, std::chrono::seconds(2));
  EXPECT_FALSE(p.empty);
  ASSERT_EQ(p.root.kind, Node::Kind::kBool);
  ASSERT_EQ(p.root.clauses.size(), 64u);
  EXPECT_EQ(p.root.clauses[0].second.text, "hà");
  EXPECT_EQ(p.root.clauses[63].second.text, "thị");  // words[63 % 10]
  ASSERT_EQ(p.notes.size(), 1u) << Notes(p);
  EXPECT_EQ(p.notes[0], "query cut to its first 64 words");

  // Exactly 64 words: nothing cut.
  std::string q64;
  for (int i = 0; i < 64; ++i) q64 += "giá ";
  const ParsedQuery p64 = Parse(q64);
  EXPECT_EQ(p64.root.clauses.size(), 64u);
  EXPECT_TRUE(p64.notes.empty()) << Notes(p64);

  // A long phrase counts its words and is cut at the limit.
  const ParsedQuery phrase = Parse("\"" + q + "\"");
  EXPECT_EQ(phrase.root.kind, Node::Kind::kPhrase);
  std::size_t spaces = 0;
  for (char c : phrase.root.text) spaces += c == ' ';
  EXPECT_EQ(spaces, 63u);
  EXPECT_EQ(phrase.notes.size(), 1u);

  ParseOptions three = Options();
  three.max_words = 3;
  const ParsedQuery cut = ParseQuery("hà nội \"đô thị thông minh\" giá", three);
  EXPECT_EQ(DebugString(cut.root), "(hà nội \"đô\")");
  EXPECT_EQ(cut.notes.size(), 1u) << Notes(cut);
}

TEST(QueryParser, OnlyExclusionsIsEmpty) {
  ParsedQuery p = Parse("-hà -nội");
  EXPECT_TRUE(p.empty);
  EXPECT_EQ(DebugString(p.root), "(-hà -nội)");
  EXPECT_TRUE(p.notes.empty());
  EXPECT_TRUE(Parse("NOT giá").empty);
  EXPECT_TRUE(Parse("-\"đô thị\" -(quốc gia)").empty);
  EXPECT_TRUE(Parse("-hà -nội", true).empty);
  EXPECT_TRUE(Parse("-hà OR -nội").empty);
  EXPECT_FALSE(Parse("-hà nội").empty);
  EXPECT_FALSE(Parse("-hà OR nội").empty);
}

// {…} is a filter on typed fields: its text as written up to the first '}'
// outside its quotes, at the start of a token or after + or -.
TEST(QueryParser, BracesHoldFilters) {
  ParsedQuery p = ParseQuery("bóng đá {category = \"Thể thao\"}", Options());
  EXPECT_EQ(DebugString(p.root), "(bóng đá {category = \"Thể thao\"})");
  EXPECT_TRUE(p.notes.empty());
  p = ParseQuery("-{tags IN ['a}', \"ươ}\\\"\"]} giá", Options());
  EXPECT_EQ(DebugString(p.root), "(-{tags IN ['a}', \"ươ}\\\"\"]} giá)");
  p = ParseQuery("hà nội AND {price > 5}", Options());
  EXPECT_EQ(DebugString(p.root), "(hà (+nội +{price > 5}))");  // AND binds first
  // Inside a word a brace is a character of it; title: does not apply.
  p = ParseQuery("a{b} title:{price > 5}", Options());
  EXPECT_EQ(DebugString(p.root), "(a{b} {price > 5})");
  // Unbalanced: the filter runs to the end, noted.
  p = ParseQuery("hà {published >= 2017", Options());
  EXPECT_EQ(DebugString(p.root), "(hà {published >= 2017})");
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("unbalanced '{' at byte 4"), std::string::npos) << p.notes[0];
  // A filter alone holds no word but is not empty.
  p = ParseQuery("{price > 5}", Options());
  EXPECT_EQ(p.root.kind, Node::Kind::kFilter);
  EXPECT_FALSE(p.empty);
}

TEST(QueryParser, EmptyAndBlankQueries) {
  for (std::string_view q : {"", " ", "   \t\n\r  ", "()", "( ( ) )"}) {
    const ParsedQuery p = Parse(q);
    EXPECT_TRUE(p.empty) << "'" << q << "'";
    EXPECT_EQ(DebugString(p.root), "()") << "'" << q << "'";
    EXPECT_TRUE(p.notes.empty()) << "'" << q << "': " << Notes(p);
  }
}

TEST(QueryParser, DeepNestingIsBoundedAndNoted) {
  const std::string q = std::string(100, '(') + "hà nội" + std::string(100, ')');
  ParsedQuery p = Parse(q);
  EXPECT_EQ(DebugString(p.root), "(hà nội)");
  EXPECT_FALSE(p.empty);
  ASSERT_EQ(p.notes.size(), 1u) << Notes(p);
  EXPECT_EQ(p.notes[0], "parentheses nested deeper than 16 at byte 16: read as one level");

  // Unclosed, the groups within the limit are closed at the end.
  p = Parse(std::string(100, '(') + "giá");
  EXPECT_EQ(DebugString(p.root), "giá");
  EXPECT_TRUE(HasNote(p, "nested deeper than 16")) << Notes(p);
  EXPECT_EQ(p.notes.size(), 17u);

  // Beyond the limit, parentheses stop grouping.
  ParseOptions one = Options();
  one.max_depth = 1;
  EXPECT_EQ(DebugString(ParseQuery("(hà (nội OR giá))", Options()).root), "(hà (nội giá))");
  p = ParseQuery("(hà (nội OR giá)) thủy", one);
  EXPECT_EQ(DebugString(p.root), "(((hà nội) giá) thủy)");
  EXPECT_EQ(p.notes.size(), 1u) << Notes(p);

  // Far deeper input neither overflows the stack nor nests the tree.
  for (std::size_t n : {10000u, 200000u}) {
    p = Parse(std::string(n, '(') + "hà (nội" + std::string(n, ')') + ") giá");
    EXPECT_EQ(DebugString(p.root), "((hà nội) giá)");
    EXPECT_EQ(p.notes.size(), 1u) << Notes(p);
    EXPECT_LE(Depth(p.root), 17u);
  }
}

TEST(QueryParser, LongRunsOfOperatorsDoNotOverflowTheStack) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string nots;
  for (int i = 0; i < 200000; ++i) nots += "NOT ";
  ParsedQuery p = Parse(nots + "giá");
  EXPECT_EQ(DebugString(p.root), "(-giá)");
  EXPECT_TRUE(p.empty);

  std::string ands = "hà";
  for (int i = 0; i < 200000; ++i) ands += " AND";
  p = Parse(ands + " nội");
  EXPECT_EQ(DebugString(p.root), "(+hà +nội)");

  std::string fields;
  for (int i = 0; i < 200000; ++i) fields += i % 2 ? "body:" : "title:";
  p = Parse(fields + "giá");
  EXPECT_EQ(DebugString(p.root), "body:giá");
  EXPECT_TRUE(p.notes.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
}

// Every word and phrase is the query's own text at its offset (cut at the
// word limit, never rewritten), and the tree stays within the limits.
void CheckInvariants(const std::string& q, const ParseOptions& options, const Node& n,
                     std::size_t depth) {
  // Each group adds at most an OR, a sequence and an AND chain; each stray ')'
  // one more level, and only between words.
  ASSERT_LE(depth, 3 * (options.max_depth + 1) + options.max_words + 2) << q;
  if (n.kind == Node::Kind::kBool) {
    EXPECT_TRUE(n.text.empty());
    for (const auto& clause : n.clauses) {
      EXPECT_FALSE(clause.second.kind == Node::Kind::kBool && clause.second.clauses.empty()) << q;
      CheckInvariants(q, options, clause.second, depth + 1);
    }
    return;
  }
  ASSERT_LE(n.offset, q.size()) << q;
  EXPECT_EQ(q.compare(n.offset, n.text.size(), n.text), 0) << q << " / " << n.text;
  if (n.kind == Node::Kind::kFilter) {  // "{...}": the text between the braces, maybe empty
    ASSERT_GE(n.offset, 1u) << q;
    EXPECT_EQ(q[n.offset - 1], '{') << q;
    EXPECT_TRUE(n.field.empty()) << q;
    return;
  }
  EXPECT_FALSE(n.text.empty()) << q;
  if (n.kind == Node::Kind::kWord) {
    EXPECT_EQ(n.text.find_first_of(" \t\n\r\f\v()\""), std::string::npos) << q << " / " << n.text;
    EXPECT_NE(n.text.back(), '*') << q;
  } else {
    EXPECT_FALSE(n.prefix);
  }
  if (!n.field.empty()) {
    EXPECT_TRUE(n.field == "title" || n.field == "body") << q;
  }
}

TEST(QueryParser, PropertyRandomQueriesNeverCrash) {
  const std::vector<std::string> alphabet = [] {
    std::vector<std::string> a;
    for (char c = 32; c < 127; ++c) a.emplace_back(1, c);
    for (const char* s :
         {"\"",  "\"", "(",   "(",      ")",     ")",  "+",   "-",   "-",  "*", ":", " ",
          " ",   " ",  "à",   "ộ",      "đ",     "Đ",  "ư",   "ơ",   "ế",  "ủ", "ị", "ố",
          "AND", "OR", "NOT", "title:", "body:", "hà", "nội", "giá", "\t", "{", "}", "'"}) {
      a.emplace_back(s);
    }
    return a;
  }();
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 80);
  std::uniform_int_distribution<int> coin(0, 9);
  for (int round = 0; round < 2000; ++round) {
    std::string q;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) q += alphabet[pick(rng)];
    ParseOptions options = Options(coin(rng) < 3);
    if (coin(rng) == 0) options.max_words = 3;
    if (coin(rng) == 0) options.max_depth = 2;
    const ParsedQuery p = ParseQuery(q, options);
    const std::string debug = DebugString(p.root);
    ASSERT_GE(debug.size(), 1u) << q;
    EXPECT_LE(CountLeaves(p.root), options.max_words) << q;
    CheckInvariants(q, options, p.root, 0);
    if (HasFatalFailure()) return;
    for (const std::string& note : p.notes) EXPECT_FALSE(note.empty()) << q;
    // The same input reads the same way.
    const ParsedQuery again = ParseQuery(q, options);
    EXPECT_EQ(DebugString(again.root), debug) << q;
    EXPECT_EQ(again.notes, p.notes) << q;
    EXPECT_EQ(again.empty, p.empty) << q;
    // Blanks and parentheses alone are nothing to search for.
    if (q.find_first_not_of(" \t()") == std::string::npos) {
      EXPECT_TRUE(p.empty) << q;
    }
  }
}

TEST(QueryParser, PropertyArbitraryBytesNeverCrash) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 120);
  for (int round = 0; round < 500; ++round) {
    std::string q;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) q += static_cast<char>(byte(rng));
    const ParsedQuery p = Parse(q);
    (void)DebugString(p.root);
    CheckInvariants(q, Options(), p.root, 0);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace tim::query
