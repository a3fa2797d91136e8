// SqsService::Impl: the service's state and its internal operations, split over several .cpp
// files by concern (service.cpp queues, send.cpp, receive.cpp, message_ops.cpp delete and
// visibility, waiters.cpp long polls and timers, move_tasks.cpp, permissions.cpp, restore.cpp).
// Private to emulator/sqs.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqs/attributes.h"
#include "sqs/queue.h"
#include "sqs/receipt.h"
#include "sqs/service.h"

namespace slipway::sqs {

// What one ReceiveMessage asked for, kept while it waits.
struct ReceiveParams {
  int max_messages = 1;
  std::optional<int> visibility_timeout_s;
  std::vector<std::string> system_attribute_names;
  std::vector<std::string> message_attribute_names;
  std::optional<std::string> attempt_id;
};

struct Waiter {
  std::string queue;
  ReceiveParams params;
  SqsService::ReceiveReply reply;
  core::TimerId deadline_timer = 0;
};

struct MoveTask {
  std::string task_id;
  std::string handle;
  std::string source_arn;
  std::optional<std::string> destination_arn;
  std::optional<int> rate_given;
  int rate = 0;
  std::string status = "RUNNING";
  int64_t moved = 0;
  int64_t to_move = 0;
  std::string failure_reason;
  int64_t started_ms = 0;
  core::TimerId timer = 0;
};

// Default MaxNumberOfMessagesPerSecond of a move task (AWS chooses its own; spec leaves it open).
inline constexpr int kMoveTaskDefaultRate = 500;
inline constexpr int kMoveTaskMaxRate = 500;
inline constexpr int64_t kPurgeCooldownS = 60;
inline constexpr int64_t kRecreateCooldownS = 60;
inline constexpr int64_t kAttemptWindowS = 300;

struct SqsService::Impl {
  Impl(SqsConfig cfg, const core::Clock& clk, core::TimerQueue& tq, core::IdGen id_gen,
       Persistence* store);
  ~Impl();

  SqsConfig config;
  const core::Clock& clock;
  core::TimerQueue& timers;
  core::IdGen ids;
  Persistence* persistence;

  std::map<std::string, std::unique_ptr<Queue>> queues;
  std::map<std::string, core::TimeUs> deleted_at;
  uint64_t next_seq = 1;
  std::map<uint64_t, Waiter> waiters;
  uint64_t next_waiter_id = 1;
  std::vector<std::string> pending_wakes;
  bool flushing = false;
  std::vector<MoveTask> tasks;  // in start order

  // ---- service.cpp: names, lookups, persistence helpers ----
  core::TimeUs now() const { return clock.now_us(); }
  std::string queue_arn(const std::string& name) const;
  std::string queue_url(const RequestContext& ctx, const std::string& name) const;
  SqsResult<Queue*> find_queue(const QueueRef& ref);
  Queue* queue_by_arn(const std::string& arn);
  DlqLookup dlq_lookup();
  void persist_queue(const Queue& q);
  MessageRecord to_record(const Queue& q, const Message& m) const;
  void persist_message(const Queue& q, const Message& m);
  // The handle naming the message's current receive (empty when it has none).
  std::string receipt_of(const Queue& q, const Message& m) const;
  // After a receive or a visibility change: only the delivery state (see MessageStateRecord).
  void persist_message_state(const Message& m, const std::string& receipt_handle);
  std::string sequence_number(uint64_t seq) const;
  SqsResult<CreateQueueResponse> create_queue(const RequestContext& ctx, const CreateQueueRequest& req);
  std::optional<SqsError> create_conflict(const Queue& q, const std::map<std::string, std::string>& attrs);
  SqsResult<EmptyResponse> delete_queue(const DeleteQueueRequest& req);
  SqsResult<EmptyResponse> set_queue_attributes(const SetQueueAttributesRequest& req);
  void retro_delay_fifo(Queue& q, int old_delay_s);

  // ---- send.cpp ----
  SqsResult<SendMessageResult> send(Queue& q, const RequestContext& ctx, const SendMessageEntry& e,
                                    bool in_batch);
  std::optional<SqsError> check_send(const Queue& q, const SendMessageEntry& e, bool in_batch) const;
  std::optional<SqsError> check_fifo_ids(const Queue& q, const SendMessageEntry& e, bool in_batch) const;
  SqsResult<SendMessageBatchResponse> send_batch(const RequestContext& ctx,
                                                 const SendMessageBatchRequest& req);
  void prune_dedup(Queue& q, core::TimeUs now);

  // ---- receive.cpp ----
  SqsResult<ReceiveParams> check_receive(const Queue& q, const ReceiveMessageRequest& req) const;
  // Delivers up to params.max_messages now (possibly none); moves redriven messages to the DLQ.
  ReceiveMessageResponse collect(Queue& q, const ReceiveParams& params);
  std::vector<uint64_t> pick_standard(Queue& q, int max, std::vector<uint64_t>& redrive);
  std::vector<uint64_t> pick_fifo(Queue& q, int max, std::vector<uint64_t>& redrive);
  bool should_redrive(const Queue& q, const Message& m);
  void move_to_dlq(Queue& source, uint64_t seq);
  ReceivedMessage deliver(Queue& q, Message& m, const ReceiveParams& params, core::TimeUs now);
  ReceivedMessage render(const Queue& q, const Message& m, const ReceiveParams& params,
                         std::string receipt_handle) const;
  std::optional<ReceiveMessageResponse> replay_attempt(Queue& q, const ReceiveParams& params);
  // Moves a message between queues as a new enqueue there (redrive and move tasks).
  void transfer(Queue& from, uint64_t seq, Queue& to, bool to_dlq);

  // ---- message_ops.cpp: delete, visibility ----
  std::optional<SqsError> delete_one(Queue& q, const std::string& handle);
  std::optional<SqsError> change_visibility_one(Queue& q, const std::string& handle, int timeout_s);

  // ---- waiters.cpp: long polls and timers ----
  void receive(const RequestContext& ctx, const ReceiveMessageRequest& req, ReceiveReply reply);
  void park(Queue& q, ReceiveParams params, int wait_s, ReceiveReply reply);
  void on_deadline(uint64_t waiter_id);
  void notify(const std::string& queue);
  void flush();
  void serve_waiters(const std::string& queue);
  void arm_visibility_timer(Queue& q);
  void ensure_retention_timer(Queue& q);
  void sweep_retention(const std::string& queue);
  void drop_queue_runtime(Queue& q);
  void release_waiters();

  // ---- move_tasks.cpp ----
  SqsResult<StartMessageMoveTaskResponse> start_move_task(const StartMessageMoveTaskRequest& req);
  SqsResult<CancelMessageMoveTaskResponse> cancel_move_task(const CancelMessageMoveTaskRequest& req);
  SqsResult<ListMessageMoveTasksResponse> list_move_tasks(const ListMessageMoveTasksRequest& req);
  void move_task_tick(const std::string& task_id);
  MoveTask* task_by_id(const std::string& task_id);
  void persist_task(const MoveTask& t);
  // Rebuilds a task from storage; a running one resumes with its next tick in the next pass.
  void restore_task(const MoveTaskRecord& r);

  // ---- permissions.cpp ----
  SqsResult<EmptyResponse> add_permission(const AddPermissionRequest& req);
  SqsResult<EmptyResponse> remove_permission(const RemovePermissionRequest& req);

  // ---- restore.cpp ----
  void restore(const SqsSnapshot& snapshot);
};

}  // namespace slipway::sqs
