// Checkpointer: moves WAL checkpoints out of the commits.
//
// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
// committing thread, and ends with an fsync of the database file. That fsync stalled every reply
// waiting for the commit, measured at up to 1 s under sustained sends. So the store's
// connection turns auto-checkpointing off, and this thread, with a connection of its own, runs a
// PASSIVE checkpoint (never blocks the writer) every `interval`.
//
// The writer restarts the WAL (writes from its start again) only when it begins a transaction at
// a moment every frame is checkpointed. A writer that never pauses never finds one: under
// sustained batch sends the WAL grew 45 MB/s, to 1 GB in 30 s, and every page lookup slowed with
// it (70,000 -> 40,000 messages/s). So once a checkpoint finds more than `restart_frames` frames
// in the WAL, a RESTART checkpoint follows it: it copies the few frames the passive one left, and
// holds off the writer for that copy and one sync, after which the writer starts the WAL over.
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
  // 16,384 frames: 64 MiB of 4 KiB pages, a second or two of the heaviest load.
  static constexpr int kRestartFrames = 16384;
  // The thread's nice value. A checkpoint is background work: on a busy machine the threads that
  // answer requests (the loop, the store's writer) should run first. Measured with batch sends
  // paced at 50,000 messages/s on 2 vCPUs, seven runs each: p99 1.9-3.8 ms (median 2.8) at
  // nice 10, 2.7-4.3 ms (median 3.2) at nice 0; closed-loop throughput unchanged.
  static constexpr int kNice = 10;

  // Opens its own connection to `path` and starts checkpointing.
  static core::Result<std::unique_ptr<Checkpointer>> start(const std::string& path,
                                                          std::chrono::milliseconds interval,
                                                          int restart_frames = kRestartFrames);
  ~Checkpointer();  // stops the thread, closes its connection
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints run so far, and how many of them restarted the WAL (for tests).
  int checkpoints() const;
  int restarts() const;

  // One checkpoint now, as the thread runs every `interval`; returns the frames the WAL held.
  // For tests, with an interval long enough that the thread never runs one at the same time.
  int checkpoint_now();

 private:
  Checkpointer(sqlite3* db, std::chrono::milliseconds interval, int restart_frames);
  void run();

  sqlite3* db_;
  const std::chrono::milliseconds interval_;
  const int restart_frames_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int checkpoints_ = 0;
  int restarts_ = 0;
  std::thread thread_;
};

}  // namespace slipway::store
