// RedrivePolicy and RedriveAllowPolicy: small JSON documents inside queue attributes.
#include <algorithm>
#include <charconv>

#include "sqs/attributes.h"
#include "sqs/json_lite.h"
#include "sqs/message_checks.h"

namespace slipway::sqs {

namespace {

SqsError bad_redrive(const std::string& raw, const std::string& reason) {
  return invalid_parameter("RedrivePolicy", raw, reason);
}

// maxReceiveCount as a JSON integer or a numeric string; nullopt when neither.
std::optional<long long> receive_count_value(const json::Value& v) {
  if (!v.is_number() && !v.is_string()) return std::nullopt;
  long long n = 0;
  const std::string& t = v.text;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
  return n;
}

SqsError bad_allow_policy() {
  return sqs_error(SqsErrorCode::kInvalidAttributeValue,
                   "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't "
                   "create the redrive allow policy, as it's in an unsupported format.");
}

}  // namespace

bool redrive_allowed(const DlqInfo& dlq, const std::string& source_arn) {
  if (dlq.redrive_permission == "denyAll") return false;
  if (dlq.redrive_permission == "byQueue") {
    return std::find(dlq.source_arns.begin(), dlq.source_arns.end(), source_arn) !=
           dlq.source_arns.end();
  }
  return true;
}

std::optional<SqsError> parse_redrive_policy(const std::string& raw, QueueConfig& cfg,
                                             const core::SqsLimits& limits,
                                             const std::string& self_arn, const DlqLookup& lookup) {
  const auto doc = json::parse(raw);
  if (!doc || !doc->is_object()) return bad_redrive(raw, "Redrive policy is not a valid JSON map.");
  const json::Value* target = doc->find("deadLetterTargetArn");
  const json::Value* count = doc->find("maxReceiveCount");
  if (target == nullptr) {
    return invalid_parameter_plain("The required parameter 'deadLetterTargetArn' is missing");
  }
  if (count == nullptr) {
    return invalid_parameter_plain("The required parameter 'maxReceiveCount' is missing");
  }
  const auto n = receive_count_value(*count);
  if (!n || *n < limits.max_receive_count_min || *n > limits.max_receive_count_max) {
    return bad_redrive(raw, "Invalid value for maxReceiveCount: " + count->text +
                                ", valid values are from " +
                                std::to_string(limits.max_receive_count_min) + " to " +
                                std::to_string(limits.max_receive_count_max) + " both inclusive.");
  }
  if (!target->is_string()) return bad_redrive(raw, "Dead-letter target does not exist.");
  const auto dlq = lookup(target->text);
  if (!dlq) return bad_redrive(raw, "Dead-letter target does not exist.");
  if (dlq->fifo != cfg.fifo) {
    return bad_redrive(raw, "Dead-letter queue must be same type of queue as the source.");
  }
  if (!redrive_allowed(*dlq, self_arn)) {
    return bad_redrive(raw, "Queue " + target->text +
                                " does not allow this queue to use it as a dead-letter queue.");
  }
  cfg.dlq_target_arn = target->text;
  cfg.max_receive_count = static_cast<int>(*n);
  json::Value norm = json::Value::object();
  norm.set("deadLetterTargetArn", json::Value::string(cfg.dlq_target_arn));
  norm.set("maxReceiveCount", json::Value::number(*n));
  cfg.redrive_policy = json::dump(norm);
  return std::nullopt;
}

std::optional<SqsError> parse_redrive_allow_policy(const std::string& raw, QueueConfig& cfg) {
  const auto doc = json::parse(raw);
  if (!doc || !doc->is_object()) return bad_allow_policy();
  const json::Value* perm = doc->find("redrivePermission");
  const json::Value* sources = doc->find("sourceQueueArns");
  if (perm == nullptr || !perm->is_string()) return bad_allow_policy();
  const std::string& p = perm->text;
  if (p != "allowAll" && p != "denyAll" && p != "byQueue") return bad_allow_policy();
  std::vector<std::string> arns;
  if (p == "byQueue") {
    if (sources == nullptr || !sources->is_array() || sources->items.empty() ||
        sources->items.size() > 10) {
      return bad_allow_policy();
    }
    for (const auto& item : sources->items) {
      if (!item.is_string()) return bad_allow_policy();
      arns.push_back(item.text);
    }
  } else if (sources != nullptr) {
    return bad_allow_policy();
  }
  json::Value norm = json::Value::object();
  norm.set("redrivePermission", json::Value::string(p));
  if (p == "byQueue") {
    json::Value list = json::Value::array();
    for (const auto& a : arns) list.items.push_back(json::Value::string(a));
    norm.set("sourceQueueArns", std::move(list));
  }
  cfg.redrive_permission = p;
  cfg.redrive_source_arns = std::move(arns);
  cfg.redrive_allow_policy = json::dump(norm);
  return std::nullopt;
}

}  // namespace slipway::sqs
