// `slipway logs <function> [--follow] [--since 10m] [--data-dir DIR]`: prints a function's logs
// from the files platform::LogFiles writes (<data-dir>/logs/<function>/<stream>.log), merged
// across log streams in time order, one record per line as `aws logs tail` shows them:
//   2026-11-27T08:00:00.123000+00:00 2026/11/27/[$LATEST]0123abcd <message>
// A record's interior line breaks (stored as '\r') print as '\n'.
//
// --follow keeps printing records as they are appended (polling every 200 ms; new streams are
// picked up too) until SIGINT or SIGTERM, then exits 0. Only whole lines are printed: a record
// still being written waits for its newline. --since N{s,m,h,d,w} shows records from the last N
// (default: all; offline logs are often older than aws logs tail's 10 minutes).
//
// Exit codes (app/daemon.h): 0 printed; 1 no logs for the function ("no logs for function X in
// DIR/logs; has it been invoked?") or unreadable files; 2 bad command line.
//
// The CLI reads the wall clock (for --since) and sleeps while following: it is a client, not the
// daemon, so neither rule of the core applies here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::app {

// Runs the verb on the arguments after "logs".
int run_logs(const std::vector<std::string_view>& args);

// "10m" -> 600 s in microseconds; units s, m, h, d, w. nullopt when malformed or not positive.
std::optional<int64_t> parse_since_us(std::string_view text);

// "2026-11-27T08:00:00.123000+00:00": how `aws logs tail` prints a timestamp.
std::string tail_timestamp(int64_t at_us);

}  // namespace slipway::app
