#include "query/query_parser.h"

#include <algorithm>
#include <utility>

namespace tim::query {
namespace {

enum class Tok : std::uint8_t {
  kWord,
  kQuoted,
  kLParen,
  kRParen,
  kAnd,
  kOr,
  kNot,
  kPlus,
  kMinus,
  kField,
  kFilter,  // {expression}: a filter on typed fields
  kEnd
};

struct Token {
  Tok kind;
  std::string text;
  std::size_t offset;
  bool prefix = false;
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsFieldName(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class Lexer {
 public:
  Lexer(std::string_view q, const ParseOptions& options, std::vector<std::string>* notes)
      : q_(q), options_(options), notes_(notes) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < q_.size()) {
      const char c = q_[i];
      if (IsSpace(c)) {
        ++i;
      } else if (c == '(') {
        // Groups nested deeper than max_depth are read as part of the group
        // around them, so the parser's recursion stays bounded.
        if (depth_ >= options_.max_depth) {
          if (skipped_ == 0 && !depth_noted_) {
            notes_->push_back("parentheses nested deeper than " +
                              std::to_string(options_.max_depth) + " at byte " + std::to_string(i) +
                              ": read as one level");
            depth_noted_ = true;
          }
          ++skipped_;
        } else {
          ++depth_;
          out.push_back({Tok::kLParen, "(", i});
        }
        ++i;
      } else if (c == ')') {
        if (skipped_ > 0) {
          --skipped_;
        } else {
          if (depth_ > 0) --depth_;
          out.push_back({Tok::kRParen, ")", i});
        }
        ++i;
      } else if (c == '"') {
        const std::size_t end = q_.find('"', i + 1);
        if (end == std::string_view::npos) {
          notes_->push_back("unbalanced quote at byte " + std::to_string(i) +
                            ": the phrase runs to the end of the query");
          out.push_back({Tok::kQuoted, std::string(q_.substr(i + 1)), i + 1});
          i = q_.size();
        } else {
          out.push_back({Tok::kQuoted, std::string(q_.substr(i + 1, end - i - 1)), i + 1});
          i = end + 1;
        }
      } else if (c == '{' && (AtTokenStart(i) || AfterSign(out, i))) {
        // A filter runs to the first '}' outside its quoted values (the
        // filter syntax's quotes, with backslash escapes).
        std::size_t end = i + 1;
        char quote = 0;
        while (end < q_.size() && (quote != 0 || q_[end] != '}')) {
          if (quote != 0 && q_[end] == '\\') {
            ++end;
          } else if (quote != 0 && q_[end] == quote) {
            quote = 0;
          } else if (quote == 0 && (q_[end] == '"' || q_[end] == '\'')) {
            quote = q_[end];
          }
          ++end;
        }
        end = std::min(end, q_.size());
        if (end == q_.size()) {
          notes_->push_back("unbalanced '{' at byte " + std::to_string(i) +
                            ": the filter runs to the end of the query");
        }
        out.push_back({Tok::kFilter, std::string(q_.substr(i + 1, end - i - 1)), i + 1});
        i = std::min(end + 1, q_.size());
      } else if ((c == '+' || c == '-') && (out.empty() || AtTokenStart(i))) {
        const bool lone = i + 1 >= q_.size() || IsSpace(q_[i + 1]) || q_[i + 1] == ')';
        if (lone) {
          notes_->push_back(std::string("lone '") + c + "' at byte " + std::to_string(i) +
                            " ignored");
        } else {
          out.push_back({c == '+' ? Tok::kPlus : Tok::kMinus, std::string(1, c), i});
        }
        ++i;
      } else {
        // After a field prefix, i is still inside the lexeme whose end is known.
        std::size_t end = std::max(i, lexeme_end_);
        while (end < q_.size() && !IsSpace(q_[end]) && q_[end] != '(' && q_[end] != ')' &&
               q_[end] != '"') {
          ++end;
        }
        lexeme_end_ = end;
        std::string_view word = q_.substr(i, end - i);
        // field:rest, when the name is one of the index's fields.
        const std::size_t colon = word.find(':');
        if (colon != std::string_view::npos && IsFieldName(word.substr(0, colon)) &&
            std::find(options_.fields.begin(), options_.fields.end(), word.substr(0, colon)) !=
                options_.fields.end() &&
            (colon + 1 < word.size() || (end < q_.size() && (q_[end] == '"' || q_[end] == '(')))) {
          out.push_back({Tok::kField, std::string(word.substr(0, colon)), i});
          i += colon + 1;
          continue;
        }
        if (word == "AND" || word == "&&") {
          out.push_back({Tok::kAnd, std::string(word), i});
        } else if (word == "OR" || word == "||") {
          out.push_back({Tok::kOr, std::string(word), i});
        } else if (word == "NOT") {
          out.push_back({Tok::kNot, std::string(word), i});
        } else {
          Token t{Tok::kWord, std::string(word), i};
          while (!t.text.empty() && t.text.back() == '*') {
            t.text.pop_back();
            t.prefix = true;
          }
          if (t.text.empty()) {
            notes_->push_back("'*' without a word before it at byte " + std::to_string(i) +
                              " ignored");
          } else {
            out.push_back(std::move(t));
          }
        }
        i = end;
      }
    }
    out.push_back({Tok::kEnd, "", q_.size()});
    return out;
  }

 private:
  // Just after a '+' or '-' read as an operator ("-{...}").
  static bool AfterSign(const std::vector<Token>& out, std::size_t i) {
    return !out.empty() && (out.back().kind == Tok::kPlus || out.back().kind == Tok::kMinus) &&
           out.back().offset + 1 == i;
  }

  // '+' and '-' are operators only at the start of a token: "covid-19" is a word.
  bool AtTokenStart(std::size_t i) const {
    return i == 0 || IsSpace(q_[i - 1]) || q_[i - 1] == '(' || q_[i - 1] == ')' ||
           q_[i - 1] == ':' || q_[i - 1] == '"';
  }

  std::string_view q_;
  const ParseOptions& options_;
  std::vector<std::string>* notes_;
  std::size_t lexeme_end_ = 0;
  std::size_t depth_ = 0;    // '(' emitted and not yet closed
  std::size_t skipped_ = 0;  // '(' dropped for depth and not yet closed
  bool depth_noted_ = false;
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseOptions& options, ParsedQuery* out)
      : toks_(std::move(tokens)), options_(options), out_(out) {}

  Node ParseAll() {
    Node root = ParseOr();
    while (Peek().kind != Tok::kEnd) {
      // Only a stray ')' stops ParseOr before the end.
      Note("unbalanced ')' at byte " + std::to_string(Peek().offset) + " ignored");
      ++pos_;
      Node more = ParseOr();
      root = Combine(std::move(root), std::move(more));
    }
    return root;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  void Note(std::string s) { out_->notes.push_back(std::move(s)); }

  static bool IsEmpty(const Node& n) { return n.kind == Node::Kind::kBool && n.clauses.empty(); }

  // Two parts read side by side after a stray ')': both count, as words do.
  Node Combine(Node a, Node b) {
    if (IsEmpty(a)) return b;
    if (IsEmpty(b)) return a;
    Node n;
    n.kind = Node::Kind::kBool;
    const Occur o = options_.default_and ? Occur::kMust : Occur::kShould;
    n.clauses.emplace_back(o, std::move(a));
    n.clauses.emplace_back(o, std::move(b));
    return n;
  }

  Node ParseOr() {
    std::vector<Node> alts;
    alts.push_back(ParseSeq());
    while (Peek().kind == Tok::kOr) {
      const Token& op = Peek();
      const std::string where = "'" + op.text + "' at byte " + std::to_string(op.offset);
      ++pos_;
      if (IsEmpty(alts.back())) Note(where + " has nothing before it: ignored");
      alts.push_back(ParseSeq());
      if (IsEmpty(alts.back()) && Peek().kind != Tok::kOr) {
        Note(where + " has nothing after it: ignored");
      }
    }
    alts.erase(std::remove_if(alts.begin(), alts.end(), IsEmpty), alts.end());
    if (alts.size() == 1) return std::move(alts[0]);
    Node n;
    n.kind = Node::Kind::kBool;
    for (Node& a : alts) n.clauses.emplace_back(Occur::kShould, std::move(a));
    return n;
  }

  Node ParseSeq() {
    Node n;
    n.kind = Node::Kind::kBool;
    n.sequence = true;
    for (;;) {
      const Tok k = Peek().kind;
      if (k == Tok::kEnd || k == Tok::kRParen || k == Tok::kOr) break;
      if (k == Tok::kAnd) {
        Note("'" + Peek().text + "' at byte " + std::to_string(Peek().offset) +
             " has nothing before it: ignored");
        ++pos_;
        continue;
      }
      Occur occur = options_.default_and ? Occur::kMust : Occur::kShould;
      if (k == Tok::kPlus) {
        occur = Occur::kMust;
        ++pos_;
      } else if (k == Tok::kMinus || k == Tok::kNot) {
        occur = Occur::kMustNot;
        ++pos_;
      }
      Node c = ParseAndChain(&occur);
      if (IsEmpty(c)) continue;
      n.clauses.emplace_back(occur, std::move(c));
    }
    if (n.clauses.size() == 1 && n.clauses[0].first != Occur::kMustNot) {
      return std::move(n.clauses[0].second);
    }
    return n;
  }

  // `occur` is how the sequence takes the chain. A '-' or NOT before the
  // chain binds to its first operand ("-a AND b" is (-a +b)): the chain then
  // joins the sequence as a plain word would.
  Node ParseAndChain(Occur* occur) {
    Node first = ParseUnary();
    if (Peek().kind != Tok::kAnd) return first;
    Node n;
    n.kind = Node::Kind::kBool;
    const Occur first_occur = *occur == Occur::kMustNot ? Occur::kMustNot : Occur::kMust;
    if (*occur == Occur::kMustNot) *occur = options_.default_and ? Occur::kMust : Occur::kShould;
    if (!IsEmpty(first)) n.clauses.emplace_back(first_occur, std::move(first));
    while (Peek().kind == Tok::kAnd) {
      ++pos_;
      Occur o = Occur::kMust;
      while (Peek().kind == Tok::kNot || Peek().kind == Tok::kMinus) {
        o = o == Occur::kMust ? Occur::kMustNot : Occur::kMust;
        ++pos_;
      }
      Node c = ParseUnary();
      if (!IsEmpty(c)) n.clauses.emplace_back(o, std::move(c));
    }
    if (n.clauses.size() == 1 && n.clauses[0].first == Occur::kMust) {
      return std::move(n.clauses[0].second);
    }
    return n;
  }

  // A primary, after any NOT/-/+ inside an AND chain was taken by the caller.
  // Field prefixes and stray operators before it are read in a loop (not by
  // recursion, which a long run of them would overflow); the last field wins.
  Node ParseUnary() {
    std::string field;
    Node n = ParsePrimary(&field);
    if (!field.empty()) SetField(&n, field);
    return n;
  }

  Node ParsePrimary(std::string* field) {
    bool ignored = false;  // the token before is an operator already noted
    for (;;) {
      const Token& t = Peek();
      if (t.kind == Tok::kField) {
        *field = t.text;
        ignored = false;
        ++pos_;
        continue;
      }
      if (t.kind == Tok::kPlus || t.kind == Tok::kMinus || t.kind == Tok::kNot ||
          t.kind == Tok::kAnd) {
        // "a AND +b", "a AND AND b": the operator adds nothing; read on.
        Note("'" + t.text + "' at byte " + std::to_string(t.offset) + " ignored");
        ignored = true;
        ++pos_;
        continue;
      }
      break;
    }
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kLParen: {
        const std::size_t at = t.offset;
        ++pos_;
        Node n = ParseOr();
        if (Peek().kind == Tok::kRParen) {
          ++pos_;
        } else {
          Note("unbalanced '(' at byte " + std::to_string(at) + ": closed at the end");
        }
        return n;
      }
      case Tok::kQuoted: {
        Node n;
        n.kind = Node::Kind::kPhrase;
        n.text = t.text;
        n.offset = t.offset;
        ++pos_;
        return CountWords(std::move(n));
      }
      case Tok::kFilter: {
        Node n;
        n.kind = Node::Kind::kFilter;
        n.text = t.text;
        n.offset = t.offset;
        ++pos_;
        return n;
      }
      case Tok::kWord: {
        Node n;
        n.kind = Node::Kind::kWord;
        n.text = t.text;
        n.offset = t.offset;
        n.prefix = t.prefix;
        ++pos_;
        return CountWords(std::move(n));
      }
      case Tok::kOr:
      case Tok::kRParen:
      case Tok::kEnd:
        // Only an operator or a field prefix comes before: "a AND", "NOT".
        if (pos_ > 0 && !ignored) {
          const Token& op = toks_[pos_ - 1];
          Note("'" + op.text + (op.kind == Tok::kField ? ":" : "") + "' at byte " +
               std::to_string(op.offset) + " has nothing after it: ignored");
        }
        break;
      default: break;
    }
    Node empty;
    empty.kind = Node::Kind::kBool;
    return empty;
  }

  static void SetField(Node* n, const std::string& field) {
    if (n->kind == Node::Kind::kFilter) return;  // names its own fields
    if (n->kind != Node::Kind::kBool) {
      if (n->field.empty()) n->field = field;
      return;
    }
    for (auto& c : n->clauses) SetField(&c.second, field);
  }

  // Counts whitespace-separated words against the limit; drops what is past it.
  Node CountWords(Node n) {
    std::size_t words = 0;
    bool in_word = false;
    std::size_t cut = n.text.size();
    for (std::size_t i = 0; i < n.text.size(); ++i) {
      const bool space = IsSpace(n.text[i]);
      if (!space && !in_word) {
        if (words_ + words >= options_.max_words) {
          cut = i;
          break;
        }
        ++words;
      }
      in_word = !space;
    }
    words_ += words;
    if (cut < n.text.size() || (words == 0 && words_ >= options_.max_words && !n.text.empty())) {
      if (!limit_noted_) {
        Note("query cut to its first " + std::to_string(options_.max_words) + " words");
        limit_noted_ = true;
      }
      n.text.resize(cut);
      while (!n.text.empty() && IsSpace(n.text.back())) n.text.pop_back();
    }
    if (n.text.empty() || words == 0) {
      Node empty;
      empty.kind = Node::Kind::kBool;
      return empty;
    }
    return n;
  }

  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  std::size_t words_ = 0;
  bool limit_noted_ = false;
  const ParseOptions& options_;
  ParsedQuery* out_;
};

bool HasPositive(const Node& n) {
  if (n.kind != Node::Kind::kBool) return true;
  for (const auto& [occur, child] : n.clauses) {
    if (occur != Occur::kMustNot && HasPositive(child)) return true;
  }
  return false;
}

}  // namespace

ParsedQuery ParseQuery(std::string_view query, const ParseOptions& options) {
  ParsedQuery out;
  Lexer lexer(query, options, &out.notes);
  Parser parser(lexer.Run(), options, &out);
  out.root = parser.ParseAll();
  out.empty = !HasPositive(out.root);
  return out;
}

std::string DebugString(const Node& n) {
  std::string s;
  if (!n.field.empty()) s += n.field + ":";
  switch (n.kind) {
    case Node::Kind::kWord:
      s += n.text;
      if (n.prefix) s += "*";
      return s;
    case Node::Kind::kPhrase: return s + "\"" + n.text + "\"";
    case Node::Kind::kFilter: return "{" + n.text + "}";
    case Node::Kind::kBool: break;
  }
  s += "(";
  for (std::size_t i = 0; i < n.clauses.size(); ++i) {
    if (i > 0) s += " ";
    const Occur o = n.clauses[i].first;
    s += o == Occur::kMust ? "+" : o == Occur::kMustNot ? "-" : "";
    s += DebugString(n.clauses[i].second);
  }
  return s + ")";
}

}  // namespace tim::query
