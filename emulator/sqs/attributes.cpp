#include "sqs/attributes.h"

#include <algorithm>
#include <charconv>

#include "sqs/json_lite.h"

namespace slipway::sqs {

namespace {

// Every name of AWS's QueueAttributeName enum except "All", sorted: the order "All" renders in.
const std::vector<std::string>& all_attribute_names() {
  static const std::vector<std::string> names = {
      "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
      "ApproximateNumberOfMessagesNotVisible", "ContentBasedDeduplication", "CreatedTimestamp",
      "DeduplicationScope", "DelaySeconds", "FifoQueue", "FifoThroughputLimit",
      "KmsDataKeyReusePeriodSeconds", "KmsMasterKeyId", "LastModifiedTimestamp",
      "MaximumMessageSize", "MessageRetentionPeriod", "Policy", "QueueArn",
      "ReceiveMessageWaitTimeSeconds", "RedriveAllowPolicy", "RedrivePolicy",
      "SqsManagedSseEnabled", "VisibilityTimeout"};
  return names;
}

std::optional<int> parse_int(const std::string& s) {
  int n = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return n;
}

std::optional<bool> parse_bool(const std::string& s) {
  std::string lower;
  for (char c : s) lower.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

const char* bool_text(bool b) { return b ? "true" : "false"; }

std::optional<SqsError> set_int(const std::string& name, const std::string& value, int min, int max,
                                int& out) {
  const auto n = parse_int(value);
  if (!n || *n < min || *n > max) return invalid_attribute_value(name);
  out = *n;
  return std::nullopt;
}

std::optional<SqsError> set_fifo_only(const std::string& name, const std::string& value,
                                      QueueConfig& cfg) {
  if (name == "FifoQueue") {
    if (!cfg.fifo) return unknown_attribute(name);
    const auto b = parse_bool(value);
    if (!b) return invalid_attribute_value(name);
    if (!*b) {
      return sqs_error(SqsErrorCode::kInvalidAttributeValue,
                       "Invalid value for the parameter FifoQueue. Reason: Modifying queue type "
                       "is not supported.");
    }
    return std::nullopt;
  }
  if (name == "ContentBasedDeduplication") {
    if (!cfg.fifo) return unknown_attribute(name);
    const auto b = parse_bool(value);
    if (!b) return invalid_attribute_value(name);
    cfg.content_based_dedup = *b;
    return std::nullopt;
  }
  if (!cfg.fifo) {
    return sqs_error(SqsErrorCode::kInvalidAttributeName,
                     "You can specify the " + name + " only when FifoQueue is set to true.");
  }
  if (name == "DeduplicationScope") {
    if (value != "messageGroup" && value != "queue") return invalid_attribute_value(name);
    cfg.dedup_scope = value;
  } else {
    if (value != "perQueue" && value != "perMessageGroupId") return invalid_attribute_value(name);
    cfg.fifo_throughput_limit = value;
  }
  return std::nullopt;
}

std::optional<SqsError> set_encryption(const std::string& name, const std::string& value,
                                       QueueConfig& cfg) {
  if (name == "KmsMasterKeyId") {
    cfg.kms_master_key_id = value;
    if (!value.empty()) cfg.sqs_managed_sse = false;
    return std::nullopt;
  }
  if (name == "KmsDataKeyReusePeriodSeconds") {
    return set_int(name, value, 60, 86400, cfg.kms_reuse_s);
  }
  const auto b = parse_bool(value);
  if (!b) return invalid_attribute_value(name);
  cfg.sqs_managed_sse = *b;
  return std::nullopt;
}

// The numeric attributes; `handled` is set false when `name` is not one of them.
std::optional<SqsError> set_number(const std::string& name, const std::string& value,
                                   QueueConfig& cfg, const core::SqsLimits& l, bool& handled) {
  handled = true;
  if (name == "DelaySeconds") return set_int(name, value, l.delay_s_min, l.delay_s_max, cfg.delay_s);
  if (name == "MaximumMessageSize") {
    return set_int(name, value, l.message_bytes_min, l.message_bytes_max, cfg.max_message_bytes);
  }
  if (name == "MessageRetentionPeriod") {
    return set_int(name, value, l.retention_s_min, l.retention_s_max, cfg.retention_s);
  }
  if (name == "ReceiveMessageWaitTimeSeconds") {
    return set_int(name, value, l.receive_wait_s_min, l.receive_wait_s_max, cfg.receive_wait_s);
  }
  if (name == "VisibilityTimeout") {
    return set_int(name, value, l.visibility_timeout_s_min, l.visibility_timeout_s_max,
                   cfg.visibility_timeout_s);
  }
  handled = false;
  return std::nullopt;
}

std::optional<SqsError> set_one(const std::string& name, const std::string& value,
                                QueueConfig& cfg, const core::SqsLimits& l,
                                const std::string& self_arn, const DlqLookup& lookup) {
  bool handled = false;
  auto numeric = set_number(name, value, cfg, l, handled);
  if (handled) return numeric;
  if (name == "Policy") {
    const auto doc = json::parse(value);
    if (!value.empty() && (!doc || !doc->is_object())) return invalid_attribute_value(name);
    cfg.policy = value;
    return std::nullopt;
  }
  if (name == "RedrivePolicy") {
    if (value.empty()) {
      cfg.redrive_policy.clear(), cfg.dlq_target_arn.clear(), cfg.max_receive_count = 0;
      return std::nullopt;
    }
    return parse_redrive_policy(value, cfg, l, self_arn, lookup);
  }
  if (name == "RedriveAllowPolicy") {
    if (value.empty()) {
      cfg.redrive_allow_policy.clear(), cfg.redrive_permission = "allowAll";
      cfg.redrive_source_arns.clear();
      return std::nullopt;
    }
    return parse_redrive_allow_policy(value, cfg);
  }
  if (name == "FifoQueue" || name == "ContentBasedDeduplication" || name == "DeduplicationScope" ||
      name == "FifoThroughputLimit") {
    return set_fifo_only(name, value, cfg);
  }
  if (name == "KmsMasterKeyId" || name == "KmsDataKeyReusePeriodSeconds" ||
      name == "SqsManagedSseEnabled") {
    return set_encryption(name, value, cfg);
  }
  return unknown_attribute(name);
}

std::string count_text(size_t n) { return std::to_string(n); }

std::optional<std::string> attribute_value(const Queue& q, const std::string& name) {
  const QueueConfig& c = q.cfg;
  if (name == "ApproximateNumberOfMessages") return count_text(q.visible_count());
  if (name == "ApproximateNumberOfMessagesDelayed") return count_text(q.delayed_count());
  if (name == "ApproximateNumberOfMessagesNotVisible") return count_text(q.inflight_count());
  if (name == "CreatedTimestamp") return std::to_string(q.created_s);
  if (name == "LastModifiedTimestamp") return std::to_string(q.modified_s);
  if (name == "QueueArn") return q.arn;
  const auto settable = settable_attribute_values(c);
  auto it = settable.find(name);
  if (it == settable.end()) return std::nullopt;
  return it->second;
}

}  // namespace

SqsError invalid_attribute_value(const std::string& name) {
  return sqs_error(SqsErrorCode::kInvalidAttributeValue, "Invalid value for the parameter " + name + ".");
}

SqsError unknown_attribute(const std::string& name) {
  return sqs_error(SqsErrorCode::kInvalidAttributeName, "Unknown Attribute " + name + ".");
}

QueueConfig default_queue_config(const core::SqsLimits& limits, bool fifo) {
  QueueConfig c;
  c.delay_s = limits.delay_s_default;
  c.max_message_bytes = limits.message_bytes_max;
  c.retention_s = limits.retention_s_default;
  c.receive_wait_s = limits.receive_wait_s_default;
  c.visibility_timeout_s = limits.visibility_timeout_s_default;
  c.fifo = fifo;
  return c;
}

SqsResult<QueueConfig> apply_queue_attributes(const QueueConfig& cfg,
                                              const std::map<std::string, std::string>& attrs,
                                              const core::SqsLimits& limits,
                                              const std::string& self_arn,
                                              const DlqLookup& lookup) {
  QueueConfig next = cfg;
  for (const auto& [name, value] : attrs) {
    if (auto err = set_one(name, value, next, limits, self_arn, lookup)) return *err;
  }
  auto kms = attrs.find("KmsMasterKeyId");
  auto sse = attrs.find("SqsManagedSseEnabled");
  if (kms != attrs.end() && !kms->second.empty() && sse != attrs.end() && parse_bool(sse->second) == true) {
    return sqs_error(SqsErrorCode::kInvalidAttributeName,
                     "You can use one type of server-side encryption (SSE) at one time. You can "
                     "either enable KMS SSE or SQS SSE.");
  }
  if (!next.kms_master_key_id.empty() && next.sqs_managed_sse) {
    if (sse != attrs.end()) {
      return sqs_error(SqsErrorCode::kInvalidAttributeName,
                       "You can use one type of server-side encryption (SSE) at one time. You can "
                       "either enable KMS SSE or SQS SSE.");
    }
    next.sqs_managed_sse = false;
  }
  if (next.fifo && next.fifo_throughput_limit == "perMessageGroupId" &&
      next.dedup_scope != "messageGroup") {
    return sqs_error(SqsErrorCode::kInvalidAttributeValue,
                     "Invalid value for the parameter FifoThroughputLimit. Reason: The "
                     "perMessageGroupId value is allowed only when the value for "
                     "DeduplicationScope is messageGroup.");
  }
  return next;
}

std::map<std::string, std::string> settable_attribute_values(const QueueConfig& c) {
  std::map<std::string, std::string> v;
  v["DelaySeconds"] = std::to_string(c.delay_s);
  v["MaximumMessageSize"] = std::to_string(c.max_message_bytes);
  v["MessageRetentionPeriod"] = std::to_string(c.retention_s);
  v["ReceiveMessageWaitTimeSeconds"] = std::to_string(c.receive_wait_s);
  v["VisibilityTimeout"] = std::to_string(c.visibility_timeout_s);
  v["SqsManagedSseEnabled"] = bool_text(c.sqs_managed_sse);
  if (!c.policy.empty()) v["Policy"] = c.policy;
  if (!c.redrive_policy.empty()) v["RedrivePolicy"] = c.redrive_policy;
  if (!c.redrive_allow_policy.empty()) v["RedriveAllowPolicy"] = c.redrive_allow_policy;
  if (!c.kms_master_key_id.empty()) {
    v["KmsMasterKeyId"] = c.kms_master_key_id;
    v["KmsDataKeyReusePeriodSeconds"] = std::to_string(c.kms_reuse_s);
  }
  if (c.fifo) {
    v["FifoQueue"] = "true";
    v["ContentBasedDeduplication"] = bool_text(c.content_based_dedup);
    v["DeduplicationScope"] = c.dedup_scope;
    v["FifoThroughputLimit"] = c.fifo_throughput_limit;
  }
  return v;
}

SqsResult<std::vector<std::pair<std::string, std::string>>> render_queue_attributes(
    const Queue& q, const std::vector<std::string>& names) {
  const auto& known = all_attribute_names();
  bool all = false;
  for (const auto& n : names) {
    if (n == "All") {
      all = true;
    } else if (std::find(known.begin(), known.end(), n) == known.end()) {
      return unknown_attribute(n);
    }
  }
  std::vector<std::pair<std::string, std::string>> out;
  const std::vector<std::string>& wanted = all ? known : names;
  for (const auto& n : wanted) {
    bool seen = false;
    for (const auto& [k, v] : out) seen = seen || k == n;
    if (seen) continue;
    if (auto v = attribute_value(q, n)) out.emplace_back(n, *v);
  }
  return out;
}

}  // namespace slipway::sqs
