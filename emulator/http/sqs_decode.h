// The SQS request decoders, written once for both wire protocols (sqs_json.cpp, sqs_query.cpp).
//
// Contract: each decoder template turns one request, seen through a protocol's Reader R, into its
// api.h struct, reading members in a fixed order so that the first problem found is the answer
// (run() returns that problem instead of the struct). The protocols differ only in
//   - the Reader: how a member is found, how numbers, lists, maps, message attributes and batch
//     entries are spelled on the wire, and which error a malformed value gives;
//   - the naming policy N: the wire name of each member whose name differs between protocols.
// QueueRef members are left empty: the gate (sqs_routes.cpp) resolves the queue.
//
// Reader R, over an input I (a JSON object, FormParams), with a sink for the first problem:
//   R(const I&, std::optional<sqs::SqsError>& sink)
//   opt(key) -> std::optional<std::string>       req(key, empty_is_missing = false) -> std::string
//   opt_int(key) -> std::optional<int>           req_int(key) -> int
//   list(N::kList) -> std::vector<std::string>   map(N::kMap) -> std::map<std::string, std::string>
//   attributes(N::kAttrs) -> sqs::MessageAttributes
//   each_entry(N::kEntries, fn)                  calls fn(const R&) per batch entry, stopping at
//                                                the first problem
// Naming policy N (static constexpr members): kAttributes, kCreateQueueTags, kTags (map specs);
// kAttributeNames, kMessageSystemAttributeNames, kMessageAttributeNames, kTagKeys,
// kAwsAccountIds, kActions (list names, const char*); kMessageAttributes,
// kMessageSystemAttributes; kSendBatchEntries, kDeleteBatchEntries,
// kChangeVisibilityBatchEntries; kDedupSystemAttributeNames (ReceiveMessage: drop repeated names
// across the two attribute-name lists).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sqs/api.h"

namespace slipway::http::sqs_decode {

// Room reserved for a batch's entries: AWS's limit, so a valid batch never regrows its vector.
inline constexpr size_t kUsualBatchEntries = 10;

// Runs `decode` over a fresh Reader on `input`: the request, or the first problem recorded.
template <typename R, typename Request, typename Input>
sqs::SqsResult<Request> run(const Input& input, Request (*decode)(const R&)) {
  std::optional<sqs::SqsError> sink;
  Request req = decode(R(input, sink));
  if (sink) return std::move(*sink);
  return req;
}

// SendMessage's members, or one SendMessageBatch entry's (with its Id). A single send with an
// empty body is MissingParameter on AWS; a batch entry's is the core's to judge.
template <typename R, typename N>
sqs::SendMessageEntry send_entry(const R& r, bool batch) {
  sqs::SendMessageEntry e;
  if (batch) e.id = r.req("Id");
  e.message_body = r.req("MessageBody", /*empty_is_missing=*/!batch);
  e.delay_seconds = r.opt_int("DelaySeconds");
  e.message_attributes = r.attributes(N::kMessageAttributes);
  e.message_system_attributes = r.attributes(N::kMessageSystemAttributes);
  e.message_deduplication_id = r.opt("MessageDeduplicationId");
  e.message_group_id = r.opt("MessageGroupId");
  return e;
}

// ReceiveMessage's AttributeNames then MessageSystemAttributeNames, in order (deduplicated when
// the policy says so).
template <typename R, typename N>
std::vector<std::string> system_attribute_names(const R& r) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const char* key : {N::kAttributeNames, N::kMessageSystemAttributeNames}) {
    for (std::string& name : r.list(key)) {
      if (!N::kDedupSystemAttributeNames || seen.insert(name).second) out.push_back(std::move(name));
    }
  }
  return out;
}

// ---- One decoder per action ----

template <typename R, typename N>
sqs::CreateQueueRequest create_queue(const R& r) {
  sqs::CreateQueueRequest req;
  req.queue_name = r.req("QueueName");
  req.attributes = r.map(N::kAttributes);
  req.tags = r.map(N::kCreateQueueTags);
  return req;
}

template <typename R, typename N>
sqs::GetQueueUrlRequest get_queue_url(const R& r) {
  sqs::GetQueueUrlRequest req;
  req.queue_name = r.req("QueueName");
  req.queue_owner_account_id = r.opt("QueueOwnerAWSAccountId");
  return req;
}

template <typename R, typename N>
sqs::ListQueuesRequest list_queues(const R& r) {
  sqs::ListQueuesRequest req;
  req.queue_name_prefix = r.opt("QueueNamePrefix");
  req.max_results = r.opt_int("MaxResults");
  req.next_token = r.opt("NextToken");
  return req;
}

template <typename R, typename N>
sqs::DeleteQueueRequest delete_queue(const R&) {
  return {};
}

template <typename R, typename N>
sqs::PurgeQueueRequest purge_queue(const R&) {
  return {};
}

template <typename R, typename N>
sqs::GetQueueAttributesRequest get_queue_attributes(const R& r) {
  sqs::GetQueueAttributesRequest req;
  req.attribute_names = r.list(N::kAttributeNames);
  return req;
}

template <typename R, typename N>
sqs::SetQueueAttributesRequest set_queue_attributes(const R& r) {
  sqs::SetQueueAttributesRequest req;
  req.attributes = r.map(N::kAttributes);
  return req;
}

template <typename R, typename N>
sqs::TagQueueRequest tag_queue(const R& r) {
  sqs::TagQueueRequest req;
  req.tags = r.map(N::kTags);
  return req;
}

template <typename R, typename N>
sqs::UntagQueueRequest untag_queue(const R& r) {
  sqs::UntagQueueRequest req;
  req.tag_keys = r.list(N::kTagKeys);
  return req;
}

template <typename R, typename N>
sqs::ListQueueTagsRequest list_queue_tags(const R&) {
  return {};
}

template <typename R, typename N>
sqs::ListDeadLetterSourceQueuesRequest list_dead_letter_source_queues(const R& r) {
  sqs::ListDeadLetterSourceQueuesRequest req;
  req.max_results = r.opt_int("MaxResults");
  req.next_token = r.opt("NextToken");
  return req;
}

template <typename R, typename N>
sqs::AddPermissionRequest add_permission(const R& r) {
  sqs::AddPermissionRequest req;
  req.label = r.req("Label");
  req.aws_account_ids = r.list(N::kAwsAccountIds);
  req.actions = r.list(N::kActions);
  return req;
}

template <typename R, typename N>
sqs::RemovePermissionRequest remove_permission(const R& r) {
  sqs::RemovePermissionRequest req;
  req.label = r.req("Label");
  return req;
}

template <typename R, typename N>
sqs::SendMessageRequest send_message(const R& r) {
  sqs::SendMessageRequest req;
  req.entry = send_entry<R, N>(r, /*batch=*/false);
  return req;
}

template <typename R, typename N>
sqs::SendMessageBatchRequest send_message_batch(const R& r) {
  sqs::SendMessageBatchRequest req;
  req.entries.reserve(kUsualBatchEntries);
  r.each_entry(N::kSendBatchEntries,
               [&](const R& e) { req.entries.push_back(send_entry<R, N>(e, /*batch=*/true)); });
  return req;
}

template <typename R, typename N>
sqs::ReceiveMessageRequest receive_message(const R& r) {
  sqs::ReceiveMessageRequest req;
  req.max_number_of_messages = r.opt_int("MaxNumberOfMessages");
  req.visibility_timeout = r.opt_int("VisibilityTimeout");
  req.wait_time_seconds = r.opt_int("WaitTimeSeconds");
  req.message_system_attribute_names = system_attribute_names<R, N>(r);
  req.message_attribute_names = r.list(N::kMessageAttributeNames);
  req.receive_request_attempt_id = r.opt("ReceiveRequestAttemptId");
  return req;
}

template <typename R, typename N>
sqs::DeleteMessageRequest delete_message(const R& r) {
  sqs::DeleteMessageRequest req;
  req.receipt_handle = r.req("ReceiptHandle");
  return req;
}

template <typename R, typename N>
sqs::DeleteMessageBatchRequest delete_message_batch(const R& r) {
  sqs::DeleteMessageBatchRequest req;
  req.entries.reserve(kUsualBatchEntries);
  r.each_entry(N::kDeleteBatchEntries, [&](const R& e) {
    sqs::DeleteMessageBatchEntry entry;
    entry.id = e.req("Id");
    entry.receipt_handle = e.req("ReceiptHandle");
    req.entries.push_back(std::move(entry));
  });
  return req;
}

template <typename R, typename N>
sqs::ChangeMessageVisibilityRequest change_message_visibility(const R& r) {
  sqs::ChangeMessageVisibilityRequest req;
  req.receipt_handle = r.req("ReceiptHandle");
  req.visibility_timeout = r.req_int("VisibilityTimeout");
  return req;
}

template <typename R, typename N>
sqs::ChangeMessageVisibilityBatchRequest change_message_visibility_batch(const R& r) {
  sqs::ChangeMessageVisibilityBatchRequest req;
  req.entries.reserve(kUsualBatchEntries);
  r.each_entry(N::kChangeVisibilityBatchEntries, [&](const R& e) {
    sqs::ChangeMessageVisibilityBatchEntry entry;
    entry.id = e.req("Id");
    entry.receipt_handle = e.req("ReceiptHandle");
    entry.visibility_timeout = e.opt_int("VisibilityTimeout").value_or(0);
    req.entries.push_back(std::move(entry));
  });
  return req;
}

template <typename R, typename N>
sqs::StartMessageMoveTaskRequest start_message_move_task(const R& r) {
  sqs::StartMessageMoveTaskRequest req;
  req.source_arn = r.req("SourceArn");
  req.destination_arn = r.opt("DestinationArn");
  req.max_number_of_messages_per_second = r.opt_int("MaxNumberOfMessagesPerSecond");
  return req;
}

template <typename R, typename N>
sqs::CancelMessageMoveTaskRequest cancel_message_move_task(const R& r) {
  sqs::CancelMessageMoveTaskRequest req;
  req.task_handle = r.req("TaskHandle");
  return req;
}

template <typename R, typename N>
sqs::ListMessageMoveTasksRequest list_message_move_tasks(const R& r) {
  sqs::ListMessageMoveTasksRequest req;
  req.source_arn = r.req("SourceArn");
  req.max_results = r.opt_int("MaxResults");
  return req;
}

// The actions, as X(Request type, decoder name): each codec defines its public
// decode_<name> functions (declared in sqs_json.h / sqs_query.h) by expanding this list.
#define SLIPWAY_SQS_DECODERS(X)                                        \
  X(CreateQueueRequest, create_queue)                                  \
  X(GetQueueUrlRequest, get_queue_url)                                 \
  X(ListQueuesRequest, list_queues)                                    \
  X(DeleteQueueRequest, delete_queue)                                  \
  X(PurgeQueueRequest, purge_queue)                                    \
  X(GetQueueAttributesRequest, get_queue_attributes)                   \
  X(SetQueueAttributesRequest, set_queue_attributes)                   \
  X(TagQueueRequest, tag_queue)                                        \
  X(UntagQueueRequest, untag_queue)                                    \
  X(ListQueueTagsRequest, list_queue_tags)                             \
  X(ListDeadLetterSourceQueuesRequest, list_dead_letter_source_queues) \
  X(AddPermissionRequest, add_permission)                              \
  X(RemovePermissionRequest, remove_permission)                        \
  X(SendMessageRequest, send_message)                                  \
  X(SendMessageBatchRequest, send_message_batch)                       \
  X(ReceiveMessageRequest, receive_message)                            \
  X(DeleteMessageRequest, delete_message)                              \
  X(DeleteMessageBatchRequest, delete_message_batch)                   \
  X(ChangeMessageVisibilityRequest, change_message_visibility)         \
  X(ChangeMessageVisibilityBatchRequest, change_message_visibility_batch) \
  X(StartMessageMoveTaskRequest, start_message_move_task)              \
  X(CancelMessageMoveTaskRequest, cancel_message_move_task)            \
  X(ListMessageMoveTasksRequest, list_message_move_tasks)

}  // namespace slipway::http::sqs_decode
