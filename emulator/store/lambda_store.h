// Lambda persistence on SQLite: the durable queue of accepted Event invocations (migration 3,
// table lambda_async_events: sequence INTEGER PRIMARY KEY in accept order, request_id UNIQUE,
// function, payload BLOB, trace id, accept time, attempts).
//
// A 202 for an Event invoke is an acknowledgement: the event is written in the pass that
// accepts it, so it commits before the 202 leaves, and survives kill -9. It is removed in the
// pass where its outcome becomes final. At start, load_async_snapshot() hands what is left to
// LambdaService::restore_async(), which runs it again (as AWS retries an invocation whose
// environment died).
//
// Each call records a write (Store::write) that owns its record and runs in the pass's
// transaction on the store's writer thread; a failure fails the transaction
// (Store::fail_transaction), so nothing in that pass is acknowledged.
#pragma once

#include "core/result.h"
#include "lambda/async_queue.h"
#include "store/store.h"

struct sqlite3_stmt;

namespace slipway::store {

class SqliteAsyncQueuePersistence final : public lambda::AsyncQueuePersistence {
 public:
  // REQUIRES: `store` has migration 3 applied and outlives this object.
  explicit SqliteAsyncQueuePersistence(Store& store);
  ~SqliteAsyncQueuePersistence() override;
  SqliteAsyncQueuePersistence(const SqliteAsyncQueuePersistence&) = delete;
  SqliteAsyncQueuePersistence& operator=(const SqliteAsyncQueuePersistence&) = delete;

  core::Status ready() const;

  void put_event(const lambda::AsyncEventRecord& event) override;
  void remove_event(const std::string& request_id) override;

 private:
  void store_event(const lambda::AsyncEventRecord& event);
  void delete_event(const std::string& request_id);
  void run(sqlite3_stmt* stmt, const char* what);

  Store& store_;
  sqlite3_stmt* put_ = nullptr;
  sqlite3_stmt* remove_ = nullptr;
  std::string prepare_error_;
};

// Every stored event, in accept order.
core::Result<lambda::AsyncQueueSnapshot> load_async_snapshot(Store& store);

}  // namespace slipway::store
