// How an SQS error renders on the wire (../shared/spec/sqs.md §1.1, §1.2, §6). The core names
// WHICH error (sqs::SqsErrorCode) and writes AWS's text; this table alone knows the JSON shape
// name (`__type`), the Query error code (also the `x-amzn-query-error` header code), the HTTP
// status and whether the fault is the Sender's or the Receiver's.
//
// Pure: no HTTP library, no service. Both codecs (sqs_query, sqs_json) read it.
// To add an error: add the enum case in sqs/errors.h and one row in sqs_errors.cpp (a missing
// row fails the "every code renders" test).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqs/errors.h"

namespace slipway::http {

// The two wire protocols SQS speaks on the edge port; chosen once per request.
enum class SqsProtocol { kQuery, kJson };

struct SqsErrorWire {
  std::string_view json_type;   // full `__type`, e.g. "com.amazonaws.sqs#QueueDoesNotExist"
  std::string_view query_code;  // e.g. "AWS.SimpleQueueService.NonExistentQueue"
  int http_status;
  bool sender_fault;            // false: a Receiver (server-side) fault
};

const SqsErrorWire& sqs_error_wire(sqs::SqsErrorCode code);

// "Sender" or "Receiver".
std::string_view sqs_fault_name(sqs::SqsErrorCode code);

// The message text as `protocol` shows it. AWS words one error differently per protocol:
// QueueDoesNotExist is "The specified queue does not exist for this wsdl version." on Query and
// "The specified queue does not exist." on JSON, whatever the core wrote.
std::string sqs_error_message(const sqs::SqsError& error, SqsProtocol protocol);

// A complete HTTP answer, built without any HTTP library so codecs stay testable. The routes
// copy it onto the real response and add x-amzn-RequestId.
struct SqsAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

}  // namespace slipway::http
