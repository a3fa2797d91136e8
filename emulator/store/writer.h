// Writer: the thread that commits the loop's passes, so the loop never waits for SQLite.
//
// The loop thread records each pass's writes (closures over the records to store) and hands
// them over as one batch; this thread runs them and commits, while the loop goes on to the next
// pass. A pass's replies wait for its batch (Loop), so a reply still means durable (DESIGN rule
// 2); what moves off the loop is the SQLite work itself: statements, WAL writes, file locks,
// the fsync of --durability full, and waits behind a WAL restart (checkpointer.h). Before the
// move, SQLite took 34% of the loop thread's instructions per SendMessageBatch(10) (callgrind).
//
// Order: batches run and finish in submit order. Batches that queued up while the thread was busy
// run together in one transaction (group commit across passes) and share its outcome: if one of
// them fails the transaction, all of them report failure and none is on disk.
//
// Bounds: at most `max_queued_writes` writes wait; submit() blocks beyond that, so a loop that
// outruns the disk slows to the disk's pace instead of holding ever more records in memory.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace slipway::store {

// One recorded change: runs on the writer thread inside the batch's transaction. It reports a
// failure through Store::fail_transaction().
using Write = std::function<void()>;

struct WriteBatch {
  uint64_t number = 0;  // 1, 2, 3 ... in submit order
  std::vector<Write> writes;
};

// Whether a submitted batch is on disk. It carries the batch's spent writes back, so the thread
// that recorded them (the loop) also frees their records: freed on the writer thread, they went
// back to the loop's malloc arena under its lock, and the two threads contended for it (5% of
// the loop thread's samples under batch sends).
struct BatchOutcome {
  uint64_t number = 0;
  bool committed = false;
  std::vector<Write> writes;
};

class Writer {
 public:
  // Runs `batches` (in order) in one transaction; returns whether it committed. Writer thread.
  using Apply = std::function<bool(std::vector<WriteBatch>& batches)>;
  // Runs after each transaction, once its outcome is published and the loop woken: upkeep
  // that must not hold replies up, such as restarting the WAL (Store). Writer thread.
  using Maintain = std::function<void()>;

  static constexpr size_t kMaxQueuedWrites = 65536;

  explicit Writer(Apply apply, Maintain maintain = {}, size_t max_queued_writes = kMaxQueuedWrites);
  // Finishes every submitted batch, then stops the thread.
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues `writes` as the next batch and returns its number. Blocks while the queue is full.
  uint64_t submit(std::vector<Write> writes);
  // The batches finished since the last call, in submit order.
  std::vector<BatchOutcome> take_finished();
  // `wake` runs on the writer thread after each transaction; the loop wakes itself with it and
  // then calls take_finished(). Empty: nobody is told.
  void on_finished(std::function<void()> wake);
  // Blocks until every submitted batch has finished, and the upkeep after it.
  void wait_idle();

 private:
  void run();

  Apply apply_;
  Maintain maintain_;
  const size_t max_queued_writes_;
  std::mutex mu_;
  std::condition_variable work_;      // the thread waits here for a batch, or stop
  std::condition_variable progress_;  // submit() and wait_idle() wait here
  std::deque<WriteBatch> queued_;     // guarded by mu_
  size_t queued_writes_ = 0;          // guarded by mu_
  bool busy_ = false;                 // guarded by mu_: a transaction or its upkeep is running
  bool stop_ = false;                 // guarded by mu_
  uint64_t next_number_ = 1;          // guarded by mu_
  std::vector<BatchOutcome> finished_;  // guarded by mu_
  std::function<void()> wake_;          // guarded by mu_
  std::thread thread_;
};

}  // namespace slipway::store
