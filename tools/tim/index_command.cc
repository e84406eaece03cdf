// tim index: builds or updates an index from text files, folders and JSONL.

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "tim/index.h"
#include "tim/jsonl.h"

namespace tim::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct IndexArgs {
  std::string index_dir;
  std::vector<std::string> inputs;
  int threads = 0;
  std::size_t ram_mb = 256;
  bool quiet = false;
  std::string on_error = "skip";
  int zstd_level = IndexOptions().zstd_level;
  std::size_t block_kb = IndexOptions().store_block_bytes >> 10;
  std::string schema_file;
};

// Progress on a terminal, at most five times a second, and the summary.
class Progress {
 public:
  Progress(bool show, std::uint64_t total_bytes) : show_(show), total_(total_bytes) {}

  void Update(std::uint64_t input_bytes, std::uint64_t docs, std::uint64_t text_bytes) {
    if (!show_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double mbps = secs > 0 ? text_bytes / 1e6 / secs : 0;
    const double dps = secs > 0 ? docs / secs : 0;
    char line[200];
    if (total_ > 0) {
      const double frac = std::min(1.0, static_cast<double>(input_bytes) / total_);
      const int filled = static_cast<int>(frac * 30);
      const double eta = frac > 0 ? secs / frac - secs : 0;
      std::snprintf(
          line, sizeof line, "\r[%-30s] %5.1f%%  %llu docs  %.0f docs/s  %.1f MB/s  ETA %d:%02d ",
          std::string(filled, '=').c_str(), frac * 100, static_cast<unsigned long long>(docs), dps,
          mbps, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    } else {
      std::snprintf(line, sizeof line, "\r%llu docs  %.0f docs/s  %.1f MB  %.1f MB/s ",
                    static_cast<unsigned long long>(docs), dps, text_bytes / 1e6, mbps);
    }
    std::fputs(line, stderr);
    drawn_ = true;
  }
  void Clear() {
    if (drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  bool show_;
  std::uint64_t total_;
  Clock::time_point start_ = Clock::now(), last_;
  bool drawn_ = false;
};

bool EndsWith(const std::string& s, const char* suffix) {
  const std::size_t n = std::char_traits<char>::length(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool IsJsonl(const std::string& path) {
  return path == "-" || EndsWith(path, ".jsonl") || EndsWith(path, ".jsonl.zst");
}

// One file to read: a text file (one document) or JSONL ("-": stdin).
struct Source {
  std::string path;
  std::string id;  // of a text file: its path, or its path inside the folder given
  bool jsonl = false;
  std::uint64_t size = 0;  // 0 when unknown (stdin)
};

// Turns the command line's inputs into the files to read, walking each
// folder once (its .txt files, recursively, in path order). Returns false
// (having said why) for an input of no known kind.
bool ExpandInputs(const std::vector<std::string>& inputs, std::vector<Source>* out) {
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(in, ec), end; it != end && !ec; it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".txt")
          files.push_back(it->path());
      }
      if (ec) {
        std::fprintf(stderr, "tim index: %s: %s\n", in.c_str(), ec.message().c_str());
        return false;
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        const auto size = fs::file_size(file, ec);
        out->push_back({file.string(), file.lexically_relative(in).generic_string(), false,
                        ec ? 0 : static_cast<std::uint64_t>(size)});
      }
      continue;
    }
    if (!IsJsonl(in) && !EndsWith(in, ".txt")) {
      std::fprintf(stderr, "tim index: %s: not a .txt, .jsonl, .jsonl.zst file or a folder\n",
                   in.c_str());
      return false;
    }
    const auto size = in == "-" ? 0 : fs::file_size(in, ec);
    out->push_back({in, in, IsJsonl(in), ec ? 0 : static_cast<std::uint64_t>(size)});
  }
  return true;
}

class Indexer {
 public:
  Indexer(const IndexArgs& args, IndexWriter* writer, Progress* progress)
      : args_(args), writer_(writer), progress_(progress) {}

  // Returns false on a fatal error (already reported).
  bool Input(const Source& source) {
    return source.jsonl ? Jsonl(source.path) : TextFile(source.path, source.id);
  }

  std::uint64_t docs = 0, text_bytes = 0, bad = 0, input_bytes = 0;

 private:
  // A bad document: reported; fatal with --on-error=fail.
  bool Bad(const std::string& where, const std::string& what) { return Bad(where + ": " + what); }
  // `message` names where and what ("corpus.jsonl:17: expected ...").
  bool Bad(const std::string& message) {
    progress_->Clear();
    std::fprintf(stderr, "tim index: %s%s\n", message.c_str(),
                 args_.on_error == "fail" ? "" : " (skipped)");
    ++bad;
    return args_.on_error != "fail";
  }

  bool Add(const Document& doc, const std::string& where) {
    Status s = writer_->AddDocument(doc);
    if (s.IsInvalidArgument()) return Bad(where, s.message());
    if (!s.ok()) {
      progress_->Clear();
      std::fprintf(stderr, "tim index: %s\n", s.ToString().c_str());
      return false;
    }
    ++docs;
    for (const auto& f : doc.fields) text_bytes += f.second.size();
    return true;
  }

  // A text file: the first line is the title, the rest the body.
  bool TextFile(const std::string& path, const std::string& id) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    if (!in) return Bad(path, "cannot read the file");
    std::string text = buf.str();
    input_bytes += text.size();
    Document doc;
    doc.id = id;
    const std::size_t nl = text.find('\n');
    std::string title = text.substr(0, nl);
    if (!title.empty() && title.back() == '\r') title.pop_back();
    doc.fields.emplace_back(kTitleField, std::move(title));
    doc.fields.emplace_back("body", nl == std::string::npos ? "" : text.substr(nl + 1));
    if (!Add(doc, path)) return false;
    progress_->Update(input_bytes, docs, text_bytes);
    return true;
  }

  bool Jsonl(const std::string& path) {
    std::unique_ptr<JsonlReader> reader;
    Status s = JsonlReader::Open(path, &reader);
    if (!s.ok()) {
      std::fprintf(stderr, "tim index: %s\n", s.ToString().c_str());
      return false;
    }
    reader->set_schema(writer_->schema());
    Document doc;
    const std::uint64_t base = input_bytes;
    for (;;) {
      bool done = false;
      s = reader->Next(&doc, &done);
      if (s.IsInvalidArgument()) {  // a bad line, named in the message
        if (!Bad(s.message())) return false;
        continue;
      }
      if (!s.ok()) {
        progress_->Clear();
        std::fprintf(stderr, "tim index: %s\n", s.ToString().c_str());
        return false;
      }
      if (done) return true;
      const std::string where = (path == "-" ? std::string("<stdin>") : path) + ":" +
                                std::to_string(reader->line_number());
      if (!Add(doc, where)) return false;
      input_bytes = base + reader->bytes_read();
      progress_->Update(input_bytes, docs, text_bytes);
    }
  }

  const IndexArgs& args_;
  IndexWriter* writer_;
  Progress* progress_;
};

int RunIndex(const IndexArgs& args) {
  std::vector<Source> sources;
  if (!ExpandInputs(args.inputs, &sources)) return 1;
  IndexOptions options;
  options.threads = args.threads;
  options.ram_budget_bytes = args.ram_mb << 20;
  options.zstd_level = args.zstd_level;
  options.store_block_bytes = args.block_kb << 10;
  Status s;
  if (!args.schema_file.empty()) {
    std::ifstream in(args.schema_file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    if (!in) {
      std::fprintf(stderr, "tim index: cannot read the schema %s\n", args.schema_file.c_str());
      return 1;
    }
    s = ParseSchemaJson(buf.str(), &options.schema);
    if (!s.ok()) {
      std::fprintf(stderr, "tim index: %s: %s\n", args.schema_file.c_str(), s.message().c_str());
      return 1;
    }
  }
  std::unique_ptr<IndexWriter> writer;
  s = IndexWriter::Open(args.index_dir, options, &writer);
  if (!s.ok()) {
    std::fprintf(stderr, "tim index: %s\n", s.ToString().c_str());
    return 1;
  }
  std::uint64_t total = 0;
  for (const Source& source : sources) total += source.size;
  Progress progress(!args.quiet && isatty(STDERR_FILENO), total);
  Indexer indexer(args, writer.get(), &progress);
  for (const Source& source : sources) {
    if (!indexer.Input(source)) {
      progress.Clear();
      std::fprintf(stderr, "tim index: stopped; the index keeps its last commit\n");
      return 1;
    }
  }
  s = writer->Commit();
  progress.Clear();
  if (!s.ok()) {
    std::fprintf(stderr, "tim index: commit failed: %s\n", s.ToString().c_str());
    return 1;
  }
  const double secs = progress.seconds();
  if (!args.quiet) {
    std::unique_ptr<IndexReader> reader;
    IndexStats stats;
    ReaderOptions ropts;
    ropts.verify_checksums = false;
    // The summary's index size; the commit itself already succeeded.
    Status stats_status = IndexReader::Open(args.index_dir, ropts, &reader);
    if (stats_status.ok()) stats_status = reader->GetStats(&stats);
    if (!stats_status.ok()) {
      std::fprintf(stderr, "tim index: no index size: %s\n", stats_status.ToString().c_str());
    }
    std::fprintf(
        stderr,
        "indexed %llu documents, %.1f MB of text in %.1f s (%.1f MB/s)%s\n"
        "index %s: %llu documents in %llu segment(s), %.1f MB\n",
        static_cast<unsigned long long>(indexer.docs), indexer.text_bytes / 1e6, secs,
        secs > 0 ? indexer.text_bytes / 1e6 / secs : 0.0,
        indexer.bad > 0
            ? (", " + std::to_string(indexer.bad) + " bad input(s) skipped (exit status 3)").c_str()
            : "",
        args.index_dir.c_str(), static_cast<unsigned long long>(stats.docs),
        static_cast<unsigned long long>(stats.segments), stats.total_bytes / 1e6);
  }
  // Committed; 3 says that what was committed is not all that was given.
  return indexer.bad > 0 ? 3 : 0;
}

}  // namespace

Command AddIndexCommand(CLI::App* app) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* cmd = app->add_subcommand(
      "index",
      "Add documents to an index (created if missing); a document whose id is already "
      "in the index replaces it");
  cmd->add_option("index_dir", args->index_dir, "Index directory")->required();
  cmd->add_option("inputs", args->inputs,
                  "A .txt file (first line = title), a folder of .txt files, a .jsonl or "
                  ".jsonl.zst file (objects with id, title, body, ...), or - for JSONL on stdin")
      ->required();
  cmd->add_option("--threads", args->threads, "Indexing threads (default: one per core)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--ram-mb", args->ram_mb, "Memory for documents not yet written (MiB)")
      ->check(CLI::Range(16, 1 << 20));
  cmd->add_option("--zstd-level", args->zstd_level,
                  "Compression level of the stored documents (1-19; higher is smaller and slower)")
      ->check(CLI::Range(1, 19));
  cmd->add_option("--store-block-kb", args->block_kb,
                  "Stored documents are compressed in blocks of this many KiB (bigger: smaller "
                  "index, slower access to one document)")
      ->check(CLI::Range(4, 4096));
  cmd->add_option("--schema", args->schema_file,
                  "A JSON file of typed fields: {\"fields\": {\"category\": \"keyword\", "
                  "\"price\": \"number\", \"published\": \"date\"}} (others are text)");
  cmd->add_flag("--quiet", args->quiet, "No progress bar and no summary");
  cmd->add_option("--on-error", args->on_error,
                  "What a bad document or JSON line does: skip it (reported) or fail")
      ->check(CLI::IsMember({"skip", "fail"}));
  return [args] { return RunIndex(*args); };
}

}  // namespace tim::cli
