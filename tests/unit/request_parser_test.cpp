// RequestParser: the HTTP/1.1 request grammar the loop-native servers accept, fed in every
// split a socket can produce.
#include <doctest/doctest.h>

#include <string>

#include "http/request_parser.h"

namespace slipway::http {
namespace {

struct Fed {
  RequestParser::Status status;
  size_t consumed = 0;
};

// Feeds `wire` in pieces of `step` bytes, as reads would deliver it.
Fed feed_in_steps(RequestParser& p, const std::string& wire, size_t step) {
  Fed out{RequestParser::Status::kNeedMore, 0};
  while (out.consumed < wire.size()) {
    size_t n = 0;
    const size_t len = std::min(step, wire.size() - out.consumed);
    out.status = p.feed(std::string_view(wire).substr(out.consumed, len), n);
    out.consumed += n;
    if (out.status != RequestParser::Status::kNeedMore) break;
    if (n < len) break;  // the parser stopped early: nothing more to give it
  }
  return out;
}

TEST_CASE("request_parser: a Content-Length request, whole and split at every byte") {
  const std::string wire =
      "POST /000000000000/q?Action=X HTTP/1.1\r\nHost: h:1\r\ncontent-length: 5\r\nX-A:  v  \r\n\r\nhello";
  for (size_t step : {wire.size(), size_t{1}, size_t{7}}) {
    RequestParser p(1024);
    Fed fed = feed_in_steps(p, wire, step);
    REQUIRE(fed.status == RequestParser::Status::kComplete);
    CHECK(fed.consumed == wire.size());
    Request r = p.take();
    CHECK(r.method == "POST");
    CHECK(r.path == "/000000000000/q");
    CHECK(r.query == "Action=X");
    CHECK(r.body == "hello");
    CHECK(r.header_or("Content-Length") == "5");
    CHECK(r.header_or("x-a") == "v");
  }
}

TEST_CASE("request_parser: a chunked body with extensions and trailers") {
  const std::string wire =
      "POST /r HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTrailer: Lambda-Runtime-Function-Error-Type\r\n\r\n"
      "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nLambda-Runtime-Function-Error-Type: Runtime.X\r\n\r\n";
  for (size_t step : {wire.size(), size_t{1}, size_t{3}}) {
    RequestParser p(1024);
    Fed fed = feed_in_steps(p, wire, step);
    REQUIRE(fed.status == RequestParser::Status::kComplete);
    CHECK(fed.consumed == wire.size());
    Request r = p.take();
    CHECK(r.body == "Wikipedia");
    REQUIRE(r.trailer("lambda-runtime-function-error-type") != nullptr);
    CHECK(*r.trailer("lambda-runtime-function-error-type") == "Runtime.X");
  }
}

TEST_CASE("request_parser: pipelined requests leave the second one unconsumed") {
  const std::string first = "GET /a HTTP/1.1\r\n\r\n";
  const std::string wire = first + "GET /b HTTP/1.1\r\n\r\n";
  RequestParser p(1024);
  size_t n = 0;
  REQUIRE(p.feed(wire, n) == RequestParser::Status::kComplete);
  CHECK(n == first.size());
  CHECK(p.take().path == "/a");
  REQUIRE(p.feed(std::string_view(wire).substr(n), n) == RequestParser::Status::kComplete);
  CHECK(p.take().path == "/b");
}

TEST_CASE("request_parser: Expect 100-continue is reported once the head is in") {
  RequestParser p(1024);
  size_t n = 0;
  CHECK(p.feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", n) ==
        RequestParser::Status::kNeedMore);
  CHECK(p.expects_continue());
  CHECK(p.feed("abc", n) == RequestParser::Status::kComplete);
  CHECK(p.take().body == "abc");
  CHECK_FALSE(p.expects_continue());
}

TEST_CASE("request_parser: HTTP/1.0 and stray CRLFs between requests") {
  RequestParser p(1024);
  size_t n = 0;
  REQUIRE(p.feed("\r\n\r\nGET / HTTP/1.0\r\n\r\n", n) == RequestParser::Status::kComplete);
  CHECK(p.take().version_minor == 0);
}

TEST_CASE("request_parser: every bad request gets its status") {
  struct Case {
    std::string wire;
    int status;
  };
  const std::string big_header = "GET / HTTP/1.1\r\nX: " + std::string(RequestParser::kMaxHeadBytes, 'a') + "\r\n\r\n";
  std::string many = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i <= RequestParser::kMaxHeaderFields; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  many += "\r\n";
  const Case cases[] = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"GET / FTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 2048\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n801\r\n", 413},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400},
      {big_header, 431},
      {many, 431},
  };
  for (const Case& c : cases) {
    CAPTURE(c.wire.substr(0, 60));
    RequestParser p(1024);
    size_t n = 0;
    CHECK(p.feed(c.wire, n) == RequestParser::Status::kError);
    CHECK(p.error_status() == c.status);
    CHECK_FALSE(p.error_message().empty());
  }
}

TEST_CASE("request_parser: the body limit is inclusive") {
  RequestParser p(4);
  size_t n = 0;
  CHECK(p.feed("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd", n) == RequestParser::Status::kComplete);
  p.take();
  CHECK(p.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n", n) ==
        RequestParser::Status::kComplete);
  CHECK(p.take().body == "abcd");
}

}  // namespace
}  // namespace slipway::http
