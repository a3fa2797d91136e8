#include "platform/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace slipway::platform {

std::string iso8601_utc(long long epoch_us) {
  const time_t secs = static_cast<time_t>(epoch_us / 1'000'000);
  const int ms = static_cast<int>((epoch_us / 1000) % 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

void log(LogLevel level, const std::string& message) {
  static std::mutex mu;
  const char* name = level == LogLevel::kInfo ? "INFO " : level == LogLevel::kWarn ? "WARN " : "ERROR";
  const long long now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "%s %s %s\n", iso8601_utc(now_us).c_str(), name, message.c_str());
  std::fflush(stderr);
}

}  // namespace slipway::platform
