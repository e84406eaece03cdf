// Search peer benchmark: SQLite FTS5.
//
//   fts5_bench index DB_FILE < docs.jsonl
//   fts5_bench search DB_FILE QUERIES_TSV and|or|phrase RUN_FILE
//
// index: builds a new database (DB_FILE is replaced) holding one table
//   docs USING fts5(id UNINDEXED, title, body,
//                   tokenize = "unicode61 remove_diacritics 2")
// in one transaction, then runs FTS5's 'optimize' (merges all index
// segments into one, as Lucene's forceMerge(1) does). Prints one JSON line:
//   {"engine","docs","seconds","merge_seconds","index_bytes","stored_bytes"}
// seconds runs from opening the database to the end of 'optimize' and
// includes reading and parsing stdin; merge_seconds is the 'optimize' part.
// index_bytes is the database file; stored_bytes the pages of docs_content,
// FTS5's copy of id, title and body (this table stores the text; Lucene and
// Xapian store only the id).
//
// search: runs the queries as described in bench/peers/common/peer_bench.h.
// A query is split on white space and each piece double-quoted (FTS5's
// escape; the tokenizer then splits it further, e.g. "vn-index" becomes the
// phrase vn + index). "and" joins the pieces with spaces (implicit AND),
// "or" with " OR ". "phrase" double-quotes the whole query instead: one FTS5
// phrase (its words adjacent, in order, in one column). Ranked by bm25(docs)
// with default weights; the run file
// gets -bm25 so that higher is better.
//
// Build: g++ -std=c++17 -O2 fts5_bench.cc -lsqlite3 -lsimdjson
// (apt-get install libsqlite3-dev libsimdjson-dev). Run it through
// bench/peer_search.sh.

#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/peer_bench.h"

namespace {

// Owns one connection; throws on any SQLite error, with its message.
class Db {
 public:
  Db(const std::string& path, int flags) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw std::runtime_error(path + ": " + msg);
    }
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Check(int rc, const char* what) const {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
      throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db_));
    }
  }
  void Exec(const char* sql) const {
    Check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql);
  }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// One prepared statement, finalized on destruction.
class Stmt {
 public:
  Stmt(const Db& db, const char* sql) : db_(db) {
    db_.Check(sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr),
              sql);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binds text that stays valid until the statement is next reset.
  void BindText(int index, std::string_view text) {
    db_.Check(
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC),
        "bind");
  }
  // True while there is a row; false when done.
  bool Step() {
    int rc = sqlite3_step(stmt_);
    db_.Check(rc, "step");
    return rc == SQLITE_ROW;
  }
  void Reset() { sqlite3_reset(stmt_); }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  const Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string EngineName() { return std::string("sqlite-fts5-") + sqlite3_libversion(); }

int Index(const std::string& path) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-journal");

  peer::Clock::time_point start = peer::Clock::now();
  Db db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  db.Exec(
      "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
      "tokenize = \"unicode61 remove_diacritics 2\")");
  db.Exec("BEGIN");
  std::uint64_t docs;
  {
    Stmt insert(db, "INSERT INTO docs(id, title, body) VALUES (?1, ?2, ?3)");
    docs = peer::ForEachDoc(std::cin, [&](const peer::Doc& d) {
      insert.BindText(1, d.id);
      insert.BindText(2, d.title);
      insert.BindText(3, d.body);
      insert.Step();
      insert.Reset();
    });
  }
  db.Exec("COMMIT");
  peer::Clock::time_point merge_start = peer::Clock::now();
  db.Exec("INSERT INTO docs(docs) VALUES ('optimize')");
  double merge_seconds = peer::SecondsSince(merge_start);
  double seconds = peer::SecondsSince(start);

  // dbstat (compiled into Debian's SQLite) reports the pages of each b-tree.
  Stmt stored(db, "SELECT sum(pgsize) FROM dbstat WHERE name = 'docs_content'");
  stored.Step();
  sqlite3_int64 stored_bytes = sqlite3_column_int64(stored.get(), 0);

  std::printf(
      "{\"engine\":\"%s\",\"docs\":%llu,\"seconds\":%.3f,\"merge_seconds\":%.3f,"
      "\"index_bytes\":%llu,\"stored_bytes\":%lld}\n",
      EngineName().c_str(), static_cast<unsigned long long>(docs), seconds, merge_seconds,
      static_cast<unsigned long long>(peer::DiskBytes(path)), static_cast<long long>(stored_bytes));
  return 0;
}

// The FTS5 query for `text`: each white-space-separated piece as a quoted
// string (an embedded quote doubled), joined by `op`; with `op` null, the
// whole text as one quoted string, which FTS5 reads as a phrase.
void BuildMatch(const std::string& text, const char* op, std::string& match) {
  match.clear();
  if (op == nullptr) {
    if (text.find_first_not_of(" \t") == std::string::npos) return;
    match += '"';
    for (char c : text) {
      if (c == '"') match += '"';
      match += c;
    }
    match += '"';
    return;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break;
    if (!match.empty()) match += op;
    match += '"';
    for (; i < text.size() && text[i] != ' ' && text[i] != '\t'; ++i) {
      if (text[i] == '"') match += '"';
      match += text[i];
    }
    match += '"';
  }
}

int Search(const std::string& path, const std::string& queries_path, const std::string& mode,
           const std::string& run_path) {
  std::vector<peer::Query> queries = peer::ReadQueries(queries_path);
  const char* op = mode == "and" ? " " : mode == "or" ? " OR " : nullptr;
  Db db(path, SQLITE_OPEN_READONLY);
  Stmt select(db,
              "SELECT id, bm25(docs) FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10");
  std::string match;
  peer::RunQueries(EngineName(), mode, queries, run_path,
                   [&](const std::string& text, std::vector<peer::Hit>& hits) {
                     BuildMatch(text, op, match);
                     if (match.empty()) return;  // nothing to search for
                     select.BindText(1, match);
                     while (select.Step()) {
                       const unsigned char* id = sqlite3_column_text(select.get(), 0);
                       hits.push_back({reinterpret_cast<const char*>(id),
                                       -sqlite3_column_double(select.get(), 1)});
                     }
                     select.Reset();
                   });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return peer::Main(argc, argv, "fts5_bench", "DB_FILE", Index, Search);
}
