#include "platform/process.h"

#include <signal.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>

#include <cstring>

#include "platform/loop.h"

namespace slipway::platform {

namespace {

constexpr uint64_t kDrainGraceMs = 200;  // how long after exit we wait for the pipes' EOF
constexpr size_t kReadChunkBytes = 64 * 1024;

// Shared by every child's pipes: each read is split into lines before the next one.
char* shared_read_buffer() {
  static thread_local char buffer[kReadChunkBytes];
  return buffer;
}

}  // namespace

struct ChildProcess::Impl {
  struct Stream {
    uv_pipe_t pipe{};
    std::string partial;
    bool open = false;
    bool eof = false;
    bool from_stderr = false;
    Impl* owner = nullptr;
  };

  Loop& loop;
  uv_process_t process{};
  uv_timer_t drain_timer{};
  Stream out, err;
  OnLine on_line;
  OnExit on_exit;
  std::function<void()> on_closed;
  ExitStatus status;
  pid_t pid = 0;
  bool spawned = false;
  bool exited = false;
  bool exit_reported = false;
  bool close_pending = false;  // close() came while the child ran: close once it is reaped
  int handles_open = 0;

  explicit Impl(Loop& l) : loop(l) {}

  void deliver(Stream& s, std::string_view data);
  void on_eof(Stream& s);
  void maybe_report_exit();
  void closed_one();
  void close_handles();
};

void ChildProcess::Impl::deliver(Stream& s, std::string_view data) {
  while (!data.empty()) {
    const size_t nl = data.find('\n');
    if (nl == std::string_view::npos) {
      s.partial.append(data);
      while (s.partial.size() >= kMaxLineBytes) {
        on_line(std::string_view(s.partial).substr(0, kMaxLineBytes), s.from_stderr);
        s.partial.erase(0, kMaxLineBytes);
      }
      return;
    }
    if (s.partial.empty()) {
      on_line(data.substr(0, nl), s.from_stderr);
    } else {
      s.partial.append(data.substr(0, nl));
      on_line(s.partial, s.from_stderr);
      s.partial.clear();
    }
    data.remove_prefix(nl + 1);
  }
}

void ChildProcess::Impl::on_eof(Stream& s) {
  if (s.eof) return;
  s.eof = true;
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&s.pipe));
  if (!s.partial.empty()) {
    on_line(s.partial, s.from_stderr);
    s.partial.clear();
  }
  maybe_report_exit();
}

void ChildProcess::Impl::maybe_report_exit() {
  if (!exited || exit_reported || !(out.eof && err.eof)) return;
  exit_reported = true;
  uv_timer_stop(&drain_timer);
  if (on_exit) on_exit(status);
}

void ChildProcess::Impl::closed_one() {
  if (--handles_open == 0 && on_closed) std::exchange(on_closed, nullptr)();
}

ChildProcess::ChildProcess(Loop& loop) : impl_(std::make_unique<Impl>(loop)) {}

ChildProcess::~ChildProcess() = default;

pid_t ChildProcess::pid() const { return impl_->pid; }

bool ChildProcess::running() const { return impl_->spawned && !impl_->exited; }

core::Status ChildProcess::spawn(const SpawnOptions& options, OnLine on_line, OnExit on_exit) {
  Impl& s = *impl_;
  s.on_line = std::move(on_line);
  s.on_exit = std::move(on_exit);
  uv_loop_t* loop = s.loop.uv();
  for (Impl::Stream* st : {&s.out, &s.err}) {
    uv_pipe_init(loop, &st->pipe, 0);
    st->pipe.data = st;
    st->owner = &s;
    st->open = true;
  }
  s.err.from_stderr = true;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : options.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (const std::string& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  uv_stdio_container_t stdio[3];
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(&s.out.pipe);
  stdio[2].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[2].data.stream = reinterpret_cast<uv_stream_t*>(&s.err.pipe);
  uv_process_options_t opts{};
  opts.file = argv[0];
  opts.args = argv.data();
  opts.env = envp.data();
  opts.cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  opts.flags = UV_PROCESS_DETACHED;  // setsid(): the child leads a new process group
  opts.stdio = stdio;
  opts.stdio_count = 3;
  opts.exit_cb = [](uv_process_t* p, int64_t exit_status, int term_signal) {
    auto* impl = static_cast<Impl*>(p->data);
    impl->exited = true;
    impl->status = ExitStatus{static_cast<int>(exit_status), term_signal};
    ::kill(-impl->pid, SIGKILL);  // the runtime is gone: its whole tree goes with it
    uv_timer_start(&impl->drain_timer, [](uv_timer_t* t) {
      auto* i = static_cast<Impl*>(t->data);
      i->out.eof = i->err.eof = true;  // a stray grandchild still holds a pipe: stop waiting
      i->maybe_report_exit();
    }, kDrainGraceMs, 0);
    impl->maybe_report_exit();
    if (impl->close_pending) impl->close_handles();
  };
  s.process.data = &s;
  const int rc = uv_spawn(loop, &s.process, &opts);
  uv_timer_init(loop, &s.drain_timer);
  s.drain_timer.data = &s;
  s.handles_open = 4;  // process, timer, two pipes
  if (rc != 0) {
    s.exited = s.exit_reported = true;  // on_exit never runs for a child that never started
    return core::make_error(rc == UV_ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kInvalidState,
                            "cannot run " + options.argv[0] + ": " + uv_strerror(rc) + " (" + uv_err_name(rc) + ")");
  }
  s.spawned = true;
  s.pid = s.process.pid;
  for (Impl::Stream* st : {&s.out, &s.err}) {
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&st->pipe),
        [](uv_handle_t*, size_t, uv_buf_t* buf) { *buf = uv_buf_init(shared_read_buffer(), kReadChunkBytes); },
        [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
          auto* st = static_cast<Impl::Stream*>(stream->data);
          if (nread < 0) {
            st->owner->on_eof(*st);
          } else if (nread > 0) {
            st->owner->deliver(*st, std::string_view(buf->base, static_cast<size_t>(nread)));
          }
        });
  }
  return core::Ok{};
}

void ChildProcess::drain_output() {
  Impl& s = *impl_;
  if (!s.spawned) return;
  for (Impl::Stream* st : {&s.out, &s.err}) {
    if (st->eof) continue;
    uv_os_fd_t fd = -1;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(&st->pipe), &fd) != 0) continue;
    for (;;) {  // libuv made the pipe non-blocking: this stops at EAGAIN; EOF is libuv's to see
      const ssize_t n = ::read(fd, shared_read_buffer(), kReadChunkBytes);
      if (n <= 0) break;
      s.deliver(*st, std::string_view(shared_read_buffer(), static_cast<size_t>(n)));
    }
  }
}

void ChildProcess::kill_group(int signum) {
  if (impl_->spawned && !impl_->exited) ::kill(-impl_->pid, signum);
}

void ChildProcess::close(std::function<void()> on_closed) {
  Impl& s = *impl_;
  s.on_closed = std::move(on_closed);
  s.on_exit = nullptr;
  s.on_line = [](std::string_view, bool) {};
  if (s.handles_open == 0) {
    if (s.on_closed) std::exchange(s.on_closed, nullptr)();
    return;
  }
  if (s.spawned && !s.exited) {
    // Closing a process handle stops libuv reaping it: kill, and close once it is reaped.
    s.close_pending = true;
    kill_group(SIGKILL);
    return;
  }
  s.close_handles();
}

void ChildProcess::Impl::close_handles() {
  auto closed = [](uv_handle_t* h) {
    Impl* impl = h->type == UV_NAMED_PIPE ? static_cast<Stream*>(h->data)->owner : static_cast<Impl*>(h->data);
    impl->closed_one();
  };
  for (uv_handle_t* h : {reinterpret_cast<uv_handle_t*>(&process), reinterpret_cast<uv_handle_t*>(&drain_timer),
                         reinterpret_cast<uv_handle_t*>(&out.pipe), reinterpret_cast<uv_handle_t*>(&err.pipe)}) {
    if (!uv_is_closing(h)) uv_close(h, closed);
  }
}

}  // namespace slipway::platform
