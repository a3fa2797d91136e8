#include "store/lambda_store.h"

#include <sqlite3.h>

#include "platform/log.h"

namespace slipway::store {

namespace {

constexpr const char* kPut =
    "INSERT INTO lambda_async_events(sequence, request_id, function, payload, trace_id, accepted_at_us, attempts) "
    "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(request_id) DO UPDATE SET attempts=?7";
constexpr const char* kRemove = "DELETE FROM lambda_async_events WHERE request_id=?1";
constexpr const char* kLoad =
    "SELECT sequence, request_id, function, payload, trace_id, accepted_at_us, attempts "
    "FROM lambda_async_events ORDER BY sequence";

std::string column_text(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

}  // namespace

SqliteAsyncQueuePersistence::SqliteAsyncQueuePersistence(Store& store) : store_(store) {
  for (auto [sql, stmt] : {std::pair{kPut, &put_}, std::pair{kRemove, &remove_}}) {
    if (sqlite3_prepare_v2(store_.handle(), sql, -1, stmt, nullptr) != SQLITE_OK && prepare_error_.empty()) {
      prepare_error_ = std::string("lambda store: cannot prepare \"") + sql + "\": " + sqlite3_errmsg(store_.handle());
    }
  }
}

SqliteAsyncQueuePersistence::~SqliteAsyncQueuePersistence() {
  sqlite3_finalize(put_);
  sqlite3_finalize(remove_);
}

core::Status SqliteAsyncQueuePersistence::ready() const {
  if (prepare_error_.empty()) return core::Ok{};
  return core::make_error(core::ErrorCode::kInternal, prepare_error_);
}

void SqliteAsyncQueuePersistence::run(sqlite3_stmt* stmt, const char* what) {
  if (stmt == nullptr) {
    store_.fail_transaction(prepare_error_);
    return;
  }
  if (const int rc = sqlite3_step(stmt); rc != SQLITE_DONE) {
    const std::string reason = std::string("lambda store: ") + what + ": " + sqlite3_errstr(rc);
    platform::log_error(reason);
    store_.fail_transaction(reason);
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

void SqliteAsyncQueuePersistence::put_event(const lambda::AsyncEventRecord& e) {
  store_.write([this, e] { store_event(e); });
}

void SqliteAsyncQueuePersistence::remove_event(const std::string& request_id) {
  store_.write([this, request_id] { delete_event(request_id); });
}

void SqliteAsyncQueuePersistence::store_event(const lambda::AsyncEventRecord& e) {
  if (put_) {
    sqlite3_bind_int64(put_, 1, static_cast<sqlite3_int64>(e.sequence));
    sqlite3_bind_text(put_, 2, e.request_id.data(), static_cast<int>(e.request_id.size()), SQLITE_STATIC);
    sqlite3_bind_text(put_, 3, e.function.data(), static_cast<int>(e.function.size()), SQLITE_STATIC);
    sqlite3_bind_blob(put_, 4, e.payload.data(), static_cast<int>(e.payload.size()), SQLITE_STATIC);
    sqlite3_bind_text(put_, 5, e.trace_id.data(), static_cast<int>(e.trace_id.size()), SQLITE_STATIC);
    sqlite3_bind_int64(put_, 6, e.accepted_at_us);
    sqlite3_bind_int(put_, 7, e.attempts);
  }
  run(put_, "put_event");
}

void SqliteAsyncQueuePersistence::delete_event(const std::string& request_id) {
  if (remove_) {
    sqlite3_bind_text(remove_, 1, request_id.data(), static_cast<int>(request_id.size()), SQLITE_STATIC);
  }
  run(remove_, "remove_event");
}

core::Result<lambda::AsyncQueueSnapshot> load_async_snapshot(Store& store) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(store.handle(), kLoad, -1, &s, nullptr) != SQLITE_OK) {
    return core::make_error(core::ErrorCode::kInternal,
                            std::string("lambda store: cannot read queued events: ") + sqlite3_errmsg(store.handle()));
  }
  lambda::AsyncQueueSnapshot snapshot;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    lambda::AsyncEventRecord e;
    e.sequence = static_cast<uint64_t>(sqlite3_column_int64(s, 0));
    e.request_id = column_text(s, 1);
    e.function = column_text(s, 2);
    e.payload = column_text(s, 3);
    e.trace_id = column_text(s, 4);
    e.accepted_at_us = sqlite3_column_int64(s, 5);
    e.attempts = sqlite3_column_int(s, 6);
    snapshot.events.push_back(std::move(e));
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) {
    return core::make_error(core::ErrorCode::kInternal, std::string("lambda store: reading queued events: ") + sqlite3_errstr(rc));
  }
  return snapshot;
}

}  // namespace slipway::store
