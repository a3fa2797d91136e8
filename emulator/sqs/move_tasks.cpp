// Message move tasks (DLQ redrive back to sources), spec §2.7. A running task moves up to its
// rate of messages per tick, one tick per second on the TimerQueue (the first in the next pass).
// Every change of a task is written through (put_move_task); restore() resumes running ones.
#include "core/digest.h"
#include "sqs/json_lite.h"
#include "sqs/message_checks.h"
#include "sqs/service_impl.h"

namespace slipway::sqs {

namespace {

SqsError not_found(const std::string& parameter) {
  return sqs_error(SqsErrorCode::kResourceNotFound,
                   "The resource that you specified for the " + parameter + " parameter doesn't exist.");
}

constexpr const char* kNonExistentQueue = "AWS.SimpleQueueService.NonExistentQueue";

}  // namespace

static MoveTaskRecord task_record(const MoveTask& t) {
  return MoveTaskRecord{t.task_id, t.handle,  t.source_arn,     t.destination_arn,
                        t.rate_given, t.rate, t.status,         t.moved,
                        t.to_move,  t.failure_reason, t.started_ms};
}

void SqsService::Impl::persist_task(const MoveTask& t) {
  if (persistence != nullptr) persistence->put_move_task(task_record(t));
}

void SqsService::Impl::restore_task(const MoveTaskRecord& r) {
  MoveTask t{r.task_id, r.task_handle, r.source_arn, r.destination_arn,
             r.max_number_of_messages_per_second, r.rate, r.status, r.moved, r.to_move,
             r.failure_reason, r.started_timestamp_ms, 0};
  if (t.status == "RUNNING") {
    t.timer = timers.arm(now(), [this, id = t.task_id](core::TimeUs) { move_task_tick(id); });
  }
  tasks.push_back(std::move(t));
}

MoveTask* SqsService::Impl::task_by_id(const std::string& task_id) {
  for (auto& t : tasks) {
    if (t.task_id == task_id) return &t;
  }
  return nullptr;
}

SqsResult<StartMessageMoveTaskResponse> SqsService::Impl::start_move_task(
    const StartMessageMoveTaskRequest& req) {
  Queue* src = queue_by_arn(req.source_arn);
  if (src == nullptr) return not_found("SourceArn");
  if (req.destination_arn && queue_by_arn(*req.destination_arn) == nullptr) {
    return not_found("DestinationArn");
  }
  bool is_dlq = false;
  for (const auto& [name, q] : queues) is_dlq = is_dlq || q->cfg.dlq_target_arn == req.source_arn;
  if (!is_dlq) return invalid_parameter_plain("Source queue must be configured as a Dead Letter Queue.");
  if (req.max_number_of_messages_per_second) {
    const int r = *req.max_number_of_messages_per_second;
    if (r < 1 || r > kMoveTaskMaxRate) {
      return invalid_parameter("MaxNumberOfMessagesPerSecond", std::to_string(r),
                               "Must be between 1 and " + std::to_string(kMoveTaskMaxRate) + ".");
    }
  }
  for (const auto& t : tasks) {
    if (t.source_arn == req.source_arn && t.status == "RUNNING") {
      return invalid_parameter_plain(
          "There is already a task running. Only one active task is allowed for a source queue "
          "arn at a given time.");
    }
  }
  MoveTask task;
  task.task_id = ids.uuid();
  json::Value handle = json::Value::object();
  handle.set("taskId", json::Value::string(task.task_id));
  handle.set("sourceArn", json::Value::string(req.source_arn));
  task.handle = core::base64_encode(json::dump(handle));
  task.source_arn = req.source_arn;
  task.destination_arn = req.destination_arn;
  task.rate_given = req.max_number_of_messages_per_second;
  task.rate = req.max_number_of_messages_per_second.value_or(kMoveTaskDefaultRate);
  task.to_move = static_cast<int64_t>(src->messages.size());
  task.started_ms = now() / core::kUsPerMs;
  task.timer = timers.arm(now(), [this, id = task.task_id](core::TimeUs) { move_task_tick(id); });
  tasks.push_back(task);
  persist_task(task);
  return StartMessageMoveTaskResponse{task.handle};
}

void SqsService::Impl::move_task_tick(const std::string& task_id) {
  MoveTask* t = task_by_id(task_id);
  if (t == nullptr || t->status != "RUNNING") return;
  t->timer = 0;
  Queue* src = queue_by_arn(t->source_arn);
  if (src == nullptr) {
    t->status = "FAILED";
    t->failure_reason = kNonExistentQueue;
    persist_task(*t);
    return;
  }
  const core::TimeUs now_us = now();
  src->refresh(now_us);
  for (int budget = t->rate; budget > 0 && t->moved < t->to_move && !src->ready.empty(); --budget) {
    const uint64_t seq = src->ready.begin()->second;
    const Message& m = src->messages.at(seq);
    Queue* dest = queue_by_arn(t->destination_arn.value_or(m.extra().dlq_source_arn));
    if (dest == nullptr || dest == src) {
      t->status = "FAILED";
      t->failure_reason = kNonExistentQueue;
      break;
    }
    transfer(*src, seq, *dest, false);
    ++t->moved;
  }
  if (t->status == "RUNNING") {
    if (t->moved >= t->to_move || src->ready.empty()) {
      t->status = "COMPLETED";
    } else {
      t->timer = timers.arm(now_us + core::kUsPerSecond,
                            [this, id = t->task_id](core::TimeUs) { move_task_tick(id); });
    }
  }
  persist_task(*t);
  flush();
}

SqsResult<CancelMessageMoveTaskResponse> SqsService::Impl::cancel_move_task(
    const CancelMessageMoveTaskRequest& req) {
  const auto decoded = core::base64_decode(req.task_handle);
  const auto doc = decoded ? json::parse(*decoded) : std::nullopt;
  const json::Value* id = doc ? doc->find("taskId") : nullptr;
  const json::Value* source = doc ? doc->find("sourceArn") : nullptr;
  if (id == nullptr || source == nullptr || !id->is_string() || !source->is_string()) {
    return invalid_parameter_plain("Value for parameter TaskHandle is invalid.");
  }
  MoveTask* t = task_by_id(id->text);
  if (t == nullptr || t->source_arn != source->text || t->status != "RUNNING") {
    return sqs_error(SqsErrorCode::kResourceNotFound, "Task does not exist.");
  }
  t->status = "CANCELLED";
  if (t->timer != 0) timers.cancel(t->timer);
  t->timer = 0;
  persist_task(*t);
  return CancelMessageMoveTaskResponse{t->moved};
}

SqsResult<ListMessageMoveTasksResponse> SqsService::Impl::list_move_tasks(
    const ListMessageMoveTasksRequest& req) {
  if (queue_by_arn(req.source_arn) == nullptr) return not_found("SourceArn");
  const int max = req.max_results.value_or(1);
  if (max < 1 || max > 10) {
    return invalid_parameter("MaxResults", std::to_string(max),
                             "You must enter a number that's between 1 and 10.");
  }
  ListMessageMoveTasksResponse resp;
  for (auto it = tasks.rbegin(); it != tasks.rend() && static_cast<int>(resp.results.size()) < max; ++it) {
    if (it->source_arn != req.source_arn) continue;
    MessageMoveTask r;
    if (it->status == "RUNNING") r.task_handle = it->handle;
    r.status = it->status;
    r.source_arn = it->source_arn;
    r.destination_arn = it->destination_arn;
    r.max_number_of_messages_per_second = it->rate_given;
    r.approximate_number_of_messages_moved = it->moved;
    r.approximate_number_of_messages_to_move = it->to_move;
    if (!it->failure_reason.empty()) r.failure_reason = it->failure_reason;
    r.started_timestamp_ms = it->started_ms;
    resp.results.push_back(std::move(r));
  }
  return resp;
}

}  // namespace slipway::sqs
