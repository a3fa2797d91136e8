// TimerQueue: every deadline in the core (visibility expiry, delays, long-poll timeouts,
// invocation deadlines, retries) is a timer here. Pure: the owner passes `now` in and decides
// when to call fire_due(); under the daemon that is the libuv loop, in tests a ManualClock.
//
// Invariants (DESIGN rule 4):
// - Timers fire in total order of (due time, arm sequence): equal deadlines fire in the order
//   they were armed. Same inputs, same order.
// - A timer armed while timers are firing runs in a later fire_due() call, even if it is already
//   due, so a callback that re-arms itself at `now` cannot starve the loop.
// - Callbacks may arm and cancel timers (including ones due in the same pass).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/clock.h"

namespace slipway::core {

using TimerId = uint64_t;

class TimerQueue {
 public:
  using Callback = std::function<void(TimeUs now_us)>;

  TimerQueue() = default;
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Schedules `cb` to run at `due_us`. Returns an id for cancel(); ids are never reused.
  TimerId arm(TimeUs due_us, Callback cb);
  // Removes a pending timer. Returns false if it already fired or was cancelled.
  bool cancel(TimerId id);
  // The earliest pending deadline, if any.
  std::optional<TimeUs> next_due_us() const;
  // Fires every timer due at or before `now_us` that was armed before this call began, in
  // (due, sequence) order. Returns how many fired.
  size_t fire_due(TimeUs now_us);
  size_t size() const { return timers_.size(); }
  bool empty() const { return timers_.empty(); }

 private:
  using Key = std::pair<TimeUs, TimerId>;
  std::map<Key, Callback> timers_;
  std::unordered_map<TimerId, TimeUs> due_by_id_;
  TimerId next_id_ = 1;
};

}  // namespace slipway::core
