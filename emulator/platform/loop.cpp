#include "platform/loop.h"

#include <uv.h>

#include <atomic>
#include <cstdio>
#include <utility>

#include "store/store.h"

namespace slipway::platform {

namespace {

struct Posted {
  std::function<void()> apply;
  std::function<void(bool)> after_commit;
};

}  // namespace

struct Loop::Impl {
  Loop* owner = nullptr;
  store::Store* store = nullptr;
  uv_loop_t loop{};
  uv_async_t wake{};
  uv_timer_t timer{};
  uv_check_t commit_check{};  // active while a pass is open: commits it after the I/O phase
  std::vector<std::unique_ptr<uv_signal_t>> signals;
  std::vector<std::function<void()>> signal_handlers;

  std::mutex mu;
  std::vector<Posted> inbox;  // guarded by mu
  bool closed = false;        // guarded by mu: no more posts accepted
  std::atomic<bool> stop_requested{false};
  std::vector<std::function<void(bool)>> deferred;  // loop thread only: released after commit
  bool in_pass = false;     // loop thread only: a transaction is open
  bool pass_ok = true;      // loop thread only: the open pass's transaction began

  bool begin_pass();
  void end_pass();
  void drain_inbox();
  void pass();
  void arm_timer();
  void shut_down();
};

Loop::Loop(const core::Clock& clock, store::Store* store)
    : impl_(std::make_unique<Impl>()), clock_(clock) {
  impl_->owner = this;
  impl_->store = store;
  uv_loop_init(&impl_->loop);
  impl_->loop.data = impl_.get();
  uv_async_init(&impl_->loop, &impl_->wake, [](uv_async_t* h) {
    auto* impl = static_cast<Impl*>(h->loop->data);
    impl->drain_inbox();  // the pass commits in this iteration's check phase
    if (impl->stop_requested.load()) impl->shut_down();
  });
  uv_timer_init(&impl_->loop, &impl_->timer);
  uv_check_init(&impl_->loop, &impl_->commit_check);
}

Loop::~Loop() {
  if (uv_loop_alive(&impl_->loop)) {
    // run() was never called or did not finish: close what we opened.
    impl_->shut_down();
    uv_run(&impl_->loop, UV_RUN_DEFAULT);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&impl_->commit_check), nullptr);
  uv_run(&impl_->loop, UV_RUN_DEFAULT);
  uv_loop_close(&impl_->loop);
}

bool Loop::post(std::function<void()> apply, std::function<void(bool)> after_commit) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->closed) return false;
    impl_->inbox.push_back(Posted{std::move(apply), std::move(after_commit)});
  }
  uv_async_send(&impl_->wake);
  return true;
}

void Loop::on_signal(int signum, std::function<void()> handler) {
  auto sig = std::make_unique<uv_signal_t>();
  uv_signal_init(&impl_->loop, sig.get());
  impl_->signal_handlers.push_back(std::move(handler));
  sig->data = reinterpret_cast<void*>(impl_->signal_handlers.size() - 1);
  uv_signal_start(
      sig.get(),
      [](uv_signal_t* h, int) {
        auto* impl = static_cast<Impl*>(h->loop->data);
        impl->signal_handlers[reinterpret_cast<size_t>(h->data)]();
      },
      signum);
  impl_->signals.push_back(std::move(sig));
}

void Loop::run() {
  uv_run(&impl_->loop, UV_RUN_DEFAULT);
  // A handle closing last may have joined a pass that no check phase will commit.
  if (impl_->in_pass) impl_->end_pass();
}

void Loop::stop() {
  impl_->stop_requested.store(true);
  uv_async_send(&impl_->wake);
}

void Loop::defer(std::function<void(bool)> fn) {
  if (!impl_->in_pass) {
    fn(true);
    return;
  }
  impl_->deferred.push_back(std::move(fn));
}

bool Loop::join_pass() { return impl_->begin_pass(); }

bool Loop::in_pass() const { return impl_->in_pass; }

uv_loop_t* Loop::uv() { return &impl_->loop; }

bool Loop::stopping() const { return impl_->stop_requested.load(); }

bool Loop::Impl::begin_pass() {
  if (in_pass) return pass_ok;
  in_pass = true;
  pass_ok = true;
  if (store) {
    if (auto s = store->begin(); !s) {
      std::fprintf(stderr, "slipway: ERROR cannot begin a transaction: %s\n", s.error().message.c_str());
      pass_ok = false;
    }
  }
  uv_check_start(&commit_check, [](uv_check_t* h) { static_cast<Impl*>(h->loop->data)->end_pass(); });
  return pass_ok;
}

// Commits the open pass and releases its replies. A released reply may let a connection read
// its next, pipelined request, which opens a new pass: that one is finished here too, so no
// pass is ever left open while the loop waits for I/O.
void Loop::Impl::end_pass() {
  while (in_pass) {
    bool committed = pass_ok;
    if (committed) {
      owner->timers_.fire_due(owner->clock_.now_us());
      if (store) {
        if (auto s = store->commit(); !s) {
          std::fprintf(stderr, "slipway: ERROR commit failed, replies of this pass fail: %s\n",
                       s.error().message.c_str());
          committed = false;
        }
      }
    }
    in_pass = false;
    std::vector<std::function<void(bool)>> released;
    released.swap(deferred);
    for (auto& fn : released) fn(committed);
  }
  uv_check_stop(&commit_check);
  arm_timer();
}

void Loop::Impl::drain_inbox() {
  std::vector<Posted> batch;
  {
    std::lock_guard<std::mutex> lock(mu);
    batch.swap(inbox);
  }
  if (batch.empty()) return;
  const bool ok = begin_pass();
  for (Posted& p : batch) {
    if (ok) p.apply();
    deferred.push_back(std::move(p.after_commit));
  }
}

// A whole pass at once: for callers outside the I/O phase (timers, shutdown).
void Loop::Impl::pass() {
  drain_inbox();
  begin_pass();
  end_pass();
}

void Loop::Impl::arm_timer() {
  auto due = owner->timers_.next_due_us();
  if (!due || stop_requested.load()) {
    uv_timer_stop(&timer);
    return;
  }
  const core::TimeUs wait_us = *due - owner->clock_.now_us();
  // uv timers have millisecond resolution: round up so we never wake before the deadline.
  const uint64_t wait_ms = wait_us <= 0 ? 0 : static_cast<uint64_t>((wait_us + 999) / 1000);
  uv_timer_start(
      &timer,
      [](uv_timer_t* h) {
        auto* impl = static_cast<Impl*>(h->loop->data);
        impl->pass();
      },
      wait_ms, 0);
}

void Loop::Impl::shut_down() {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (closed) return;
    closed = true;
  }
  pass();  // whatever was posted before closing still gets its answer
  uv_timer_stop(&timer);
  for (auto& sig : signals) uv_signal_stop(sig.get());
  auto noop = [](uv_handle_t*) {};
  uv_close(reinterpret_cast<uv_handle_t*>(&wake), noop);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer), noop);
  // commit_check stays open (unreferenced, so it keeps nothing alive): adapters still closing
  // their handles may join a pass until the loop is destroyed.
  uv_unref(reinterpret_cast<uv_handle_t*>(&commit_check));
  for (auto& sig : signals) uv_close(reinterpret_cast<uv_handle_t*>(sig.get()), noop);
}

}  // namespace slipway::platform
