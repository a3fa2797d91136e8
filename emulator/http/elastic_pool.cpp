#include "http/elastic_pool.h"

#include <thread>

namespace slipway::http {

namespace {

// Tasks waiting beyond this many (with every thread busy) are refused: a bound on the backlog.
constexpr size_t kMaxBacklog = 65536;

class PoolTaskQueue final : public httplib::TaskQueue {
 public:
  explicit PoolTaskQueue(ElasticPool& pool) : pool_(pool) {}
  void enqueue(std::function<void()> fn) override { pool_.submit(std::move(fn)); }
  void shutdown() override {}  // the pool outlives any one server

 private:
  ElasticPool& pool_;
};

}  // namespace

ElasticPool::ElasticPool(size_t min_threads, size_t max_threads,
                         std::chrono::milliseconds idle_timeout)
    : min_threads_(min_threads), max_threads_(max_threads), idle_timeout_(idle_timeout) {}

ElasticPool::~ElasticPool() { shutdown(); }

bool ElasticPool::submit(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mu_);
  if (shutdown_) return false;
  const bool need_thread = idle_ <= jobs_.size() && threads_ < max_threads_;
  if (!need_thread && idle_ <= jobs_.size() && jobs_.size() >= kMaxBacklog) return false;
  jobs_.push_back(std::move(fn));
  if (need_thread) {
    ++threads_;
    std::thread([this] { worker_main(); }).detach();
  } else {
    work_cv_.notify_one();
  }
  return true;
}

void ElasticPool::worker_main() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (!jobs_.empty()) {
      auto fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
      continue;
    }
    if (shutdown_) break;
    ++idle_;
    const bool woke = work_cv_.wait_for(lock, idle_timeout_,
                                        [this] { return !jobs_.empty() || shutdown_; });
    --idle_;
    if (!woke && threads_ > min_threads_) break;  // idle too long and above the floor
  }
  --threads_;
  exit_cv_.notify_all();
}

bool ElasticPool::shutdown(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  shutdown_ = true;
  work_cv_.notify_all();
  return exit_cv_.wait_for(lock, timeout, [this] { return threads_ == 0; });
}

httplib::TaskQueue* ElasticPool::make_task_queue() { return new PoolTaskQueue(*this); }

size_t ElasticPool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_;
}

size_t ElasticPool::idle_threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_;
}

}  // namespace slipway::http
