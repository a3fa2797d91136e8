// SendMessage and SendMessageBatch: validation, FIFO deduplication, enqueue.
#include "core/digest.h"
#include "sqs/message_checks.h"
#include "sqs/service_impl.h"

namespace slipway::sqs {

namespace {

std::string dedup_key(const Queue& q, const std::string& group, const std::string& dedup_id) {
  if (!q.dedup_by_group) return dedup_id;
  return std::to_string(group.size()) + ":" + group + ":" + dedup_id;
}

SqsError too_large(int max_bytes, bool in_batch) {
  return invalid_parameter_plain(std::string("One or more parameters ") +
                                 (in_batch ? "cannot be validated" : "are invalid") +
                                 ". Reason: Message must be shorter than " +
                                 std::to_string(max_bytes) + " bytes.");
}

SqsError no_dedup_id() {
  return invalid_parameter_plain(
      "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
      "provided explicitly");
}

}  // namespace

std::optional<SqsError> SqsService::Impl::check_fifo_ids(const Queue& q, const SendMessageEntry& e,
                                                         bool in_batch) const {
  if (!q.cfg.fifo) {
    if (e.message_deduplication_id) {
      return invalid_parameter("MessageDeduplicationId", *e.message_deduplication_id,
                               "The request includes a parameter that is not valid for this queue "
                               "type.");
    }
    if (e.message_group_id && !valid_fifo_token(*e.message_group_id)) {
      return invalid_fifo_token("MessageGroupId", *e.message_group_id);
    }
    return std::nullopt;
  }
  if (!e.message_group_id) {
    return in_batch ? invalid_parameter_plain("The request must contain the parameter MessageGroupId.")
                    : missing_parameter("MessageGroupId");
  }
  if (!valid_fifo_token(*e.message_group_id)) {
    return invalid_fifo_token("MessageGroupId", *e.message_group_id);
  }
  if (e.message_deduplication_id && !valid_fifo_token(*e.message_deduplication_id)) {
    return invalid_fifo_token("MessageDeduplicationId", *e.message_deduplication_id);
  }
  if (!e.message_deduplication_id && !q.cfg.content_based_dedup) return no_dedup_id();
  return std::nullopt;
}

std::optional<SqsError> SqsService::Impl::check_send(const Queue& q, const SendMessageEntry& e,
                                                     bool in_batch) const {
  if (auto err = check_fifo_ids(q, e, in_batch)) return err;
  if (e.delay_seconds) {
    const int d = *e.delay_seconds;
    if (q.cfg.fifo && d != 0) {
      return invalid_parameter("DelaySeconds", std::to_string(d),
                               "The request include parameter that is not valid for this queue "
                               "type.");
    }
    if (d < config.limits.delay_s_min || d > config.limits.delay_s_max) {
      return invalid_parameter("DelaySeconds", std::to_string(d),
                               "DelaySeconds must be >= " + std::to_string(config.limits.delay_s_min) +
                                   " and <= " + std::to_string(config.limits.delay_s_max) + ".");
    }
  }
  if (e.message_body.empty()) return missing_parameter("MessageBody");
  if (!valid_message_characters(e.message_body)) return invalid_message_contents();
  if (auto err = check_message_attributes(e.message_attributes)) return err;
  if (auto err = check_system_attributes(e.message_system_attributes)) return err;
  if (message_size(e) > q.cfg.max_message_bytes) return too_large(q.cfg.max_message_bytes, in_batch);
  return std::nullopt;
}

void SqsService::Impl::prune_dedup(Queue& q, core::TimeUs now_us) {
  while (!q.dedup_expiry.empty() && q.dedup_expiry.front().first <= now_us) {
    const std::string key = std::move(q.dedup_expiry.front().second);
    q.dedup_expiry.pop_front();
    auto it = q.dedup.find(key);
    if (it == q.dedup.end() || it->second.expires_at_us > now_us) continue;
    q.dedup.erase(it);
    if (persistence != nullptr) persistence->remove_dedup(q.name, key);
  }
}

SqsResult<SendMessageResult> SqsService::Impl::send(Queue& q, const RequestContext& ctx,
                                                    const SendMessageEntry& e, bool in_batch) {
  if (auto err = check_send(q, e, in_batch)) return *err;
  const core::TimeUs t = now();
  SendMessageResult result;
  result.md5_of_message_body = core::md5_hex(e.message_body);
  result.md5_of_message_attributes = md5_of_attributes(e.message_attributes);
  result.md5_of_message_system_attributes = md5_of_attributes(e.message_system_attributes);
  std::string key;
  std::string dedup_id;
  if (q.cfg.fifo) {
    prune_dedup(q, t);
    dedup_id = e.message_deduplication_id ? *e.message_deduplication_id : core::sha256_hex(e.message_body);
    key = dedup_key(q, *e.message_group_id, dedup_id);
    if (auto it = q.dedup.find(key); it != q.dedup.end()) {
      result.message_id = it->second.message_id;
      result.sequence_number = it->second.sequence_number;
      return result;
    }
  }
  Message m;
  m.seq = next_seq++;
  m.message_id = ids.uuid();
  m.body = e.message_body;
  m.set_md5(result.md5_of_message_body);
  MessageExtras x;  // kept only if something is set (Message::set_extras)
  x.attributes = e.message_attributes;
  x.system_attributes = e.message_system_attributes;
  x.group_id = e.message_group_id;
  if (ctx.trace_header && !x.system_attributes.count("AWSTraceHeader")) {
    x.system_attributes["AWSTraceHeader"] = AttributeValue{"String", *ctx.trace_header, ""};
  }
  if (q.cfg.fifo) {
    x.dedup_id = std::move(dedup_id);
    x.sequence_number = sequence_number(m.seq);
  }
  m.set_extras(std::move(x));
  m.sent_ms = t / core::kUsPerMs;
  m.enqueued_at_us = t;
  m.visible_at_us = t + e.delay_seconds.value_or(q.cfg.delay_s) * core::kUsPerSecond;
  const Message& stored = q.insert(std::move(m), t);
  persist_message(q, stored);
  result.message_id = stored.message_id;
  result.sequence_number = stored.extra().sequence_number;
  if (q.cfg.fifo) {
    const core::TimeUs expires = t + config.limits.fifo_dedup_window_s * core::kUsPerSecond;
    q.dedup[key] = DedupEntry{stored.message_id, result.sequence_number, expires};
    q.dedup_expiry.emplace_back(expires, key);
    if (persistence != nullptr) {
      persistence->put_dedup(DedupRecord{q.name, key, stored.message_id, result.sequence_number, expires});
    }
  }
  ensure_retention_timer(q);
  notify(q.name);
  return result;
}

SqsResult<SendMessageBatchResponse> SqsService::Impl::send_batch(const RequestContext& ctx,
                                                                 const SendMessageBatchRequest& req) {
  auto found = find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  std::vector<std::string> entry_ids;
  entry_ids.reserve(req.entries.size());
  int64_t total = 0;
  for (const auto& e : req.entries) {
    entry_ids.push_back(e.id);
    total += message_size(e);
  }
  if (auto err = check_batch_ids(entry_ids, config.limits.batch_entries_max,
                                 "SendMessageBatchRequestEntry")) {
    return *err;
  }
  if (total > config.limits.message_bytes_max) {
    return sqs_error(SqsErrorCode::kBatchRequestTooLong,
                     "Batch requests cannot be longer than " +
                         std::to_string(config.limits.message_bytes_max) + " bytes. You have sent " +
                         std::to_string(total) + " bytes.");
  }
  for (const auto& e : req.entries) {
    if (!q.cfg.fifo) break;
    if (!e.message_group_id) {
      return invalid_parameter_plain("The request must contain the parameter MessageGroupId.");
    }
    if (!e.message_deduplication_id && !q.cfg.content_based_dedup) return no_dedup_id();
  }
  SendMessageBatchResponse resp;
  resp.successful.reserve(req.entries.size());
  for (const auto& e : req.entries) {
    auto r = send(q, ctx, e, true);
    if (r) {
      resp.successful.emplace_back(e.id, std::move(r).value());
    } else {
      resp.failed.push_back(BatchEntryError{e.id, r.error()});
    }
  }
  return resp;
}

}  // namespace slipway::sqs
