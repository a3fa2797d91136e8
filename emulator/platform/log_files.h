// Function logs on disk: one file per (function, log stream), the way CloudWatch keeps one log
// stream per execution environment, read back by `slipway logs`.
//
// Layout: <data-dir>/logs/<function-dir>/<stream-file>.log, one record per line:
//   2026-11-27T08:00:00.123Z<TAB><line>
// (ISO 8601 UTC with milliseconds; the time the core gives, never the OS clock).
//
// Names on disk (both mappings are reversible; decode_* undo them):
//   - stream file: '/' becomes '-', so "2026/11/27/[$LATEST]0123abcd" is
//     "2026-11-27-[$LATEST]0123abcd"; '-', '%' and every byte outside [A-Za-z0-9_.$[]] become
//     %XX (uppercase hex), as does a leading '.'; the empty name is "%".
//   - function dir: the name itself when it is [A-Za-z0-9_.-]+ (every AWS function name is);
//     any other byte, and a leading '.', become %XX.
// Records are single lines: a trailing "\n" or "\r\n" of `line` is dropped and an interior '\n'
// is written as '\r' (what Lambda's own runtimes do so that one event stays one line).
//
// Cost: `append` runs on the daemon's loop thread, so it is one write(2) on an O_APPEND fd kept
// open. At most `max_open_files` fds stay open; the least recently used one is closed first.
// A failed open or write is counted (write_errors()) and logged once per file, never thrown:
// logging must not take the daemon down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/clock.h"

namespace slipway::platform {

// The Lambda core's log sink. Mirrors slipway::lambda::LogSink (emulator/lambda/logs.h, being
// written): once that exists, LogFiles derives from it instead and this class goes away.
class LogFileSink {
 public:
  virtual ~LogFileSink() = default;
  // One line the function (or the platform: START/END/REPORT) wrote at `at`.
  virtual void append(const std::string& function, const std::string& log_stream, core::TimeUs at,
                      std::string_view line) = 0;
};

struct LogFilesOptions {
  size_t max_open_files = 64;  // REQUIRES: >= 1
};

class LogFiles final : public LogFileSink {
 public:
  // Files go under <data_dir>/logs; directories are created on first use.
  explicit LogFiles(std::string data_dir, LogFilesOptions options = {});
  ~LogFiles() override;
  LogFiles(const LogFiles&) = delete;
  LogFiles& operator=(const LogFiles&) = delete;

  void append(const std::string& function, const std::string& log_stream, core::TimeUs at,
              std::string_view line) override;

  // Closes every open file (they reopen on the next append).
  void close_all();

  const std::string& logs_dir() const { return logs_dir_; }
  size_t open_files() const { return open_.size(); }
  uint64_t write_errors() const { return write_errors_; }

 private:
  using Key = std::pair<std::string, std::string>;  // (function, log stream)
  struct OpenFile {
    int fd;
    std::list<Key>::iterator lru;  // position in lru_ (front = most recent)
  };

  int fd_for(const std::string& function, const std::string& log_stream);
  void evict_oldest();

  std::string logs_dir_;
  LogFilesOptions options_;
  std::map<Key, OpenFile> open_;
  std::list<Key> lru_;
  uint64_t write_errors_ = 0;
};

// <logs_dir>/<function-dir>, and the path of one stream's file under it.
std::string function_log_dir(const std::string& logs_dir, std::string_view function);
std::string stream_log_path(const std::string& logs_dir, std::string_view function, std::string_view log_stream);

// The name mappings described above. decode_* return nullopt for a name no encode_* produces.
std::string encode_stream_file_name(std::string_view log_stream);  // without ".log"
std::optional<std::string> decode_stream_file_name(std::string_view file_name);
std::string encode_function_dir(std::string_view function);
std::optional<std::string> decode_function_dir(std::string_view dir_name);

// One record as written: "<ISO 8601 ms>Z\t<line>\n", with the newline rules above.
std::string format_log_record(core::TimeUs at, std::string_view line);

struct LogRecord {
  core::TimeUs at;
  std::string_view line;  // without the newline; interior line breaks are still '\r'
};
// Parses one line of a log file (with or without its '\n'); nullopt when it does not start with
// a "YYYY-MM-DDTHH:MM:SS.mmmZ\t" timestamp.
std::optional<LogRecord> parse_log_record(std::string_view text);

}  // namespace slipway::platform
