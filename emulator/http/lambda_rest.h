// The Lambda control- and data-plane codec on the edge port (../shared/spec/lambda.md §4, §5):
// restJson1 over http::Request / http::Response. Pure functions: no I/O, no loop, no service.
//
// Owns: the routes under /2015-03-31/functions (Invoke, ListFunctions, GetFunction,
// GetFunctionConfiguration), /2017-10-31/functions and /2019-09-30/functions (the
// Put/Get/DeleteFunctionConcurrency operations) and /2016-08-19/account-settings
// (GetAccountSettings), FunctionName parsing (name, partial ARN, full ARN, each with an
// optional ":qualifier"), request validation, and every answer's wire shape. The URIs and member
// names are botocore's (botocore/data/lambda/2015-03-31/service-2.json).
//
// Inputs: a Request as the server hands it (path not percent-decoded, query not decoded); the
// region and account the daemon serves (`Site`); the limits profile's payload ceilings. The
// caller resolves the target against its function table and calls `check_target`.
//
// Outputs: Responses with `Content-Type: application/json` (none on 202/204) and
// `x-amzn-RequestId` on every answer. Errors use restJson1: header `x-amzn-ErrorType: <Code>`
// (bare code; AWS sometimes appends ":http://internal.amazon.com/...", which every SDK strips,
// so we never send it) and a JSON body whose keys follow the botocore model per error:
// `Message` for ResourceNotFoundException and ServiceException, `message` elsewhere; `Type`
// ("User" or "Service") except on ValidationException, which AWS sends as {"message": ...}.
//
// Where AWS differs from its own model, we follow AWS: an oversized Invoke is
// RequestEntityTooLargeException (the model says RequestTooLargeException; aws-sdk-go#3080), and
// a bad X-Amz-Invocation-Type is a ValidationException, not InvalidParameterValueException.
//
// Extending: a new operation adds a RouteKind, a case in match_route and its encoder; a new
// error adds a LambdaErrorCode and one row in lambda_rest.cpp's table. The code is split by
// concern: lambda_rest.cpp (errors, routes, names), lambda_rest_invoke.cpp,
// lambda_rest_functions.cpp (listings), lambda_rest_concurrency.cpp (concurrency and account
// settings); lambda_rest_json.h holds their shared helpers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/message.h"

namespace slipway::http::lambda_rest {

inline constexpr std::string_view kContentType = "application/json";
inline constexpr std::string_view kApiPrefix = "/2015-03-31/functions";
// The API versions AWS gave later operations: their paths carry their own date.
inline constexpr std::string_view kConcurrencyPrefix = "/2017-10-31/functions";     // Put, Delete
inline constexpr std::string_view kGetConcurrencyPrefix = "/2019-09-30/functions";  // Get
inline constexpr std::string_view kAccountSettingsPath = "/2016-08-19/account-settings";
inline constexpr std::string_view kLatest = "$LATEST";

// ---------------------------------------------------------------------------------- errors

enum class LambdaErrorCode {
  kValidation,              // 400 ValidationException (framework-level constraint failures)
  kInvalidParameterValue,   // 400
  kInvalidRequestContent,   // 400 (payload not JSON, bad client context)
  kResourceNotFound,        // 404
  kUnknownOperation,        // 404 a /2015-03-31/functions path or method slipway does not serve
  kResourceConflict,        // 409
  kRequestEntityTooLarge,   // 413
  kUnsupportedMediaType,    // 415
  kTooManyRequests,         // 429 (see encode_throttled for its extra members)
  kService,                 // 500 ServiceException
};

struct LambdaError {
  LambdaErrorCode code;
  std::string message;
};

template <typename T>
using LambdaResult = core::Result<T, LambdaError>;

// The wire name ("ResourceNotFoundException", ...) and HTTP status of a code.
std::string_view error_name(LambdaErrorCode code);
int error_status(LambdaErrorCode code);

// The error answer: status, x-amzn-ErrorType, the body per the table above, x-amzn-RequestId.
Response encode_error(const LambdaError& error, std::string_view request_id);

// 429 TooManyRequestsException: `Retry-After: <seconds>` and
// {"Reason": <reason>, "Type": "User", "message": "Rate Exceeded."}. `reason` is one of the
// model's ThrottleReason values, e.g. "ReservedFunctionConcurrentInvocationLimitExceeded".
Response encode_throttled(std::string_view reason, int retry_after_s, std::string_view request_id);

// ---------------------------------------------------------------------------------- routing

enum class RouteKind {
  kInvoke,
  kListFunctions,
  kGetFunction,
  kGetFunctionConfiguration,
  kGetAccountSettings,
  kPutFunctionConcurrency,
  kGetFunctionConcurrency,
  kDeleteFunctionConcurrency,
};

struct LambdaRoute {
  RouteKind kind;
  std::string function;  // the {FunctionName} segment, percent-decoded; empty for kListFunctions
};

// True for paths the Lambda codec answers: /2015-03-31/functions, /2017-10-31/functions,
// /2019-09-30/functions and /2016-08-19/account-settings, and everything below each.
bool is_lambda_path(std::string_view path);

// The route for (method, path), or UnknownOperation for a Lambda path slipway does not serve.
//   POST /2015-03-31/functions/{FunctionName}/invocations      -> kInvoke
//   GET  /2015-03-31/functions  and  /2015-03-31/functions/   -> kListFunctions
//   GET  /2015-03-31/functions/{FunctionName}                 -> kGetFunction
//   GET  /2015-03-31/functions/{FunctionName}/configuration   -> kGetFunctionConfiguration
//   GET  /2016-08-19/account-settings  (botocore today; older SDKs add '/') -> kGetAccountSettings
//   PUT    /2017-10-31/functions/{FunctionName}/concurrency   -> kPutFunctionConcurrency
//   GET    /2019-09-30/functions/{FunctionName}/concurrency   -> kGetFunctionConcurrency
//   DELETE /2017-10-31/functions/{FunctionName}/concurrency   -> kDeleteFunctionConcurrency
// A trailing '/' after any of them is tolerated. REQUIRES: is_lambda_path(path).
LambdaResult<LambdaRoute> match_route(std::string_view method, std::string_view path);

// The region and account this daemon answers for (manifest Settings).
struct Site {
  std::string region = "us-east-1";
  std::string account = "000000000000";
};

// A parsed FunctionName plus the Qualifier query parameter, reconciled.
struct Target {
  std::string name;                      // the bare function name
  std::optional<std::string> qualifier;  // from "name:qualifier" or ?Qualifier=; absent = $LATEST
  std::string arn;                       // the ARN AWS names in messages (qualified when asked)

  bool is_latest() const { return !qualifier || *qualifier == kLatest; }
};

// Parses `function_name` (already percent-decoded) against the model's pattern
//   (arn:(aws[a-zA-Z-]*)?:lambda:)?(<region>:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:<qualifier>)?
// and reconciles it with `qualifier_param` (the Qualifier query parameter; empty = absent).
// Errors: ValidationException for a name or qualifier outside the pattern;
// InvalidParameterValueException "The derived qualifier from the function name does not match
// the specified qualifier."; ResourceNotFoundException for another region's or account's ARN.
LambdaResult<Target> resolve_target(std::string_view function_name, std::string_view qualifier_param,
                                    const Site& site);

// The Qualifier query parameter of `request` (percent-decoded), or "" when absent. GetFunction
// and GetFunctionConfiguration take it too: pass it to resolve_target.
std::string query_qualifier(const Request& request);

// ResourceNotFoundException "Function not found: <arn>" unless the function exists and the
// target names $LATEST (the only version slipway has); nullopt when the target is servable.
std::optional<LambdaError> check_target(const Target& target, bool function_exists);

// "arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]".
std::string function_arn(const Site& site, std::string_view name, std::string_view qualifier = {});

// ---------------------------------------------------------------------------------- Invoke

enum class InvocationType { kRequestResponse, kEvent, kDryRun };

struct PayloadLimits {
  int64_t sync_request_bytes_max = 6291456;   // LambdaLimits::sync_request_bytes_max
  int64_t async_request_bytes_max = 1048576;  // LambdaLimits::async_request_bytes_max
  int client_context_bytes_max = 3583;        // LambdaLimits::client_context_bytes_max
};

struct InvokeRequest {
  Target target;
  InvocationType type = InvocationType::kRequestResponse;
  bool log_tail = false;                      // X-Amz-Log-Type: Tail (RequestResponse only)
  std::string payload;                        // valid JSON; "{}" when the body was empty
  std::optional<std::string> client_context;  // X-Amz-Client-Context, base64-decoded JSON object
  std::optional<std::string> trace_id;        // X-Amzn-Trace-Id, verbatim
  std::optional<std::string> tenant_id;       // X-Amz-Tenant-Id, verbatim
};

// Decodes and validates an Invoke. `function_name` is LambdaRoute::function. Checks, in order:
// X-Amz-Invocation-Type and X-Amz-Log-Type (ValidationException), the FunctionName and
// Qualifier (resolve_target), the payload size (413 RequestEntityTooLargeException: "Request
// must be smaller than 6291456 bytes for the InvokeFunction operation" for RequestResponse and
// DryRun; "<N> byte payload is too large for the Event invocation type (limit 1048576 bytes)"
// for Event; the body may be exactly the limit), the client context
// (InvalidRequestContentException "Client context must be a valid Base64-encoded JSON
// object."), and the payload (InvalidRequestContentException "Could not parse request body into
// json: Could not parse payload into json: ..."). An empty body becomes "{}", as AWS hands
// the function an empty object.
LambdaResult<InvokeRequest> decode_invoke(const Request& request, std::string_view function_name,
                                          const Site& site, const PayloadLimits& limits);

// What the function produced for a RequestResponse invoke.
struct InvokeOutcome {
  std::string payload;                        // the response, or the error JSON
  std::optional<std::string> function_error;  // "Unhandled" (or "Handled") on a function error
  std::optional<std::string> log_tail;        // raw log text when Tail was asked; the last 4 KB
                                              // are sent base64-encoded in X-Amz-Log-Result
};

// 200 with the payload, X-Amz-Executed-Version: $LATEST, X-Amz-Function-Error when set,
// X-Amz-Log-Result when log_tail is set.
Response encode_invoke_result(const InvokeOutcome& outcome, std::string_view request_id);
// 202, empty body (Event).
Response encode_invoke_accepted(std::string_view request_id);
// 204, empty body (DryRun).
Response encode_dry_run(std::string_view request_id);

// ------------------------------------------------------------- ListFunctions / GetFunction

// What the encoders need to know of one function (built by the caller from the manifest).
struct FunctionView {
  std::string name;
  std::string handler;
  std::string description;
  std::string code_uri;                 // absolute folder, or empty (a Command function)
  std::vector<std::string> command;     // argv of a Command function, or empty
  int memory_mb = 128;
  int timeout_s = 3;
  std::map<std::string, std::string> environment;
  std::optional<int> reserved_concurrency;
  core::TimeUs last_modified_us = 0;
  int64_t code_size_bytes = 0;
  std::string code_sha256;              // base64 of the SHA-256 of the code, as AWS shows it
  int ephemeral_storage_mb = 512;
};

struct ListFunctionsRequest {
  int max_items = 50;   // AWS returns at most 50 a page whatever MaxItems says
  std::string marker;   // the last name of the previous page; empty = from the start
};

// Reads MaxItems (1..10000, else ValidationException) and Marker from the query string.
LambdaResult<ListFunctionsRequest> decode_list_functions(const Request& request);

// The FunctionConfiguration object, as GetFunctionConfiguration answers it.
std::string function_configuration_json(const FunctionView& function, const Site& site);

// 200 {"Functions": [...], "NextMarker": ...}: functions sorted by name, those after `marker`,
// at most max_items (and 50); NextMarker only when more remain.
Response encode_list_functions(std::vector<FunctionView> functions, const ListFunctionsRequest& request,
                               const Site& site, std::string_view request_id);
// 200 {"Configuration": {...}, "Code": {"RepositoryType": "S3", "Location": ...},
// "Concurrency": {"ReservedConcurrentExecutions": N}} (Concurrency only when reserved; Location
// is a file:// URL of CodeUri, absent for Command functions).
Response encode_get_function(const FunctionView& function, const Site& site, std::string_view request_id);
// 200 with the FunctionConfiguration object.
Response encode_get_function_configuration(const FunctionView& function, const Site& site,
                                           std::string_view request_id);

// -------------------------------------------------- concurrency and account settings

// PutFunctionConcurrency's body {"ReservedConcurrentExecutions": N}. Errors:
// InvalidRequestContentException when the body is not a JSON object or N not an integer (our
// wording); ValidationException "... Value null at 'reservedConcurrentExecutions' failed to
// satisfy constraint: Member must not be null" when absent, "... Member must have value greater
// than or equal to 0" when negative. A value above INT_MAX is answered as INT_MAX (the service
// then refuses it as leaving too little unreserved).
LambdaResult<int> decode_put_function_concurrency(const Request& request);

// 200 {"ReservedConcurrentExecutions": N}, or {} when the function has no reservation
// (PutFunctionConcurrency's and GetFunctionConcurrency's answer).
Response encode_function_concurrency(std::optional<int> reserved, std::string_view request_id);
// 204, empty body.
Response encode_delete_function_concurrency(std::string_view request_id);

// GetAccountSettings' numbers. The code-size quotas are AWS's defaults (spec/lambda.md §4
// "Storage and packages"); slipway reports them but stores no packages, so usage is 0.
struct AccountSettings {
  int64_t total_code_size_bytes_max = 80530636800LL;  // 75 GB per region
  int64_t code_size_unzipped_bytes_max = 262144000;   // 250 MB
  int64_t code_size_zipped_bytes_max = 52428800;      // 50 MB
  int concurrent_executions = 1000;                   // the account pool
  int unreserved_concurrent_executions = 1000;        // the pool minus every reservation
  int64_t total_code_size_bytes = 0;
  int64_t function_count = 0;
};

// 200 {"AccountLimit": {"TotalCodeSize", "CodeSizeUnzipped", "CodeSizeZipped",
// "ConcurrentExecutions", "UnreservedConcurrentExecutions"}, "AccountUsage": {"TotalCodeSize",
// "FunctionCount"}}.
Response encode_account_settings(const AccountSettings& settings, std::string_view request_id);

}  // namespace slipway::http::lambda_rest
