// canned_server: answers every HTTP request with the same 200 and does nothing else. bench/sqs.py
// runs sqs_load against it at the paced batch load, to show the floor this machine puts under any
// server's latency: what is left when the work is taken away.
//
//   canned_server --body-file FILE
// Listens on 127.0.0.1 (a free port), prints "canned_server: listening on 127.0.0.1:PORT" on
// stdout, and answers each request, once its Content-Length body is in, with FILE's bytes as an
// application/x-amz-json-1.0 body (bench/sqs.py gives it a real SendMessageBatch answer, so the
// bytes on the wire match the daemon's). Keep-alive; runs until killed.
//
// Its shape is the daemon's I/O, minus the rest: one thread, level-triggered epoll, a read per
// readable event, one write per answer. Linux only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <unordered_map>

namespace {

struct Conn {
  std::string in;   // bytes read and not yet answered
  std::string out;  // answer bytes the socket did not take yet
};

// The request's total size (head and body) once `in` holds all of it; 0 while it does not.
size_t complete_request(const std::string& in) {
  const size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string::npos) return 0;
  size_t body = 0;
  for (size_t at = in.find("\r\n"); at < head_end; at = in.find("\r\n", at + 2)) {
    constexpr char kName[] = "content-length:";
    if (strncasecmp(in.c_str() + at + 2, kName, sizeof kName - 1) == 0)
      body = std::strtoul(in.c_str() + at + 2 + sizeof kName - 1, nullptr, 10);
  }
  const size_t total = head_end + 4 + body;
  return in.size() >= total ? total : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--body-file") != 0) {
    std::fprintf(stderr, "usage: canned_server --body-file FILE\n");
    return 2;
  }
  std::ifstream file(argv[2], std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "canned_server: cannot read %s\n", argv[2]);
    return 1;
  }
  const std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
                             "x-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\n"
                             "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;

  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 128) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("canned_server: listen");
    return 1;
  }
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{EPOLLIN, {.fd = listener}};
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
  std::printf("canned_server: listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  std::fflush(stdout);

  std::unordered_map<int, Conn> conns;
  char scratch[65536];
  const auto drop = [&](int fd) {
    close(fd);  // also leaves the epoll set
    conns.erase(fd);
  };
  // Sends what `c` has waiting; watches for room while some of it is left.
  const auto flush = [&](int fd, Conn& c) {
    const ssize_t n = send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) return drop(fd);
    c.out.erase(0, n < 0 ? 0 : static_cast<size_t>(n));
    epoll_event mod{static_cast<uint32_t>(c.out.empty() ? EPOLLIN : EPOLLIN | EPOLLOUT), {.fd = fd}};
    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &mod);
  };
  for (;;) {
    epoll_event events[64];
    const int n = epoll_wait(ep, events, 64, -1);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listener) {
        const int conn = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (conn < 0) continue;
        const int one = 1;
        setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event add{EPOLLIN, {.fd = conn}};
        epoll_ctl(ep, EPOLL_CTL_ADD, conn, &add);
        conns[conn];
        continue;
      }
      Conn& c = conns[fd];
      if (events[i].events & EPOLLOUT) {
        flush(fd, c);
        continue;
      }
      const ssize_t got = read(fd, scratch, sizeof scratch);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) {
        drop(fd);
        continue;
      }
      c.in.append(scratch, static_cast<size_t>(got));
      bool answered = false;
      for (size_t size = complete_request(c.in); size > 0; size = complete_request(c.in)) {
        c.in.erase(0, size);
        c.out += answer;
        answered = true;
      }
      if (answered) flush(fd, c);
    }
  }
}
