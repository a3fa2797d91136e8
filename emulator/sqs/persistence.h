// What the SQS service persists, and the interface through which it does so.
//
// The service is the only writer of queue state, on the loop thread, inside a loop pass: every
// change it makes to a queue, message or deduplication entry is mirrored at once by a call on
// Persistence (write-through), which becomes part of the pass's store transaction. The pass's
// replies are released only once that transaction has committed, so anything acknowledged is on
// disk. At start the daemon loads an SqsSnapshot and hands it to SqsService::restore().
//
// The store adapter (store/sqs_store.h) implements Persistence with SQLite; tests use an
// in-memory fake. Records carry exactly what restore() needs to rebuild the service.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "sqs/api.h"

namespace slipway::sqs {

struct QueueRecord {
  std::string name;
  int64_t created_timestamp_s = 0;
  int64_t last_modified_timestamp_s = 0;
  // Every settable attribute with its effective value, as AWS would return it ("30", "true",
  // RedrivePolicy JSON ...). restore() re-reads these through the same validation as
  // SetQueueAttributes.
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> tags;
  // The DeduplicationScope in effect: fixed when the queue was created, whatever the attribute
  // says since (AWS: changing it later does not change how the queue deduplicates).
  bool deduplication_by_message_group = false;
};

struct MessageRecord {
  std::string queue;
  std::string message_id;
  uint64_t sequence = 0;  // service-wide enqueue order; ordering ties broken by this
  std::string body;
  MessageAttributes message_attributes;
  MessageAttributes message_system_attributes;  // AWSTraceHeader
  int64_t sent_timestamp_ms = 0;                // kept across a move to a DLQ
  core::TimeUs enqueued_at_us = 0;              // retention counts from here
  int64_t first_receive_timestamp_ms = 0;       // 0: never received
  int receive_count = 0;
  core::TimeUs visible_at_us = 0;               // delayed or in flight until then
  core::TimeUs received_at_us = 0;              // start of the current receive (12 h cap); 0: none
  std::string receipt_handle;                   // the current in-flight handle, or empty
  std::optional<std::string> message_group_id;
  std::optional<std::string> message_deduplication_id;
  std::string sequence_number;                  // FIFO only
  std::string dead_letter_queue_source_arn;     // set when moved into a DLQ
};

// What a receive or a visibility change alters in a stored message; the rest stays as put.
struct MessageStateRecord {
  uint64_t sequence = 0;
  int receive_count = 0;
  int64_t first_receive_timestamp_ms = 0;
  core::TimeUs visible_at_us = 0;
  core::TimeUs received_at_us = 0;
  std::string receipt_handle;
};

// A FIFO deduplication entry: a send with this key inside the window is acknowledged with the
// original message id and not enqueued.
struct DedupRecord {
  std::string queue;
  std::string key;  // the deduplication id, prefixed by the group under messageGroup scope
  std::string message_id;
  std::string sequence_number;
  core::TimeUs expires_at_us = 0;
};

// A message move task (StartMessageMoveTask), kept so a restart resumes a running one.
struct MoveTaskRecord {
  std::string task_id;
  std::string task_handle;
  std::string source_arn;
  std::optional<std::string> destination_arn;
  std::optional<int> max_number_of_messages_per_second;  // as the caller gave it
  int rate = 0;                                          // messages per second in effect
  std::string status;                                    // RUNNING | COMPLETED | CANCELLED | FAILED
  int64_t moved = 0;
  int64_t to_move = 0;
  std::string failure_reason;
  int64_t started_timestamp_ms = 0;
};

struct SqsSnapshot {
  std::vector<QueueRecord> queues;
  std::vector<MessageRecord> messages;  // any order; restore() rebuilds the indexes
  std::vector<DedupRecord> dedup;       // may include expired entries; restore() drops them
  uint64_t next_sequence = 1;           // above every stored MessageRecord::sequence
  std::vector<MoveTaskRecord> move_tasks;  // in the order they were started
};

class Persistence {
 public:
  virtual ~Persistence() = default;
  virtual void put_queue(const QueueRecord& queue) = 0;
  // Removes the queue with all its messages and deduplication entries.
  virtual void remove_queue(const std::string& name) = 0;
  // By value: the store keeps the record until its write runs (a caller's temporary is moved).
  virtual void put_message(MessageRecord message) = 0;
  // Updates a message already put (by its sequence): cheaper than put_message on the receive path.
  virtual void put_message_state(MessageStateRecord state) = 0;
  // A message's key is its sequence (service-wide unique; a move to another queue removes the
  // old record and puts one with a new sequence), so records append in key order.
  virtual void remove_message(const std::string& queue, uint64_t sequence) = 0;
  // Purge: every message and deduplication entry of the queue.
  virtual void remove_all_messages(const std::string& queue) = 0;
  virtual void put_dedup(const DedupRecord& entry) = 0;
  virtual void remove_dedup(const std::string& queue, const std::string& key) = 0;
  // Upsert by task id, at start and whenever its status or moved count changes.
  virtual void put_move_task(const MoveTaskRecord& task) = 0;
};

}  // namespace slipway::sqs
