// Checkpointer: moves WAL checkpoints off the loop thread.
//
// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
// committing thread, and ends with an fsync of the database file. On the loop thread that fsync
// stalled every reply of the pass, measured at up to 1 s under sustained sends. So the loop's
// connection turns auto-checkpointing off, and this thread, with a connection of its own, runs a
// PASSIVE checkpoint (never blocks the writer) every `interval`. The writer restarts the WAL by
// itself once every frame has been checkpointed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"

struct sqlite3;

namespace slipway::store {

class Checkpointer {
 public:
  // Opens its own connection to `path` and starts checkpointing.
  static core::Result<std::unique_ptr<Checkpointer>> start(const std::string& path,
                                                          std::chrono::milliseconds interval);
  ~Checkpointer();  // stops the thread, closes its connection
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints run so far (for tests).
  int checkpoints() const;

 private:
  Checkpointer(sqlite3* db, std::chrono::milliseconds interval);
  void run();

  sqlite3* db_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace slipway::store
