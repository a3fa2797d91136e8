#include "platform/loop.h"

#include <uv.h>

#include <atomic>
#include <deque>
#include <utility>

#include "store/store.h"

namespace slipway::platform {

namespace {

struct Posted {
  std::function<void()> apply;
  std::function<void(bool)> after_commit;
};

// A pass handed to the store's writer: its replies wait for the batch's outcome.
struct InFlight {
  uint64_t batch;
  std::vector<std::function<void(bool)>> replies;
};

}  // namespace

struct Loop::Impl {
  Loop* owner = nullptr;
  store::Store* store = nullptr;
  uv_loop_t loop{};
  uv_async_t wake{};
  uv_timer_t timer{};
  uv_check_t commit_check{};  // active while a pass is open: ends it after the I/O phase
  uv_async_t finished{};      // the store's writer committed a batch (unreferenced)
  std::vector<std::unique_ptr<uv_signal_t>> signals;
  std::vector<std::function<void()>> signal_handlers;

  std::mutex mu;
  std::vector<Posted> inbox;  // guarded by mu
  bool closed = false;        // guarded by mu: no more posts accepted
  std::atomic<bool> stop_requested{false};
  std::vector<std::function<void(bool)>> deferred;  // loop thread only: the open pass's replies
  std::deque<InFlight> in_flight;  // loop thread only: passes handed to the writer, oldest first
  bool in_pass = false;            // loop thread only

  void begin_pass();
  void end_pass();
  void hand_over(std::vector<std::function<void(bool)>> replies);
  void release_finished();
  void settle();
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
  uv_async_init(&impl_->loop, &impl_->finished, [](uv_async_t* h) {
    static_cast<Impl*>(h->loop->data)->release_finished();
  });
  uv_unref(reinterpret_cast<uv_handle_t*>(&impl_->finished));  // in-flight passes keep nothing alive
  if (store) {
    store->on_finished([impl = impl_.get()] { uv_async_send(&impl->finished); });
  }
}

Loop::~Loop() {
  if (uv_loop_alive(&impl_->loop)) {
    // run() was never called or did not finish: close what we opened.
    impl_->shut_down();
    uv_run(&impl_->loop, UV_RUN_DEFAULT);
  }
  impl_->settle();
  if (impl_->store) impl_->store->on_finished({});
  uv_close(reinterpret_cast<uv_handle_t*>(&impl_->finished), nullptr);
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
  // A handle closing last may have joined a pass that no check phase will end.
  if (impl_->in_pass) impl_->end_pass();
  impl_->settle();
}

void Loop::stop() {
  impl_->stop_requested.store(true);
  uv_async_send(&impl_->wake);
}

void Loop::defer(std::function<void(bool)> fn) {
  if (impl_->in_pass) {
    impl_->deferred.push_back(std::move(fn));
    return;
  }
  std::vector<std::function<void(bool)>> replies;
  replies.push_back(std::move(fn));
  impl_->hand_over(std::move(replies));
}

void Loop::join_pass() { impl_->begin_pass(); }

void Loop::end_pass() {
  if (impl_->in_pass) impl_->end_pass();
}

uv_loop_t* Loop::uv() { return &impl_->loop; }

bool Loop::stopping() const { return impl_->stop_requested.load(); }

void Loop::Impl::begin_pass() {
  if (in_pass) return;
  in_pass = true;
  uv_check_start(&commit_check, [](uv_check_t* h) { static_cast<Impl*>(h->loop->data)->end_pass(); });
}

// Ends the open pass: hands its writes and replies over. A reply released at once (nothing to
// wait for) may let a connection read its next, pipelined request, which opens a new pass: that
// one is ended here too, so no pass is ever left open while the loop waits for I/O.
void Loop::Impl::end_pass() {
  while (in_pass) {
    owner->timers_.fire_due(owner->clock_.now_us());
    in_pass = false;
    hand_over(std::exchange(deferred, {}));
  }
  uv_check_stop(&commit_check);
  arm_timer();
}

// Outside a pass: `replies` wait for the store's writes recorded so far, and for every pass
// before them; with nothing to wait for they run now.
void Loop::Impl::hand_over(std::vector<std::function<void(bool)>> replies) {
  if (store && store->has_pending()) {
    in_flight.push_back(InFlight{store->submit(), std::move(replies)});
  } else if (!in_flight.empty()) {
    auto& waiting = in_flight.back().replies;
    waiting.insert(waiting.end(), std::make_move_iterator(replies.begin()),
                   std::make_move_iterator(replies.end()));
  } else {
    for (auto& fn : replies) fn(true);
  }
}

// The writer's finished batches, in submit order: release each one's replies.
void Loop::Impl::release_finished() {
  if (!store) return;
  for (const store::BatchOutcome& outcome : store->take_finished()) {
    InFlight done = std::move(in_flight.front());
    in_flight.pop_front();
    for (auto& fn : done.replies) fn(outcome.committed);
  }
}

// Waits for every pass handed to the writer and releases its replies (shutting down).
void Loop::Impl::settle() {
  while (!in_flight.empty() || in_pass) {
    if (in_pass) end_pass();
    if (store) store->wait_idle();
    release_finished();
  }
}

void Loop::Impl::drain_inbox() {
  std::vector<Posted> batch;
  {
    std::lock_guard<std::mutex> lock(mu);
    batch.swap(inbox);
  }
  if (batch.empty()) return;
  begin_pass();
  for (Posted& p : batch) {
    p.apply();
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
