// AddPermission / RemovePermission: edit the queue's Policy attribute, one statement per label
// (spec §2.2).
#include <array>

#include "sqs/json_lite.h"
#include "sqs/message_checks.h"
#include "sqs/service_impl.h"

namespace slipway::sqs {

namespace {

constexpr size_t kMaxActionsPerStatement = 7;

bool valid_action(const std::string& a) {
  static const std::array<const char*, 12> kActions = {
      "*", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
      "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",
      "ListQueueTags", "ListMessageMoveTasks", "SetQueueAttributes"};
  for (const char* k : kActions) {
    if (a == k) return true;
  }
  return false;
}

// One string, or a list when there are several (as AWS renders Principal.AWS and Action).
json::Value one_or_list(const std::vector<std::string>& values) {
  if (values.size() == 1) return json::Value::string(values.front());
  json::Value list = json::Value::array();
  for (const auto& v : values) list.items.push_back(json::Value::string(v));
  return list;
}

json::Value load_policy(const Queue& q) {
  if (!q.cfg.policy.empty()) {
    if (auto doc = json::parse(q.cfg.policy); doc && doc->is_object()) {
      if (const json::Value* s = doc->find("Statement"); s != nullptr && s->is_array()) return *doc;
      doc->set("Statement", json::Value::array());
      return *doc;
    }
  }
  json::Value doc = json::Value::object();
  doc.set("Version", json::Value::string("2008-10-17"));
  doc.set("Id", json::Value::string(q.arn + "/SQSDefaultPolicy"));
  doc.set("Statement", json::Value::array());
  return doc;
}

bool has_label(const json::Value& statements, const std::string& label) {
  for (const auto& s : statements.items) {
    const json::Value* sid = s.find("Sid");
    if (sid != nullptr && sid->is_string() && sid->text == label) return true;
  }
  return false;
}

std::optional<SqsError> check_permission(const AddPermissionRequest& req) {
  if (!valid_batch_entry_id(req.label)) {
    return invalid_parameter("Label", req.label,
                             "Can only include alphanumeric characters, hyphens, or underscores. 1 "
                             "to 80 in length");
  }
  if (req.aws_account_ids.empty()) return missing_parameter("AWSAccountIds");
  if (req.actions.empty()) return missing_parameter("Actions");
  if (req.actions.size() > kMaxActionsPerStatement) {
    return sqs_error(SqsErrorCode::kOverLimit,
                     "Value " + std::to_string(req.actions.size()) +
                         " for parameter ActionName is invalid. Reason: Only 7 actions are allowed "
                         "per statement.");
  }
  for (const auto& a : req.actions) {
    if (!valid_action(a)) {
      return invalid_parameter("ActionName", a,
                               "Please refer to the appropriate WSDL for a list of valid actions.");
    }
  }
  return std::nullopt;
}

}  // namespace

SqsResult<EmptyResponse> SqsService::Impl::add_permission(const AddPermissionRequest& req) {
  auto found = find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  if (auto err = check_permission(req)) return *err;
  json::Value doc = load_policy(q);
  json::Value* statements = doc.find("Statement");
  if (has_label(*statements, req.label)) return invalid_parameter("Label", req.label, "Already exists.");
  std::vector<std::string> principals;
  for (const auto& a : req.aws_account_ids) principals.push_back("arn:aws:iam::" + a + ":root");
  std::vector<std::string> actions;
  for (const auto& a : req.actions) actions.push_back("SQS:" + a);
  json::Value principal = json::Value::object();
  principal.set("AWS", one_or_list(principals));
  json::Value statement = json::Value::object();
  statement.set("Sid", json::Value::string(req.label));
  statement.set("Effect", json::Value::string("Allow"));
  statement.set("Principal", std::move(principal));
  statement.set("Action", one_or_list(actions));
  statement.set("Resource", json::Value::string(q.arn));
  statements->items.push_back(std::move(statement));
  q.cfg.policy = json::dump(doc);
  persist_queue(q);
  return EmptyResponse{};
}

SqsResult<EmptyResponse> SqsService::Impl::remove_permission(const RemovePermissionRequest& req) {
  auto found = find_queue(req.queue);
  if (!found) return found.error();
  Queue& q = *found.value();
  json::Value doc = load_policy(q);
  json::Value* statements = doc.find("Statement");
  if (q.cfg.policy.empty() || !has_label(*statements, req.label)) {
    return invalid_parameter("Label", req.label, "can't find label.");
  }
  std::erase_if(statements->items, [&](const json::Value& s) {
    const json::Value* sid = s.find("Sid");
    return sid != nullptr && sid->is_string() && sid->text == req.label;
  });
  q.cfg.policy = statements->items.empty() ? std::string() : json::dump(doc);
  persist_queue(q);
  return EmptyResponse{};
}

}  // namespace slipway::sqs
