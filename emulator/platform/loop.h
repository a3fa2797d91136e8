// Loop: the one thread that owns all state (DESIGN rules 1, 2, 4).
//
// Other threads (HTTP handlers) never touch state: they post() work and wait. A loop pass
//   1. takes everything in the inbox (a mutex-guarded vector woken by uv_async_t),
//   2. opens one store transaction,
//   3. applies each posted item in arrival order, then fires the core timers that are due,
//   4. commits, and only then
//   5. releases every reply of the pass (after_commit(true)); if the commit failed, replies
//      are released as failed (after_commit(false)) and nothing was acknowledged.
// So a 200 always means durable, and many requests share one commit (group commit).
//
// Timers live in a core::TimerQueue driven by one uv_timer_t armed for the earliest deadline.
// Signals (SIGINT/SIGTERM) are delivered on the loop thread via uv_signal_t.
//
// stop() may be called from any thread: the loop finishes the pass it is in, runs one last pass
// for whatever is already posted, fails anything posted later, closes its handles and returns
// from run().
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/timer_queue.h"

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

  // Loop thread only, inside a pass: runs `fn` after this pass commits (true) or fails to
  // (false). For replies produced during a pass rather than by a post (a parked long poll woken
  // by a send or a timer), so they too are released only once their changes are durable.
  void defer(std::function<void(bool committed)> fn);

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
