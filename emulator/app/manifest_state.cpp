// manifest_state_json: the validated model as compact JSON, named as in the manifest (so
// GET /_slipway/state reads like the file), with defaults applied and references as ARNs.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "app/manifest.h"
#include "app/manifest_internal.h"

namespace slipway::app {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(Writer& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
void str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void string_map(Writer& w, const std::map<std::string, std::string>& values) {
  w.StartObject();
  for (const auto& [k, v] : values) {
    key(w, k);
    str(w, v);
  }
  w.EndObject();
}

std::string destination_arn(const Settings& s, const Destination& d) {
  return d.type == "queue" ? manifest_detail::queue_arn(s, d.name)
                           : manifest_detail::function_arn(s, d.name);
}

void write_settings(Writer& w, const Manifest& m) {
  key(w, "Settings");
  w.StartObject();
  key(w, "Region");
  str(w, m.settings.region);
  key(w, "AccountId");
  str(w, m.settings.account_id);
  key(w, "ConcurrentExecutions");
  w.Int(m.settings.concurrent_executions);
  key(w, "LimitsProfile");
  str(w, m.settings.limits_profile);
  key(w, "AllowLargeMemory");
  w.Bool(m.settings.allow_large_memory);
  w.EndObject();
}

void write_event_invoke(Writer& w, const Settings& s, const EventInvokeConfig& c) {
  key(w, "EventInvokeConfig");
  w.StartObject();
  key(w, "MaximumRetryAttempts");
  w.Int(c.maximum_retry_attempts);
  key(w, "MaximumEventAgeInSeconds");
  w.Int(c.maximum_event_age_s);
  key(w, "DestinationConfig");
  w.StartObject();
  for (auto [name, dest] : {std::pair{"OnSuccess", &c.on_success}, {"OnFailure", &c.on_failure}}) {
    if (!*dest) continue;
    key(w, name);
    w.StartObject();
    key(w, "Destination");
    str(w, destination_arn(s, **dest));
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
}

void write_function(Writer& w, const Settings& s, const FunctionSpec& f) {
  key(w, f.name);
  w.StartObject();
  key(w, "Handler");
  str(w, f.handler);
  if (!f.code_uri.empty()) {
    key(w, "CodeUri");
    str(w, f.code_uri);
  }
  if (!f.command.empty()) {
    key(w, "Command");
    w.StartArray();
    for (const auto& arg : f.command) str(w, arg);
    w.EndArray();
  }
  key(w, "MemorySize");
  w.Int(f.memory_mb);
  key(w, "Timeout");
  w.Int(f.timeout_s);
  if (f.reserved_concurrency) {
    key(w, "ReservedConcurrentExecutions");
    w.Int(*f.reserved_concurrency);
  }
  key(w, "Environment");
  w.StartObject();
  key(w, "Variables");
  string_map(w, f.environment);
  w.EndObject();
  write_event_invoke(w, s, f.event_invoke);
  w.EndObject();
}

void write_queue(Writer& w, const Settings& s, const QueueSpec& q) {
  key(w, q.name);
  w.StartObject();
  key(w, "FifoQueue");
  w.Bool(q.fifo);
  if (q.fifo) {
    key(w, "ContentBasedDeduplication");
    w.Bool(q.content_based_deduplication);
  }
  key(w, "VisibilityTimeout");
  w.Int(q.visibility_timeout_s);
  key(w, "MessageRetentionPeriod");
  w.Int(q.message_retention_s);
  key(w, "DelaySeconds");
  w.Int(q.delay_s);
  key(w, "MaximumMessageSize");
  w.Int(q.maximum_message_bytes);
  key(w, "ReceiveMessageWaitTimeSeconds");
  w.Int(q.receive_wait_s);
  if (q.redrive_policy) {
    key(w, "RedrivePolicy");
    w.StartObject();
    key(w, "deadLetterTargetArn");
    str(w, manifest_detail::queue_arn(s, q.redrive_policy->dead_letter_queue));
    key(w, "maxReceiveCount");
    w.Int(q.redrive_policy->max_receive_count);
    w.EndObject();
  }
  key(w, "Tags");
  string_map(w, q.tags);
  w.EndObject();
}

void write_filter(Writer& w, const NotificationSpec& n) {
  if (n.prefix.empty() && n.suffix.empty()) return;
  key(w, "Filter");
  w.StartObject();
  key(w, "Key");
  w.StartObject();
  key(w, "FilterRules");
  w.StartArray();
  for (auto [name, value] : {std::pair{"prefix", &n.prefix}, {"suffix", &n.suffix}}) {
    if (value->empty()) continue;
    w.StartObject();
    key(w, "Name");
    str(w, name);
    key(w, "Value");
    str(w, *value);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
}

void write_notifications(Writer& w, const Settings& s, const BucketSpec& b, std::string_view type) {
  const bool queues = type == "queue";
  key(w, queues ? "QueueConfigurations" : "LambdaFunctionConfigurations");
  w.StartArray();
  for (const auto& n : b.notifications) {
    if (n.destination.type != type) continue;
    w.StartObject();
    if (!n.id.empty()) {
      key(w, "Id");
      str(w, n.id);
    }
    key(w, queues ? "QueueArn" : "LambdaFunctionArn");
    str(w, destination_arn(s, n.destination));
    key(w, "Events");
    w.StartArray();
    for (const auto& e : n.events) str(w, e);
    w.EndArray();
    write_filter(w, n);
    w.EndObject();
  }
  w.EndArray();
}

void write_mapping(Writer& w, const Settings& s, const EventSourceMappingSpec& e) {
  w.StartObject();
  key(w, "FunctionName");
  str(w, e.function_name);
  key(w, "EventSourceArn");
  str(w, manifest_detail::queue_arn(s, e.queue_name));
  key(w, "BatchSize");
  w.Int(e.batch_size);
  if (e.maximum_batching_window_s > 0) {  // omitted at 0: FIFO mappings may not set it at all
    key(w, "MaximumBatchingWindowInSeconds");
    w.Int(e.maximum_batching_window_s);
  }
  key(w, "Enabled");
  w.Bool(e.enabled);
  key(w, "FunctionResponseTypes");
  w.StartArray();
  if (e.report_batch_item_failures) str(w, "ReportBatchItemFailures");
  w.EndArray();
  if (e.maximum_concurrency) {
    key(w, "ScalingConfig");
    w.StartObject();
    key(w, "MaximumConcurrency");
    w.Int(*e.maximum_concurrency);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

std::string manifest_state_json(const Manifest& m) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  write_settings(w, m);
  key(w, "Functions");
  w.StartObject();
  for (const auto& f : m.functions) write_function(w, m.settings, f);
  w.EndObject();
  key(w, "Queues");
  w.StartObject();
  for (const auto& q : m.queues) write_queue(w, m.settings, q);
  w.EndObject();
  key(w, "Buckets");
  w.StartObject();
  for (const auto& b : m.buckets) {
    key(w, b.name);
    w.StartObject();
    key(w, "NotificationConfiguration");
    w.StartObject();
    write_notifications(w, m.settings, b, "queue");
    write_notifications(w, m.settings, b, "function");
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  key(w, "EventSourceMappings");
  w.StartArray();
  for (const auto& e : m.event_source_mappings) write_mapping(w, m.settings, e);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace slipway::app
