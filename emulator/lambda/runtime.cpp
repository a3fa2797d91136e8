// The Runtime API as the service sees it: GET /next, POST .../response, .../error and
// /init/error of one environment. Every call is validated (environment, request id, state)
// before its transition; a rejected call changes nothing.
#include "lambda/failures.h"
#include "lambda/service_impl.h"

namespace slipway::lambda {

RuntimeReply LambdaService::Impl::next(EnvId id, Deliver deliver) {
  Environment* env = env_by_id(id);
  const EnvEvent event = EnvEvent::kNextRequested;
  if (env == nullptr) return reply_invalid_transition(state_name(EnvState::kDead), target_name(event));
  const EnvState from = env->state;
  if (!apply(*env, event)) return reply_invalid_transition(state_name(from), target_name(event));
  env->waiter = std::move(deliver);
  became_ready(*env, from);
  return RuntimeReply{200, "", ""};
}

void LambdaService::Impl::became_ready(Environment& env, EnvState from) {
  if (from == EnvState::kStarting) {
    if (env.init_timer != 0) timers.cancel(std::exchange(env.init_timer, 0));
    // Suppressed (invoke-phase) init is folded into the invocation's Duration instead.
    if (env.init_phase == InitPhase::kInit) env.init_duration_us = now() - env.spawned_at_us;
  }
  if (env.invoke_timer != 0) timers.cancel(std::exchange(env.invoke_timer, 0));  // from Finishing
  if (Invocation* inv = invocation_by_id(env.invocation)) {
    deliver(env, *inv);
    return;
  }
  env.invocation.clear();
  function_of(env).idle.push_back(env.id);
  const EnvId id = env.id;
  env.reap_timer = timers.arm(now() + options.idle_timeout_ms * core::kUsPerMs, [this, id](core::TimeUs) {
    on_reap(id);
    settle();
  });
}

RuntimeReply LambdaService::Impl::answer(EnvId id, std::string_view request_id, EnvEvent event,
                                         size_t body_bytes, const std::function<Ending()>& ending) {
  Environment* env = env_by_id(id);
  if (env == nullptr) return reply_invalid_transition(state_name(EnvState::kDead), target_name(event));
  if (env->delivered_id.empty() || request_id != env->delivered_id) return reply_invalid_request_id();
  if (!next_state(env->state, event)) return reply_invalid_transition(state_name(env->state), target_name(event));
  Invocation& inv = invocations.at(env->invocation);
  apply(*env, event);
  env->invocation.clear();
  env->last_used_us = now();
  const int64_t limit = options.sync_response_bytes_max;
  if (static_cast<int64_t>(body_bytes) > limit) {
    finish(env, inv, Ending{false, response_too_large_json(limit), "error", kResponseSizeTooLarge,
                            kResponseSizeTooLarge});
    return reply_too_large(limit);
  }
  finish(env, inv, ending());
  return reply_accepted();
}

RuntimeReply LambdaService::Impl::response(EnvId id, std::string_view request_id, std::string body) {
  const size_t bytes = body.size();
  return answer(id, request_id, EnvEvent::kResponse, bytes,
                [&] { return Ending{true, std::move(body), "", "", ""}; });
}

RuntimeReply LambdaService::Impl::invocation_error(EnvId id, std::string_view request_id, std::string header,
                                                   std::string body) {
  // The runtime reported the error and stays warm: REPORT carries no Status.
  return answer(id, request_id, EnvEvent::kInvocationError, body.size(), [&] {
    return Ending{false, reported_error_payload(header, body, kErrorUnhandled), "", "",
                  reported_error_type(header, body, kErrorUnhandled)};
  });
}

RuntimeReply LambdaService::Impl::init_error(EnvId id, std::string header, std::string body) {
  Environment* env = env_by_id(id);
  const EnvEvent event = EnvEvent::kInitError;
  if (env == nullptr) return reply_invalid_transition(state_name(EnvState::kDead), target_name(event));
  if (!next_state(env->state, event)) return reply_invalid_transition(state_name(env->state), target_name(event));
  InitFailure failure;
  failure.event = event;
  failure.status = "error";
  failure.error_type = reported_error_type(header, body, kRuntimeUnknown);
  failure.body = reported_error_payload(header, body, kRuntimeUnknown);
  failure.reported = true;
  init_failed(*env, failure);
  return reply_accepted();
}

}  // namespace slipway::lambda
