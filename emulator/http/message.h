// HTTP/1.1 messages as the servers hand them to routes: one request, fully read (a chunked body
// is already de-chunked and its trailers collected), and one buffered response.
//
// Header names compare case-insensitively (RFC 9110 §5.1); values are kept as received, with
// surrounding whitespace trimmed. Nothing here does I/O.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::http {

struct Header {
  std::string name;
  std::string value;
};

// Case-insensitive ASCII comparison, for header names and tokens.
bool iequals(std::string_view a, std::string_view b);

// The first header called `name`, or null.
const std::string* find_header(const std::vector<Header>& headers, std::string_view name);

struct Request {
  std::string method;             // "GET", "POST", ... as received (case-sensitive)
  std::string target;             // the request target as received, e.g. "/a/b?x=1"
  std::string path;               // target up to '?', not percent-decoded
  std::string query;              // target after '?', not decoded; empty when none
  int version_minor = 1;          // HTTP/1.<minor>
  std::vector<Header> headers;
  std::vector<Header> trailers;   // a chunked body's trailer fields
  std::string body;
  std::string local_addr;         // the address the request arrived on
  int local_port = 0;

  const std::string* header(std::string_view name) const { return find_header(headers, name); }
  std::string header_or(std::string_view name, std::string_view fallback = {}) const {
    const std::string* v = header(name);
    return v ? *v : std::string(fallback);
  }
  bool has_header(std::string_view name) const { return header(name) != nullptr; }
  const std::string* trailer(std::string_view name) const { return find_header(trailers, name); }
};

struct Response {
  int status = 200;
  std::vector<Header> headers;  // Content-Length and Connection are added by the server
  std::string body;

  // Replaces any header called `name`.
  void set_header(std::string_view name, std::string value);
  void set_content(std::string content, std::string_view content_type) {
    body = std::move(content);
    set_header("Content-Type", std::string(content_type));
  }
};

// The reason phrase for `status` ("OK", "Not Found", ...), or "Unknown".
std::string_view reason_phrase(int status);

}  // namespace slipway::http
