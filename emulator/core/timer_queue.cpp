#include "core/timer_queue.h"

namespace slipway::core {

TimerId TimerQueue::arm(TimeUs due_us, Callback cb) {
  const TimerId id = next_id_++;
  timers_.emplace(Key{due_us, id}, std::move(cb));
  due_by_id_.emplace(id, due_us);
  return id;
}

bool TimerQueue::cancel(TimerId id) {
  auto found = due_by_id_.find(id);
  if (found == due_by_id_.end()) return false;
  timers_.erase(Key{found->second, id});
  due_by_id_.erase(found);
  return true;
}

std::optional<TimeUs> TimerQueue::next_due_us() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

size_t TimerQueue::fire_due(TimeUs now_us) {
  const TimerId armed_before = next_id_;  // timers armed from here on wait for a later pass
  size_t fired = 0;
  auto it = timers_.begin();
  while (it != timers_.end() && it->first.first <= now_us) {
    if (it->first.second >= armed_before) {
      ++it;
      continue;
    }
    const Key key = it->first;
    Callback cb = std::move(it->second);
    timers_.erase(it);
    due_by_id_.erase(key.second);
    cb(now_us);
    ++fired;
    // The callback may have armed or cancelled anything; resume just past the key that fired.
    it = timers_.upper_bound(key);
  }
  return fired;
}

}  // namespace slipway::core
