// LambdaHost: the execution environments as real processes (lambda::Processes over libuv).
//
// Owns, per environment: its Runtime API listener (an http::Server on an ephemeral 127.0.0.1
// port, on the loop thread: no thread per environment), its runtime process (its own process
// group), its TMPDIR under the data dir; and the MemoryGuard that holds every environment's
// process tree to its MemorySize (a cgroup per environment, or sampling /proc) and measures its
// peak for REPORT's Max Memory Used.
//
// spawn() checks the entry point (CodeUri/bootstrap must exist and be executable, or Command's
// program must start), starts the listener, then the process with the Lambda environment
// variables (spec/lambda.md §2) and AWS_ENDPOINT_URL pointing at the edge port. Every call into
// the LambdaService from a process or socket callback joins the loop's pass first.
//
// Memory: a tree found over its MemorySize (the kernel's OOM killer in the environment's cgroup,
// or a sample above the limit) is SIGKILLed whole: its process group and everything in its
// cgroup. Its runtime then exits with SIGKILL and max_memory_used_mb() is at least MemorySize,
// which the service reports as Runtime.OutOfMemory. kill() also kills everything in the cgroup,
// so runaway children that left the process group die with the environment.
//
// Teardown: when the runtime exits, the listener closes and the environment's files and cgroup
// go; the service is told through on_exit. close_all() at shutdown kills every group and closes
// everything.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "lambda/ports.h"
#include "lambda/service.h"
#include "platform/memory_guard.h"

namespace slipway::platform {
class Loop;
}

namespace slipway::app {

struct LambdaHostOptions {
  std::string edge_endpoint;   // "http://127.0.0.1:4566": AWS_ENDPOINT_URL for the runtimes
  std::string region = "us-east-1";
  std::string envs_dir;        // <data-dir>/envs: one TMPDIR per environment below it
  std::map<std::string, std::string> credentials;  // AWS_ACCESS_KEY_ID, ... given to runtimes
};

class LambdaHost : public lambda::Processes {
 public:
  // `cgroups` is the probe's verdict: how memory limits are enforced.
  LambdaHost(platform::Loop& loop, LambdaHostOptions options, platform::MemoryCgroups cgroups);
  ~LambdaHost() override;
  LambdaHost(const LambdaHost&) = delete;
  LambdaHost& operator=(const LambdaHost&) = delete;

  // REQUIRES: called once, before any spawn().
  void attach(lambda::LambdaService& service) { service_ = &service; }

  void spawn(lambda::EnvId env, const lambda::FunctionConfig& fn, const lambda::SpawnContext& ctx) override;
  void kill(lambda::EnvId env) override;
  int max_memory_used_mb(lambda::EnvId env) override;

  // Loop thread: kills every environment and closes its handles; `on_closed` runs when all are.
  void close_all(std::function<void()> on_closed);

  size_t live_environments() const { return envs_.size(); }
  platform::MemoryEnforcement memory_enforcement() const { return guard_.mode(); }

 private:
  struct Env;
  void start_listener(Env& e);
  bool start_process(Env& e, const lambda::FunctionConfig& fn, const lambda::SpawnContext& ctx);
  std::map<std::string, std::string> environment(const Env& e, const lambda::FunctionConfig& fn,
                                                 const lambda::SpawnContext& ctx) const;
  void on_runtime_exit(lambda::EnvId id, int exit_status, int signal);
  void on_runtime_call(lambda::EnvId id);
  void record_pid(const Env& e);
  void release(lambda::EnvId id);
  void sample_memory(Env& e);
  void on_over_limit(lambda::EnvId id, uint64_t measured_bytes);

  platform::Loop& loop_;
  LambdaHostOptions options_;
  lambda::LambdaService* service_ = nullptr;
  platform::MemoryGuard guard_;
  std::unordered_map<lambda::EnvId, std::unique_ptr<Env>> envs_;
  size_t closing_ = 0;  // environments whose handles are still closing
  std::function<void()> on_all_closed_;
};

// Kills the process groups of runtimes a previous daemon on `envs_dir` left running (it was
// killed, so it could not stop them). Returns how many it stopped.
int stop_orphaned_runtimes(const std::string& envs_dir);

}  // namespace slipway::app
