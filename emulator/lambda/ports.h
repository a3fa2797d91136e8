// What the Lambda core asks of the outside world: running runtime processes (Processes) and
// storing their log lines (LogSink). The daemon implements them over libuv (uv_spawn, pipes,
// cgroups) and the log store; unit tests use fakes that record every call.
//
// Calls come from inside LambdaService calls, on the loop thread. An implementation may call the
// service back (on_spawned, on_spawn_failed, on_exit) from inside spawn() or kill(): the service
// issues these calls only once its own state is consistent, so that is safe.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "lambda/api.h"

namespace slipway::lambda {

// What the adapter needs beyond the FunctionConfig to start a runtime process.
struct SpawnContext {
  std::string log_group;     // AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/<name>"
  std::string log_stream;    // AWS_LAMBDA_LOG_STREAM_NAME: "YYYY/MM/DD/[$LATEST]<32 hex>"
  std::string init_type = "on-demand";  // AWS_LAMBDA_INITIALIZATION_TYPE
  std::string function_version = "$LATEST";
  std::string region;        // AWS_REGION, AWS_DEFAULT_REGION
};

class Processes {
 public:
  virtual ~Processes() = default;
  // Starts the runtime process of `env` in its own process group (the adapter builds argv,
  // environment and the Runtime API listener from `fn` and `ctx`). It then reports exactly one of
  // LambdaService::on_spawned (running) or on_spawn_failed (e.g. bootstrap missing or not
  // executable; `why` in AWS's words, see lambda/failures.h), and after on_spawned, on_exit once.
  // `fn` stays valid until on_exit or on_spawn_failed has been handled.
  virtual void spawn(EnvId env, const FunctionConfig& fn, const SpawnContext& ctx) = 0;
  // SIGKILLs the process group of `env`; on_exit follows (now or later). Never called before
  // on_spawned nor after on_exit.
  virtual void kill(EnvId env) = 0;
  // Peak memory of the env's process tree so far, in MB. Valid from on_spawned until on_exit has
  // returned; 0 when unknown.
  virtual int max_memory_used_mb(EnvId env) = 0;
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  // One line (no trailing newline) of log group "/aws/lambda/<function>", stream `log_stream`.
  virtual void append(const std::string& function, const std::string& log_stream, core::TimeUs at,
                      std::string_view line) = 0;
};

}  // namespace slipway::lambda
