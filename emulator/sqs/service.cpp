// SqsService: the public entry points (thin: find the queue, call Impl) and Impl's shared helpers.
#include "sqs/service.h"

#include <cstdio>

#include "sqs/service_impl.h"

namespace slipway::sqs {

SqsService::Impl::Impl(SqsConfig cfg, const core::Clock& clk, core::TimerQueue& tq,
                       core::IdGen id_gen, Persistence* store)
    : config(std::move(cfg)), clock(clk), timers(tq), ids(id_gen), persistence(store) {}

SqsService::Impl::~Impl() {
  for (auto& [name, q] : queues) {
    if (q->visibility_timer != 0) timers.cancel(q->visibility_timer);
    if (q->retention_timer != 0) timers.cancel(q->retention_timer);
  }
  for (auto& [id, w] : waiters) timers.cancel(w.deadline_timer);
  for (auto& t : tasks) {
    if (t.timer != 0) timers.cancel(t.timer);
  }
}

std::string SqsService::Impl::queue_arn(const std::string& name) const {
  return "arn:aws:sqs:" + config.region + ":" + config.account_id + ":" + name;
}

std::string SqsService::Impl::queue_url(const RequestContext& ctx, const std::string& name) const {
  return "http://" + ctx.host + "/" + config.account_id + "/" + name;
}

SqsResult<Queue*> SqsService::Impl::find_queue(const QueueRef& ref) {
  auto it = queues.find(ref.name);
  if ((!ref.account_id.empty() && ref.account_id != config.account_id) || it == queues.end()) {
    return sqs_error(SqsErrorCode::kQueueDoesNotExist, "The specified queue does not exist.");
  }
  return it->second.get();
}

Queue* SqsService::Impl::queue_by_arn(const std::string& arn) {
  const std::string prefix = queue_arn("");
  if (arn.size() <= prefix.size() || arn.compare(0, prefix.size(), prefix) != 0) return nullptr;
  auto it = queues.find(arn.substr(prefix.size()));
  return it == queues.end() ? nullptr : it->second.get();
}

DlqLookup SqsService::Impl::dlq_lookup() {
  return [this](const std::string& arn) -> std::optional<DlqInfo> {
    Queue* q = queue_by_arn(arn);
    if (q == nullptr) return std::nullopt;
    return DlqInfo{q->cfg.fifo, q->cfg.redrive_permission, q->cfg.redrive_source_arns};
  };
}

void SqsService::Impl::persist_queue(const Queue& q) {
  if (persistence == nullptr) return;
  QueueRecord r;
  r.name = q.name;
  r.created_timestamp_s = q.created_s;
  r.last_modified_timestamp_s = q.modified_s;
  r.attributes = settable_attribute_values(q.cfg);
  r.tags = q.tags;
  r.deduplication_by_message_group = q.dedup_by_group;
  persistence->put_queue(r);
}

MessageRecord SqsService::Impl::to_record(const Queue& q, const Message& m) const {
  MessageRecord r;
  r.queue = q.name;
  r.message_id = m.message_id;
  r.sequence = m.seq;
  r.body = m.body;
  const MessageExtras& x = m.extra();
  r.message_attributes = x.attributes;
  r.message_system_attributes = x.system_attributes;
  r.sent_timestamp_ms = m.sent_ms;
  r.enqueued_at_us = m.enqueued_at_us;
  r.first_receive_timestamp_ms = m.first_receive_ms;
  r.receive_count = m.receive_count;
  r.visible_at_us = m.visible_at_us;
  r.received_at_us = m.received_at_us;
  r.receipt_handle = receipt_of(q, m);
  r.message_group_id = x.group_id;
  r.message_deduplication_id = x.dedup_id;
  r.sequence_number = x.sequence_number;
  r.dead_letter_queue_source_arn = x.dlq_source_arn;
  return r;
}

void SqsService::Impl::persist_message(const Queue& q, const Message& m) {
  if (persistence != nullptr) persistence->put_message(to_record(q, m));
}

std::string SqsService::Impl::receipt_of(const Queue& q, const Message& m) const {
  if (m.receipt_nonce == 0) return {};
  return encode_receipt({q.name, m.message_id, m.seq, m.receive_count, m.receipt_nonce});
}

void SqsService::Impl::persist_message_state(const Message& m, const std::string& receipt_handle) {
  if (persistence == nullptr) return;
  MessageStateRecord r;
  r.sequence = m.seq;
  r.receive_count = m.receive_count;
  r.first_receive_timestamp_ms = m.first_receive_ms;
  r.visible_at_us = m.visible_at_us;
  r.received_at_us = m.received_at_us;
  r.receipt_handle = receipt_handle;
  persistence->put_message_state(std::move(r));
}

// 20 decimal digits, strictly increasing with the service-wide sequence.
std::string SqsService::Impl::sequence_number(uint64_t seq) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "1%019llu", static_cast<unsigned long long>(seq));
  return buf;
}

// ---- public API: forwards ----

SqsService::SqsService(SqsConfig config, const core::Clock& clock, core::TimerQueue& timers,
                       core::IdGen ids, Persistence* persistence)
    : impl_(std::make_unique<Impl>(std::move(config), clock, timers, ids, persistence)) {}

SqsService::~SqsService() = default;

void SqsService::restore(const SqsSnapshot& snapshot) { impl_->restore(snapshot); }

SqsResult<CreateQueueResponse> SqsService::create_queue(const RequestContext& ctx,
                                                        const CreateQueueRequest& req) {
  return impl_->create_queue(ctx, req);
}

SqsResult<GetQueueUrlResponse> SqsService::get_queue_url(const RequestContext& ctx,
                                                         const GetQueueUrlRequest& req) {
  auto q = impl_->find_queue(QueueRef{req.queue_owner_account_id.value_or(""), req.queue_name});
  if (!q) return q.error();
  return GetQueueUrlResponse{impl_->queue_url(ctx, q.value()->name)};
}

SqsResult<EmptyResponse> SqsService::delete_queue(const RequestContext&, const DeleteQueueRequest& req) {
  return impl_->delete_queue(req);
}

SqsResult<EmptyResponse> SqsService::set_queue_attributes(const RequestContext&,
                                                          const SetQueueAttributesRequest& req) {
  return impl_->set_queue_attributes(req);
}

SqsResult<GetQueueAttributesResponse> SqsService::get_queue_attributes(
    const RequestContext&, const GetQueueAttributesRequest& req) {
  auto q = impl_->find_queue(req.queue);
  if (!q) return q.error();
  q.value()->refresh(impl_->now());
  auto attrs = render_queue_attributes(*q.value(), req.attribute_names);
  if (!attrs) return attrs.error();
  return GetQueueAttributesResponse{std::move(attrs).value()};
}

SqsResult<EmptyResponse> SqsService::add_permission(const RequestContext&, const AddPermissionRequest& req) {
  return impl_->add_permission(req);
}

SqsResult<EmptyResponse> SqsService::remove_permission(const RequestContext&,
                                                       const RemovePermissionRequest& req) {
  return impl_->remove_permission(req);
}

SqsResult<SendMessageResult> SqsService::send_message(const RequestContext& ctx,
                                                      const SendMessageRequest& req) {
  auto q = impl_->find_queue(req.queue);
  if (!q) return q.error();
  auto result = impl_->send(*q.value(), ctx, req.entry, false);
  impl_->flush();
  return result;
}

SqsResult<SendMessageBatchResponse> SqsService::send_message_batch(const RequestContext& ctx,
                                                                   const SendMessageBatchRequest& req) {
  auto result = impl_->send_batch(ctx, req);
  impl_->flush();
  return result;
}

void SqsService::receive_message(const RequestContext& ctx, const ReceiveMessageRequest& req,
                                 ReceiveReply reply) {
  impl_->receive(ctx, req, std::move(reply));
  impl_->flush();
}

SqsResult<StartMessageMoveTaskResponse> SqsService::start_message_move_task(
    const RequestContext&, const StartMessageMoveTaskRequest& req) {
  return impl_->start_move_task(req);
}

SqsResult<CancelMessageMoveTaskResponse> SqsService::cancel_message_move_task(
    const RequestContext&, const CancelMessageMoveTaskRequest& req) {
  return impl_->cancel_move_task(req);
}

SqsResult<ListMessageMoveTasksResponse> SqsService::list_message_move_tasks(
    const RequestContext&, const ListMessageMoveTasksRequest& req) {
  return impl_->list_move_tasks(req);
}

void SqsService::release_waiters() { impl_->release_waiters(); }
size_t SqsService::queue_count() const { return impl_->queues.size(); }
size_t SqsService::waiter_count() const { return impl_->waiters.size(); }

}  // namespace slipway::sqs
