#include "lambda/async_queue.h"

namespace slipway::lambda {

void InMemoryAsyncQueuePersistence::put_event(const AsyncEventRecord& event) {
  remove_event(event.request_id);
  by_sequence_[event.sequence] = event;
  sequence_by_id_[event.request_id] = event.sequence;
}

void InMemoryAsyncQueuePersistence::remove_event(const std::string& request_id) {
  auto it = sequence_by_id_.find(request_id);
  if (it == sequence_by_id_.end()) return;
  by_sequence_.erase(it->second);
  sequence_by_id_.erase(it);
}

AsyncQueueSnapshot InMemoryAsyncQueuePersistence::snapshot() const {
  AsyncQueueSnapshot s;
  for (const auto& [seq, e] : by_sequence_) s.events.push_back(e);
  return s;
}

}  // namespace slipway::lambda
