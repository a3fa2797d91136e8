// EdgeServer: the one HTTP port every API is served on (DESIGN §5). A thin adapter over
// cpp-httplib: it binds, listens on its own thread, and hands requests to the routes that the
// app registered on server(). Handlers decode a request, post a typed command to the loop,
// wait for the reply and encode it; they never touch state.
//
// Tuned as measured in DESIGN §10: TCP_NODELAY on, and keep-alive connections kept for many
// requests (cpp-httplib's defaults, Nagle on and 5 requests a connection, cost ~87 ms a request).
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>
#include <thread>

#include "core/result.h"
#include "http/elastic_pool.h"

namespace slipway::http {

class EdgeServer {
 public:
  explicit EdgeServer(ElasticPool& pool);
  ~EdgeServer();  // stop()
  EdgeServer(const EdgeServer&) = delete;
  EdgeServer& operator=(const EdgeServer&) = delete;

  // Where routes are registered, before start().
  httplib::Server& server() { return server_; }

  // Binds `host:port` (port 0 picks a free one). Returns the bound port.
  core::Result<int> bind(const std::string& host, int port);
  // Serves on a thread of its own. REQUIRES: bind() succeeded.
  void start();
  // Stops accepting, lets in-flight requests finish, joins the listener. Any thread; idempotent.
  void stop();

 private:
  ElasticPool& pool_;
  httplib::Server server_;
  std::thread listener_;
};

// `s` escaped for use inside a JSON string literal.
std::string json_escape(std::string_view s);

// Writes a JSON body with the content type AWS's JSON APIs use.
void reply_json(httplib::Response& res, int status, std::string body);

}  // namespace slipway::http
