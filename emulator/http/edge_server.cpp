#include "http/edge_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <cstdio>
#include <cstring>

namespace slipway::http {

namespace {

// Debian's cpp-httplib is compiled with a listen backlog of 5: eight clients connecting at once
// overflow it, and the kernel's SYN retry makes one of them wait a full second. Linux lets
// listen() be called again to raise the backlog, so find the listening socket on `port` (the
// library keeps it private) and do that.
void raise_listen_backlog(int port) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = -1;
    const std::string name = entry.path().filename().string();
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc()) continue;
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_storage addr{};
    socklen_t addr_len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addr_len) != 0) continue;
    const int bound = addr.ss_family == AF_INET
                          ? ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port)
                          : ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    if (bound == port) ::listen(fd, SOMAXCONN);
  }
}

// A keep-alive connection serves this many requests before cpp-httplib closes it.
constexpr size_t kKeepAliveMaxRequests = 1'000'000;
constexpr time_t kKeepAliveTimeoutS = 10;
}  // namespace

EdgeServer::EdgeServer(ElasticPool& pool) : pool_(pool) {
  server_.new_task_queue = [this] { return pool_.make_task_queue(); };
  server_.set_tcp_nodelay(true);
  // cpp-httplib's default also sets SO_REUSEPORT, which would let a second daemon bind the same
  // port and silently take half the traffic. SO_REUSEADDR alone allows a quick restart.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_.set_keep_alive_max_count(kKeepAliveMaxRequests);
  server_.set_keep_alive_timeout(kKeepAliveTimeoutS);
  server_.set_payload_max_length(64 * 1024 * 1024);  // APIs enforce their own, smaller limits
  // cpp-httplib calls this for every status >= 400; only fill in answers no route wrote.
  server_.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string what = req.method + " " + req.path;
    reply_json(res, res.status,
               "{\"message\":\"slipway serves nothing at " + json_escape(what) +
                   ". The edge port serves SQS (POST / or a queue URL) and the admin API under "
                   "/_slipway/.\"}");
    return httplib::Server::HandlerResponse::Handled;
  }));
}

EdgeServer::~EdgeServer() { stop(); }

core::Result<int> EdgeServer::bind(const std::string& host, int port) {
  errno = 0;
  const int bound =
      port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
  if (bound > 0) raise_listen_backlog(bound);
  if (bound <= 0) {
    const int err = errno;
    std::string why = err ? std::strerror(err) : "the address is not usable";
    return core::make_error(core::ErrorCode::kInvalidState,
                            "cannot listen on " + host + ":" + std::to_string(port) + ": " + why +
                                (port ? " (is another server using the port? try --port 0)" : ""));
  }
  return bound;
}

void EdgeServer::start() {
  listener_ = std::thread([this] { server_.listen_after_bind(); });
  // cpp-httplib's stop() does nothing until the listener runs: wait for it, so a signal that
  // arrives right after start-up still stops the server.
  while (!server_.is_running()) std::this_thread::yield();
}

void EdgeServer::stop() {
  server_.stop();
  if (listener_.joinable()) listener_.join();
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

void reply_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

}  // namespace slipway::http
