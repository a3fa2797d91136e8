#include "http/server.h"

#include <netdb.h>
#include <sys/socket.h>
#include <uv.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <unordered_set>

#include "http/request_parser.h"
#include "platform/loop.h"

namespace slipway::http {

namespace {

constexpr size_t kReadBufferBytes = 64 * 1024;
// A connection that is waiting for its answer stops reading once this much is buffered.
constexpr size_t kMaxBufferedInputBytes = 1024 * 1024;
constexpr uint64_t kIdleSweepIntervalMs = 1000;

// Every server runs on the loop thread and copies what it reads before the next read, so one
// buffer serves them all (a thousand environments' listeners would otherwise hold 64 MiB).
char* shared_read_buffer() {
  static thread_local char buffer[kReadBufferBytes];
  return buffer;
}

// The IMF-fixdate for the current second, cached.
const std::string& http_date() {
  static thread_local std::time_t cached_second = 0;
  static thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    char buf[64];
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached = buf;
    cached_second = now;
  }
  return cached;
}

bool wants_keep_alive(const Request& req) {
  const std::string* connection = req.header("Connection");
  if (req.version_minor == 0) return connection && iequals(*connection, "keep-alive");
  return !(connection && iequals(*connection, "close"));
}

Response error_response(int status, const std::string& message) {
  Response r;
  r.status = status;
  std::string body = "{\"message\":\"";
  for (char c : message) body += (c == '"' || c == '\\') ? '\'' : c;
  body += "\"}";
  r.set_content(std::move(body), "application/json");
  return r;
}

}  // namespace

struct Connection {
  uv_tcp_t tcp{};
  Server::Impl* server = nullptr;
  std::shared_ptr<Connection> self;  // keeps the connection alive until its handle is closed
  RequestParser parser;
  std::string in;
  size_t in_offset = 0;
  uint64_t awaiting = 0;   // the token of the request being answered; 0 when none
  uint64_t next_token = 1;
  bool keep_alive = true;  // of the request being answered
  bool head_request = false;
  bool continue_sent = false;
  bool reading = false;
  bool closing = false;
  size_t writes_pending = 0;
  uint64_t last_active_ms = 0;

  explicit Connection(size_t max_body) : parser(max_body) {}
};

struct Server::Impl {
  platform::Loop& loop;
  Handler handler;
  ServerOptions options;
  uv_tcp_t listener{};
  uv_timer_t sweep{};
  bool listening = false;
  bool closing = false;
  int handles_open = 0;
  int port = 0;
  std::string host;
  std::unordered_set<Connection*> connections;
  std::function<void()> on_closed;

  Impl(platform::Loop& l, Handler h, ServerOptions o) : loop(l), handler(std::move(h)), options(o) {}

  void accept();
  void start_reading(Connection& c);
  void on_read(Connection& c, ssize_t nread);
  void process_input(Connection& c);
  void dispatch(Connection& c, Request request);
  static void reply(const std::shared_ptr<Connection>& c, uint64_t token, Response response);
  void write_response(Connection& c, const Response& response);
  void write(Connection& c, std::string head, const std::string& body);
  void close_connection(Connection& c);
  void handle_closed();
  void sweep_idle();
};

namespace {

struct WriteRequest {
  uv_write_t req{};
  std::string head;
  std::string body;
  std::shared_ptr<Connection> conn;
};

}  // namespace

Server::Server(platform::Loop& loop, Handler handler, ServerOptions options)
    : impl_(std::make_unique<Impl>(loop, std::move(handler), options)) {}

Server::~Server() = default;

int Server::port() const { return impl_->port; }
size_t Server::open_connections() const { return impl_->connections.size(); }

core::Result<int> Server::listen(const std::string& host, int port) {
  Impl& s = *impl_;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0 || !found) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "cannot listen on " + host + ": " + gai_strerror(rc));
  }
  uv_tcp_init(s.loop.uv(), &s.listener);
  s.listener.data = &s;
  ++s.handles_open;
  int rc = uv_tcp_bind(&s.listener, found->ai_addr, 0);  // libuv sets SO_REUSEADDR, not REUSEPORT
  freeaddrinfo(found);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(&s.listener), SOMAXCONN, [](uv_stream_t* l, int status) {
      if (status == 0) static_cast<Impl*>(l->data)->accept();
    });
  }
  if (rc != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&s.listener), [](uv_handle_t* h) { static_cast<Impl*>(h->data)->handle_closed(); });
    return core::make_error(core::ErrorCode::kInvalidState,
                            "cannot listen on " + host + ":" + std::to_string(port) + ": " + uv_strerror(rc) +
                                (port ? " (is another server using the port? try --port 0)" : ""));
  }
  sockaddr_storage addr{};
  int len = sizeof addr;
  uv_tcp_getsockname(&s.listener, reinterpret_cast<sockaddr*>(&addr), &len);
  s.port = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  s.host = host;
  s.listening = true;
  if (s.options.idle_timeout_ms > 0) {
    uv_timer_init(s.loop.uv(), &s.sweep);
    s.sweep.data = &s;
    ++s.handles_open;
    uv_timer_start(&s.sweep, [](uv_timer_t* t) { static_cast<Impl*>(t->data)->sweep_idle(); },
                   kIdleSweepIntervalMs, kIdleSweepIntervalMs);
    uv_unref(reinterpret_cast<uv_handle_t*>(&s.sweep));
  }
  return s.port;
}

void Server::close(std::function<void()> on_closed) {
  Impl& s = *impl_;
  if (s.closing) return;
  s.closing = true;
  s.on_closed = std::move(on_closed);
  auto closed = [](uv_handle_t* h) { static_cast<Impl*>(h->data)->handle_closed(); };
  if (s.listening) {
    uv_close(reinterpret_cast<uv_handle_t*>(&s.listener), closed);
    if (s.options.idle_timeout_ms > 0) uv_close(reinterpret_cast<uv_handle_t*>(&s.sweep), closed);
    s.listening = false;
  }
  std::vector<Connection*> idle;
  for (Connection* c : s.connections) {
    c->keep_alive = false;  // a busy connection closes after its answer
    if (c->awaiting == 0 && c->writes_pending == 0) idle.push_back(c);
  }
  for (Connection* c : idle) s.close_connection(*c);
  if (s.handles_open == 0 && s.on_closed) std::exchange(s.on_closed, nullptr)();
}

void Server::Impl::handle_closed() {
  if (--handles_open == 0 && closing && on_closed) std::exchange(on_closed, nullptr)();
}

void Server::Impl::accept() {
  auto conn = std::make_shared<Connection>(options.max_body_bytes);
  Connection& c = *conn;
  c.server = this;
  c.self = conn;
  uv_tcp_init(loop.uv(), &c.tcp);
  c.tcp.data = &c;
  ++handles_open;
  connections.insert(&c);
  if (uv_accept(reinterpret_cast<uv_stream_t*>(&listener), reinterpret_cast<uv_stream_t*>(&c.tcp)) != 0 || closing) {
    close_connection(c);
    return;
  }
  uv_tcp_nodelay(&c.tcp, 1);
  c.last_active_ms = uv_now(loop.uv());
  start_reading(c);
}

void Server::Impl::start_reading(Connection& c) {
  if (c.reading || c.closing) return;
  c.reading = true;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&c.tcp),
      [](uv_handle_t*, size_t, uv_buf_t* buf) { *buf = uv_buf_init(shared_read_buffer(), kReadBufferBytes); },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t*) {
        auto* c = static_cast<Connection*>(stream->data);
        c->server->on_read(*c, nread);
      });
}

void Server::Impl::on_read(Connection& c, ssize_t nread) {
  if (nread < 0) {  // EOF or an error: the client is gone
    close_connection(c);
    return;
  }
  if (nread == 0) return;
  c.last_active_ms = uv_now(loop.uv());
  c.in.append(shared_read_buffer(), static_cast<size_t>(nread));
  if (c.awaiting != 0) {
    if (c.in.size() - c.in_offset > kMaxBufferedInputBytes) {
      uv_read_stop(reinterpret_cast<uv_stream_t*>(&c.tcp));  // resumed after the answer
      c.reading = false;
    }
    return;
  }
  process_input(c);
  // Hand this connection's changes to the store's writer now, not after every ready socket has
  // been read: the commit overlaps the loop's next reads, and the reply leaves sooner. Measured
  // with 8 clients sending batches of 10: 60-63k messages/s ending passes per loop iteration,
  // 74-78k ending them per read.
  loop.end_pass();
}

void Server::Impl::process_input(Connection& c) {
  while (c.awaiting == 0 && !c.closing && c.in_offset < c.in.size()) {
    size_t consumed = 0;
    const auto status = c.parser.feed(std::string_view(c.in).substr(c.in_offset), consumed);
    c.in_offset += consumed;
    if (status == RequestParser::Status::kError) {
      c.keep_alive = false;
      c.awaiting = c.next_token++;
      write_response(c, error_response(c.parser.error_status(), c.parser.error_message()));
      break;
    }
    if (status == RequestParser::Status::kNeedMore) {
      if (c.parser.expects_continue() && !c.continue_sent) {
        c.continue_sent = true;
        write(c, "HTTP/1.1 100 Continue\r\n\r\n", {});
      }
      break;
    }
    c.continue_sent = false;
    dispatch(c, c.parser.take());
  }
  if (c.in_offset == c.in.size()) {
    c.in.clear();
    c.in_offset = 0;
  } else if (c.in_offset > kReadBufferBytes) {
    c.in.erase(0, c.in_offset);
    c.in_offset = 0;
  }
}

void Server::Impl::dispatch(Connection& c, Request request) {
  const uint64_t token = c.next_token++;
  c.awaiting = token;
  c.keep_alive = wants_keep_alive(request) && !closing;
  c.head_request = request.method == "HEAD";
  request.local_addr = host;
  request.local_port = port;
  std::shared_ptr<Connection> conn = c.self;
  Reply reply = [conn, token](Response response) { Impl::reply(conn, token, std::move(response)); };
  loop.join_pass();
  handler(request, std::move(reply));
}

void Server::Impl::reply(const std::shared_ptr<Connection>& conn, uint64_t token, Response response) {
  if (conn->closing || conn->awaiting != token) return;  // the client left, or answered already
  Impl* s = conn->server;  // alive: a closed server has no open connection
  s->loop.defer([conn, token, response = std::move(response)](bool committed) {
    if (conn->closing || conn->awaiting != token) return;
    // Two calls, not one with ?: which would copy the response, body and all.
    if (committed) {
      conn->server->write_response(*conn, response);
    } else {
      conn->server->write_response(
          *conn, error_response(500, "the change could not be made durable; nothing was acknowledged"));
    }
  });
}

void Server::Impl::write_response(Connection& c, const Response& r) {
  std::string head;
  head.reserve(256);
  head += "HTTP/1.1 ";
  head += std::to_string(r.status);
  head += ' ';
  head += reason_phrase(r.status);
  head += "\r\n";
  bool explicit_length = false;
  for (const Header& h : r.headers) {
    if (iequals(h.name, "Content-Length")) {
      if (!c.head_request) continue;  // the server counts the body it sends
      explicit_length = true;
    }
    head += h.name;
    head += ": ";
    head += h.value;
    head += "\r\n";
  }
  const bool bodyless_status = r.status < 200 || r.status == 204 || r.status == 304;
  if (!bodyless_status && !explicit_length) {
    head += "Content-Length: ";
    head += std::to_string(r.body.size());
    head += "\r\n";
  }
  head += "Date: ";
  head += http_date();
  head += "\r\n";
  if (!c.keep_alive) head += "Connection: close\r\n";
  head += "\r\n";
  c.awaiting = 0;
  static const std::string kNoBody;
  write(c, std::move(head), c.head_request || bodyless_status ? kNoBody : r.body);
  if (!c.keep_alive) {
    c.closing = true;  // closed once the write is done
    if (c.writes_pending == 0) close_connection(c);
    return;
  }
  c.last_active_ms = uv_now(loop.uv());
  process_input(c);  // a pipelined request may be waiting
  if (c.awaiting == 0) start_reading(c);
}

void Server::Impl::write(Connection& c, std::string head, const std::string& body) {
  uv_buf_t bufs[2] = {uv_buf_init(head.data(), static_cast<unsigned>(head.size())),
                      uv_buf_init(const_cast<char*>(body.data()), static_cast<unsigned>(body.size()))};
  const int nbufs = body.empty() ? 1 : 2;
  auto* stream = reinterpret_cast<uv_stream_t*>(&c.tcp);
  int written = c.writes_pending == 0 ? uv_try_write(stream, bufs, nbufs) : UV_EAGAIN;
  if (written < 0 && written != UV_EAGAIN) {
    close_connection(c);
    return;
  }
  size_t done = written > 0 ? static_cast<size_t>(written) : 0;
  if (done == head.size() + body.size()) return;
  auto* w = new WriteRequest;
  w->conn = c.self;
  if (done < head.size()) {
    w->head = head.substr(done);
    w->body = body;
  } else {
    w->body = body.substr(done - head.size());
  }
  uv_buf_t rest[2] = {uv_buf_init(w->head.data(), static_cast<unsigned>(w->head.size())),
                      uv_buf_init(w->body.data(), static_cast<unsigned>(w->body.size()))};
  const bool head_left = !w->head.empty();
  ++c.writes_pending;
  w->req.data = w;
  uv_write(&w->req, stream, head_left ? rest : rest + 1, head_left && !w->body.empty() ? 2 : 1,
           [](uv_write_t* req, int status) {
             auto* w = static_cast<WriteRequest*>(req->data);
             Connection& c = *w->conn;
             --c.writes_pending;
             if ((status != 0 || (c.closing && c.awaiting == 0)) && c.writes_pending == 0) {
               c.server->close_connection(c);
             }
             delete w;
           });
}

void Server::Impl::close_connection(Connection& c) {
  auto* handle = reinterpret_cast<uv_handle_t*>(&c.tcp);
  c.closing = true;
  if (uv_is_closing(handle)) return;
  connections.erase(&c);
  uv_close(handle, [](uv_handle_t* h) {
    auto* c = static_cast<Connection*>(h->data);
    Impl* s = c->server;
    std::shared_ptr<Connection> keep = std::move(c->self);  // freed when the last reply drops it
    s->handle_closed();
  });
}

void Server::Impl::sweep_idle() {
  const uint64_t now = uv_now(loop.uv());
  std::vector<Connection*> idle;
  for (Connection* c : connections) {
    if (c->awaiting == 0 && c->writes_pending == 0 && !c->parser.head_parsed() &&
        now - c->last_active_ms >= static_cast<uint64_t>(options.idle_timeout_ms)) {
      idle.push_back(c);
    }
  }
  for (Connection* c : idle) close_connection(*c);
}

}  // namespace slipway::http
