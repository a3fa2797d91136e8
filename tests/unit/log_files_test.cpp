// Function log files: the record format, the reversible file-name mappings, LogFiles writing
// into a temporary data directory (LRU of open files, errors counted not thrown), and the pure
// helpers of `slipway logs`.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/daemon.h"
#include "app/logs_cli.h"
#include "platform/log_files.h"

using namespace slipway;
using namespace slipway::platform;

namespace {

constexpr core::TimeUs kNov27 = 1795766400 * core::kUsPerSecond;  // 2026-11-27T08:00:00Z

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "slipway-logs-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string str() const { return path.string(); }
};

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// ============================================================================ record format

TEST_CASE("log_files: a record is an ISO 8601 ms timestamp, a tab and the line") {
  CHECK(format_log_record(kNov27 + 123'456, "hello") == "2026-11-27T08:00:00.123Z\thello\n");
  CHECK(format_log_record(kNov27, "with newline\n") == "2026-11-27T08:00:00.000Z\twith newline\n");
  CHECK(format_log_record(kNov27, "crlf\r\n") == "2026-11-27T08:00:00.000Z\tcrlf\n");
  CHECK(format_log_record(kNov27, "two\nlines") == "2026-11-27T08:00:00.000Z\ttwo\rlines\n");
  CHECK(format_log_record(kNov27, "") == "2026-11-27T08:00:00.000Z\t\n");
  CHECK(format_log_record(kNov27, "REPORT RequestId: x\tDuration: 1.00 ms\t") ==
        "2026-11-27T08:00:00.000Z\tREPORT RequestId: x\tDuration: 1.00 ms\t\n");
}

TEST_CASE("log_files: records parse back to their time and line") {
  const core::TimeUs leap_day = 1709164800 * core::kUsPerSecond;             // 2024-02-29T00:00:00Z
  const core::TimeUs last_ms = 4102444799 * core::kUsPerSecond + 999'000;    // 2099-12-31T23:59:59.999Z
  for (core::TimeUs at : {kNov27 + 123'000, core::TimeUs{0}, leap_day, last_ms}) {
    CAPTURE(at);
    const std::string record = format_log_record(at, "line\twith tab");  // the parsed line points into it
    auto r = parse_log_record(record);
    REQUIRE(r);
    CHECK(r->at == at);
    CHECK(r->line == "line\twith tab");
  }
  CHECK(parse_log_record("2026-11-27T08:00:00.123Z\tno newline")->line == "no newline");
  for (const char* bad : {"", "hello", "2026-11-27T08:00:00.123Z", "2026-11-27T08:00:00.123Z hello",
                          "2026-13-27T08:00:00.123Z\tx", "2026-11-27 08:00:00.123Z\tx", "2026-11-27T08:00:00,123Z\tx",
                          "2026-11-27T08:0a:00.123Z\tx"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_log_record(bad));
  }
}

// ============================================================================ names on disk

TEST_CASE("log_files: stream names map to safe, reversible file names") {
  CHECK(encode_stream_file_name("2026/11/27/[$LATEST]0123abcdef0123abcdef0123abcdef01") ==
        "2026-11-27-[$LATEST]0123abcdef0123abcdef0123abcdef01");
  CHECK(encode_stream_file_name("a-b") == "a%2Db");
  CHECK(encode_stream_file_name("50%") == "50%25");
  CHECK(encode_stream_file_name("a b") == "a%20b");
  CHECK(encode_stream_file_name("../x") == "%2E.-x");
  CHECK(encode_stream_file_name("") == "%");
  for (const char* name : {"2026/11/27/[$LATEST]0123abcd", "a-b/c", "50%", "../x", "", "é/ü", "..", "a\nb"}) {
    CAPTURE(name);
    const std::string file = encode_stream_file_name(name);
    CHECK(file.find('/') == std::string::npos);
    CHECK(file.front() != '.');
    auto back = decode_stream_file_name(file);
    REQUIRE(back);
    CHECK(*back == name);
  }
  for (const char* bad : {"", "%4", "%zz", "%41", "a b", ".x", "%2f"}) {
    CAPTURE(bad);
    CHECK_FALSE(decode_stream_file_name(bad));
  }
}

TEST_CASE("log_files: function names are their own directory when AWS allows them") {
  CHECK(encode_function_dir("my-fn_2.v") == "my-fn_2.v");
  CHECK(encode_function_dir("..") == "%2E.");
  CHECK(encode_function_dir("a/b") == "a%2Fb");
  for (const char* name : {"my-fn", "..", "a/b", "", "x y"}) {
    CAPTURE(name);
    CHECK(*decode_function_dir(encode_function_dir(name)) == name);
  }
  CHECK_FALSE(decode_function_dir("a b"));
  CHECK(function_log_dir("/d/logs", "my-fn") == "/d/logs/my-fn");
  CHECK(stream_log_path("/d/logs", "my-fn", "2026/11/27/[$LATEST]ab") == "/d/logs/my-fn/2026-11-27-[$LATEST]ab.log");
}

// ============================================================================ LogFiles

TEST_CASE("log_files: lines land in <data-dir>/logs/<function>/<stream>.log, readable at once") {
  TempDir dir;
  LogFiles files(dir.str());
  CHECK(files.logs_dir() == dir.str() + "/logs");
  files.append("my-fn", "2026/11/27/[$LATEST]aa", kNov27, "START RequestId: 1 Version: $LATEST");
  files.append("my-fn", "2026/11/27/[$LATEST]aa", kNov27 + 5'000, "hello");
  files.append("my-fn", "2026/11/27/[$LATEST]bb", kNov27 + 1'000, "other environment");
  files.append("other", "2026/11/27/[$LATEST]aa", kNov27, "other function");
  // Still open: every record was written with its own write(2), nothing is buffered.
  CHECK(read(dir.str() + "/logs/my-fn/2026-11-27-[$LATEST]aa.log") ==
        "2026-11-27T08:00:00.000Z\tSTART RequestId: 1 Version: $LATEST\n"
        "2026-11-27T08:00:00.005Z\thello\n");
  CHECK(read(dir.str() + "/logs/my-fn/2026-11-27-[$LATEST]bb.log") == "2026-11-27T08:00:00.001Z\tother environment\n");
  CHECK(read(dir.str() + "/logs/other/2026-11-27-[$LATEST]aa.log") == "2026-11-27T08:00:00.000Z\tother function\n");
  CHECK(files.open_files() == 3);
  CHECK(files.write_errors() == 0);
}

TEST_CASE("log_files: at most max_open_files stay open; the least recently used closes first") {
  TempDir dir;
  LogFiles files(dir.str(), LogFilesOptions{2});
  files.append("f", "s1", kNov27, "1");
  files.append("f", "s2", kNov27, "2");
  files.append("f", "s1", kNov27, "3");  // s1 is now the most recent
  files.append("f", "s3", kNov27, "4");  // evicts s2
  CHECK(files.open_files() == 2);
  files.append("f", "s2", kNov27, "5");  // reopens s2 (evicting s1) and appends
  CHECK(files.open_files() == 2);
  CHECK(read(dir.str() + "/logs/f/s2.log") == "2026-11-27T08:00:00.000Z\t2\n2026-11-27T08:00:00.000Z\t5\n");
  CHECK(read(dir.str() + "/logs/f/s1.log") == "2026-11-27T08:00:00.000Z\t1\n2026-11-27T08:00:00.000Z\t3\n");
  files.close_all();
  CHECK(files.open_files() == 0);
  files.append("f", "s1", kNov27, "6");
  CHECK(read(dir.str() + "/logs/f/s1.log").size() == 3 * 27);
}

TEST_CASE("log_files: a second LogFiles appends to the same files (a daemon restart)") {
  TempDir dir;
  { LogFiles(dir.str()).append("f", "s", kNov27, "before"); }
  { LogFiles(dir.str()).append("f", "s", kNov27, "after"); }
  CHECK(read(dir.str() + "/logs/f/s.log") == "2026-11-27T08:00:00.000Z\tbefore\n2026-11-27T08:00:00.000Z\tafter\n");
}

TEST_CASE("log_files: an unwritable directory is counted, not thrown") {
  TempDir dir;
  std::ofstream(dir.str() + "/plain-file") << "x";
  LogFiles files(dir.str() + "/plain-file");  // logs/ cannot be created under a file
  files.append("f", "s", kNov27, "lost");
  files.append("f", "s", kNov27, "lost too");
  CHECK(files.write_errors() == 2);
  CHECK(files.open_files() == 0);
}

// ============================================================================ slipway logs helpers

TEST_CASE("log_files: slipway logs --since durations") {
  CHECK(*app::parse_since_us("30s") == 30LL * core::kUsPerSecond);
  CHECK(*app::parse_since_us("10m") == 600LL * core::kUsPerSecond);
  CHECK(*app::parse_since_us("2h") == 7200LL * core::kUsPerSecond);
  CHECK(*app::parse_since_us("1d") == 86400LL * core::kUsPerSecond);
  CHECK(*app::parse_since_us("1w") == 7 * 86400LL * core::kUsPerSecond);
  for (const char* bad : {"", "m", "10", "0m", "-5m", "10x", "1.5h", "99999999999999999w"}) {
    CAPTURE(bad);
    CHECK_FALSE(app::parse_since_us(bad));
  }
}

TEST_CASE("log_files: slipway logs prints timestamps as aws logs tail does") {
  CHECK(app::tail_timestamp(kNov27 + 123'000) == "2026-11-27T08:00:00.123000+00:00");
  CHECK(app::tail_timestamp(kNov27 + 123'456) == "2026-11-27T08:00:00.123456+00:00");
}

TEST_CASE("log_files: slipway logs exit codes without output") {
  TempDir dir;
  const std::string data_dir = dir.str();
  CHECK(app::run_logs({}) == app::kExitUsage);
  CHECK(app::run_logs({"f", "--bogus"}) == app::kExitUsage);
  CHECK(app::run_logs({"f", "g"}) == app::kExitUsage);
  CHECK(app::run_logs({"f", "--since", "soon"}) == app::kExitUsage);
  CHECK(app::run_logs({"f", "--data-dir"}) == app::kExitUsage);
  CHECK(app::run_logs({"never-invoked", "--data-dir", data_dir}) == app::kExitFailure);
  CHECK(app::run_logs({"never-invoked", "--data-dir=" + data_dir}) == app::kExitFailure);
}
