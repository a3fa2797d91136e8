// The SQS AWS JSON 1.0 codec (../shared/spec/sqs.md §1.2): JSON bodies in and out, RapidJSON
// underneath. Pure functions over Body and the api.h structs; nothing here touches HTTP or the
// service.
//
// Decoding: the model's member names exactly (note CreateQueue's lowercase `tags`); integers as
// JSON numbers (numeric strings are tolerated); BinaryValue base64 -> raw bytes; JSON null is the
// same as absent. ReceiveMessage's AttributeNames and MessageSystemAttributeNames are merged
// (union, first spelling's order). A missing required scalar is MissingParameter; a wrong type,
// malformed integer or base64 is InvalidParameterValue; the first problem found is the answer.
// QueueRef members are left empty: the gate (sqs_routes.cpp) resolves the queue.
//
// Encoding: absent or empty optional members are omitted (no `Messages` when nothing was
// received, no `Tags` without tags); required list members (batch Successful/Failed,
// ListDeadLetterSourceQueues' lowercase `queueUrls`) are always written. Void actions answer an
// EMPTY body. Errors: {"__type": <shape>, "message": ...} plus `x-amzn-query-error:
// <QueryCode>;Sender|Receiver`; never x-amzn-ErrorType (older JS v3 would prefer it to __type).
#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/sqs_errors.h"
#include "sqs/api.h"

namespace slipway::http::sqs_json {

inline constexpr std::string_view kContentType = "application/x-amz-json-1.0";
inline constexpr std::string_view kQueryErrorHeader = "x-amzn-query-error";

using sqs::SqsResult;

// A parsed request body: always a JSON object.
class Body {
 public:
  // Empty text is taken as {} (some clients send no body for input-less actions). Text that is
  // not JSON (or not valid UTF-8), or JSON that is not an object: InvalidParameterValue.
  static SqsResult<Body> parse(const std::string& text);

  const rapidjson::Value& root() const { return *doc_; }
  // The QueueUrl member when it is a string, else null.
  const std::string* queue_url() const { return queue_url_ ? &*queue_url_ : nullptr; }

 private:
  std::shared_ptr<const rapidjson::Document> doc_;
  std::optional<std::string> queue_url_;
};

// ---- Decoders (one per action) ----
SqsResult<sqs::CreateQueueRequest> decode_create_queue(const Body& b);
SqsResult<sqs::GetQueueUrlRequest> decode_get_queue_url(const Body& b);
SqsResult<sqs::ListQueuesRequest> decode_list_queues(const Body& b);
SqsResult<sqs::DeleteQueueRequest> decode_delete_queue(const Body& b);
SqsResult<sqs::PurgeQueueRequest> decode_purge_queue(const Body& b);
SqsResult<sqs::GetQueueAttributesRequest> decode_get_queue_attributes(const Body& b);
SqsResult<sqs::SetQueueAttributesRequest> decode_set_queue_attributes(const Body& b);
SqsResult<sqs::TagQueueRequest> decode_tag_queue(const Body& b);
SqsResult<sqs::UntagQueueRequest> decode_untag_queue(const Body& b);
SqsResult<sqs::ListQueueTagsRequest> decode_list_queue_tags(const Body& b);
SqsResult<sqs::ListDeadLetterSourceQueuesRequest> decode_list_dead_letter_source_queues(const Body& b);
SqsResult<sqs::AddPermissionRequest> decode_add_permission(const Body& b);
SqsResult<sqs::RemovePermissionRequest> decode_remove_permission(const Body& b);
SqsResult<sqs::SendMessageRequest> decode_send_message(const Body& b);
SqsResult<sqs::SendMessageBatchRequest> decode_send_message_batch(const Body& b);
SqsResult<sqs::ReceiveMessageRequest> decode_receive_message(const Body& b);
SqsResult<sqs::DeleteMessageRequest> decode_delete_message(const Body& b);
SqsResult<sqs::DeleteMessageBatchRequest> decode_delete_message_batch(const Body& b);
SqsResult<sqs::ChangeMessageVisibilityRequest> decode_change_message_visibility(const Body& b);
SqsResult<sqs::ChangeMessageVisibilityBatchRequest> decode_change_message_visibility_batch(const Body& b);
SqsResult<sqs::StartMessageMoveTaskRequest> decode_start_message_move_task(const Body& b);
SqsResult<sqs::CancelMessageMoveTaskRequest> decode_cancel_message_move_task(const Body& b);
SqsResult<sqs::ListMessageMoveTasksRequest> decode_list_message_move_tasks(const Body& b);

// ---- Encoders: the response body ----
std::string encode_response(const sqs::EmptyResponse& r);  // "" (AWS answers void actions so)
std::string encode_response(const sqs::CreateQueueResponse& r);
std::string encode_response(const sqs::GetQueueUrlResponse& r);
std::string encode_response(const sqs::ListQueuesResponse& r);
std::string encode_response(const sqs::GetQueueAttributesResponse& r);
std::string encode_response(const sqs::ListQueueTagsResponse& r);
std::string encode_response(const sqs::ListDeadLetterSourceQueuesResponse& r);
std::string encode_response(const sqs::SendMessageResult& r);
std::string encode_response(const sqs::SendMessageBatchResponse& r);
std::string encode_response(const sqs::ReceiveMessageResponse& r);
std::string encode_response(const sqs::BatchIdsResponse& r);
std::string encode_response(const sqs::StartMessageMoveTaskResponse& r);
std::string encode_response(const sqs::CancelMessageMoveTaskResponse& r);
std::string encode_response(const sqs::ListMessageMoveTasksResponse& r);

// The error answer: status per sqs_errors.h, the __type/message body, x-amzn-query-error.
SqsAnswer encode_error(const sqs::SqsError& error);

}  // namespace slipway::http::sqs_json
