#include "http/edge.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

#include "core/ids.h"

namespace slipway::http {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string new_request_id() {
  static const std::array<uint64_t, 2> key = [] {
    std::random_device rd;
    return std::array<uint64_t, 2>{(uint64_t{rd()} << 32) | rd(), (uint64_t{rd()} << 32) | rd()};
  }();
  static std::atomic<uint64_t> counter{0};
  const uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
  return core::format_uuid(splitmix64(key[0] ^ n), splitmix64(key[1] + n));
}

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
