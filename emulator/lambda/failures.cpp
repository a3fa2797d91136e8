#include "lambda/failures.h"

#include <array>
#include <cstdio>

#include "lambda/logs.h"
#include "sqs/json_lite.h"

namespace slipway::lambda {

namespace {

// Go's syscall signal table for Linux (zerrors_linux_*.go), which is what AWS prints.
constexpr std::array<const char*, 32> kSignalNames{
    "",
    "hangup",
    "interrupt",
    "quit",
    "illegal instruction",
    "trace/breakpoint trap",
    "aborted",
    "bus error",
    "floating point exception",
    "killed",
    "user defined signal 1",
    "segmentation fault",
    "user defined signal 2",
    "broken pipe",
    "alarm clock",
    "terminated",
    "stack fault",
    "child exited",
    "continued",
    "stopped (signal)",
    "stopped",
    "stopped (tty input)",
    "stopped (tty output)",
    "urgent I/O condition",
    "CPU time limit exceeded",
    "file size limit exceeded",
    "virtual timer expired",
    "profiling timer expired",
    "window changed",
    "I/O possible",
    "power failure",
    "bad system call",
};

// `s` as a JSON string literal, escaped as Go's encoding/json does (minus its HTML escaping).
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string signal_description(int signal) {
  if (signal > 0 && static_cast<size_t>(signal) < kSignalNames.size()) return kSignalNames[signal];
  return "signal " + std::to_string(signal);
}

std::string exit_reason(int exit_status, int signal) {
  if (signal != 0) return "Runtime exited with error: signal: " + signal_description(signal);
  if (exit_status == 0) return "Runtime exited without providing a reason";
  return "Runtime exited with error: exit status " + std::to_string(exit_status);
}

std::string missing_bootstrap_reason(const std::vector<std::string>& searched) {
  std::string list;
  for (const auto& path : searched) {
    if (!list.empty()) list += ' ';
    list += path;
  }
  return "Couldn't find valid bootstrap(s): [" + list + "]";
}

std::string exec_failure_reason(std::string_view path, std::string_view error) {
  return "fork/exec " + std::string(path) + ": " + std::string(error);
}

std::string error_json(std::string_view type, std::string_view message) {
  return "{\"errorType\":" + json_string(type) + ",\"errorMessage\":" + json_string(message) + "}";
}

std::string platform_error_json(std::string_view type, std::string_view request_id,
                                std::string_view message) {
  return error_json(type, "RequestId: " + std::string(request_id) + " Error: " + std::string(message));
}

std::string timeout_message(core::TimeUs timeout_us) {
  return "Task timed out after " + format_seconds(timeout_us) + " seconds";
}

std::string response_too_large_json(int64_t limit_bytes) {
  return error_json(kResponseSizeTooLarge,
                    "Response payload size exceeded maximum allowed payload size (" +
                        std::to_string(limit_bytes) + " bytes).");
}

std::string reported_error_type(std::string_view header_type, std::string_view body,
                                std::string_view fallback) {
  if (auto doc = sqs::json::parse(body)) {
    const sqs::json::Value* type = doc->find("errorType");
    if (type != nullptr && type->is_string() && !type->text.empty()) return type->text;
  }
  return std::string(header_type.empty() ? fallback : header_type);
}

std::string reported_error_payload(std::string_view header_type, std::string_view body,
                                   std::string_view fallback) {
  if (!body.empty()) return std::string(body);
  return error_json(header_type.empty() ? fallback : header_type, "");
}

RuntimeReply reply_accepted() { return RuntimeReply{202, "", ""}; }

RuntimeReply reply_invalid_request_id() {
  return RuntimeReply{400, "InvalidRequestID", "Invalid request ID"};
}

RuntimeReply reply_invalid_transition(std::string_view from, std::string_view target) {
  return RuntimeReply{403, "InvalidStateTransition",
                      "State transition from " + std::string(from) + " to " + std::string(target) +
                          " failed for runtime. Error: State transition is not allowed"};
}

RuntimeReply reply_too_large(int64_t limit_bytes) {
  return RuntimeReply{413, "RequestEntityTooLarge",
                      "Exceeded maximum allowed payload size (" + std::to_string(limit_bytes) +
                          " bytes)."};
}

}  // namespace slipway::lambda
