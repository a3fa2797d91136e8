// The daemon's run history (table daemon_runs): one row per start, closed at a clean stop. A run
// left open tells the next start that the previous one crashed (kill -9, power loss).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace slipway::store {

struct RunStart {
  int64_t started_at_ms;
  std::string version;
  int pid;
  uint64_t seed;
  std::string manifest;  // path, or empty
};

// Inserts a run row and returns its id. Any runs still open are returned in `unclean` count.
struct RunRecord {
  int64_t run_id;
  int previous_unclean;  // earlier runs that never recorded a stop
};

core::Result<RunRecord> record_run_start(Store& store, const RunStart& run);
core::Status record_run_stop(Store& store, int64_t run_id, int64_t stopped_at_ms);

}  // namespace slipway::store
