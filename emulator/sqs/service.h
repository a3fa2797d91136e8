// SqsService: SQS's semantics, pure (DESIGN rule 3). It owns every queue, message, in-flight
// receipt, deduplication entry, long-poll waiter and move task, and runs only on the loop thread.
//
// Inputs: typed requests (sqs/api.h) plus the RequestContext; time from the injected Clock;
// ids and receipt handles from the injected IdGen (a seeded run mints the same ones).
// Effects: every state change is mirrored to Persistence at once (write-through, inside the
// loop's transaction); deadlines are timers on the injected TimerQueue (visibility expiry, message
// delays, long-poll deadlines, retention, move-task pacing) — nothing polls and nothing sleeps.
//
// Long polling (DESIGN rule 5): receive_message() answers at once when it can; otherwise it
// parks a waiter with a deadline. A send, a visibility expiry, a delay ending or a
// ChangeMessageVisibility wakes waiters of that queue at once; the deadline timer answers an
// empty list. Each waiter's reply runs exactly once, on the loop thread.
//
// Semantics follow AWS (../shared/spec/sqs.md): standard queues (at-least-once, best-effort
// order), FIFO (per-group order, group blocked while a message is in flight, 5-minute
// deduplication, sequence numbers, ReceiveRequestAttemptId), visibility (12 h cap), delays,
// retention, redrive to a DLQ on the receive after maxReceiveCount, RedriveAllowPolicy, move
// tasks back from a DLQ at a rate, and AWS's error codes and messages for every invalid request.
// A request that fails changes nothing.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "core/limits.h"
#include "core/timer_queue.h"
#include "sqs/api.h"
#include "sqs/errors.h"
#include "sqs/persistence.h"

namespace slipway::sqs {

struct SqsConfig {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  core::SqsLimits limits;
};

class SqsService {
 public:
  using ReceiveReply = std::function<void(SqsResult<ReceiveMessageResponse>)>;

  // `clock`, `timers` and `persistence` must outlive the service. `persistence` may be null
  // (nothing is stored: unit tests that do not care).
  SqsService(SqsConfig config, const core::Clock& clock, core::TimerQueue& timers, core::IdGen ids,
             Persistence* persistence);
  ~SqsService();
  SqsService(const SqsService&) = delete;
  SqsService& operator=(const SqsService&) = delete;

  // Rebuilds state from storage at start. In-flight messages stay invisible until their recorded
  // deadline; expired deduplication entries are dropped. REQUIRES: no queue exists yet.
  void restore(const SqsSnapshot& snapshot);

  SqsResult<CreateQueueResponse> create_queue(const RequestContext& ctx, const CreateQueueRequest& req);
  SqsResult<GetQueueUrlResponse> get_queue_url(const RequestContext& ctx, const GetQueueUrlRequest& req);
  SqsResult<ListQueuesResponse> list_queues(const RequestContext& ctx, const ListQueuesRequest& req);
  SqsResult<EmptyResponse> delete_queue(const RequestContext& ctx, const DeleteQueueRequest& req);
  SqsResult<EmptyResponse> purge_queue(const RequestContext& ctx, const PurgeQueueRequest& req);
  SqsResult<GetQueueAttributesResponse> get_queue_attributes(const RequestContext& ctx,
                                                             const GetQueueAttributesRequest& req);
  SqsResult<EmptyResponse> set_queue_attributes(const RequestContext& ctx,
                                                const SetQueueAttributesRequest& req);
  SqsResult<EmptyResponse> tag_queue(const RequestContext& ctx, const TagQueueRequest& req);
  SqsResult<EmptyResponse> untag_queue(const RequestContext& ctx, const UntagQueueRequest& req);
  SqsResult<ListQueueTagsResponse> list_queue_tags(const RequestContext& ctx,
                                                   const ListQueueTagsRequest& req);
  SqsResult<ListDeadLetterSourceQueuesResponse> list_dead_letter_source_queues(
      const RequestContext& ctx, const ListDeadLetterSourceQueuesRequest& req);
  SqsResult<EmptyResponse> add_permission(const RequestContext& ctx, const AddPermissionRequest& req);
  SqsResult<EmptyResponse> remove_permission(const RequestContext& ctx,
                                             const RemovePermissionRequest& req);

  SqsResult<SendMessageResult> send_message(const RequestContext& ctx, const SendMessageRequest& req);
  SqsResult<SendMessageBatchResponse> send_message_batch(const RequestContext& ctx,
                                                         const SendMessageBatchRequest& req);
  // Answers through `reply`, now or when woken or timed out (see above).
  void receive_message(const RequestContext& ctx, const ReceiveMessageRequest& req, ReceiveReply reply);
  SqsResult<EmptyResponse> delete_message(const RequestContext& ctx, const DeleteMessageRequest& req);
  SqsResult<BatchIdsResponse> delete_message_batch(const RequestContext& ctx,
                                                   const DeleteMessageBatchRequest& req);
  SqsResult<EmptyResponse> change_message_visibility(const RequestContext& ctx,
                                                     const ChangeMessageVisibilityRequest& req);
  SqsResult<BatchIdsResponse> change_message_visibility_batch(
      const RequestContext& ctx, const ChangeMessageVisibilityBatchRequest& req);

  SqsResult<StartMessageMoveTaskResponse> start_message_move_task(
      const RequestContext& ctx, const StartMessageMoveTaskRequest& req);
  SqsResult<CancelMessageMoveTaskResponse> cancel_message_move_task(
      const RequestContext& ctx, const CancelMessageMoveTaskRequest& req);
  SqsResult<ListMessageMoveTasksResponse> list_message_move_tasks(
      const RequestContext& ctx, const ListMessageMoveTasksRequest& req);

  // Answers every parked long poll with an empty list (daemon shutdown).
  void release_waiters();
  // Counts for /_slipway/state and tests.
  size_t queue_count() const;
  size_t waiter_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slipway::sqs
