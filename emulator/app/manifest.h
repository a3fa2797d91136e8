// The manifest: a pipeline described in one JSON file (slipway.json) with AWS's own property
// names, so what a user knows of SAM and CloudFormation transfers.
//
//   {
//     "Settings":  { "Region", "AccountId", "ConcurrentExecutions", "LimitsProfile",
//                    "AllowLargeMemory" },
//     "Functions": { "<name>": { "Handler", "CodeUri" | "Command", "MemorySize", "Timeout",
//                    "ReservedConcurrentExecutions", "Environment": {"Variables": {...}},
//                    "EventInvokeConfig": {...} } },
//     "Queues":    { "<name>": { "FifoQueue", "VisibilityTimeout", "RedrivePolicy", ... } },
//     "Buckets":   { "<name>": { "NotificationConfiguration": {...} } },
//     "EventSourceMappings": [ { "FunctionName", "EventSourceArn", "BatchSize", ... } ]
//   }
//
// Loading validates everything before the daemon starts: types, AWS's ranges (from the limits
// profile), names, and cross-references (a mapping's queue and function exist, a DLQ exists and
// has the same type as its source, reservations leave 100 unreserved). Every problem is reported,
// not just the first, each as "<file>: <JSON path>: <what is wrong and what is allowed>".
// An absent or empty manifest is valid: a bare daemon.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/limits.h"

namespace slipway::app {

struct Settings {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  int concurrent_executions = 1000;     // the account pool (ConcurrentExecutions)
  std::string limits_profile = "aws";   // "aws" or "classic"
  bool allow_large_memory = false;      // raise MemorySize's ceiling from 3008 to 10240 MB
};

struct Destination {
  std::string type;  // "queue" or "function"
  std::string name;  // resolved from the ARN or name the user wrote
};

struct EventInvokeConfig {
  int maximum_retry_attempts = 2;
  int maximum_event_age_s = 21600;
  std::optional<Destination> on_success;
  std::optional<Destination> on_failure;
};

struct FunctionSpec {
  std::string name;
  std::string handler;
  std::string code_uri;               // absolute path of a folder holding `bootstrap`; or empty
  std::vector<std::string> command;   // argv run instead of CodeUri/bootstrap; or empty
  int memory_mb = 128;
  int timeout_s = 3;
  std::optional<int> reserved_concurrency;
  std::map<std::string, std::string> environment;
  EventInvokeConfig event_invoke;
};

struct RedrivePolicySpec {
  std::string dead_letter_queue;  // queue name, resolved from an ARN or name
  int max_receive_count = 10;
};

struct QueueSpec {
  std::string name;
  bool fifo = false;
  bool content_based_deduplication = false;
  int visibility_timeout_s = 30;
  int message_retention_s = 345600;
  int delay_s = 0;
  int maximum_message_bytes = 1048576;
  int receive_wait_s = 0;
  std::optional<RedrivePolicySpec> redrive_policy;
  std::map<std::string, std::string> tags;
};

struct NotificationSpec {
  std::string id;
  Destination destination;          // "queue" or "function"
  std::vector<std::string> events;  // e.g. "s3:ObjectCreated:*"
  std::string prefix;
  std::string suffix;
};

struct BucketSpec {
  std::string name;
  std::vector<NotificationSpec> notifications;
};

struct EventSourceMappingSpec {
  std::string function_name;
  std::string queue_name;
  int batch_size = 10;
  int maximum_batching_window_s = 0;
  bool enabled = true;
  bool report_batch_item_failures = false;  // FunctionResponseTypes: ["ReportBatchItemFailures"]
  std::optional<int> maximum_concurrency;   // ScalingConfig.MaximumConcurrency
};

struct Manifest {
  std::string path;  // the file it came from, or empty for a bare daemon
  Settings settings;
  core::LimitsProfile limits = core::LimitsProfile::aws();
  std::vector<FunctionSpec> functions;
  std::vector<QueueSpec> queues;
  std::vector<BucketSpec> buckets;
  std::vector<EventSourceMappingSpec> event_source_mappings;
};

// Every problem found, each a full line: "<file>: <JSON path>: <message>".
using ManifestProblems = std::vector<std::string>;
using ManifestResult = std::variant<Manifest, ManifestProblems>;

// Parses and validates manifest text. `file_label` names the file in messages; relative paths
// (CodeUri) resolve against `base_dir`.
ManifestResult parse_manifest(const std::string& text, const std::string& file_label,
                              const std::string& base_dir);

// Reads and parses a file. An unreadable file is a problem, not an exception.
ManifestResult load_manifest(const std::string& path);

// The configured pipeline as JSON (for GET /_slipway/state).
std::string manifest_state_json(const Manifest& manifest);

}  // namespace slipway::app
