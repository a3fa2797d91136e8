// DeleteMessage(Batch) and ChangeMessageVisibility(Batch), spec §2.5 and §2.6.
#include "sqs/message_checks.h"
#include "sqs/service_impl.h"

namespace slipway::sqs {

namespace {

SqsError invalid_handle(const std::string& handle) {
  return sqs_error(SqsErrorCode::kReceiptHandleIsInvalid,
                   "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
}

SqsError expired_handle(const std::string& handle) {
  return invalid_parameter("ReceiptHandle", handle, "The receipt handle has expired.");
}

}  // namespace

std::optional<SqsError> SqsService::Impl::delete_one(Queue& q, const std::string& handle) {
  const auto h = decode_receipt(handle);
  if (!h || h->queue != q.name) return invalid_handle(handle);
  Message* m = q.find(h->seq);
  if (m == nullptr || m->message_id != h->message_id) return std::nullopt;  // already deleted
  const core::TimeUs t = now();
  const bool current = m->receipt_nonce == h->nonce;
  if (q.cfg.fifo && !(current && m->visible_at_us > t)) return expired_handle(handle);
  // Standard: a handle from an older receive succeeds without deleting (AWS: "might not be
  // deleted"); the current handle deletes even after its visibility expired.
  if (!current) return std::nullopt;
  q.take(h->seq, t);
  if (persistence != nullptr) persistence->remove_message(q.name, h->seq);
  ensure_retention_timer(q);
  if (q.cfg.fifo) notify(q.name);  // the group may be unblocked
  return std::nullopt;
}

std::optional<SqsError> SqsService::Impl::change_visibility_one(Queue& q, const std::string& handle,
                                                                int timeout_s) {
  const auto& l = config.limits;
  if (timeout_s < l.visibility_timeout_s_min || timeout_s > l.visibility_timeout_s_max) {
    return invalid_parameter("VisibilityTimeout", std::to_string(timeout_s),
                             "Must be between " + std::to_string(l.visibility_timeout_s_min) +
                                 " and " + std::to_string(l.visibility_timeout_s_max) +
                                 ", if provided.");
  }
  const auto h = decode_receipt(handle);
  if (!h || h->queue != q.name) return invalid_handle(handle);
  Message* m = q.find(h->seq);
  if (m == nullptr || m->message_id != h->message_id) {
    return invalid_parameter("ReceiptHandle", handle,
                             "Message does not exist or is not available for visibility timeout "
                             "change.");
  }
  const core::TimeUs t = now();
  if (!(m->receipt_nonce == h->nonce && m->visible_at_us > t)) {
    if (q.cfg.fifo) return expired_handle(handle);
    return std::nullopt;  // standard: expired or superseded handle, a no-op (AWS answers 200)
  }
  const core::TimeUs deadline = t + timeout_s * core::kUsPerSecond;
  if (deadline - m->received_at_us > l.visibility_timeout_s_max * core::kUsPerSecond) {
    return invalid_parameter("VisibilityTimeout", std::to_string(timeout_s),
                             "Total VisibilityTimeout for the message is beyond the limit [" +
                                 std::to_string(l.visibility_timeout_s_max) + " seconds]");
  }
  q.reposition(*m, deadline, m->receipt_nonce, t);
  persist_message_state(*m, receipt_of(q, *m));
  notify(q.name);
  return std::nullopt;
}

SqsResult<EmptyResponse> SqsService::delete_message(const RequestContext&,
                                                    const DeleteMessageRequest& req) {
  auto q = impl_->find_queue(req.queue);
  if (!q) return q.error();
  auto err = impl_->delete_one(*q.value(), req.receipt_handle);
  impl_->flush();
  if (err) return *err;
  return EmptyResponse{};
}

SqsResult<BatchIdsResponse> SqsService::delete_message_batch(const RequestContext&,
                                                             const DeleteMessageBatchRequest& req) {
  auto q = impl_->find_queue(req.queue);
  if (!q) return q.error();
  std::vector<std::string> ids;
  for (const auto& e : req.entries) ids.push_back(e.id);
  if (auto err = check_batch_ids(ids, impl_->config.limits.batch_entries_max,
                                 "DeleteMessageBatchRequestEntry")) {
    return *err;
  }
  BatchIdsResponse resp;
  for (const auto& e : req.entries) {
    if (auto err = impl_->delete_one(*q.value(), e.receipt_handle)) {
      resp.failed.push_back(BatchEntryError{e.id, *err});
    } else {
      resp.successful.push_back(e.id);
    }
  }
  impl_->flush();
  return resp;
}

SqsResult<EmptyResponse> SqsService::change_message_visibility(
    const RequestContext&, const ChangeMessageVisibilityRequest& req) {
  auto q = impl_->find_queue(req.queue);
  if (!q) return q.error();
  auto err = impl_->change_visibility_one(*q.value(), req.receipt_handle, req.visibility_timeout);
  impl_->flush();
  if (err) return *err;
  return EmptyResponse{};
}

SqsResult<BatchIdsResponse> SqsService::change_message_visibility_batch(
    const RequestContext&, const ChangeMessageVisibilityBatchRequest& req) {
  auto q = impl_->find_queue(req.queue);
  if (!q) return q.error();
  std::vector<std::string> ids;
  for (const auto& e : req.entries) ids.push_back(e.id);
  if (auto err = check_batch_ids(ids, impl_->config.limits.batch_entries_max,
                                 "ChangeMessageVisibilityBatchRequestEntry")) {
    return *err;
  }
  BatchIdsResponse resp;
  for (const auto& e : req.entries) {
    if (auto err = impl_->change_visibility_one(*q.value(), e.receipt_handle, e.visibility_timeout)) {
      resp.failed.push_back(BatchEntryError{e.id, *err});
    } else {
      resp.successful.push_back(e.id);
    }
  }
  impl_->flush();
  return resp;
}

}  // namespace slipway::sqs
