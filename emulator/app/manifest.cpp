// The manifest loader's entry points, the section order, Settings, references and Queues.
// Functions and EventSourceMappings are in manifest_lambda.cpp, Buckets in manifest_s3.cpp,
// the JSON helpers in manifest_json.cpp and the state writer in manifest_state.cpp.
#include "app/manifest.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "app/manifest_internal.h"

namespace slipway::app {

namespace manifest_detail {
namespace {

// Not an AWS limit (AWS raises the pool on request): a guard against a typo'd extra digit.
constexpr int kConcurrentExecutionsMax = 100000;

// Reads a whole file; returns strerror on failure.
std::optional<std::string> read_file(const std::string& path, std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return std::strerror(errno);
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  const int error = std::ferror(f) ? errno : 0;  // a directory opens, then fails with EISDIR
  std::fclose(f);
  if (error != 0) return std::strerror(error);
  return std::nullopt;
}

}  // namespace

void Builder::build(const Json& root) {
  if (!check_.expect_object(root, "")) return;
  check_.check_keys(root, "",
                    {"Settings", "Functions", "Queues", "Buckets", "EventSourceMappings"});
  if (const Json* s = member(root, "Settings")) settings(*s);
  declare(root, "Functions", function_names_, functions_listed_);
  declare(root, "Queues", queue_names_, queues_listed_);
  if (for_each_entry(root, "Queues", &Builder::queue)) check_dead_letter_queues();
  if (for_each_entry(root, "Functions", &Builder::function)) check_reservations();
  for_each_entry(root, "Buckets", &Builder::bucket);
  mappings(root);
}

bool Builder::for_each_entry(const Json& root, std::string_view section, Handler handler) {
  const Json* v = member(root, section);
  const std::string path(section);
  if (v == nullptr) return true;
  if (!check_.expect_object(*v, path)) return false;
  for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
    if (check_.is_repeat(*v, it, path)) continue;
    const std::string name = as_text(it->name);
    (this->*handler)(name, it->value, child_path(path, name));
  }
  return true;
}

void Builder::declare(const Json& root, std::string_view section, std::set<std::string>& names,
                      bool& listed) {
  const Json* v = member(root, section);
  if (v == nullptr) return;
  listed = v->IsObject();
  if (!listed) return;
  for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) names.insert(as_text(it->name));
}

// ---- Settings ----

void Builder::settings(const Json& v) {
  const std::string path = "Settings";
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(
      v, path,
      {"Region", "AccountId", "ConcurrentExecutions", "LimitsProfile", "AllowLargeMemory"});
  Settings& s = m_.settings;
  if (check_.read_string(v, path, "LimitsProfile", s.limits_profile)) {
    if (s.limits_profile == "classic") {
      m_.limits = core::LimitsProfile::classic();
    } else if (s.limits_profile != "aws") {
      check_.problem(child_path(path, "LimitsProfile"),
                     in_quotes(s.limits_profile) +
                         " is not a limits profile: expected \"aws\" or \"classic\"");
    }
  }
  if (check_.read_bool(v, path, "AllowLargeMemory", s.allow_large_memory) && s.allow_large_memory) {
    m_.limits.lambda.memory_mb_max = core::kLambdaMemoryMbCurrentMax;
  }
  s.concurrent_executions = m_.limits.lambda.account_concurrency_default;
  const Range pool{m_.limits.lambda.unreserved_concurrency_min, kConcurrentExecutionsMax, ""};
  pool_ok_ = check_.read_int(v, path, "ConcurrentExecutions", pool, s.concurrent_executions);
  m_.limits.lambda.account_concurrency_default = s.concurrent_executions;
  region_ok_ = check_.read_string(v, path, "Region", s.region);
  if (region_ok_ && !is_region(s.region)) {
    region_ok_ = false;
    check_.problem(child_path(path, "Region"),
                   in_quotes(s.region) + " is not a region: expected a name like us-east-1");
  }
  account_ok_ = check_.read_string(v, path, "AccountId", s.account_id);
  if (account_ok_ && !is_account_id(s.account_id)) {
    account_ok_ = false;
    check_.problem(child_path(path, "AccountId"),
                   in_quotes(s.account_id) + " is not an account ID: expected exactly 12 digits");
  }
}

// ---- References ----

std::string Builder::queue_ref_format() const {
  return "expected a queue name or an SQS queue ARN (" + queue_arn(m_.settings, "<name>") + ")";
}

std::string Builder::function_ref_format() const {
  return "expected a function name or a Lambda function ARN (" +
         function_arn(m_.settings, "<name>") + ")";
}

std::optional<std::string> Builder::arn_name(const Arn& arn, const std::string& path) {
  bool ok = true;
  if (region_ok_ && arn.region != m_.settings.region) {
    check_.problem(path, "the ARN's region " + in_quotes(arn.region) +
                             " is not this manifest's: expected " + m_.settings.region +
                             " (Settings.Region)");
    ok = false;
  }
  if (account_ok_ && arn.account != m_.settings.account_id) {
    check_.problem(path, "the ARN's account " + in_quotes(arn.account) +
                             " is not this manifest's: expected " + m_.settings.account_id +
                             " (Settings.AccountId)");
    ok = false;
  }
  if (!ok) return std::nullopt;
  if (arn.service == "sqs") return arn.resource;
  return arn.resource.substr(std::string_view("function:").size());
}

std::optional<std::string> Builder::existing(const std::string& name, const std::string& path,
                                             bool queue) {
  const auto& names = queue ? queue_names_ : function_names_;
  // When the section itself is malformed its names are unknown; that problem is reported once.
  if (names.contains(name) || !(queue ? queues_listed_ : functions_listed_)) return name;
  check_.problem(path, "no " + std::string(queue ? "queue" : "function") + " named " +
                           in_quotes(name) + " in this manifest's " +
                           (queue ? "Queues" : "Functions"));
  return std::nullopt;
}

std::optional<std::string> Builder::queue_ref(const Json& v, const std::string& path) {
  auto text = check_.string(v, path);
  if (!text) return std::nullopt;
  if (!text->starts_with("arn:")) return existing(*text, path, true);
  auto arn = parse_arn(*text);
  if (!arn || arn->service != "sqs" || arn->resource.find(':') != std::string::npos) {
    check_.problem(path, in_quotes(*text) + " is not an SQS queue ARN: " + queue_ref_format());
    return std::nullopt;
  }
  auto name = arn_name(*arn, path);
  return name ? existing(*name, path, true) : std::nullopt;
}

std::optional<std::string> Builder::function_ref(const Json& v, const std::string& path) {
  auto text = check_.string(v, path);
  if (!text) return std::nullopt;
  if (!text->starts_with("arn:")) return existing(*text, path, false);
  auto arn = parse_arn(*text);
  // A qualifier (":alias", ":3") would follow the name; versions and aliases are not emulated.
  if (!arn || arn->service != "lambda" || !arn->resource.starts_with("function:") ||
      arn->resource.find(':', 9) != std::string::npos) {
    check_.problem(path,
                   in_quotes(*text) + " is not a Lambda function ARN: " + function_ref_format());
    return std::nullopt;
  }
  auto name = arn_name(*arn, path);
  return name ? existing(*name, path, false) : std::nullopt;
}

const QueueSpec* Builder::find_queue(const std::string& name) const {
  auto it = std::find_if(m_.queues.begin(), m_.queues.end(),
                         [&](const QueueSpec& q) { return q.name == name; });
  return it == m_.queues.end() ? nullptr : &*it;
}

const FunctionSpec* Builder::find_function(const std::string& name) const {
  auto it = std::find_if(m_.functions.begin(), m_.functions.end(),
                         [&](const FunctionSpec& f) { return f.name == name; });
  return it == m_.functions.end() ? nullptr : &*it;
}

// ---- Queues (CloudFormation AWS::SQS::Queue property names) ----

void Builder::queue(const std::string& name, const Json& v, const std::string& path) {
  const std::size_t before = check_.count();
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path,
                    {"FifoQueue", "ContentBasedDeduplication", "VisibilityTimeout",
                     "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize",
                     "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "Tags"});
  const core::SqsLimits& sqs = m_.limits.sqs;
  QueueSpec q;
  q.name = name;
  q.visibility_timeout_s = sqs.visibility_timeout_s_default;
  q.message_retention_s = sqs.retention_s_default;
  q.delay_s = sqs.delay_s_default;
  q.maximum_message_bytes = sqs.message_bytes_max;
  q.receive_wait_s = sqs.receive_wait_s_default;
  const bool fifo_ok = check_.read_bool(v, path, "FifoQueue", q.fifo);
  queue_name(v, path, q, fifo_ok);
  check_.read_bool(v, path, "ContentBasedDeduplication", q.content_based_deduplication);
  check_.read_int(v, path, "VisibilityTimeout",
                  {sqs.visibility_timeout_s_min, sqs.visibility_timeout_s_max, "seconds"},
                  q.visibility_timeout_s);
  check_.read_int(v, path, "MessageRetentionPeriod",
                  {sqs.retention_s_min, sqs.retention_s_max, "seconds"}, q.message_retention_s);
  check_.read_int(v, path, "DelaySeconds", {sqs.delay_s_min, sqs.delay_s_max, "seconds"},
                  q.delay_s);
  check_.read_int(v, path, "MaximumMessageSize",
                  {sqs.message_bytes_min, sqs.message_bytes_max, "bytes"}, q.maximum_message_bytes);
  check_.read_int(v, path, "ReceiveMessageWaitTimeSeconds",
                  {sqs.receive_wait_s_min, sqs.receive_wait_s_max, "seconds"}, q.receive_wait_s);
  if (const Json* r = member(v, "RedrivePolicy")) {
    redrive_policy(*r, child_path(path, "RedrivePolicy"), q);
  }
  if (const Json* t = member(v, "Tags")) tags(*t, child_path(path, "Tags"), q);
  if (check_.count() == before) m_.queues.push_back(std::move(q));
}

void Builder::queue_name(const Json& v, const std::string& path, QueueSpec& q, bool fifo_ok) {
  const int chars_max = m_.limits.sqs.queue_name_chars_max;
  if (!is_queue_name(q.name, chars_max)) {
    check_.problem(path, "invalid queue name: expected 1 to " + std::to_string(chars_max) +
                             " characters of letters, digits, '-' and '_' (a FIFO queue's name "
                             "ends in .fifo, counted in the " +
                             std::to_string(chars_max) + ")");
    return;
  }
  if (!fifo_ok) return;  // FifoQueue itself is wrong; checks against it would only echo that
  const bool fifo_name = q.name.ends_with(".fifo");
  if (fifo_name && !q.fifo) {
    check_.problem(path, "the name ends in .fifo, so the queue must set FifoQueue: true");
  } else if (!fifo_name && q.fifo) {
    check_.problem(child_path(path, "FifoQueue"),
                   "a FIFO queue's name must end in .fifo: rename it to " + q.name + ".fifo");
  }
  if (member(v, "ContentBasedDeduplication") != nullptr && !q.fifo && !fifo_name) {
    check_.problem(child_path(path, "ContentBasedDeduplication"),
                   "only a FIFO queue (FifoQueue: true) may set ContentBasedDeduplication");
  }
}

void Builder::redrive_policy(const Json& v, const std::string& path, QueueSpec& q) {
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path, {"deadLetterTargetArn", "maxReceiveCount"});
  const core::SqsLimits& sqs = m_.limits.sqs;
  RedrivePolicySpec policy;
  const Json* target = check_.required(v, path, "deadLetterTargetArn");
  const bool count_ok = check_.required(v, path, "maxReceiveCount") != nullptr &&
                        check_.read_int(v, path, "maxReceiveCount",
                                        {sqs.max_receive_count_min, sqs.max_receive_count_max, ""},
                                        policy.max_receive_count);
  if (target == nullptr) return;
  const std::string target_path = child_path(path, "deadLetterTargetArn");
  auto dlq = queue_ref(*target, target_path);
  if (dlq && *dlq == q.name) {
    check_.problem(target_path, "a queue cannot be its own dead-letter queue");
  } else if (dlq && count_ok) {
    policy.dead_letter_queue = *dlq;
    q.redrive_policy = policy;
  }
}

void Builder::tags(const Json& v, const std::string& path, QueueSpec& q) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (check_.is_repeat(v, it, path)) continue;
      const std::string key = as_text(it->name);
      tag(key, it->value, child_path(path, key), q);
    }
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) tag_entry(v[i], index_path(path, i), q);
  } else {
    check_.problem(path,
                   "expected an object of tag keys to values, or an array of "
                   "{\"Key\": ..., \"Value\": ...} objects, got " +
                       describe(v));
  }
  const int tags_max = m_.limits.sqs.tags_per_queue_max;
  if (q.tags.size() > static_cast<std::size_t>(tags_max)) {
    check_.problem(path, std::to_string(q.tags.size()) + " tags: a queue may have at most " +
                             std::to_string(tags_max));
  }
}

// One CloudFormation-style tag: {"Key": ..., "Value": ...}.
void Builder::tag_entry(const Json& v, const std::string& path, QueueSpec& q) {
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path, {"Key", "Value"});
  const Json* key = check_.required(v, path, "Key");
  const Json* value = check_.required(v, path, "Value");
  if (key == nullptr || value == nullptr) return;
  auto k = check_.string(*key, child_path(path, "Key"));
  if (!k) return;
  if (q.tags.contains(*k)) {
    check_.problem(child_path(path, "Key"), "duplicate tag key " + in_quotes(*k));
    return;
  }
  tag(*k, *value, child_path(path, "Value"), q);
}

void Builder::tag(const std::string& key, const Json& v, const std::string& path, QueueSpec& q) {
  if (key.empty()) {
    check_.problem(path, "a tag key must not be empty");
    return;
  }
  if (auto value = check_.string(v, path)) q.tags[key] = *value;
}

void Builder::check_dead_letter_queues() {
  for (const QueueSpec& q : m_.queues) {
    if (!q.redrive_policy) continue;
    const QueueSpec* dlq = find_queue(q.redrive_policy->dead_letter_queue);
    if (dlq == nullptr || dlq->fifo == q.fifo) continue;  // absent: it has its own problems
    check_.problem("Queues." + q.name + ".RedrivePolicy.deadLetterTargetArn",
                   q.fifo ? "the dead-letter queue of a FIFO queue must also be a FIFO queue; " +
                                in_quotes(dlq->name) + " is a standard queue"
                          : "the dead-letter queue of a standard queue must also be a standard "
                            "queue; " +
                                in_quotes(dlq->name) + " is a FIFO queue");
  }
}

}  // namespace manifest_detail

ManifestResult parse_manifest(const std::string& text, const std::string& file_label,
                              const std::string& base_dir) {
  Manifest m;
  m.path = file_label;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return m;  // a bare daemon
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    return ManifestProblems{manifest_detail::parse_error_problem(
        file_label, text, doc.GetParseError(), doc.GetErrorOffset())};
  }
  manifest_detail::Checker check(file_label);
  manifest_detail::Builder(check, m, base_dir).build(doc);
  if (check.count() > 0) return check.take();
  return m;
}

ManifestResult load_manifest(const std::string& path) {
  std::string text;
  if (auto error = manifest_detail::read_file(path, text)) {
    return ManifestProblems{path + ": cannot read: " + *error};
  }
  std::filesystem::path base_dir = std::filesystem::path(path).parent_path();
  if (base_dir.empty()) base_dir = ".";
  return parse_manifest(text, path, base_dir.string());
}

}  // namespace slipway::app
