// Validation of what a sender supplies (body characters, message attributes, sizes, FIFO ids,
// batch entry ids) and the MD5 digests AWS returns for bodies and attributes (spec §3).
// Every check returns AWS's error as a value; nothing here changes state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqs/api.h"
#include "sqs/errors.h"

namespace slipway::sqs {

// True when `text` is valid UTF-8 made only of XML 1.0 characters
// (#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF).
bool valid_message_characters(std::string_view text);
// InvalidParameterValue with a free-form message.
SqsError invalid_parameter_plain(const std::string& message);
SqsError invalid_message_contents();

// Message attributes (user): count, names, data types, values (spec §3.2).
std::optional<SqsError> check_message_attributes(const MessageAttributes& attrs);
// Only AWSTraceHeader (String) is allowed.
std::optional<SqsError> check_system_attributes(const MessageAttributes& attrs);
// Body + each attribute's name, type and value bytes.
int64_t message_size(const SendMessageEntry& entry);

// MD5OfMessageAttributes over `attrs` (spec §3.3); "" when `attrs` is empty.
std::string md5_of_attributes(const MessageAttributes& attrs);

// FIFO MessageGroupId / MessageDeduplicationId / ReceiveRequestAttemptId: 1..128 characters of
// alphanumerics and punctuation.
bool valid_fifo_token(std::string_view s);
SqsError invalid_fifo_token(const std::string& parameter, const std::string& value);

// Batch entry ids: 1..80 of [A-Za-z0-9_-].
bool valid_batch_entry_id(std::string_view id);
// The whole-batch checks shared by the three batch actions: count, id format, distinct ids.
// `entry_kind` names the entry type in the empty-batch message (e.g. "SendMessageBatchRequestEntry").
std::optional<SqsError> check_batch_ids(const std::vector<std::string>& ids, int max_entries,
                                        const std::string& entry_kind);

// Queue names: 1..80 of [A-Za-z0-9_-], plus ".fifo" (counted) for FIFO queues.
bool valid_queue_name(std::string_view name, bool fifo, int max_chars);

}  // namespace slipway::sqs
