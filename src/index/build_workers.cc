#include "index/build_workers.h"

namespace tim::index {

BuildWorkers::BuildWorkers(const Analyzer* analyzer, FileSystem* fs, std::string dir,
                           store::StoreOptions store_options, int threads)
    : analyzer_(analyzer), fs_(fs), dir_(std::move(dir)), store_options_(store_options) {
  for (int i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
  if (threads == 1) return;  // the caller's thread does the work
  for (auto& w : workers_) {
    Worker* worker = w.get();
    w->thread = std::thread([this, worker] { Loop(worker); });
  }
}

BuildWorkers::~BuildWorkers() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

void BuildWorkers::Run(Worker* w, BuildTask& task) {
  SegmentRecord& rec = *task.record;
  if (task.flush) {
    if (w->builder != nullptr) {
      rec.flush_status = w->builder->Flush(&rec.info);
      w->builder.reset();
    }
    w->memory = 0;
    return;
  }
  if (w->builder == nullptr) {
    w->builder = std::make_unique<SegmentBuilder>(analyzer_, fs_, dir_, rec.name, store_options_);
  }
  if (task.title_field != kNoField) w->builder->set_title_field(task.title_field);
  std::vector<std::pair<std::uint32_t, std::string_view>> fields;
  fields.reserve(task.fields.size());
  for (const auto& [f, text] : task.fields) fields.emplace_back(f, text);
  Status s = w->builder->Add(task.id, fields, task.typed);
  if (!s.ok() && rec.flush_status.ok()) rec.flush_status = s;
  w->memory = w->builder->memory_usage();
  w->memory_of = &rec;
}

void BuildWorkers::Loop(Worker* w) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !w->queue.empty(); });
    if (w->queue.empty()) return;  // stopping
    BuildTask task = std::move(w->queue.front());
    w->queue.pop_front();
    w->busy = true;
    lock.unlock();
    idle_cv_.notify_all();  // a queue slot freed
    Run(w, task);
    lock.lock();
    w->busy = false;
    idle_cv_.notify_all();
  }
}

void BuildWorkers::Submit(Worker* w, BuildTask task) {
  if (inline_mode()) {
    Run(w, task);
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [&] { return w->queue.size() < kQueueLimit; });
  w->queue.push_back(std::move(task));
  lock.unlock();
  work_cv_.notify_all();
}

BuildWorkers::Worker* BuildWorkers::Pick() {
  if (inline_mode()) return workers_[0].get();
  std::unique_lock<std::mutex> lock(mu_);
  Worker* best = nullptr;
  idle_cv_.wait(lock, [&] {
    for (auto& w : workers_) {
      if (best == nullptr || w->queue.size() < best->queue.size()) best = w.get();
    }
    return best->queue.size() < kQueueLimit;
  });
  return best;
}

void BuildWorkers::Flush(Worker* w) {
  if (w->active == nullptr) return;
  w->active->state = SegmentRecord::State::kFlushing;
  BuildTask task;
  task.record = std::move(w->active);
  task.flush = true;
  Submit(w, std::move(task));
}

void BuildWorkers::FlushAll() {
  for (auto& w : workers_) Flush(w.get());
}

void BuildWorkers::WaitIdle() {
  if (inline_mode()) return;
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [&] {
    for (auto& w : workers_) {
      if (!w->queue.empty() || w->busy) return false;
    }
    return true;
  });
}

}  // namespace tim::index
