// Loop: the one thread that owns all state (DESIGN rules 1, 2, 4).
//
// Work reaches the loop two ways: the HTTP servers run on the loop thread itself and call
// join_pass() before handing a request to its route; other threads post() and wait. A pass
//   1. opens at the first request, post or timer of a loop iteration,
//   2. applies everything that arrives in that iteration: requests read from every socket that
//      was ready, then everything in the inbox (a mutex-guarded vector woken by uv_async_t), in
//      arrival order; their changes to durable state are recorded as store writes,
//   3. fires the core timers that are due,
//   4. ends (in the iteration's check phase, or at once for a timer pass) by handing its writes
//      to the store's writer thread (store/writer.h) as one batch, and the loop goes on, and
//   5. releases every reply of the pass (after_commit(true) and defer()) when the writer reports
//      that batch committed; if it failed, replies are released as failed (false) and nothing
//      was acknowledged.
// So a 200 always means durable, many requests share one commit (group commit), and the loop
// never waits for SQLite or the disk. Replies are released in pass order: a pass with no writes
// (a read) still waits for the passes before it, so no reply shows a change not yet durable.
//
// Timers live in a core::TimerQueue driven by one uv_timer_t armed for the earliest deadline.
// Signals (SIGINT/SIGTERM) are delivered on the loop thread via uv_signal_t.
//
// stop() may be called from any thread: the loop finishes the pass it is in, runs one last pass
// for whatever is already posted, waits for every batch to commit, fails anything posted later,
// closes its handles and returns from run().
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/timer_queue.h"

struct uv_loop_s;  // libuv's loop, for adapters; only loop.cpp includes uv.h

namespace slipway::store {
class Store;
}

namespace slipway::platform {

class Loop {
 public:
  // `store` may be null (no persistence, e.g. in tests); it must outlive the loop.
  Loop(const core::Clock& clock, store::Store* store);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // Any thread. `apply` runs on the loop thread inside a pass's transaction; `after_commit`
  // runs on the loop thread after the pass committed (true) or failed to (false). Returns false,
  // running neither, when the loop has stopped.
  bool post(std::function<void()> apply, std::function<void(bool committed)> after_commit);

  // Any thread but the loop's: runs `fn` on the loop and waits for the pass to commit. Returns
  // nullopt when the loop has stopped or the commit failed (the caller answers 500 or 503).
  template <typename R>
  std::optional<R> call(std::function<R()> fn);

  // Loop thread only: runs `fn` after the current pass commits (true) or fails to (false);
  // outside a pass, after the last pass handed to the writer commits, or at once with true when
  // nothing is waiting to be made durable. For replies (a request's answer, a parked long poll
  // woken by a send or a timer), so they are released only once their changes are durable.
  void defer(std::function<void(bool committed)> fn);

  // Loop thread only, from an I/O callback: makes sure a pass is open, so the caller may change
  // state; the pass ends once this loop iteration's I/O callbacks are done.
  void join_pass();
  // Loop thread only, from an I/O callback: ends the open pass now rather than after this
  // iteration's other callbacks, so its writes start committing while the loop reads on. The
  // edge server calls it after each read: with the writer busy, passes handed over meanwhile
  // queue up and commit together, so commits stay grouped under load.
  void end_pass();

  // Loop thread only: the libuv loop, for adapters (servers, processes) that own handles on it.
  ::uv_loop_s* uv();

  // Loop thread only: the timers every module arms.
  core::TimerQueue& timers() { return timers_; }
  const core::Clock& clock() const { return clock_; }

  // Loop thread, before run(): `handler` runs on the loop thread when `signum` arrives.
  void on_signal(int signum, std::function<void()> handler);

  // Runs passes until stop(). Call on the thread that will own the state.
  void run();
  // Any thread.
  void stop();
  bool stopping() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const core::Clock& clock_;
  core::TimerQueue timers_;
};

template <typename R>
std::optional<R> Loop::call(std::function<R()> fn) {
  auto result = std::make_shared<std::optional<R>>();
  auto done = std::make_shared<std::promise<bool>>();
  std::future<bool> committed = done->get_future();
  bool posted = post([result, fn = std::move(fn)] { *result = fn(); },
                     [done](bool ok) { done->set_value(ok); });
  if (!posted || !committed.get()) return std::nullopt;
  return std::move(*result);
}

}  // namespace slipway::platform
