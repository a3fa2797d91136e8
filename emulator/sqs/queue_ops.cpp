// Queue-level actions: CreateQueue, DeleteQueue, PurgeQueue, ListQueues, SetQueueAttributes,
// tags and ListDeadLetterSourceQueues.
#include "core/digest.h"
#include "sqs/message_checks.h"
#include "sqs/service_impl.h"

namespace slipway::sqs {

namespace {

bool fifo_requested(const std::map<std::string, std::string>& attrs) {
  auto it = attrs.find("FifoQueue");
  if (it == attrs.end()) return false;
  std::string v;
  for (char c : it->second) v.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  return v == "true";
}

SqsError invalid_queue_name(bool fifo) {
  return invalid_parameter_plain(
      fifo ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
             "underscores, must end with .fifo suffix and be 1 to 80 in length."
           : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
}

// One page of `names` (sorted), after the name in `token`, at most `max` (1000 when absent).
SqsResult<std::pair<std::vector<std::string>, std::optional<std::string>>> page(
    const std::vector<std::string>& names, const std::optional<int>& max,
    const std::optional<std::string>& token) {
  if (max && (*max < 1 || *max > 1000)) {
    return invalid_parameter("MaxResults", std::to_string(*max),
                             "MaxResults must be an integer between 1 and 1000.");
  }
  std::string after;
  if (token) {
    auto decoded = core::base64_decode(*token);
    if (!decoded || decoded->rfind("after:", 0) != 0) {
      return invalid_parameter_plain("Invalid NextToken value.");
    }
    after = decoded->substr(6);
  }
  std::vector<std::string> out;
  const size_t limit = static_cast<size_t>(max.value_or(1000));
  std::optional<std::string> next;
  for (const auto& n : names) {
    if (token && n <= after) continue;
    if (out.size() == limit) {
      if (max) next = core::base64_encode("after:" + out.back());
      break;
    }
    out.push_back(n);
  }
  return std::make_pair(std::move(out), std::move(next));
}

std::optional<SqsError> check_tag_count(const Queue& q, size_t count, int max) {
  if (static_cast<int>(count) > max) {
    return invalid_parameter_plain("Too many tags added for queue " + q.name + ".");
  }
  return std::nullopt;
}

}  // namespace

// CreateQueue on an existing queue: only the supplied attributes are compared, with the
// queue's CURRENT values (spec §2.2).
std::optional<SqsError> SqsService::Impl::create_conflict(
    const Queue& q, const std::map<std::string, std::string>& attrs) {
  auto next = apply_queue_attributes(q.cfg, attrs, config.limits, q.arn, dlq_lookup());
  if (!next) return next.error();
  const auto before = settable_attribute_values(q.cfg);
  const auto after = settable_attribute_values(next.value());
  for (const auto& [name, value] : attrs) {
    auto b = before.find(name);
    auto a = after.find(name);
    const bool same = (b == before.end() && a == after.end()) ||
                      (b != before.end() && a != after.end() && a->second == b->second);
    if (!same) {
      return sqs_error(SqsErrorCode::kQueueAlreadyExists,
                       "A queue already exists with the same name and a different value for "
                       "attribute " + name);
    }
  }
  return std::nullopt;
}

SqsResult<CreateQueueResponse> SqsService::Impl::create_queue(const RequestContext& ctx,
                                                              const CreateQueueRequest& req) {
  const bool fifo = fifo_requested(req.attributes);
  const auto& limits = config.limits;
  if (!valid_queue_name(req.queue_name, fifo, limits.queue_name_chars_max)) {
    return invalid_queue_name(fifo);
  }
  const std::string arn = queue_arn(req.queue_name);
  if (auto it = queues.find(req.queue_name); it != queues.end()) {
    if (auto err = create_conflict(*it->second, req.attributes)) return *err;
    return CreateQueueResponse{queue_url(ctx, req.queue_name)};
  }
  const core::TimeUs t = now();
  if (auto d = deleted_at.find(req.queue_name);
      d != deleted_at.end() && t - d->second < kRecreateCooldownS * core::kUsPerSecond) {
    return sqs_error(SqsErrorCode::kQueueDeletedRecently,
                     "You must wait 60 seconds after deleting a queue before you can create "
                     "another with the same name.");
  }
  auto cfg = apply_queue_attributes(default_queue_config(limits, fifo), req.attributes, limits, arn,
                                    dlq_lookup());
  if (!cfg) return cfg.error();
  auto q = std::make_unique<Queue>();
  if (auto err = check_tag_count(*q, req.tags.size(), limits.tags_per_queue_max)) return *err;
  q->name = req.queue_name;
  q->arn = arn;
  q->cfg = std::move(cfg).value();
  q->dedup_by_group = q->cfg.dedup_scope == "messageGroup";
  q->created_s = q->modified_s = t / core::kUsPerSecond;
  q->tags = req.tags;
  deleted_at.erase(req.queue_name);
  persist_queue(*q);
  queues.emplace(req.queue_name, std::move(q));
  return CreateQueueResponse{queue_url(ctx, req.queue_name)};
}

SqsResult<EmptyResponse> SqsService::Impl::delete_queue(const DeleteQueueRequest& req) {
  auto found = find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  const std::string name = q.name;
  std::vector<SqsService::ReceiveReply> replies;
  for (uint64_t id : q.waiter_ids) {
    auto w = waiters.find(id);
    if (w == waiters.end()) continue;
    timers.cancel(w->second.deadline_timer);
    replies.push_back(std::move(w->second.reply));
    waiters.erase(w);
  }
  q.waiter_ids.clear();
  drop_queue_runtime(q);
  queues.erase(name);
  deleted_at[name] = now();
  if (persistence != nullptr) persistence->remove_queue(name);
  for (auto& reply : replies) reply(ReceiveMessageResponse{});
  return EmptyResponse{};
}

SqsResult<EmptyResponse> SqsService::Impl::set_queue_attributes(const SetQueueAttributesRequest& req) {
  auto found = find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  auto next = apply_queue_attributes(q.cfg, req.attributes, config.limits, q.arn, dlq_lookup());
  if (!next) return next.error();
  const int old_delay = q.cfg.delay_s;
  q.cfg = std::move(next).value();
  q.modified_s = now() / core::kUsPerSecond;
  persist_queue(q);
  if (q.cfg.fifo && q.cfg.delay_s != old_delay) retro_delay_fifo(q, old_delay);
  ensure_retention_timer(q);
  notify(q.name);
  flush();
  return EmptyResponse{};
}

// AWS: a FIFO queue's DelaySeconds change applies to messages already waiting (spec §4).
void SqsService::Impl::retro_delay_fifo(Queue& q, int old_delay_s) {
  const core::TimeUs t = now();
  std::vector<uint64_t> affected;
  for (const auto& [seq, m] : q.messages) {
    if (m.receipt_nonce == 0 && m.receive_count == 0 &&
        m.visible_at_us == m.enqueued_at_us + old_delay_s * core::kUsPerSecond) {
      affected.push_back(seq);
    }
  }
  for (uint64_t seq : affected) {
    Message& m = q.messages.at(seq);
    q.reposition(m, m.enqueued_at_us + q.cfg.delay_s * core::kUsPerSecond, 0, t);
    persist_message_state(m, receipt_of(q, m));
  }
}

SqsResult<ListQueuesResponse> SqsService::list_queues(const RequestContext& ctx,
                                                      const ListQueuesRequest& req) {
  std::vector<std::string> names;
  for (const auto& [name, q] : impl_->queues) {
    if (!req.queue_name_prefix || name.rfind(*req.queue_name_prefix, 0) == 0) names.push_back(name);
  }
  auto p = page(names, req.max_results, req.next_token);
  if (!p) return p.error();
  ListQueuesResponse resp;
  for (const auto& n : p.value().first) resp.queue_urls.push_back(impl_->queue_url(ctx, n));
  resp.next_token = p.value().second;
  return resp;
}

SqsResult<ListDeadLetterSourceQueuesResponse> SqsService::list_dead_letter_source_queues(
    const RequestContext& ctx, const ListDeadLetterSourceQueuesRequest& req) {
  auto dlq = impl_->find_queue(req.queue);
  if (!dlq) return dlq.error();
  std::vector<std::string> names;
  for (const auto& [name, q] : impl_->queues) {
    if (q->cfg.dlq_target_arn == dlq.value()->arn) names.push_back(name);
  }
  auto p = page(names, req.max_results, req.next_token);
  if (!p) return p.error();
  ListDeadLetterSourceQueuesResponse resp;
  for (const auto& n : p.value().first) resp.queue_urls.push_back(impl_->queue_url(ctx, n));
  resp.next_token = p.value().second;
  return resp;
}

SqsResult<EmptyResponse> SqsService::purge_queue(const RequestContext&, const PurgeQueueRequest& req) {
  auto found = impl_->find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  const core::TimeUs t = impl_->now();
  if (q.last_purge_us && t - *q.last_purge_us < kPurgeCooldownS * core::kUsPerSecond) {
    return sqs_error(SqsErrorCode::kPurgeQueueInProgress,
                     "Only one PurgeQueue operation on " + q.name + " is allowed every 60 seconds.");
  }
  q.clear();
  q.last_purge_us = t;
  if (impl_->persistence != nullptr) impl_->persistence->remove_all_messages(q.name);
  impl_->ensure_retention_timer(q);
  impl_->arm_visibility_timer(q);
  return EmptyResponse{};
}

SqsResult<EmptyResponse> SqsService::tag_queue(const RequestContext&, const TagQueueRequest& req) {
  auto found = impl_->find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  auto tags = q.tags;
  for (const auto& [k, v] : req.tags) tags[k] = v;
  if (auto err = check_tag_count(q, tags.size(), impl_->config.limits.tags_per_queue_max)) return *err;
  q.tags = std::move(tags);
  impl_->persist_queue(q);
  return EmptyResponse{};
}

SqsResult<EmptyResponse> SqsService::untag_queue(const RequestContext&, const UntagQueueRequest& req) {
  auto found = impl_->find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  for (const auto& k : req.tag_keys) q.tags.erase(k);
  impl_->persist_queue(q);
  return EmptyResponse{};
}

SqsResult<ListQueueTagsResponse> SqsService::list_queue_tags(const RequestContext&,
                                                             const ListQueueTagsRequest& req) {
  auto found = impl_->find_queue(req.queue);
  if (!found) return found.error();
  return ListQueueTagsResponse{found.value()->tags};
}

}  // namespace slipway::sqs
