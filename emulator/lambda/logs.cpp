#include "lambda/logs.h"

#include <algorithm>
#include <cstdio>

namespace slipway::lambda {

namespace {

struct CivilTime {
  int64_t year;
  int month, day, hour, minute, second, millisecond;
};

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Howard Hinnant's civil_from_days: days since 1970-01-01 to a proleptic Gregorian date.
CivilTime civil(core::TimeUs at) {
  const int64_t ms = floor_div(at, core::kUsPerMs);
  const int64_t days = floor_div(ms, 86'400'000);
  const int64_t ms_of_day = ms - days * 86'400'000;
  const int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  CivilTime t{};
  t.year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  t.month = month;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.hour = static_cast<int>(ms_of_day / 3'600'000);
  t.minute = static_cast<int>(ms_of_day / 60'000 % 60);
  t.second = static_cast<int>(ms_of_day / 1000 % 60);
  t.millisecond = static_cast<int>(ms_of_day % 1000);
  return t;
}

// `hundredths` / 100 with exactly two decimals.
std::string two_decimals(int64_t hundredths) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(hundredths / 100),
                static_cast<long long>(hundredths % 100));
  return buf;
}

}  // namespace

std::string log_group_name(std::string_view function) {
  return "/aws/lambda/" + std::string(function);
}

std::string log_stream_name(core::TimeUs at, std::string_view hex32) {
  const CivilTime t = civil(at);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld/%02d/%02d/", static_cast<long long>(t.year), t.month, t.day);
  return std::string(buf) + "[$LATEST]" + std::string(hex32);
}

std::string iso8601_ms(core::TimeUs at) {
  const CivilTime t = civil(at);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second,
                t.millisecond);
  return buf;
}

std::string format_ms(core::TimeUs duration_us) {
  return two_decimals((std::max<core::TimeUs>(duration_us, 0) + 5) / 10);
}

std::string format_seconds(core::TimeUs duration_us) {
  return two_decimals((std::max<core::TimeUs>(duration_us, 0) + 5000) / 10000);
}

int64_t billed_ms(core::TimeUs duration_us, core::TimeUs init_us) {
  const core::TimeUs total = std::max<core::TimeUs>(duration_us + init_us, 0);
  return std::max<int64_t>(1, (total + core::kUsPerMs - 1) / core::kUsPerMs);
}

std::string start_line(std::string_view request_id) {
  return "START RequestId: " + std::string(request_id) + " Version: $LATEST";
}

std::string end_line(std::string_view request_id) {
  return "END RequestId: " + std::string(request_id);
}

std::string report_line(const ReportFields& f) {
  const core::TimeUs init_us = f.init_duration_us.value_or(0);
  std::string out = "REPORT RequestId: " + f.request_id + "\tDuration: " + format_ms(f.duration_us) +
                    " ms\tBilled Duration: " + std::to_string(billed_ms(f.duration_us, init_us)) +
                    " ms\tMemory Size: " + std::to_string(f.memory_size_mb) +
                    " MB\tMax Memory Used: " + std::to_string(f.max_memory_used_mb) + " MB\t";
  if (f.init_duration_us) out += "Init Duration: " + format_ms(*f.init_duration_us) + " ms\t";
  if (!f.status.empty()) out += "Status: " + f.status + "\t";
  if (!f.error_type.empty()) out += "Error Type: " + f.error_type + "\t";
  return out;
}

std::string init_report_line(core::TimeUs init_duration_us, InitPhase phase, std::string_view status,
                             std::string_view error_type) {
  std::string out = "INIT_REPORT Init Duration: " + format_ms(init_duration_us) + " ms\tPhase: " +
                    (phase == InitPhase::kInit ? "init" : "invoke") + "\tStatus: " +
                    std::string(status);
  if (!error_type.empty()) out += "\tError Type: " + std::string(error_type);
  return out;
}

std::string timeout_line(core::TimeUs at, std::string_view request_id, core::TimeUs timeout_us) {
  return iso8601_ms(at) + " " + std::string(request_id) + " Task timed out after " +
         format_seconds(timeout_us) + " seconds";
}

std::string platform_error_line(std::string_view request_id, std::string_view message) {
  return "RequestId: " + std::string(request_id) + " Error: " + std::string(message);
}

void LogTail::append(std::string_view line) {
  if (max_bytes_ == 0) return;
  if (line.size() + 1 > max_bytes_) line = line.substr(line.size() + 1 - max_bytes_);
  lines_.emplace_back(line);
  bytes_ += line.size() + 1;
  while (bytes_ > max_bytes_) {
    bytes_ -= lines_.front().size() + 1;
    lines_.pop_front();
  }
}

std::string LogTail::text() const {
  std::string out;
  out.reserve(bytes_);
  for (const auto& l : lines_) {
    out += l;
    out += '\n';
  }
  return out;
}

}  // namespace slipway::lambda
