// Process events, deadlines and resets: what happens when a runtime starts, fails to start,
// exits, runs out of time or sits idle too long.
#include <algorithm>
#include <utility>
#include <vector>

#include "lambda/failures.h"
#include "lambda/service_impl.h"

namespace slipway::lambda {

namespace {
constexpr int kSigKill = 9;
}  // namespace

void LambdaService::Impl::on_spawned(EnvId id) {
  Environment* env = env_by_id(id);
  if (env == nullptr) {
    // Dropped while its spawn was in flight (daemon stopping, init deadline): stop the process.
    defer([this, id] { processes.kill(id); });
    return;
  }
  if (!apply(*env, EnvEvent::kSpawned)) return;  // a repeated report changes nothing
  env->process_running = true;
}

void LambdaService::Impl::on_spawn_failed(EnvId id, std::string why) {
  Environment* env = env_by_id(id);
  if (env == nullptr || !next_state(env->state, EnvEvent::kSpawnFailed)) return;
  InitFailure failure;
  failure.event = EnvEvent::kSpawnFailed;
  failure.status = "error";
  failure.error_type = kInvalidEntrypoint;
  failure.message = std::move(why);
  init_failed(*env, failure);
}

void LambdaService::Impl::on_exit(EnvId id, int exit_status, int signal) {
  Environment* env = env_by_id(id);
  if (env == nullptr) return;
  env->process_running = false;
  switch (env->state) {
    case EnvState::kDead: drop(id); return;  // the kill we asked for
    case EnvState::kSpawning:
    case EnvState::kStarting: {
      InitFailure failure;
      failure.event = EnvEvent::kProcessExited;
      failure.status = "error";
      failure.error_type = kExitError;
      failure.message = exit_reason(exit_status, signal);
      init_failed(*env, failure);
      return;
    }
    case EnvState::kInvoking: crashed_while_invoking(*env, exit_status, signal); return;
    default: reset(*env, EnvEvent::kProcessExited); return;  // Idle or Finishing: nothing running
  }
}

// An init attempt failed. In the on-demand init phase Lambda reports it (INIT_REPORT Phase: init)
// and retries init once inside the pending invocation; a failure there fails the invocation.
void LambdaService::Impl::init_failed(Environment& env, const InitFailure& failure) {
  const bool in_invoke = env.init_phase == InitPhase::kInvoke;
  Invocation* inv = invocation_by_id(env.invocation);
  const std::string report_type = failure.status == "timeout" ? std::string() : failure.error_type;
  log(env, init_report_line(now() - env.spawned_at_us, env.init_phase, failure.status, report_type),
      in_invoke ? inv : nullptr);
  env.invocation.clear();
  FunctionState& fs = function_of(env);
  if (inv != nullptr && in_invoke) fail_in_init(env, *inv, failure);
  reset(env, failure.event);  // frees its concurrency slot before the retry takes one
  if (inv != nullptr && !in_invoke) retry_init(*inv, fs);
}

void LambdaService::Impl::retry_init(Invocation& inv, FunctionState& fs) {
  if (stopping) return;
  Environment& env = spawn_env(fs, InitPhase::kInvoke);
  begin_invoke_phase(env, inv);
  const EnvId id = env.id;
  env.init_timer = timers.arm(inv.deadline_us, [this, id](core::TimeUs) {
    on_init_deadline(id);
    settle();
  });
  assign(env, inv);
}

void LambdaService::Impl::fail_in_init(Environment& env, Invocation& inv, const InitFailure& failure) {
  if (failure.status == "timeout") {
    timed_out(env, inv);
    return;
  }
  if (failure.reported) {
    finish(&env, inv, Ending{false, failure.body, "error", failure.error_type, failure.error_type});
    return;
  }
  finish(&env, inv, platform_failure(env, inv, failure.error_type, failure.message, failure.error_type));
}

void LambdaService::Impl::crashed_while_invoking(Environment& env, int exit_status, int signal) {
  Invocation& inv = invocations.at(env.invocation);
  env.invocation.clear();
  // SIGKILL at the memory limit is the OOM killer: AWS reports Runtime.OutOfMemory in REPORT,
  // while the caller still sees Runtime.ExitError "signal: killed".
  const bool out_of_memory =
      signal == kSigKill && processes.max_memory_used_mb(env.id) >= env.config->memory_mb;
  finish(&env, inv, platform_failure(env, inv, kExitError, exit_reason(exit_status, signal),
                                     out_of_memory ? kOutOfMemory : kExitError));
  reset(env, EnvEvent::kProcessExited);
}

void LambdaService::Impl::on_init_deadline(EnvId id) {
  Environment* env = env_by_id(id);
  if (env == nullptr) return;
  env->init_timer = 0;
  if (!next_state(env->state, EnvEvent::kInitTimeout)) return;
  InitFailure failure;
  failure.event = EnvEvent::kInitTimeout;
  failure.status = "timeout";
  init_failed(*env, failure);
}

void LambdaService::Impl::on_invoke_deadline(EnvId id) {
  Environment* env = env_by_id(id);
  if (env == nullptr) return;
  env->invoke_timer = 0;
  if (env->state == EnvState::kInvoking) {
    Invocation& inv = invocations.at(env->invocation);
    env->invocation.clear();
    timed_out(*env, inv);
    reset(*env, EnvEvent::kTimeout);
  } else if (env->state == EnvState::kFinishing) {
    reset(*env, EnvEvent::kTimeout);  // answered, but never came back to /next in time
  }
}

// Logs the timeout and ends `inv` with Sandbox.Timedout. The caller resets the environment.
void LambdaService::Impl::timed_out(Environment& env, Invocation& inv) {
  // The message names the function's timeout ("after 3.00 seconds"), as Lambda's does, not the
  // time measured: a timer that fires a few milliseconds late on a busy machine must not change
  // it. The REPORT line's Duration is the time measured.
  const core::TimeUs timeout = static_cast<core::TimeUs>(env.config->timeout_s) * core::kUsPerSecond;
  log(env, timeout_line(now(), inv.request_id, timeout), &inv);
  finish(&env, inv, Ending{false, platform_error_json(kTimedOut, inv.request_id, timeout_message(timeout)),
                           "timeout", "", kTimedOut});
}

void LambdaService::Impl::on_reap(EnvId id) {
  Environment* env = env_by_id(id);
  if (env == nullptr) return;
  env->reap_timer = 0;
  if (env->state == EnvState::kIdle) reset(*env, EnvEvent::kReap);
}

void LambdaService::Impl::reset(Environment& env, EnvEvent event) {
  if (!apply(env, event)) return;
  const EnvId id = env.id;
  cancel_timers(env);
  cancel_waiter(env);
  std::erase(function_of(env).idle, id);
  const std::string pending = std::exchange(env.invocation, std::string());
  if (env.process_running) {
    defer([this, id] { processes.kill(id); });  // the record stays until on_exit
  } else {
    drop(id);
  }
  if (Invocation* inv = invocation_by_id(pending)) reroute(*inv);  // assigned, never delivered
}

void LambdaService::Impl::cancel_timers(Environment& env) {
  for (core::TimerId* t : {&env.init_timer, &env.invoke_timer, &env.reap_timer}) {
    if (*t != 0) timers.cancel(std::exchange(*t, 0));
  }
}

void LambdaService::Impl::cancel_waiter(Environment& env) {
  if (!env.waiter) return;
  NextEvent cancelled;
  cancelled.cancelled = true;
  defer([waiter = std::exchange(env.waiter, nullptr), cancelled] { waiter(cancelled); });
}

void LambdaService::Impl::drop(EnvId id) {
  auto it = envs.find(id);
  if (it == envs.end()) return;
  FunctionState& fs = function_of(it->second);
  fs.envs.erase(id);
  std::erase(fs.idle, id);
  cancel_timers(it->second);
  envs.erase(it);
}

void LambdaService::Impl::shutdown() {
  stopping = true;
  for (auto& [name, fs] : functions) fs.async_queue.clear();  // they stay in the store
  std::vector<EnvId> ids;
  for (const auto& [id, env] : envs) ids.push_back(id);
  for (EnvId id : ids) {
    if (Environment* env = env_by_id(id)) reset(*env, EnvEvent::kKill);
  }
  for (auto& [id, inv] : invocations) {
    if (inv.async || !inv.done) continue;
    InvokeOutcome o;
    o.kind = InvokeOutcome::Kind::kServiceError;
    o.payload = "The Lambda service is stopping.";
    defer([done = std::move(inv.done), o] { done(o); });
  }
  invocations.clear();
}

}  // namespace slipway::lambda
