// The Lambda REST codec without a server: routes, FunctionName parsing, Invoke decoding with its
// exact AWS error shapes and size boundaries, and the control-plane JSON.
#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include <string>

#include "core/digest.h"
#include "core/limits.h"
#include "http/lambda_rest.h"

using namespace slipway;
using namespace slipway::http;
using namespace slipway::http::lambda_rest;

namespace {

const Site kSite{};  // us-east-1, 000000000000
constexpr core::TimeUs kNov27 = 1795766400 * core::kUsPerSecond;  // 2026-11-27T08:00:00Z

Request post(std::string body, std::vector<Header> headers = {}, std::string query = "") {
  Request r;
  r.method = "POST";
  r.path = "/2015-03-31/functions/my-fn/invocations";
  r.query = std::move(query);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

PayloadLimits limits(const core::LimitsProfile& p = core::LimitsProfile::aws()) {
  return PayloadLimits{p.lambda.sync_request_bytes_max, p.lambda.async_request_bytes_max,
                       p.lambda.client_context_bytes_max};
}

InvokeRequest ok_invoke(const Request& r, const PayloadLimits& l = limits()) {
  auto result = decode_invoke(r, "my-fn", kSite, l);
  if (!result.ok()) FAIL("unexpected error: " << result.error().message);
  return std::move(result).value();
}

LambdaError invoke_error(const Request& r, const PayloadLimits& l = limits()) {
  auto result = decode_invoke(r, "my-fn", kSite, l);
  REQUIRE_FALSE(result.ok());
  return result.error();
}

template <typename T>
LambdaError err(const LambdaResult<T>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error();
}

rapidjson::Document json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

std::string header(const Response& r, std::string_view name) {
  const std::string* v = find_header(r.headers, name);
  return v ? *v : "<absent>";
}

// A JSON string literal of exactly `bytes` bytes.
std::string json_of_size(size_t bytes) { return "\"" + std::string(bytes - 2, 'a') + "\""; }

}  // namespace

// ============================================================================ routing

TEST_CASE("lambda_rest: which paths belong to Lambda") {
  CHECK(is_lambda_path("/2015-03-31/functions"));
  CHECK(is_lambda_path("/2015-03-31/functions/"));
  CHECK(is_lambda_path("/2015-03-31/functions/f/invocations"));
  CHECK_FALSE(is_lambda_path("/2015-03-31/functionsX"));
  CHECK_FALSE(is_lambda_path("/2015-03-31"));
  CHECK_FALSE(is_lambda_path("/bucket/2015-03-31/functions"));
}

TEST_CASE("lambda_rest: the concurrency and account-settings paths belong to Lambda") {
  CHECK(is_lambda_path("/2016-08-19/account-settings"));
  CHECK(is_lambda_path("/2016-08-19/account-settings/"));
  CHECK(is_lambda_path("/2017-10-31/functions/f/concurrency"));
  CHECK(is_lambda_path("/2019-09-30/functions/f/concurrency"));
  CHECK_FALSE(is_lambda_path("/2016-08-19/account-settingsX"));
  CHECK_FALSE(is_lambda_path("/2017-10-31"));
  CHECK_FALSE(is_lambda_path("/2019-09-30/functionsX/f"));
}

TEST_CASE("lambda_rest: the concurrency routes, at botocore's URIs") {
  auto route = [](std::string_view m, std::string_view p) {
    auto r = match_route(m, p);
    REQUIRE(r.ok());
    return r.value();
  };
  CHECK(route("GET", "/2016-08-19/account-settings").kind == RouteKind::kGetAccountSettings);   // botocore today
  CHECK(route("GET", "/2016-08-19/account-settings/").kind == RouteKind::kGetAccountSettings);  // older SDKs
  CHECK(route("PUT", "/2017-10-31/functions/my-fn/concurrency").kind == RouteKind::kPutFunctionConcurrency);
  CHECK(route("PUT", "/2017-10-31/functions/my-fn/concurrency").function == "my-fn");
  CHECK(route("DELETE", "/2017-10-31/functions/my-fn/concurrency").kind == RouteKind::kDeleteFunctionConcurrency);
  CHECK(route("GET", "/2019-09-30/functions/my-fn/concurrency").kind == RouteKind::kGetFunctionConcurrency);
  CHECK(route("GET", "/2019-09-30/functions/000000000000%3Afunction%3Amy-fn/concurrency").function ==
        "000000000000:function:my-fn");
  for (auto [m, p] : {std::pair{"GET", "/2017-10-31/functions/my-fn/concurrency"},   // Get lives at 2019-09-30
                      {"PUT", "/2019-09-30/functions/my-fn/concurrency"},
                      {"PUT", "/2015-03-31/functions/my-fn/concurrency"},
                      {"POST", "/2016-08-19/account-settings"},
                      {"GET", "/2016-08-19/account-settings/x"},
                      {"PUT", "/2017-10-31/functions//concurrency"},
                      {"GET", "/2019-09-30/functions/my-fn/provisioned-concurrency"}}) {
    CAPTURE(m);
    CAPTURE(p);
    CHECK(err(match_route(m, p)).code == LambdaErrorCode::kUnknownOperation);
  }
}

TEST_CASE("lambda_rest: each route shape") {
  auto route = [](std::string_view m, std::string_view p) {
    auto r = match_route(m, p);
    REQUIRE(r.ok());
    return r.value();
  };
  CHECK(route("POST", "/2015-03-31/functions/my-fn/invocations").kind == RouteKind::kInvoke);
  CHECK(route("POST", "/2015-03-31/functions/my-fn/invocations").function == "my-fn");
  CHECK(route("GET", "/2015-03-31/functions").kind == RouteKind::kListFunctions);    // botocore today
  CHECK(route("GET", "/2015-03-31/functions/").kind == RouteKind::kListFunctions);   // older SDKs
  CHECK(route("GET", "/2015-03-31/functions/my-fn").kind == RouteKind::kGetFunction);
  CHECK(route("GET", "/2015-03-31/functions/my-fn/").kind == RouteKind::kGetFunction);
  CHECK(route("GET", "/2015-03-31/functions/my-fn/configuration").kind == RouteKind::kGetFunctionConfiguration);
  // SDKs percent-encode ':' and '$' in the FunctionName segment.
  CHECK(route("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Amy-fn/invocations")
            .function == "arn:aws:lambda:us-east-1:000000000000:function:my-fn");
  CHECK(route("GET", "/2015-03-31/functions/my-fn%3A%24LATEST").function == "my-fn:$LATEST");
  CHECK(route("POST", "/2015-03-31/functions/my-fn:1/invocations").function == "my-fn:1");
}

TEST_CASE("lambda_rest: unserved methods and paths are UnknownOperationException 404") {
  for (auto [m, p] : {std::pair{"DELETE", "/2015-03-31/functions/my-fn"}, {"POST", "/2015-03-31/functions"},
                      {"GET", "/2015-03-31/functions/my-fn/invocations"},
                      {"POST", "/2015-03-31/functions/my-fn/invocations/extra"},
                      {"GET", "/2015-03-31/functions/my-fn/policy"}, {"PUT", "/2015-03-31/functions/my-fn/configuration"}}) {
    CAPTURE(m);
    CAPTURE(p);
    LambdaError e = err(match_route(m, p));
    CHECK(e.code == LambdaErrorCode::kUnknownOperation);
    Response r = encode_error(e, "rid");
    CHECK(r.status == 404);
    CHECK(header(r, "x-amzn-ErrorType") == "UnknownOperationException");
  }
}

// ============================================================================ FunctionName

TEST_CASE("lambda_rest: name, partial ARN and full ARN, each with an optional qualifier") {
  struct Case {
    const char* text;
    const char* name;
    const char* qualifier;  // nullptr: none
    const char* arn;
  };
  for (const Case& c : {
           Case{"my-fn", "my-fn", nullptr, "arn:aws:lambda:us-east-1:000000000000:function:my-fn"},
           Case{"my_fn.v2", "my_fn.v2", nullptr, "arn:aws:lambda:us-east-1:000000000000:function:my_fn.v2"},
           Case{"my-fn:$LATEST", "my-fn", "$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST"},
           Case{"my-fn:prod", "my-fn", "prod", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod"},
           Case{"000000000000:function:my-fn", "my-fn", nullptr, "arn:aws:lambda:us-east-1:000000000000:function:my-fn"},
           Case{"000000000000:function:my-fn:7", "my-fn", "7", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:7"},
           Case{"arn:aws:lambda:us-east-1:000000000000:function:my-fn", "my-fn", nullptr,
                "arn:aws:lambda:us-east-1:000000000000:function:my-fn"},
           Case{"arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST", "my-fn", "$LATEST",
                "arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST"},
           // A name that looks like an account is still a name when nothing follows it.
           Case{"123456789012", "123456789012", nullptr, "arn:aws:lambda:us-east-1:000000000000:function:123456789012"},
       }) {
    CAPTURE(c.text);
    auto t = resolve_target(c.text, "", kSite);
    REQUIRE(t.ok());
    CHECK(t.value().name == c.name);
    CHECK(t.value().qualifier.has_value() == (c.qualifier != nullptr));
    if (c.qualifier) CHECK(*t.value().qualifier == c.qualifier);
    CHECK(t.value().arn == c.arn);
  }
}

TEST_CASE("lambda_rest: a name outside the model's pattern is a ValidationException naming it") {
  for (const char* bad : {"", "my fn", "my/fn", "a:b:c", "arn:aws:lambda:us-east-1:000000000000:function:",
                          "my-fn:$PREVIOUS", "my-fn:1:2"}) {
    CAPTURE(bad);
    LambdaError e = err(resolve_target(bad, "", kSite));
    CHECK(e.code == LambdaErrorCode::kValidation);
    CHECK(e.message == "1 validation error detected: Value '" + std::string(bad) +
                           "' at 'functionName' failed to satisfy constraint: Member must satisfy regular "
                           "expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-"
                           "[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|"
                           "[a-zA-Z0-9-_]+))?");
  }
  CHECK(err(resolve_target(std::string(257, 'a'), "", kSite)).message ==
        "1 validation error detected: Value '" + std::string(257, 'a') +
            "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 256");
}

TEST_CASE("lambda_rest: the Qualifier parameter and the qualifier in the name") {
  auto t = resolve_target("my-fn", "$LATEST", kSite);
  REQUIRE(t.ok());
  CHECK(*t.value().qualifier == "$LATEST");
  CHECK(resolve_target("my-fn:prod", "prod", kSite).ok());
  LambdaError conflict = err(resolve_target("my-fn:prod", "dev", kSite));
  CHECK(conflict.code == LambdaErrorCode::kInvalidParameterValue);
  CHECK(conflict.message == "The derived qualifier from the function name does not match the specified qualifier.");
  LambdaError bad = err(resolve_target("my-fn", "a b", kSite));
  CHECK(bad.code == LambdaErrorCode::kValidation);
  CHECK(bad.message.find("at 'qualifier'") != std::string::npos);
}

TEST_CASE("lambda_rest: another region's or account's ARN is not found") {
  LambdaError region = err(resolve_target("arn:aws:lambda:eu-west-1:000000000000:function:my-fn", "", kSite));
  CHECK(region.code == LambdaErrorCode::kResourceNotFound);
  CHECK(region.message == "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
  LambdaError account = err(resolve_target("123456789012:function:my-fn", "", kSite));
  CHECK(account.code == LambdaErrorCode::kResourceNotFound);
  CHECK(account.message == "Function not found: arn:aws:lambda:us-east-1:123456789012:function:my-fn");
  CHECK(resolve_target("arn:aws-us-gov:lambda:us-gov-west-1:000000000000:function:f", "", Site{"us-gov-west-1", "000000000000"})
            .ok());
}

TEST_CASE("lambda_rest: only $LATEST of an existing function is servable") {
  auto target = [](std::string_view name, std::string_view q = "") { return resolve_target(name, q, kSite).value(); };
  CHECK_FALSE(check_target(target("my-fn"), true).has_value());
  CHECK_FALSE(check_target(target("my-fn:$LATEST"), true).has_value());
  auto missing = check_target(target("nope"), false);
  REQUIRE(missing);
  CHECK(missing->message == "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
  auto version = check_target(target("my-fn", "prod"), true);
  REQUIRE(version);
  CHECK(version->message == "Function not found: arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod");
  Response r = encode_error(*version, "rid-1");
  CHECK(r.status == 404);
  CHECK(header(r, "x-amzn-ErrorType") == "ResourceNotFoundException");
  CHECK(header(r, "x-amzn-RequestId") == "rid-1");
  CHECK(header(r, "Content-Type") == "application/json");
  CHECK(r.body ==
        R"({"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod"})");
}

// ============================================================================ Invoke headers

TEST_CASE("lambda_rest: invoke defaults") {
  InvokeRequest r = ok_invoke(post(R"({"k":1})"));
  CHECK(r.type == InvocationType::kRequestResponse);
  CHECK_FALSE(r.log_tail);
  CHECK(r.payload == R"({"k":1})");
  CHECK(r.target.name == "my-fn");
  CHECK(r.target.is_latest());
  CHECK_FALSE(r.client_context);
  CHECK_FALSE(r.trace_id);
  CHECK(ok_invoke(post("")).payload == "{}");  // AWS hands the function {} for an empty body
}

TEST_CASE("lambda_rest: X-Amz-Invocation-Type") {
  CHECK(ok_invoke(post("{}", {{"X-Amz-Invocation-Type", "RequestResponse"}})).type == InvocationType::kRequestResponse);
  CHECK(ok_invoke(post("{}", {{"x-amz-invocation-type", "Event"}})).type == InvocationType::kEvent);
  CHECK(ok_invoke(post("{}", {{"X-Amz-Invocation-Type", "DryRun"}})).type == InvocationType::kDryRun);
  LambdaError e = invoke_error(post("{}", {{"X-Amz-Invocation-Type", "event"}}));
  CHECK(e.code == LambdaErrorCode::kValidation);
  CHECK(e.message == "1 validation error detected: Value 'event' at 'invocationType' failed to satisfy constraint: "
                     "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
  Response r = encode_error(e, "rid");
  CHECK(r.status == 400);
  CHECK(header(r, "x-amzn-ErrorType") == "ValidationException");
  CHECK(r.body == R"({"message":")" + e.message + R"("})");  // AWS sends no Type here
}

TEST_CASE("lambda_rest: X-Amz-Log-Type") {
  CHECK_FALSE(ok_invoke(post("{}", {{"X-Amz-Log-Type", "None"}})).log_tail);
  CHECK(ok_invoke(post("{}", {{"X-Amz-Log-Type", "Tail"}})).log_tail);
  // Tail applies to synchronous invokes only.
  CHECK_FALSE(ok_invoke(post("{}", {{"X-Amz-Log-Type", "Tail"}, {"X-Amz-Invocation-Type", "Event"}})).log_tail);
  LambdaError e = invoke_error(post("{}", {{"X-Amz-Log-Type", "tail"}}));
  CHECK(e.code == LambdaErrorCode::kValidation);
  CHECK(e.message == "1 validation error detected: Value 'tail' at 'logType' failed to satisfy constraint: "
                     "Member must satisfy enum value set: [Tail, None]");
}

TEST_CASE("lambda_rest: X-Amz-Client-Context is base64 of a JSON object") {
  const std::string context = R"({"custom":{"k":"v"},"client":{},"env":{}})";
  auto r = ok_invoke(post("{}", {{"X-Amz-Client-Context", core::base64_encode(context)}}));
  REQUIRE(r.client_context);
  CHECK(*r.client_context == context);
  for (const std::string& bad : {std::string("!!!not base64"), core::base64_encode("not json"),
                                 core::base64_encode("[1,2]"), core::base64_encode("{\"a\":")}) {
    CAPTURE(bad);
    LambdaError e = invoke_error(post("{}", {{"X-Amz-Client-Context", bad}}));
    CHECK(e.code == LambdaErrorCode::kInvalidRequestContent);
    CHECK(e.message == "Client context must be a valid Base64-encoded JSON object.");
    Response resp = encode_error(e, "rid");
    CHECK(resp.status == 400);
    CHECK(header(resp, "x-amzn-ErrorType") == "InvalidRequestContentException");
    CHECK(resp.body == R"({"Type":"User","message":"Client context must be a valid Base64-encoded JSON object."})");
  }
  // The limit is on the header as sent: 3583 bytes pass, 3584 do not.
  const std::string at_limit = core::base64_encode("{\"k\":\"" + std::string(2680, 'x') + "\"}");
  REQUIRE(at_limit.size() == 3584);
  CHECK(invoke_error(post("{}", {{"X-Amz-Client-Context", at_limit}})).code == LambdaErrorCode::kInvalidRequestContent);
  const std::string under = core::base64_encode("{\"k\":\"" + std::string(2677, 'x') + "\"}");
  REQUIRE(under.size() <= 3583);
  CHECK(ok_invoke(post("{}", {{"X-Amz-Client-Context", under}})).client_context);
}

TEST_CASE("lambda_rest: trace and tenant headers pass through") {
  auto r = ok_invoke(post("{}", {{"X-Amzn-Trace-Id", "Root=1-5e1b4151-5ac6c58f"}, {"X-Amz-Tenant-Id", "t1"}}));
  CHECK(*r.trace_id == "Root=1-5e1b4151-5ac6c58f");
  CHECK(*r.tenant_id == "t1");
}

TEST_CASE("lambda_rest: the Qualifier query parameter on Invoke") {
  CHECK(query_qualifier(post("{}", {}, "Qualifier=%24LATEST&x=1")) == "$LATEST");
  CHECK(query_qualifier(post("{}")).empty());
  CHECK(*ok_invoke(post("{}", {}, "Qualifier=%24LATEST")).target.qualifier == "$LATEST");
  auto v = ok_invoke(post("{}", {}, "Qualifier=7"));
  CHECK_FALSE(v.target.is_latest());
  CHECK(check_target(v.target, true)->message == "Function not found: arn:aws:lambda:us-east-1:000000000000:function:my-fn:7");
}

// ============================================================================ payload

TEST_CASE("lambda_rest: the payload must be JSON") {
  for (const char* good : {"{}", "[]", "\"text\"", "42", "null", " {\"a\":[1,2]} \n"}) {
    CAPTURE(good);
    CHECK(ok_invoke(post(good)).payload == good);
  }
  for (const std::string& bad : {std::string("not json"), std::string("{"), std::string(" "), std::string("{} {}"),
                                std::string("{}\0x", 4), std::string("\"\xff\"")}) {
    CAPTURE(bad);
    LambdaError e = invoke_error(post(bad));
    CHECK(e.code == LambdaErrorCode::kInvalidRequestContent);
    CHECK(e.message.rfind("Could not parse request body into json: Could not parse payload into json: ", 0) == 0);
    CHECK(error_status(e.code) == 400);
  }
}

TEST_CASE("lambda_rest: synchronous payload limit, at the exact boundary") {
  CHECK(ok_invoke(post(json_of_size(6291456))).payload.size() == 6291456);
  LambdaError e = invoke_error(post(json_of_size(6291457)));
  CHECK(e.code == LambdaErrorCode::kRequestEntityTooLarge);
  CHECK(e.message == "Request must be smaller than 6291456 bytes for the InvokeFunction operation");
  Response r = encode_error(e, "rid");
  CHECK(r.status == 413);
  CHECK(header(r, "x-amzn-ErrorType") == "RequestEntityTooLargeException");
  CHECK(r.body == R"({"Type":"User","message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"})");
  // DryRun is held to the synchronous limit.
  CHECK(invoke_error(post(json_of_size(6291457), {{"X-Amz-Invocation-Type", "DryRun"}})).code ==
        LambdaErrorCode::kRequestEntityTooLarge);
}

TEST_CASE("lambda_rest: asynchronous payload limit, aws and classic profiles") {
  const std::vector<Header> event{{"X-Amz-Invocation-Type", "Event"}};
  CHECK(ok_invoke(post(json_of_size(1048576), event)).type == InvocationType::kEvent);
  LambdaError e = invoke_error(post(json_of_size(1048577), event));
  CHECK(e.code == LambdaErrorCode::kRequestEntityTooLarge);
  CHECK(e.message == "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)");
  const PayloadLimits classic = limits(core::LimitsProfile::classic());
  CHECK(ok_invoke(post(json_of_size(262144), event), classic).payload.size() == 262144);
  CHECK(invoke_error(post(json_of_size(262145), event), classic).message ==
        "262145 byte payload is too large for the Event invocation type (limit 262144 bytes)");
  // Size is checked before content: an oversized non-JSON body is 413, not 400.
  CHECK(invoke_error(post(std::string(1048577, 'x'), event)).code == LambdaErrorCode::kRequestEntityTooLarge);
}

// ============================================================================ Invoke answers

TEST_CASE("lambda_rest: a RequestResponse result") {
  Response r = encode_invoke_result(InvokeOutcome{R"({"ok":true})", std::nullopt, std::nullopt}, "rid-2");
  CHECK(r.status == 200);
  CHECK(r.body == R"({"ok":true})");
  CHECK(header(r, "X-Amz-Executed-Version") == "$LATEST");
  CHECK(header(r, "Content-Type") == "application/json");
  CHECK(header(r, "x-amzn-RequestId") == "rid-2");
  CHECK(header(r, "X-Amz-Function-Error") == "<absent>");
  CHECK(header(r, "X-Amz-Log-Result") == "<absent>");
}

TEST_CASE("lambda_rest: a function error is still 200, with X-Amz-Function-Error") {
  const std::string body = R"({"errorType":"Sandbox.Timedout","errorMessage":"RequestId: x Error: Task timed out after 3.00 seconds"})";
  Response r = encode_invoke_result(InvokeOutcome{body, "Unhandled", std::nullopt}, "rid");
  CHECK(r.status == 200);
  CHECK(r.body == body);
  CHECK(header(r, "X-Amz-Function-Error") == "Unhandled");
}

TEST_CASE("lambda_rest: X-Amz-Log-Result is base64 of the last 4 KB") {
  Response small = encode_invoke_result(InvokeOutcome{"{}", std::nullopt, "START RequestId: x\n"}, "rid");
  CHECK(header(small, "X-Amz-Log-Result") == core::base64_encode("START RequestId: x\n"));
  const std::string log = std::string(100, 'a') + std::string(4096, 'b');
  Response big = encode_invoke_result(InvokeOutcome{"{}", std::nullopt, log}, "rid");
  CHECK(*core::base64_decode(header(big, "X-Amz-Log-Result")) == std::string(4096, 'b'));
}

TEST_CASE("lambda_rest: Event is 202 and DryRun 204, both empty") {
  Response accepted = encode_invoke_accepted("rid-3");
  CHECK(accepted.status == 202);
  CHECK(accepted.body.empty());
  CHECK(header(accepted, "x-amzn-RequestId") == "rid-3");
  CHECK(header(accepted, "Content-Type") == "<absent>");
  Response dry = encode_dry_run("rid-4");
  CHECK(dry.status == 204);
  CHECK(dry.body.empty());
  CHECK(header(dry, "x-amzn-RequestId") == "rid-4");
}

TEST_CASE("lambda_rest: throttled is 429 with Retry-After and Reason") {
  Response r = encode_throttled("ReservedFunctionConcurrentInvocationLimitExceeded", 1, "rid");
  CHECK(r.status == 429);
  CHECK(header(r, "x-amzn-ErrorType") == "TooManyRequestsException");
  CHECK(header(r, "Retry-After") == "1");
  CHECK(header(r, "x-amzn-RequestId") == "rid");
  CHECK(r.body == R"({"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."})");
}

TEST_CASE("lambda_rest: every error code renders with its status, name and message key") {
  struct Want {
    LambdaErrorCode code;
    int status;
    const char* name;
    const char* key;
  };
  for (const Want& w : {Want{LambdaErrorCode::kValidation, 400, "ValidationException", "message"},
                        Want{LambdaErrorCode::kInvalidParameterValue, 400, "InvalidParameterValueException", "message"},
                        Want{LambdaErrorCode::kInvalidRequestContent, 400, "InvalidRequestContentException", "message"},
                        Want{LambdaErrorCode::kResourceNotFound, 404, "ResourceNotFoundException", "Message"},
                        Want{LambdaErrorCode::kUnknownOperation, 404, "UnknownOperationException", "message"},
                        Want{LambdaErrorCode::kResourceConflict, 409, "ResourceConflictException", "message"},
                        Want{LambdaErrorCode::kRequestEntityTooLarge, 413, "RequestEntityTooLargeException", "message"},
                        Want{LambdaErrorCode::kUnsupportedMediaType, 415, "UnsupportedMediaTypeException", "message"},
                        Want{LambdaErrorCode::kTooManyRequests, 429, "TooManyRequestsException", "message"},
                        Want{LambdaErrorCode::kService, 500, "ServiceException", "Message"}}) {
    CAPTURE(w.name);
    Response r = encode_error(LambdaError{w.code, "m \"quoted\""}, "rid");
    CHECK(r.status == w.status);
    CHECK(error_name(w.code) == w.name);
    CHECK(header(r, "x-amzn-ErrorType") == w.name);
    CHECK(header(r, "x-amzn-RequestId") == "rid");
    auto body = json(r.body);
    CHECK(std::string(body[w.key].GetString()) == "m \"quoted\"");
    if (w.code == LambdaErrorCode::kValidation) CHECK_FALSE(body.HasMember("Type"));
    else CHECK(std::string(body["Type"].GetString()) == (w.code == LambdaErrorCode::kService ? "Service" : "User"));
  }
}

// ============================================================================ ListFunctions / GetFunction

namespace {

FunctionView view(std::string name) {
  FunctionView f;
  f.name = std::move(name);
  f.handler = "bootstrap.handler";
  f.code_uri = "/srv/fns/" + f.name;
  f.memory_mb = 256;
  f.timeout_s = 30;
  f.environment = {{"STAGE", "local"}, {"A", "1"}};
  f.last_modified_us = kNov27;
  f.code_size_bytes = 1234;
  f.code_sha256 = "sBU+roToVPUiBN1ztmOHoRak0Ob58RQWXXTd2mU0M9A=";
  return f;
}

Request get(std::string query) {
  Request r;
  r.method = "GET";
  r.path = "/2015-03-31/functions";
  r.query = std::move(query);
  return r;
}

}  // namespace

TEST_CASE("lambda_rest: FunctionConfiguration carries AWS's member names") {
  auto c = json(function_configuration_json(view("my-fn"), kSite));
  CHECK(std::string(c["FunctionName"].GetString()) == "my-fn");
  CHECK(std::string(c["FunctionArn"].GetString()) == "arn:aws:lambda:us-east-1:000000000000:function:my-fn");
  CHECK(std::string(c["Runtime"].GetString()) == "provided.al2023");
  CHECK(std::string(c["Role"].GetString()).rfind("arn:aws:iam::000000000000:role/", 0) == 0);
  CHECK(std::string(c["Handler"].GetString()) == "bootstrap.handler");
  CHECK(c["CodeSize"].GetInt64() == 1234);
  CHECK(std::string(c["Description"].GetString()).empty());
  CHECK(c["Timeout"].GetInt() == 30);
  CHECK(c["MemorySize"].GetInt() == 256);
  CHECK(std::string(c["LastModified"].GetString()) == "2026-11-27T08:00:00.000+0000");
  CHECK(std::string(c["CodeSha256"].GetString()) == "sBU+roToVPUiBN1ztmOHoRak0Ob58RQWXXTd2mU0M9A=");
  CHECK(std::string(c["Version"].GetString()) == "$LATEST");
  CHECK(std::string(c["Environment"]["Variables"]["STAGE"].GetString()) == "local");
  CHECK(std::string(c["TracingConfig"]["Mode"].GetString()) == "PassThrough");
  CHECK(std::string(c["State"].GetString()) == "Active");
  CHECK(std::string(c["LastUpdateStatus"].GetString()) == "Successful");
  CHECK(std::string(c["PackageType"].GetString()) == "Zip");
  CHECK(std::string(c["Architectures"][0].GetString()) == "x86_64");
  CHECK(c["EphemeralStorage"]["Size"].GetInt() == 512);
  CHECK(std::string(c["LoggingConfig"]["LogGroup"].GetString()) == "/aws/lambda/my-fn");
  FunctionView bare = view("bare");
  bare.environment.clear();
  bare.handler.clear();
  auto b = json(function_configuration_json(bare, kSite));
  CHECK_FALSE(b.HasMember("Environment"));  // AWS omits it when no variables are set
  CHECK_FALSE(b.HasMember("Handler"));
}

TEST_CASE("lambda_rest: GetFunction and GetFunctionConfiguration") {
  Response r = encode_get_function(view("my-fn"), kSite, "rid");
  CHECK(r.status == 200);
  CHECK(header(r, "x-amzn-RequestId") == "rid");
  auto d = json(r.body);
  CHECK(std::string(d["Configuration"]["FunctionName"].GetString()) == "my-fn");
  CHECK(std::string(d["Code"]["RepositoryType"].GetString()) == "S3");
  CHECK(std::string(d["Code"]["Location"].GetString()) == "file:///srv/fns/my-fn");
  CHECK_FALSE(d.HasMember("Concurrency"));
  FunctionView reserved = view("r");
  reserved.reserved_concurrency = 5;
  reserved.code_uri.clear();
  reserved.command = {"/usr/bin/python3", "handler.py"};
  auto rd = json(encode_get_function(reserved, kSite, "rid").body);
  CHECK(rd["Concurrency"]["ReservedConcurrentExecutions"].GetInt() == 5);
  CHECK_FALSE(rd["Code"].HasMember("Location"));
  Response c = encode_get_function_configuration(view("my-fn"), kSite, "rid");
  CHECK(c.body == function_configuration_json(view("my-fn"), kSite));
}

TEST_CASE("lambda_rest: ListFunctions MaxItems and Marker") {
  auto d = decode_list_functions(get(""));
  REQUIRE(d.ok());
  CHECK(d.value().max_items == 50);
  CHECK(d.value().marker.empty());
  auto two = decode_list_functions(get("MaxItems=2&Marker=b-fn"));
  REQUIRE(two.ok());
  CHECK(two.value().max_items == 2);
  CHECK(two.value().marker == "b-fn");
  CHECK(decode_list_functions(get("MaxItems=10000")).value().max_items == 50);  // AWS pages by 50 at most
  CHECK(err(decode_list_functions(get("MaxItems=0"))).message ==
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value "
        "greater than or equal to 1");
  CHECK(err(decode_list_functions(get("MaxItems=10001"))).code == LambdaErrorCode::kValidation);
  CHECK(err(decode_list_functions(get("MaxItems=ten"))).code == LambdaErrorCode::kValidation);
}

TEST_CASE("lambda_rest: ListFunctions pages in name order") {
  std::vector<FunctionView> fns{view("c-fn"), view("a-fn"), view("b-fn")};
  auto page1 = json(encode_list_functions(fns, ListFunctionsRequest{2, ""}, kSite, "rid").body);
  REQUIRE(page1["Functions"].Size() == 2);
  CHECK(std::string(page1["Functions"][0]["FunctionName"].GetString()) == "a-fn");
  CHECK(std::string(page1["Functions"][1]["FunctionName"].GetString()) == "b-fn");
  CHECK(std::string(page1["NextMarker"].GetString()) == "b-fn");
  auto page2 = json(encode_list_functions(fns, ListFunctionsRequest{2, "b-fn"}, kSite, "rid").body);
  REQUIRE(page2["Functions"].Size() == 1);
  CHECK(std::string(page2["Functions"][0]["FunctionName"].GetString()) == "c-fn");
  CHECK_FALSE(page2.HasMember("NextMarker"));
  auto none = json(encode_list_functions({}, ListFunctionsRequest{}, kSite, "rid").body);
  CHECK(none["Functions"].IsArray());
  CHECK(none["Functions"].Size() == 0);
}

// ============================================================================ concurrency

namespace {
Request put_concurrency(std::string body) {
  Request r;
  r.method = "PUT";
  r.path = "/2017-10-31/functions/my-fn/concurrency";
  r.body = std::move(body);
  return r;
}
}  // namespace

TEST_CASE("lambda_rest: PutFunctionConcurrency's body") {
  auto ok = decode_put_function_concurrency(put_concurrency(R"({"ReservedConcurrentExecutions": 2})"));
  REQUIRE(ok.ok());
  CHECK(ok.value() == 2);
  CHECK(decode_put_function_concurrency(put_concurrency(R"({"ReservedConcurrentExecutions":0})")).value() == 0);
  CHECK(decode_put_function_concurrency(put_concurrency(R"({"ReservedConcurrentExecutions":99999999999})")).value() ==
        2147483647);
  LambdaError negative = err(decode_put_function_concurrency(put_concurrency(R"({"ReservedConcurrentExecutions":-1})")));
  CHECK(negative.code == LambdaErrorCode::kValidation);
  CHECK(negative.message ==
        "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0");
  LambdaError missing = err(decode_put_function_concurrency(put_concurrency("{}")));
  CHECK(missing.code == LambdaErrorCode::kValidation);
  CHECK(missing.message ==
        "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: "
        "Member must not be null");
  for (const char* bad : {"", "[1]", "{", R"({"ReservedConcurrentExecutions":"2"})",
                          R"({"ReservedConcurrentExecutions":2.5})"}) {
    CAPTURE(bad);
    CHECK(err(decode_put_function_concurrency(put_concurrency(bad))).code == LambdaErrorCode::kInvalidRequestContent);
  }
}

TEST_CASE("lambda_rest: Put/GetFunctionConcurrency answers and DeleteFunctionConcurrency's 204") {
  Response put = encode_function_concurrency(2, "rid");
  CHECK(put.status == 200);
  CHECK(put.body == R"({"ReservedConcurrentExecutions":2})");
  CHECK(header(put, "Content-Type") == "application/json");
  CHECK(header(put, "x-amzn-RequestId") == "rid");
  CHECK(encode_function_concurrency(std::nullopt, "rid").body == "{}");
  Response del = encode_delete_function_concurrency("rid-2");
  CHECK(del.status == 204);
  CHECK(del.body.empty());
  CHECK(header(del, "x-amzn-RequestId") == "rid-2");
}

TEST_CASE("lambda_rest: GetAccountSettings carries botocore's member names") {
  AccountSettings s;
  s.concurrent_executions = 1000;
  s.unreserved_concurrent_executions = 998;
  s.function_count = 3;
  Response r = encode_account_settings(s, "rid");
  CHECK(r.status == 200);
  CHECK(r.body ==
        R"({"AccountLimit":{"TotalCodeSize":80530636800,"CodeSizeUnzipped":262144000,"CodeSizeZipped":52428800,)"
        R"("ConcurrentExecutions":1000,"UnreservedConcurrentExecutions":998},)"
        R"("AccountUsage":{"TotalCodeSize":0,"FunctionCount":3}})");
}
