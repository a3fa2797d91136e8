#include "store/writer.h"

#include <pthread.h>

#include <utility>

namespace slipway::store {

Writer::Writer(Apply apply, Maintain maintain, size_t max_queued_writes)
    : apply_(std::move(apply)), maintain_(std::move(maintain)), max_queued_writes_(max_queued_writes) {
  thread_ = std::thread([this] { run(); });
}

Writer::~Writer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_.notify_one();
  thread_.join();
}

uint64_t Writer::submit(std::vector<Write> writes) {
  std::unique_lock<std::mutex> lock(mu_);
  // An empty queue always takes a batch, however large: one pass is never refused.
  progress_.wait(lock, [&] { return queued_.empty() || queued_writes_ < max_queued_writes_; });
  const uint64_t number = next_number_++;
  queued_writes_ += writes.size();
  queued_.push_back(WriteBatch{number, std::move(writes)});
  lock.unlock();
  work_.notify_one();
  return number;
}

std::vector<BatchOutcome> Writer::take_finished() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(finished_, {});
}

void Writer::on_finished(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(mu_);
  wake_ = std::move(wake);
}

void Writer::wait_idle() {
  std::unique_lock<std::mutex> lock(mu_);
  progress_.wait(lock, [&] { return queued_.empty() && !busy_; });
}

void Writer::run() {
  pthread_setname_np(pthread_self(), "slipway-writer");  // as top -H and gdb show it
  for (;;) {
    std::vector<WriteBatch> batches;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_.wait(lock, [&] { return stop_ || !queued_.empty(); });
      if (queued_.empty()) return;  // stopping, and everything submitted has finished
      batches.assign(std::make_move_iterator(queued_.begin()), std::make_move_iterator(queued_.end()));
      queued_.clear();
      queued_writes_ = 0;
      busy_ = true;
    }
    progress_.notify_all();  // room in the queue
    const bool committed = apply_(batches);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (WriteBatch& b : batches) {
        finished_.push_back(BatchOutcome{b.number, committed, std::move(b.writes)});
      }
      if (wake_) wake_();
    }
    if (maintain_) maintain_();
    {
      std::lock_guard<std::mutex> lock(mu_);
      busy_ = false;
    }
    progress_.notify_all();
  }
}

}  // namespace slipway::store
