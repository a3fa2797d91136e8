// Runtime API route table and matcher (runtime-api/routes.h).
#include <doctest/doctest.h>

#include <iterator>
#include <string>
#include <string_view>

#include "runtime-api/routes.h"

namespace rapi = slipway::runtime_api;
using rapi::MatchOutcome;
using rapi::RouteId;

namespace {

constexpr std::string_view kId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

std::string invocation_path(std::string_view id, std::string_view tail) {
  return "/2018-06-01/runtime/invocation/" + std::string(id) + "/" + std::string(tail);
}

void check_not_found(std::string_view method, std::string_view path) {
  CAPTURE(method);
  CAPTURE(path);
  const rapi::RouteLookup lookup = rapi::lookup_route(method, path);
  CHECK(lookup.outcome == MatchOutcome::kNotFound);
  CHECK_FALSE(lookup.match.has_value());
  CHECK(lookup.allow.empty());
  CHECK_FALSE(rapi::match_route(method, path).has_value());
}

}  // namespace

TEST_CASE("runtime api: every route matches its own method and pattern") {
  for (const rapi::Route& r : rapi::kRoutes) {
    CAPTURE(r.name);
    std::string path(r.pattern);
    if (const auto at = path.find(rapi::kRequestIdSegment); at != std::string::npos) {
      path.replace(at, rapi::kRequestIdSegment.size(), kId);
    }
    const auto match = rapi::match_route(r.method, path);
    REQUIRE(match.has_value());
    CHECK(match->id == r.id);
    const bool has_id = r.pattern.find(rapi::kRequestIdSegment) != std::string_view::npos;
    CHECK(match->request_id == (has_id ? kId : std::string_view{}));
    CHECK(&rapi::route(r.id) == &r);
  }
}

TEST_CASE("runtime api: the table holds exactly the documented endpoints") {
  struct Expected {
    RouteId id;
    std::string_view method;
    std::string_view path;
  };
  const Expected expected[] = {
      {RouteId::kNext, "GET", "/2018-06-01/runtime/invocation/next"},
      {RouteId::kResponse, "POST", "/2018-06-01/runtime/invocation/{AwsRequestId}/response"},
      {RouteId::kInvocationError, "POST", "/2018-06-01/runtime/invocation/{AwsRequestId}/error"},
      {RouteId::kInitError, "POST", "/2018-06-01/runtime/init/error"},
      {RouteId::kExtensionRegister, "POST", "/2020-01-01/extension/register"},
      {RouteId::kExtensionNextEvent, "GET", "/2020-01-01/extension/event/next"},
      {RouteId::kExtensionInitError, "POST", "/2020-01-01/extension/init/error"},
      {RouteId::kExtensionExitError, "POST", "/2020-01-01/extension/exit/error"},
  };
  REQUIRE(rapi::kRoutes.size() == std::size(expected));
  for (const Expected& e : expected) {
    CAPTURE(e.path);
    const rapi::Route& r = rapi::route(e.id);
    CHECK(r.method == e.method);
    CHECK(r.pattern == e.path);
  }
}

TEST_CASE("runtime api: the request id is captured from /response and /error") {
  auto response = rapi::match_route("POST", invocation_path(kId, "response"));
  REQUIRE(response.has_value());
  CHECK(response->id == RouteId::kResponse);
  CHECK(response->request_id == kId);

  auto error = rapi::match_route("POST", invocation_path("abc", "error"));
  REQUIRE(error.has_value());
  CHECK(error->id == RouteId::kInvocationError);
  CHECK(error->request_id == "abc");

  SUBCASE("any non-empty segment without '/' is an id, taken verbatim (no percent-decoding)") {
    for (std::string_view id : {"x", "next", "a%2Fb", "id.with-odd_chars~!$&'()*+,;=:@"}) {
      CAPTURE(id);
      auto m = rapi::match_route("POST", invocation_path(id, "response"));
      REQUIRE(m.has_value());
      CHECK(m->request_id == id);
    }
  }

  SUBCASE("routes without an id capture nothing") {
    auto next = rapi::match_route("GET", "/2018-06-01/runtime/invocation/next");
    REQUIRE(next.has_value());
    CHECK(next->request_id.empty());
  }
}

TEST_CASE("runtime api: a known path with the wrong method is 405 with the allowed method") {
  struct Case {
    std::string_view method;
    std::string path;
    std::string_view allow;
  };
  const Case cases[] = {
      {"POST", "/2018-06-01/runtime/invocation/next", "GET"},
      {"GET", invocation_path(kId, "response"), "POST"},
      {"PUT", invocation_path(kId, "error"), "POST"},
      {"DELETE", "/2018-06-01/runtime/init/error", "POST"},
      {"GET", "/2020-01-01/extension/register", "POST"},
      {"POST", "/2020-01-01/extension/event/next", "GET"},
      {"GET", "/2020-01-01/extension/init/error", "POST"},
      {"HEAD", "/2020-01-01/extension/exit/error", "POST"},
      {"get", "/2018-06-01/runtime/invocation/next", "GET"},  // methods are case-sensitive
  };
  for (const Case& c : cases) {
    CAPTURE(c.method);
    CAPTURE(c.path);
    const rapi::RouteLookup lookup = rapi::lookup_route(c.method, c.path);
    CHECK(lookup.outcome == MatchOutcome::kMethodNotAllowed);
    CHECK_FALSE(lookup.match.has_value());
    CHECK(lookup.allow == c.allow);
    CHECK_FALSE(rapi::match_route(c.method, c.path).has_value());
  }
}

TEST_CASE("runtime api: lookup_route reports a match with its route") {
  const rapi::RouteLookup lookup = rapi::lookup_route("POST", invocation_path(kId, "error"));
  CHECK(lookup.outcome == MatchOutcome::kMatched);
  REQUIRE(lookup.match.has_value());
  CHECK(lookup.match->id == RouteId::kInvocationError);
  CHECK(lookup.match->request_id == kId);
  CHECK(lookup.allow.empty());
}

TEST_CASE("runtime api: unknown paths are 404") {
  SUBCASE("paths that are not in the table") {
    check_not_found("GET", "/");
    check_not_found("GET", "");
    check_not_found("GET", "/2018-06-01");
    check_not_found("GET", "/2018-06-01/runtime");
    check_not_found("GET", "/2018-06-01/runtime/invocation");
    check_not_found("GET", "/ping");  // RIE's legacy endpoint is not served
    check_not_found("GET", "/2018-06-01/runtime/restore/next");  // SnapStart is not emulated
    check_not_found("GET", "/2019-01-01/runtime/invocation/next");
    check_not_found("GET", "/2020-01-01/runtime/invocation/next");
    check_not_found("POST", "/2018-06-01/extension/register");
    check_not_found("POST", "/2018-06-01/runtime/invocation/" + std::string(kId));
    check_not_found("POST", invocation_path(kId, "status"));
  }

  SUBCASE("an empty request id") {
    check_not_found("POST", "/2018-06-01/runtime/invocation//response");
    check_not_found("POST", "/2018-06-01/runtime/invocation//error");
  }

  SUBCASE("a request id spanning segments") {
    check_not_found("POST", invocation_path("a/b", "response"));
  }

  SUBCASE("trailing garbage, trailing slashes and doubled slashes") {
    check_not_found("GET", "/2018-06-01/runtime/invocation/next/");
    check_not_found("GET", "/2018-06-01/runtime/invocation/nextx");
    check_not_found("GET", "/2018-06-01/runtime/invocation/next/more");
    check_not_found("POST", invocation_path(kId, "response/"));
    check_not_found("POST", invocation_path(kId, "response/extra"));
    check_not_found("POST", invocation_path(kId, "responsex"));
    check_not_found("POST", "/2018-06-01/runtime/init/error/");
    check_not_found("GET", "//2018-06-01/runtime/invocation/next");
    check_not_found("GET", "/2018-06-01//runtime/invocation/next");
  }

  SUBCASE("paths without a leading slash or with different case") {
    check_not_found("GET", "2018-06-01/runtime/invocation/next");
    check_not_found("GET", "/2018-06-01/Runtime/Invocation/Next");
  }

  SUBCASE("the query string is the caller's to strip: a path still holding one matches nothing") {
    check_not_found("GET", "/2018-06-01/runtime/invocation/next?timeout=5");
    check_not_found("GET", "/2018-06-01/runtime/invocation/next#frag");
    check_not_found("POST", invocation_path("a?b", "response"));
    check_not_found("POST", invocation_path(kId, "response?x=1"));
  }
}

TEST_CASE("runtime api: names, header names and versions") {
  CHECK(rapi::route(RouteId::kNext).name == "runtime_next");
  CHECK(rapi::route(RouteId::kExtensionExitError).name == "extension_exit_error");
  CHECK(rapi::kRuntimeApiVersion == "2018-06-01");
  CHECK(rapi::kExtensionApiVersion == "2020-01-01");
  for (const rapi::Route& r : rapi::kRoutes) {
    CAPTURE(r.pattern);
    const bool runtime = r.pattern.starts_with("/2018-06-01/runtime/");
    const bool extension = r.pattern.starts_with("/2020-01-01/extension/");
    CHECK(runtime != extension);
  }
  CHECK(rapi::headers::kAwsRequestId == "Lambda-Runtime-Aws-Request-Id");
  CHECK(rapi::headers::kDeadlineMs == "Lambda-Runtime-Deadline-Ms");
  CHECK(rapi::headers::kInvokedFunctionArn == "Lambda-Runtime-Invoked-Function-Arn");
  CHECK(rapi::headers::kTraceId == "Lambda-Runtime-Trace-Id");
  CHECK(rapi::headers::kClientContext == "Lambda-Runtime-Client-Context");
  CHECK(rapi::headers::kCognitoIdentity == "Lambda-Runtime-Cognito-Identity");
  CHECK(rapi::headers::kFunctionErrorType == "Lambda-Runtime-Function-Error-Type");
  CHECK(rapi::headers::kFunctionResponseMode == "Lambda-Runtime-Function-Response-Mode");
  CHECK(rapi::headers::kFunctionErrorBody == "Lambda-Runtime-Function-Error-Body");
  CHECK(rapi::headers::kExtensionName == "Lambda-Extension-Name");
  CHECK(rapi::headers::kExtensionIdentifier == "Lambda-Extension-Identifier");
}
