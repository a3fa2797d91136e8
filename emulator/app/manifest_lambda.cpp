// The manifest loader's Lambda sections: Functions (with reservations and destinations) and
// EventSourceMappings. See manifest_internal.h for the order the sections run in.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "app/manifest_internal.h"

namespace slipway::app::manifest_detail {
namespace {

// Lambda sets these itself; AWS refuses a function configuration that sets any of them.
constexpr std::string_view kReservedEnvKeys[] = {"_HANDLER",
                                                 "_X_AMZN_TRACE_ID",
                                                 "AWS_DEFAULT_REGION",
                                                 "AWS_REGION",
                                                 "AWS_EXECUTION_ENV",
                                                 "AWS_LAMBDA_FUNCTION_NAME",
                                                 "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                                 "AWS_LAMBDA_FUNCTION_VERSION",
                                                 "AWS_LAMBDA_INITIALIZATION_TYPE",
                                                 "AWS_LAMBDA_LOG_GROUP_NAME",
                                                 "AWS_LAMBDA_LOG_STREAM_NAME",
                                                 "AWS_ACCESS_KEY",
                                                 "AWS_ACCESS_KEY_ID",
                                                 "AWS_SECRET_ACCESS_KEY",
                                                 "AWS_SESSION_TOKEN",
                                                 "AWS_LAMBDA_RUNTIME_API",
                                                 "LAMBDA_TASK_ROOT",
                                                 "LAMBDA_RUNTIME_DIR"};

bool is_reserved_env_key(std::string_view key) {
  return std::find(std::begin(kReservedEnvKeys), std::end(kReservedEnvKeys), key) !=
         std::end(kReservedEnvKeys);
}

}  // namespace

// ---- Functions ----

void Builder::function(const std::string& name, const Json& v, const std::string& path) {
  const std::size_t before = check_.count();
  if (!is_function_name(name)) {
    check_.problem(path,
                   "invalid function name: expected 1 to 64 characters of letters, "
                   "digits, '-' and '_'");
  }
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path,
                    {"Handler", "CodeUri", "Command", "MemorySize", "Timeout",
                     "ReservedConcurrentExecutions", "Environment", "EventInvokeConfig"});
  const core::LambdaLimits& lambda = m_.limits.lambda;
  FunctionSpec f;
  f.name = name;
  f.memory_mb = lambda.memory_mb_default;
  f.timeout_s = lambda.timeout_s_default;
  f.event_invoke.maximum_retry_attempts = lambda.async_max_retry_attempts_max;
  f.event_invoke.maximum_event_age_s = lambda.async_max_event_age_s_max;
  check_.read_string(v, path, "Handler", f.handler);
  code(v, path, f);
  memory(v, path, f);
  check_.read_int(v, path, "Timeout", {lambda.timeout_s_min, lambda.timeout_s_max, "seconds"},
                  f.timeout_s);
  check_.read_int(v, path, "ReservedConcurrentExecutions", Range{0, kNoMax, ""},
                  f.reserved_concurrency);
  if (const Json* e = member(v, "Environment")) {
    environment(*e, child_path(path, "Environment"), f);
  }
  if (const Json* c = member(v, "EventInvokeConfig")) {
    event_invoke_config(*c, child_path(path, "EventInvokeConfig"), f);
  }
  if (check_.count() == before) m_.functions.push_back(std::move(f));
}

void Builder::code(const Json& v, const std::string& path, FunctionSpec& f) {
  const Json* uri = member(v, "CodeUri");
  const Json* cmd = member(v, "Command");
  // CodeUri is the task root; Command, when given, starts the runtime instead of its bootstrap
  // (the task root then defaults to the manifest's folder).
  if (uri != nullptr) code_uri(*uri, child_path(path, "CodeUri"), f);
  if (cmd != nullptr) command(*cmd, child_path(path, "Command"), f);
  if (uri == nullptr && cmd == nullptr) {
    check_.problem(path,
                   "missing CodeUri or Command: expected a folder holding an executable bootstrap, "
                   "a command line as an array of strings, or both (Command run in CodeUri)");
  } else if (uri == nullptr) {
    f.code_uri = base_dir_.lexically_normal().string();
  }
}

// Resolved to an absolute, normalized path now, so the daemon's working directory never
// matters later. Existence is not checked: as on AWS, a missing bootstrap fails the invoke.
void Builder::code_uri(const Json& v, const std::string& path, FunctionSpec& f) {
  auto uri = check_.string(v, path);
  if (!uri) return;
  if (uri->empty() || uri->find("://") != std::string::npos) {
    check_.problem(path,
                   "expected a local folder path (absolute, or relative to the manifest's "
                   "folder), got " +
                       in_quotes(*uri));
    return;
  }
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(base_dir_ / *uri, ec);
  if (ec) {
    check_.problem(path, "cannot resolve " + in_quotes(*uri) + ": " + ec.message());
    return;
  }
  p = p.lexically_normal();
  if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();  // drop a trailing '/'
  f.code_uri = p.string();
}

void Builder::command(const Json& v, const std::string& path, FunctionSpec& f) {
  if (!check_.expect_array(v, path)) return;
  if (v.Empty()) {
    check_.problem(path, "expected a non-empty array: the program, then its arguments");
  }
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const std::string arg_path = index_path(path, i);
    auto arg = check_.string(v[i], arg_path);
    if (arg && arg->empty()) check_.problem(arg_path, "expected a non-empty string");
    if (arg && !arg->empty()) f.command.push_back(*arg);
  }
}

void Builder::memory(const Json& v, const std::string& path, FunctionSpec& f) {
  const Json* mb = member(v, "MemorySize");
  if (mb == nullptr) return;
  const std::string mb_path = child_path(path, "MemorySize");
  const core::LambdaLimits& lambda = m_.limits.lambda;
  const Range range{lambda.memory_mb_min, lambda.memory_mb_max, "MB"};
  // Between the classic ceiling and AWS's current one: valid on AWS once opted in.
  if (mb->IsInt64() && mb->GetInt64() > lambda.memory_mb_max &&
      mb->GetInt64() <= core::kLambdaMemoryMbCurrentMax) {
    check_.problem(mb_path, range_message(std::to_string(mb->GetInt64()), range) +
                                "; AWS now allows up to " +
                                std::to_string(core::kLambdaMemoryMbCurrentMax) +
                                " MB: set Settings.AllowLargeMemory to true to use it");
    return;
  }
  if (auto n = check_.integer(*mb, mb_path, range)) f.memory_mb = *n;
}

void Builder::environment(const Json& v, const std::string& path, FunctionSpec& f) {
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path, {"Variables"});
  if (const Json* vars = member(v, "Variables")) variables(*vars, child_path(path, "Variables"), f);
}

void Builder::variables(const Json& v, const std::string& path, FunctionSpec& f) {
  if (!check_.expect_object(v, path)) return;
  std::size_t total_bytes = 0;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (check_.is_repeat(v, it, path)) continue;
    const std::string key = as_text(it->name);
    const std::string key_path = child_path(path, key);
    if (is_reserved_env_key(key)) {  // AWS's wording (InvalidParameterValueException)
      check_.problem(key_path,
                     "Lambda was unable to configure your environment variables "
                     "because the environment variables you have provided contains "
                     "reserved keys that are currently not supported for "
                     "modification. Reserved keys used in this request: " +
                         key);
    } else if (!is_env_key(key)) {
      check_.problem(key_path, in_quotes(key) +
                                   " is not a valid environment variable name: "
                                   "expected a letter, then one or more letters, digits or '_'");
    } else if (auto value = check_.string(it->value, key_path)) {
      total_bytes += key.size() + value->size();
      f.environment[key] = *value;
    }
  }
  const int bytes_max = m_.limits.lambda.env_vars_total_bytes_max;
  if (total_bytes > static_cast<std::size_t>(bytes_max)) {
    check_.problem(path,
                   "Lambda was unable to configure your environment variables because the "
                   "environment variables you have provided exceeded the " +
                       std::to_string(bytes_max / 1024) +
                       "KB limit. (Keys and values "
                       "total " +
                       std::to_string(total_bytes) + " bytes; at most " +
                       std::to_string(bytes_max) + ".)");
  }
}

void Builder::event_invoke_config(const Json& v, const std::string& path, FunctionSpec& f) {
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path,
                    {"MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig"});
  const core::LambdaLimits& lambda = m_.limits.lambda;
  EventInvokeConfig& c = f.event_invoke;
  check_.read_int(v, path, "MaximumRetryAttempts", {0, lambda.async_max_retry_attempts_max, ""},
                  c.maximum_retry_attempts);
  check_.read_int(v, path, "MaximumEventAgeInSeconds",
                  {lambda.async_max_event_age_s_min, lambda.async_max_event_age_s_max, "seconds"},
                  c.maximum_event_age_s);
  const Json* dc = member(v, "DestinationConfig");
  const std::string dc_path = child_path(path, "DestinationConfig");
  if (dc == nullptr || !check_.expect_object(*dc, dc_path)) return;
  check_.check_keys(*dc, dc_path, {"OnSuccess", "OnFailure"});
  for (auto [key, out] : {std::pair{"OnSuccess", &c.on_success}, {"OnFailure", &c.on_failure}}) {
    const Json* d = member(*dc, key);
    const std::string d_path = child_path(dc_path, key);
    if (d == nullptr || !check_.expect_object(*d, d_path)) continue;
    check_.check_keys(*d, d_path, {"Destination"});
    if (const Json* target = check_.required(*d, d_path, "Destination")) {
      *out = destination(*target, child_path(d_path, "Destination"));
    }
  }
}

// An async-invoke destination: a queue or function ARN, or a name that is unambiguous.
std::optional<Destination> Builder::destination(const Json& v, const std::string& path) {
  auto text = check_.string(v, path);
  if (!text) return std::nullopt;
  auto arn = text->starts_with("arn:") ? parse_arn(*text) : std::nullopt;
  if (arn && arn->service == "sqs") {
    auto q = queue_ref(v, path);
    return q ? std::optional(Destination{"queue", *q}) : std::nullopt;
  }
  if (arn && arn->service == "lambda") {
    auto fn = function_ref(v, path);
    return fn ? std::optional(Destination{"function", *fn}) : std::nullopt;
  }
  const bool queue = queue_names_.contains(*text);
  const bool function = function_names_.contains(*text);
  if (queue && function) {
    check_.problem(path, in_quotes(*text) + " names both a queue and a function: use its ARN");
  } else if (queue || function) {
    return Destination{queue ? "queue" : "function", *text};
  } else if (queues_listed_ && functions_listed_) {
    check_.problem(path, "no queue or function named " + in_quotes(*text) + " in this manifest: " +
                             "expected a name in Queues or Functions, or an ARN (" +
                             queue_arn(m_.settings, "<name>") + " or " +
                             function_arn(m_.settings, "<name>") + ")");
  }
  return std::nullopt;
}

// AWS applies PutFunctionConcurrency one function at a time (here in manifest order); a
// refused one reserves nothing, so each function over the line gets its own problem.
void Builder::check_reservations() {
  if (!pool_ok_) return;
  const int pool = m_.settings.concurrent_executions;
  const int unreserved_min = m_.limits.lambda.unreserved_concurrency_min;
  int64_t reserved = 0;
  for (const FunctionSpec& f : m_.functions) {
    if (!f.reserved_concurrency) continue;
    if (pool - (reserved + *f.reserved_concurrency) >= unreserved_min) {
      reserved += *f.reserved_concurrency;
      continue;
    }
    check_.problem("Functions." + f.name + ".ReservedConcurrentExecutions",
                   "Specified ReservedConcurrentExecutions for function decreases account's "
                   "UnreservedConcurrentExecution below its minimum value of [" +
                       std::to_string(unreserved_min) + "]. (Settings.ConcurrentExecutions is " +
                       std::to_string(pool) + " and functions before this one reserve " +
                       std::to_string(reserved) + ", so at most " +
                       std::to_string(std::max<int64_t>(0, pool - unreserved_min - reserved)) +
                       " can be reserved here.)");
  }
}

// ---- EventSourceMappings (SQS only) ----

void Builder::mappings(const Json& root) {
  const Json* v = member(root, "EventSourceMappings");
  const std::string path = "EventSourceMappings";
  if (v == nullptr || !check_.expect_array(*v, path)) return;
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) mapping((*v)[i], index_path(path, i));
}

void Builder::mapping(const Json& v, const std::string& path) {
  const std::size_t before = check_.count();
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(
      v, path,
      {"FunctionName", "EventSourceArn", "BatchSize", "MaximumBatchingWindowInSeconds", "Enabled",
       "FunctionResponseTypes", "ScalingConfig"});
  EventSourceMappingSpec e;
  e.batch_size = m_.limits.esm.batch_size_default;
  if (const Json* fn = check_.required(v, path, "FunctionName")) {
    if (auto name = function_ref(*fn, child_path(path, "FunctionName"))) e.function_name = *name;
  }
  if (const Json* source = check_.required(v, path, "EventSourceArn")) {
    if (auto name = queue_ref(*source, child_path(path, "EventSourceArn"))) e.queue_name = *name;
  }
  mapping_options(v, path, e);
  if (check_.count() != before) return;
  check_mapping(v, path, e);
  m_.event_source_mappings.push_back(std::move(e));
}

void Builder::mapping_options(const Json& v, const std::string& path, EventSourceMappingSpec& e) {
  const core::EventSourceMappingLimits& esm = m_.limits.esm;
  check_.read_int(v, path, "BatchSize", {esm.batch_size_min, esm.batch_size_max_standard, ""},
                  e.batch_size);
  check_.read_int(v, path, "MaximumBatchingWindowInSeconds",
                  {0, esm.batching_window_s_max, "seconds"}, e.maximum_batching_window_s);
  check_.read_bool(v, path, "Enabled", e.enabled);
  const std::string types_path = child_path(path, "FunctionResponseTypes");
  const Json* types = member(v, "FunctionResponseTypes");
  if (types != nullptr && check_.expect_array(*types, types_path)) {
    for (rapidjson::SizeType i = 0; i < types->Size(); ++i) {
      auto type = check_.string((*types)[i], index_path(types_path, i));
      if (type && *type == "ReportBatchItemFailures")
        e.report_batch_item_failures = true;
      else if (type) {
        check_.problem(
            index_path(types_path, i),
            in_quotes(*type) + " is not a response type: expected \"ReportBatchItemFailures\"");
      }
    }
  }
  const std::string scaling_path = child_path(path, "ScalingConfig");
  const Json* scaling = member(v, "ScalingConfig");
  if (scaling != nullptr && check_.expect_object(*scaling, scaling_path)) {
    check_.check_keys(*scaling, scaling_path, {"MaximumConcurrency"});
    check_.read_int(*scaling, scaling_path, "MaximumConcurrency",
                    {esm.maximum_concurrency_min, esm.maximum_concurrency_max, ""},
                    e.maximum_concurrency);
  }
}

// Checks that need the queue's and function's properties; either may be absent if it had
// problems of its own.
void Builder::check_mapping(const Json& v, const std::string& path,
                            const EventSourceMappingSpec& e) {
  const core::EventSourceMappingLimits& esm = m_.limits.esm;
  const int receive_max = m_.limits.sqs.receive_messages_max;  // one ReceiveMessage's worth
  const QueueSpec* q = find_queue(e.queue_name);
  const FunctionSpec* f = find_function(e.function_name);
  if (q != nullptr && q->fifo) {
    if (e.batch_size > esm.batch_size_max_fifo) {
      check_.problem(
          child_path(path, "BatchSize"),
          range_message(std::to_string(e.batch_size),
                        {esm.batch_size_min, esm.batch_size_max_fifo, "for a FIFO queue"}));
    }
    if (member(v, "MaximumBatchingWindowInSeconds") != nullptr) {
      check_.problem(child_path(path, "MaximumBatchingWindowInSeconds"),
                     "batching windows are not supported for FIFO queues: remove it");
    }
  } else if (e.batch_size > receive_max && e.maximum_batching_window_s < 1) {
    check_.problem(child_path(path, "BatchSize"),  // AWS's wording
                   "Maximum batch window in seconds must be greater than 0 if maximum batch "
                   "size is greater than " +
                       std::to_string(receive_max));
  }
  if (q != nullptr && f != nullptr && q->visibility_timeout_s < f->timeout_s) {
    check_.problem(child_path(path, "EventSourceArn"),  // AWS's wording
                   "Queue visibility timeout: " + std::to_string(q->visibility_timeout_s) +
                       " seconds is less than Function timeout: " + std::to_string(f->timeout_s) +
                       " seconds");
  }
  for (std::size_t i = 0; i < m_.event_source_mappings.size(); ++i) {
    const EventSourceMappingSpec& other = m_.event_source_mappings[i];
    if (other.queue_name != e.queue_name || other.function_name != e.function_name) continue;
    check_.problem(path, "a mapping from queue " + in_quotes(e.queue_name) + " to function " +
                             in_quotes(e.function_name) + " already exists");
  }
}

}  // namespace slipway::app::manifest_detail
