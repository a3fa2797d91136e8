// Lambda's text, exactly as AWS prints it: log lines, REPORT, the log tail, error JSON, signal
// wording, function names and ARNs, trace ids.
#include <doctest/doctest.h>

#include <string>

#include "core/ids.h"
#include "core/rng.h"
#include "lambda/failures.h"
#include "lambda/logs.h"
#include "lambda/names.h"

using namespace slipway::lambda;
using slipway::core::kUsPerMs;
using slipway::core::kUsPerSecond;

namespace {
// 2024-02-29T23:59:58.123Z
constexpr slipway::core::TimeUs kLeapDay = 1709251198123LL * kUsPerMs;
}  // namespace

TEST_CASE("lambda log stream names and timestamps are UTC dates") {
  CHECK(log_stream_name(kLeapDay, "0123456789abcdef0123456789abcdef") ==
        "2024/02/29/[$LATEST]0123456789abcdef0123456789abcdef");
  CHECK(iso8601_ms(kLeapDay) == "2024-02-29T23:59:58.123Z");
  CHECK(iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(log_group_name("fn") == "/aws/lambda/fn");
}

TEST_CASE("lambda REPORT line: fields, order, rounding, Init Duration and Status") {
  ReportFields f;
  f.request_id = "id-1";
  f.duration_us = 12'344;  // 12.344 ms -> "12.34", billed 13
  f.memory_size_mb = 128;
  f.max_memory_used_mb = 20;
  CHECK(report_line(f) ==
        "REPORT RequestId: id-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 20 MB\t");
  f.duration_us = 3'016'780;
  f.init_duration_us = 84'000;  // AWS's own example: 3016.78 + 84.00 -> billed 3101
  CHECK(report_line(f) ==
        "REPORT RequestId: id-1\tDuration: 3016.78 ms\tBilled Duration: 3101 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 20 MB\tInit Duration: 84.00 ms\t");
  f.init_duration_us.reset();
  f.status = "error";
  f.error_type = "Runtime.ExitError";
  CHECK(report_line(f).ends_with("Max Memory Used: 20 MB\tStatus: error\tError Type: Runtime.ExitError\t"));
  f.status = "timeout";
  f.error_type = "";
  CHECK(report_line(f).ends_with("\tStatus: timeout\t"));
}

TEST_CASE("lambda durations: 2 decimals, billed rounded up to 1 ms, at least 1") {
  CHECK(format_ms(0) == "0.00");
  CHECK(format_ms(5) == "0.01");
  CHECK(format_ms(1'999'995) == "2000.00");
  CHECK(format_seconds(3 * kUsPerSecond) == "3.00");
  CHECK(format_seconds(3'070'000) == "3.07");
  CHECK(billed_ms(0, 0) == 1);
  CHECK(billed_ms(1000, 0) == 1);
  CHECK(billed_ms(1001, 0) == 2);
  CHECK(billed_ms(1500, 600) == 3);
}

TEST_CASE("lambda START, END, INIT_REPORT, timeout and platform error lines") {
  CHECK(start_line("r") == "START RequestId: r Version: $LATEST");
  CHECK(end_line("r") == "END RequestId: r");
  CHECK(init_report_line(10'000 * kUsPerMs, InitPhase::kInit, "timeout", "") ==
        "INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout");
  CHECK(init_report_line(620, InitPhase::kInvoke, "error", "Runtime.InvalidEntrypoint") ==
        "INIT_REPORT Init Duration: 0.62 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.InvalidEntrypoint");
  CHECK(timeout_line(kLeapDay, "r", 3 * kUsPerSecond) ==
        "2024-02-29T23:59:58.123Z r Task timed out after 3.00 seconds");
  CHECK(platform_error_line("r", "Runtime exited with error: exit status 2") ==
        "RequestId: r Error: Runtime exited with error: exit status 2");
}

TEST_CASE("lambda log tail keeps the last 4 KB, cut at a line boundary") {
  LogTail tail(4096);
  for (int i = 0; i < 200; ++i) tail.append("line " + std::to_string(i) + " " + std::string(40, 'x'));
  const std::string text = tail.text();
  CHECK(text.size() <= 4096);
  CHECK(text.size() > 4096 - 60);
  CHECK(text.rfind("line ", 0) == 0);                     // starts at a line's start
  CHECK(text.ends_with("line 199 " + std::string(40, 'x') + "\n"));
  LogTail small(16);
  small.append(std::string(100, 'a') + "END");            // one line longer than the bound
  CHECK(small.text() == std::string(12, 'a') + "END\n");
}

TEST_CASE("lambda exit reasons use Go's signal wording, as AWS prints it") {
  CHECK(exit_reason(2, 0) == "Runtime exited with error: exit status 2");
  CHECK(exit_reason(0, 0) == "Runtime exited without providing a reason");
  CHECK(exit_reason(-1, 9) == "Runtime exited with error: signal: killed");
  CHECK(exit_reason(-1, 6) == "Runtime exited with error: signal: aborted");
  CHECK(exit_reason(-1, 11) == "Runtime exited with error: signal: segmentation fault");
  CHECK(exit_reason(-1, 15) == "Runtime exited with error: signal: terminated");
  CHECK(signal_description(40) == "signal 40");
}

TEST_CASE("lambda error JSON bodies") {
  CHECK(platform_error_json("Runtime.ExitError", "r", "Runtime exited with error: exit status 2") ==
        R"({"errorType":"Runtime.ExitError","errorMessage":"RequestId: r Error: Runtime exited with error: exit status 2"})");
  CHECK(response_too_large_json(6291556) ==
        R"({"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes)."})");
  CHECK(error_json("T", "quote \" and \n") == R"({"errorType":"T","errorMessage":"quote \" and \n"})");
  CHECK(missing_bootstrap_reason({"/var/task/bootstrap", "/opt/bootstrap"}) ==
        "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
  CHECK(exec_failure_reason("/code/bootstrap", "permission denied") ==
        "fork/exec /code/bootstrap: permission denied");
}

TEST_CASE("lambda runtime-reported errors: the body passes through; its errorType wins") {
  const std::string body = R"({"errorMessage":"boom","errorType":"MyError","stackTrace":[]})";
  CHECK(reported_error_payload("Runtime.Header", body, "Unhandled") == body);
  CHECK(reported_error_type("Runtime.Header", body, "Unhandled") == "MyError");
  CHECK(reported_error_type("Runtime.Header", "not json", "Unhandled") == "Runtime.Header");
  CHECK(reported_error_payload("Runtime.Header", "not json", "Unhandled") == "not json");
  CHECK(reported_error_type("", "", "Unhandled") == "Unhandled");
  CHECK(reported_error_payload("", "", "Unhandled") == R"({"errorType":"Unhandled","errorMessage":""})");
  CHECK(reported_error_payload("Runtime.NoSuchHandler", "", "Unhandled") ==
        R"({"errorType":"Runtime.NoSuchHandler","errorMessage":""})");
}

TEST_CASE("lambda function names: bare, partial ARN, full ARN, qualifiers") {
  auto r = parse_function_ref("my-fn_1");
  REQUIRE(r);
  CHECK(r->name == "my-fn_1");
  CHECK(r->qualifier.empty());
  r = parse_function_ref("my-fn:$LATEST");
  REQUIRE(r);
  CHECK(r->qualifier == "$LATEST");
  r = parse_function_ref("123456789012:function:my-fn");
  REQUIRE(r);
  CHECK(r->account == "123456789012");
  CHECK(r->name == "my-fn");
  r = parse_function_ref("arn:aws:lambda:eu-west-1:123456789012:function:my-fn:prod");
  REQUIRE(r);
  CHECK(r->region == "eu-west-1");
  CHECK(r->qualifier == "prod");
  CHECK_FALSE(parse_function_ref(""));
  CHECK_FALSE(parse_function_ref("my-fn:"));
  CHECK_FALSE(parse_function_ref("bad name"));
  CHECK_FALSE(parse_function_ref("12345:function:my-fn"));
  CHECK_FALSE(parse_function_ref("arn:aws:s3:eu-west-1:123456789012:function:my-fn"));
  CHECK_FALSE(parse_function_ref(std::string(65, 'a')));
  CHECK(function_arn("us-east-1", "000000000000", "f") == "arn:aws:lambda:us-east-1:000000000000:function:f");
}

TEST_CASE("lambda trace ids have X-Ray's shape and come from the seeded IdGen") {
  slipway::core::IdGen a(slipway::core::Rng(7));
  slipway::core::IdGen b(slipway::core::Rng(7));
  const std::string t = make_trace_id(1'700'000'000LL * kUsPerSecond, a);
  CHECK(t == make_trace_id(1'700'000'000LL * kUsPerSecond, b));
  CHECK(t.rfind("Root=1-6553f100-", 0) == 0);
  CHECK(t.size() == std::string("Root=1-6553f100-").size() + 24 + std::string(";Parent=").size() + 16 +
                        std::string(";Sampled=0").size());
  CHECK(t.ends_with(";Sampled=0"));
}
