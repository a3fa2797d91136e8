// Ending an invocation: END and REPORT in its environment's log stream, the outcome to the
// caller (or, for an Event invocation, to on_async_done and the async store), throttles.
#include <utility>

#include "lambda/failures.h"
#include "lambda/service_impl.h"

namespace slipway::lambda {

void LambdaService::Impl::finish(Environment* env, Invocation& inv, Ending ending) {
  if (env != nullptr) {
    log(*env, end_line(inv.request_id), &inv);
    ReportFields report;
    report.request_id = inv.request_id;
    report.duration_us = now() - inv.phase_start_us;
    report.init_duration_us = std::exchange(env->init_duration_us, std::nullopt);  // first invoke only
    report.memory_size_mb = env->config->memory_mb;
    report.max_memory_used_mb = processes.max_memory_used_mb(env->id);
    report.status = ending.status;
    report.error_type = ending.error_type;
    log(*env, report_line(report), &inv);
  }
  InvokeOutcome outcome;
  outcome.kind = ending.ok ? InvokeOutcome::Kind::kOk : InvokeOutcome::Kind::kFunctionError;
  outcome.payload = ending.payload;
  if (!ending.ok) outcome.function_error = kErrorUnhandled;
  outcome.request_id = inv.request_id;
  if (inv.request.tail_log) outcome.log_tail = inv.tail.text();
  complete(inv, std::move(outcome), ending);
}

void LambdaService::Impl::complete(Invocation& inv, InvokeOutcome outcome, const Ending& ending) {
  if (inv.async) {
    report_async(inv, ending);
  } else if (inv.done) {
    defer([done = std::move(inv.done), outcome = std::move(outcome)] { done(outcome); });
  }
  const std::string id = inv.request_id;
  invocations.erase(id);
}

void LambdaService::Impl::throttle(FunctionState& fs, Invocation& inv, const std::string& reason) {
  ++fs.throttles;
  InvokeOutcome outcome;
  outcome.kind = InvokeOutcome::Kind::kThrottled;
  outcome.throttle_reason = reason;
  outcome.request_id = inv.request_id;
  complete(inv, std::move(outcome), Ending{false, "", "", "", reason});
}

void LambdaService::Impl::report_async(const Invocation& inv, const Ending& ending) {
  store->remove_event(inv.request_id);
  if (!options.on_async_done) return;
  AsyncCompletion c{inv.function, inv.request_id, ending.ok, ending.ok ? "" : ending.async_error,
                    ending.payload};
  defer([this, c = std::move(c)] { options.on_async_done(c); });
}

Ending LambdaService::Impl::platform_failure(const Environment& env, Invocation& inv, std::string_view type,
                                             std::string_view message, std::string_view report_type) {
  log(env, platform_error_line(inv.request_id, message), &inv);
  log(env, type, &inv);
  return Ending{false, platform_error_json(type, inv.request_id, message), "error", std::string(report_type),
                std::string(type)};
}

}  // namespace slipway::lambda
