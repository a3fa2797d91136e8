// The SQS Query protocol codec (../shared/spec/sqs.md §1.1): form parameters in, XML out.
// Pure functions over FormParams and the api.h structs; nothing here touches HTTP or the
// service, so every decoder and encoder is testable alone.
//
// Decoding: flattened names with 1-based indexes (Attribute.N.Name, SendMessageBatchRequestEntry
// .N.MessageAttribute.M.Value.BinaryValue, ...); a list also takes an un-indexed value (AWS
// accepts a bare MessageAttributeName; a bare empty `AttributeName=` is JS v3's empty list).
// ReceiveMessage's AttributeName.N feeds message_system_attribute_names (Query uses one wire name
// for both members). BinaryValue is base64 on the wire and raw bytes in the struct. A missing
// required scalar is MissingParameter, a malformed integer or base64 InvalidParameterValue; the
// first problem found is the answer. QueueRef members are left empty: the gate
// (sqs_routes.cpp) resolves the queue from the parameter or the path.
//
// Encoding: <{Action}Response xmlns=...><{Action}Result>...</...><ResponseMetadata>...; void
// actions have no Result element; an empty result is self-closed (<ReceiveMessageResult/>).
#pragma once

#include <string>
#include <string_view>

#include "http/form.h"
#include "http/sqs_errors.h"
#include "sqs/api.h"

namespace slipway::http::sqs_query {

inline constexpr std::string_view kXmlns = "http://queue.amazonaws.com/doc/2012-11-05/";
inline constexpr std::string_view kContentType = "text/xml";

using sqs::SqsResult;

// ---- Decoders (one per action) ----
SqsResult<sqs::CreateQueueRequest> decode_create_queue(const FormParams& p);
SqsResult<sqs::GetQueueUrlRequest> decode_get_queue_url(const FormParams& p);
SqsResult<sqs::ListQueuesRequest> decode_list_queues(const FormParams& p);
SqsResult<sqs::DeleteQueueRequest> decode_delete_queue(const FormParams& p);
SqsResult<sqs::PurgeQueueRequest> decode_purge_queue(const FormParams& p);
SqsResult<sqs::GetQueueAttributesRequest> decode_get_queue_attributes(const FormParams& p);
SqsResult<sqs::SetQueueAttributesRequest> decode_set_queue_attributes(const FormParams& p);
SqsResult<sqs::TagQueueRequest> decode_tag_queue(const FormParams& p);
SqsResult<sqs::UntagQueueRequest> decode_untag_queue(const FormParams& p);
SqsResult<sqs::ListQueueTagsRequest> decode_list_queue_tags(const FormParams& p);
SqsResult<sqs::ListDeadLetterSourceQueuesRequest> decode_list_dead_letter_source_queues(
    const FormParams& p);
SqsResult<sqs::AddPermissionRequest> decode_add_permission(const FormParams& p);
SqsResult<sqs::RemovePermissionRequest> decode_remove_permission(const FormParams& p);
SqsResult<sqs::SendMessageRequest> decode_send_message(const FormParams& p);
SqsResult<sqs::SendMessageBatchRequest> decode_send_message_batch(const FormParams& p);
SqsResult<sqs::ReceiveMessageRequest> decode_receive_message(const FormParams& p);
SqsResult<sqs::DeleteMessageRequest> decode_delete_message(const FormParams& p);
SqsResult<sqs::DeleteMessageBatchRequest> decode_delete_message_batch(const FormParams& p);
SqsResult<sqs::ChangeMessageVisibilityRequest> decode_change_message_visibility(const FormParams& p);
SqsResult<sqs::ChangeMessageVisibilityBatchRequest> decode_change_message_visibility_batch(
    const FormParams& p);
SqsResult<sqs::StartMessageMoveTaskRequest> decode_start_message_move_task(const FormParams& p);
SqsResult<sqs::CancelMessageMoveTaskRequest> decode_cancel_message_move_task(const FormParams& p);
SqsResult<sqs::ListMessageMoveTasksRequest> decode_list_message_move_tasks(const FormParams& p);

// ---- Encoders: the whole XML document answering `action` ----
std::string encode_response(std::string_view action, const sqs::EmptyResponse& r, std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::CreateQueueResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::GetQueueUrlResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::ListQueuesResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::GetQueueAttributesResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::ListQueueTagsResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::ListDeadLetterSourceQueuesResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::SendMessageResult& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::SendMessageBatchResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::ReceiveMessageResponse& r,
                            std::string_view request_id);
// DeleteMessageBatch and ChangeMessageVisibilityBatch: entries are <{Action}ResultEntry>.
std::string encode_response(std::string_view action, const sqs::BatchIdsResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::StartMessageMoveTaskResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::CancelMessageMoveTaskResponse& r,
                            std::string_view request_id);
std::string encode_response(std::string_view action, const sqs::ListMessageMoveTasksResponse& r,
                            std::string_view request_id);

// The <ErrorResponse> answer: status and body per sqs_errors.h, content type text/xml.
SqsAnswer encode_error(const sqs::SqsError& error, std::string_view request_id);

}  // namespace slipway::http::sqs_query
