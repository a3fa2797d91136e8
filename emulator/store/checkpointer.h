// Checkpointer: moves WAL checkpoints out of the commits.
//
// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
// committing thread, and ends with an fsync of the database file. That fsync stalled every reply
// waiting for the commit, measured at up to 1 s under sustained sends. So the store's
// connection turns auto-checkpointing off, and this thread, with a connection of its own, runs a
// PASSIVE checkpoint (never blocks the writer) every `interval`.
//
// The thread runs at SCHED_IDLE: it gets a CPU only when no other thread wants one, and any
// thread that wakes takes the CPU from it at once. A checkpoint is mostly kernel work (reading WAL
// pages, writing database pages, the fsyncs' writeback), in bursts of several milliseconds every
// interval; at nice 10 a burst still kept the store's writer waiting for a CPU for 2-5 ms
// (perf sched). The p99 of batch sends paced at 50,000 messages/s on 2 vCPUs fell from 2.5-2.6
// ms to 1.7-1.9 ms in runs the host left alone (docs/benchmarks.md).
//
// The writer restarts the WAL (writes from its start again) only when it begins a transaction at
// a moment every frame is checkpointed. A writer that never pauses never finds one: under
// sustained batch sends the WAL grew 45 MB/s, to 1 GB in 30 s, and every page lookup slowed with
// it (70,000 -> 40,000 messages/s). So once a checkpoint finds more than `restart_frames` frames
// in the WAL, it catches up (syncs the database, then passes again until a pass finds few new
// frames) and asks the writer for a restart. The writer, between two transactions, runs a
// RESTART checkpoint on its own connection (restart_wal()): that copies the few frames the
// passive checkpoints left, syncs, and starts the WAL over. The writer runs it, not this thread,
// because a RESTART holds every writer off until it ends: run here, at SCHED_IDLE, it kept the
// writer waiting while the loop had the CPUs (requests of up to 79 ms). Should this thread fall
// far behind (a machine busy with other work), the writer restarts the WAL anyway once it holds
// 4 times `restart_frames`, copying every frame itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
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
  // Past this many times `restart_frames`, the writer restarts the WAL without being asked.
  static constexpr int kForceRestartFactor = 4;
  // The thread's nice value where SCHED_IDLE is refused.
  static constexpr int kNice = 10;
  // Before asking for a restart: passes after the first, at most, and the new frames a pass may
  // find for the catching up to end (prepare_restart()).
  static constexpr int kCatchUpPasses = 4;
  static constexpr int kFewFrames = 256;

  // Opens its own connection to `path` and starts checkpointing.
  static core::Result<std::unique_ptr<Checkpointer>> start(const std::string& path,
                                                          std::chrono::milliseconds interval,
                                                          int restart_frames = kRestartFrames);
  ~Checkpointer();  // stops the thread, closes its connection
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints run so far, and how many times the writer restarted the WAL (for tests).
  int checkpoints() const;
  int restarts() const;

  // One checkpoint now, as the thread runs every `interval`; returns the frames the WAL held.
  // For tests, with an interval long enough that the thread never runs one at the same time;
  // `after_pass` runs after each passive pass, for a test to write between them.
  int checkpoint_now(const std::function<void()>& after_pass = {});

  // Writer thread, between transactions: whether to call restart_wal(), given the frames the
  // WAL holds after the last commit (sqlite3_wal_hook).
  bool restart_due(int wal_frames) const;
  // Writer thread, between transactions, with the writer's connection `db`: copies what the WAL
  // holds that is not yet in the database, and has the next transaction write the WAL from its
  // start again; it syncs the WAL and the database as synchronous=NORMAL does, whatever `db` runs
  // with. False when a checkpoint on this thread held the WAL at that moment (the next call tries
  // again).
  bool restart_wal(sqlite3* db);

 private:
  Checkpointer(sqlite3* db, std::chrono::milliseconds interval, int restart_frames);
  void run();
  // Past the restart threshold: catches up with the writer, then asks it for a restart. The
  // checkpoint just run found `wal_frames` in the WAL and left `backfilled` of them copied. An
  // SQLite result code.
  int prepare_restart(int wal_frames, int backfilled, const std::function<void()>& after_pass);
  // One passive checkpoint: the frames the WAL held, and how many of them are now copied. Then
  // `after_pass`, if any. An SQLite result code.
  int pass(int& wal_frames, int& checkpointed, const std::function<void()>& after_pass);
  // fdatasync()s the database file; an SQLite result code.
  int sync_database();

  sqlite3* db_;
  const std::chrono::milliseconds interval_;
  const int restart_frames_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int checkpoints_ = 0;
  int restarts_ = 0;
  std::atomic<bool> restart_asked_{false};
  std::thread thread_;
};

}  // namespace slipway::store
