#include "app/lambda_setup.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/rng.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/memory_guard.h"

namespace slipway::app {

namespace {

lambda::FunctionConfig to_config(const FunctionSpec& f) {
  lambda::FunctionConfig c;
  c.name = f.name;
  c.handler = f.handler;
  c.code_uri = f.code_uri;
  c.command = f.command;
  c.memory_mb = f.memory_mb;
  c.timeout_s = f.timeout_s;
  c.reserved_concurrency = f.reserved_concurrency;
  c.environment = f.environment;
  return c;
}

// The runtimes' credentials: the daemon's own when it has them (so a function's SDK signs as
// the user expects), else fixed local ones. slipway does not check signatures.
std::map<std::string, std::string> runtime_credentials() {
  std::map<std::string, std::string> creds;
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
    const char* v = std::getenv(name);
    if (v && *v) creds[name] = v;
  }
  if (!creds.count("AWS_ACCESS_KEY_ID")) {
    creds["AWS_ACCESS_KEY_ID"] = "AKIASLIPWAYLOCAL0001";
    creds["AWS_SECRET_ACCESS_KEY"] = "slipway-local-secret-access-key";
    creds["AWS_SESSION_TOKEN"] = "slipway-local-session-token";
  }
  return creds;
}

// How MemorySize is enforced, for the start-up line: "cgroup v1: memory.limit_in_bytes of ...".
std::string describe_enforcement(const platform::MemoryCgroups& cgroups) {
  std::string line = std::string(platform::enforcement_name(cgroups.mode())) + ": " + cgroups.reason();
  if (cgroups.mode() == platform::MemoryEnforcement::kSampling) {
    line += "; sampled every " + std::to_string(platform::MemoryGuard::kMinIntervalMs) + " to " +
            std::to_string(platform::MemoryGuard::kMaxIntervalMs) + " ms, the closer to the limit the more often";
  }
  return line;
}

}  // namespace

void FunctionLogs::append(const std::string& function, const std::string& log_stream, core::TimeUs at,
                          std::string_view line) {
  files_.append(function, log_stream, at, line);
  if (echo_) {
    std::fprintf(stderr, "%s %s %.*s\n", platform::iso8601_utc(at).c_str(), function.c_str(),
                 static_cast<int>(line.size()), line.data());
  }
}

core::Result<LambdaRuntime> start_lambda(const Manifest& manifest, platform::Loop& loop, store::Store& store,
                                         const LambdaSetup& setup) {
  LambdaRuntime rt;
  rt.async_store = std::make_unique<store::SqliteAsyncQueuePersistence>(store);
  if (auto ready = rt.async_store->ready(); !ready) return ready.error();
  auto snapshot = store::load_async_snapshot(store);
  if (!snapshot) return snapshot.error();
  rt.ids = std::make_unique<core::IdGen>(core::Rng(setup.seed).fork("lambda"));
  rt.logs = std::make_unique<FunctionLogs>(setup.data_dir, setup.echo_logs);
  LambdaHostOptions host;
  host.edge_endpoint = setup.edge_endpoint;
  host.region = manifest.settings.region;
  host.envs_dir = (std::filesystem::path(setup.data_dir) / "envs").string();
  host.credentials = runtime_credentials();
  if (int stopped = stop_orphaned_runtimes(host.envs_dir); stopped > 0)
    platform::log_warn("lambda: stopped " + std::to_string(stopped) + " runtime processes a killed daemon left running");
  std::error_code ec;
  std::filesystem::remove_all(host.envs_dir, ec);  // left over by a daemon that was killed
  const char* requested = std::getenv("SLIPWAY_MEMORY_ENFORCEMENT");
  auto cgroups = platform::MemoryCgroups::probe(requested ? requested : "");
  if (!cgroups) return cgroups.error();
  if (int stale = cgroups.value().stale_removed(); stale > 0)
    platform::log_warn("lambda: removed " + std::to_string(stale) + " cgroups a killed daemon left");
  rt.memory_enforcement = describe_enforcement(cgroups.value());
  rt.host = std::make_unique<LambdaHost>(loop, host, std::move(cgroups).value());
  lambda::LambdaOptions options;
  options.region = manifest.settings.region;
  options.account_id = manifest.settings.account_id;
  options.account_concurrency = manifest.settings.concurrent_executions;
  options.sync_response_bytes_max = manifest.limits.lambda.sync_response_bytes_max;
  options.idle_timeout_ms = setup.idle_timeout_ms;
  options.unreserved_concurrency_min = manifest.limits.lambda.unreserved_concurrency_min;
  options.scaling_environments_per_10s = manifest.limits.lambda.scaling_environments_per_10s;
  options.async_persistence = rt.async_store.get();
  rt.service = std::make_unique<lambda::LambdaService>(loop.clock(), loop.timers(), *rt.ids, *rt.host, *rt.logs,
                                                       options);
  rt.host->attach(*rt.service);
  std::vector<lambda::FunctionConfig> functions;
  for (const FunctionSpec& f : manifest.functions) functions.push_back(to_config(f));
  rt.service->configure(std::move(functions));
  rt.restored_events = snapshot.value().events.size();
  if (rt.restored_events > 0) {
    if (auto begun = store.begin(); !begun) return begun.error();
    rt.service->restore_async(snapshot.value());
    if (auto committed = store.commit(); !committed) return committed.error();
  }
  return rt;
}

void stop_lambda(LambdaRuntime& lambda, std::function<void()> on_closed) {
  if (!lambda.service) {
    if (on_closed) on_closed();
    return;
  }
  lambda.service->shutdown();
  lambda.host->close_all(std::move(on_closed));
}

}  // namespace slipway::app
