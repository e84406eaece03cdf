// tim::Query (include/tim/query.h): building, printing and quoting queries.

#include <utility>

#include "query/query_parser.h"
#include "tim/query.h"

namespace tim {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsFieldName(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

// Characters that delimit the query language's groups: quotes,
// parentheses, a filter's braces.
bool IsSyntax(char c) { return c == '"' || c == '(' || c == ')' || c == '{' || c == '}'; }

bool IsOperator(std::string_view w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "&&" || w == "||";
}

// Appends one word that holds no operator character to *out: an operator
// keyword becomes the plain word ("AND" -> "and"), or nothing ("&&").
void AppendWord(std::string_view w, std::string* out) {
  if (w.empty()) return;
  const std::size_t size = out->size();
  if (!out->empty()) out->push_back(' ');
  if (!IsOperator(w)) {
    out->append(w);
    return;
  }
  for (char c : w) {
    if (c >= 'A' && c <= 'Z') out->push_back(static_cast<char>(c - 'A' + 'a'));
  }
  if (out->size() == size + 1 || (size == 0 && out->size() == 0)) out->resize(size);
}

// One lexeme (no space, quote or parenthesis) made plain: what the parser
// would read as an operator, a field prefix or a prefix star goes.
void AppendPlainLexeme(std::string_view w, std::string* out) {
  for (;;) {
    std::size_t b = 0;
    while (b < w.size() && (w[b] == '+' || w[b] == '-')) ++b;
    w.remove_prefix(b);
    const std::size_t colon = w.find(':');
    if (colon == std::string_view::npos || !IsFieldName(w.substr(0, colon))) break;
    // "title:x" would search a field: keep the name as a word.
    AppendWord(w.substr(0, colon), out);
    w.remove_prefix(colon + 1);
  }
  while (!w.empty() && w.back() == '*') w.remove_suffix(1);
  AppendWord(w, out);
}

// Whether a word's text prints as itself: one lexeme the parser reads back
// as this word.
bool PrintsAsWord(const std::string& text) {
  if (text.empty() || IsOperator(text) || text.front() == '+' || text.front() == '-' ||
      text.back() == '*') {
    return false;
  }
  if (text.front() == '{') return false;  // would read as a filter
  for (char c : text) {
    if (IsSpace(c) || c == '"' || c == '(' || c == ')') return false;
  }
  const std::size_t colon = text.find(':');
  return colon == std::string::npos || !IsFieldName(text.substr(0, colon));
}

void AppendQuoted(std::string_view text, std::string* out) {
  for (char c : text) out->push_back(c == '"' ? ' ' : c);
}

void Print(Query* q, bool root, std::string* out) {
  if (q->kind == Query::Kind::kFilter) {  // names its own fields
    *out += "{";
    q->offset = out->size();
    *out += q->text;
    *out += "}";
    return;
  }
  if (!q->field.empty()) *out += q->field + ":";
  switch (q->kind) {
    case Query::Kind::kWord:
      if (PrintsAsWord(q->text)) {
        q->offset = out->size();
        *out += q->text;
        if (q->prefix) *out += "*";
        return;
      }
      [[fallthrough]];  // read as the phrase it is searched as
    case Query::Kind::kPhrase:
      *out += "\"";
      q->offset = out->size();
      AppendQuoted(q->text, out);
      *out += "\"";
      return;
    case Query::Kind::kBool:
    case Query::Kind::kFilter: break;
  }
  bool any_should = false, any_other = false;
  for (const auto& [occur, c] : q->clauses) {
    (occur == Occur::kShould ? any_should : any_other) = true;
  }
  // Words side by side ("a +b -c"), an OR of alternatives, or an AND chain
  // ("a AND NOT b").
  enum class Join { kSide, kOr, kAnd } join = Join::kSide;
  if (!q->sequence && any_should && !any_other) join = Join::kOr;
  if (!q->sequence && !any_should) join = Join::kAnd;
  const bool parens = !root || !q->field.empty();
  if (parens) *out += "(";
  bool first = true;
  for (auto& [occur, c] : q->clauses) {
    if (c.kind == Query::Kind::kBool && c.clauses.empty()) continue;  // adds nothing
    if (!first) *out += join == Join::kOr ? " OR " : join == Join::kAnd ? " AND " : " ";
    if (occur == Occur::kMustNot) *out += join == Join::kAnd && !first ? "NOT " : "-";
    if (occur == Occur::kMust && join == Join::kSide) *out += "+";
    Print(&c, false, out);
    first = false;
  }
  if (parens) *out += ")";
}

Query Leaf(Query::Kind kind, std::string_view text, std::string_view field, bool prefix) {
  Query q;
  q.kind = kind;
  q.text = std::string(text);
  q.field = std::string(field);
  q.prefix = prefix;
  return q;
}

Query Combined(std::vector<Query> queries, Occur occur) {
  Query q;
  for (Query& c : queries) {
    if (!c.empty()) q.clauses.emplace_back(occur, std::move(c));
  }
  return q;
}

}  // namespace

Query Query::Word(std::string_view text, std::string_view field) {
  return Leaf(Kind::kWord, text, field, false);
}
Query Query::Prefix(std::string_view text, std::string_view field) {
  return Leaf(Kind::kWord, text, field, true);
}
Query Query::Phrase(std::string_view text, std::string_view field) {
  return Leaf(Kind::kPhrase, text, field, false);
}

Query Query::Filter(std::string_view expression) {
  return Leaf(Kind::kFilter, expression, {}, false);
}

Query Query::Text(std::string_view text) {
  return query::ParseQuery(QuoteText(text), query::ParseOptions()).root;
}

Query Query::And(std::vector<Query> queries) { return Combined(std::move(queries), Occur::kMust); }
Query Query::Or(std::vector<Query> queries) { return Combined(std::move(queries), Occur::kShould); }

namespace {
Query& AddClause(Query* q, Occur occur, Query c) {
  if (q->kind != Query::Kind::kBool) {
    Query inner = std::move(*q);
    *q = Query();
    q->clauses.emplace_back(Occur::kShould, std::move(inner));
  }
  q->clauses.emplace_back(occur, std::move(c));
  return *q;
}
}  // namespace

Query& Query::Should(Query q) { return AddClause(this, Occur::kShould, std::move(q)); }
Query& Query::Must(Query q) { return AddClause(this, Occur::kMust, std::move(q)); }
Query& Query::MustNot(Query q) { return AddClause(this, Occur::kMustNot, std::move(q)); }
Query& Query::Weighted(float w) {
  weight = w;
  return *this;
}

bool Query::empty() const {
  if (kind != Kind::kBool) {
    for (char c : text) {
      if (!IsSpace(c)) return false;
    }
    return true;
  }
  for (const auto& [occur, c] : clauses) {
    if (occur != Occur::kMustNot && !c.empty()) return false;
  }
  return true;
}

std::string Query::ToString() const {
  Query copy = *this;
  return query::QueryString(&copy);
}

std::string QuoteText(std::string_view raw) {
  std::string out;
  std::size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (IsSpace(c) || IsSyntax(c)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < raw.size() && !IsSpace(raw[end]) && !IsSyntax(raw[end])) ++end;
    AppendPlainLexeme(raw.substr(i, end - i), &out);
    i = end;
  }
  return out;
}

namespace query {
std::string QueryString(Node* node) {
  std::string out;
  Print(node, true, &out);
  return out;
}
}  // namespace query

}  // namespace tim
