// The closed set of errors the SQS service can produce. The core says WHICH error and writes
// AWS's message text; http/sqs_errors.cpp alone knows how each renders on the wire (JSON shape
// name, Query code, HTTP status, Sender/Receiver), per ../shared/spec/sqs.md §6.
#pragma once

#include <string>
#include <utility>

#include "core/result.h"

namespace slipway::sqs {

enum class SqsErrorCode {
  kQueueDoesNotExist,            // AWS.SimpleQueueService.NonExistentQueue, 400
  kQueueAlreadyExists,           // QueueAlreadyExists (shape QueueNameExists), 400
  kQueueDeletedRecently,         // AWS.SimpleQueueService.QueueDeletedRecently, 400
  kPurgeQueueInProgress,         // AWS.SimpleQueueService.PurgeQueueInProgress, 403
  kEmptyBatchRequest,            // AWS.SimpleQueueService.EmptyBatchRequest, 400
  kTooManyEntriesInBatchRequest, // AWS.SimpleQueueService.TooManyEntriesInBatchRequest, 400
  kBatchEntryIdsNotDistinct,     // AWS.SimpleQueueService.BatchEntryIdsNotDistinct, 400
  kInvalidBatchEntryId,          // AWS.SimpleQueueService.InvalidBatchEntryId, 400
  kBatchRequestTooLong,          // AWS.SimpleQueueService.BatchRequestTooLong, 400
  kMessageNotInflight,           // AWS.SimpleQueueService.MessageNotInflight, 400
  kUnsupportedOperation,         // AWS.SimpleQueueService.UnsupportedOperation, 400
  kReceiptHandleIsInvalid,       // ReceiptHandleIsInvalid, 404
  kOverLimit,                    // OverLimit, 403
  kResourceNotFound,             // ResourceNotFoundException, 404
  kInvalidAttributeName,         // InvalidAttributeName, 400
  kInvalidAttributeValue,        // InvalidAttributeValue, 400
  kInvalidMessageContents,       // InvalidMessageContents, 400
  kInvalidParameterValue,        // InvalidParameterValue (shape InvalidParameterValueException), 400
  kMissingParameter,             // MissingParameter (shape MissingRequiredParameterException), 400
  kInvalidAction,                // InvalidAction, 400: unknown action, or not valid for the path
  kInternalError,                // InternalFailure, 500
};

struct SqsError {
  SqsErrorCode code;
  std::string message;  // AWS's text, e.g. "The request must contain the parameter MessageBody."
};

template <typename T>
using SqsResult = core::Result<T, SqsError>;

inline SqsError sqs_error(SqsErrorCode code, std::string message) {
  return SqsError{code, std::move(message)};
}

// "Value <value> for parameter <name> is invalid. Reason: <reason>" (AWS's usual wording).
inline SqsError invalid_parameter(const std::string& name, const std::string& value,
                                  const std::string& reason) {
  return sqs_error(SqsErrorCode::kInvalidParameterValue,
                   "Value " + value + " for parameter " + name + " is invalid. Reason: " + reason);
}

inline SqsError missing_parameter(const std::string& name) {
  return sqs_error(SqsErrorCode::kMissingParameter,
                   "The request must contain the parameter " + name + ".");
}

}  // namespace slipway::sqs
