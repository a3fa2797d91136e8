#include "http/edge.h"

#include <cstdio>

namespace slipway::http {

void EdgeRouter::add(std::string name, Matches matches, Handler handle) {
  routes_.push_back(Route{std::move(name), std::move(matches), std::move(handle)});
}

void EdgeRouter::handle(Request& request, Reply reply) const {
  for (const Route& route : routes_) {
    if (route.matches(request)) {
      route.handle(request, std::move(reply));
      return;
    }
  }
  reply(json_response(404, "{\"message\":\"slipway serves nothing at " +
                               json_escape(request.method + " " + request.path) +
                               ". The edge port serves SQS (POST / or a queue URL), Lambda (/2015-03-31/functions/) "
                               "and the admin API under /_slipway/.\"}"));
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

Response json_response(int status, std::string body) {
  Response res;
  res.status = status;
  res.set_content(std::move(body), "application/json");
  return res;
}

}  // namespace slipway::http
