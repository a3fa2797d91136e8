#include "store/store.h"

#include <sqlite3.h>
#include <unistd.h>

#include "platform/log.h"

namespace slipway::store {

namespace {

constexpr auto kCheckpointInterval = std::chrono::milliseconds(200);

core::Error sqlite_error(sqlite3* db, const std::string& what) {
  return core::make_error(core::ErrorCode::kInternal,
                          what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

core::Result<std::unique_ptr<Store>> Store::open(const std::string& path, Durability durability,
                                                 const std::vector<Migration>& migrations,
                                                 int restart_frames) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    core::Error e = sqlite_error(db, "cannot open database " + path);
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<Store> store(new Store(db));
  // See Durability: under kNormal this connection never waits for the disk; the checkpointer's
  // connection does every sync, on its own thread.
  const char* sync = durability == Durability::kFull ? "FULL" : "OFF";
  const std::string pragmas = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") + sync +
                              "; PRAGMA foreign_keys=ON;"
                              // 8 MiB of page cache. Messages are keyed by sequence, so
                              // writes touch a few pages at the ends of the table. A bigger
                              // cache costs at commit: after a page split, SQLite scans the
                              // whole cache's hash table (the split renumbers a page through
                              // a temporary high number). 64 MiB -> 8 MiB took
                              // ReceiveMessage(10) + DeleteMessageBatch from 40-45k to
                              // 50-62k messages/s, and left batch sends as they were.
                              " PRAGMA cache_size=-8192;"
                              // Checkpoints run on the Checkpointer's thread, not in commits
                              // (checkpointer.h).
                              " PRAGMA wal_autocheckpoint=0;";
  if (auto s = store->exec(pragmas); !s) return s.error();
  // This connection is the database's only writer, and the checkpointer's passive checkpoints
  // never hold it off, so a lock should never be busy. Should one be, this handler looks again
  // every 200 µs, for up to a second: SQLite's own busy timeout sleeps in growing steps, up to
  // 100 ms each, and can oversleep a short wait by tens of milliseconds.
  sqlite3_busy_handler(
      db,
      [](void*, int attempt) -> int {
        if (attempt >= 5000) return 0;
        usleep(200);
        return 1;
      },
      nullptr);
  // After every commit SQLite reports how many frames the WAL holds (maintain() reads it).
  sqlite3_wal_hook(
      db,
      [](void* self, sqlite3*, const char*, int frames) {
        static_cast<Store*>(self)->wal_frames_ = frames;
        return SQLITE_OK;
      },
      store.get());
  if (auto s = store->migrate(migrations); !s) return s.error();
  auto checkpointer = Checkpointer::start(path, kCheckpointInterval, restart_frames);
  if (!checkpointer) return checkpointer.error();
  store->checkpointer_ = std::move(checkpointer).value();
  Store* self = store.get();
  store->writer_ = std::make_unique<Writer>(
      [self](std::vector<WriteBatch>& b) { return self->apply_batches(b); },
      [self] { self->maintain(); });
  return store;
}

Store::~Store() {
  writer_.reset();  // finishes every submitted batch
  if (in_txn_) rollback();
  // Closing the last connection checkpoints the WAL into the database and deletes it: that
  // checkpoint must sync like the checkpointer's.
  (void)exec("PRAGMA synchronous=NORMAL");
  checkpointer_.reset();  // its connection closes first; ours, the last, checkpoints the rest
  for (sqlite3_stmt* s : {begin_, commit_, rollback_}) sqlite3_finalize(s);  // null is a no-op
  sqlite3_close(db_);
}

core::Status Store::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return core::make_error(core::ErrorCode::kInternal, "sqlite: " + msg);
  }
  return core::Ok{};
}

core::Status Store::step(sqlite3_stmt*& stmt, const char* sql) {
  if (stmt == nullptr &&
      sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    return sqlite_error(db_, std::string("sqlite: cannot prepare ") + sql);
  }
  const int rc = sqlite3_step(stmt);
  core::Status s = core::Ok{};
  if (rc != SQLITE_DONE) s = sqlite_error(db_, std::string("sqlite: ") + sql);
  sqlite3_reset(stmt);
  return s;
}

core::Status Store::begin() {
  auto s = begin_transaction();
  direct_ = s.ok();
  return s;
}

core::Status Store::commit() {
  direct_ = false;
  return commit_transaction();
}

void Store::rollback() {
  (void)step(rollback_, "ROLLBACK");
  in_txn_ = false;
  direct_ = false;
  failed_reason_.reset();
}

core::Status Store::begin_transaction() {
  if (in_txn_) return core::make_error(core::ErrorCode::kInternal, "begin inside a transaction");
  if (auto s = step(begin_, "BEGIN"); !s) return s;
  in_txn_ = true;
  return core::Ok{};
}

core::Status Store::commit_transaction() {
  if (!in_txn_) return core::make_error(core::ErrorCode::kInternal, "commit outside a transaction");
  if (failed_reason_) {
    std::string reason = std::move(*failed_reason_);
    rollback();
    return core::make_error(core::ErrorCode::kInternal, "transaction failed: " + reason);
  }
  auto s = step(commit_, "COMMIT");
  if (!s) rollback();
  in_txn_ = false;
  return s;
}

void Store::fail_transaction(std::string reason) {
  if (in_txn_ && !failed_reason_) failed_reason_ = std::move(reason);
}

void Store::write(Write op) {
  if (direct_) {
    op();
    return;
  }
  if (pending_.empty()) pending_.reserve(kUsualPassWrites);
  pending_.push_back(std::move(op));
}

uint64_t Store::submit() { return writer_->submit(std::exchange(pending_, {})); }

std::vector<BatchOutcome> Store::take_finished() { return writer_->take_finished(); }

void Store::on_finished(std::function<void()> wake) { writer_->on_finished(std::move(wake)); }

void Store::wait_idle() { writer_->wait_idle(); }

bool Store::apply_batches(std::vector<WriteBatch>& batches) {
  if (auto s = begin_transaction(); !s) {
    platform::log_error("store: cannot begin a transaction; the replies waiting for it fail: " +
                        s.error().message);
    return false;
  }
  for (WriteBatch& batch : batches) {
    for (Write& w : batch.writes) w();
  }
  if (auto s = commit_transaction(); !s) {
    platform::log_error("store: commit failed; the replies waiting for it fail: " + s.error().message);
    return false;
  }
  return true;
}

void Store::maintain() {
  if (checkpointer_->restart_due(wal_frames_)) checkpointer_->restart_wal(db_);
}

core::Result<int> Store::read_version() const {
  sqlite3_stmt* stmt = nullptr;
  const char* sql = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
  if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK)
    return sqlite_error(db_, "cannot read schema version");
  int version = 0;
  if (sqlite3_step(stmt) == SQLITE_ROW) version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  return version;
}

int Store::schema_version() const {
  auto v = read_version();
  return v ? v.value() : 0;
}

core::Status Store::migrate(const std::vector<Migration>& migrations) {
  if (auto s = exec("CREATE TABLE IF NOT EXISTS schema_version ("
                    "version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                    "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
      !s)
    return s;
  auto current = read_version();
  if (!current) return current.error();
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current.value() > newest) {
    return core::make_error(core::ErrorCode::kInvalidState,
                            "the database has schema version " + std::to_string(current.value()) +
                                " but this slipway knows versions up to " + std::to_string(newest) +
                                "; it was written by a newer slipway. Use that version, or "
                                "another --data-dir");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current.value()) continue;
    if (auto s = apply(m); !s) return s;
  }
  return core::Ok{};
}

core::Status Store::apply(const Migration& m) {
  if (auto s = begin_transaction(); !s) return s;
  auto s = exec(m.sql);
  if (s) {
    char* insert = sqlite3_mprintf("INSERT INTO schema_version(version, description) "
                                   "VALUES (%d, %Q)", m.version, m.description);
    s = exec(insert);
    sqlite3_free(insert);
  }
  if (!s) {
    rollback();
    return core::make_error(core::ErrorCode::kInternal, "migration " + std::to_string(m.version) +
                                                            " (" + m.description +
                                                            ") failed: " + s.error().message);
  }
  if (auto c = commit_transaction(); !c) return c;
  applied_now_.push_back(m.version);
  return core::Ok{};
}

}  // namespace slipway::store
