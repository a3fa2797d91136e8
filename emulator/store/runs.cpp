#include "store/runs.h"

#include <sqlite3.h>

namespace slipway::store {

namespace {

core::Error db_error(Store& store, const char* what) {
  return core::make_error(core::ErrorCode::kInternal,
                          std::string(what) + ": " + sqlite3_errmsg(store.handle()));
}

}  // namespace

core::Result<RunRecord> record_run_start(Store& store, const RunStart& run) {
  RunRecord record{0, 0};
  sqlite3_stmt* count = nullptr;
  if (sqlite3_prepare_v2(store.handle(), "SELECT COUNT(*) FROM daemon_runs WHERE stopped_at_ms IS NULL",
                         -1, &count, nullptr) != SQLITE_OK)
    return db_error(store, "cannot read run history");
  if (sqlite3_step(count) == SQLITE_ROW) record.previous_unclean = sqlite3_column_int(count, 0);
  sqlite3_finalize(count);

  sqlite3_stmt* insert = nullptr;
  const char* sql =
      "INSERT INTO daemon_runs(started_at_ms, version, pid, seed, manifest) VALUES (?,?,?,?,?)";
  if (sqlite3_prepare_v2(store.handle(), sql, -1, &insert, nullptr) != SQLITE_OK)
    return db_error(store, "cannot record the run");
  const std::string seed = std::to_string(run.seed);
  sqlite3_bind_int64(insert, 1, run.started_at_ms);
  sqlite3_bind_text(insert, 2, run.version.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(insert, 3, run.pid);
  sqlite3_bind_text(insert, 4, seed.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(insert, 5, run.manifest.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(insert);
  sqlite3_finalize(insert);
  if (rc != SQLITE_DONE) return db_error(store, "cannot record the run");
  record.run_id = sqlite3_last_insert_rowid(store.handle());
  return record;
}

core::Status record_run_stop(Store& store, int64_t run_id, int64_t stopped_at_ms) {
  sqlite3_stmt* update = nullptr;
  if (sqlite3_prepare_v2(store.handle(), "UPDATE daemon_runs SET stopped_at_ms=? WHERE run_id=?",
                         -1, &update, nullptr) != SQLITE_OK)
    return db_error(store, "cannot record the stop");
  sqlite3_bind_int64(update, 1, stopped_at_ms);
  sqlite3_bind_int64(update, 2, run_id);
  const int rc = sqlite3_step(update);
  sqlite3_finalize(update);
  if (rc != SQLITE_DONE) return db_error(store, "cannot record the stop");
  return core::Ok{};
}

}  // namespace slipway::store
