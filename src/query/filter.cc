#include "query/filter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace tim::query {

using index::Column;
using index::ColumnKind;
using index::Number;

namespace {

// ---- Reading ----

struct Token {
  enum class Kind : std::uint8_t { kWord, kQuoted, kSymbol, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;
  std::size_t column = 0;  // 1-based, in bytes
};

bool IsSymbolChar(char c) {
  return c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == '=' || c == '!' ||
         c == '<' || c == '>' || c == '~';
}

Status Tokenize(std::string_view s, std::vector<Token>* out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.column = i + 1;
    if (c == '"' || c == '\'') {
      t.kind = Token::Kind::kQuoted;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          t.text.push_back(s[i + 1]);
          i += 2;
        } else if (s[i] == c) {
          ++i;
          closed = true;
          break;
        } else {
          t.text.push_back(s[i++]);
        }
      }
      if (!closed) {
        return Status::InvalidArgument("filter: the quote at column " + std::to_string(t.column) +
                                       " is never closed");
      }
    } else if (IsSymbolChar(c)) {
      t.kind = Token::Kind::kSymbol;
      t.text.push_back(c);
      ++i;
      if ((c == '!' || c == '<' || c == '>') && i < s.size() && s[i] == '=') {
        t.text.push_back('=');
        ++i;
      }
      if (t.text == "!") {
        return Status::InvalidArgument("filter: '!' at column " + std::to_string(t.column) +
                                       " (did you mean != or NOT?)");
      }
    } else {
      t.kind = Token::Kind::kWord;
      while (i < s.size() && !IsSymbolChar(s[i]) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
             s[i] != '\r' && s[i] != '"' && s[i] != '\'') {
        t.text.push_back(s[i++]);
      }
    }
    out->push_back(std::move(t));
  }
  Token end;
  end.column = s.size() + 1;
  out->push_back(end);
  return Status::OK();
}

bool IsWord(const Token& t, std::string_view upper) {
  if (t.kind != Token::Kind::kWord || t.text.size() != upper.size()) return false;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    const char c = t.text[i];
    if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c) != upper[i]) return false;
  }
  return true;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The span of a date literal: a year, month or day written alone is all of it.
bool DateSpan(std::string_view text, std::int64_t* start, std::int64_t* end) {
  if (!index::ParseDate(text, start)) return false;
  const auto digits = [&](std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  char next[16];
  if (text.size() == 4 && digits(4)) {  // a year
    const int year = std::atoi(std::string(text).c_str());
    std::snprintf(next, sizeof(next), "%04d-01-01", year + 1);
  } else if (text.size() == 7 && digits(4) && text[4] == '-') {  // a month
    const int year = std::atoi(std::string(text.substr(0, 4)).c_str());
    const int month = std::atoi(std::string(text.substr(5, 2)).c_str());
    std::snprintf(next, sizeof(next), "%04d-%02d-01", month == 12 ? year + 1 : year,
                  month == 12 ? 1 : month + 1);
  } else if (text.size() == 10 && digits(4) && text[4] == '-' && text[7] == '-') {  // a day
    *end = *start + 86400000;
    return true;
  } else {
    *end = *start + 1;
    return true;
  }
  if (!index::ParseDate(next, end)) *end = std::numeric_limits<std::int64_t>::max();
  return true;
}

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, const index::Manifest& m) : t_(tokens), m_(m) {}

  Status Parse(FilterNode* out) {
    TIM_RETURN_IF_ERROR(Or(out));
    if (Peek().kind != Token::Kind::kEnd) return Unexpected("the end of the filter");
    return Status::OK();
  }

 private:
  const Token& Peek() const { return t_[at_]; }
  const Token& Take() { return t_[at_ < t_.size() - 1 ? at_++ : at_]; }
  bool IsSymbol(std::string_view s) const {
    return Peek().kind == Token::Kind::kSymbol && Peek().text == s;
  }
  Status Unexpected(std::string_view expected) const {
    const Token& t = Peek();
    const std::string found = t.kind == Token::Kind::kEnd ? "the end" : Quoted(t.text);
    return Status::InvalidArgument("filter: expected " + std::string(expected) + ", found " +
                                   found + " at column " + std::to_string(t.column));
  }

  Status Or(FilterNode* out) {
    FilterNode first;
    TIM_RETURN_IF_ERROR(And(&first));
    if (!IsWord(Peek(), "OR")) {
      *out = std::move(first);
      return Status::OK();
    }
    out->kind = FilterNode::Kind::kOr;
    out->children.push_back(std::move(first));
    while (IsWord(Peek(), "OR")) {
      Take();
      FilterNode next;
      TIM_RETURN_IF_ERROR(And(&next));
      out->children.push_back(std::move(next));
    }
    return Status::OK();
  }

  Status And(FilterNode* out) {
    FilterNode first;
    TIM_RETURN_IF_ERROR(Not(&first));
    if (!IsWord(Peek(), "AND")) {
      *out = std::move(first);
      return Status::OK();
    }
    out->kind = FilterNode::Kind::kAnd;
    out->children.push_back(std::move(first));
    while (IsWord(Peek(), "AND")) {
      Take();
      FilterNode next;
      TIM_RETURN_IF_ERROR(Not(&next));
      out->children.push_back(std::move(next));
    }
    return Status::OK();
  }

  Status Not(FilterNode* out) {
    if (++depth_ > 64) return Status::InvalidArgument("filter: nested deeper than 64");
    Status s;
    if (IsWord(Peek(), "NOT")) {
      Take();
      out->kind = FilterNode::Kind::kNot;
      out->children.emplace_back();
      s = Not(&out->children[0]);
    } else if (IsSymbol("(")) {
      Take();
      s = Or(out);
      if (s.ok() && !IsSymbol(")")) s = Unexpected("')'");
      if (s.ok()) Take();
    } else {
      s = Condition(out);
    }
    --depth_;
    return s;
  }

  // A literal: a word or a quoted text.
  Status Literal(FilterValue* v, std::size_t* column) {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kWord && t.kind != Token::Kind::kQuoted)
      return Unexpected("a value");
    *column = t.column;
    v->text = Take().text;
    return Status::OK();
  }

  // Reads v->text as the field's type.
  Status Typed(const std::string& field, FieldType type, std::size_t column, FilterValue* v) const {
    bool ok = true;
    if (type == FieldType::kNumber) ok = index::ParseNumber(v->text, &v->number);
    if (type == FieldType::kDate) ok = DateSpan(v->text, &v->start, &v->end);
    if (ok) return Status::OK();
    return Status::InvalidArgument("filter: " + Quoted(v->text) + " at column " +
                                   std::to_string(column) + " is not a " + FieldTypeName(type) +
                                   " (field " + Quoted(field) + ")");
  }

  Status Condition(FilterNode* out) {
    const Token& name = Peek();
    if (name.kind != Token::Kind::kWord && name.kind != Token::Kind::kQuoted) {
      return Unexpected("a field name");
    }
    const std::string field = Take().text;
    const std::size_t field_column = name.column;
    std::uint32_t number = index::kNoField;
    for (std::uint32_t i = 0; i < m_.fields.size(); ++i) {
      if (m_.fields[i] == field) number = i;
    }
    if (number == index::kNoField) {
      return Status::InvalidArgument("filter: unknown field " + Quoted(field) + " at column " +
                                     std::to_string(field_column) +
                                     " (filters take keyword, number and date fields)");
    }
    const FieldType type = m_.TypeOf(number);
    if (type == FieldType::kText) {
      return Status::InvalidArgument("filter: field " + Quoted(field) + " at column " +
                                     std::to_string(field_column) +
                                     " is text; filters take keyword, number and date fields");
    }
    out->field = number;
    out->type = type;
    std::size_t column = 0;
    // field EXISTS, field NOT EXISTS, field NOT IN [...]
    if (IsWord(Peek(), "EXISTS")) {
      Take();
      out->kind = FilterNode::Kind::kExists;
      return Status::OK();
    }
    if (IsWord(Peek(), "NOT")) {
      Take();
      FilterNode inner;
      inner.field = number;
      inner.type = type;
      if (IsWord(Peek(), "EXISTS")) {
        Take();
        inner.kind = FilterNode::Kind::kExists;
      } else if (IsWord(Peek(), "IN")) {
        TIM_RETURN_IF_ERROR(In(field, &inner));
      } else {
        return Unexpected("EXISTS or IN after NOT");
      }
      out->kind = FilterNode::Kind::kNot;
      out->children.push_back(std::move(inner));
      return Status::OK();
    }
    if (IsWord(Peek(), "IN")) return In(field, out);
    if (Peek().kind == Token::Kind::kSymbol) {
      const std::string op = Take().text;
      FilterNode::Op o;
      bool negate = false;
      if (op == "=") {
        o = FilterNode::Op::kEq;
      } else if (op == "!=") {
        o = FilterNode::Op::kEq;
        negate = true;
      } else if (op == "<") {
        o = FilterNode::Op::kLt;
      } else if (op == "<=") {
        o = FilterNode::Op::kLe;
      } else if (op == ">") {
        o = FilterNode::Op::kGt;
      } else if (op == ">=") {
        o = FilterNode::Op::kGe;
      } else if (op == "~") {
        o = FilterNode::Op::kFolded;
        if (type != FieldType::kKeyword) {
          return Status::InvalidArgument("filter: ~ compares folded keywords; field " +
                                         Quoted(field) + " is " + FieldTypeName(type));
        }
      } else {
        --at_;
        return Unexpected("an operator (=, !=, <, <=, >, >=, ~, IN, TO, EXISTS)");
      }
      FilterValue v;
      TIM_RETURN_IF_ERROR(Literal(&v, &column));
      TIM_RETURN_IF_ERROR(Typed(field, type, column, &v));
      FilterNode cmp;
      cmp.kind = FilterNode::Kind::kCompare;
      cmp.op = o;
      cmp.field = number;
      cmp.type = type;
      cmp.values.push_back(std::move(v));
      if (!negate) {
        *out = std::move(cmp);
      } else {
        out->kind = FilterNode::Kind::kNot;
        out->children.push_back(std::move(cmp));
      }
      return Status::OK();
    }
    // field A TO B
    FilterValue a, b;
    if (Peek().kind != Token::Kind::kWord && Peek().kind != Token::Kind::kQuoted) {
      return Unexpected("an operator (=, !=, <, <=, >, >=, ~, IN, TO, EXISTS)");
    }
    TIM_RETURN_IF_ERROR(Literal(&a, &column));
    if (!IsWord(Peek(), "TO")) return Unexpected("TO");
    TIM_RETURN_IF_ERROR(Typed(field, type, column, &a));
    Take();
    TIM_RETURN_IF_ERROR(Literal(&b, &column));
    TIM_RETURN_IF_ERROR(Typed(field, type, column, &b));
    out->kind = FilterNode::Kind::kRange;
    out->values.push_back(std::move(a));
    out->values.push_back(std::move(b));
    return Status::OK();
  }

  Status In(const std::string& field, FilterNode* out) {
    Take();  // IN
    if (!IsSymbol("[")) return Unexpected("'[' after IN");
    Take();
    out->kind = FilterNode::Kind::kIn;
    while (!IsSymbol("]")) {
      FilterValue v;
      std::size_t column = 0;
      TIM_RETURN_IF_ERROR(Literal(&v, &column));
      TIM_RETURN_IF_ERROR(Typed(field, out->type, column, &v));
      out->values.push_back(std::move(v));
      if (out->values.size() > 4096)
        return Status::InvalidArgument("filter: more than 4096 values in IN");
      if (IsSymbol(",")) {
        Take();
      } else if (!IsSymbol("]")) {
        return Unexpected("',' or ']'");
      }
    }
    Take();
    return Status::OK();
  }

  const std::vector<Token>& t_;
  const index::Manifest& m_;
  std::size_t at_ = 0;
  int depth_ = 0;
};

// ---- Evaluating ----

constexpr std::uint64_t kMaxKey = ~std::uint64_t{0};

// The smallest int64 i with i >= d, saturated; false when none.
bool CeilInt(double d, std::int64_t* out) {
  const double c = std::ceil(d);
  if (c >= 9223372036854775808.0) return false;
  *out = c < -9223372036854775808.0 ? std::numeric_limits<std::int64_t>::min()
                                    : static_cast<std::int64_t>(c);
  return true;
}
// The largest int64 i with i <= d, saturated; false when none.
bool FloorInt(double d, std::int64_t* out) {
  const double f = std::floor(d);
  if (f < -9223372036854775808.0) return false;
  *out = f >= 9223372036854775808.0 ? std::numeric_limits<std::int64_t>::max()
                                    : static_cast<std::int64_t>(f);
  return true;
}

}  // namespace

Status ReadFilterValue(std::string_view text, FieldType type, const std::string& field,
                       FilterValue* out) {
  out->text.assign(text);
  bool ok = true;
  if (type == FieldType::kNumber) ok = index::ParseNumber(text, &out->number);
  if (type == FieldType::kDate) ok = DateSpan(text, &out->start, &out->end);
  if (ok) return Status::OK();
  return Status::InvalidArgument(Quoted(text) + " is not a " + FieldTypeName(type) + " (field " +
                                 Quoted(field) + ")");
}

Status ParseFilter(std::string_view text, const index::Manifest& manifest, FilterNode* out) {
  *out = FilterNode();
  if (text.size() > 65536) return Status::InvalidArgument("filter: longer than 64 KiB");
  std::vector<Token> tokens;
  TIM_RETURN_IF_ERROR(Tokenize(text, &tokens));
  if (tokens.size() == 1) return Status::InvalidArgument("filter: empty");
  Parser parser(tokens, manifest);
  return parser.Parse(out);
}

bool KeyRange(const Column& c, FilterNode::Op op, const FilterValue& v, std::uint64_t* lo,
              std::uint64_t* hi) {
  *lo = 0;
  *hi = kMaxKey;
  if (c.kind() == ColumnKind::kDate) {
    const std::int64_t start = v.start, last = v.end - 1;  // the span [start, last]
    switch (op) {
      case FilterNode::Op::kEq: *lo = index::IntKey(start), *hi = index::IntKey(last); break;
      case FilterNode::Op::kLt:
        if (start == std::numeric_limits<std::int64_t>::min()) return false;
        *hi = index::IntKey(start - 1);
        break;
      case FilterNode::Op::kLe: *hi = index::IntKey(last); break;
      case FilterNode::Op::kGt:
        if (last == std::numeric_limits<std::int64_t>::max()) return false;
        *lo = index::IntKey(last + 1);
        break;
      case FilterNode::Op::kGe: *lo = index::IntKey(start); break;
      case FilterNode::Op::kFolded: return false;
    }
    return *lo <= *hi;
  }
  const Number& n = v.number;
  if (c.kind() == ColumnKind::kDouble) {
    const std::uint64_t k = index::DoubleKey(n.is_double ? n.d : static_cast<double>(n.i));
    switch (op) {
      case FilterNode::Op::kEq: *lo = *hi = k; break;
      case FilterNode::Op::kLt:
        if (k == 0) return false;
        *hi = k - 1;
        break;
      case FilterNode::Op::kLe: *hi = k; break;
      case FilterNode::Op::kGt:
        if (k == kMaxKey) return false;
        *lo = k + 1;
        break;
      case FilterNode::Op::kGe: *lo = k; break;
      case FilterNode::Op::kFolded: return false;
    }
    return *lo <= *hi;
  }
  // Integer keys.
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t a = kMin, b = kMax;
  switch (op) {
    case FilterNode::Op::kEq:
      if (n.is_double) return false;  // not an integer: no integer equals it
      a = b = n.i;
      break;
    case FilterNode::Op::kLt:
      if (!n.is_double) {
        if (n.i == kMin) return false;
        b = n.i - 1;
      } else if (!FloorInt(n.d, &b)) {
        return false;  // below every integer
      }
      break;
    case FilterNode::Op::kLe:
      if (!n.is_double) {
        b = n.i;
      } else if (!FloorInt(n.d, &b)) {
        return false;
      }
      break;
    case FilterNode::Op::kGt:
      if (!n.is_double) {
        if (n.i == kMax) return false;
        a = n.i + 1;
      } else if (!CeilInt(n.d, &a)) {
        return false;
      }
      break;
    case FilterNode::Op::kGe:
      if (!n.is_double) {
        a = n.i;
      } else if (!CeilInt(n.d, &a)) {
        return false;
      }
      break;
    case FilterNode::Op::kFolded: return false;
  }
  if (a > b) return false;
  *lo = index::IntKey(a);
  *hi = index::IntKey(b);
  return true;
}

namespace {

// Documents of a number or date column with a key in [lo, hi].
void ScanKeys(const Column& c, std::uint64_t lo, std::uint64_t hi, Roaring* out) {
  std::uint32_t buf[index::kColumnBlock];
  for (std::uint32_t b = 0; b < c.blocks(); ++b) {
    const Column::BlockBounds bounds = c.Block(b);
    if (bounds.present == 0 || bounds.max < lo || bounds.min > hi) continue;
    const std::uint32_t first = b * index::kColumnBlock;
    const std::uint32_t end = std::min(c.doc_count(), first + index::kColumnBlock);
    if (lo <= bounds.min && bounds.max <= hi && bounds.present == end - first) {
      out->addRange(first, end);
      continue;
    }
    // The block's values decoded at once, matched against the presence bits.
    std::uint64_t keys[index::kColumnBlock];
    const std::uint32_t count = c.BlockKeys(b, keys);
    std::uint64_t present[2];
    c.BlockPresence(b, &present[0], &present[1]);
    std::uint32_t n = 0, rank = 0;
    for (int w = 0; w < 2; ++w) {
      for (std::uint64_t bits = present[w]; bits != 0 && rank < count; bits &= bits - 1, ++rank) {
        const std::uint64_t k = keys[rank];
        if (k >= lo && k <= hi)
          buf[n++] = first + 64 * w + static_cast<std::uint32_t>(__builtin_ctzll(bits));
      }
    }
    (void)end;
    out->addMany(n, buf);
  }
}

// The ordinals [from, to).
std::vector<std::uint32_t> OrdRange(std::uint32_t from, std::uint32_t to) {
  std::vector<std::uint32_t> ords;
  for (std::uint32_t o = from; o < to; ++o) ords.push_back(o);
  return ords;
}

Status Compare(const Column& c, FilterNode::Op op, const FilterValue& v, const FoldFn& fold,
               Roaring* out) {
  if (!c.keyword()) {
    std::uint64_t lo, hi;
    if (KeyRange(c, op, v, &lo, &hi)) ScanKeys(c, lo, hi, out);
    return Status::OK();
  }
  std::uint32_t from = 0, to = 0;  // ordinals [from, to)
  switch (op) {
    case FilterNode::Op::kEq:
      from = c.LowerBound(v.text);
      to = from < c.value_count() && c.Value(from) == v.text ? from + 1 : from;
      break;
    case FilterNode::Op::kLt: to = c.LowerBound(v.text); break;
    case FilterNode::Op::kLe:
      to = c.LowerBound(v.text);
      if (to < c.value_count() && c.Value(to) == v.text) ++to;
      break;
    case FilterNode::Op::kGt:
      from = c.LowerBound(v.text);
      if (from < c.value_count() && c.Value(from) == v.text) ++from;
      to = c.value_count();
      break;
    case FilterNode::Op::kGe:
      from = c.LowerBound(v.text);
      to = c.value_count();
      break;
    case FilterNode::Op::kFolded: {
      const std::string want = fold(v.text);
      std::vector<std::uint32_t> ords;
      for (std::uint32_t o = 0; o < c.value_count(); ++o) {
        if (fold(c.Value(o)) == want) ords.push_back(o);
      }
      return c.AddDocs(ords, out);
    }
  }
  return c.AddDocs(OrdRange(from, to), out);
}

}  // namespace

Status EvaluateFilter(const FilterNode& node, const index::ColumnReader& columns,
                      std::uint32_t doc_count, const FoldFn& fold, Roaring* out) {
  *out = Roaring();
  switch (node.kind) {
    case FilterNode::Kind::kAnd:
    case FilterNode::Kind::kOr: {
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        Roaring r;
        TIM_RETURN_IF_ERROR(EvaluateFilter(node.children[i], columns, doc_count, fold, &r));
        if (i == 0) {
          *out = std::move(r);
        } else if (node.kind == FilterNode::Kind::kAnd) {
          *out &= r;
        } else {
          *out |= r;
        }
        if (node.kind == FilterNode::Kind::kAnd && out->isEmpty()) break;
      }
      return Status::OK();
    }
    case FilterNode::Kind::kNot: {
      Roaring inner;
      TIM_RETURN_IF_ERROR(EvaluateFilter(node.children[0], columns, doc_count, fold, &inner));
      if (doc_count > 0) out->addRange(0, doc_count);
      *out -= inner;
      return Status::OK();
    }
    default: break;
  }
  const Column* c = columns.Find(node.field);
  if (c == nullptr) return Status::OK();  // no document of the segment has the field
  if (c->keyword() != (node.type == FieldType::kKeyword) ||
      (node.type == FieldType::kDate) != (c->kind() == ColumnKind::kDate)) {
    return Status::Corruption("column of field " + std::to_string(node.field) +
                              " disagrees with the manifest's type");
  }
  switch (node.kind) {
    case FilterNode::Kind::kExists:
      if (c->keyword()) {
        TIM_RETURN_IF_ERROR(c->AddDocs(OrdRange(0, c->value_count()), out));
      } else {
        ScanKeys(*c, 0, kMaxKey, out);
      }
      return Status::OK();
    case FilterNode::Kind::kCompare: return Compare(*c, node.op, node.values[0], fold, out);
    case FilterNode::Kind::kIn:
      if (c->keyword()) {  // one walk for every value the ordinals hold
        std::vector<std::uint32_t> ords;
        for (const FilterValue& v : node.values) {
          std::uint32_t o;
          if (c->Find(v.text, &o)) ords.push_back(o);
        }
        std::sort(ords.begin(), ords.end());
        ords.erase(std::unique(ords.begin(), ords.end()), ords.end());
        return c->AddDocs(ords, out);
      }
      for (const FilterValue& v : node.values) {
        TIM_RETURN_IF_ERROR(Compare(*c, FilterNode::Op::kEq, v, fold, out));
      }
      return Status::OK();
    case FilterNode::Kind::kRange: {
      if (c->keyword()) {
        std::uint32_t to = c->LowerBound(node.values[1].text);
        if (to < c->value_count() && c->Value(to) == node.values[1].text) ++to;
        return c->AddDocs(OrdRange(c->LowerBound(node.values[0].text), to), out);
      }
      std::uint64_t lo, hi, lo2, hi2;
      if (KeyRange(*c, FilterNode::Op::kGe, node.values[0], &lo, &hi) &&
          KeyRange(*c, FilterNode::Op::kLe, node.values[1], &lo2, &hi2) &&
          std::max(lo, lo2) <= std::min(hi, hi2)) {
        ScanKeys(*c, std::max(lo, lo2), std::min(hi, hi2), out);
      }
      return Status::OK();
    }
    default: return Status::OK();
  }
}

namespace {

const tim::Query* FirstFilter(const tim::Query& q) {
  if (q.kind == tim::Query::Kind::kFilter) return &q;
  for (const auto& c : q.clauses) {
    if (const tim::Query* f = FirstFilter(c.second)) return f;
  }
  return nullptr;
}

Status Misplaced(const tim::Query& f) {
  return Status::InvalidArgument(
      "query: the filter {" + f.text +
      "} stands inside parentheses or an OR; a filter narrows the whole query, so it goes "
      "beside the words (or after AND, +, - or NOT) at the top of the query");
}

// An AND of the top: every clause required or excluded, none side by side.
bool IsAndChain(const tim::Query& q) {
  if (q.kind != tim::Query::Kind::kBool || q.sequence || q.clauses.empty()) return false;
  for (const auto& c : q.clauses) {
    if (c.first == tim::Occur::kShould) return false;
  }
  return true;
}

// Lifts the filters among `q`'s clauses; `level` 0 is the top kBool, 1 an
// AND chain in it.
Status LiftClauses(tim::Query* q, int level, std::vector<std::string>* filters) {
  std::vector<std::pair<tim::Occur, tim::Query>> kept;
  kept.reserve(q->clauses.size());
  for (auto& clause : q->clauses) {
    tim::Query& c = clause.second;
    if (c.kind == tim::Query::Kind::kFilter) {
      // A kShould filter is required only among words side by side.
      if (clause.first == tim::Occur::kShould && !q->sequence) return Misplaced(c);
      filters->push_back(clause.first == tim::Occur::kMustNot ? "NOT (" + c.text + ")" : c.text);
      continue;
    }
    if (level == 0 && clause.first != tim::Occur::kMustNot && IsAndChain(c)) {
      TIM_RETURN_IF_ERROR(LiftClauses(&c, 1, filters));
      if (c.clauses.empty()) continue;
    } else if (const tim::Query* f = FirstFilter(c)) {
      return Misplaced(*f);
    }
    kept.push_back(std::move(clause));
  }
  q->clauses = std::move(kept);
  return Status::OK();
}

}  // namespace

Status LiftFilters(tim::Query* root, std::vector<std::string>* filters) {
  if (root->kind == tim::Query::Kind::kFilter) {
    filters->push_back(root->text);
    *root = tim::Query();
    return Status::OK();
  }
  if (root->kind != tim::Query::Kind::kBool || FirstFilter(*root) == nullptr) return Status::OK();
  return LiftClauses(root, 0, filters);
}

}  // namespace tim::query
