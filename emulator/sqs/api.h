// The SQS API as typed requests and responses: one struct pair per action, named after AWS's
// members. Codecs (http/sqs_query.cpp, http/sqs_json.cpp) decode into these and encode from
// them; the service (sqs/service.h) works only with these. Nothing here knows a wire format.
//
// Conventions:
// - A parameter the caller may omit is std::optional (or an empty container when "absent" and
//   "empty" mean the same to AWS). Codecs report a missing REQUIRED parameter themselves, as
//   MissingParameter, before the service is called.
// - Numbers arrive as text on both protocols for some members; codecs convert. An integer
//   parameter that does not parse is an InvalidParameterValue from the codec.
// - Binary values (BinaryValue) are raw bytes here; codecs do the base64.
// - Queue attribute values are strings, as on the wire ("30", "true", JSON for RedrivePolicy).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sqs/errors.h"

namespace slipway::sqs {

// A message attribute or system attribute value.
struct AttributeValue {
  std::string data_type;     // "String", "Number", "Binary", or one of those + ".custom"
  std::string string_value;  // for String and Number types
  std::string binary_value;  // raw bytes, for Binary types
};
// Sorted by name in byte order, which is also the order AWS's MD5 algorithm needs.
using MessageAttributes = std::map<std::string, AttributeValue>;

// Facts about the HTTP request the service needs: the Host header (queue URLs are built from it,
// so a client can reach the URLs it is given) and the X-Amzn-Trace-Id header (AWSTraceHeader).
struct RequestContext {
  std::string host;  // "127.0.0.1:4566"; used as http://<host>/<account>/<queue>
  std::optional<std::string> trace_header;
};

// A queue named by a request: parsed by the codec from QueueUrl (a full URL, a path, or a bare
// queue name, which AWS also accepts). The service checks the account and that it exists.
struct QueueRef {
  std::string account_id;  // empty when the caller gave a bare name
  std::string name;
};

// A per-entry failure inside a batch answer (HTTP 200 overall).
struct BatchEntryError {
  std::string id;
  SqsError error;  // rendered as Code/Message/SenderFault by the codec
};

// ---- Queues ----

struct CreateQueueRequest {
  std::string queue_name;
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> tags;
};
struct CreateQueueResponse {
  std::string queue_url;
};

struct GetQueueUrlRequest {
  std::string queue_name;
  std::optional<std::string> queue_owner_account_id;
};
struct GetQueueUrlResponse {
  std::string queue_url;
};

struct ListQueuesRequest {
  std::optional<std::string> queue_name_prefix;
  std::optional<int> max_results;
  std::optional<std::string> next_token;
};
struct ListQueuesResponse {
  std::vector<std::string> queue_urls;
  std::optional<std::string> next_token;
};

struct DeleteQueueRequest {
  QueueRef queue;
};
struct PurgeQueueRequest {
  QueueRef queue;
};
struct EmptyResponse {};

struct GetQueueAttributesRequest {
  QueueRef queue;
  std::vector<std::string> attribute_names;  // "All" or names; empty: no attributes returned
};
struct GetQueueAttributesResponse {
  std::vector<std::pair<std::string, std::string>> attributes;  // in AWS's order
};

struct SetQueueAttributesRequest {
  QueueRef queue;
  std::map<std::string, std::string> attributes;
};

struct TagQueueRequest {
  QueueRef queue;
  std::map<std::string, std::string> tags;
};
struct UntagQueueRequest {
  QueueRef queue;
  std::vector<std::string> tag_keys;
};
struct ListQueueTagsRequest {
  QueueRef queue;
};
struct ListQueueTagsResponse {
  std::map<std::string, std::string> tags;  // codecs omit the member when empty
};

struct ListDeadLetterSourceQueuesRequest {
  QueueRef queue;
  std::optional<int> max_results;
  std::optional<std::string> next_token;
};
struct ListDeadLetterSourceQueuesResponse {
  std::vector<std::string> queue_urls;  // JSON member "queueUrls" (lowercase, as AWS's model)
  std::optional<std::string> next_token;
};

struct AddPermissionRequest {
  QueueRef queue;
  std::string label;
  std::vector<std::string> aws_account_ids;
  std::vector<std::string> actions;
};
struct RemovePermissionRequest {
  QueueRef queue;
  std::string label;
};

// ---- Messages ----

struct SendMessageEntry {
  std::string id;  // batch entries only
  std::string message_body;
  std::optional<int> delay_seconds;
  MessageAttributes message_attributes;
  MessageAttributes message_system_attributes;  // only AWSTraceHeader is allowed
  std::optional<std::string> message_deduplication_id;
  std::optional<std::string> message_group_id;
};

struct SendMessageRequest {
  QueueRef queue;
  SendMessageEntry entry;
};
struct SendMessageResult {
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;         // empty: omitted (no attributes were sent)
  std::string md5_of_message_system_attributes;  // empty: omitted
  std::string sequence_number;                   // FIFO only; empty: omitted
};

struct SendMessageBatchRequest {
  QueueRef queue;
  std::vector<SendMessageEntry> entries;
};
struct SendMessageBatchResponse {
  std::vector<std::pair<std::string, SendMessageResult>> successful;  // (entry id, result)
  std::vector<BatchEntryError> failed;
};

struct ReceiveMessageRequest {
  QueueRef queue;
  std::optional<int> max_number_of_messages;  // 1..10, default 1
  std::optional<int> visibility_timeout;
  std::optional<int> wait_time_seconds;       // 0..20, default the queue's
  // Union of AttributeNames and MessageSystemAttributeNames ("All" or names).
  std::vector<std::string> message_system_attribute_names;
  std::vector<std::string> message_attribute_names;  // "All", ".*", "prefix.*" or names
  std::optional<std::string> receive_request_attempt_id;
};
struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string md5_of_body;
  std::string body;
  std::vector<std::pair<std::string, std::string>> attributes;  // system attributes requested
  MessageAttributes message_attributes;                         // the requested subset
  std::string md5_of_message_attributes;  // over the returned subset; empty: omitted
};
struct ReceiveMessageResponse {
  std::vector<ReceivedMessage> messages;  // codecs omit the member when empty
};

struct DeleteMessageRequest {
  QueueRef queue;
  std::string receipt_handle;
};

struct DeleteMessageBatchEntry {
  std::string id;
  std::string receipt_handle;
};
struct DeleteMessageBatchRequest {
  QueueRef queue;
  std::vector<DeleteMessageBatchEntry> entries;
};
// Also the answer of ChangeMessageVisibilityBatch.
struct BatchIdsResponse {
  std::vector<std::string> successful;  // entry ids
  std::vector<BatchEntryError> failed;
};

struct ChangeMessageVisibilityRequest {
  QueueRef queue;
  std::string receipt_handle;
  int visibility_timeout = 0;
};

struct ChangeMessageVisibilityBatchEntry {
  std::string id;
  std::string receipt_handle;
  int visibility_timeout = 0;
};
struct ChangeMessageVisibilityBatchRequest {
  QueueRef queue;
  std::vector<ChangeMessageVisibilityBatchEntry> entries;
};

// ---- Message move tasks (DLQ redrive) ----

struct StartMessageMoveTaskRequest {
  std::string source_arn;
  std::optional<std::string> destination_arn;
  std::optional<int> max_number_of_messages_per_second;
};
struct StartMessageMoveTaskResponse {
  std::string task_handle;
};

struct CancelMessageMoveTaskRequest {
  std::string task_handle;
};
struct CancelMessageMoveTaskResponse {
  int64_t approximate_number_of_messages_moved = 0;
};

struct ListMessageMoveTasksRequest {
  std::string source_arn;
  std::optional<int> max_results;  // 1..10, default 1
};
struct MessageMoveTask {
  std::string task_handle;  // only while RUNNING; empty: omitted
  std::string status;       // RUNNING | COMPLETED | CANCELLING | CANCELLED | FAILED
  std::string source_arn;
  std::optional<std::string> destination_arn;
  std::optional<int> max_number_of_messages_per_second;
  int64_t approximate_number_of_messages_moved = 0;
  int64_t approximate_number_of_messages_to_move = 0;
  std::optional<std::string> failure_reason;
  int64_t started_timestamp_ms = 0;
};
struct ListMessageMoveTasksResponse {
  std::vector<MessageMoveTask> results;
};

}  // namespace slipway::sqs
