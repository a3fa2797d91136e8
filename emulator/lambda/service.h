// LambdaService: Lambda's invoke semantics over real runtime processes, pure (DESIGN rule 3).
//
// Owns: the configured functions, every execution environment and its lifecycle
// (lambda/environment.h), every invocation from accept to outcome, the per-function
// asynchronous (Event) queues, concurrency accounting (lambda/concurrency.h) and the START /
// END / REPORT log lines (lambda/logs.h). Runs only on the loop thread.
//
// Inputs: Invoke requests (invoke), the Runtime API calls of each environment (next, response,
// invocation_error, init_error; the HTTP layer knows which environment a listener belongs to),
// process events from the adapter (on_spawned, on_spawn_failed, on_exit, on_output), timers.
// Time comes from the injected Clock, request ids, log stream names and trace ids from IdGen.
//
// Effects: Processes::spawn / kill, LogSink::append, timers on the TimerQueue (init deadline,
// invocation deadline, idle reaping), AsyncQueuePersistence writes, and the callbacks it was
// given (invoke's `done`, next's `deliver`). Callbacks and Processes calls run at the end of the
// service call that caused them, once the state is consistent, in the order they were caused;
// they may call back into the service. Nothing sleeps, nothing polls.
//
// Behaviour (AWS's, spec/lambda.md):
// - One invocation at a time per environment. An invoke goes to the most recently used Idle
//   environment; else it is assigned to a busy environment with nothing assigned (Finishing:
//   delivered when that runtime's /next arrives, so back-to-back invokes reuse one environment;
//   or one still starting); else a new environment is spawned for it. Over the concurrency limit
//   a RequestResponse invoke is throttled at once; an Event invoke waits in its function's queue.
// - Deadlines: init is bounded by init_timeout_ms; a failed or timed-out init is retried once
//   inside the invocation, bounded by the function timeout (AWS's "Phase: invoke" init). The
//   invocation deadline (delivery + Timeout) kills the environment: Sandbox.Timedout.
// - A crash, a timeout or an init failure resets the environment: it is killed and dropped; the
//   next invoke starts a fresh one. A runtime-reported /error does not.
// - Idle environments are reaped after idle_timeout_ms, or reclaimed when the unreserved pool
//   needs room for another function.
// - Reserved concurrency may change while invocations run (set_reserved_concurrency): the change
//   applies to the next invocations. Environments busy beyond a lowered reservation finish their
//   invocations, and no further one is admitted until the count drops below it; idle ones beyond
//   it are reclaimed (killed).
// - Scaling rate: each function may spawn at most scaling_environments_per_10s environments per
//   10 s (a token bucket refilled continuously, lambda/concurrency.h). An invoke that needs a
//   new environment beyond it is throttled (RequestResponse: kReasonScalingLimit) or waits
//   (Event: a timer wakes its queue when the next token is due). Reusing an environment, and the
//   one retry of a failed init inside an invocation, take no token.
//
// Invariants: every accepted RequestResponse invoke gets exactly one `done`; every Event invoke
// is answered kAccepted and later reported once through on_async_done; every `deliver` given to
// a successful next() runs exactly once (with an event, or cancelled when the environment dies).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "core/timer_queue.h"
#include "lambda/api.h"
#include "lambda/async_queue.h"
#include "lambda/environment.h"
#include "lambda/ports.h"

namespace slipway::lambda {

class LambdaService {
 public:
  using InvokeDone = std::function<void(InvokeOutcome)>;
  using Deliver = std::function<void(NextEvent)>;

  // Every reference must outlive the service.
  LambdaService(const core::Clock& clock, core::TimerQueue& timers, core::IdGen& ids,
                Processes& processes, LogSink& logs, LambdaOptions options);
  ~LambdaService();
  LambdaService(const LambdaService&) = delete;
  LambdaService& operator=(const LambdaService&) = delete;

  // Sets the functions. REQUIRES: no environment exists yet (call at start); fails loudly if not.
  void configure(std::vector<FunctionConfig> functions);
  // By name, partial ARN "123456789012:function:name" or full ARN, optionally qualified with
  // ":$LATEST"; another region, account or qualifier finds nothing.
  const FunctionConfig* find_function(std::string_view name_or_arn) const;
  std::vector<const FunctionConfig*> functions() const;  // by name
  std::string function_arn(std::string_view name) const;

  // PutFunctionConcurrency (a value) and DeleteFunctionConcurrency (nullopt) for the function
  // `name_or_arn` names (as find_function). Errors: kNotFound "Function not found: <arn>";
  // kInvalidArgument below 0; kLimitExceeded, in AWS's words, when every reservation together
  // would leave less than unreserved_concurrency_min unreserved. find_function() and stats()
  // show the new value at once; see "Reserved concurrency may change" above for running ones.
  core::Status set_reserved_concurrency(std::string_view name_or_arn, std::optional<int> reserved);

  // Runs (or queues, or refuses) an invocation; `done` is called now or from a later call.
  void invoke(InvokeRequest request, InvokeDone done);

  // GET /next: parks until an event is assigned (or delivers one at once). Returns 200 when
  // accepted (then `deliver` runs exactly once), or the rejection (403 InvalidStateTransition,
  // e.g. /next while Invoking) and `deliver` is dropped.
  RuntimeReply next(EnvId env, Deliver deliver);
  // POST /invocation/{id}/response: 202; 400 InvalidRequestID when `request_id` is not the one
  // last delivered to `env`; 403 when the environment's state does not allow it (a second
  // response); 413 when the body is over sync_response_bytes_max (the caller then gets
  // Function.ResponseSizeTooLarge).
  RuntimeReply response(EnvId env, std::string_view request_id, std::string body);
  // POST /invocation/{id}/error: as response(). The body goes to the caller as is.
  RuntimeReply invocation_error(EnvId env, std::string_view request_id, std::string error_type_header,
                                std::string body);
  // POST /init/error: 202 during init (the pending invocation gets the error, the environment is
  // reset), 403 after it.
  RuntimeReply init_error(EnvId env, std::string error_type_header, std::string body);

  // From the process adapter (see lambda/ports.h for the order they come in).
  void on_spawned(EnvId env);
  void on_spawn_failed(EnvId env, std::string why);
  // `exit_status` is -1 when signalled; `signal` 0 when it exited.
  void on_exit(EnvId env, int exit_status, int signal);
  // One line of the runtime's stdout/stderr, without '\n'.
  void on_output(EnvId env, std::string_view line);

  // Kills every environment and answers every pending invoke kServiceError (the daemon is
  // stopping); queued Event invocations stay in AsyncQueuePersistence. Later invokes get
  // kServiceError.
  void shutdown();

  // Re-queues stored Event invocations (daemon start). Events of unknown functions are dropped.
  void restore_async(const AsyncQueueSnapshot& snapshot);

  LambdaStats stats() const;
  // The environment's state, or nothing once it is gone.
  std::optional<EnvState> env_state(EnvId env) const;
  // The environment's log stream name, or empty once it is gone.
  std::string env_log_stream(EnvId env) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slipway::lambda
