// crash_trials: real crashes. Kills a process that is writing an index with
// SIGKILL at chosen moments and checks, after every kill, that the index
// opens, verifies, and holds exactly the documents of its last commit.
//
//   crash_trials DIR [--trials N] [--seed S] [--tim PATH]
//
// DIR is created (or emptied) and used by every trial in turn, so each trial
// also recovers what the previous kill left behind. Each trial forks a child:
//
// - API trials (four in five): the child opens an IndexWriter on DIR and runs
//   a sequence of operations drawn from the trial's seed: adds of ids from a
//   universe of 300 (so most are replaces), deletes, commits and
//   ForceMerge, with a small RAM budget (segments flush while documents are
//   added) and an eager merge policy (commits merge). Its file system is
//   FileSystem::Default() seen through a wrapper that counts, in memory
//   shared with the parent, which files are open for writing: segment files
//   or commit files (manifests, deletion files). The parent picks the phase
//   of the kill in turn (analysis, flush, merge, commit), waits until the
//   child is in it, lets a random 0-500 microseconds pass, and kills it.
// - CLI trials (one in five): the child runs `tim index DIR FILE` on a JSONL
//   file of new and replacing documents and is killed at a random moment
//   within the time the last unkilled run took (plus 10%).
//
// The parent replays the same operations on a model of the index. After the
// kill: IndexReader::Open (checksums verified) and Verify() succeed, and the
// documents are exactly those of the last commit the child saw return OK,
// or of the one in flight when it died (a commit is all or nothing), each
// byte for byte as added, with the document count to match. A writer then
// opens the index again (the next trial).
//
// Prints one line per trial and a summary: trials, kills per phase, how many
// found the in-flight commit landed, failures. Exit status 0 when nothing
// failed. CI runs 20 trials (ctest crash_trials); tools/crash-trials.sh runs
// 200.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tim/document.h"
#include "tim/file_system.h"
#include "tim/index.h"
#include "tim/status.h"

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- shared state

enum Call : int { kNoCall, kAdd, kDelete, kCommit, kForceMerge };
enum Phase : int { kAnalysis, kFlush, kMerge, kCommitPhase, kPhases };
const char* const kPhaseNames[kPhases] = {"analysis", "flush", "merge", "commit"};

// Written by the child, read by the parent (a MAP_SHARED page).
struct Shared {
  std::atomic<int> call;                   // what the child's main thread is in (Call)
  std::atomic<int> segment_files_open;     // segment files being written
  std::atomic<int> commit_files_open;      // manifests and deletion files being written
  std::atomic<int> manifests_in_call;      // manifests written since the call began
  std::atomic<std::uint64_t> done_ops;     // operations covered by the last commit that returned OK
  std::atomic<std::uint64_t> pending_ops;  // ... by the commit in flight (0: none)
  std::atomic<int> finished;               // the child ran out of operations
  std::atomic<int> failed;                 // the child met an error (the trial fails)
  char error[512];
};

Phase PhaseOf(const Shared& s) {
  const int call = s.call.load();
  if (s.commit_files_open.load() > 0) return kCommitPhase;
  if (s.segment_files_open.load() > 0) {
    return call == kForceMerge || (call == kCommit && s.manifests_in_call.load() > 0) ? kMerge
                                                                                      : kFlush;
  }
  if (call == kCommit || call == kForceMerge) return kCommitPhase;
  return kAnalysis;
}

// ---------------------------------------------------------------- file system

bool IsCommitFile(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  return name.rfind("manifest-", 0) == 0 || name.find(".del") != std::string::npos;
}

class CountedFile : public tim::WritableFile {
 public:
  CountedFile(std::unique_ptr<tim::WritableFile> file, std::atomic<int>* open)
      : file_(std::move(file)), open_(open) {
    open_->fetch_add(1);
  }
  ~CountedFile() override { Done(); }
  tim::Status Append(std::string_view data) override { return file_->Append(data); }
  tim::Status Sync() override { return file_->Sync(); }
  tim::Status Close() override {
    tim::Status s = file_->Close();
    Done();
    return s;
  }
  std::uint64_t size() const override { return file_->size(); }

 private:
  void Done() {
    if (open_ != nullptr) open_->fetch_sub(1);
    open_ = nullptr;
  }
  std::unique_ptr<tim::WritableFile> file_;
  std::atomic<int>* open_;
};

// FileSystem::Default(), counting the files open for writing by kind.
class TracingFileSystem : public tim::FileSystem {
 public:
  explicit TracingFileSystem(Shared* shared) : base_(tim::FileSystem::Default()), s_(shared) {}
  tim::Status NewWritableFile(const std::string& path,
                              std::unique_ptr<tim::WritableFile>* out) override {
    std::unique_ptr<tim::WritableFile> file;
    tim::Status st = base_->NewWritableFile(path, &file);
    if (!st.ok()) return st;
    const bool commit = IsCommitFile(path);
    if (commit && fs::path(path).filename().string().rfind("manifest-", 0) == 0) {
      s_->manifests_in_call.fetch_add(1);
    }
    *out = std::make_unique<CountedFile>(std::move(file),
                                         commit ? &s_->commit_files_open : &s_->segment_files_open);
    return st;
  }
  tim::Status MapFile(const std::string& path, std::unique_ptr<tim::MappedFile>* out) override {
    return base_->MapFile(path, out);
  }
  tim::Status Rename(const std::string& from, const std::string& to) override {
    return base_->Rename(from, to);
  }
  tim::Status RemoveFile(const std::string& path) override { return base_->RemoveFile(path); }
  tim::Status CreateDir(const std::string& path) override { return base_->CreateDir(path); }
  tim::Status ListDir(const std::string& dir, std::vector<std::string>* names) override {
    return base_->ListDir(dir, names);
  }
  tim::Status SyncDir(const std::string& dir) override { return base_->SyncDir(dir); }
  tim::Status FileSize(const std::string& path, std::uint64_t* size) override {
    return base_->FileSize(path, size);
  }
  tim::Status LockFile(const std::string& path, std::unique_ptr<tim::FileLock>* out) override {
    return base_->LockFile(path, out);
  }

 private:
  tim::FileSystem* base_;
  Shared* s_;
};

// ---------------------------------------------------------------- operations

// Real Vietnamese words, some decomposed (NFD) or in Windows-1258 style: the
// stored text must come back byte for byte whatever its form.
const char* const kWords[] = {"Hà",
                              "Nội",
                              "Đà",
                              "Nẵng",
                              "quốc",
                              "gia",
                              "giữa",
                              "người",
                              "thuở",
                              "khuya",
                              "quý",
                              "giường",
                              "hoà",
                              "hòa",
                              "Thuỵ",
                              "Thụy",
                              "mà",
                              "má",
                              "mã",
                              "ma",
                              "mạ",
                              "ươm",
                              "khuơ",
                              "đường",
                              "Đông",
                              "tiếng",
                              "Việt",
                              "nghiêng",
                              "gì",
                              "qua",
                              "ước",
                              "trường",
                              "học",
                              "sinh",
                              "viên",
                              "kinh",
                              "tế",
                              "thị",
                              "trường",
                              "chứng",
                              "khoán",
                              "bóng",
                              "đá",
                              "thời",
                              "tiết",
                              "mưa",
                              "bão",
                              "Ha\xCC\x80",
                              "No\xCC\xA3\xCC\x82i",
                              "vie\xCC\xA3\xCC\x82t",
                              "ho\xC3\xA0",
                              "2026",
                              "COVID-19",
                              "e-mail",
                              "TP.HCM"};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);
constexpr int kUniverse = 300;  // document ids doc-0 .. doc-299

std::string Words(std::mt19937_64& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += (rng() % 23 == 0) ? ", " : " ";
    out += kWords[rng() % kWordCount];
  }
  return out;
}

struct Op {
  enum Kind { kAddDoc, kDeleteDoc, kCommitOp, kMergeOp } kind;
  tim::Document doc;  // kAddDoc
  std::string id;     // kDeleteDoc
  int segments = 1;   // kMergeOp
};

// The operations of a trial, in order.
std::vector<Op> MakeOps(std::uint64_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::vector<Op> ops;
  ops.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned r = rng() % 100;
    Op op{};
    if (r < 72) {
      op.kind = Op::kAddDoc;
      op.doc.id = "doc-" + std::to_string(rng() % kUniverse);
      op.doc.fields.emplace_back("title", Words(rng, 2 + rng() % 8));
      op.doc.fields.emplace_back("body", Words(rng, 10 + rng() % 600));
    } else if (r < 86) {
      op.kind = Op::kDeleteDoc;
      op.id = "doc-" + std::to_string(rng() % kUniverse);
    } else if (r < 97) {
      op.kind = Op::kCommitOp;
    } else {
      op.kind = Op::kMergeOp;
      op.segments = 1 + static_cast<int>(rng() % 3);
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

using Model = std::map<std::string, tim::Document>;

void Apply(const Op& op, Model* m) {
  if (op.kind == Op::kAddDoc) (*m)[op.doc.id] = op.doc;
  if (op.kind == Op::kDeleteDoc) m->erase(op.id);
}

// ---------------------------------------------------------------- the child

void Fail(Shared* s, const std::string& what, const tim::Status& st) {
  std::snprintf(s->error, sizeof(s->error), "%s: %s", what.c_str(), st.ToString().c_str());
  s->failed.store(1);
  _exit(3);
}

[[noreturn]] void RunChild(const std::string& dir, const std::vector<Op>& ops, Shared* s) {
  TracingFileSystem tracing(s);
  tim::IndexOptions options;
  options.file_system = &tracing;
  options.threads = 2;
  options.ram_budget_bytes = 1 << 20;  // segments flush while documents come in
  options.merge_factor = 3;            // and commits merge
  options.merge_floor_docs = 20;
  std::unique_ptr<tim::IndexWriter> writer;
  tim::Status st = tim::IndexWriter::Open(dir, options, &writer);
  if (!st.ok()) Fail(s, "child: IndexWriter::Open", st);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    switch (op.kind) {
      case Op::kAddDoc:
        s->call.store(kAdd);
        st = writer->AddDocument(op.doc);
        break;
      case Op::kDeleteDoc:
        s->call.store(kDelete);
        st = writer->DeleteDocument(op.id);
        break;
      case Op::kCommitOp:
      case Op::kMergeOp:
        s->manifests_in_call.store(0);
        s->pending_ops.store(i + 1);
        s->call.store(op.kind == Op::kCommitOp ? kCommit : kForceMerge);
        st = op.kind == Op::kCommitOp ? writer->Commit() : writer->ForceMerge(op.segments);
        if (st.ok()) s->done_ops.store(i + 1);
        s->pending_ops.store(0);
        break;
    }
    s->call.store(kNoCall);
    if (!st.ok()) Fail(s, "child: operation " + std::to_string(i), st);
  }
  s->finished.store(1);
  // Stay alive (idle) until killed, so that every trial ends the same way.
  for (;;) pause();
}

// ---------------------------------------------------------------- checking

// Empty when the index holds exactly `want`; else what differs.
std::string Compare(const tim::IndexReader& reader, const Model& want) {
  tim::IndexStats stats;
  tim::Status st = reader.GetStats(&stats);
  if (!st.ok()) return "GetStats: " + st.ToString();
  if (stats.docs != want.size()) {
    return std::to_string(stats.docs) + " live documents, wanted " + std::to_string(want.size());
  }
  for (int k = 0; k < kUniverse; ++k) {
    const std::string id = "doc-" + std::to_string(k);
    tim::Document got;
    st = reader.GetDocument(id, &got);
    const auto it = want.find(id);
    if (it == want.end()) {
      if (!st.IsNotFound()) return id + ": should be absent, got " + st.ToString();
      continue;
    }
    if (!st.ok()) return id + ": " + st.ToString();
    if (got.id != id || got.fields != it->second.fields) return id + ": stored text differs";
  }
  return "";
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void SleepMicros(long us) {
  timespec t{us / 1000000, (us % 1000000) * 1000};
  nanosleep(&t, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: crash_trials DIR [--trials N] [--seed S] [--tim PATH]\n");
    return 2;
  }
  const std::string dir = argv[1];
  int trials = 20;
  std::uint64_t seed = 1;
  std::string tim_binary;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--trials") {
      trials = std::atoi(argv[i + 1]);
    } else if (flag == "--seed") {
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (flag == "--tim") {
      tim_binary = argv[i + 1];
    } else {
      std::fprintf(stderr, "crash_trials: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);

  void* page =
      mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    std::perror("crash_trials: mmap");
    return 1;
  }
  auto* shared = new (page) Shared();

  {
    // An index exists from its first commit: start from an empty one.
    std::unique_ptr<tim::IndexWriter> writer;
    tim::Status st = tim::IndexWriter::Open(dir, tim::IndexOptions(), &writer);
    if (st.ok()) st = writer->Commit();
    if (!st.ok()) {
      std::fprintf(stderr, "crash_trials: creating %s: %s\n", dir.c_str(), st.ToString().c_str());
      return 1;
    }
  }

  std::mt19937_64 rng(seed);
  Model committed;  // the documents the index holds between trials
  // How long an unkilled `tim index` run took (the window CLI kills fall in).
  double cli_seconds = 0.2;
  int kills[kPhases] = {}, cli_kills = 0, cli_landed = 0, landed = 0, failures = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < trials; ++t) {
    const std::uint64_t trial_seed = rng();
    const bool cli = !tim_binary.empty() && t % 5 == 4;
    std::memset(static_cast<void*>(shared->error), 0, sizeof(shared->error));
    shared->call = kNoCall;
    shared->segment_files_open = shared->commit_files_open = shared->manifests_in_call = 0;
    shared->done_ops = shared->pending_ops = 0;
    shared->finished = shared->failed = 0;

    std::vector<Op> ops;
    std::string jsonl;
    if (cli) {
      // New and replacing documents for `tim index`, as JSONL.
      std::vector<Op> adds = MakeOps(trial_seed, 400);
      jsonl = dir + ".jsonl";
      std::ofstream out(jsonl, std::ios::binary);
      for (Op& op : adds) {
        if (op.kind != Op::kAddDoc) continue;
        out << "{\"id\":\"" << op.doc.id << "\",\"title\":\"" << op.doc.fields[0].second
            << "\",\"body\":\"" << op.doc.fields[1].second << "\"}\n";
        ops.push_back(std::move(op));
      }
    } else {
      ops = MakeOps(trial_seed, 3000);
    }
    const Phase target = static_cast<Phase>(t % kPhases);

    const pid_t pid = fork();
    if (pid < 0) {
      std::perror("crash_trials: fork");
      return 1;
    }
    if (pid == 0) {
      if (cli) {
        const int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
          dup2(null, 1);
          dup2(null, 2);
        }
        execl(tim_binary.c_str(), tim_binary.c_str(), "index", dir.c_str(), jsonl.c_str(),
              "--threads", "2", "--quiet", static_cast<char*>(nullptr));
        _exit(127);
      }
      RunChild(dir, ops, shared);
    }

    // Choose the moment.
    const auto child_start = std::chrono::steady_clock::now();
    if (cli) {
      SleepMicros(static_cast<long>(rng() % static_cast<std::uint64_t>(cli_seconds * 1.1e6 + 1)));
    } else {
      const auto wait_start = std::chrono::steady_clock::now();
      while (PhaseOf(*shared) != target && !shared->finished.load() && !shared->failed.load() &&
             Seconds(wait_start) < 30) {
        SleepMicros(20);
      }
      SleepMicros(static_cast<long>(rng() % 500));
    }
    const Phase phase = PhaseOf(*shared);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const bool child_done = cli && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (child_done) cli_seconds = Seconds(child_start);
    if (!cli) ++kills[phase];
    if (cli) ++cli_kills;

    std::string problem;
    if (shared->failed.load()) problem = shared->error;
    if (cli && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
      problem = "tim index exited with status " + std::to_string(WEXITSTATUS(status));
    }

    // The states the index may hold: the last commit that returned OK, or
    // the one in flight.
    Model done = committed, pending = committed;
    bool has_pending = false;
    if (cli) {
      for (const Op& op : ops) Apply(op, &pending);
      has_pending = !child_done;
      if (child_done) done = pending;
    } else {
      const std::uint64_t done_ops = shared->done_ops.load();
      const std::uint64_t pending_ops = shared->pending_ops.load();
      for (std::uint64_t i = 0; i < done_ops; ++i) Apply(ops[i], &done);
      if (pending_ops != 0) {
        pending = done;
        for (std::uint64_t i = done_ops; i < pending_ops; ++i) Apply(ops[i], &pending);
        has_pending = true;
      }
    }

    bool pending_landed = false;
    if (problem.empty()) {
      std::unique_ptr<tim::IndexReader> reader;
      tim::Status st = tim::IndexReader::Open(dir, tim::ReaderOptions(), &reader);
      if (!st.ok()) {
        problem = "IndexReader::Open: " + st.ToString();
      } else if (st = reader->Verify(); !st.ok()) {
        problem = "Verify: " + st.ToString();
      } else {
        std::string diff = Compare(*reader, done);
        if (!diff.empty() && has_pending) {
          const std::string pending_diff = Compare(*reader, pending);
          if (pending_diff.empty()) {
            diff.clear();
            pending_landed = true;
          } else {
            diff =
                "not the last commit (" + diff + ") nor the one in flight (" + pending_diff + ")";
          }
        }
        problem = diff;
      }
    }
    if (problem.empty()) {
      // The next writer opens what the kill left (and the next trial builds on it).
      std::unique_ptr<tim::IndexWriter> writer;
      tim::Status st = tim::IndexWriter::Open(dir, tim::IndexOptions(), &writer);
      if (!st.ok()) problem = "IndexWriter::Open after the kill: " + st.ToString();
    }
    committed = pending_landed ? pending : done;
    if (pending_landed) ++(cli ? cli_landed : landed);
    std::printf("trial %3d %-9s %-9s %4zu docs%s%s%s\n", t + 1, cli ? "cli" : "api",
                cli ? (child_done ? "finished" : "killed") : kPhaseNames[phase], committed.size(),
                pending_landed ? ", in-flight commit landed" : "",
                problem.empty() ? "" : ": FAILED: ", problem.c_str());
    std::fflush(stdout);
    if (!problem.empty()) {
      ++failures;
      // Go on from a new empty index.
      fs::remove_all(dir, ec);
      fs::create_directories(dir);
      committed.clear();
      std::unique_ptr<tim::IndexWriter> writer;
      if (!tim::IndexWriter::Open(dir, tim::IndexOptions(), &writer).ok() ||
          !writer->Commit().ok()) {
        std::fprintf(stderr, "crash_trials: cannot create a new index in %s\n", dir.c_str());
        return 1;
      }
    }
  }
  std::printf(
      "crash_trials: %d trials in %.1f s: API kills in analysis %d, flush %d, merge %d, commit %d "
      "(in-flight commit found landed %d); tim index runs killed %d (landed %d); failures %d\n",
      trials, Seconds(start), kills[kAnalysis], kills[kFlush], kills[kMerge], kills[kCommitPhase],
      landed, cli_kills, cli_landed, failures);
  return failures == 0 ? 0 : 1;
}
