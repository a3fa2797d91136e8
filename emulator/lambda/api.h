// The Lambda core's value types: what the app hands in (FunctionConfig, LambdaOptions), what an
// Invoke asks and gets back (InvokeRequest, InvokeOutcome), what the Runtime API handlers get
// (NextEvent, RuntimeReply) and the counters the admin API shows (LambdaStats). Plain data: no
// behaviour, no I/O. The interfaces to the outside world live in lambda/ports.h; the service that
// ties them together in lambda/service.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/limits.h"

namespace slipway::lambda {

// One function, converted by the app from the manifest (app::FunctionSpec).
struct FunctionConfig {
  std::string name;
  std::string handler;
  std::string code_uri;              // folder holding `bootstrap`; or empty when `command` is set
  std::vector<std::string> command;  // argv run instead of CodeUri/bootstrap; or empty
  int memory_mb = 128;
  int timeout_s = 3;
  std::optional<int> reserved_concurrency;  // the current one (LambdaService keeps it up to date)
  std::map<std::string, std::string> environment;
};

// An execution environment: one runtime process and its Runtime API listener. Ids are minted by
// the service, start at 1 and are never reused.
using EnvId = uint64_t;

enum class InvocationType { kRequestResponse, kEvent, kDryRun };

struct InvokeRequest {
  std::string function;  // name, partial ARN or ARN, optionally qualified with ":$LATEST"
  std::string payload;
  InvocationType type = InvocationType::kRequestResponse;
  std::string client_context;  // decoded JSON text (X-Amz-Client-Context), or empty
  std::string trace_id;        // X-Amzn-Trace-Id; empty: the service mints one
  bool tail_log = false;       // X-Amz-Log-Type: Tail (RequestResponse only)
};

struct InvokeOutcome {
  enum class Kind {
    kOk,             // 200, payload = the function's response
    kFunctionError,  // 200 + X-Amz-Function-Error, payload = the error JSON
    kThrottled,      // 429 TooManyRequestsException, throttle_reason = Reason
    kNotFound,       // 404 ResourceNotFoundException, payload = the message
    kAccepted,       // 202: an Event invocation was queued
    kDryRun,         // 204
    kServiceError,   // 500 ServiceException (the daemon is stopping), payload = the message
  };
  Kind kind = Kind::kOk;
  std::string payload;
  std::string function_error;   // "Unhandled" for kFunctionError
  std::string log_tail;         // last 4 KB of the invocation's log, raw (the HTTP layer base64s it)
  std::string throttle_reason;  // kThrottled: ReservedFunctionConcurrentInvocationLimitExceeded |
                                // ConcurrentInvocationLimitExceeded
  std::string request_id;       // every kind but kNotFound and kServiceError
};

inline constexpr const char* kReasonReservedLimit = "ReservedFunctionConcurrentInvocationLimitExceeded";
inline constexpr const char* kReasonAccountLimit = "ConcurrentInvocationLimitExceeded";
// A RequestResponse invoke that needs a new environment beyond the function's scaling rate
// (LambdaOptions::scaling_environments_per_10s). AWS's ThrottleReason enum has no value for the
// scaling rate and its documentation names none, so this is the account-concurrency reason.
inline constexpr const char* kReasonScalingLimit = kReasonAccountLimit;

// What GET /runtime/invocation/next answers: the event and its Lambda-Runtime-* headers.
struct NextEvent {
  std::string request_id;      // Lambda-Runtime-Aws-Request-Id (always set unless cancelled)
  int64_t deadline_ms = 0;     // Lambda-Runtime-Deadline-Ms, Unix epoch milliseconds
  std::string invoked_function_arn;
  std::string trace_id;
  std::string client_context;  // plain JSON or empty (header omitted when empty)
  std::string cognito_identity;
  std::string payload;
  // No event will ever come: the environment died or the daemon stops. The handler answers 500
  // (the Runtime API's "container error, runtime should exit") or drops the connection.
  bool cancelled = false;
};

// What a Runtime API call answers. 200/202 carry no error; the HTTP layer renders 202 as
// {"status":"OK"} and errors as {"errorMessage": message, "errorType": error_type}.
struct RuntimeReply {
  int status = 202;        // 200 (next), 202, 400 InvalidRequestID, 403 InvalidStateTransition,
                           // 413 RequestEntityTooLarge
  std::string error_type;
  std::string message;
};

// The outcome of an Event invocation, reported once it is final (today: after one attempt).
// Retries and destinations (EventInvokeConfig) build on this later.
struct AsyncCompletion {
  std::string function;
  std::string request_id;
  bool ok = false;
  std::string error_type;  // when !ok: e.g. "Sandbox.Timedout", "Runtime.ExitError", the body's type
  std::string payload;     // the response or the error JSON
};

class AsyncQueuePersistence;

struct LambdaOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  int account_concurrency = core::LambdaLimits{}.account_concurrency_default;
  // What every reservation together must leave unreserved (PutFunctionConcurrency's check).
  int unreserved_concurrency_min = core::LambdaLimits{}.unreserved_concurrency_min;
  // New environments each function may add per 10 s (token bucket); <= 0: unlimited.
  int scaling_environments_per_10s = core::LambdaLimits{}.scaling_environments_per_10s;
  int64_t init_timeout_ms = core::LambdaLimits{}.init_timeout_s * 1000LL;
  int64_t idle_timeout_ms = 10 * 60 * 1000;  // an Idle environment is reaped after this
  int64_t sync_response_bytes_max = core::LambdaLimits{}.sync_response_bytes_max;
  size_t async_queue_max_per_function = 100'000;  // Event invokes beyond this are throttled
  size_t log_tail_bytes_max = 4096;               // X-Amz-Log-Result
  // Where queued Event invocations are mirrored (write-through). Null: the service's own
  // in-memory store (nothing survives a restart).
  AsyncQueuePersistence* async_persistence = nullptr;
  // Called when an Event invocation finished (success or failure). May be empty.
  std::function<void(const AsyncCompletion&)> on_async_done;
};

// Environments of one function by lifecycle state (see lambda/environment.h).
struct EnvCounts {
  int spawning = 0;
  int starting = 0;
  int idle = 0;
  int invoking = 0;
  int finishing = 0;
  int dead = 0;  // killed, waiting for the process to exit
};

struct FunctionStats {
  std::string name;
  std::optional<int> reserved_concurrency;
  EnvCounts envs;
  int concurrency_in_use = 0;  // environments that count against a limit (all but Idle and Dead)
  size_t async_queued = 0;
  uint64_t invocations = 0;    // invokes admitted (sync and async, throttled included), DryRun excluded
  uint64_t throttles = 0;
  uint64_t cold_starts = 0;    // environments spawned
};

struct LambdaStats {
  int account_concurrency = 0;           // AccountLimit.ConcurrentExecutions
  int unreserved_concurrency_limit = 0;  // AccountLimit.UnreservedConcurrentExecutions
  int unreserved_concurrency_in_use = 0;
  std::vector<FunctionStats> functions;  // by name
};

}  // namespace slipway::lambda
