#include "app/daemon.h"

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "app/lambda_setup.h"
#include "app/lock_file.h"
#include "app/manifest.h"
#include "app/sqs_setup.h"
#include "http/admin.h"
#include "http/edge.h"
#include "http/lambda_routes.h"
#include "http/server.h"
#include "http/sqs_routes.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/os_random.h"
#include "platform/real_clock.h"
#include "store/runs.h"
#include "store/store.h"

namespace slipway::app {

namespace fs = std::filesystem;
using platform::log_error;
using platform::log_info;
using platform::log_warn;

namespace {

std::optional<Manifest> load_configured_manifest(const ServeOptions& options) {
  std::string path = options.config_path;
  if (path.empty()) {
    if (!fs::exists("slipway.json")) return Manifest{};
    path = "slipway.json";
  }
  ManifestResult loaded = load_manifest(path);
  if (auto* problems = std::get_if<ManifestProblems>(&loaded)) {
    std::fprintf(stderr, "slipway: the manifest is invalid (%zu problem%s); nothing was started:\n",
                 problems->size(), problems->size() == 1 ? "" : "s");
    for (const std::string& p : *problems) std::fprintf(stderr, "  %s\n", p.c_str());
    return std::nullopt;
  }
  return std::get<Manifest>(std::move(loaded));
}

std::string describe_pipeline(const Manifest& m) {
  return std::to_string(m.functions.size()) + " functions, " + std::to_string(m.queues.size()) +
         " queues, " + std::to_string(m.buckets.size()) + " buckets, " +
         std::to_string(m.event_source_mappings.size()) + " event source mappings";
}

// Everything a running daemon holds, in the order it must be torn down (reverse of members).
struct Running {
  std::unique_ptr<LockFile> lock;
  std::unique_ptr<store::Store> store;
  platform::RealClock clock;
  Manifest manifest;
  http::DaemonInfo info;
  std::unique_ptr<platform::Loop> loop;
  SqsRuntime sqs;
  LambdaRuntime lambda;
  http::LambdaEdge lambda_edge;
  http::EdgeRouter router;
  std::unique_ptr<http::Server> edge;  // on the loop: closed before the loop stops turning
};

int open_data_dir(const ServeOptions& options, Running& r) {
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "slipway: cannot create data directory %s: %s\n",
                 options.data_dir.c_str(), ec.message().c_str());
    return kExitFailure;
  }
  r.info.data_dir = fs::canonical(options.data_dir).string();
  auto lock = LockFile::acquire((fs::path(r.info.data_dir) / "slipway.lock").string());
  if (!lock) {
    std::fprintf(stderr, "slipway: %s\n", lock.error().message.c_str());
    return lock.error().code == core::ErrorCode::kAlreadyExists ? kExitDataDirBusy : kExitFailure;
  }
  r.lock = std::move(lock).value();
  const auto durability = options.durability_full ? store::Durability::kFull : store::Durability::kNormal;
  auto opened = store::Store::open((fs::path(r.info.data_dir) / "slipway.db").string(), durability,
                                   store::all_migrations());
  if (!opened) {
    std::fprintf(stderr, "slipway: %s\n", opened.error().message.c_str());
    return kExitFailure;
  }
  r.store = std::move(opened).value();
  r.info.schema_version = r.store->schema_version();
  for (int v : r.store->applied_now()) log_info("store: applied migration " + std::to_string(v));
  return kExitOk;
}

int64_t record_start(Running& r) {
  auto run = store::record_run_start(
      *r.store, {r.clock.now_us() / core::kUsPerMs, r.info.version, r.info.pid, r.info.seed,
                 r.info.manifest_path});
  if (!run) {
    log_warn(run.error().message);
    return 0;
  }
  if (run.value().previous_unclean > 0)
    log_warn("the previous run did not stop cleanly (killed?); recovering its state");
  return run.value().run_id;
}

// The edge port's APIs, in the order requests are matched (DESIGN §5).
void add_edge_routes(Running& r) {
  r.router.add("admin", http::is_admin_request, [&r](http::Request& req, http::Reply reply) {
    http::handle_admin(req, std::move(reply), r.clock, r.info, r.manifest, r.lambda.service.get());
  });
  r.router.add("lambda", http::is_lambda_request, [&r](http::Request& req, http::Reply reply) {
    http::handle_lambda(req, std::move(reply), r.lambda_edge);
  });
  r.router.add("sqs", http::is_sqs_request, [&r](http::Request& req, http::Reply reply) {
    http::handle_sqs(req, std::move(reply), *r.sqs.service);
  });
}

// Each execution environment holds about five descriptors (listener, connection, two pipes,
// process), so 1000 of them need more than the usual soft limit of 1024: take the hard limit.
void raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max) return;
  lim.rlim_cur = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &lim) != 0) log_warn("cannot raise the open file limit; many environments may fail");
}

void install_signal_handlers(Running& r) {
  std::signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the daemon
  for (int signum : {SIGINT, SIGTERM}) {
    r.loop->on_signal(signum, [&r, signum] {
      if (r.loop->stopping()) return;
      log_info(std::string("received ") + (signum == SIGINT ? "SIGINT" : "SIGTERM") +
               ", shutting down");
      r.edge->close();  // stop accepting; busy connections close after their answer
      r.sqs.service->release_waiters();  // parked long polls answer empty, now
      stop_lambda(r.lambda, [&r] { r.loop->stop(); });  // once every runtime is gone
    });
  }
}

}  // namespace

int serve(const ServeOptions& options) {
  auto manifest = load_configured_manifest(options);
  if (!manifest) return kExitUsage;

  raise_open_file_limit();
  Running r;
  r.manifest = std::move(*manifest);
  r.info.version = SLIPWAY_VERSION;
  r.info.host = options.host;
  r.info.pid = static_cast<int>(getpid());
  r.info.started_us = r.clock.now_us();
  r.info.seed = options.seed ? *options.seed : platform::os_random_seed();
  r.info.manifest_path = r.manifest.path.empty() ? "" : fs::absolute(r.manifest.path).string();
  if (int rc = open_data_dir(options, r); rc != kExitOk) return rc;

  r.loop = std::make_unique<platform::Loop>(r.clock, r.store.get());
  auto sqs = start_sqs(r.manifest, *r.store, r.clock, r.loop->timers(), r.info.seed);
  if (!sqs) {
    std::fprintf(stderr, "slipway: %s\n", sqs.error().message.c_str());
    return kExitFailure;
  }
  r.sqs = std::move(sqs).value();
  add_edge_routes(r);
  r.edge = std::make_unique<http::Server>(*r.loop, [&r](http::Request& req, http::Reply reply) {
    r.router.handle(req, std::move(reply));
  });
  auto port = r.edge->listen(options.host, options.port);
  if (!port) {
    std::fprintf(stderr, "slipway: %s\n", port.error().message.c_str());
    return kExitFailure;
  }
  r.info.port = port.value();
  auto lambda = start_lambda(r.manifest, *r.loop, *r.store,
                             LambdaSetup{r.info.data_dir, "http://127.0.0.1:" + std::to_string(r.info.port),
                                         r.info.seed, options.echo_function_logs, options.idle_timeout_s * 1000LL});
  if (!lambda) {
    std::fprintf(stderr, "slipway: %s\n", lambda.error().message.c_str());
    return kExitFailure;
  }
  r.lambda = std::move(lambda).value();
  r.lambda_edge.service = r.lambda.service.get();
  r.lambda_edge.site = {r.manifest.settings.region, r.manifest.settings.account_id};
  r.lambda_edge.limits.sync_request_bytes_max = r.manifest.limits.lambda.sync_request_bytes_max;
  r.lambda_edge.limits.async_request_bytes_max = r.manifest.limits.lambda.async_request_bytes_max;
  r.lambda_edge.started_us = r.info.started_us;
  install_signal_handlers(r);
  const int64_t run_id = record_start(r);

  log_info("slipway " + r.info.version + ", seed " + std::to_string(r.info.seed) + ", data dir " +
           r.info.data_dir);
  log_info("lambda: MemorySize is enforced by " + r.lambda.memory_enforcement);
  if (r.sqs.restored_messages > 0)
    log_info("sqs: restored " + std::to_string(r.sqs.restored_messages) + " messages");
  if (r.lambda.restored_events > 0)
    log_info("lambda: queued again " + std::to_string(r.lambda.restored_events) +
             " Event invocations accepted before the restart");
  log_info(r.info.manifest_path.empty() ? "no manifest: serving a bare daemon"
                                        : "manifest " + r.info.manifest_path + ": " +
                                              describe_pipeline(r.manifest));
  std::printf("slipway: listening on %s:%d\n", options.host.c_str(), r.info.port);
  std::fflush(stdout);

  r.loop->run();  // until SIGINT/SIGTERM

  r.edge.reset();  // its handles were closed by the shutdown above
  if (run_id) (void)store::record_run_stop(*r.store, run_id, r.clock.now_us() / core::kUsPerMs);
  r.lambda = LambdaRuntime{};
  r.sqs = SqsRuntime{};  // finalizes its statements before the database closes
  r.loop.reset();        // uses the store until it is gone (run() left nothing in flight)
  r.store.reset();       // closes the database: everything acknowledged is on disk
  r.lock.reset();
  log_info("stopped");
  return kExitOk;
}

}  // namespace slipway::app
