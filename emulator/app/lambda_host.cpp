#include "app/lambda_host.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "http/server.h"
#include "lambda/failures.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/proc_memory.h"
#include "platform/process.h"
#include "runtime-api/handlers.h"

namespace slipway::app {

namespace fs = std::filesystem;
using lambda::EnvId;

namespace {

// The largest body a runtime may post. Lambda's own limit (6,291,556 bytes) is the service's
// to enforce, with the error the caller must see; this only bounds what a runaway can make the
// daemon buffer.
constexpr size_t kRuntimeMaxBodyBytes = 32u * 1024 * 1024;
constexpr uint64_t kBytesPerMb = 1024 * 1024;

std::string getenv_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

runtime_api::RuntimeCall to_runtime_call(http::Request& req) {
  namespace h = runtime_api::headers;
  runtime_api::RuntimeCall call;
  call.method = req.method;
  call.path = req.path;
  call.body = std::move(req.body);
  call.error_type = req.header_or(h::kFunctionErrorType);
  call.response_mode = req.header_or(h::kFunctionResponseMode);
  if (const std::string* t = req.trailer(h::kFunctionErrorType)) call.trailer_error_type = *t;
  if (const std::string* b = req.trailer(h::kFunctionErrorBody)) call.trailer_error_body = *b;
  return call;
}

// Why execvp(program) would fail, in the words Go prints for the errno ("no such file or
// directory", "permission denied"), or "" when it would start. Checked before spawning: behind
// the cgroup shim an exec failure would otherwise surface as "exit status 127".
std::string exec_problem(const std::string& program, const std::map<std::string, std::string>& env,
                         const std::string& cwd) {
  auto check = [](const fs::path& p) -> std::string {
    std::error_code ec;
    if (!fs::exists(p, ec)) return "no such file or directory";
    if (fs::is_directory(p, ec) || ::access(p.c_str(), X_OK) != 0) return "permission denied";
    return "";
  };
  if (program.find('/') != std::string::npos) {
    const fs::path p(program);
    return check(p.is_absolute() ? p : fs::path(cwd) / p);
  }
  auto path = env.find("PATH");
  const std::string dirs = path == env.end() ? "/usr/local/bin:/usr/bin:/bin" : path->second;
  std::string problem = "no such file or directory";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = dirs.substr(start, end - start);
    const std::string why = check(fs::path(dir.empty() ? cwd : dir) / program);
    if (why.empty()) return "";
    if (why == "permission denied") problem = why;  // as execvp: EACCES wins over ENOENT
    start = end + 1;
  }
  return problem;
}

http::Response to_response(runtime_api::RuntimeAnswer answer) {
  http::Response res;
  res.status = answer.status;
  for (auto& [name, value] : answer.headers) res.headers.push_back(http::Header{name, std::move(value)});
  res.body = std::move(answer.body);
  return res;
}

}  // namespace

struct LambdaHost::Env {
  EnvId id = 0;
  std::string function;
  std::string dir;  // <envs_dir>/<id>: TMPDIR lives below it
  std::unique_ptr<http::Server> api;
  std::unique_ptr<platform::ChildProcess> process;
  int handles_closing = 0;
};

LambdaHost::LambdaHost(platform::Loop& loop, LambdaHostOptions options, platform::MemoryCgroups cgroups)
    : loop_(loop), options_(std::move(options)), guard_(loop, std::move(cgroups)) {}

LambdaHost::~LambdaHost() = default;

void LambdaHost::spawn(EnvId id, const lambda::FunctionConfig& fn, const lambda::SpawnContext& ctx) {
  auto owned = std::make_unique<Env>();
  Env& e = *owned;
  e.id = id;
  e.function = fn.name;
  e.dir = (fs::path(options_.envs_dir) / std::to_string(id)).string();
  envs_.emplace(id, std::move(owned));
  if (fn.command.empty()) {
    const std::string bootstrap = (fs::path(fn.code_uri) / "bootstrap").string();
    std::error_code ec;
    if (!fs::is_regular_file(bootstrap, ec)) {
      release(id);
      service_->on_spawn_failed(id, lambda::missing_bootstrap_reason({bootstrap}));
      return;
    }
    if (::access(bootstrap.c_str(), X_OK) != 0) {
      release(id);
      service_->on_spawn_failed(id, lambda::exec_failure_reason(bootstrap, "permission denied"));
      return;
    }
  }
  start_listener(e);
  if (start_process(e, fn, ctx)) service_->on_spawned(id);
}

void LambdaHost::start_listener(Env& e) {
  const EnvId id = e.id;
  http::ServerOptions opts;
  opts.max_body_bytes = kRuntimeMaxBodyBytes;
  opts.idle_timeout_ms = 0;  // a runtime's connection idles for as long as it is frozen
  e.api = std::make_unique<http::Server>(
      loop_,
      [this, id](http::Request& req, http::Reply reply) {
        on_runtime_call(id);
        runtime_api::handle_runtime_call(*service_, id, to_runtime_call(req),
                                         [reply = std::move(reply)](runtime_api::RuntimeAnswer a) {
                                           reply(to_response(std::move(a)));
                                         });
      },
      opts);
  auto port = e.api->listen("127.0.0.1", 0);
  if (!port) platform::log_error("lambda: " + port.error().message);
}

bool LambdaHost::start_process(Env& e, const lambda::FunctionConfig& fn, const lambda::SpawnContext& ctx) {
  std::error_code ec;
  fs::create_directories(fs::path(e.dir) / "tmp", ec);
  platform::SpawnOptions spawn;
  spawn.argv = fn.command.empty() ? std::vector<std::string>{(fs::path(fn.code_uri) / "bootstrap").string()}
                                  : fn.command;
  spawn.cwd = fn.code_uri;
  spawn.env = environment(e, fn, ctx);
  const EnvId id = e.id;
  const std::string program = spawn.argv[0];
  if (std::string why = exec_problem(program, spawn.env, spawn.cwd); !why.empty()) {
    release(id);
    service_->on_spawn_failed(id, lambda::exec_failure_reason(program, why));
    return false;
  }
  spawn.argv = guard_.prepare(id, static_cast<uint64_t>(fn.memory_mb) * kBytesPerMb, std::move(spawn.argv),
                              [this, id](uint64_t measured) { on_over_limit(id, measured); });
  e.process = std::make_unique<platform::ChildProcess>(loop_);
  auto started = e.process->spawn(
      spawn,
      [this, id](std::string_view line, bool) {
        loop_.join_pass();
        service_->on_output(id, line);
      },
      [this, id](platform::ExitStatus status) {
        on_runtime_exit(id, status.term_signal ? -1 : status.exit_code, status.term_signal);
      });
  if (!started) {
    std::string why = started.error().message;
    const size_t colon = why.find(": ");
    if (colon != std::string::npos) why = why.substr(colon + 2, why.rfind(" (") - colon - 2);
    release(id);
    service_->on_spawn_failed(id, lambda::exec_failure_reason(program, why));
    return false;
  }
  record_pid(e);
  guard_.started(id, e.process->pid());
  return true;
}

std::map<std::string, std::string> LambdaHost::environment(const Env& e, const lambda::FunctionConfig& fn,
                                                          const lambda::SpawnContext& ctx) const {
  std::map<std::string, std::string> env = fn.environment;  // reserved keys were refused by the manifest
  const std::string ld = getenv_or("LD_LIBRARY_PATH", "");
  const std::pair<const char*, std::string> lambda_vars[] = {
      {"_HANDLER", fn.handler},
      {"LAMBDA_TASK_ROOT", fn.code_uri},
      {"LAMBDA_RUNTIME_DIR", fn.code_uri},
      {"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + std::to_string(e.api ? e.api->port() : 0)},
      {"AWS_LAMBDA_FUNCTION_NAME", fn.name},
      {"AWS_LAMBDA_FUNCTION_VERSION", ctx.function_version},
      {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(fn.memory_mb)},
      {"AWS_LAMBDA_LOG_GROUP_NAME", ctx.log_group},
      {"AWS_LAMBDA_LOG_STREAM_NAME", ctx.log_stream},
      {"AWS_LAMBDA_INITIALIZATION_TYPE", ctx.init_type},
      {"AWS_REGION", ctx.region.empty() ? options_.region : ctx.region},
      {"AWS_DEFAULT_REGION", ctx.region.empty() ? options_.region : ctx.region},
      {"AWS_ENDPOINT_URL", options_.edge_endpoint},
      {"TZ", ":UTC"},
      {"LANG", "en_US.UTF-8"},
      {"PATH", getenv_or("PATH", "/usr/local/bin:/usr/bin:/bin")},
      {"LD_LIBRARY_PATH", fn.code_uri + ":" + fn.code_uri + "/lib" + (ld.empty() ? "" : ":" + ld)},
      {"TMPDIR", (fs::path(e.dir) / "tmp").string()},
  };
  for (const auto& [k, v] : lambda_vars) env[k] = v;
  for (const auto& [k, v] : options_.credentials) env[k] = v;
  return env;
}

// <envs_dir>/<id>/pid holds "<pid> <start time>": if the daemon is killed, its runtimes (each
// in a session of its own) outlive it, and the next daemon stops them (stop_orphaned_runtimes).
void LambdaHost::record_pid(const Env& e) {
  const pid_t pid = e.process->pid();
  std::ofstream(fs::path(e.dir) / "pid") << pid << ' ' << platform::process_start_time(pid) << '\n';
}

void LambdaHost::on_runtime_exit(EnvId id, int exit_status, int signal) {
  loop_.join_pass();
  service_->on_exit(id, exit_status, signal);
  release(id);
}

// Closes the environment's listener and process handles and removes its files; the Env goes
// once every handle is closed.
void LambdaHost::release(EnvId id) {
  auto it = envs_.find(id);
  if (it == envs_.end()) return;
  std::shared_ptr<Env> e(std::move(it->second));
  envs_.erase(it);
  ++closing_;
  e->handles_closing = 2;
  auto one_closed = [this, e]() {
    if (--e->handles_closing > 0) return;
    guard_.release(e->id);  // the runtime is reaped: its cgroup can go
    std::error_code ec;
    fs::remove_all(e->dir, ec);
    loop_.defer([e](bool) {});  // free the Env (and its server) outside its own callbacks
    if (--closing_ == 0 && envs_.empty() && on_all_closed_) std::exchange(on_all_closed_, nullptr)();
  };
  if (e->api) e->api->close(one_closed); else one_closed();
  if (e->process) e->process->close(one_closed); else one_closed();
}

// Every Runtime API call is a moment the runtime is between steps: take in what it printed, so
// its lines precede the END line of the invocation it answers. (Memory is not sampled here: the
// cgroup keeps its own peak, and the sampling fallback samples on its timer.)
void LambdaHost::on_runtime_call(EnvId id) {
  auto it = envs_.find(id);
  if (it == envs_.end() || !it->second->process) return;
  it->second->process->drain_output();
}

void LambdaHost::kill(EnvId id) {
  auto it = envs_.find(id);
  if (it != envs_.end() && it->second->process) {
    sample_memory(*it->second);
    it->second->process->kill_group(SIGKILL);
    guard_.kill_all(id);
  }
}

// The guard found the tree over its MemorySize: the whole environment dies, as under Lambda's
// OOM killer. on_exit follows, and the service reports Runtime.OutOfMemory.
void LambdaHost::on_over_limit(EnvId id, uint64_t measured_bytes) {
  auto it = envs_.find(id);
  if (it == envs_.end() || !it->second->process) return;
  char used[32];
  std::snprintf(used, sizeof used, "%.1f", static_cast<double>(measured_bytes) / kBytesPerMb);
  platform::log_warn("lambda: an environment of " + it->second->function + " went over its MemorySize (" + used +
                     " MB measured); killing its process tree");
  it->second->process->kill_group(SIGKILL);
  guard_.kill_all(id);
}

void LambdaHost::sample_memory(Env& e) {
  if (e.process && e.process->running()) guard_.sample(e.id);
}

int LambdaHost::max_memory_used_mb(EnvId id) {
  auto it = envs_.find(id);
  if (it == envs_.end()) return 0;
  sample_memory(*it->second);
  return static_cast<int>((guard_.peak_bytes(id) + kBytesPerMb - 1) / kBytesPerMb);
}

int stop_orphaned_runtimes(const std::string& envs_dir) {
  int stopped = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(envs_dir, ec)) {
    std::ifstream in(entry.path() / "pid");
    long pid = 0;
    unsigned long long start = 0;
    if (!(in >> pid >> start) || pid <= 1) continue;
    // The same pid with the same start time is the same process, not a reused pid.
    if (platform::process_start_time(static_cast<pid_t>(pid)) != start) continue;
    if (::kill(-static_cast<pid_t>(pid), SIGKILL) == 0) ++stopped;
  }
  return stopped;
}

void LambdaHost::close_all(std::function<void()> on_closed) {
  on_all_closed_ = [this, on_closed = std::move(on_closed)]() mutable { guard_.close(std::move(on_closed)); };
  std::vector<EnvId> ids;
  for (const auto& [id, e] : envs_) ids.push_back(id);
  for (EnvId id : ids) release(id);
  if (closing_ == 0 && on_all_closed_) std::exchange(on_all_closed_, nullptr)();
}

}  // namespace slipway::app
