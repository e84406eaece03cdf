// tim shell INDEX: search interactively. On a terminal: line editing and
// persistent history (libedit), colour, the width of the terminal. Without
// one: queries read line by line, plain results, so it can be scripted.
// A client of the public API only.

#include <editline/readline.h>
#include <langinfo.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim::cli {
namespace {

struct ShellArgs {
  std::string dir;
  std::size_t k = 5;
};

// Colours only on a terminal, and not with NO_COLOR set (no-color.org).
struct Style {
  bool color = false;
  std::string bold(const std::string& s) const { return color ? "\033[1m" + s + "\033[0m" : s; }
  std::string dim(const std::string& s) const { return color ? "\033[2m" + s + "\033[0m" : s; }
  std::string open() const { return color ? "\033[1;33m" : "["; }
  std::string close() const { return color ? "\033[0m" : "]"; }
};

// Columns of the terminal (80 when unknown).
std::size_t Width() {
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 80;
}

// Characters (not bytes) of UTF-8 text, escape sequences left out.
std::size_t Columns(std::string_view s) {
  std::size_t n = 0;
  bool escape = false;
  for (unsigned char c : s) {
    if (c == 0x1b) {
      escape = true;
    } else if (escape) {
      escape = c != 'm';
    } else if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

// `text` wrapped at spaces to `width` columns, each line indented.
std::string Wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out, line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && Columns(indent + line + " " + word) > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string StateDir() {
  const char* state = std::getenv("XDG_STATE_HOME");
  std::string dir;
  if (state != nullptr && *state == '/') {
    dir = state;
  } else {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') return "";
    dir = std::string(home) + "/.local/state";
  }
  return dir + "/tim";
}

// mkdir -p; false when it cannot.
bool MakeDirs(const std::string& path) {
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      const std::string part = path.substr(0, i);
      if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
  }
  return true;
}

class Shell {
 public:
  Shell(const ShellArgs& args, bool tty) : args_(args), tty_(tty) {
    const char* no_color = std::getenv("NO_COLOR");
    style_.color = tty && isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0');
    k_ = args.k;
  }

  Status Open() {
    TIM_RETURN_IF_ERROR(IndexReader::Open(args_.dir, ReaderOptions(), &reader_));
    return Searcher::Open(reader_.get(), RankingOptions(), &searcher_);
  }

  // Runs one line: a command or a query. False to leave.
  bool Line(const std::string& line) {
    if (line.empty()) return true;
    if (line[0] != ':') {
      Search(line, 0, true);
      return true;
    }
    const std::size_t space = line.find(' ');
    const std::string cmd =
        line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
    const std::string arg = space == std::string::npos ? "" : line.substr(space + 1);
    if (cmd == "q" || cmd == "quit" || cmd == "exit") return false;
    if (cmd == "help" || cmd == "h") {
      Help();
    } else if (cmd == "more" || cmd == "m") {
      if (last_.empty()) {
        Say("no query yet");
      } else {
        Search(last_, offset_ + k_, rewrite_);
      }
    } else if (cmd == "k") {
      const long n = std::strtol(arg.c_str(), nullptr, 10);
      if (n < 1 || n > 100) {
        Say(":k takes a number from 1 to 100");
      } else {
        k_ = static_cast<std::size_t>(n);
        Say("showing " + std::to_string(k_) + " hits a page");
      }
    } else if (cmd == "open" || cmd == "o") {
      OpenHit(arg);
    } else if (cmd == "explain" || cmd == "e") {
      Explain(arg);
    } else if (cmd == "raw" || cmd == "r") {
      if (last_typed_.empty()) {
        Say("no query yet");
      } else {
        Search(last_typed_, 0, false);
      }
    } else if (cmd == "stats") {
      Stats(false);
    } else if (cmd == "fields") {
      Stats(true);
    } else if (cmd == "reload") {
      Reload();
    } else if (cmd == "filter" || cmd == "f") {
      filter_ = arg;
      Say(arg.empty() ? "no filter" : "filter: " + arg + " (:filter alone clears it)");
    } else if (cmd == "sort") {
      sort_.clear();
      const Status s = arg.empty() ? Status::OK() : ParseSortSpec(arg, &sort_);
      Say(!s.ok() ? s.message() : (arg.empty() ? "sorted by score" : "sorted by " + arg));
    } else if (cmd == "facet") {
      if (arg.empty()) {
        facets_.clear();
        Say("no facets");
      } else {
        FacetRequest f;
        const Status s = ParseFacetSpec(arg, &f);
        if (s.ok()) facets_.push_back(std::move(f));
        Say(s.ok() ? "counting " + arg + " (:facet alone clears)" : s.message());
      }
    } else if (cmd == "list" || cmd == "l") {
      if (filter_.empty()) {
        Say(":list lists the documents passing the filter: set one with :filter EXPR");
      } else {
        Search("", 0, false);
      }
    } else {
      Say("unknown command :" + cmd + " (:help lists them)");
    }
    return true;
  }

  void Help() {
    std::printf(
        "Type a query: words with or without accents, Telex or VNI typed with the input\n"
        "method off (vieetj nam, vie65t nam), \"phrases\", +must -not, title:word, prefix*.\n"
        "  :more         the next page of hits\n"
        "  :k N          N hits a page (now %zu)\n"
        "  :open N       the whole stored document of hit N (through $PAGER when set)\n"
        "  :explain N    how hit N's score adds up\n"
        "  :raw          the last query searched exactly as typed, no rewrite\n"
        "  :stats        documents, segments, terms, size\n"
        "  :fields       the index's fields\n"
        "  :reload       see the index's newest commit\n"
        "  :filter EXPR  only documents passing EXPR on typed fields, as\n"
        "                category = \"Thể thao\" AND published >= 2017 (:filter clears)\n"
        "  :sort SPEC    order by typed fields: -published, price,-_score (:sort clears)\n"
        "  :facet SPEC   count matches by category, category:20, 'price:0 TO 100,100 TO *'\n"
        "                under the hits (:facet clears)\n"
        "  :list         the documents passing the filter, without words\n"
        "  :quit         leave (also Ctrl-D); Ctrl-C abandons the line\n",
        k_);
  }

 private:
  void Say(const std::string& s) { std::printf("%s\n", s.c_str()); }

  void Search(const std::string& typed, std::size_t offset, bool rewrite) {
    SearchOptions o;
    o.k = k_;
    o.offset = offset;
    o.rewrite_typing = rewrite;
    // The suggestion comes with the next likeliest spellings, from one
    // decoding (Restorations) rather than two.
    o.suggest = false;
    if (!filter_.empty()) o.filters = {filter_};
    o.sort = sort_;
    o.facets = facets_;
    SearchResults r;
    std::vector<std::string> spellings;
    const auto start = std::chrono::steady_clock::now();
    Status s = searcher_->Search(typed, o, &r);
    if (s.ok() && r.rewritten.empty() && !typed.empty()) {
      s = searcher_->Restorations(typed, 3, &spellings);
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!s.ok()) {
      Say(s.message());
      return;
    }
    last_typed_ = typed;
    last_ = typed;
    rewrite_ = rewrite;
    offset_ = offset;
    hits_ = r.hits;
    for (const std::string& note : r.notes) Say(style_.dim("Note: " + note));
    if (!r.rewritten.empty()) {
      Say("Showing results for: " + style_.bold(r.rewritten) + " · search instead for: " + typed +
          " (:raw)");
    } else if (!spellings.empty() && spellings[0] != typed) {
      // The likeliest spelling, and the next ones that are not the words typed.
      std::string also;
      for (std::size_t i = 1; i < spellings.size(); ++i) {
        if (spellings[i] != typed) also += (also.empty() ? "" : ", ") + spellings[i];
      }
      Say("Did you mean: " + style_.bold(spellings[0]) +
          (also.empty() ? "" : style_.dim(" (or: " + also + ")")));
    }
    char head[96];
    std::snprintf(head, sizeof head, "%s%llu hit%s (%.2f ms)",
                  r.total_hits_exact ? "" : "at least ",
                  static_cast<unsigned long long>(r.total_hits), r.total_hits == 1 ? "" : "s", ms);
    Say(style_.dim(head));
    const std::size_t width = tty_ ? Width() : 100;
    for (std::size_t i = 0; i < r.hits.size(); ++i) {
      const Hit& h = r.hits[i];
      char score[32];
      std::snprintf(score, sizeof score, "%.3f", h.score);
      const std::string title = h.title.empty() ? h.id : h.title;
      std::string sorted;
      for (const std::string& v : h.sort_values) sorted += "  " + (v.empty() ? "-" : v);
      Say("\n" + style_.bold(std::to_string(offset + i + 1) + ". " + title) + "  " +
          style_.dim(h.id + "  " + score + sorted));
      if (!h.snippet.empty()) {
        std::printf("%s",
                    Wrap(MarkHighlights(h, style_.open(), style_.close()), width, "   ").c_str());
      }
    }
    if (offset + r.hits.size() < r.total_hits) Say(style_.dim("\n(:more for the next page)"));
    for (const Facet& f : r.facets) {
      Say("\n" + style_.bold(f.field) + ":");
      for (const FacetCount& c : f.counts) {
        char count[32];
        std::snprintf(count, sizeof count, "%8llu  ", static_cast<unsigned long long>(c.count));
        Say(std::string(count) + c.value);
      }
    }
  }

  // The hit numbered `arg` on the page shown, or nullptr (said why).
  const Hit* HitOf(const std::string& arg) {
    const long n = std::strtol(arg.c_str(), nullptr, 10);
    if (n < static_cast<long>(offset_ + 1) || n > static_cast<long>(offset_ + hits_.size())) {
      Say(hits_.empty() ? "no hits shown"
                        : "give a hit number shown: " + std::to_string(offset_ + 1) + " to " +
                              std::to_string(offset_ + hits_.size()));
      return nullptr;
    }
    return &hits_[static_cast<std::size_t>(n) - offset_ - 1];
  }

  void OpenHit(const std::string& arg) {
    const Hit* hit = HitOf(arg);
    if (hit == nullptr) return;
    Document doc;
    const Status s = reader_->GetDocument(hit->id, &doc);
    if (!s.ok()) {
      Say(s.message());
      return;
    }
    std::string text = "id: " + doc.id + "\n";
    for (const auto& [name, value] : doc.fields) text += "\n" + name + ":\n" + value + "\n";
    const char* pager = std::getenv("PAGER");
    if (tty_ && pager != nullptr && *pager != '\0') {
      std::fflush(stdout);
      FILE* p = popen(pager, "w");
      if (p != nullptr) {
        std::fwrite(text.data(), 1, text.size(), p);
        pclose(p);
        return;
      }
    }
    std::printf("%s", text.c_str());
  }

  void Explain(const std::string& arg) {
    const Hit* hit = HitOf(arg);
    if (hit == nullptr) return;
    const std::size_t rank = static_cast<std::size_t>(hit - hits_.data()) + offset_;
    SearchOptions o;
    o.k = 1;
    o.offset = rank;
    o.explain = true;
    o.snippets = false;
    o.suggest = false;
    o.rewrite_typing = rewrite_;
    SearchResults r;
    const Status s = searcher_->Search(last_, o, &r);
    if (!s.ok() || r.hits.empty()) {
      Say(s.ok() ? "the hit is gone (:reload?)" : s.message());
      return;
    }
    char line[256];
    std::snprintf(line, sizeof line, "%s  score %.4f", r.hits[0].id.c_str(), r.hits[0].score);
    Say(line);
    for (const ScoreDetail& d : r.hits[0].explanation) {
      std::snprintf(line, sizeof line, "  %8.4f  %-11s %-6s %-20s tf=%u len=%u idf=%.3f", d.score,
                    d.tier.c_str(), d.field.c_str(), d.term.c_str(), d.tf, d.field_length, d.idf);
      Say(line);
    }
  }

  void Stats(bool fields_only) {
    IndexStats st;
    const Status s = reader_->GetStats(&st);
    if (!s.ok()) {
      Say(s.message());
      return;
    }
    std::string fields;
    for (const std::string& f : st.fields) fields += (fields.empty() ? "" : ", ") + f;
    if (fields_only) {
      Say(fields);
      return;
    }
    char line[256];
    std::snprintf(line, sizeof line,
                  "commit %llu: %llu documents (%llu deleted), %llu segments, %llu terms, "
                  "%.1f MB; fields: %s",
                  static_cast<unsigned long long>(st.generation),
                  static_cast<unsigned long long>(st.docs),
                  static_cast<unsigned long long>(st.deleted_docs),
                  static_cast<unsigned long long>(st.segments),
                  static_cast<unsigned long long>(st.terms), st.total_bytes / 1e6, fields.c_str());
    Say(line);
  }

  void Reload() {
    std::unique_ptr<IndexReader> fresh;
    std::unique_ptr<Searcher> searcher;
    Status s = reader_->Reopen(&fresh);
    if (s.ok()) s = Searcher::Open(fresh.get(), RankingOptions(), &searcher);
    if (!s.ok()) {
      Say(s.message());
      return;
    }
    searcher_ = std::move(searcher);
    reader_ = std::move(fresh);
    hits_.clear();
    Say("commit " + std::to_string(reader_->generation()) + ", " +
        std::to_string(reader_->num_docs()) + " documents");
  }

  const ShellArgs& args_;
  bool tty_;
  Style style_;
  std::size_t k_;
  std::unique_ptr<IndexReader> reader_;
  std::unique_ptr<Searcher> searcher_;
  std::string last_, last_typed_;
  std::string filter_;                // :filter
  std::vector<SortField> sort_;       // :sort
  std::vector<FacetRequest> facets_;  // :facet
  bool rewrite_ = true;
  std::size_t offset_ = 0;
  std::vector<Hit> hits_;
};

volatile sig_atomic_t g_interrupted = 0;
void OnInterrupt(int) { g_interrupted = 1; }

int RunShell(const ShellArgs& args) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  Shell shell(args, tty);
  if (const Status s = shell.Open(); !s.ok()) {
    std::fprintf(stderr, "tim shell: %s\n", s.ToString().c_str());
    return 1;
  }
  if (!tty) {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!shell.Line(line)) break;
      std::fflush(stdout);
    }
    return 0;
  }
  // libedit decodes the prompt and the input by the locale's character set:
  // UTF-8, whatever LANG says (a C locale would fail on "tìm> ").
  std::setlocale(LC_CTYPE, "");
  if (std::string_view(nl_langinfo(CODESET)) != "UTF-8") std::setlocale(LC_CTYPE, "C.UTF-8");
  // A terminal that reports no size (a bare pseudo-terminal) crashes
  // libedit: give it the classic 80x24.
  winsize ws{};
  if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && (ws.ws_col == 0 || ws.ws_row == 0)) {
    ws.ws_col = ws.ws_col == 0 ? 80 : ws.ws_col;
    ws.ws_row = ws.ws_row == 0 ? 24 : ws.ws_row;
    ioctl(STDIN_FILENO, TIOCSWINSZ, &ws);
  }
  // History, kept between sessions.
  const std::string dir = StateDir();
  const std::string history = dir.empty() ? "" : dir + "/history";
  using_history();
  stifle_history(1000);
  if (!history.empty()) read_history(history.c_str());
  // Ctrl-C abandons the line being typed (readline returns it empty).
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigaction(SIGINT, &sa, nullptr);
  std::printf("tim shell: %s (:help for commands, Ctrl-D to leave)\n", args.dir.c_str());
  for (;;) {
    g_interrupted = 0;
    char* raw = readline("tìm> ");
    if (g_interrupted) {
      // Ctrl-C: the line is abandoned, and so is anything typed after it.
      std::free(raw);
      tcflush(STDIN_FILENO, TCIFLUSH);
      std::printf("\n");
      continue;
    }
    if (raw == nullptr) {
      std::printf("\n");
      break;
    }
    std::string line(raw);
    std::free(raw);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty()) continue;
    add_history(line.c_str());
    if (!history.empty() && MakeDirs(dir)) write_history(history.c_str());
    if (!shell.Line(line)) break;
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

Command AddShellCommand(CLI::App* app) {
  auto a = std::make_shared<ShellArgs>();
  CLI::App* cmd = app->add_subcommand(
      "shell", "Search interactively: line editing, history, colour, :help for commands");
  cmd->add_option("index_dir", a->dir, "Index directory")->required();
  cmd->add_option("-k", a->k, "Hits a page (default 5)")->check(CLI::Range(1, 100));
  return [a] { return RunShell(*a); };
}

}  // namespace tim::cli
