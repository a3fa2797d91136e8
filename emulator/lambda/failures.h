// How Lambda words a failed invocation: the error JSON the caller gets (with
// X-Amz-Function-Error: Unhandled) and the Runtime API's error replies. Pure text functions, in
// AWS's exact words (spec/lambda.md §1.3, §1.4, §3.4), so the service and the adapter agree.
//
//   crash      {"errorType":"Runtime.ExitError","errorMessage":"RequestId: <id> Error: Runtime exited with error: exit status 2"}
//              ... "signal: killed" (Go's signal names, as AWS prints them), or
//              ... "Runtime exited without providing a reason" (exit status 0)
//   timeout    {"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after 3.00 seconds"}
//   no entry   {"errorType":"Runtime.InvalidEntrypoint","errorMessage":"RequestId: <id> Error: Couldn't find valid bootstrap(s): [/path/bootstrap]"}
//   too large  {"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes)."}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "lambda/api.h"

namespace slipway::lambda {

inline constexpr const char* kErrorUnhandled = "Unhandled";
inline constexpr const char* kExitError = "Runtime.ExitError";
inline constexpr const char* kOutOfMemory = "Runtime.OutOfMemory";
inline constexpr const char* kInvalidEntrypoint = "Runtime.InvalidEntrypoint";
inline constexpr const char* kTimedOut = "Sandbox.Timedout";
inline constexpr const char* kResponseSizeTooLarge = "Function.ResponseSizeTooLarge";
inline constexpr const char* kRuntimeUnknown = "Runtime.Unknown";

// Go's description of a Linux signal (syscall.Signal.String()): 9 "killed", 6 "aborted",
// 11 "segmentation fault", 15 "terminated"; "signal N" for one it does not name.
std::string signal_description(int signal);
// Why the runtime went away, as AWS words it: "Runtime exited with error: exit status 2",
// "Runtime exited with error: signal: killed", or "Runtime exited without providing a reason".
// `exit_status` is -1 when the process was signalled.
std::string exit_reason(int exit_status, int signal);

// Reasons an adapter gives to on_spawn_failed, in AWS's words.
// "Couldn't find valid bootstrap(s): [/a/bootstrap /b/bootstrap]"
std::string missing_bootstrap_reason(const std::vector<std::string>& searched);
// "fork/exec /a/bootstrap: permission denied" (`error` as Go prints the errno).
std::string exec_failure_reason(std::string_view path, std::string_view error);

// {"errorType":"<type>","errorMessage":"<message>"}
std::string error_json(std::string_view type, std::string_view message);
// An error Lambda itself detected: the message reads "RequestId: <id> Error: <message>".
std::string platform_error_json(std::string_view type, std::string_view request_id,
                                std::string_view message);
// "Task timed out after 3.00 seconds", for a function whose timeout is `timeout_us`.
std::string timeout_message(core::TimeUs timeout_us);
std::string response_too_large_json(int64_t limit_bytes);

// The error type a runtime reported on /error or /init/error: the body's "errorType" when the
// body is a JSON object with a string errorType, else the Lambda-Runtime-Function-Error-Type
// header, else `fallback`.
std::string reported_error_type(std::string_view header_type, std::string_view body,
                                std::string_view fallback);
// What the caller gets for a runtime-reported error: the body as sent (opaque bytes, spec §1.3),
// or, when it is empty, an error JSON built from the header's type (or `fallback`).
std::string reported_error_payload(std::string_view header_type, std::string_view body,
                                   std::string_view fallback);

// Runtime API replies.
RuntimeReply reply_accepted();
RuntimeReply reply_invalid_request_id();
// 403 {"errorType":"InvalidStateTransition","errorMessage":"State transition from <from> to
// <target> failed for runtime. Error: State transition is not allowed"}
RuntimeReply reply_invalid_transition(std::string_view from, std::string_view target);
RuntimeReply reply_too_large(int64_t limit_bytes);

}  // namespace slipway::lambda
