#include "http/sqs_errors.h"

#include <cstdlib>

namespace slipway::http {

namespace {

using sqs::SqsErrorCode;

// Shapes in the SQS model use AWS's SQS namespace; errors the model does not declare are
// Coral's (the framework behind AWS JSON services), as AWS answers them.
#define SQS_SHAPE(name) "com.amazonaws.sqs#" name
#define CORAL_SHAPE(name) "com.amazon.coral.service#" name

struct Row {
  SqsErrorCode code;
  SqsErrorWire wire;
};

constexpr Row kRows[] = {
    {SqsErrorCode::kQueueDoesNotExist,
     {SQS_SHAPE("QueueDoesNotExist"), "AWS.SimpleQueueService.NonExistentQueue", 400, true}},
    {SqsErrorCode::kQueueAlreadyExists, {SQS_SHAPE("QueueNameExists"), "QueueAlreadyExists", 400, true}},
    {SqsErrorCode::kQueueDeletedRecently,
     {SQS_SHAPE("QueueDeletedRecently"), "AWS.SimpleQueueService.QueueDeletedRecently", 400, true}},
    {SqsErrorCode::kPurgeQueueInProgress,
     {SQS_SHAPE("PurgeQueueInProgress"), "AWS.SimpleQueueService.PurgeQueueInProgress", 403, true}},
    {SqsErrorCode::kEmptyBatchRequest,
     {SQS_SHAPE("EmptyBatchRequest"), "AWS.SimpleQueueService.EmptyBatchRequest", 400, true}},
    {SqsErrorCode::kTooManyEntriesInBatchRequest,
     {SQS_SHAPE("TooManyEntriesInBatchRequest"), "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
      400, true}},
    {SqsErrorCode::kBatchEntryIdsNotDistinct,
     {SQS_SHAPE("BatchEntryIdsNotDistinct"), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400,
      true}},
    {SqsErrorCode::kInvalidBatchEntryId,
     {SQS_SHAPE("InvalidBatchEntryId"), "AWS.SimpleQueueService.InvalidBatchEntryId", 400, true}},
    {SqsErrorCode::kBatchRequestTooLong,
     {SQS_SHAPE("BatchRequestTooLong"), "AWS.SimpleQueueService.BatchRequestTooLong", 400, true}},
    {SqsErrorCode::kMessageNotInflight,
     {SQS_SHAPE("MessageNotInflight"), "AWS.SimpleQueueService.MessageNotInflight", 400, true}},
    {SqsErrorCode::kUnsupportedOperation,
     {SQS_SHAPE("UnsupportedOperation"), "AWS.SimpleQueueService.UnsupportedOperation", 400, true}},
    {SqsErrorCode::kReceiptHandleIsInvalid,
     {SQS_SHAPE("ReceiptHandleIsInvalid"), "ReceiptHandleIsInvalid", 404, true}},
    {SqsErrorCode::kOverLimit, {SQS_SHAPE("OverLimit"), "OverLimit", 403, true}},
    {SqsErrorCode::kResourceNotFound,
     {SQS_SHAPE("ResourceNotFoundException"), "ResourceNotFoundException", 404, true}},
    {SqsErrorCode::kInvalidAttributeName,
     {SQS_SHAPE("InvalidAttributeName"), "InvalidAttributeName", 400, true}},
    {SqsErrorCode::kInvalidAttributeValue,
     {SQS_SHAPE("InvalidAttributeValue"), "InvalidAttributeValue", 400, true}},
    {SqsErrorCode::kInvalidMessageContents,
     {SQS_SHAPE("InvalidMessageContents"), "InvalidMessageContents", 400, true}},
    {SqsErrorCode::kInvalidParameterValue,
     {CORAL_SHAPE("InvalidParameterValueException"), "InvalidParameterValue", 400, true}},
    {SqsErrorCode::kMissingParameter,
     {CORAL_SHAPE("MissingRequiredParameterException"), "MissingParameter", 400, true}},
    // AWS's JSON endpoint answers an unknown X-Amz-Target with this shape.
    {SqsErrorCode::kInvalidAction, {CORAL_SHAPE("UnknownOperationException"), "InvalidAction", 400, true}},
    {SqsErrorCode::kInternalError, {CORAL_SHAPE("InternalFailure"), "InternalFailure", 500, false}},
};

#undef SQS_SHAPE
#undef CORAL_SHAPE

constexpr const char* kQueryNoQueue = "The specified queue does not exist for this wsdl version.";
constexpr const char* kJsonNoQueue = "The specified queue does not exist.";

}  // namespace

const SqsErrorWire& sqs_error_wire(sqs::SqsErrorCode code) {
  for (const Row& row : kRows) {
    if (row.code == code) return row.wire;
  }
  std::abort();  // a code without a row: a broken invariant (the closed enum grew)
}

std::string_view sqs_fault_name(sqs::SqsErrorCode code) {
  return sqs_error_wire(code).sender_fault ? "Sender" : "Receiver";
}

std::string sqs_error_message(const sqs::SqsError& error, SqsProtocol protocol) {
  if (error.code == SqsErrorCode::kQueueDoesNotExist) {
    return protocol == SqsProtocol::kQuery ? kQueryNoQueue : kJsonNoQueue;
  }
  return error.message;
}

}  // namespace slipway::http
