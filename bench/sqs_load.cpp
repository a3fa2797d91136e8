// sqs_load: a load generator for slipway's SQS API (JSON 1.0 protocol), used by bench/sqs.py.
//
//   sqs_load --port P --queue-url URL --op OP [--clients 8] [--seconds 5] [--batch 1]
//            [--body-bytes 200] [--max-requests N] [--rate R]
// OP: send           SendMessage (or SendMessageBatch with --batch 10)
//     receive-delete ReceiveMessage (up to --batch messages) then DeleteMessage(Batch) for them
// Each of --clients keep-alive connections (TCP_NODELAY, 127.0.0.1) runs a closed loop: it starts
// its next request as soon as the previous answer is in, while --seconds have not passed (a request
// in flight at the deadline completes) and fewer than --max-requests have been started in total.
// --rate R paces the clients to R requests/s in total instead (open loop, latency at a given load):
// each client starts a request every clients/R seconds (at once when it is late); the clients'
// schedules are spread evenly over that interval.
// A request is one exchange, or for receive-delete one receive plus, when it returned messages,
// one delete; its latency runs from its start to its last answer. A non-200 answer, a broken
// connection, an answer we cannot parse or no answer within 30 s counts as an error.
// Prints one JSON line: requests, messages, seconds, rps, mps, p50_us, p99_us, max_us, errors.
//
// How: the generator shares the cores with the daemon it measures, so it is built to cost little.
// One thread drives every connection through epoll (level-triggered) as a small state machine:
//   waiting (has claimed its next request, waits for its pacing time)
//   -> sending (the pre-built request goes out in one send(); EPOLLOUT is asked for only while a
//      connect is in progress or the socket buffer is full)
//   -> reading (until the Content-Length body is in) -> [the delete half: sending again]
//   -> waiting, or done once the deadline or the request budget is reached.
// Requests are built once; the single-message body ends in a fixed-width per-connection counter
// rewritten in place. Only a delete, which names the receipt handles just received, is built per
// request, into buffers whose capacity is reused. Answers are parsed minimally: status line,
// headers up to CRLFCRLF, a Content-Length body. A chunked answer is counted as an error rather
// than decoded: the daemon always sends Content-Length. A dropped connection is reopened by the
// connection's next request. Linux only (epoll_pwait2 for sub-millisecond pacing).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kExchangeTimeout = std::chrono::seconds(30);  // the read timeout the httplib version had
constexpr size_t kCounterDigits = 8;
constexpr size_t kMaxHeaderBytes = 64 * 1024;

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

struct Options {
  int port = 4566;
  std::string queue_url;
  std::string op = "send";
  int clients = 8;
  double seconds = 5;
  int batch = 1;
  int body_bytes = 200;
  long max_requests = 0;  // 0: no cap
  double rate = 0;        // total requests/s across clients, paced (open loop); 0: as fast as possible
};

struct Totals {
  std::vector<uint32_t> latencies_us;  // one per request
  long messages = 0, errors = 0;
  double seconds = 0;
};

enum class Step { waiting, sending, reading, done };

struct Conn {
  uint32_t index = 0;  // in Load::conns_, and the epoll data
  int fd = -1;         // -1: the next exchange opens a connection
  Step step = Step::waiting;
  bool deleting = false;       // receive-delete: this exchange is the delete half
  bool want_out = false;       // EPOLLOUT is registered
  bool server_closes = false;  // the answer said "Connection: close"
  const std::string* request = nullptr;
  size_t written = 0;
  std::string in;                        // the answer read so far
  size_t answer_bytes = 0, body_at = 0;  // known once the header is parsed; 0 before
  int status = 0;
  long handles = 0;  // receipt handles the pending delete names
  Clock::time_point started, exchange_started, next;  // request start, exchange start, pacing slot
  std::string send_request;                           // own copy: the counter is per connection
  size_t counter_at = 0;
  std::string delete_request;  // rebuilt per delete, capacity reused
};

// Appends a POST / with the SQS JSON 1.0 headers to out.
void append_post(std::string& out, const std::string& host, std::string_view action, std::string_view body) {
  out.append("POST / HTTP/1.1\r\nHost: ").append(host);
  out.append("\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.").append(action);
  out.append("\r\nContent-Length: ").append(std::to_string(body.size())).append("\r\n\r\n").append(body);
}

// ASCII case-insensitive equality, for header names and the token "close".
bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; };
  auto same = [&](char x, char y) { return lower(x) == lower(y); };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same);
}

enum class Header { incomplete, bad, parsed };

// Parses the status line and headers of c.in once CRLFCRLF is in: sets status, body_at,
// answer_bytes and server_closes.
Header parse_header(Conn& c) {
  const std::string_view in = c.in;
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) return in.size() > kMaxHeaderBytes ? Header::bad : Header::incomplete;
  if (end < 12 || in.substr(0, 7) != "HTTP/1." || in[8] != ' ') return Header::bad;  // HTTP/1.x SSS
  if (std::from_chars(in.data() + 9, in.data() + 12, c.status).ptr != in.data() + 12) return Header::bad;
  bool have_length = false;
  size_t length = 0;
  for (size_t at = in.find("\r\n") + 2; at < end;) {
    const size_t eol = in.find("\r\n", at);
    const std::string_view line = in.substr(at, eol - at);
    at = eol + 2;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Header::bad;
    const std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);  // without the optional white space around it
    value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
    value = value.substr(0, value.find_last_not_of(" \t") + 1);
    if (iequals(name, "content-length")) {
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (ec != std::errc() || p != value.data() + value.size()) return Header::bad;
      have_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      return Header::bad;  // chunked is not decoded: the daemon always sends Content-Length
    } else if (iequals(name, "connection")) {
      c.server_closes = iequals(value, "close");
    }
  }
  if (!have_length) return Header::bad;
  c.body_at = end + 4;
  c.answer_bytes = c.body_at + length;
  return Header::parsed;
}

class Load {
 public:
  Load(const Options& o, int epoll_fd)
      : o_(o), epoll_fd_(epoll_fd), send_op_(o.op == "send"), host_("127.0.0.1:" + std::to_string(o.port)),
        queue_("{\"QueueUrl\":\"" + o.queue_url + "\""), conns_(static_cast<size_t>(o.clients)) {
    budget_ = o.max_requests > 0 ? o.max_requests : (1L << 62);
    if (o.rate > 0) interval_ = seconds(o.clients / o.rate);
    const std::string payload(static_cast<size_t>(o.body_bytes), 'x');
    append_post(receive_request_, host_, "ReceiveMessage",
                queue_ + ",\"MaxNumberOfMessages\":" + std::to_string(o.batch) + "}");
    std::string entries;
    for (int i = 0; i < o.batch; ++i) {
      entries.append(i ? ",{\"Id\":\"m" : "{\"Id\":\"m").append(std::to_string(i));
      entries.append("\",\"MessageBody\":\"").append(payload).append("\"}");
    }
    append_post(batch_request_, host_, "SendMessageBatch", queue_ + ",\"Entries\":[" + entries + "]}");
    std::string single;
    append_post(single, host_, "SendMessage",
                queue_ + ",\"MessageBody\":\"" + payload + std::string(kCounterDigits, '0') + "\"}");
    for (size_t i = 0; i < conns_.size(); ++i) {
      conns_[i].index = static_cast<uint32_t>(i);
      conns_[i].send_request = single;
      conns_[i].counter_at = single.size() - 2 - kCounterDigits;
    }
  }

  // Runs every connection until it is done.
  Totals run() {
    const auto start = Clock::now();
    deadline_ = start + seconds(o_.seconds);
    for (auto& c : conns_) {
      // Spread the paced clients over one interval: started together, one thread would fire them
      // in lockstep bursts (the thread-per-client version spread them by its thread start times).
      c.next = start + interval_ * static_cast<int>(c.index) / o_.clients;
      claim(c, start);
    }
    epoll_event events[64];
    for (;;) {
      const auto now = Clock::now();
      auto wake = Clock::time_point::max();
      bool live = false;
      for (auto& c : conns_) {
        if (c.step == Step::waiting && now >= c.next) begin(c);
        const bool busy = c.step == Step::sending || c.step == Step::reading;
        if (busy && now - c.exchange_started >= kExchangeTimeout) fail(c);
        if (c.step == Step::waiting) wake = std::min(wake, c.next);
        else if (c.step != Step::done) wake = std::min(wake, c.exchange_started + kExchangeTimeout);
        live |= c.step != Step::done;
      }
      if (!live) break;
      const long ns = std::chrono::nanoseconds(std::max(wake - now, Clock::duration::zero())).count();
      const timespec timeout{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
      const int n = epoll_pwait2(epoll_fd_, events, 64, &timeout, nullptr);
      if (n < 0 && errno != EINTR) {
        std::perror("sqs_load: epoll_pwait2");
        std::exit(2);
      }
      for (int i = 0; i < n; ++i) {
        Conn& c = conns_[events[i].data.u32];
        if (c.step == Step::reading) on_readable(c);
        else if (c.step != Step::sending) close_fd(c);  // idle and readable: the server closed it
        else if (events[i].events & EPOLLIN) fail(c);   // an answer before the whole request: out of protocol
        else flush(c);
      }
    }
    totals_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return std::move(totals_);
  }

 private:
  // After a request: the connection claims its next one (from the shared budget) or is done.
  void claim(Conn& c, Clock::time_point now) {
    const bool more = now < deadline_ && budget_-- > 0;
    if (!more) close_fd(c);
    c.step = more ? Step::waiting : Step::done;  // waiting begins at c.next: at once without --rate
  }

  void begin(Conn& c) {
    c.started = Clock::now();
    if (o_.rate > 0) c.next += interval_;
    if (!send_op_) return exchange(c, receive_request_);
    if (o_.batch > 1) return exchange(c, batch_request_);
    for (size_t i = c.counter_at + kCounterDigits; i-- > c.counter_at;) {  // counter + 1, wrapping
      if (c.send_request[i]++ != '9') break;
      c.send_request[i] = '0';
    }
    exchange(c, c.send_request);
  }

  void exchange(Conn& c, const std::string& request) {
    if (c.fd < 0 && !open(c)) return finish(c, false, 0);
    c.request = &request;
    c.written = c.answer_bytes = 0;
    c.in.clear();
    c.server_closes = false;
    c.exchange_started = Clock::now();
    c.step = Step::sending;
    flush(c);
  }

  bool open(Conn& c) {
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) return false;
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(o_.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Non-blocking: on loopback the connect usually completes at once; if not, send() says EAGAIN.
    if ((connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 && errno != EINPROGRESS) ||
        !watch(c, EPOLL_CTL_ADD, EPOLLIN)) {
      close_fd(c);
      return false;
    }
    return true;
  }

  bool watch(Conn& c, int op, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u32 = c.index;
    return epoll_ctl(epoll_fd_, op, c.fd, &ev) == 0;
  }

  // Sends what is left of the request (normally all of it, in one send()).
  void flush(Conn& c) {
    while (c.written < c.request->size()) {
      const std::string& r = *c.request;
      const ssize_t n = send(c.fd, r.data() + c.written, r.size() - c.written, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return want_out(c, true);
      if (n < 0) return fail(c);
      c.written += static_cast<size_t>(n);
    }
    want_out(c, false);
    c.step = Step::reading;
  }

  void want_out(Conn& c, bool on) {
    if (c.want_out != on) watch(c, EPOLL_CTL_MOD, on ? EPOLLIN | EPOLLOUT : EPOLLIN);
    c.want_out = on;
  }

  void on_readable(Conn& c) {
    const ssize_t n = read(c.fd, scratch_, sizeof scratch_);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) return fail(c);
    c.in.append(scratch_, static_cast<size_t>(n));
    if (c.answer_bytes == 0) {
      const Header h = parse_header(c);
      if (h == Header::incomplete) return;
      if (h == Header::bad) return fail(c);
    }
    if (c.in.size() < c.answer_bytes) return;
    if (c.in.size() > c.answer_bytes) return fail(c);  // we never pipeline: nothing may follow
    on_answer(c);
  }

  void on_answer(Conn& c) {
    const bool ok = c.status == 200;
    if (c.server_closes) close_fd(c);
    if (send_op_) return finish(c, ok, ok ? o_.batch : 0);
    if (c.deleting) return finish(c, ok, ok ? c.handles : 0);
    if (!ok) return finish(c, false, 0);
    c.handles = build_delete(c, std::string_view(c.in).substr(c.body_at));
    if (c.handles == 0) return finish(c, true, 0);
    c.deleting = true;
    exchange(c, c.delete_request);
  }

  // Builds the DeleteMessage(Batch) request for every "ReceiptHandle":"..." in a ReceiveMessage
  // answer (handles hold no quotes) into c.delete_request; returns how many it names.
  long build_delete(Conn& c, std::string_view body) {
    constexpr std::string_view key = "\"ReceiptHandle\":\"";
    handles_.clear();
    for (size_t at = body.find(key); at != std::string_view::npos; at = body.find(key, at)) {
      at += key.size();
      const size_t end = body.find('"', at);
      if (end == std::string_view::npos) break;
      handles_.push_back(body.substr(at, end - at));
      at = end;
    }
    if (handles_.empty()) return 0;
    std::string& b = delete_body_;
    b = queue_;
    if (handles_.size() == 1) {
      b.append(",\"ReceiptHandle\":\"").append(handles_[0]).append("\"}");
    } else {
      b += ",\"Entries\":[";
      for (size_t i = 0; i < handles_.size(); ++i) {
        b.append(i ? ",{\"Id\":\"d" : "{\"Id\":\"d").append(std::to_string(i));
        b.append("\",\"ReceiptHandle\":\"").append(handles_[i]).append("\"}");
      }
      b += "]}";
    }
    c.delete_request.clear();
    append_post(c.delete_request, host_, handles_.size() == 1 ? "DeleteMessage" : "DeleteMessageBatch", b);
    return static_cast<long>(handles_.size());
  }

  void fail(Conn& c) {
    close_fd(c);
    finish(c, false, 0);
  }

  void close_fd(Conn& c) {
    if (c.fd >= 0) close(c.fd);  // also leaves the epoll set
    c.fd = -1;
    c.want_out = false;
  }

  // Records the request that started at c.started, then claims the next one.
  void finish(Conn& c, bool ok, long messages) {
    const auto now = Clock::now();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - c.started).count();
    totals_.latencies_us.push_back(static_cast<uint32_t>(us));
    totals_.messages += messages;
    if (!ok) ++totals_.errors;
    c.deleting = false;
    claim(c, now);
  }

  const Options& o_;
  const int epoll_fd_;
  const bool send_op_;
  const std::string host_, queue_;  // "127.0.0.1:port"; the JSON bodies' common start
  long budget_ = 0;                 // requests that may still be started
  Clock::duration interval_{};      // between one paced client's requests
  Clock::time_point deadline_;
  std::string receive_request_, batch_request_, delete_body_;
  std::vector<Conn> conns_;
  std::vector<std::string_view> handles_;
  Totals totals_;
  char scratch_[64 * 1024];
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") o.port = std::atoi(v.c_str());
    else if (k == "--queue-url") o.queue_url = v;
    else if (k == "--op") o.op = v;
    else if (k == "--clients") o.clients = std::atoi(v.c_str());
    else if (k == "--seconds") o.seconds = std::atof(v.c_str());
    else if (k == "--batch") o.batch = std::atoi(v.c_str());
    else if (k == "--body-bytes") o.body_bytes = std::atoi(v.c_str());
    else if (k == "--max-requests") o.max_requests = std::atol(v.c_str());
    else if (k == "--rate") o.rate = std::atof(v.c_str());
    else return false;
  }
  return !o.queue_url.empty() && (o.op == "send" || o.op == "receive-delete");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: sqs_load --port P --queue-url URL --op send|receive-delete [--clients N] "
                         "[--seconds S] [--batch B] [--body-bytes N] [--max-requests N] [--rate R]\n");
    return 2;
  }
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) {
    std::perror("sqs_load: epoll_create1");
    return 2;
  }
  Totals t = Load(o, epoll_fd).run();
  std::vector<uint32_t>& all = t.latencies_us;
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0u : all[std::min(all.size() - 1, size_t(p * (all.size() - 1)))];
  };
  std::printf("{\"requests\":%zu,\"messages\":%ld,\"seconds\":%.3f,\"rps\":%.0f,\"mps\":%.0f,"
              "\"p50_us\":%u,\"p99_us\":%u,\"max_us\":%u,\"errors\":%ld}\n",
              all.size(), t.messages, t.seconds, all.size() / t.seconds, t.messages / t.seconds, pct(0.50),
              pct(0.99), all.empty() ? 0u : all.back(), t.errors);
  return t.errors ? 1 : 0;
}
