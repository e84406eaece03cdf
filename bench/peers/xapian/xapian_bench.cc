// Search peer benchmark: Xapian.
//
//   xapian_bench index DB_DIR < docs.jsonl
//   xapian_bench search DB_DIR QUERIES_TSV and|or|phrase RUN_FILE
//
// index: builds a new glass database in DB_DIR (replaced). A TermGenerator
// with no stemmer (none exists for Vietnamese) indexes title then body into
// one document with positions; the document data holds the id. After one
// commit the database is compacted (xapian-compact's default level) into
// DB_DIR, Xapian's counterpart of Lucene's forceMerge(1) and FTS5's
// 'optimize'. Prints one JSON line:
//   {"engine","docs","seconds","merge_seconds","index_bytes","stored_bytes"}
// seconds runs from creating the database to the end of compaction and
// includes reading and parsing stdin; merge_seconds is the compaction part.
// stored_bytes is the docdata table (the ids).
//
// search: runs the queries as described in bench/peers/common/peer_bench.h.
// QueryParser with its default flags, no stemming and default operator AND
// or OR ("phrase": the query, its own quotes dropped, inside double quotes,
// which QueryParser reads as OP_PHRASE); Enquire with its default
// BM25Weight; get_mset(0, 10).
//
// Xapian's tokenizer lower-cases but keeps diacritics, so a query typed
// without accents matches only words written without them.
//
// Build: g++ -std=c++17 -O2 xapian_bench.cc -lxapian -lsimdjson
// (apt-get install libxapian-dev libsimdjson-dev). Run it through
// bench/peer_search.sh.

#include <xapian.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "../common/peer_bench.h"

namespace {

std::string EngineName() { return std::string("xapian-") + Xapian::version_string(); }

int Index(const std::string& path) {
  namespace fs = std::filesystem;
  const std::string staging = path + ".staging";  // uncompacted database
  fs::remove_all(path);

  peer::Clock::time_point start = peer::Clock::now();
  std::uint64_t docs;
  {
    Xapian::WritableDatabase db(staging, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator terms;
    docs = peer::ForEachDoc(std::cin, [&](const peer::Doc& d) {
      Xapian::Document doc;
      terms.set_document(doc);
      terms.index_text(Xapian::Utf8Iterator(d.title.data(), d.title.size()));
      terms.increase_termpos();  // no phrase across the title/body boundary
      terms.index_text(Xapian::Utf8Iterator(d.body.data(), d.body.size()));
      doc.set_data(std::string(d.id));
      db.add_document(doc);
    });
    db.commit();
  }
  peer::Clock::time_point merge_start = peer::Clock::now();
  Xapian::Database(staging).compact(path);
  double merge_seconds = peer::SecondsSince(merge_start);
  double seconds = peer::SecondsSince(start);
  fs::remove_all(staging);

  std::printf(
      "{\"engine\":\"%s\",\"docs\":%llu,\"seconds\":%.3f,\"merge_seconds\":%.3f,"
      "\"index_bytes\":%llu,\"stored_bytes\":%llu}\n",
      EngineName().c_str(), static_cast<unsigned long long>(docs), seconds, merge_seconds,
      static_cast<unsigned long long>(peer::DiskBytes(path)),
      static_cast<unsigned long long>(peer::DiskBytes(fs::path(path) / "docdata.glass")));
  return 0;
}

int Search(const std::string& path, const std::string& queries_path, const std::string& mode,
           const std::string& run_path) {
  std::vector<peer::Query> queries = peer::ReadQueries(queries_path);
  Xapian::Database db(path);
  Xapian::QueryParser parser;
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  parser.set_default_op(mode == "or" ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
  const bool phrase = mode == "phrase";
  Xapian::Enquire enquire(db);
  std::string quoted;
  peer::RunQueries(EngineName(), mode, queries, run_path,
                   [&](const std::string& text, std::vector<peer::Hit>& hits) {
                     if (phrase) {
                       quoted = "\"";
                       for (char c : text) {
                         if (c != '"') quoted += c;
                       }
                       quoted += '"';
                     }
                     enquire.set_query(parser.parse_query(phrase ? quoted : text));
                     Xapian::MSet top = enquire.get_mset(0, peer::kTopK);
                     for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it) {
                       hits.push_back({it.get_document().get_data(), it.get_weight()});
                     }
                   });
  return 0;
}

// Xapian::Error is not a std::exception: turn it into one for peer::Main.
template <typename Fn>
int Reporting(Fn fn) {
  try {
    return fn();
  } catch (const Xapian::Error& e) {
    throw std::runtime_error(e.get_description());
  }
}

}  // namespace

int main(int argc, char** argv) {
  return peer::Main(
      argc, argv, "xapian_bench", "DB_DIR",
      [](const std::string& dir) { return Reporting([&] { return Index(dir); }); },
      [](const std::string& dir, const std::string& queries, const std::string& mode,
         const std::string& run) {
        return Reporting([&] { return Search(dir, queries, mode, run); });
      });
}
