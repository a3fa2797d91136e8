#include "store/checkpointer.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <sqlite3.h>

#include "platform/log.h"

namespace slipway::store {

core::Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::string& path,
                                                                std::chrono::milliseconds interval,
                                                                int restart_frames) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return core::make_error(core::ErrorCode::kInternal, "cannot open checkpoint connection: " + why);
  }
  sqlite3_busy_timeout(db, 100);
  // The syncs around each checkpoint (the WAL before, the database after) are made here, by
  // this connection's setting, whatever the store's connection runs with (store.h, Durability).
  sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  // Until it reads the database, a connection does not know it is in WAL mode, and a checkpoint
  // silently does nothing.
  sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  return std::unique_ptr<Checkpointer>(new Checkpointer(db, interval, restart_frames));
}

Checkpointer::Checkpointer(sqlite3* db, std::chrono::milliseconds interval, int restart_frames)
    : db_(db), interval_(interval), restart_frames_(restart_frames), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  sqlite3_close(db_);
}

int Checkpointer::checkpoints() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checkpoints_;
}

int Checkpointer::restarts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return restarts_;
}

int Checkpointer::checkpoint_now(const std::function<void()>& after_pass) {
  int wal_frames = 0, checkpointed = 0;
  int rc = pass(wal_frames, checkpointed, after_pass);
  const int seen = wal_frames;
  if (rc == SQLITE_OK && wal_frames > restart_frames_)
    rc = prepare_restart(wal_frames, checkpointed, after_pass);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
    platform::log_warn(std::string("store: checkpoint failed: ") + sqlite3_errmsg(db_));
  std::lock_guard<std::mutex> lock(mu_);
  ++checkpoints_;
  return seen;
}

int Checkpointer::prepare_restart(int wal_frames, int backfilled,
                                  const std::function<void()>& after_pass) {
  // The restart holds the writer's transactions off until it ends, so this thread leaves it as
  // little as it can:
  // - A passive checkpoint syncs the database only when it copied the WAL to its end, which a
  //   writer that never pauses does not let it do. The restart would then sync every page copied
  //   since the last one (a 39 ms fdatasync at 85,000 messages/s).
  // - The restart copies what the writer appended while the last pass ran. Under closed-loop
  //   batch sends a pass (at SCHED_IDLE) took up to 340 ms, and the restart after it copied
  //   2,300 frames in 21 ms.
  // So: sync, and pass again, until a pass finds few new frames (what the writer appends before
  // its restart is then few too); then sync what the last pass copied.
  int rc = SQLITE_OK;
  for (int round = 0; round < kCatchUpPasses; ++round) {
    rc = sync_database();
    const int frames_before = wal_frames;
    int checkpointed = 0;
    if (rc == SQLITE_OK) rc = pass(wal_frames, checkpointed, after_pass);
    if (rc != SQLITE_OK) break;
    // A writer that found the WAL all copied has started it over: it holds only new frames.
    const int copied = wal_frames < frames_before ? checkpointed : checkpointed - backfilled;
    backfilled = checkpointed;
    if (copied <= kFewFrames) break;
  }
  if (rc == SQLITE_OK) rc = sync_database();
  // (A WAL started over meanwhile needs no restart.)
  if (rc == SQLITE_OK && wal_frames > restart_frames_) restart_asked_ = true;
  return rc;
}

int Checkpointer::pass(int& wal_frames, int& checkpointed, const std::function<void()>& after_pass) {
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames,
                                           &checkpointed);
  if (after_pass) after_pass();
  return rc;
}

int Checkpointer::sync_database() {
  // Through SQLite's own file: closing a descriptor of our own to the database would drop the
  // process's POSIX locks on it, the store's connection's among them.
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr) {
    return SQLITE_ERROR;
  }
  return file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
}

bool Checkpointer::restart_due(int wal_frames) const {
  return restart_asked_ || wal_frames > kForceRestartFactor * restart_frames_;
}

bool Checkpointer::restart_wal(sqlite3* db) {
  // A checkpoint syncs as its connection's `synchronous` says; the store's runs OFF (store.h,
  // Durability), and the database file must never hold pages whose WAL frames are not on disk.
  int level = -1;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    level = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  if (level < 0) return false;
  if (level == 0) sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  if (level == 0) sqlite3_exec(db, "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
      platform::log_warn(std::string("store: WAL restart failed: ") + sqlite3_errmsg(db));
    return false;
  }
  restart_asked_ = false;
  std::lock_guard<std::mutex> lock(mu_);
  ++restarts_;
  return true;
}

void Checkpointer::run() {
  pthread_setname_np(pthread_self(), "slipway-ckpt");  // as top -H and gdb show it
  const sched_param no_priority{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &no_priority) != 0)
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    checkpoint_now();
    lock.lock();
  }
}

}  // namespace slipway::store
