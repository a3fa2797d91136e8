// Queue: one SQS queue's configuration, messages and indexes. A plain data structure with no
// knowledge of persistence, timers or requests; the service (service_impl.h) drives it.
//
// Indexes (all O(log n) per message operation; 1M resident messages are fine):
// - `messages`: sequence -> Message (the sequence is service-wide and unique, and is what a
//   receipt handle names).
// - `ready` / `waiting`: every message is in exactly one, keyed (visible_at_us, sequence).
//   `ready` holds messages visible as of the last refresh(now); `waiting` holds delayed and
//   in-flight ones. refresh(now) promotes the waiting ones whose time has come. Standard queues
//   deliver from the front of `ready` (best-effort order: by visible time, then send order).
// - FIFO: `groups` keeps each group's messages in sequence order; `ready_groups` lists the groups
//   whose FIRST message is visible, by that message's sequence. Messages of a group before its
//   first invisible one are deliverable; that one and all after it are blocked.
// - `by_enqueue`: (enqueued_at_us, sequence), for retention expiry.
// Invariant: after refresh(now) no `waiting` entry has visible_at <= now.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/timer_queue.h"
#include "sqs/api.h"

namespace slipway::sqs {

// Every settable attribute's effective value.
struct QueueConfig {
  int delay_s = 0;
  int max_message_bytes = 0;
  int retention_s = 0;
  int receive_wait_s = 0;
  int visibility_timeout_s = 0;
  std::string policy;                // "": absent
  std::string redrive_policy;        // normalised JSON; "": absent
  std::string dlq_target_arn;        // from redrive_policy
  int max_receive_count = 0;         // from redrive_policy
  std::string redrive_allow_policy;  // normalised JSON; "": absent (allowAll)
  std::string redrive_permission = "allowAll";
  std::vector<std::string> redrive_source_arns;  // byQueue only
  bool fifo = false;
  bool content_based_dedup = false;
  std::string dedup_scope = "queue";
  std::string fifo_throughput_limit = "perQueue";
  std::string kms_master_key_id;  // "": absent
  int kms_reuse_s = 300;
  bool sqs_managed_sse = true;
};

// The fields most messages leave empty, behind one pointer in Message: a plain message then
// takes 208 bytes of memory instead of 440, which counts at a million resident messages.
struct MessageExtras {
  MessageAttributes attributes;
  MessageAttributes system_attributes;  // AWSTraceHeader
  std::optional<std::string> group_id;
  std::optional<std::string> dedup_id;
  std::string sequence_number;  // FIFO
  std::string dlq_source_arn;   // set when redriven to a dead-letter queue

  bool empty() const {
    return attributes.empty() && system_attributes.empty() && !group_id && !dedup_id &&
           sequence_number.empty() && dlq_source_arn.empty();
  }
};

struct Message {
  uint64_t seq = 0;
  std::string message_id;
  std::string body;
  std::array<char, 32> md5_of_body{};  // hex, computed at send or restore, not at every receive
  int64_t sent_ms = 0;
  core::TimeUs enqueued_at_us = 0;
  int64_t first_receive_ms = 0;  // 0: never received
  int receive_count = 0;
  core::TimeUs visible_at_us = 0;
  core::TimeUs received_at_us = 0;  // start of the current receive (12-hour visibility cap)
  uint64_t receipt_nonce = 0;       // names the current receipt handle; 0: none in this queue
  std::unique_ptr<MessageExtras> extras;  // null: all empty

  // The extras to read: empty ones when there are none.
  const MessageExtras& extra() const;
  // The extras to change, created on first use.
  MessageExtras& extra_to_set();
  // Keeps `x`, or none when it is empty.
  void set_extras(MessageExtras x);
  std::string_view md5_text() const { return {md5_of_body.data(), md5_of_body.size()}; }
  void set_md5(std::string_view hex);  // REQUIRES: 32 characters
};

struct Group {
  std::set<uint64_t> seqs;
  uint64_t ready_key = 0;  // key in Queue::ready_groups, 0: not ready
};

using VisKey = std::pair<core::TimeUs, uint64_t>;

struct DedupEntry {
  std::string message_id;
  std::string sequence_number;
  core::TimeUs expires_at_us = 0;
};

// A FIFO receive remembered under its ReceiveRequestAttemptId: what it returned, so a retry
// returns the same messages and handles while none of them was modified.
struct ReceiveAttempt {
  core::TimeUs expires_at_us = 0;
  struct Item {
    uint64_t seq = 0;
    uint64_t nonce = 0;
    core::TimeUs visible_at_us = 0;
  };
  std::vector<Item> items;
};

struct Queue {
  std::string name;
  std::string arn;
  QueueConfig cfg;
  bool dedup_by_group = false;  // DeduplicationScope in effect (fixed at creation)
  int64_t created_s = 0;
  int64_t modified_s = 0;
  std::map<std::string, std::string> tags;
  std::optional<core::TimeUs> last_purge_us;

  // Ordered, not hashed: a hash table's rehash at a million messages stalls the loop for 20 ms.
  std::map<uint64_t, Message> messages;
  std::set<VisKey> ready;
  std::set<VisKey> waiting;
  size_t waiting_received = 0;  // entries of `waiting` that are in flight (not delayed)
  std::unordered_map<std::string, Group> groups;
  std::map<uint64_t, std::string> ready_groups;
  std::set<VisKey> by_enqueue;

  // FIFO deduplication: key -> entry, plus keys in expiry order (the window is constant).
  std::unordered_map<std::string, DedupEntry> dedup;
  std::deque<std::pair<core::TimeUs, std::string>> dedup_expiry;
  std::map<std::string, ReceiveAttempt> attempts;

  // Service runtime state: parked receives (ids into SqsService::Impl::waiters, oldest first),
  // the one "next visibility change" timer armed while there are waiters, the retention sweep.
  std::deque<uint64_t> waiter_ids;
  core::TimerId visibility_timer = 0;
  core::TimeUs visibility_due_us = 0;
  core::TimerId retention_timer = 0;
  core::TimeUs retention_due_us = 0;

  // Adds `m` (its seq must be new) and indexes it as of `now`.
  Message& insert(Message m, core::TimeUs now);
  // Removes and returns the message. REQUIRES: present.
  Message take(uint64_t seq, core::TimeUs now);
  // Moves a message to a new visibility deadline / receipt, keeping every index right.
  void reposition(Message& m, core::TimeUs visible_at_us, uint64_t receipt_nonce, core::TimeUs now);
  void refresh(core::TimeUs now);
  // Drops every message, deduplication entry and remembered receive attempt (PurgeQueue).
  void clear();
  Message* find(uint64_t seq);

  size_t visible_count() const { return ready.size(); }
  size_t inflight_count() const { return waiting_received; }
  size_t delayed_count() const { return waiting.size() - waiting_received; }
  std::optional<core::TimeUs> next_visible_at() const;
  bool has_deliverable() const { return cfg.fifo ? !ready_groups.empty() : !ready.empty(); }

 private:
  void place(const Message& m, core::TimeUs now);
  void unplace(const Message& m);
  void reindex_group(const std::string& group, core::TimeUs now);
};

}  // namespace slipway::sqs
