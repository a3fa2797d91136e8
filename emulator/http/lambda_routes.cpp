#include "http/lambda_routes.h"

#include "http/edge.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <vector>

namespace slipway::http {

namespace {

namespace rest = lambda_rest;
using lambda::InvokeOutcome;
using LambdaFunction = rest::LambdaResult<const lambda::FunctionConfig*>;

rest::FunctionView view_of(const lambda::FunctionConfig& fn, const LambdaEdge& edge) {
  rest::FunctionView v;
  v.name = fn.name;
  v.handler = fn.handler;
  v.code_uri = fn.command.empty() ? fn.code_uri : std::string();
  v.command = fn.command;
  v.memory_mb = fn.memory_mb;
  v.timeout_s = fn.timeout_s;
  v.environment = fn.environment;
  v.reserved_concurrency = fn.reserved_concurrency;
  v.last_modified_us = edge.started_us;
  return v;
}

lambda::InvocationType to_core(rest::InvocationType t) {
  switch (t) {
    case rest::InvocationType::kEvent: return lambda::InvocationType::kEvent;
    case rest::InvocationType::kDryRun: return lambda::InvocationType::kDryRun;
    default: return lambda::InvocationType::kRequestResponse;
  }
}

Response render_outcome(const InvokeOutcome& o, const std::string& fallback_id, bool tail) {
  const std::string& id = o.request_id.empty() ? fallback_id : o.request_id;
  switch (o.kind) {
    case InvokeOutcome::Kind::kOk:
    case InvokeOutcome::Kind::kFunctionError: {
      rest::InvokeOutcome out;
      out.payload = o.payload;
      if (o.kind == InvokeOutcome::Kind::kFunctionError) out.function_error = o.function_error;
      if (tail) out.log_tail = o.log_tail;
      return rest::encode_invoke_result(out, id);
    }
    case InvokeOutcome::Kind::kThrottled: return rest::encode_throttled(o.throttle_reason, 1, id);
    case InvokeOutcome::Kind::kNotFound:
      return rest::encode_error({rest::LambdaErrorCode::kResourceNotFound, o.payload}, id);
    case InvokeOutcome::Kind::kAccepted: return rest::encode_invoke_accepted(id);
    case InvokeOutcome::Kind::kDryRun: return rest::encode_dry_run(id);
    case InvokeOutcome::Kind::kServiceError:
    default: return rest::encode_error({rest::LambdaErrorCode::kService, o.payload}, id);
  }
}

void invoke(const Request& req, const std::string& function, Reply reply, const LambdaEdge& edge,
            const std::string& request_id) {
  auto decoded = rest::decode_invoke(req, function, edge.site, edge.limits);
  if (!decoded.ok()) {
    reply(rest::encode_error(decoded.error(), request_id));
    return;
  }
  rest::InvokeRequest& in = decoded.value();
  const lambda::FunctionConfig* fn = edge.service->find_function(in.target.name);
  if (auto missing = rest::check_target(in.target, fn != nullptr)) {
    reply(rest::encode_error(*missing, request_id));
    return;
  }
  lambda::InvokeRequest call;
  call.function = fn->name;
  call.payload = std::move(in.payload);
  call.type = to_core(in.type);
  call.client_context = in.client_context.value_or(std::string());
  call.trace_id = in.trace_id.value_or(std::string());
  call.tail_log = in.log_tail;
  const bool tail = in.log_tail;
  edge.service->invoke(std::move(call), [reply = std::move(reply), request_id, tail](InvokeOutcome outcome) {
    reply(render_outcome(outcome, request_id, tail));
  });
}

// The function a control-plane route names, or the error to answer: the FunctionName must parse
// and name an existing function ($LATEST, the only version slipway has).
LambdaFunction resolve_function(const Request& req, const std::string& function, const LambdaEdge& edge) {
  auto target = rest::resolve_target(function, rest::query_qualifier(req), edge.site);
  if (!target.ok()) return target.error();
  const lambda::FunctionConfig* fn = edge.service->find_function(target.value().name);
  if (auto missing = rest::check_target(target.value(), fn != nullptr)) return *missing;
  return fn;
}

rest::LambdaError from_core(const core::Error& e) {
  return {e.code == core::ErrorCode::kNotFound ? rest::LambdaErrorCode::kResourceNotFound
                                               : rest::LambdaErrorCode::kInvalidParameterValue,
          e.message};
}

Response list_functions(const Request& req, const LambdaEdge& edge, const std::string& request_id) {
  auto list = rest::decode_list_functions(req);
  if (!list.ok()) return rest::encode_error(list.error(), request_id);
  std::vector<rest::FunctionView> views;
  for (const lambda::FunctionConfig* fn : edge.service->functions()) views.push_back(view_of(*fn, edge));
  return rest::encode_list_functions(std::move(views), list.value(), edge.site, request_id);
}

Response account_settings(const LambdaEdge& edge, const std::string& request_id) {
  const lambda::LambdaStats stats = edge.service->stats();
  rest::AccountSettings s;
  s.concurrent_executions = stats.account_concurrency;
  s.unreserved_concurrent_executions = stats.unreserved_concurrency_limit;
  s.function_count = static_cast<int64_t>(stats.functions.size());
  return rest::encode_account_settings(s, request_id);
}

// PutFunctionConcurrency (the body's value) or DeleteFunctionConcurrency (nullopt).
Response set_concurrency(const Request& req, const lambda::FunctionConfig& fn, bool put, const LambdaEdge& edge,
                         const std::string& request_id) {
  std::optional<int> reserved;
  if (put) {
    auto decoded = rest::decode_put_function_concurrency(req);
    if (!decoded.ok()) return rest::encode_error(decoded.error(), request_id);
    reserved = decoded.value();
  }
  const core::Status status = edge.service->set_reserved_concurrency(fn.name, reserved);
  if (!status.ok()) return rest::encode_error(from_core(status.error()), request_id);
  return put ? rest::encode_function_concurrency(reserved, request_id)
             : rest::encode_delete_function_concurrency(request_id);
}

// The operations on one function other than Invoke.
Response function_operation(const Request& req, const rest::LambdaRoute& r, const LambdaEdge& edge,
                            const std::string& request_id) {
  LambdaFunction found = resolve_function(req, r.function, edge);
  if (!found.ok()) return rest::encode_error(found.error(), request_id);
  const lambda::FunctionConfig& fn = *found.value();
  switch (r.kind) {
    case rest::RouteKind::kGetFunction: return rest::encode_get_function(view_of(fn, edge), edge.site, request_id);
    case rest::RouteKind::kGetFunctionConfiguration:
      return rest::encode_get_function_configuration(view_of(fn, edge), edge.site, request_id);
    case rest::RouteKind::kGetFunctionConcurrency:
      return rest::encode_function_concurrency(fn.reserved_concurrency, request_id);
    case rest::RouteKind::kPutFunctionConcurrency: return set_concurrency(req, fn, true, edge, request_id);
    case rest::RouteKind::kDeleteFunctionConcurrency: return set_concurrency(req, fn, false, edge, request_id);
    default: std::abort();  // handle_lambda routes only the kinds above here
  }
}

}  // namespace

bool is_lambda_request(const Request& request) { return rest::is_lambda_path(request.path); }

void handle_lambda(const Request& req, Reply reply, const LambdaEdge& edge) {
  const std::string request_id = new_request_id();
  auto route = rest::match_route(req.method, req.path);
  if (!route.ok()) {
    reply(rest::encode_error(route.error(), request_id));
    return;
  }
  const rest::LambdaRoute& r = route.value();
  switch (r.kind) {
    case rest::RouteKind::kInvoke: invoke(req, r.function, std::move(reply), edge, request_id); return;
    case rest::RouteKind::kListFunctions: reply(list_functions(req, edge, request_id)); return;
    case rest::RouteKind::kGetAccountSettings: reply(account_settings(edge, request_id)); return;
    default: reply(function_operation(req, r, edge, request_id)); return;
  }
}

}  // namespace slipway::http
