// Protocol-neutral facts about an SQS request, decided before any codec runs: which wire
// protocol it speaks, which action it names, and which queue it addresses
// (../shared/spec/sqs.md §1.1, §1.2, §1.4). Pure: strings in, values out; the routes
// (sqs_routes.cpp) feed it from cpp-httplib.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/sqs_errors.h"
#include "sqs/api.h"

namespace slipway::http {

// JSON 1.0 when the request carries X-Amz-Target or a JSON 1.x content type; Query otherwise.
SqsProtocol detect_sqs_protocol(std::string_view target_header, std::string_view content_type);

// The action named by an X-Amz-Target header: "AmazonSQS.SendMessage" -> "SendMessage". Any
// other value is returned whole, so the answer can name it ("... FooBar is not valid ...").
std::string json_action(std::string_view target_header);

// The queue named by a request path of the form /<12-digit account>/<queue name>, or nullopt.
std::optional<sqs::QueueRef> queue_from_path(std::string_view path);

// The queue named by a QueueUrl parameter. AWS accepts a full URL (any host: only account and
// name matter), a path, or a bare queue name; a path prefix that is not a 12-digit account
// (ElasticMQ's /queue/<name>) leaves the account empty, as for a bare name. nullopt when empty.
std::optional<sqs::QueueRef> parse_queue_url(std::string_view queue_url);

// The queue a request addresses: the QueueUrl parameter when given (it wins over the path, as
// on AWS), else the request path. `param` is null when the parameter is absent. Neither:
// MissingParameter QueueUrl; a parameter naming no queue ("http://host/"): QueueDoesNotExist.
sqs::SqsResult<sqs::QueueRef> resolve_queue(const std::string* param, std::string_view path);

}  // namespace slipway::http
