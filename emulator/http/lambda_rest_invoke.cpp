// The Lambda REST codec: Invoke's request decoding and its answers.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "core/digest.h"
#include "http/lambda_rest.h"
#include "http/lambda_rest_json.h"

namespace slipway::http::lambda_rest {

using namespace detail;

// ---------------------------------------------------------------------------------- Invoke

namespace {

LambdaResult<InvocationType> decode_invocation_type(const Request& request) {
  const std::string* v = request.header("X-Amz-Invocation-Type");
  if (v == nullptr || *v == "RequestResponse") return InvocationType::kRequestResponse;
  if (*v == "Event") return InvocationType::kEvent;
  if (*v == "DryRun") return InvocationType::kDryRun;
  return validation(*v, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
}

LambdaResult<bool> decode_log_tail(const Request& request) {
  const std::string* v = request.header("X-Amz-Log-Type");
  if (v == nullptr || *v == "None") return false;
  if (*v == "Tail") return true;
  return validation(*v, "logType", "Member must satisfy enum value set: [Tail, None]");
}

std::optional<LambdaError> check_size(InvocationType type, size_t bytes, const PayloadLimits& limits) {
  const auto size = static_cast<int64_t>(bytes);
  if (type == InvocationType::kEvent && size > limits.async_request_bytes_max)
    return error(LambdaErrorCode::kRequestEntityTooLarge,
                 std::to_string(size) + " byte payload is too large for the Event invocation type (limit " +
                     std::to_string(limits.async_request_bytes_max) + " bytes)");
  if (type != InvocationType::kEvent && size > limits.sync_request_bytes_max)
    return error(LambdaErrorCode::kRequestEntityTooLarge,
                 "Request must be smaller than " + std::to_string(limits.sync_request_bytes_max) +
                     " bytes for the InvokeFunction operation");
  return std::nullopt;
}

LambdaResult<std::optional<std::string>> decode_client_context(const Request& request,
                                                               const PayloadLimits& limits) {
  const std::string* v = request.header("X-Amz-Client-Context");
  if (v == nullptr || v->empty()) return std::optional<std::string>();
  // AWS states the limit but not its message; this wording is ours.
  if (v->size() > static_cast<size_t>(limits.client_context_bytes_max))
    return error(LambdaErrorCode::kInvalidRequestContent,
                 "Client context must be at most " + std::to_string(limits.client_context_bytes_max) + " bytes.");
  std::optional<std::string> raw = core::base64_decode(*v);
  rapidjson::Document doc;
  if (raw) doc.Parse<rapidjson::kParseValidateEncodingFlag>(raw->data(), raw->size());
  if (!raw || doc.HasParseError() || !doc.IsObject())
    return error(LambdaErrorCode::kInvalidRequestContent, "Client context must be a valid Base64-encoded JSON object.");
  return std::optional<std::string>(std::move(*raw));
}

// Validates without building a tree: a 6 MB payload must not cost a DOM on the loop thread.
std::optional<LambdaError> check_json(std::string_view payload) {
  rapidjson::Reader reader;
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::MemoryStream in(payload.data(), payload.size());
  rapidjson::ParseResult result = reader.Parse<rapidjson::kParseValidateEncodingFlag>(in, ignore);
  // MemoryStream reads a NUL byte as the end: whatever follows one must still be rejected.
  if (!result.IsError() && in.Tell() != payload.size())
    result.Set(rapidjson::kParseErrorDocumentRootNotSingular, in.Tell());
  if (!result.IsError()) return std::nullopt;
  return error(LambdaErrorCode::kInvalidRequestContent,
               std::string("Could not parse request body into json: Could not parse payload into json: ") +
                   rapidjson::GetParseError_En(result.Code()) + " (at byte " + std::to_string(result.Offset()) + ")");
}

}  // namespace

LambdaResult<InvokeRequest> decode_invoke(const Request& request, std::string_view function_name,
                                          const Site& site, const PayloadLimits& limits) {
  InvokeRequest out;
  auto type = decode_invocation_type(request);
  if (!type.ok()) return type.error();
  out.type = type.value();
  auto tail = decode_log_tail(request);
  if (!tail.ok()) return tail.error();
  out.log_tail = tail.value() && out.type == InvocationType::kRequestResponse;
  auto target = resolve_target(function_name, query_qualifier(request), site);
  if (!target.ok()) return target.error();
  out.target = std::move(target).value();
  if (auto e = check_size(out.type, request.body.size(), limits)) return *e;
  auto context = decode_client_context(request, limits);
  if (!context.ok()) return context.error();
  out.client_context = std::move(context).value();
  if (!request.body.empty()) {
    if (auto e = check_json(request.body)) return *e;
  }
  out.payload = request.body.empty() ? "{}" : request.body;
  if (const std::string* v = request.header("X-Amzn-Trace-Id")) out.trace_id = *v;
  if (const std::string* v = request.header("X-Amz-Tenant-Id")) out.tenant_id = *v;
  return out;
}

Response encode_invoke_result(const InvokeOutcome& outcome, std::string_view request_id) {
  constexpr size_t kTailBytes = 4096;  // "the last 4 KB of the execution log"
  Response r = json_response(200, outcome.payload, request_id);
  r.set_header("X-Amz-Executed-Version", std::string(kLatest));
  if (outcome.function_error) r.set_header("X-Amz-Function-Error", *outcome.function_error);
  if (outcome.log_tail) {
    std::string_view tail = *outcome.log_tail;
    if (tail.size() > kTailBytes) tail.remove_prefix(tail.size() - kTailBytes);
    r.set_header("X-Amz-Log-Result", core::base64_encode(tail));
  }
  return r;
}

Response encode_invoke_accepted(std::string_view request_id) { return empty_response(202, request_id); }
Response encode_dry_run(std::string_view request_id) { return empty_response(204, request_id); }

}  // namespace slipway::http::lambda_rest
