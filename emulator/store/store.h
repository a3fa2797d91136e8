// Store: the daemon's SQLite database (one file in the data directory, WAL mode).
//
// One connection, no locking of its own, used by one thread at a time:
//   - At start-up, by the thread that opens it: migrations, loading snapshots, and direct
//     transactions (begin() ... commit(), in which write() runs each write at once). Tests use
//     these too.
//   - While the daemon runs, by the writer thread only (writer.h). The loop records a pass's
//     changes with write(), hands them over with submit(), and releases the pass's replies when
//     take_finished() reports the batch committed (DESIGN rule 2). Modules' writes are closures
//     that own their records and bind them to prepared statements when they run.
// Direct transactions need the writer idle: nothing submitted that has not finished.
//
// Schema changes are forward migrations (migrations.cpp), applied in order at open, each in its
// own transaction together with the bump of `schema_version`. A database written by a newer
// slipway (a version above the newest migration known here) is refused, not guessed at.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/checkpointer.h"
#include "store/writer.h"

struct sqlite3;
struct sqlite3_stmt;

namespace slipway::store {

struct Migration {
  int version;              // 1, 2, 3 ... contiguous
  const char* description;  // shown in the log when applied
  const char* sql;          // one or more statements
};

// Every migration this build knows, oldest first.
const std::vector<Migration>& all_migrations();

// What a commit survives. In both modes only checkpoints write the database file (the
// Checkpointer's, and the writer's restarts of the WAL, checkpointer.h), and each syncs the WAL
// before copying frames in, so the file never holds pages whose WAL frames were not on disk; the
// database itself is synced before the WAL is written over from its start.
enum class Durability {
  // Commits are written to the WAL (the OS page cache) with no sync (the store's connection runs
  // synchronous=OFF): a commit survives kill -9 of the daemon. A power loss can lose the last
  // commits, never the database. (synchronous=NORMAL would also sync the WAL header each time
  // the WAL is reused: commits stalled 4-100 ms while a checkpoint was syncing.)
  kNormal,
  kFull,  // synchronous=FULL: an fsync per commit, survives power loss too
};

class Store {
 public:
  // Opens (creating if needed) the database at `path` and applies pending `migrations`.
  // `restart_frames`: the WAL size that has it restarted (checkpointer.h); tests lower it.
  static core::Result<std::unique_ptr<Store>> open(const std::string& path, Durability durability,
                                                   const std::vector<Migration>& migrations,
                                                   int restart_frames = Checkpointer::kRestartFrames);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The newest migration applied.
  int schema_version() const;
  // Migrations applied by this open() (for the start-up log).
  const std::vector<int>& applied_now() const { return applied_now_; }

  // A direct transaction (start-up, tests): writes run at once, on the calling thread.
  core::Status begin();
  // Commits; if fail_transaction() was called since begin(), rolls back instead and returns an
  // error carrying the first reason given.
  core::Status commit();
  void rollback();
  // Marks the open transaction as failed: a module whose write failed calls this so that the
  // commit rolls back and nothing of the pass is acknowledged. The first reason wins. Outside a
  // transaction it does nothing (a failed autocommit statement changed nothing).
  void fail_transaction(std::string reason);
  bool in_transaction() const { return in_txn_; }

  // Loop thread. Inside a direct transaction `op` runs now; otherwise it joins the pending
  // batch that the next submit() hands to the writer thread.
  void write(Write op);
  bool has_pending() const { return !pending_.empty(); }
  // Loop thread: hands the pending writes to the writer thread as one batch (writer.h) and
  // returns its number. Blocks while the writer's queue is full.
  uint64_t submit();
  // Loop thread: the batches finished since the last call, in submit order.
  std::vector<BatchOutcome> take_finished();
  // `wake` runs on the writer thread after each of its transactions (writer.h).
  void on_finished(std::function<void()> wake);
  // Blocks until every submitted batch has finished.
  void wait_idle();
  // Runs statements with no results.
  core::Status exec(const std::string& sql);
  // The raw connection, for modules' prepared statements: prepared and used for loading on the
  // thread that opened the store; stepped by writes, on the writer thread while the daemon runs.
  sqlite3* handle() const { return db_; }

 private:
  explicit Store(sqlite3* db) : db_(db) {}
  // Runs one of the transaction statements below, prepared on first use: BEGIN and COMMIT would
  // otherwise be parsed again for every transaction.
  core::Status step(sqlite3_stmt*& stmt, const char* sql);
  // The transaction itself, for direct transactions and the writer thread alike.
  core::Status begin_transaction();
  core::Status commit_transaction();
  // Writer thread: one transaction over `batches`; false (logged) when it did not commit.
  bool apply_batches(std::vector<WriteBatch>& batches);
  // Writer thread, between transactions: restarts the WAL when the checkpointer asks for it
  // (checkpointer.h).
  void maintain();
  core::Status migrate(const std::vector<Migration>& migrations);
  core::Status apply(const Migration& m);
  core::Result<int> read_version() const;

  sqlite3* db_;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* rollback_ = nullptr;
  bool in_txn_ = false;
  bool direct_ = false;  // a begin() of the caller's is open: write() runs at once
  std::optional<std::string> failed_reason_;
  std::vector<Write> pending_;  // loop thread: the open pass's writes
  // Room for a pass's writes, reserved at its first (a batch of 10 sends records 10).
  static constexpr size_t kUsualPassWrites = 16;
  std::vector<int> applied_now_;
  int wal_frames_ = 0;  // after the last commit; the writer thread's while it runs
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Writer> writer_;  // started at open(); stopped first at close
};

}  // namespace slipway::store
