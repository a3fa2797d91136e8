// The edge port's router (DESIGN §5): every API is served on one port, and each request goes to
// the first route whose predicate accepts it, in the order the app added them (admin, Lambda,
// SQS, then S3, which takes everything else). A request no route accepts gets a JSON 404 that
// says what the port serves.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"

namespace slipway::http {

class EdgeRouter {
 public:
  using Matches = std::function<bool(const Request&)>;

  // Before serving. `name` labels the route in logs.
  void add(std::string name, Matches matches, Handler handle);

  // A Server handler: loop thread, inside a pass.
  void handle(Request& request, Reply reply) const;

 private:
  struct Route {
    std::string name;
    Matches matches;
    Handler handle;
  };
  std::vector<Route> routes_;
};

// A fresh UUID-shaped request id for an answer's x-amzn-RequestId: a random per-process key
// mixed with a counter. Request ids only label answers (no state depends on them), so they need
// not come from the core's seeded IdGen.
std::string new_request_id();

// `s` escaped for use inside a JSON string literal.
std::string json_escape(std::string_view s);

// A response with a JSON body and the content type AWS's JSON APIs use.
Response json_response(int status, std::string body);

}  // namespace slipway::http
