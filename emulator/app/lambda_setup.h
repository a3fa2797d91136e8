// Brings up Lambda at daemon start: the functions of the manifest, the process host that runs
// their environments, the durable queue of accepted Event invocations, and the log sink (files
// under <data-dir>/logs, echoed to the daemon's stderr so `slipway serve` shows what functions
// print). It also chooses how MemorySize is enforced (platform/cgroup.h): the environment
// variable SLIPWAY_MEMORY_ENFORCEMENT (auto, cgroup-v2, cgroup-v1, sampling; default auto) may
// force a mode, mostly to test the fallback; `memory_enforcement` says which and why.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "app/lambda_host.h"
#include "app/manifest.h"
#include "core/clock.h"
#include "core/ids.h"
#include "lambda/service.h"
#include "platform/log_files.h"
#include "store/lambda_store.h"
#include "store/store.h"

namespace slipway::platform {
class Loop;
}

namespace slipway::app {

// Writes function log lines to their files and, when `echo`, to stderr as
// "<time> <function> <line>".
class FunctionLogs final : public lambda::LogSink {
 public:
  FunctionLogs(std::string data_dir, bool echo) : files_(std::move(data_dir)), echo_(echo) {}
  void append(const std::string& function, const std::string& log_stream, core::TimeUs at,
              std::string_view line) override;

 private:
  platform::LogFiles files_;
  bool echo_;
};

struct LambdaRuntime {
  std::unique_ptr<store::SqliteAsyncQueuePersistence> async_store;
  std::unique_ptr<core::IdGen> ids;
  std::unique_ptr<FunctionLogs> logs;
  std::unique_ptr<LambdaHost> host;
  std::unique_ptr<lambda::LambdaService> service;
  size_t restored_events = 0;  // Event invocations accepted before a restart, queued again
  std::string memory_enforcement;  // one line for the start-up log: the mode and why
};

struct LambdaSetup {
  std::string data_dir;
  std::string edge_endpoint;  // http://127.0.0.1:<edge port>
  uint64_t seed = 0;
  bool echo_logs = true;
  int64_t idle_timeout_ms = 600'000;
};

// Loop thread, before the loop runs. Queues again the Event invocations the store still holds.
core::Result<LambdaRuntime> start_lambda(const Manifest& manifest, platform::Loop& loop, store::Store& store,
                                         const LambdaSetup& setup);

// Loop thread: stops every environment; `on_closed` runs once their handles are closed.
void stop_lambda(LambdaRuntime& lambda, std::function<void()> on_closed);

}  // namespace slipway::app
