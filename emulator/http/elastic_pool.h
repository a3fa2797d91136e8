// ElasticPool: the one worker pool every cpp-httplib server of the daemon shares.
//
// cpp-httplib runs each connection as one task for its whole keep-alive life, and a handler
// that parks (a long poll, GET /runtime/invocation/next) holds its worker while parked. A fixed
// pool therefore deadlocks once enough requests park. This pool starts a thread whenever a task
// arrives and no worker is idle, up to `max_threads`; workers idle for longer than
// `idle_timeout` exit, down to `min_threads`.
//
// cpp-httplib takes ownership of one TaskQueue per server and calls shutdown() when that server
// stops, so each server gets a thin TaskQueue handle (make_task_queue()) onto the shared pool;
// the pool itself is stopped by its owner.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace slipway::http {

class ElasticPool {
 public:
  ElasticPool(size_t min_threads, size_t max_threads, std::chrono::milliseconds idle_timeout);
  ~ElasticPool();  // shutdown(), waiting as long as it takes
  ElasticPool(const ElasticPool&) = delete;
  ElasticPool& operator=(const ElasticPool&) = delete;

  // Runs `fn` on a worker. Returns false after shutdown() or when max_threads are all busy and
  // the backlog bound is reached (the caller drops the connection).
  bool submit(std::function<void()> fn);
  // Refuses new tasks, lets queued ones finish and waits up to `timeout` for every worker to
  // exit. Returns false if some are still busy then (an idle keep-alive connection can hold a
  // worker for the keep-alive timeout); the process is then ending and leaves them be.
  bool shutdown(std::chrono::milliseconds timeout = std::chrono::hours(1));

  // A cpp-httplib TaskQueue that submits here; shutting it down does not stop the pool.
  httplib::TaskQueue* make_task_queue();

  size_t threads() const;
  size_t idle_threads() const;

 private:
  void worker_main();

  const size_t min_threads_;
  const size_t max_threads_;
  const std::chrono::milliseconds idle_timeout_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable exit_cv_;
  std::deque<std::function<void()>> jobs_;
  size_t threads_ = 0;
  size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace slipway::http
