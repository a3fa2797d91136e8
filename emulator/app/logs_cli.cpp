#include "app/logs_cli.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "app/daemon.h"
#include "platform/log.h"
#include "platform/log_files.h"

namespace slipway::app {

namespace {

namespace fs = std::filesystem;

constexpr const char* kLogsHelp = R"(Usage: slipway logs <function> [options]

Prints the logs of one function (its output and the START/END/REPORT lines), merged across
log streams in time order, as 'aws logs tail' does:
  <timestamp> <log stream> <message>

Options:
  --follow, -f         keep printing new lines as they are written, until Ctrl-C
  --since DURATION     only lines from the last DURATION: a number and a unit s, m, h, d or w
                       (e.g. 30s, 10m, 2h; default: all lines)
  --data-dir DIR       the daemon's data directory (default .slipway, as for serve)
  -h, --help           this help

Exit codes: 0 printed; 1 no logs for that function (not invoked yet?); 2 bad command line.
)";

constexpr auto kPollInterval = std::chrono::milliseconds(200);

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct LogsOptions {
  std::string function;
  bool follow = false;
  std::string data_dir = ServeOptions{}.data_dir;
  std::optional<int64_t> since_us;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "slipway: %s\nRun 'slipway logs --help' for usage.\n", message.c_str());
  return kExitUsage;
}

// Sets `value` from "--name value" or "--name=value"; false when `arg` is not that option.
bool take(const std::vector<std::string_view>& args, size_t& i, std::string_view name,
          std::optional<std::string>& value) {
  const std::string_view arg = args[i];
  if (arg == name) {
    value = i + 1 < args.size() ? std::optional<std::string>(std::string(args[++i])) : std::nullopt;
    if (!value) value = std::string();  // present but missing: the caller reports it
    return true;
  }
  if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
    value = std::string(arg.substr(name.size() + 1));
    return true;
  }
  return false;
}

// Returns -1 to go on, else the exit code (help printed, or a usage error).
int parse_args(const std::vector<std::string_view>& args, LogsOptions& o) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    std::optional<std::string> value;
    if (arg == "-h" || arg == "--help") {
      std::fputs(kLogsHelp, stdout);
      return kExitOk;
    } else if (arg == "--follow" || arg == "-f") {
      o.follow = true;
    } else if (take(args, i, "--data-dir", value) || take(args, i, "--since", value)) {
      if (value->empty()) return usage_error(std::string(arg.substr(0, arg.find('='))) + " expects a value");
      if (arg.substr(0, 7) != "--since") {
        o.data_dir = *value;
        continue;
      }
      o.since_us = parse_since_us(*value);
      if (!o.since_us) return usage_error("--since expects a duration such as 30s, 10m, 2h, 1d or 1w, got '" + *value + "'");
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + std::string(arg) + "'");
    } else if (o.function.empty()) {
      o.function = std::string(arg);
    } else {
      return usage_error("logs takes one function name, got '" + o.function + "' and '" + std::string(arg) + "'");
    }
  }
  if (o.function.empty()) return usage_error("logs expects a function name");
  return -1;
}

// One log stream's file and how far it has been read.
struct StreamFile {
  std::string path;
  std::string stream;
  uint64_t offset = 0;
  int64_t last_at = 0;  // a line without a timestamp (should not happen) takes the previous one's
};

struct Entry {
  int64_t at;
  const StreamFile* file;
  size_t seq;
  std::string line;
};

// Adds the *.log files of `dir` not seen before. Returns how many files are known.
size_t scan(const fs::path& dir, std::vector<std::unique_ptr<StreamFile>>& files) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const fs::path& p = e.path();
    if (p.extension() != ".log") continue;
    const std::string path = p.string();
    if (std::any_of(files.begin(), files.end(), [&](const auto& f) { return f->path == path; })) continue;
    const std::string stem = p.stem().string();
    auto file = std::make_unique<StreamFile>();
    file->path = path;
    file->stream = platform::decode_stream_file_name(stem).value_or(stem);
    files.push_back(std::move(file));
  }
  return files.size();
}

// Reads the whole lines appended to `f` since the last call.
void read_new(StreamFile& f, std::vector<Entry>& out) {
  std::ifstream in(f.path, std::ios::binary);
  if (!in) return;
  in.seekg(static_cast<std::streamoff>(f.offset));
  std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t end = chunk.rfind('\n');
  if (end == std::string::npos) return;
  f.offset += end + 1;
  size_t start = 0;
  while (start <= end) {
    const size_t nl = chunk.find('\n', start);
    const std::string_view text(chunk.data() + start, nl - start);
    std::optional<platform::LogRecord> r = platform::parse_log_record(text);
    if (r) f.last_at = r->at;
    out.push_back(Entry{f.last_at, &f, out.size(), std::string(r ? r->line : text)});
    start = nl + 1;
  }
}

void print(std::vector<Entry>& entries, std::optional<int64_t> since_at) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.file->stream != b.file->stream) return a.file->stream < b.file->stream;
    return a.seq < b.seq;
  });
  std::string out;
  for (Entry& e : entries) {
    if (since_at && e.at < *since_at) continue;
    std::replace(e.line.begin(), e.line.end(), '\r', '\n');
    out += tail_timestamp(e.at) + " " + e.file->stream + " " + e.line + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int show(const LogsOptions& o) {
  const std::string logs_dir = o.data_dir + "/logs";
  const fs::path dir = platform::function_log_dir(logs_dir, o.function);
  std::vector<std::unique_ptr<StreamFile>> files;
  if (scan(dir, files) == 0) {
    std::fprintf(stderr, "slipway: no logs for function %s in %s; has it been invoked?\n", o.function.c_str(),
                 logs_dir.c_str());
    return kExitFailure;
  }
  std::optional<int64_t> since_at;
  if (o.since_us) since_at = now_us() - *o.since_us;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  do {
    std::vector<Entry> entries;
    scan(dir, files);
    for (auto& f : files) read_new(*f, entries);
    print(entries, since_at);
    if (o.follow && !g_stop) std::this_thread::sleep_for(kPollInterval);
  } while (o.follow && !g_stop);
  return kExitOk;
}

}  // namespace

std::optional<int64_t> parse_since_us(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || ptr != text.data() + text.size() - 1 || n <= 0) return std::nullopt;
  int64_t unit_s = 0;
  switch (text.back()) {
    case 's': unit_s = 1; break;
    case 'm': unit_s = 60; break;
    case 'h': unit_s = 3600; break;
    case 'd': unit_s = 86400; break;
    case 'w': unit_s = 7 * 86400; break;
    default: return std::nullopt;
  }
  if (n > (int64_t{1} << 62) / (unit_s * 1'000'000)) return std::nullopt;
  return n * unit_s * 1'000'000;
}

std::string tail_timestamp(int64_t at_us) {
  std::string s = platform::iso8601_utc(at_us);  // "2026-11-27T08:00:00.123Z"
  s.pop_back();
  const int us_rest = static_cast<int>(((at_us % 1000) + 1000) % 1000);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03d", us_rest);
  return s + buf + "+00:00";
}

int run_logs(const std::vector<std::string_view>& args) {
  LogsOptions options;
  if (int rc = parse_args(args, options); rc >= 0) return rc;
  return show(options);
}

}  // namespace slipway::app
