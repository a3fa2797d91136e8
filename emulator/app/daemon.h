// The daemon: `slipway serve`. The composition root that wires the manifest, the data
// directory (lock, store), the loop, the edge server and the admin API, and runs until SIGINT or
// SIGTERM.
//
// Start-up: load and validate the manifest (any problem: print all, exit 2, touch nothing) ->
// lock the data dir (held: exit 3) -> open and migrate the store -> bind the edge port -> print
// "slipway: listening on HOST:PORT" on stdout (the one machine-readable line) -> serve.
// Shutdown (signal): stop accepting, finish the loop pass, commit, close the store, release the
// lock, within 2 s.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace slipway::app {

struct ServeOptions {
  std::string config_path;        // empty: ./slipway.json if present, else a bare daemon
  std::string host = "127.0.0.1";
  int port = 4566;                // 0: any free port
  std::string data_dir = ".slipway";
  std::optional<uint64_t> seed;   // absent: drawn from the OS and printed
  bool durability_full = false;   // synchronous=FULL: survive power loss, not only kill -9
  int idle_timeout_s = 600;       // an idle execution environment is stopped after this
  bool echo_function_logs = true; // function log lines also go to stderr
};

// Exit codes, as documented in `slipway --help`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;     // could not start or serve (I/O, port in use ...)
inline constexpr int kExitUsage = 2;       // bad command line or invalid manifest
inline constexpr int kExitDataDirBusy = 3; // another daemon holds the data directory

int serve(const ServeOptions& options);

}  // namespace slipway::app
