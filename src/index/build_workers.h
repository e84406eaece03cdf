// The threads that analyse, invert and write segments for an IndexWriter.
// Each worker owns one SegmentBuilder at a time, fed through its own queue
// (at most kQueueLimit documents waiting: the back-pressure that keeps a
// writer within its memory budget). With one thread the caller's thread
// does the work itself, inline.
//
// Threads: the caller's thread (the writer's) submits tasks, picks workers
// and reads each record's bookkeeping; a worker thread touches only its
// builder and the record of the task it runs (flush_status, info).
#ifndef TIM_INDEX_BUILD_WORKERS_H_
#define TIM_INDEX_BUILD_WORKERS_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <roaring/roaring.hh>

#include "index/segment.h"
#include "index/segment_builder.h"
#include "store/doc_store.h"
#include "tim/analyzer.h"
#include "tim/file_system.h"

namespace tim::index {

// One segment as the writer knows it: being built, being flushed by a
// worker, or on disk.
struct SegmentRecord {
  enum class State { kBuilding, kFlushing, kOnDisk };
  State state = State::kBuilding;
  std::string name;
  std::uint32_t doc_count = 0;
  // Until committed, the writer maps ids itself; afterwards the segment's
  // id table answers.
  std::unordered_map<std::string, std::uint32_t> ids;
  std::shared_ptr<const SegmentReader> reader;
  Roaring deletes;
  std::uint64_t del_gen = 0;
  bool deletes_dirty = false;
  // Set by the worker that flushed it.
  Status flush_status;
  SegmentInfo info;

  std::uint32_t del_count() const { return static_cast<std::uint32_t>(deletes.cardinality()); }
  std::uint32_t live() const { return doc_count - del_count(); }
};

// A document to add to a record's builder, or the record's flush.
struct BuildTask {
  std::shared_ptr<SegmentRecord> record;
  bool flush = false;
  std::string id;
  std::vector<std::pair<std::uint32_t, std::string>> fields;
  std::vector<TypedValue> typed;         // the values of its typed fields
  std::uint32_t title_field = kNoField;  // the field named "title", if any
};

class BuildWorkers {
 public:
  struct Worker {
    std::thread thread;
    std::deque<BuildTask> queue;
    std::shared_ptr<SegmentRecord> active;    // the record new docs go to (caller's thread)
    std::unique_ptr<SegmentBuilder> builder;  // worker's thread
    // The builder's memory after its last document, and whose builder it
    // is: a report about a segment already sent to flush must not flush
    // the next one too.
    std::atomic<std::size_t> memory{0};
    std::atomic<const SegmentRecord*> memory_of{nullptr};
    bool busy = false;
  };
  static constexpr std::size_t kQueueLimit = 64;  // documents waiting per worker

  // `threads` workers (1: inline) building with `analyzer` into `dir`; all
  // must outlive the workers.
  BuildWorkers(const Analyzer* analyzer, FileSystem* fs, std::string dir,
               store::StoreOptions store_options, int threads);
  ~BuildWorkers();  // stops the threads once their queues are done
  BuildWorkers(const BuildWorkers&) = delete;
  BuildWorkers& operator=(const BuildWorkers&) = delete;

  std::size_t size() const { return workers_.size(); }
  // The worker with the shortest queue (waiting while every queue is
  // full): while one worker flushes a segment (seconds, for a large one),
  // documents flow to the others instead of waiting behind the flush.
  Worker* Pick();
  void Submit(Worker* w, BuildTask task);
  // Sends the worker's active record to be written; new documents start
  // another.
  void Flush(Worker* w);
  void FlushAll();
  // Waits until every queue is empty and no worker is busy.
  void WaitIdle();

 private:
  bool inline_mode() const { return workers_.size() == 1 && !workers_[0]->thread.joinable(); }
  // Runs one task on the worker's builder (worker thread, or caller inline).
  void Run(Worker* w, BuildTask& task);
  void Loop(Worker* w);

  const Analyzer* analyzer_;
  FileSystem* fs_;
  std::string dir_;
  store::StoreOptions store_options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_, idle_cv_;
  bool stopping_ = false;
};

}  // namespace tim::index

#endif  // TIM_INDEX_BUILD_WORKERS_H_
