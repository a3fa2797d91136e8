// Invoke and the environment pool: admitting an invocation, choosing (or spawning) the
// environment it runs on, concurrency limits, and the per-function Event queue.
#include <algorithm>
#include <utility>

#include "lambda/failures.h"
#include "lambda/names.h"
#include "lambda/service_impl.h"

namespace slipway::lambda {

namespace {
InvokeOutcome outcome_of(InvokeOutcome::Kind kind, std::string request_id, std::string payload = {}) {
  InvokeOutcome o;
  o.kind = kind;
  o.request_id = std::move(request_id);
  o.payload = std::move(payload);
  return o;
}
}  // namespace

void LambdaService::Impl::invoke(InvokeRequest request, InvokeDone done) {
  if (stopping) {
    defer([done] { done(outcome_of(InvokeOutcome::Kind::kServiceError, "", "The Lambda service is stopping.")); });
    return;
  }
  FunctionState* fs = function_by_ref(request.function);
  if (fs == nullptr) {
    defer([done, message = not_found_message(request.function)] {
      done(outcome_of(InvokeOutcome::Kind::kNotFound, "", message));
    });
    return;
  }
  switch (request.type) {
    case InvocationType::kDryRun:
      defer([done, id = ids.uuid()] { done(outcome_of(InvokeOutcome::Kind::kDryRun, id)); });
      return;
    case InvocationType::kEvent: invoke_async(*fs, std::move(request), std::move(done)); return;
    case InvocationType::kRequestResponse: invoke_sync(*fs, std::move(request), std::move(done)); return;
  }
}

void LambdaService::Impl::invoke_sync(FunctionState& fs, InvokeRequest request, InvokeDone done) {
  Invocation& inv = admit(fs, std::move(request), std::move(done), false);
  if (std::optional<std::string> reason = route(fs, inv)) throttle(fs, inv, *reason);
}

void LambdaService::Impl::invoke_async(FunctionState& fs, InvokeRequest request, InvokeDone done) {
  if (fs.async_queue.size() >= options.async_queue_max_per_function) {
    ++fs.throttles;
    InvokeOutcome o = outcome_of(InvokeOutcome::Kind::kThrottled, "");
    o.throttle_reason = kReasonAccountLimit;
    defer([done, o] { done(o); });
    return;
  }
  Invocation& inv = admit(fs, std::move(request), nullptr, true);
  inv.async_sequence = next_async_sequence++;
  store->put_event(AsyncEventRecord{inv.async_sequence, inv.request_id, inv.function,
                                    inv.request.payload, inv.request.trace_id, now(), 0});
  fs.async_queue.push_back(inv.request_id);
  defer([done, id = inv.request_id] { done(outcome_of(InvokeOutcome::Kind::kAccepted, id)); });
  // settle() pumps the queue after this call.
}

Invocation& LambdaService::Impl::admit(FunctionState& fs, InvokeRequest request, InvokeDone done,
                                       bool async) {
  Invocation inv;
  inv.request_id = ids.uuid();
  inv.function = fs.config->name;
  if (request.trace_id.empty()) request.trace_id = make_trace_id(now(), ids);
  inv.request = std::move(request);
  inv.done = std::move(done);
  inv.async = async;
  inv.tail = LogTail(options.log_tail_bytes_max);
  ++fs.invocations;
  const std::string id = inv.request_id;
  return invocations.emplace(id, std::move(inv)).first->second;
}

std::optional<std::string> LambdaService::Impl::route(FunctionState& fs, Invocation& inv) {
  // An Idle environment becomes busy when it takes the invocation, so it needs capacity; a busy
  // one with nothing assigned does not (it already counts), unless a lowered reservation left
  // the function over its limit: then the busy ones finish and take nothing more.
  const std::string& name = fs.config->name;
  std::optional<std::string> reason = concurrency.check(name);
  if (!reason && !fs.idle.empty()) {
    assign(envs.at(fs.idle.back()), inv);  // warm: the most recently used
    return std::nullopt;
  }
  if (Environment* env = concurrency.over(name) ? nullptr : pick_unassigned_busy(fs)) {
    assign(*env, inv);
    return std::nullopt;
  }
  if (reason) return reason;
  if (!take_scaling_token(fs, inv)) return std::string(kReasonScalingLimit);
  make_room(fs);
  assign(spawn_env(fs, InitPhase::kInit), inv);
  return std::nullopt;
}

bool LambdaService::Impl::take_scaling_token(FunctionState& fs, const Invocation& inv) {
  if (fs.scaling.try_take(now())) return true;
  if (inv.async && fs.scaling_timer == 0) {
    fs.scaling_timer = timers.arm(fs.scaling.next_available_us(now()), [this, name = fs.config->name](core::TimeUs) {
      auto it = functions.find(name);
      if (it != functions.end()) it->second.scaling_timer = 0;
      settle();  // pumps the queue
    });
  }
  return false;
}

void LambdaService::Impl::trim_to_reservation(FunctionState& fs) {
  const std::optional<int> limit = concurrency.reserved(fs.config->name);
  if (!limit) {
    fs.trim = false;
    return;
  }
  int live = 0;
  for (EnvId id : fs.envs) live += envs.at(id).state == EnvState::kDead ? 0 : 1;
  // Least recently used first: fs.idle keeps the most recently used last.
  while (live > *limit && !fs.idle.empty()) {
    reset(envs.at(fs.idle.front()), EnvEvent::kReap);
    --live;
  }
  fs.trim = live > *limit;  // busy ones beyond it: trimmed when they come back idle
}

Environment* LambdaService::Impl::pick_unassigned_busy(FunctionState& fs) {
  Environment* starting = nullptr;
  for (EnvId id : fs.envs) {
    Environment& env = envs.at(id);
    if (!env.invocation.empty()) continue;
    if (env.state == EnvState::kFinishing) return &env;  // back soonest
    if (starting == nullptr && (env.state == EnvState::kStarting || env.state == EnvState::kSpawning)) {
      starting = &env;
    }
  }
  return starting;
}

void LambdaService::Impl::assign(Environment& env, Invocation& inv) {
  env.invocation = inv.request_id;
  inv.env = env.id;
  if (env.state == EnvState::kIdle) deliver(env, inv);
}

void LambdaService::Impl::begin_invoke_phase(Environment& env, Invocation& inv) {
  inv.started = true;
  inv.phase_start_us = now();
  inv.deadline_us = now() + static_cast<core::TimeUs>(env.config->timeout_s) * core::kUsPerSecond;
  log(env, start_line(inv.request_id), &inv);
}

void LambdaService::Impl::deliver(Environment& env, Invocation& inv) {
  apply(env, EnvEvent::kEventDelivered);
  std::erase(function_of(env).idle, env.id);
  if (env.reap_timer != 0) timers.cancel(std::exchange(env.reap_timer, 0));
  if (!inv.started) begin_invoke_phase(env, inv);
  env.delivered_id = inv.request_id;
  env.last_used_us = now();
  const EnvId id = env.id;
  env.invoke_timer = timers.arm(inv.deadline_us, [this, id](core::TimeUs) {
    on_invoke_deadline(id);
    settle();
  });
  NextEvent ev;
  ev.request_id = inv.request_id;
  ev.deadline_ms = inv.deadline_us / core::kUsPerMs;
  ev.invoked_function_arn = lambda::function_arn(options.region, options.account_id, inv.function);
  ev.trace_id = inv.request.trace_id;
  ev.client_context = inv.request.client_context;
  ev.payload = inv.request.payload;
  defer([waiter = std::exchange(env.waiter, nullptr), ev = std::move(ev)] { waiter(ev); });
}

Environment& LambdaService::Impl::spawn_env(FunctionState& fs, InitPhase phase) {
  const EnvId id = next_env_id++;
  Environment fresh;
  fresh.id = id;
  fresh.config = fs.config;
  fresh.log_stream = log_stream_name(now(), ids.hex(16));
  fresh.init_phase = phase;
  fresh.spawned_at_us = fresh.last_used_us = now();
  Environment& env = envs.emplace(id, std::move(fresh)).first->second;
  fs.envs.insert(id);
  ++fs.cold_starts;
  concurrency.acquire(fs.config->name);  // Spawning counts as busy
  if (phase == InitPhase::kInit) {
    env.init_timer = timers.arm(now() + options.init_timeout_ms * core::kUsPerMs, [this, id](core::TimeUs) {
      on_init_deadline(id);
      settle();
    });
  }
  SpawnContext ctx{log_group_name(fs.config->name), env.log_stream, "on-demand", "$LATEST", options.region};
  defer([this, id, config = env.config, ctx = std::move(ctx)] { processes.spawn(id, *config, ctx); });
  return env;
}

void LambdaService::Impl::make_room(const FunctionState& fs) {
  if (concurrency.is_reserved(fs.config->name)) return;  // its own reservation bounds it
  // Idle environments do not count against the pool, but they hold processes: keep the pool's
  // environments within its limit by reclaiming the least recently used Idle one.
  int live = 0;
  Environment* lru = nullptr;
  for (auto& [id, env] : envs) {
    if (env.state == EnvState::kDead || concurrency.is_reserved(env.config->name)) continue;
    ++live;
    if (env.state == EnvState::kIdle && (lru == nullptr || env.last_used_us < lru->last_used_us)) lru = &env;
  }
  if (live >= concurrency.unreserved_limit() && lru != nullptr) reset(*lru, EnvEvent::kReap);
}

void LambdaService::Impl::pump(FunctionState& fs) {
  while (!fs.async_queue.empty()) {
    Invocation* inv = invocation_by_id(fs.async_queue.front());
    if (inv == nullptr) {
      fs.async_queue.pop_front();
      continue;
    }
    if (fs.config->reserved_concurrency == 0) {
      // Reserved concurrency 0: the event can never run; AWS discards it without retries.
      fs.async_queue.pop_front();
      ++fs.throttles;
      Ending ending{false, "", "", "", kReasonReservedLimit};
      complete(*inv, InvokeOutcome{}, ending);
      continue;
    }
    if (route(fs, *inv)) return;  // no capacity yet: it waits at the head
    fs.async_queue.pop_front();
  }
}

void LambdaService::Impl::pump_all() {
  if (stopping) return;
  for (auto& [name, fs] : functions) {
    if (fs.trim) trim_to_reservation(fs);
    if (!fs.async_queue.empty()) pump(fs);
  }
}

void LambdaService::Impl::reroute(Invocation& inv) {
  inv.env = 0;
  if (stopping) return;  // shutdown() answers it
  FunctionState& fs = functions.at(inv.function);
  if (inv.async) {
    fs.async_queue.push_front(inv.request_id);
    return;
  }
  if (std::optional<std::string> reason = route(fs, inv)) throttle(fs, inv, *reason);
}

}  // namespace slipway::lambda
