// ReceiveMessage's delivery: choosing messages (standard and FIFO), redrive to the DLQ,
// receipt handles, attribute filtering and ReceiveRequestAttemptId replays.
#include <algorithm>

#include "core/digest.h"
#include "sqs/message_checks.h"
#include "sqs/service_impl.h"

namespace slipway::sqs {

namespace {

bool wants(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return n == "All" || n == name; });
}

// "All", "*" or ".*": everything; "prefix.*": names starting with prefix; else an exact name.
bool attribute_selected(const std::vector<std::string>& patterns, const std::string& name) {
  for (const auto& p : patterns) {
    if (p == "All" || p == "*" || p == ".*" || p == name) return true;
    if (p.size() > 2 && p.compare(p.size() - 2, 2, ".*") == 0 &&
        name.compare(0, p.size() - 2, p, 0, p.size() - 2) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

SqsResult<ReceiveParams> SqsService::Impl::check_receive(const Queue& q,
                                                         const ReceiveMessageRequest& req) const {
  const auto& l = config.limits;
  ReceiveParams p;
  if (req.max_number_of_messages) {
    const int n = *req.max_number_of_messages;
    if (n < 1 || n > l.receive_messages_max) {
      return invalid_parameter("MaxNumberOfMessages", std::to_string(n),
                               "Must be between 1 and " + std::to_string(l.receive_messages_max) +
                                   ", if provided.");
    }
    p.max_messages = n;
  }
  if (req.wait_time_seconds) {
    const int w = *req.wait_time_seconds;
    if (w < l.receive_wait_s_min || w > l.receive_wait_s_max) {
      return invalid_parameter("WaitTimeSeconds", std::to_string(w),
                               "Must be >= " + std::to_string(l.receive_wait_s_min) + " and <= " +
                                   std::to_string(l.receive_wait_s_max) + ", if provided.");
    }
  }
  if (req.visibility_timeout) {
    const int v = *req.visibility_timeout;
    if (v < l.visibility_timeout_s_min || v > l.visibility_timeout_s_max) {
      return invalid_parameter("VisibilityTimeout", std::to_string(v),
                               "Must be between " + std::to_string(l.visibility_timeout_s_min) +
                                   " and " + std::to_string(l.visibility_timeout_s_max) +
                                   ", if provided.");
    }
    p.visibility_timeout_s = v;
  }
  if (q.cfg.fifo && req.receive_request_attempt_id) {
    if (!valid_fifo_token(*req.receive_request_attempt_id)) {
      return invalid_fifo_token("ReceiveRequestAttemptId", *req.receive_request_attempt_id);
    }
    p.attempt_id = req.receive_request_attempt_id;
  }
  p.system_attribute_names = req.message_system_attribute_names;
  p.message_attribute_names = req.message_attribute_names;
  return p;
}

ReceiveMessageResponse SqsService::Impl::collect(Queue& q, const ReceiveParams& params) {
  const core::TimeUs t = now();
  q.refresh(t);
  if (params.attempt_id) {
    if (auto replay = replay_attempt(q, params)) return std::move(*replay);
  }
  std::vector<uint64_t> redrive;
  const std::vector<uint64_t> picks = q.cfg.fifo ? pick_fifo(q, params.max_messages, redrive)
                                                 : pick_standard(q, params.max_messages, redrive);
  for (uint64_t seq : redrive) move_to_dlq(q, seq);
  ReceiveMessageResponse resp;
  resp.messages.reserve(picks.size());
  ReceiveAttempt attempt;
  for (uint64_t seq : picks) {
    Message* m = q.find(seq);
    resp.messages.push_back(deliver(q, *m, params, t));
    if (params.attempt_id) attempt.items.push_back({m->seq, m->receipt_nonce, m->visible_at_us});
  }
  if (params.attempt_id && !attempt.items.empty()) {
    attempt.expires_at_us = t + kAttemptWindowS * core::kUsPerSecond;
    q.attempts[*params.attempt_id] = std::move(attempt);
  }
  if (!redrive.empty()) ensure_retention_timer(q);
  arm_visibility_timer(q);
  return resp;
}

std::vector<uint64_t> SqsService::Impl::pick_standard(Queue& q, int max, std::vector<uint64_t>& redrive) {
  std::vector<uint64_t> picks;
  picks.reserve(max);
  for (auto it = q.ready.begin(); it != q.ready.end() && static_cast<int>(picks.size()) < max; ++it) {
    const Message& m = q.messages.at(it->second);
    (should_redrive(q, m) ? redrive : picks).push_back(m.seq);
  }
  return picks;
}

// Fills from one group first (in order, up to its first invisible message), then the next.
std::vector<uint64_t> SqsService::Impl::pick_fifo(Queue& q, int max, std::vector<uint64_t>& redrive) {
  const core::TimeUs t = now();
  std::vector<uint64_t> picks;
  for (const auto& [front, group] : q.ready_groups) {
    if (static_cast<int>(picks.size()) >= max) break;
    for (uint64_t seq : q.groups.at(group).seqs) {
      if (static_cast<int>(picks.size()) >= max) break;
      const Message& m = q.messages.at(seq);
      if (m.visible_at_us > t) break;
      (should_redrive(q, m) ? redrive : picks).push_back(seq);
    }
  }
  return picks;
}

bool SqsService::Impl::should_redrive(const Queue& q, const Message& m) {
  if (q.cfg.dlq_target_arn.empty() || m.receive_count < q.cfg.max_receive_count) return false;
  const Queue* dlq = queue_by_arn(q.cfg.dlq_target_arn);
  if (dlq == nullptr || dlq == &q || dlq->cfg.fifo != q.cfg.fifo) return false;
  return redrive_allowed(DlqInfo{dlq->cfg.fifo, dlq->cfg.redrive_permission, dlq->cfg.redrive_source_arns},
                         q.arn);
}

void SqsService::Impl::move_to_dlq(Queue& source, uint64_t seq) {
  Queue* dlq = queue_by_arn(source.cfg.dlq_target_arn);
  if (dlq != nullptr) transfer(source, seq, *dlq, true);
}

void SqsService::Impl::transfer(Queue& from, uint64_t seq, Queue& to, bool to_dlq) {
  const core::TimeUs t = now();
  Message m = from.take(seq, t);
  if (persistence != nullptr) persistence->remove_message(from.name, seq);
  m.seq = next_seq++;
  m.receipt_nonce = 0;
  m.received_at_us = 0;
  m.visible_at_us = t;
  if (to_dlq) {
    m.extra_to_set().dlq_source_arn = from.arn;
    if (to.cfg.fifo) m.enqueued_at_us = t;  // AWS: FIFO resets the enqueue time, standard keeps it
  } else {
    m.receive_count = 0;
    m.first_receive_ms = 0;
    if (m.extras) m.extras->dlq_source_arn.clear();
  }
  if (to.cfg.fifo) {
    MessageExtras& x = m.extra_to_set();
    if (!x.group_id) x.group_id = m.message_id;
    x.sequence_number = sequence_number(m.seq);
  } else if (m.extras) {
    m.extras->sequence_number.clear();
    m.extras->dedup_id.reset();
  }
  const Message& stored = to.insert(std::move(m), t);
  persist_message(to, stored);
  ensure_retention_timer(to);
  notify(to.name);
}

ReceivedMessage SqsService::Impl::deliver(Queue& q, Message& m, const ReceiveParams& params,
                                          core::TimeUs t) {
  const int vt = params.visibility_timeout_s.value_or(q.cfg.visibility_timeout_s);
  ++m.receive_count;
  if (m.first_receive_ms == 0) m.first_receive_ms = t / core::kUsPerMs;
  m.received_at_us = t;
  q.reposition(m, t + vt * core::kUsPerSecond, ids.nonce(), t);
  std::string handle = receipt_of(q, m);
  persist_message_state(m, handle);
  return render(q, m, params, std::move(handle));
}

ReceivedMessage SqsService::Impl::render(const Queue& q, const Message& m,
                                         const ReceiveParams& params,
                                         std::string receipt_handle) const {
  ReceivedMessage r;
  r.message_id = m.message_id;
  r.receipt_handle = std::move(receipt_handle);
  r.md5_of_body = m.md5_text();
  r.body = m.body;
  const auto& names = params.system_attribute_names;
  auto add = [&](const std::string& name, const std::string& value) {
    if (wants(names, name)) r.attributes.emplace_back(name, value);
  };
  add("SenderId", config.account_id);
  add("SentTimestamp", std::to_string(m.sent_ms));
  add("ApproximateReceiveCount", std::to_string(m.receive_count));
  add("ApproximateFirstReceiveTimestamp", std::to_string(m.first_receive_ms));
  const MessageExtras& x = m.extra();
  if (auto it = x.system_attributes.find("AWSTraceHeader"); it != x.system_attributes.end()) {
    add("AWSTraceHeader", it->second.string_value);
  }
  if (!x.sequence_number.empty()) add("SequenceNumber", x.sequence_number);
  if (q.cfg.fifo && x.dedup_id) add("MessageDeduplicationId", *x.dedup_id);
  if (x.group_id) add("MessageGroupId", *x.group_id);
  if (!x.dlq_source_arn.empty()) add("DeadLetterQueueSourceArn", x.dlq_source_arn);
  for (const auto& [name, value] : x.attributes) {
    if (attribute_selected(params.message_attribute_names, name)) r.message_attributes[name] = value;
  }
  r.md5_of_message_attributes = md5_of_attributes(r.message_attributes);
  return r;
}

// A FIFO retry with the same ReceiveRequestAttemptId within 5 minutes gets the same messages and
// handles (visibility restarted) if none of them was deleted or had its visibility changed.
std::optional<ReceiveMessageResponse> SqsService::Impl::replay_attempt(Queue& q,
                                                                       const ReceiveParams& params) {
  const core::TimeUs t = now();
  std::erase_if(q.attempts, [t](const auto& kv) { return kv.second.expires_at_us <= t; });
  auto it = q.attempts.find(*params.attempt_id);
  if (it == q.attempts.end()) return std::nullopt;
  for (const auto& item : it->second.items) {
    const Message* m = q.find(item.seq);
    if (m == nullptr || m->receipt_nonce != item.nonce || m->visible_at_us != item.visible_at_us) {
      q.attempts.erase(it);
      return std::nullopt;
    }
  }
  const int vt = params.visibility_timeout_s.value_or(q.cfg.visibility_timeout_s);
  ReceiveMessageResponse resp;
  for (auto& item : it->second.items) {
    Message& m = q.messages.at(item.seq);
    m.received_at_us = t;
    q.reposition(m, t + vt * core::kUsPerSecond, m.receipt_nonce, t);
    item.visible_at_us = m.visible_at_us;
    std::string handle = receipt_of(q, m);
    persist_message_state(m, handle);
    resp.messages.push_back(render(q, m, params, std::move(handle)));
  }
  return resp;
}

}  // namespace slipway::sqs
