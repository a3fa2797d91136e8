#include "runtime-api/handlers.h"

#include <array>

#include "core/digest.h"

namespace slipway::runtime_api {

namespace {

using lambda::EnvId;
using lambda::LambdaService;
using lambda::NextEvent;
using lambda::RuntimeReply;

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

RuntimeAnswer error_answer(int status, std::string_view type, std::string_view message) {
  return RuntimeAnswer{status, {{"Content-Type", "application/json"}},
                       "{\"errorMessage\":" + json_string(message) + ",\"errorType\":" + json_string(type) + "}"};
}

RuntimeAnswer render(const RuntimeReply& reply) {
  if (reply.status == 200 || reply.status == 202) {
    return RuntimeAnswer{reply.status, {{"Content-Type", "application/json"}}, "{\"status\":\"OK\"}"};
  }
  return error_answer(reply.status, reply.error_type, reply.message);
}

RuntimeAnswer render_event(const NextEvent& e) {
  if (e.cancelled) {
    return error_answer(500, "Runtime.ContainerError", "This execution environment is shutting down; exit now.");
  }
  RuntimeAnswer a;
  a.headers = {{std::string(headers::kAwsRequestId), e.request_id},
               {std::string(headers::kDeadlineMs), std::to_string(e.deadline_ms)},
               {std::string(headers::kInvokedFunctionArn), e.invoked_function_arn},
               {std::string(headers::kTraceId), e.trace_id},
               {"Content-Type", "application/json"}};
  if (!e.client_context.empty()) a.headers.emplace_back(std::string(headers::kClientContext), e.client_context);
  if (!e.cognito_identity.empty()) a.headers.emplace_back(std::string(headers::kCognitoIdentity), e.cognito_identity);
  a.body = e.payload;
  return a;
}

// ---- One handler per endpoint ----

void next(LambdaService& service, EnvId env, const RouteMatch&, RuntimeCall, Answer answer) {
  auto shared = std::make_shared<Answer>(std::move(answer));
  RuntimeReply reply = service.next(env, [shared](NextEvent event) { (*shared)(render_event(event)); });
  if (reply.status != 200) (*shared)(render(reply));
}

void response(LambdaService& service, EnvId env, const RouteMatch& m, RuntimeCall call, Answer answer) {
  if (!call.response_mode.empty() && call.response_mode != headers::kResponseModeStreaming) {
    answer(error_answer(400, "InvalidFunctionResponseMode",
                        "Invalid response mode '" + call.response_mode + "'; the only supported mode is 'streaming'."));
    return;
  }
  if (!call.trailer_error_type.empty() || !call.trailer_error_body.empty()) {
    // A streamed response that failed midway: the invocation fails with the trailers' error.
    std::string body = core::base64_decode(call.trailer_error_body).value_or(std::string());
    answer(render(service.invocation_error(env, m.request_id, call.trailer_error_type, std::move(body))));
    return;
  }
  answer(render(service.response(env, m.request_id, std::move(call.body))));
}

void invocation_error(LambdaService& service, EnvId env, const RouteMatch& m, RuntimeCall call, Answer answer) {
  answer(render(service.invocation_error(env, m.request_id, std::move(call.error_type), std::move(call.body))));
}

void init_error(LambdaService& service, EnvId env, const RouteMatch&, RuntimeCall call, Answer answer) {
  answer(render(service.init_error(env, std::move(call.error_type), std::move(call.body))));
}

void extension_not_supported(LambdaService&, EnvId, const RouteMatch&, RuntimeCall, Answer answer) {
  answer(error_answer(403, "Extension.NotSupported",
                      "slipway does not run external extensions yet; this runtime needs none to be invoked."));
}

using HandlerFn = void (*)(LambdaService&, EnvId, const RouteMatch&, RuntimeCall, Answer);

// Indexed by RouteId, in kRoutes order.
constexpr std::array<HandlerFn, static_cast<size_t>(RouteId::kCount)> kHandlers{{
    next,
    response,
    invocation_error,
    init_error,
    extension_not_supported,  // kExtensionRegister
    extension_not_supported,  // kExtensionNextEvent
    extension_not_supported,  // kExtensionInitError
    extension_not_supported,  // kExtensionExitError
}};

}  // namespace

void handle_runtime_call(LambdaService& service, EnvId env, RuntimeCall call, Answer answer) {
  const RouteLookup found = lookup_route(call.method, call.path);
  if (found.outcome == MatchOutcome::kMethodNotAllowed) {
    RuntimeAnswer a = error_answer(405, "MethodNotAllowed", call.method + " is not allowed on " + call.path);
    a.headers.emplace_back("Allow", found.allow);
    answer(std::move(a));
    return;
  }
  if (found.outcome == MatchOutcome::kNotFound) {
    answer(error_answer(404, "NotFound", "The Runtime API has no endpoint " + call.path));
    return;
  }
  const RouteMatch& match = *found.match;
  kHandlers[static_cast<size_t>(match.id)](service, env, match, std::move(call), std::move(answer));
}

}  // namespace slipway::runtime_api
