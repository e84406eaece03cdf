// tim stats, verify, merge, delete and get: looking after an index.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "json_out.h"
#include "tim/index.h"

namespace tim::cli {

namespace {

int Fail(const char* command, const Status& s) {
  std::fprintf(stderr, "tim %s: %s\n", command, s.ToString().c_str());
  return 1;
}

int RunStats(const std::string& dir, bool json, bool by_kind) {
  std::unique_ptr<IndexReader> reader;
  ReaderOptions options;
  options.verify_checksums = false;  // stats reads sizes and counts only
  Status s = IndexReader::Open(dir, options, &reader);
  if (!s.ok()) return Fail("stats", s);
  IndexStats st;
  s = reader->GetStats(&st, by_kind);
  if (!s.ok()) return Fail("stats", s);
  if (json) {
    std::string out = "{\"generation\":" + std::to_string(st.generation) +
                      ",\"docs\":" + std::to_string(st.docs) +
                      ",\"deleted_docs\":" + std::to_string(st.deleted_docs) +
                      ",\"segments\":" + std::to_string(st.segments) +
                      ",\"terms\":" + std::to_string(st.terms) + ",\"fields\":[";
    for (std::size_t i = 0; i < st.fields.size(); ++i) {
      if (i > 0) out += ",";
      AppendJsonString(st.fields[i], &out);
    }
    out += "],\"typed_fields\":{";
    for (std::size_t i = 0; i < st.typed_fields.size(); ++i) {
      if (i > 0) out += ",";
      AppendJsonString(st.typed_fields[i].first, &out);
      out += std::string(":\"") + FieldTypeName(st.typed_fields[i].second) + "\"";
    }
    out += "},\"bytes\":{";
    for (std::size_t i = 0; i < st.bytes_by_kind.size(); ++i) {
      if (i > 0) out += ",";
      AppendJsonString(st.bytes_by_kind[i].first, &out);
      out += ":" + std::to_string(st.bytes_by_kind[i].second);
    }
    out += "},\"total_bytes\":" + std::to_string(st.total_bytes);
    if (by_kind) {
      out += ",\"term_kinds\":{";
      for (std::size_t i = 0; i < st.term_kinds.size(); ++i) {
        const IndexStats::TermKindStats& k = st.term_kinds[i];
        if (i > 0) out += ",";
        out += "\"" + k.kind + "\":{\"terms\":" + std::to_string(k.terms) +
               ",\"postings\":" + std::to_string(k.postings) +
               ",\"postings_bytes\":" + std::to_string(k.postings_bytes) +
               ",\"positions_bytes\":" + std::to_string(k.positions_bytes) + "}";
      }
      out += "}";
    }
    out += "}\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  std::printf("index          %s (commit %llu)\n", dir.c_str(),
              static_cast<unsigned long long>(st.generation));
  std::printf("documents      %llu (%llu deleted, not yet merged away)\n",
              static_cast<unsigned long long>(st.docs),
              static_cast<unsigned long long>(st.deleted_docs));
  std::printf("segments       %llu\n", static_cast<unsigned long long>(st.segments));
  std::printf("terms          %llu (summed over segments)\n",
              static_cast<unsigned long long>(st.terms));
  std::string fields;
  for (const std::string& f : st.fields) {
    fields += (fields.empty() ? "" : ", ") + f;
    for (const auto& [name, type] : st.typed_fields) {
      if (name == f) fields += std::string(" (") + FieldTypeName(type) + ")";
    }
  }
  std::printf("fields         %s\n", fields.c_str());
  for (const auto& [kind, bytes] : st.bytes_by_kind) {
    std::printf("  %-18s %12llu bytes  %5.1f%%\n", kind.c_str(),
                static_cast<unsigned long long>(bytes),
                st.total_bytes > 0 ? 100.0 * bytes / st.total_bytes : 0.0);
  }
  std::printf("  %-18s %12llu bytes\n", "total", static_cast<unsigned long long>(st.total_bytes));
  if (by_kind) {
    std::printf("%-8s %12s %14s %16s %16s\n", "terms", "entries", "postings", "postings bytes",
                "positions bytes");
    for (const IndexStats::TermKindStats& k : st.term_kinds) {
      std::printf("%-8s %12llu %14llu %16llu %16llu\n", k.kind.c_str(),
                  static_cast<unsigned long long>(k.terms),
                  static_cast<unsigned long long>(k.postings),
                  static_cast<unsigned long long>(k.postings_bytes),
                  static_cast<unsigned long long>(k.positions_bytes));
    }
  }
  return 0;
}

int RunVerify(const std::string& dir) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<IndexReader> reader;
  ReaderOptions options;
  options.verify_checksums = false;  // Verify() checks them, once
  Status s = IndexReader::Open(dir, options, &reader);
  if (s.ok()) s = reader->Verify();
  if (!s.ok()) {
    std::printf("DAMAGED: %s\n", s.ToString().c_str());
    return 1;
  }
  IndexStats st;
  if (Status ss = reader->GetStats(&st); !ss.ok()) {
    std::printf("DAMAGED: %s\n", ss.ToString().c_str());
    return 1;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("ok: commit %llu, %llu documents in %llu segment(s), %.1f MB checked in %.1f s\n",
              static_cast<unsigned long long>(st.generation),
              static_cast<unsigned long long>(st.docs),
              static_cast<unsigned long long>(st.segments), st.total_bytes / 1e6, secs);
  return 0;
}

int RunMerge(const std::string& dir, int max_segments) {
  std::unique_ptr<IndexWriter> writer;
  IndexOptions options;
  options.create_if_missing = false;
  Status s = IndexWriter::Open(dir, options, &writer);
  if (s.ok()) s = writer->ForceMerge(max_segments);
  if (!s.ok()) return Fail("merge", s);
  return RunStats(dir, false, false);
}

int RunDelete(const std::string& dir, const std::vector<std::string>& ids) {
  std::unique_ptr<IndexWriter> writer;
  IndexOptions options;
  options.create_if_missing = false;
  Status s = IndexWriter::Open(dir, options, &writer);
  for (std::size_t i = 0; s.ok() && i < ids.size(); ++i) s = writer->DeleteDocument(ids[i]);
  if (s.ok()) s = writer->Commit();
  if (!s.ok()) return Fail("delete", s);
  std::printf("deleted %llu of %zu id(s)\n", static_cast<unsigned long long>(writer->deleted()),
              ids.size());
  return writer->deleted() == ids.size() ? 0 : 3;
}

int RunGet(const std::string& dir, const std::vector<std::string>& ids) {
  std::unique_ptr<IndexReader> reader;
  ReaderOptions options;
  // What a lookup reads is checked as it is read (id map blocks, stored
  // blocks); tim verify checks every byte.
  options.verify_checksums = false;
  Status s = IndexReader::Open(dir, options, &reader);
  if (!s.ok()) return Fail("get", s);
  int rc = 0;
  for (const std::string& id : ids) {
    Document doc;
    s = reader->GetDocument(id, &doc);
    if (!s.ok()) {
      std::fprintf(stderr, "tim get: %s\n", s.ToString().c_str());
      rc = s.IsNotFound() ? 3 : 1;
      continue;
    }
    // One member per field, in the order of first appearance; a field
    // given several times (a keyword's values) is an array of them.
    std::vector<std::pair<std::string, std::vector<std::string>>> members;
    for (auto& field : doc.fields) {
      const std::string& name = field.first;
      auto it = std::find_if(members.begin(), members.end(),
                             [&](const auto& m) { return m.first == name; });
      if (it == members.end()) {
        members.emplace_back(name, std::vector<std::string>{});
        it = members.end() - 1;
      }
      it->second.push_back(std::move(field.second));
    }
    std::string out = "{\"id\":";
    AppendJsonString(doc.id, &out);
    for (const auto& [name, texts] : members) {
      out += ",";
      AppendJsonString(name, &out);
      out += ":";
      if (texts.size() > 1) out += "[";
      for (std::size_t i = 0; i < texts.size(); ++i) {
        if (i > 0) out += ",";
        AppendJsonString(texts[i], &out);
      }
      if (texts.size() > 1) out += "]";
    }
    out += "}\n";
    std::fputs(out.c_str(), stdout);
  }
  return rc;
}

}  // namespace

void AddAdminCommands(CLI::App* app, std::vector<std::pair<CLI::App*, Command>>* out) {
  auto dir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto by_kind = std::make_shared<bool>(false);
  auto max_segments = std::make_shared<int>(1);
  auto ids = std::make_shared<std::vector<std::string>>();

  CLI::App* stats = app->add_subcommand("stats", "Describe an index: documents, segments, bytes");
  stats->add_option("index_dir", *dir, "Index directory")->required();
  stats->add_flag("--json", *json, "One JSON object");
  stats->add_flag(
      "--by-kind", *by_kind,
      "Also the terms, postings and bytes of each kind of term (folded, exact, bigram)");
  out->emplace_back(stats, [=] { return RunStats(*dir, *json, *by_kind); });

  CLI::App* verify = app->add_subcommand(
      "verify", "Check every checksum and structure; exit 0 only when the index is sound");
  verify->add_option("index_dir", *dir, "Index directory")->required();
  out->emplace_back(verify, [=] { return RunVerify(*dir); });

  CLI::App* merge = app->add_subcommand("merge", "Merge segments (and drop deleted documents)");
  merge->add_option("index_dir", *dir, "Index directory")->required();
  merge->add_option("--max-segments", *max_segments, "Segments to keep at most (default 1)")
      ->check(CLI::Range(1, 1 << 20));
  out->emplace_back(merge, [=] { return RunMerge(*dir, *max_segments); });

  CLI::App* del = app->add_subcommand(
      "delete", "Delete documents by id and commit (exit 3 when some id was not found)");
  del->add_option("index_dir", *dir, "Index directory")->required();
  del->add_option("ids", *ids, "Document ids")->required();
  out->emplace_back(del, [=] { return RunDelete(*dir, *ids); });

  CLI::App* get = app->add_subcommand(
      "get", "Print stored documents by id, one JSON object per line (exit 3 when one is missing)");
  get->add_option("index_dir", *dir, "Index directory")->required();
  get->add_option("ids", *ids, "Document ids")->required();
  out->emplace_back(get, [=] { return RunGet(*dir, *ids); });
}

}  // namespace tim::cli
