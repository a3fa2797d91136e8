// The Lambda REST codec: PutFunctionConcurrency, GetFunctionConcurrency,
// DeleteFunctionConcurrency and GetAccountSettings.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <climits>

#include "http/lambda_rest.h"
#include "http/lambda_rest_json.h"

namespace slipway::http::lambda_rest {

using namespace detail;

namespace {
constexpr const char* kReservedMember = "ReservedConcurrentExecutions";
constexpr std::string_view kReservedField = "reservedConcurrentExecutions";  // as AWS's validator names it
}  // namespace

LambdaResult<int> decode_put_function_concurrency(const Request& request) {
  rapidjson::Document doc;
  doc.Parse(request.body.data(), request.body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    const std::string why = doc.HasParseError() ? rapidjson::GetParseError_En(doc.GetParseError())
                                                : "the body is not a JSON object";
    return error(LambdaErrorCode::kInvalidRequestContent, "Could not parse request body into json: " + why);
  }
  auto it = doc.FindMember(kReservedMember);
  if (it == doc.MemberEnd() || it->value.IsNull()) {
    return error(LambdaErrorCode::kValidation, "1 validation error detected: Value null at '" +
                                                   std::string(kReservedField) +
                                                   "' failed to satisfy constraint: Member must not be null");
  }
  const rapidjson::Value& v = it->value;
  if (!v.IsInt64()) {
    return error(LambdaErrorCode::kInvalidRequestContent,
                 "Could not parse request body into json: ReservedConcurrentExecutions must be an integer");
  }
  const int64_t n = v.GetInt64();
  if (n < 0) {
    return validation(std::to_string(n), kReservedField, "Member must have value greater than or equal to 0");
  }
  return static_cast<int>(std::min<int64_t>(n, INT_MAX));
}

Response encode_function_concurrency(std::optional<int> reserved, std::string_view request_id) {
  return json_response(200, json_object([&](JsonWriter& w) {
                         if (reserved) put_int(w, kReservedMember, *reserved);
                       }),
                       request_id);
}

Response encode_delete_function_concurrency(std::string_view request_id) { return empty_response(204, request_id); }

Response encode_account_settings(const AccountSettings& s, std::string_view request_id) {
  return json_response(200, json_object([&](JsonWriter& w) {
                         object(w, "AccountLimit", [&] {
                           put_int(w, "TotalCodeSize", s.total_code_size_bytes_max);
                           put_int(w, "CodeSizeUnzipped", s.code_size_unzipped_bytes_max);
                           put_int(w, "CodeSizeZipped", s.code_size_zipped_bytes_max);
                           put_int(w, "ConcurrentExecutions", s.concurrent_executions);
                           put_int(w, "UnreservedConcurrentExecutions", s.unreserved_concurrent_executions);
                         });
                         object(w, "AccountUsage", [&] {
                           put_int(w, "TotalCodeSize", s.total_code_size_bytes);
                           put_int(w, "FunctionCount", s.function_count);
                         });
                       }),
                       request_id);
}

}  // namespace slipway::http::lambda_rest
