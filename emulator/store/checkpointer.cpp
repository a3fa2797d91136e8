#include "store/checkpointer.h"

#include <pthread.h>
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

int Checkpointer::checkpoint_now() {
  int wal_frames = 0, checkpointed = 0;
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames,
                                     &checkpointed);
  const int seen = wal_frames;
  bool restarted = false;
  if (rc == SQLITE_OK && wal_frames > restart_frames_) {
    // A second passive pass first copies what arrived during the first, so that the RESTART,
    // which holds the writer off, has only a few frames left to copy and sync.
    rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames,
                                   &checkpointed);
    if (rc == SQLITE_OK) {
      rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_RESTART, &wal_frames,
                                     &checkpointed);
      restarted = rc == SQLITE_OK;
    }
  }
  if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
    platform::log_warn(std::string("store: checkpoint failed: ") + sqlite3_errmsg(db_));
  std::lock_guard<std::mutex> lock(mu_);
  ++checkpoints_;
  if (restarted) ++restarts_;
  return seen;
}

void Checkpointer::run() {
  pthread_setname_np(pthread_self(), "slipway-ckpt");  // as top -H and gdb show it
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    checkpoint_now();
    lock.lock();
  }
}

}  // namespace slipway::store
