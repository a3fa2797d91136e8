// The daemon's own log, on stderr, one line per event:
//   2026-11-27T05:40:00.123Z INFO  listening on 127.0.0.1:4566
// Function logs (CloudWatch-style START/END/REPORT) are separate; this is slipway talking.
#pragma once

#include <string>

namespace slipway::platform {

enum class LogLevel { kInfo, kWarn, kError };

void log(LogLevel level, const std::string& message);
inline void log_info(const std::string& m) { log(LogLevel::kInfo, m); }
inline void log_warn(const std::string& m) { log(LogLevel::kWarn, m); }
inline void log_error(const std::string& m) { log(LogLevel::kError, m); }

// "2026-11-27T05:40:00.123Z" for a time in microseconds since the epoch.
std::string iso8601_utc(long long epoch_us);

}  // namespace slipway::platform
