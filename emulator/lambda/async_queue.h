// The seam for a durable asynchronous (Event) invocation queue, shaped like sqs/persistence.h.
//
// Today the queue lives in LambdaService's memory and is mirrored, write-through, to an
// AsyncQueuePersistence: put_event() when an Event invoke is accepted, remove_event() once its
// outcome is final. The default store is InMemoryAsyncQueuePersistence (nothing survives a
// restart). A SQLite store (store/) implements the same interface later; at start the daemon
// loads an AsyncQueueSnapshot and hands it to LambdaService::restore_async(), which re-queues
// every event (one that was running when the daemon died runs again, as AWS retries it).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"

namespace slipway::lambda {

struct AsyncEventRecord {
  uint64_t sequence = 0;  // service-wide accept order; restore() re-queues in this order
  std::string request_id;
  std::string function;   // the resolved function name
  std::string payload;
  std::string trace_id;
  core::TimeUs accepted_at_us = 0;  // MaximumEventAgeInSeconds counts from here (later)
  int attempts = 0;                 // attempts made so far (retries come later)
};

struct AsyncQueueSnapshot {
  std::vector<AsyncEventRecord> events;  // any order
};

class AsyncQueuePersistence {
 public:
  virtual ~AsyncQueuePersistence() = default;
  // Upsert by request id.
  virtual void put_event(const AsyncEventRecord& event) = 0;
  virtual void remove_event(const std::string& request_id) = 0;
};

// The default: records kept in memory, in sequence order.
class InMemoryAsyncQueuePersistence final : public AsyncQueuePersistence {
 public:
  void put_event(const AsyncEventRecord& event) override;
  void remove_event(const std::string& request_id) override;
  AsyncQueueSnapshot snapshot() const;
  size_t size() const { return by_sequence_.size(); }

 private:
  std::map<uint64_t, AsyncEventRecord> by_sequence_;
  std::map<std::string, uint64_t> sequence_by_id_;
};

}  // namespace slipway::lambda
