#include "platform/log_files.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "platform/log.h"

namespace slipway::platform {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void append_escaped(std::string& out, char c) {
  const auto b = static_cast<unsigned char>(c);
  out += '%';
  out += kHex[b >> 4];
  out += kHex[b & 0xF];
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // only uppercase is ever written
}

// Undoes %XX and, when `slash` is set, maps `slash` back to '/'. nullopt for a malformed escape
// or a literal byte that is always escaped.
template <typename KeepFn>
std::optional<std::string> unescape(std::string_view s, char slash, KeepFn keep) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (slash != 0 && s[i] == slash) {
      out += '/';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (keep(s[i]) && !(i == 0 && s[i] == '.')) {
      out += s[i];
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool stream_keeps(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '$' || c == '[' || c == ']'; }
bool function_keeps(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The digits of s[pos, pos+n) as a number, or -1.
int64_t digits(std::string_view s, size_t pos, size_t n) {
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::string encode_stream_file_name(std::string_view log_stream) {
  if (log_stream.empty()) return "%";
  std::string out;
  for (size_t i = 0; i < log_stream.size(); ++i) {
    const char c = log_stream[i];
    if (c == '/') out += '-';
    else if (stream_keeps(c) && !(i == 0 && c == '.')) out += c;
    else append_escaped(out, c);
  }
  return out;
}

std::optional<std::string> decode_stream_file_name(std::string_view file_name) {
  if (file_name == "%") return std::string();
  std::optional<std::string> name = unescape(file_name, '-', stream_keeps);
  if (!name || encode_stream_file_name(*name) != file_name) return std::nullopt;  // not canonical
  return name;
}

std::string encode_function_dir(std::string_view function) {
  std::string out;
  for (size_t i = 0; i < function.size(); ++i) {
    const char c = function[i];
    if (function_keeps(c) && !(i == 0 && c == '.')) out += c;
    else append_escaped(out, c);
  }
  return out.empty() ? "%" : out;
}

std::optional<std::string> decode_function_dir(std::string_view dir_name) {
  if (dir_name == "%") return std::string();
  std::optional<std::string> name = unescape(dir_name, 0, function_keeps);
  if (!name || encode_function_dir(*name) != dir_name) return std::nullopt;  // not canonical
  return name;
}

std::string function_log_dir(const std::string& logs_dir, std::string_view function) {
  return logs_dir + "/" + encode_function_dir(function);
}

std::string stream_log_path(const std::string& logs_dir, std::string_view function, std::string_view log_stream) {
  return function_log_dir(logs_dir, function) + "/" + encode_stream_file_name(log_stream) + ".log";
}

std::string format_log_record(core::TimeUs at, std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string out = iso8601_utc(at);
  out.reserve(out.size() + line.size() + 2);
  out += '\t';
  for (char c : line) out += c == '\n' ? '\r' : c;
  out += '\n';
  return out;
}

std::optional<LogRecord> parse_log_record(std::string_view text) {
  constexpr size_t kStampLen = 24;  // "2026-11-27T08:00:00.123Z"
  if (text.size() < kStampLen + 1 || text[kStampLen] != '\t') return std::nullopt;
  const std::string_view s = text.substr(0, kStampLen);
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z')
    return std::nullopt;
  const int64_t y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2),
                mi = digits(s, 14, 2), sec = digits(s, 17, 2), ms = digits(s, 20, 3);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
      sec > 60 || ms < 0)
    return std::nullopt;
  const int64_t days = days_from_civil(y, static_cast<int>(mo), static_cast<int>(d));
  const int64_t secs = ((days * 24 + h) * 60 + mi) * 60 + sec;
  std::string_view line = text.substr(kStampLen + 1);
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return LogRecord{secs * core::kUsPerSecond + ms * core::kUsPerMs, line};
}

// ---------------------------------------------------------------------------------- LogFiles

LogFiles::LogFiles(std::string data_dir, LogFilesOptions options)
    : logs_dir_(std::move(data_dir) + "/logs"), options_(options) {
  if (options_.max_open_files == 0) options_.max_open_files = 1;
}

LogFiles::~LogFiles() { close_all(); }

void LogFiles::close_all() {
  for (auto& [key, file] : open_) ::close(file.fd);
  open_.clear();
  lru_.clear();
}

void LogFiles::evict_oldest() {
  const Key& oldest = lru_.back();
  auto it = open_.find(oldest);
  ::close(it->second.fd);
  open_.erase(it);
  lru_.pop_back();
}

int LogFiles::fd_for(const std::string& function, const std::string& log_stream) {
  Key key{function, log_stream};
  if (auto it = open_.find(key); it != open_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second.fd;
  }
  std::error_code ec;
  std::filesystem::create_directories(function_log_dir(logs_dir_, function), ec);
  const std::string path = stream_log_path(logs_dir_, function, log_stream);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (write_errors_ == 0) log_warn("function logs: cannot open " + path + ": " + std::strerror(errno));
    return -1;
  }
  while (open_.size() >= options_.max_open_files) evict_oldest();
  lru_.push_front(key);
  open_.emplace(std::move(key), OpenFile{fd, lru_.begin()});
  return fd;
}

void LogFiles::append(const std::string& function, const std::string& log_stream, core::TimeUs at,
                      std::string_view line) {
  const int fd = fd_for(function, log_stream);
  if (fd < 0) {
    ++write_errors_;
    return;
  }
  const std::string record = format_log_record(at, line);
  size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = ::write(fd, record.data() + done, record.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (write_errors_ == 0) log_warn("function logs: cannot write a record of " + function + ": " + std::strerror(errno));
      ++write_errors_;
      return;
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace slipway::platform
