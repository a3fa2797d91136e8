// Test doubles for the SQS service: an in-memory Persistence that records every call and can
// produce the SqsSnapshot a restart would load, and SqsHarness, a service wired to a ManualClock
// and a TimerQueue with small helpers. Nothing here sleeps: time moves with advance_*.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/rng.h"
#include "core/timer_queue.h"
#include "sqs/persistence.h"
#include "sqs/service.h"

namespace slipway::sqs::testing {

class FakeSqsPersistence final : public Persistence {
 public:
  std::vector<std::string> calls;  // "put_message q id", ... in call order
  std::map<std::string, QueueRecord> queues;
  std::map<std::pair<std::string, std::string>, MessageRecord> messages;
  std::map<std::pair<std::string, std::string>, DedupRecord> dedup;
  std::map<uint64_t, std::string> ids_by_sequence;  // the key remove_message() is given
  std::vector<MoveTaskRecord> move_tasks;            // in start order

  void put_queue(const QueueRecord& q) override {
    calls.push_back("put_queue " + q.name);
    queues[q.name] = q;
  }
  void remove_queue(const std::string& name) override {
    calls.push_back("remove_queue " + name);
    queues.erase(name);
    std::erase_if(messages, [&](const auto& kv) { return kv.first.first == name; });
    std::erase_if(dedup, [&](const auto& kv) { return kv.first.first == name; });
  }
  void put_message(MessageRecord m) override {
    calls.push_back("put_message " + m.queue + " " + m.message_id);
    messages[{m.queue, m.message_id}] = m;
    ids_by_sequence[m.sequence] = m.message_id;
  }
  void put_message_state(MessageStateRecord s) override {
    auto it = std::find_if(messages.begin(), messages.end(),
                           [&](const auto& kv) { return kv.second.sequence == s.sequence; });
    REQUIRE(it != messages.end());  // only a message put before has a state to change
    calls.push_back("put_message_state " + it->first.first + " " + it->first.second);
    MessageRecord& m = it->second;
    m.receive_count = s.receive_count;
    m.first_receive_timestamp_ms = s.first_receive_timestamp_ms;
    m.visible_at_us = s.visible_at_us;
    m.received_at_us = s.received_at_us;
    m.receipt_handle = s.receipt_handle;
  }
  void remove_message(const std::string& queue, uint64_t sequence) override {
    const std::string id = ids_by_sequence[sequence];
    ids_by_sequence.erase(sequence);
    calls.push_back("remove_message " + queue + " " + id);
    messages.erase({queue, id});
  }
  void remove_all_messages(const std::string& queue) override {
    calls.push_back("remove_all_messages " + queue);
    std::erase_if(messages, [&](const auto& kv) { return kv.first.first == queue; });
    std::erase_if(dedup, [&](const auto& kv) { return kv.first.first == queue; });
  }
  void put_dedup(const DedupRecord& d) override {
    calls.push_back("put_dedup " + d.queue + " " + d.key);
    dedup[{d.queue, d.key}] = d;
  }
  void remove_dedup(const std::string& queue, const std::string& key) override {
    calls.push_back("remove_dedup " + queue + " " + key);
    dedup.erase({queue, key});
  }

  void put_move_task(const MoveTaskRecord& t) override {
    calls.push_back("put_move_task " + t.task_id + " " + t.status);
    for (auto& existing : move_tasks) {
      if (existing.task_id == t.task_id) {
        existing = t;
        return;
      }
    }
    move_tasks.push_back(t);
  }
  SqsSnapshot snapshot() const {
    SqsSnapshot s;
    for (const auto& [name, q] : queues) s.queues.push_back(q);
    uint64_t max_seq = 0;
    for (const auto& [key, m] : messages) {
      s.messages.push_back(m);
      max_seq = std::max(max_seq, m.sequence);
    }
    for (const auto& [key, d] : dedup) s.dedup.push_back(d);
    s.next_sequence = max_seq + 1;
    s.move_tasks = move_tasks;
    return s;
  }
  size_t count(const std::string& prefix) const {
    return static_cast<size_t>(std::count_if(calls.begin(), calls.end(), [&](const std::string& c) {
      return c.rfind(prefix, 0) == 0;
    }));
  }
};

// Captures a ReceiveMessage reply (which may come later, from a timer or a send).
struct Poll {
  int replies = 0;
  std::optional<SqsResult<ReceiveMessageResponse>> result;
  bool done() const { return replies > 0; }
  const std::vector<ReceivedMessage>& messages() const { return result->value().messages; }
};

inline constexpr const char* kAccount = "000000000000";

class SqsHarness {
 public:
  core::ManualClock clock;
  core::TimerQueue timers;
  FakeSqsPersistence store;
  std::unique_ptr<SqsService> svc;
  RequestContext ctx{"127.0.0.1:4566", std::nullopt};

  explicit SqsHarness(uint64_t seed = 42, SqsConfig config = {}) {
    svc = std::make_unique<SqsService>(config, clock, timers, core::IdGen(core::Rng(seed)), &store);
  }

  static QueueRef ref(const std::string& name) { return QueueRef{kAccount, name}; }
  static std::string arn(const std::string& name) {
    return "arn:aws:sqs:us-east-1:000000000000:" + name;
  }

  QueueRef create(const std::string& name, std::map<std::string, std::string> attrs = {}) {
    auto r = svc->create_queue(ctx, CreateQueueRequest{name, std::move(attrs), {}});
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return ref(name);
  }
  QueueRef create_fifo(const std::string& name, std::map<std::string, std::string> attrs = {}) {
    attrs["FifoQueue"] = "true";
    return create(name, std::move(attrs));
  }

  SqsResult<SendMessageResult> try_send(const QueueRef& q, SendMessageEntry e) {
    return svc->send_message(ctx, SendMessageRequest{q, std::move(e)});
  }
  SendMessageResult send(const QueueRef& q, const std::string& body,
                         std::optional<std::string> group = std::nullopt,
                         std::optional<std::string> dedup = std::nullopt) {
    SendMessageEntry e;
    e.message_body = body;
    e.message_group_id = std::move(group);
    e.message_deduplication_id = std::move(dedup);
    auto r = try_send(q, std::move(e));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return r.value();
  }

  std::shared_ptr<Poll> poll(ReceiveMessageRequest req) {
    auto p = std::make_shared<Poll>();
    svc->receive_message(ctx, req, [p](SqsResult<ReceiveMessageResponse> r) {
      ++p->replies;
      p->result.emplace(std::move(r));
    });
    return p;
  }
  // A receive that must answer at once (WaitTimeSeconds 0 unless given).
  std::vector<ReceivedMessage> receive(const QueueRef& q, int max = 1,
                                       std::optional<int> visibility = std::nullopt,
                                       std::vector<std::string> system_names = {"All"}) {
    ReceiveMessageRequest req;
    req.queue = q;
    req.max_number_of_messages = max;
    req.visibility_timeout = visibility;
    req.wait_time_seconds = 0;
    req.message_system_attribute_names = std::move(system_names);
    req.message_attribute_names = {"All"};
    auto p = poll(req);
    REQUIRE(p->done());
    REQUIRE_MESSAGE(p->result->ok(), (p->result->ok() ? std::string() : p->result->error().message));
    return p->messages();
  }

  void advance_us(core::TimeUs d) {
    clock.advance_us(d);
    // Timers armed by a firing callback run in a later pass: loop like the daemon would.
    for (int pass = 0; pass < 100 && timers.next_due_us() && *timers.next_due_us() <= clock.now_us();
         ++pass) {
      timers.fire_due(clock.now_us());
    }
  }
  void advance_s(int64_t s) { advance_us(s * core::kUsPerSecond); }

  std::string attr(const QueueRef& q, const std::string& name) {
    auto r = svc->get_queue_attributes(ctx, GetQueueAttributesRequest{q, {name}});
    REQUIRE(r.ok());
    for (const auto& [k, v] : r.value().attributes) {
      if (k == name) return v;
    }
    return "<absent>";
  }
  std::optional<SqsError> set_attr(const QueueRef& q, const std::string& name, const std::string& value) {
    auto r = svc->set_queue_attributes(ctx, SetQueueAttributesRequest{q, {{name, value}}});
    if (r.ok()) return std::nullopt;
    return r.error();
  }
  std::optional<SqsError> del(const QueueRef& q, const std::string& handle) {
    auto r = svc->delete_message(ctx, DeleteMessageRequest{q, handle});
    if (r.ok()) return std::nullopt;
    return r.error();
  }
  std::optional<SqsError> change(const QueueRef& q, const std::string& handle, int timeout) {
    auto r = svc->change_message_visibility(ctx, ChangeMessageVisibilityRequest{q, handle, timeout});
    if (r.ok()) return std::nullopt;
    return r.error();
  }
};

inline std::string sys_attr(const ReceivedMessage& m, const std::string& name) {
  for (const auto& [k, v] : m.attributes) {
    if (k == name) return v;
  }
  return "<absent>";
}

}  // namespace slipway::sqs::testing
