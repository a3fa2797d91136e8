#include "platform/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>

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
    bool eof = false;
    bool from_stderr = false;
    Impl* owner = nullptr;
  };

  Loop& loop;
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
  void on_exited(int wait_status);
  void maybe_report_exit();
  void closed_one();
  void close_handles();
  void start_reading(Stream& s, int fd);
};

namespace {

// Reaps every child of the daemon on SIGCHLD (waitpid(-1): slipway starts children only through
// ChildProcess) and tells the ChildProcess that owns the pid. Loop thread only. The signal watcher
// runs only while some child is watched, so it never keeps a finished loop alive.
class Reaper {
 public:
  static Reaper& on(uv_loop_t* loop) {
    static thread_local Reaper reaper;
    reaper.loop_ = loop;
    return reaper;
  }

  // Before spawning: a child that exits at once must find the handler installed.
  void arm() {
    if (armed_) return;
    uv_signal_init(loop_, &signal_);
    signal_.data = this;
    uv_signal_start(&signal_, [](uv_signal_t* h, int) { static_cast<Reaper*>(h->data)->reap(); }, SIGCHLD);
    armed_ = true;
  }
  void watch(pid_t pid, ChildProcess::Impl* child) { children_[pid] = child; }
  // After a spawn that failed: the watcher armed for it may go.
  void release_if_idle() { disarm_if_idle(); }

 private:
  void reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      auto it = children_.find(pid);
      if (it == children_.end()) continue;
      ChildProcess::Impl* child = it->second;
      children_.erase(it);
      child->on_exited(status);
    }
    disarm_if_idle();
  }
  void disarm_if_idle() {
    if (!armed_ || !children_.empty()) return;
    armed_ = false;
    uv_close(reinterpret_cast<uv_handle_t*>(&signal_), nullptr);
  }

  uv_loop_t* loop_ = nullptr;
  uv_signal_t signal_{};
  bool armed_ = false;
  std::unordered_map<pid_t, ChildProcess::Impl*> children_;
};

// The file actions and attributes of a runtime's spawn: stdin from /dev/null, stdout and stderr
// to our pipes, `cwd`, a new session (its own process group), default signal dispositions and an
// empty signal mask (the daemon ignores SIGPIPE; a runtime must not inherit that).
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup(int out_fd, int err_fd, const std::string& cwd) {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    posix_spawnattr_init(&attr);
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

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

void ChildProcess::Impl::start_reading(Stream& st, int fd) {
  uv_pipe_init(loop.uv(), &st.pipe, 0);
  st.pipe.data = &st;
  st.owner = this;
  uv_pipe_open(&st.pipe, fd);
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&st.pipe),
      [](uv_handle_t*, size_t, uv_buf_t* buf) { *buf = uv_buf_init(shared_read_buffer(), kReadChunkBytes); },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        auto* st = static_cast<Stream*>(stream->data);
        if (nread < 0) {
          st->owner->on_eof(*st);
        } else if (nread > 0) {
          st->owner->deliver(*st, std::string_view(buf->base, static_cast<size_t>(nread)));
        }
      });
}

void ChildProcess::Impl::on_exited(int wait_status) {
  exited = true;
  status = WIFSIGNALED(wait_status) ? ExitStatus{-1, WTERMSIG(wait_status)}
                                    : ExitStatus{WEXITSTATUS(wait_status), 0};
  ::kill(-pid, SIGKILL);  // the runtime is gone: its whole tree goes with it
  uv_timer_start(&drain_timer, [](uv_timer_t* t) {
    auto* i = static_cast<Impl*>(t->data);
    i->out.eof = i->err.eof = true;  // a stray grandchild still holds a pipe: stop waiting
    i->maybe_report_exit();
  }, kDrainGraceMs, 0);
  maybe_report_exit();
  if (close_pending) close_handles();
}

// posix_spawn (vfork underneath, so no page tables are copied): the loop waits only until the
// child has exec'ed, a fraction of a millisecond, where fork() as uv_spawn does it cost tens of
// milliseconds a child once the daemon held a thousand environments.
core::Status ChildProcess::spawn(const SpawnOptions& options, OnLine on_line, OnExit on_exit) {
  Impl& s = *impl_;
  s.on_line = std::move(on_line);
  s.on_exit = std::move(on_exit);
  s.err.from_stderr = true;
  int out_fds[2], err_fds[2];
  if (pipe2(out_fds, O_CLOEXEC) != 0) return core::make_error(core::ErrorCode::kInternal, "pipe: " + std::string(std::strerror(errno)));
  if (pipe2(err_fds, O_CLOEXEC) != 0) {
    ::close(out_fds[0]);
    ::close(out_fds[1]);
    return core::make_error(core::ErrorCode::kInternal, "pipe: " + std::string(std::strerror(errno)));
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : options.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (const std::string& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  Reaper& reaper = Reaper::on(s.loop.uv());
  reaper.arm();
  int rc;
  {
    SpawnSetup setup(out_fds[1], err_fds[1], options.cwd);
    const bool has_path = options.argv[0].find('/') != std::string::npos;
    rc = has_path ? posix_spawn(&s.pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data())
                  : posix_spawnp(&s.pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data());
  }
  ::close(out_fds[1]);
  ::close(err_fds[1]);
  if (rc != 0) {
    ::close(out_fds[0]);
    ::close(err_fds[0]);
    reaper.release_if_idle();
    s.exited = s.exit_reported = true;  // on_exit never runs for a child that never started
    const int uv_err = uv_translate_sys_error(rc);
    return core::make_error(rc == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kInvalidState,
                            "cannot run " + options.argv[0] + ": " + uv_strerror(uv_err) + " (" + uv_err_name(uv_err) + ")");
  }
  s.spawned = true;
  reaper.watch(s.pid, &s);
  uv_timer_init(s.loop.uv(), &s.drain_timer);
  s.drain_timer.data = &s;
  s.start_reading(s.out, out_fds[0]);
  s.start_reading(s.err, err_fds[0]);
  s.handles_open = 3;  // timer, two pipes
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
    s.close_pending = true;  // kill, and close once the reaper has seen it go
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
  for (uv_handle_t* h : {reinterpret_cast<uv_handle_t*>(&drain_timer), reinterpret_cast<uv_handle_t*>(&out.pipe),
                         reinterpret_cast<uv_handle_t*>(&err.pipe)}) {
    if (!uv_is_closing(h)) uv_close(h, closed);
  }
}

}  // namespace slipway::platform
