// Server: an HTTP/1.1 server that runs on the loop thread itself (DESIGN §3, revised).
//
// Owns: one listening socket and its connections, all libuv handles on the Loop's uv loop. No
// threads: reading, parsing, routing and writing happen on the loop thread, so a request reaches
// its handler with no thread handoff, and a parked request (a long poll, a Runtime API `/next`)
// costs a connection, not a thread. The edge port is one Server; every execution environment's
// Runtime API listener is another.
//
// Contract with handlers:
//   - `handler(request, reply)` runs on the loop thread inside a loop pass, so it may change
//     state directly.
//   - `reply(response)` must be called exactly once, on the loop thread, now or in a later pass.
//     A reply made inside a pass is written only after that pass commits (DESIGN rule 2); if the
//     commit fails the client gets a 500 instead and nothing was acknowledged. A reply made
//     outside a pass waits for the passes still committing (Loop::defer), else is written at once.
//   - A connection serves its requests in order (HTTP/1.1 pipelining): the next request is read
//     only after the current one has been answered.
//   - The server adds Content-Length, Date and, when it closes, `Connection: close`.
//
// Limits (every buffer has a bound): request line and headers 64 KiB, 200 header fields, body
// `max_body_bytes` (default 64 MiB); beyond them the client gets 431 or 413 and the connection
// closes. `Expect: 100-continue` is answered with `100 Continue`. Chunked request bodies and
// their trailers are supported.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace slipway::platform {
class Loop;
}

namespace slipway::http {

using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request& request, Reply reply)>;

struct ServerOptions {
  size_t max_body_bytes = 64u * 1024 * 1024;
  // Idle keep-alive connections are closed after this long without a request.
  int idle_timeout_ms = 60'000;
};

class Server {
 public:
  Server(platform::Loop& loop, Handler handler, ServerOptions options = {});
  // REQUIRES: close() was called and its on_closed ran, or listen() never succeeded. Replies
  // still held for a closed server's connections are safe to call: they do nothing.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loop thread (or before run()). Binds `host:port` (0 picks a free port) and listens.
  // Returns the bound port.
  core::Result<int> listen(const std::string& host, int port);

  // Loop thread. Stops accepting; idle connections close now, busy ones after their answer.
  // `on_closed` runs once every handle is closed.
  void close(std::function<void()> on_closed = {});

  int port() const;
  size_t open_connections() const;

  struct Impl;  // defined in server.cpp only

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace slipway::http
