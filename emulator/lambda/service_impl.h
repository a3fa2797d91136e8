// LambdaService::Impl: the service's state and internal operations, split over several .cpp files
// by concern: service.cpp (entry points, lookups, effects), routing.cpp (invoke, pool, async
// queue), runtime.cpp (Runtime API calls), lifecycle.cpp (process events, deadlines, resets),
// outcomes.cpp (finishing an invocation: END/REPORT, outcome, tail). Private to emulator/lambda.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lambda/async_queue.h"
#include "lambda/concurrency.h"
#include "lambda/logs.h"
#include "lambda/service.h"

namespace slipway::lambda {

struct Invocation {
  std::string request_id;
  std::string function;
  InvokeRequest request;           // payload, client context, trace id (filled in), tail flag
  LambdaService::InvokeDone done;  // empty for Event invocations
  bool async = false;
  uint64_t async_sequence = 0;
  EnvId env = 0;                   // assigned to or running on; 0: none (queued)
  bool started = false;            // the invoke phase began: START logged, deadline set
  core::TimeUs phase_start_us = 0;
  core::TimeUs deadline_us = 0;
  LogTail tail;
};

struct FunctionState {
  std::shared_ptr<const FunctionConfig> config;
  std::set<EnvId> envs;                 // every environment not yet dropped
  std::vector<EnvId> idle;              // Idle environments, most recently used last
  std::deque<std::string> async_queue;  // request ids of Event invocations waiting to run
  uint64_t invocations = 0;
  uint64_t throttles = 0;
  uint64_t cold_starts = 0;
  ScalingBucket scaling;                // new environments this function may still add now
  core::TimerId scaling_timer = 0;      // wakes the Event queue when the bucket refills
  bool trim = false;                    // a reservation changed: reclaim idle envs beyond it
};

// How an init attempt failed.
struct InitFailure {
  EnvEvent event;          // spawn_failed, init_error, process_exited or init_timeout
  std::string status;      // INIT_REPORT status: "error" or "timeout"
  std::string error_type;  // INIT_REPORT / REPORT error type
  std::string message;     // platform failures: the "RequestId: <id> Error: <message>" text
  std::string body;        // init_error: what the runtime posted (returned to the invocation)
  bool reported = false;   // init_error: the runtime reported it (body passes through)
};

// What an invocation ended with.
struct Ending {
  bool ok = false;
  std::string payload;
  std::string status;       // REPORT: "", "timeout", "error"
  std::string error_type;   // REPORT's Error Type (with status "error")
  std::string async_error;  // AsyncCompletion::error_type
};

struct LambdaService::Impl {
  Impl(const core::Clock& clk, core::TimerQueue& tq, core::IdGen& id_gen, Processes& procs,
       LogSink& sink, LambdaOptions opts);
  ~Impl();

  const core::Clock& clock;
  core::TimerQueue& timers;
  core::IdGen& ids;
  Processes& processes;
  LogSink& logs;
  LambdaOptions options;
  InMemoryAsyncQueuePersistence default_store;
  AsyncQueuePersistence* store;
  ConcurrencyAccount concurrency;

  std::map<std::string, FunctionState> functions;
  std::map<EnvId, Environment> envs;
  std::map<std::string, Invocation> invocations;
  EnvId next_env_id = 1;
  uint64_t next_async_sequence = 1;
  std::deque<std::function<void()>> effects;
  bool draining = false;
  bool stopping = false;

  // ---- service.cpp: lookups, transitions, effects ----
  core::TimeUs now() const { return clock.now_us(); }
  FunctionState* function_by_ref(std::string_view name_or_arn);
  const FunctionState* function_by_ref(std::string_view name_or_arn) const;
  FunctionState& function_of(const Environment& env);
  Environment* env_by_id(EnvId id);
  Invocation* invocation_by_id(const std::string& request_id);
  // Applies `event` to `env` if the table allows it (keeping concurrency counts); false if not.
  bool apply(Environment& env, EnvEvent event);
  void defer(std::function<void()> effect) { effects.push_back(std::move(effect)); }
  // Runs queued async work and every deferred effect: the last step of each public call.
  void settle();
  void log(const Environment& env, std::string_view line, Invocation* inv);
  LambdaStats stats() const;
  // "Function not found: <arn>" for a reference that names no configured function.
  std::string not_found_message(std::string_view name_or_arn) const;
  core::Status set_reserved_concurrency(std::string_view name_or_arn, std::optional<int> reserved);

  // ---- routing.cpp: invoke, pool, async queue ----
  void invoke(InvokeRequest request, InvokeDone done);
  void invoke_sync(FunctionState& fs, InvokeRequest request, InvokeDone done);
  void invoke_async(FunctionState& fs, InvokeRequest request, InvokeDone done);
  Invocation& admit(FunctionState& fs, InvokeRequest request, InvokeDone done, bool async);
  // Places `inv` on an environment; the throttle reason when the limit forbids it.
  std::optional<std::string> route(FunctionState& fs, Invocation& inv);
  Environment* pick_unassigned_busy(FunctionState& fs);
  void assign(Environment& env, Invocation& inv);
  void begin_invoke_phase(Environment& env, Invocation& inv);
  void deliver(Environment& env, Invocation& inv);
  Environment& spawn_env(FunctionState& fs, InitPhase phase);
  void make_room(const FunctionState& fs);
  // Takes a scaling token for a new environment of `fs`; false (and, for an Event invocation,
  // a wake-up armed for when the bucket refills) when there is none.
  bool take_scaling_token(FunctionState& fs, const Invocation& inv);
  // Reclaims idle environments of `fs` beyond its (lowered) reservation; clears fs.trim once
  // no more environments are live than it allows.
  void trim_to_reservation(FunctionState& fs);
  void pump(FunctionState& fs);
  void pump_all();
  void reroute(Invocation& inv);

  // ---- runtime.cpp: the Runtime API ----
  RuntimeReply next(EnvId id, Deliver deliver);
  RuntimeReply response(EnvId id, std::string_view request_id, std::string body);
  RuntimeReply invocation_error(EnvId id, std::string_view request_id, std::string header,
                                std::string body);
  RuntimeReply init_error(EnvId id, std::string header, std::string body);
  // /response and /error: validate (environment, request id, state), end the invocation with
  // `ending()`, or with Function.ResponseSizeTooLarge (and 413) when the body is over the limit.
  RuntimeReply answer(EnvId id, std::string_view request_id, EnvEvent event, size_t body_bytes,
                      const std::function<Ending()>& ending);
  void became_ready(Environment& env, EnvState from);

  // ---- lifecycle.cpp: process events, deadlines, resets ----
  void on_spawned(EnvId id);
  void on_spawn_failed(EnvId id, std::string why);
  void on_exit(EnvId id, int exit_status, int signal);
  void init_failed(Environment& env, const InitFailure& failure);
  void retry_init(Invocation& inv, FunctionState& fs);
  void fail_in_init(Environment& env, Invocation& inv, const InitFailure& failure);
  void crashed_while_invoking(Environment& env, int exit_status, int signal);
  void on_init_deadline(EnvId id);
  void on_invoke_deadline(EnvId id);
  void timed_out(Environment& env, Invocation& inv);
  void on_reap(EnvId id);
  // Leaves the environment Dead after `event`: timers cancelled, parked /next cancelled, the
  // process killed (the record stays until on_exit) or, with no process, the record dropped.
  void reset(Environment& env, EnvEvent event);
  void cancel_timers(Environment& env);
  void cancel_waiter(Environment& env);
  void drop(EnvId id);
  void shutdown();

  // ---- outcomes.cpp ----
  // Logs END and REPORT, answers the caller (or reports the Event invocation), forgets `inv`.
  void finish(Environment* env, Invocation& inv, Ending ending);
  void complete(Invocation& inv, InvokeOutcome outcome, const Ending& ending);
  void throttle(FunctionState& fs, Invocation& inv, const std::string& reason);
  void report_async(const Invocation& inv, const Ending& ending);
  Ending platform_failure(const Environment& env, Invocation& inv, std::string_view type,
                          std::string_view message, std::string_view report_type);
};

}  // namespace slipway::lambda
