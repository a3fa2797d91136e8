// The admin API under /_slipway/ on the edge port: what a test harness or a user asks the
// daemon about itself.
//   GET /_slipway/health  status, version, uptime, address, data dir, seed, schema version
//   GET /_slipway/state   the configured pipeline (functions, queues, buckets, mappings)
//   GET /_slipway/lambda  execution environments by state, concurrency in use, throttles, per
//                         function (what a test waits on, and what a user looks at when invokes
//                         throttle)
// Answers come from the loop thread (so a health answer also proves the loop is turning).
#pragma once

#include <cstdint>
#include <string>

#include "app/manifest.h"
#include "core/clock.h"
#include "http/server.h"
#include "lambda/service.h"

namespace slipway::http {

// What the daemon knows about itself; fixed after start, read on the loop thread.
struct DaemonInfo {
  std::string version;
  std::string host;
  int port = 0;
  std::string data_dir;
  std::string manifest_path;  // empty for a bare daemon
  uint64_t seed = 0;
  int schema_version = 0;
  int pid = 0;
  core::TimeUs started_us = 0;
};

// JSON bodies, built on the loop thread.
std::string health_json(const DaemonInfo& info, core::TimeUs now_us);

// Paths under /_slipway/.
bool is_admin_request(const Request& request);

// JSON of LambdaStats.
std::string lambda_stats_json(const lambda::LambdaStats& stats);

// Loop thread (a Server handler). `info`, `manifest` and `lambda` are loop-owned and outlive the
// server; `lambda` may be null (no Lambda service).
void handle_admin(const Request& request, Reply reply, const core::Clock& clock, const DaemonInfo& info,
                  const app::Manifest& manifest, const lambda::LambdaService* lambda);

}  // namespace slipway::http
