// Runtime API routes: the table of endpoints one execution environment's listener serves, and
// the matcher that turns (method, path) into a route.
//
// Owns: the Lambda Runtime API (2018-06-01) and Extensions API (2020-01-01) endpoints as data
// (`kRoutes`), the header names those APIs use, and their version strings. It owns no state and
// does no I/O; it includes no HTTP library, so any server can feed it.
//
// Inputs: the request method, exact and case-sensitive ("GET", "POST"), and the request path as
// received: it starts with '/', it is not percent-decoded, and the caller has already stripped
// the query string (a path that still holds '?' or '#' matches nothing). Request ids are
// captured verbatim from the `{AwsRequestId}` segment: any non-empty segment without '/'. Whether
// the id is the current invoke's (400 InvalidRequestID otherwise) is the handler's job.
//
// Outcomes: `lookup_route` tells a match from "known path, wrong method" (answer 405 with the
// `allow` list as the Allow header) and from "unknown path" (404). Trailing slashes, empty
// segments and extra segments are unknown paths.
//
// Invariants (checked at compile time in routes.cpp): `kRoutes[i].id == RouteId(i)`; every
// pattern starts with '/', has no empty segment and at most one `{AwsRequestId}`; names are
// unique, and no two routes share a method and pattern.
//
// Adding a route: add a `RouteId` just before `kCount`, add its row at the same position in
// `kRoutes`, and add a case to tests/unit/runtime_api_routes_test.cpp. The compile-time checks
// reject a row out of order or a malformed pattern.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace slipway::runtime_api {

inline constexpr std::string_view kRuntimeApiVersion = "2018-06-01";
inline constexpr std::string_view kExtensionApiVersion = "2020-01-01";

// Header names. HTTP compares header names case-insensitively, and clients differ in spelling
// (GO sends `Lambda-Runtime-Function-Xray-Error-Cause`), so look them up case-insensitively.
namespace headers {
// Set on the GET /runtime/invocation/next answer. Request id and deadline are always sent.
inline constexpr std::string_view kAwsRequestId = "Lambda-Runtime-Aws-Request-Id";
inline constexpr std::string_view kDeadlineMs = "Lambda-Runtime-Deadline-Ms";  // Unix epoch ms
inline constexpr std::string_view kInvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn";
inline constexpr std::string_view kTraceId = "Lambda-Runtime-Trace-Id";
inline constexpr std::string_view kClientContext = "Lambda-Runtime-Client-Context";  // plain JSON
inline constexpr std::string_view kCognitoIdentity = "Lambda-Runtime-Cognito-Identity";
inline constexpr std::string_view kAwsTenantId = "Lambda-Runtime-Aws-Tenant-Id";
// Sent by the runtime: the error type on /error and /init/error, the response mode on /response,
// and error type plus body as the trailers of a streamed /response that failed midway.
inline constexpr std::string_view kFunctionErrorType = "Lambda-Runtime-Function-Error-Type";
inline constexpr std::string_view kFunctionErrorBody = "Lambda-Runtime-Function-Error-Body";  // base64
inline constexpr std::string_view kFunctionResponseMode = "Lambda-Runtime-Function-Response-Mode";
inline constexpr std::string_view kFunctionXRayErrorCause = "Lambda-Runtime-Function-XRay-Error-Cause";
// The only accepted value of kFunctionResponseMode; any other is 400 InvalidFunctionResponseMode.
inline constexpr std::string_view kResponseModeStreaming = "streaming";
// Extensions API.
inline constexpr std::string_view kExtensionName = "Lambda-Extension-Name";
inline constexpr std::string_view kExtensionIdentifier = "Lambda-Extension-Identifier";
inline constexpr std::string_view kExtensionAcceptFeature = "Lambda-Extension-Accept-Feature";
inline constexpr std::string_view kExtensionEventIdentifier = "Lambda-Extension-Event-Identifier";
inline constexpr std::string_view kExtensionFunctionErrorType = "Lambda-Extension-Function-Error-Type";
}  // namespace headers

// One value per row of kRoutes, in the same order.
enum class RouteId {
  kNext,                 // GET  /2018-06-01/runtime/invocation/next
  kResponse,             // POST /2018-06-01/runtime/invocation/{AwsRequestId}/response
  kInvocationError,      // POST /2018-06-01/runtime/invocation/{AwsRequestId}/error
  kInitError,            // POST /2018-06-01/runtime/init/error
  kExtensionRegister,    // POST /2020-01-01/extension/register
  kExtensionNextEvent,   // GET  /2020-01-01/extension/event/next
  kExtensionInitError,   // POST /2020-01-01/extension/init/error
  kExtensionExitError,   // POST /2020-01-01/extension/exit/error
  kCount,                // not a route
};

inline constexpr std::string_view kRequestIdSegment = "{AwsRequestId}";

struct Route {
  RouteId id;
  std::string_view method;   // "GET" or "POST"
  std::string_view pattern;  // literal segments, plus at most one kRequestIdSegment
  std::string_view name;     // stable, for logs and metrics
};

inline constexpr std::array<Route, static_cast<std::size_t>(RouteId::kCount)> kRoutes{{
    {RouteId::kNext, "GET", "/2018-06-01/runtime/invocation/next", "runtime_next"},
    {RouteId::kResponse, "POST", "/2018-06-01/runtime/invocation/{AwsRequestId}/response",
     "runtime_response"},
    {RouteId::kInvocationError, "POST", "/2018-06-01/runtime/invocation/{AwsRequestId}/error",
     "runtime_invocation_error"},
    {RouteId::kInitError, "POST", "/2018-06-01/runtime/init/error", "runtime_init_error"},
    {RouteId::kExtensionRegister, "POST", "/2020-01-01/extension/register", "extension_register"},
    {RouteId::kExtensionNextEvent, "GET", "/2020-01-01/extension/event/next", "extension_next_event"},
    {RouteId::kExtensionInitError, "POST", "/2020-01-01/extension/init/error", "extension_init_error"},
    {RouteId::kExtensionExitError, "POST", "/2020-01-01/extension/exit/error", "extension_exit_error"},
}};

// REQUIRES: id != RouteId::kCount
const Route& route(RouteId id);

struct RouteMatch {
  RouteId id;
  std::string request_id;  // the {AwsRequestId} segment; empty for routes without one
};

enum class MatchOutcome { kMatched, kMethodNotAllowed, kNotFound };

struct RouteLookup {
  MatchOutcome outcome = MatchOutcome::kNotFound;
  std::optional<RouteMatch> match;  // engaged exactly when outcome == kMatched
  std::string allow;                // kMethodNotAllowed: the path's methods, e.g. "POST"
};

// The full answer: matched, known path with the wrong method (405), or unknown path (404).
RouteLookup lookup_route(std::string_view method, std::string_view path);

// The route for (method, path), or nothing (404 or 405 alike; use lookup_route to tell them apart).
std::optional<RouteMatch> match_route(std::string_view method, std::string_view path);

}  // namespace slipway::runtime_api
