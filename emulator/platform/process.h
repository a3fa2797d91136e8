// ChildProcess: one child process on the loop (posix_spawn), in a process group of its own, with
// its stdout and stderr delivered as lines.
//
// Owns: the child (reaped on SIGCHLD) and its two pipes. Everything runs on the loop thread; callbacks are
// called from loop I/O callbacks (outside any pass: callers that change state join_pass()).
//
// Lifecycle: spawn() either fails at once (nothing to close, on_exit never runs) or starts the
// child; on_exit then runs exactly once, after both pipes reached EOF (so every line the child
// wrote has been delivered first). close() after on_exit releases the handles; the object may be
// destroyed once `on_closed` ran. kill_group() signals the whole group, so a runtime's children
// and grandchildren die with it (unless they moved to a group of their own).
//
// Bounds: a line longer than kMaxLineBytes is delivered in pieces of that size.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace slipway::platform {

class Loop;

struct SpawnOptions {
  std::vector<std::string> argv;               // argv[0] is the file to run (a path, or looked up in PATH)
  std::map<std::string, std::string> env;      // the child's whole environment
  std::string cwd;
};

struct ExitStatus {
  int exit_code = 0;    // when not signalled
  int term_signal = 0;  // the signal that ended it, or 0
};

class ChildProcess {
 public:
  static constexpr size_t kMaxLineBytes = 256 * 1024;

  using OnLine = std::function<void(std::string_view line, bool from_stderr)>;
  using OnExit = std::function<void(ExitStatus)>;

  explicit ChildProcess(Loop& loop);
  ~ChildProcess();  // REQUIRES: never spawned, or close() ran its callback
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts the child; its pid is also its process group id. The error names the file and the
  // OS reason (e.g. ENOENT, EACCES).
  core::Status spawn(const SpawnOptions& options, OnLine on_line, OnExit on_exit);

  pid_t pid() const;
  bool running() const;

  // Sends `signum` to the child's process group. No-op once it has exited.
  void kill_group(int signum);

  // Delivers, now, every complete line already sitting in the pipes. A runtime that prints and
  // then posts its response wrote the lines first: calling this when the response arrives puts
  // them in the log before the invocation's END line.
  void drain_output();

  // Releases the handles; `on_closed` runs when they are all closed. Kills the group first if
  // it still runs.
  void close(std::function<void()> on_closed);

  struct Impl;  // defined in process.cpp only

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace slipway::platform
