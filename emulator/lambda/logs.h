// Lambda's log lines, formatted exactly as AWS prints them (spec/lambda.md §3.1, §3.4, §3.5), and
// the bounded per-invocation tail behind X-Amz-Log-Result. Pure text functions: time and ids are
// passed in.
//
//   START RequestId: <id> Version: $LATEST
//   END RequestId: <id>
//   REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t
//          Max Memory Used: 20 MB\t[Init Duration: 5.67 ms\t][Status: timeout\t |
//          Status: error\tError Type: <T>\t]
//   INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout
//   2024-01-01T00:00:03.000Z <id> Task timed out after 3.00 seconds
//   RequestId: <id> Error: Runtime exited with error: exit status 2
//
// Durations print with 2 decimals, rounded to the nearest 10 µs; Billed Duration is Duration plus
// Init Duration (custom runtimes bill init), rounded up to a whole millisecond, at least 1.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "lambda/environment.h"

namespace slipway::lambda {

std::string log_group_name(std::string_view function);  // "/aws/lambda/<function>"
// "YYYY/MM/DD/[$LATEST]<hex32>", dated (UTC) at `at`.
std::string log_stream_name(core::TimeUs at, std::string_view hex32);
// "2024-01-01T00:00:03.000Z" (UTC, milliseconds).
std::string iso8601_ms(core::TimeUs at);
// Milliseconds with 2 decimals: 12345 µs -> "12.35".
std::string format_ms(core::TimeUs duration_us);
// Seconds with 2 decimals: 3000000 µs -> "3.00".
std::string format_seconds(core::TimeUs duration_us);
// Duration plus init, in whole milliseconds rounded up; at least 1.
int64_t billed_ms(core::TimeUs duration_us, core::TimeUs init_us);

std::string start_line(std::string_view request_id);
std::string end_line(std::string_view request_id);

struct ReportFields {
  std::string request_id;
  core::TimeUs duration_us = 0;
  std::optional<core::TimeUs> init_duration_us;  // first invoke of an environment only
  int memory_size_mb = 128;
  int max_memory_used_mb = 0;
  std::string status;      // "" (success), "timeout" or "error"
  std::string error_type;  // with status "error"
};
std::string report_line(const ReportFields& f);

// INIT_REPORT for a failed init. `status` is "timeout" or "error" (then `error_type` is printed).
std::string init_report_line(core::TimeUs init_duration_us, InitPhase phase, std::string_view status,
                             std::string_view error_type);
// "<ISO time> <id> Task timed out after N.00 seconds", for a function whose timeout is `timeout_us`
std::string timeout_line(core::TimeUs at, std::string_view request_id, core::TimeUs timeout_us);
// "RequestId: <id> Error: <message>" (the line AWS logs for a platform-detected failure).
std::string platform_error_line(std::string_view request_id, std::string_view message);

// The last `max_bytes` of an invocation's log (each line counted with its '\n'), cut at a line
// boundary; a single line longer than that keeps only its end. Bounded: older lines are dropped
// as new ones arrive.
class LogTail {
 public:
  explicit LogTail(size_t max_bytes = 4096) : max_bytes_(max_bytes) {}
  void append(std::string_view line);
  // The kept lines, each ending in '\n'.
  std::string text() const;
  size_t bytes() const { return bytes_; }

 private:
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::deque<std::string> lines_;
};

}  // namespace slipway::lambda
