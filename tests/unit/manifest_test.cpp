// The manifest loader: every rule, its JSON path and its message; defaults; the fixtures.
#include "app/manifest.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using slipway::app::load_manifest;
using slipway::app::Manifest;
using slipway::app::manifest_state_json;
using slipway::app::ManifestProblems;
using slipway::app::ManifestResult;
using slipway::app::parse_manifest;

constexpr const char* kBase = "/srv/pipeline";

ManifestResult parse(const std::string& text, const std::string& base_dir = kBase) {
  return parse_manifest(text, "slipway.json", base_dir);
}

std::string dump(const ManifestProblems& problems) {
  std::string out;
  for (const auto& p : problems) out += "  " + p + "\n";
  return out;
}

// The manifest, failing the test (and listing the problems) if it has any.
Manifest valid(const std::string& text, const std::string& base_dir = kBase) {
  ManifestResult r = parse(text, base_dir);
  if (const auto* problems = std::get_if<ManifestProblems>(&r)) {
    FAIL_CHECK("unexpected problems:\n" << dump(*problems));
    return Manifest{};
  }
  return std::get<Manifest>(std::move(r));
}

ManifestProblems problems_of(const std::string& text) {
  ManifestResult r = parse(text);
  if (const auto* problems = std::get_if<ManifestProblems>(&r)) return *problems;
  return {};
}

// True when some problem reads "slipway.json: <path>: ...<fragment>...".
bool reports(const std::string& text, const std::string& path, const std::string& fragment) {
  const ManifestProblems problems = problems_of(text);
  const std::string head = "slipway.json: " + path + ": ";
  const bool found = std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
    return p.starts_with(head) && p.find(fragment) != std::string::npos;
  });
  if (!found) MESSAGE("wanted " << head << "..." << fragment << "\ngot:\n" << dump(problems));
  return found;
}

// One function "f" with code, plus `props` (a JSON fragment starting with ',' or empty).
std::string function_with(const std::string& props, const std::string& extra = "") {
  return R"({"Functions": {"f": {"CodeUri": "code")" + props + "}}" + extra + "}";
}

std::string queue_with(const std::string& name, const std::string& props,
                       const std::string& extra = "") {
  return R"({"Queues": {")" + name + R"(": {)" + props + "}}" + extra + "}";
}

// A queue "q" (plus `more_queues`), a function "f" (Timeout 3) and one mapping with `props`.
std::string mapping_with(const std::string& props, const std::string& more_queues = "") {
  return R"({"Functions": {"f": {"CodeUri": "code"}},
             "Queues": {"q": {})" +
         more_queues + R"(},
             "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "q")" +
         props + "}]}";
}

// A bucket "bkt" notifying queue "q" / function "f" with the given configurations.
std::string bucket_with(const std::string& configurations, const std::string& queues = "") {
  return R"({"Functions": {"f": {"CodeUri": "code"}},
             "Queues": {"q": {})" +
         queues + R"(},
             "Buckets": {"bkt": {"NotificationConfiguration": {)" +
         configurations + "}}}}";
}

std::filesystem::path fixtures_dir() {
  if (const char* source = std::getenv("SLIPWAY_SOURCE_DIR")) {
    return std::filesystem::path(source) / "fixtures/manifests";
  }
  return std::filesystem::path(__FILE__).parent_path() / "../../fixtures/manifests";
}

}  // namespace

TEST_CASE("manifest: an empty manifest is a bare daemon") {
  for (const char* text : {"", "  \n\t", "{}", " { } \n"}) {
    CAPTURE(text);
    const Manifest m = valid(text);
    CHECK(m.functions.empty());
    CHECK(m.queues.empty());
    CHECK(m.buckets.empty());
    CHECK(m.event_source_mappings.empty());
    CHECK(m.settings.region == "us-east-1");
    CHECK(m.settings.account_id == "000000000000");
    CHECK(m.settings.concurrent_executions == 1000);
    CHECK(m.limits.name == "aws");
    CHECK(m.path == "slipway.json");
  }
}

TEST_CASE("manifest: invalid JSON is one problem naming line and column") {
  SUBCASE("a trailing comma on line 4") {
    const ManifestProblems p = problems_of("{\n  \"Functions\": {\n    \"a\": 1,\n  }\n}\n");
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with("slipway.json: line 4, column 3 (offset 33): invalid JSON: "));
  }
  SUBCASE("an error on line 1") {
    const ManifestProblems p = problems_of("{\"Settings\" 1}");
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with("slipway.json: line 1, column 13 (offset 12): invalid JSON: "));
  }
  SUBCASE("trailing garbage and truncation") {
    CHECK(problems_of("{} {}").size() == 1);
    CHECK(problems_of("{\"Functions\": {").size() == 1);
  }
  SUBCASE("invalid UTF-8") {
    const ManifestProblems p = problems_of("{\"Functions\": {\"\xff\": {}}}");
    REQUIRE(p.size() == 1);
    CHECK(p[0].find("invalid JSON") != std::string::npos);
  }
  SUBCASE("the top level must be an object") {
    CHECK(reports("[]", "(top level)", "expected an object, got an array"));
    CHECK(reports("42", "(top level)", "expected an object, got an integer"));
  }
}

TEST_CASE("manifest: unknown and repeated properties") {
  SUBCASE("top level, listing what is allowed") {
    CHECK(reports(R"({"Function": {}})", "Function",
                  "unknown property; expected one of: Settings, Functions, Queues, Buckets, "
                  "EventSourceMappings"));
  }
  SUBCASE("a case typo gets a hint") {
    CHECK(reports(R"({"functions": {}})", "functions", "(did you mean Functions?)"));
    CHECK(reports(function_with(R"(, "Memorysize": 256)"), "Functions.f.Memorysize",
                  "did you mean MemorySize?"));
  }
  SUBCASE("nested") {
    CHECK(reports(function_with(R"(, "Runtime": "python3.12")"), "Functions.f.Runtime",
                  "unknown property; expected one of: Handler, CodeUri, Command, MemorySize"));
    CHECK(reports(queue_with("q", R"("VisibilityTimeoutSeconds": 5)"),
                  "Queues.q.VisibilityTimeoutSeconds", "expected one of: FifoQueue,"));
    CHECK(reports(R"({"Settings": {"Profile": "aws"}})", "Settings.Profile",
                  "expected one of: Region, AccountId, ConcurrentExecutions, LimitsProfile, "
                  "AllowLargeMemory"));
    CHECK(reports(bucket_with(R"("TopicConfigurations": [])"),
                  "Buckets.bkt.NotificationConfiguration.TopicConfigurations",
                  "expected one of: QueueConfigurations, LambdaFunctionConfigurations"));
  }
  SUBCASE("repeated names (RapidJSON keeps both)") {
    CHECK(reports(function_with(R"(, "Timeout": 3, "Timeout": 4)"), "Functions.f.Timeout",
                  "duplicate property"));
    CHECK(reports(R"({"Queues": {"q": {}, "q": {}}})", "Queues.q", "duplicate property"));
  }
  SUBCASE("sections must have the right type") {
    CHECK(reports(R"({"Functions": []})", "Functions", "expected an object, got an array"));
    CHECK(reports(R"({"Queues": "q"})", "Queues", "expected an object, got a string"));
    CHECK(reports(R"({"Buckets": null})", "Buckets", "expected an object, got null"));
    CHECK(reports(R"({"EventSourceMappings": {}})", "EventSourceMappings",
                  "expected an array, got an object"));
    CHECK(reports(R"({"Settings": true})", "Settings", "expected an object, got a boolean"));
  }
}

TEST_CASE("manifest: Settings") {
  SUBCASE("values are read") {
    const Manifest m = valid(R"({"Settings": {"Region": "eu-west-1", "AccountId": "123456789012",
                                              "ConcurrentExecutions": 2000}})");
    CHECK(m.settings.region == "eu-west-1");
    CHECK(m.settings.account_id == "123456789012");
    CHECK(m.settings.concurrent_executions == 2000);
    CHECK(m.limits.lambda.account_concurrency_default == 2000);
    CHECK(valid(R"({"Settings": {"Region": "us-gov-west-1"}})").settings.region == "us-gov-west-1");
    CHECK(valid(R"({"Settings": {"Region": "ap-southeast-2"}})").settings.region ==
          "ap-southeast-2");
  }
  SUBCASE("Region") {
    for (const char* bad : {"US-EAST-1", "us-east", "useast-1", "us-east-12", "u-east-1", "us--1",
                            "us-east-1-", ""}) {
      CAPTURE(bad);
      CHECK(reports(std::string(R"({"Settings": {"Region": ")") + bad + "\"}}", "Settings.Region",
                    "is not a region: expected a name like us-east-1"));
    }
    CHECK(reports(R"({"Settings": {"Region": 1}})", "Settings.Region",
                  "expected a string, got an integer"));
  }
  SUBCASE("AccountId") {
    for (const char* bad : {"12345678901", "1234567890123", "12345678901a"}) {
      CAPTURE(bad);
      CHECK(reports(std::string(R"({"Settings": {"AccountId": ")") + bad + "\"}}",
                    "Settings.AccountId", "expected exactly 12 digits"));
    }
    CHECK(reports(R"({"Settings": {"AccountId": 123456789012}})", "Settings.AccountId",
                  "expected a string"));
  }
  SUBCASE("ConcurrentExecutions") {
    CHECK(valid(R"({"Settings": {"ConcurrentExecutions": 100}})").settings.concurrent_executions ==
          100);
    CHECK(reports(R"({"Settings": {"ConcurrentExecutions": 99}})", "Settings.ConcurrentExecutions",
                  "99 is out of range: expected an integer from 100 to 100000"));
    CHECK(reports(R"({"Settings": {"ConcurrentExecutions": 100001}})",
                  "Settings.ConcurrentExecutions", "from 100 to 100000"));
    CHECK(reports(R"({"Settings": {"ConcurrentExecutions": 1000.5}})",
                  "Settings.ConcurrentExecutions", "expected an integer, got a decimal number"));
    CHECK(reports(R"({"Settings": {"ConcurrentExecutions": 99999999999999999999}})",
                  "Settings.ConcurrentExecutions", "expected an integer"));
    CHECK(reports(R"({"Settings": {"ConcurrentExecutions": 18446744073709551615}})",
                  "Settings.ConcurrentExecutions",
                  "18446744073709551615 is out of range: expected an integer from 100 to 100000"));
  }
  SUBCASE("LimitsProfile classic changes the SQS and async limits") {
    const Manifest m = valid(R"({"Settings": {"LimitsProfile": "classic"}, "Queues": {"q": {}}})");
    CHECK(m.settings.limits_profile == "classic");
    CHECK(m.limits.name == "classic");
    CHECK(m.limits.sqs.message_bytes_max == 262144);
    CHECK(m.limits.lambda.async_request_bytes_max == 262144);
    REQUIRE(m.queues.size() == 1);
    CHECK(m.queues[0].maximum_message_bytes == 262144);
    // The profile is applied before the queues are read, whatever the key order.
    CHECK(reports(R"({"Queues": {"q": {"MaximumMessageSize": 262145}},
                      "Settings": {"LimitsProfile": "classic"}})",
                  "Queues.q.MaximumMessageSize",
                  "262145 is out of range: expected an integer from 1024 to 262144 (bytes)"));
    CHECK(valid(R"({"Settings": {"LimitsProfile": "aws"}, "Queues": {"q": {}}})")
              .queues[0]
              .maximum_message_bytes == 1048576);
  }
  SUBCASE("LimitsProfile must be known") {
    CHECK(reports(R"({"Settings": {"LimitsProfile": "relaxed"}})", "Settings.LimitsProfile",
                  "'relaxed' is not a limits profile: expected \"aws\" or \"classic\""));
  }
  SUBCASE("AllowLargeMemory raises MemorySize's ceiling to 10240") {
    const Manifest m = valid(R"({"Settings": {"AllowLargeMemory": true},
                                 "Functions": {"f": {"CodeUri": "c", "MemorySize": 10240}}})");
    CHECK(m.settings.allow_large_memory);
    CHECK(m.limits.lambda.memory_mb_max == 10240);
    CHECK(m.functions[0].memory_mb == 10240);
    CHECK(reports(R"({"Settings": {"AllowLargeMemory": true},
                      "Functions": {"f": {"CodeUri": "c", "MemorySize": 10241}}})",
                  "Functions.f.MemorySize",
                  "10241 is out of range: expected an integer from 128 to 10240 (MB)"));
    CHECK(reports(R"({"Settings": {"AllowLargeMemory": "yes"}})", "Settings.AllowLargeMemory",
                  "expected a boolean (true or false), got a string"));
  }
}

TEST_CASE("manifest: Functions") {
  SUBCASE("defaults") {
    const Manifest m = valid(function_with(""));
    REQUIRE(m.functions.size() == 1);
    const auto& f = m.functions[0];
    CHECK(f.name == "f");
    CHECK(f.handler.empty());
    CHECK(f.memory_mb == 128);
    CHECK(f.timeout_s == 3);
    CHECK_FALSE(f.reserved_concurrency.has_value());
    CHECK(f.environment.empty());
    CHECK(f.event_invoke.maximum_retry_attempts == 2);
    CHECK(f.event_invoke.maximum_event_age_s == 21600);
    CHECK_FALSE(f.event_invoke.on_success.has_value());
  }
  SUBCASE("values") {
    const Manifest m = valid(function_with(
        R"(, "Handler": "app.handler", "MemorySize": 3008, "Timeout": 900,
             "ReservedConcurrentExecutions": 0)"));
    const auto& f = m.functions[0];
    CHECK(f.handler == "app.handler");
    CHECK(f.memory_mb == 3008);
    CHECK(f.timeout_s == 900);
    CHECK(f.reserved_concurrency == 0);
  }
  SUBCASE("MemorySize") {
    CHECK(reports(function_with(R"(, "MemorySize": 5000)"), "Functions.f.MemorySize",
                  "5000 is out of range: expected an integer from 128 to 3008 (MB); AWS now "
                  "allows up to 10240 MB: set Settings.AllowLargeMemory to true"));
    CHECK(reports(function_with(R"(, "MemorySize": 127)"), "Functions.f.MemorySize",
                  "127 is out of range: expected an integer from 128 to 3008 (MB)"));
    const ManifestProblems over = problems_of(function_with(R"(, "MemorySize": 10241)"));
    REQUIRE(over.size() == 1);
    CHECK(over[0] ==
          "slipway.json: Functions.f.MemorySize: 10241 is out of range: expected an "
          "integer from 128 to 3008 (MB)");
    CHECK(reports(function_with(R"(, "MemorySize": "256")"), "Functions.f.MemorySize",
                  "expected an integer, got a string"));
    CHECK(reports(function_with(R"(, "MemorySize": 256.0)"), "Functions.f.MemorySize",
                  "expected an integer, got a decimal number"));
  }
  SUBCASE("Timeout") {
    CHECK(reports(function_with(R"(, "Timeout": 0)"), "Functions.f.Timeout",
                  "0 is out of range: expected an integer from 1 to 900 (seconds)"));
    CHECK(reports(function_with(R"(, "Timeout": 901)"), "Functions.f.Timeout",
                  "901 is out of range: expected an integer from 1 to 900 (seconds)"));
    CHECK(reports(function_with(R"(, "Timeout": null)"), "Functions.f.Timeout",
                  "expected an integer, got null"));
  }
  SUBCASE("ReservedConcurrentExecutions") {
    CHECK(reports(function_with(R"(, "ReservedConcurrentExecutions": -1)"),
                  "Functions.f.ReservedConcurrentExecutions",
                  "-1 is out of range: expected an integer of at least 0"));
  }
  SUBCASE("Handler") {
    CHECK(reports(function_with(R"(, "Handler": ["a"])"), "Functions.f.Handler",
                  "expected a string, got an array"));
  }
  SUBCASE("names") {
    CHECK(reports(R"({"Functions": {"bad name": {"CodeUri": "c"}}})", "Functions.bad name",
                  "invalid function name: expected 1 to 64 characters of letters, digits, '-' "
                  "and '_'"));
    CHECK(
        reports(R"({"Functions": {"": {"CodeUri": "c"}}})", "Functions.", "invalid function name"));
    const std::string long_name(65, 'a');
    CHECK(reports(R"({"Functions": {")" + long_name + R"(": {"CodeUri": "c"}}})",
                  "Functions." + long_name, "invalid function name"));
    CHECK(valid(R"({"Functions": {")" + std::string(64, 'a') + R"(": {"CodeUri": "c"}}})")
              .functions.size() == 1);
    CHECK(valid(R"({"Functions": {"My_Func-2": {"CodeUri": "c"}}})").functions[0].name ==
          "My_Func-2");
  }
  SUBCASE("a function must be an object") {
    CHECK(reports(R"({"Functions": {"f": "code"}})", "Functions.f",
                  "expected an object, got a string"));
  }
  SUBCASE("CodeUri, Command or both") {
    CHECK(reports(R"({"Functions": {"f": {}}})", "Functions.f",
                  "missing CodeUri or Command: expected a folder holding an executable bootstrap"));
    const Manifest both = valid(R"({"Functions": {"f": {"CodeUri": "c", "Command": ["x"]}}})", "/base");
    CHECK(both.functions[0].code_uri == "/base/c");
    CHECK(both.functions[0].command == std::vector<std::string>{"x"});
  }
  SUBCASE("Command") {
    const Manifest m = valid(R"({"Functions": {"f": {"Command": ["python3", "-u", "app.py"]}}})");
    CHECK(m.functions[0].command == std::vector<std::string>{"python3", "-u", "app.py"});
    CHECK_FALSE(m.functions[0].code_uri.empty());  // the manifest's folder is the task root
    CHECK(reports(R"({"Functions": {"f": {"Command": []}}})", "Functions.f.Command",
                  "expected a non-empty array"));
    CHECK(reports(R"({"Functions": {"f": {"Command": ["python3", ""]}}})", "Functions.f.Command[1]",
                  "expected a non-empty string"));
    CHECK(reports(R"({"Functions": {"f": {"Command": ["python3", 3]}}})", "Functions.f.Command[1]",
                  "expected a string, got an integer"));
    CHECK(reports(R"({"Functions": {"f": {"Command": "python3 app.py"}}})", "Functions.f.Command",
                  "expected an array, got a string"));
  }
}

TEST_CASE("manifest: CodeUri resolves against the manifest folder") {
  auto code_uri = [](const std::string& uri, const std::string& base) {
    const Manifest m = valid(R"({"Functions": {"f": {"CodeUri": ")" + uri + "\"}}}", base);
    return m.functions.empty() ? std::string() : m.functions[0].code_uri;
  };
  CHECK(code_uri("../functions/echo", "/srv/pipeline/config") == "/srv/pipeline/functions/echo");
  CHECK(code_uri("./code/", "/srv/pipeline") == "/srv/pipeline/code");
  CHECK(code_uri("code", "/srv/pipeline/") == "/srv/pipeline/code");
  CHECK(code_uri("/opt/fn/../echo", "/srv/pipeline") == "/opt/echo");
  SUBCASE("a relative base folder still yields an absolute path") {
    const std::string resolved = code_uri("code", "config");
    CHECK(std::filesystem::path(resolved).is_absolute());
    CHECK(resolved.ends_with("/config/code"));
  }
  SUBCASE("existence is not checked (a missing bootstrap is an invoke-time error)") {
    CHECK(code_uri("does/not/exist", "/nonexistent") == "/nonexistent/does/not/exist");
  }
  SUBCASE("only local folders") {
    CHECK(reports(R"({"Functions": {"f": {"CodeUri": "s3://bucket/code.zip"}}})",
                  "Functions.f.CodeUri", "expected a local folder path"));
    CHECK(reports(R"({"Functions": {"f": {"CodeUri": ""}}})", "Functions.f.CodeUri",
                  "expected a local folder path"));
    CHECK(reports(R"({"Functions": {"f": {"CodeUri": 7}}})", "Functions.f.CodeUri",
                  "expected a string, got an integer"));
  }
}

TEST_CASE("manifest: Environment") {
  SUBCASE("variables are read") {
    const Manifest m =
        valid(function_with(R"(, "Environment": {"Variables": {"TABLE": "t1", "a_1": ""}})"));
    CHECK(m.functions[0].environment ==
          std::map<std::string, std::string>{{"TABLE", "t1"}, {"a_1", ""}});
  }
  SUBCASE("names: a letter, then one or more letters, digits or '_'") {
    for (const char* bad : {"1ABC", "A", "MY-VAR", "MY VAR", "_PRIVATE"}) {
      CAPTURE(bad);
      CHECK(reports(
          function_with(std::string(R"(, "Environment": {"Variables": {")") + bad + R"(": "x"}})"),
          std::string("Functions.f.Environment.Variables.") + bad,
          "is not a valid environment variable name: expected a letter, then one or "
          "more letters, digits or '_'"));
    }
  }
  SUBCASE("reserved keys, with AWS's wording") {
    for (const char* key : {"AWS_REGION", "_HANDLER", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
                            "AWS_SESSION_TOKEN", "_X_AMZN_TRACE_ID"}) {
      CAPTURE(key);
      CHECK(reports(
          function_with(std::string(R"(, "Environment": {"Variables": {")") + key + R"(": "x"}})"),
          std::string("Functions.f.Environment.Variables.") + key,
          std::string("contains reserved keys that are currently not supported for "
                      "modification. Reserved keys used in this request: ") +
              key));
    }
  }
  SUBCASE("values are strings") {
    CHECK(reports(function_with(R"(, "Environment": {"Variables": {"PORT": 8080}})"),
                  "Functions.f.Environment.Variables.PORT", "expected a string, got an integer"));
  }
  SUBCASE("keys plus values at most 4096 bytes") {
    auto env = [](std::size_t value_bytes) {  // key "AB" is 2 bytes
      return function_with(R"(, "Environment": {"Variables": {"AB": ")" +
                           std::string(value_bytes, 'x') + R"("}})");
    };
    CHECK(valid(env(4094)).functions.size() == 1);
    CHECK(reports(env(4095), "Functions.f.Environment.Variables",
                  "exceeded the 4KB limit. (Keys and values total 4097 bytes; at most 4096.)"));
  }
  SUBCASE("shape") {
    CHECK(reports(function_with(R"(, "Environment": {"Vars": {}})"), "Functions.f.Environment.Vars",
                  "expected one of: Variables"));
    CHECK(reports(function_with(R"(, "Environment": {"Variables": []})"),
                  "Functions.f.Environment.Variables", "expected an object, got an array"));
  }
}

TEST_CASE("manifest: EventInvokeConfig") {
  const std::string queue = R"(, "Queues": {"dlq": {}, "both": {}})";
  const std::string functions = R"(, "g": {"CodeUri": "c"}, "both": {"CodeUri": "c"})";
  auto invoke = [&](const std::string& config) {
    return R"({"Functions": {"f": {"CodeUri": "code", "EventInvokeConfig": )" + config + "}" +
           functions + "}" + queue + "}";
  };
  auto on_failure = [&](const std::string& destination) {
    return invoke(R"({"DestinationConfig": {"OnFailure": {"Destination": ")" + destination +
                  "\"}}}");
  };
  SUBCASE("values and destinations") {
    const Manifest m = valid(invoke(R"({"MaximumRetryAttempts": 0,
        "MaximumEventAgeInSeconds": 60, "DestinationConfig": {
          "OnSuccess": {"Destination": "arn:aws:lambda:us-east-1:000000000000:function:g"},
          "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:dlq"}}})"));
    const auto& c = m.functions[0].event_invoke;
    CHECK(c.maximum_retry_attempts == 0);
    CHECK(c.maximum_event_age_s == 60);
    REQUIRE(c.on_success.has_value());
    CHECK(c.on_success->type == "function");
    CHECK(c.on_success->name == "g");
    REQUIRE(c.on_failure.has_value());
    CHECK(c.on_failure->type == "queue");
    CHECK(c.on_failure->name == "dlq");
  }
  SUBCASE("a plain name that is unambiguous") {
    CHECK(valid(on_failure("dlq")).functions[0].event_invoke.on_failure->type == "queue");
    CHECK(valid(on_failure("g")).functions[0].event_invoke.on_failure->type == "function");
    CHECK(reports(on_failure("both"),
                  "Functions.f.EventInvokeConfig.DestinationConfig.OnFailure.Destination",
                  "'both' names both a queue and a function: use its ARN"));
  }
  SUBCASE("ranges") {
    CHECK(reports(invoke(R"({"MaximumRetryAttempts": 3})"),
                  "Functions.f.EventInvokeConfig.MaximumRetryAttempts",
                  "3 is out of range: expected an integer from 0 to 2"));
    CHECK(reports(invoke(R"({"MaximumEventAgeInSeconds": 59})"),
                  "Functions.f.EventInvokeConfig.MaximumEventAgeInSeconds",
                  "59 is out of range: expected an integer from 60 to 21600 (seconds)"));
    CHECK(reports(invoke(R"({"MaximumEventAgeInSeconds": 21601})"),
                  "Functions.f.EventInvokeConfig.MaximumEventAgeInSeconds", "from 60 to 21600"));
  }
  SUBCASE("destinations must exist, in this region and account") {
    const std::string path =
        "Functions.f.EventInvokeConfig.DestinationConfig.OnFailure.Destination";
    CHECK(reports(on_failure("nothing"), path,
                  "no queue or function named 'nothing' in this manifest"));
    CHECK(reports(on_failure("arn:aws:sqs:us-east-1:000000000000:nothing"), path,
                  "no queue named 'nothing' in this manifest's Queues"));
    CHECK(reports(on_failure("arn:aws:lambda:us-east-1:000000000000:function:nothing"), path,
                  "no function named 'nothing' in this manifest's Functions"));
    CHECK(reports(on_failure("arn:aws:sqs:eu-west-1:000000000000:dlq"), path,
                  "the ARN's region 'eu-west-1' is not this manifest's: expected us-east-1 "
                  "(Settings.Region)"));
    CHECK(reports(on_failure("arn:aws:sqs:us-east-1:111111111111:dlq"), path,
                  "the ARN's account '111111111111' is not this manifest's: expected "
                  "000000000000 (Settings.AccountId)"));
    CHECK(reports(on_failure("arn:aws:sns:us-east-1:000000000000:topic"), path,
                  "no queue or function named 'arn:aws:sns:us-east-1:000000000000:topic'"));
    CHECK(reports(on_failure("arn:aws:lambda:us-east-1:000000000000:function:g:live"), path,
                  "is not a Lambda function ARN: expected a function name or a Lambda function "
                  "ARN (arn:aws:lambda:us-east-1:000000000000:function:<name>)"));
  }
  SUBCASE("shape") {
    CHECK(reports(invoke(R"({"DestinationConfig": {"OnFailure": {}}})"),
                  "Functions.f.EventInvokeConfig.DestinationConfig.OnFailure",
                  "missing required property Destination"));
    CHECK(reports(invoke(R"({"DestinationConfig": {"OnError": {}}})"),
                  "Functions.f.EventInvokeConfig.DestinationConfig.OnError",
                  "expected one of: OnSuccess, OnFailure"));
    CHECK(reports(invoke(R"({"DestinationConfig": {"OnFailure": {"Destination": 1}}})"),
                  "Functions.f.EventInvokeConfig.DestinationConfig.OnFailure.Destination",
                  "expected a string, got an integer"));
  }
}

TEST_CASE("manifest: reservations leave 100 unreserved") {
  auto reserve = [](int a, int b, int pool = 1000) {
    return R"({"Settings": {"ConcurrentExecutions": )" + std::to_string(pool) + R"(},
               "Functions": {"a": {"CodeUri": "c", "ReservedConcurrentExecutions": )" +
           std::to_string(a) + R"(}, "b": {"CodeUri": "c", "ReservedConcurrentExecutions": )" +
           std::to_string(b) + "}}}";
  };
  SUBCASE("900 of 1000 is the most") {
    CHECK(valid(reserve(900, 0)).functions[0].reserved_concurrency == 900);
    CHECK(valid(reserve(450, 450)).functions.size() == 2);
    const ManifestProblems p = problems_of(reserve(901, 0));
    REQUIRE(p.size() == 1);
    CHECK(
        p[0].starts_with("slipway.json: Functions.a.ReservedConcurrentExecutions: Specified "
                         "ReservedConcurrentExecutions for function decreases account's "
                         "UnreservedConcurrentExecution below its minimum value of [100]."));
  }
  SUBCASE("the function that crosses the line is the one reported") {
    const ManifestProblems p = problems_of(reserve(500, 401));
    REQUIRE(p.size() == 1);
    CHECK(reports(reserve(500, 401), "Functions.b.ReservedConcurrentExecutions",
                  "below its minimum value of [100]. (Settings.ConcurrentExecutions is 1000 and "
                  "functions before this one reserve 500, so at most 400 can be reserved here.)"));
  }
  SUBCASE("each refused function reserves nothing, as with PutFunctionConcurrency") {
    const ManifestProblems p = problems_of(reserve(950, 900));
    CHECK(p.size() == 1);  // a is refused; b's 900 then fits
    CHECK(reports(reserve(950, 900), "Functions.a.ReservedConcurrentExecutions", "[100]"));
  }
  SUBCASE("a larger pool") {
    CHECK(valid(reserve(1900, 0, 2000)).functions.size() == 2);
    CHECK(reports(reserve(1901, 0, 2000), "Functions.a.ReservedConcurrentExecutions",
                  "minimum value of [100]"));
  }
}

TEST_CASE("manifest: Queues") {
  SUBCASE("defaults from the limits profile") {
    const Manifest m = valid(queue_with("q", ""));
    REQUIRE(m.queues.size() == 1);
    const auto& q = m.queues[0];
    CHECK(q.name == "q");
    CHECK_FALSE(q.fifo);
    CHECK(q.visibility_timeout_s == 30);
    CHECK(q.message_retention_s == 345600);
    CHECK(q.delay_s == 0);
    CHECK(q.maximum_message_bytes == 1048576);
    CHECK(q.receive_wait_s == 0);
    CHECK_FALSE(q.redrive_policy.has_value());
    CHECK(q.tags.empty());
  }
  SUBCASE("values") {
    const Manifest m = valid(queue_with("q", R"("VisibilityTimeout": 43200,
        "MessageRetentionPeriod": 60, "DelaySeconds": 900, "MaximumMessageSize": 1024,
        "ReceiveMessageWaitTimeSeconds": 20)"));
    const auto& q = m.queues[0];
    CHECK(q.visibility_timeout_s == 43200);
    CHECK(q.message_retention_s == 60);
    CHECK(q.delay_s == 900);
    CHECK(q.maximum_message_bytes == 1024);
    CHECK(q.receive_wait_s == 20);
  }
  SUBCASE("ranges") {
    CHECK(reports(queue_with("q", R"("VisibilityTimeout": 43201)"), "Queues.q.VisibilityTimeout",
                  "43201 is out of range: expected an integer from 0 to 43200 (seconds)"));
    CHECK(reports(queue_with("q", R"("VisibilityTimeout": -1)"), "Queues.q.VisibilityTimeout",
                  "from 0 to 43200"));
    CHECK(reports(queue_with("q", R"("MessageRetentionPeriod": 59)"),
                  "Queues.q.MessageRetentionPeriod",
                  "59 is out of range: expected an integer from 60 to 1209600 (seconds)"));
    CHECK(reports(queue_with("q", R"("DelaySeconds": 901)"), "Queues.q.DelaySeconds",
                  "901 is out of range: expected an integer from 0 to 900 (seconds)"));
    CHECK(reports(queue_with("q", R"("MaximumMessageSize": 1023)"), "Queues.q.MaximumMessageSize",
                  "1023 is out of range: expected an integer from 1024 to 1048576 (bytes)"));
    CHECK(reports(queue_with("q", R"("ReceiveMessageWaitTimeSeconds": 21)"),
                  "Queues.q.ReceiveMessageWaitTimeSeconds",
                  "21 is out of range: expected an integer from 0 to 20 (seconds)"));
    CHECK(reports(queue_with("q", R"("FifoQueue": "true")"), "Queues.q.FifoQueue",
                  "expected a boolean (true or false), got a string"));
  }
  SUBCASE("names") {
    CHECK(reports(queue_with("bad name", ""), "Queues.bad name",
                  "invalid queue name: expected 1 to 80 characters of letters, digits, '-' and "
                  "'_'"));
    CHECK(reports(queue_with(std::string(81, 'q'), ""), "Queues." + std::string(81, 'q'),
                  "invalid queue name"));
    CHECK(valid(queue_with(std::string(80, 'q'), "")).queues.size() == 1);
    CHECK(
        reports(queue_with(".fifo", R"("FifoQueue": true)"), "Queues..fifo", "invalid queue name"));
    CHECK(valid(queue_with(std::string(75, 'q') + ".fifo", R"("FifoQueue": true)")).queues.size() ==
          1);
    CHECK(reports(queue_with(std::string(76, 'q') + ".fifo", R"("FifoQueue": true)"),
                  "Queues." + std::string(76, 'q') + ".fifo", "invalid queue name"));
  }
  SUBCASE("FIFO: FifoQueue is true iff the name ends in .fifo") {
    const Manifest m =
        valid(queue_with("orders.fifo", R"("FifoQueue": true, "ContentBasedDeduplication": true)"));
    CHECK(m.queues[0].fifo);
    CHECK(m.queues[0].content_based_deduplication);
    CHECK(reports(queue_with("orders.fifo", ""), "Queues.orders.fifo",
                  "the name ends in .fifo, so the queue must set FifoQueue: true"));
    CHECK(reports(queue_with("orders.fifo", R"("FifoQueue": false)"), "Queues.orders.fifo",
                  "must set FifoQueue: true"));
    CHECK(reports(queue_with("orders", R"("FifoQueue": true)"), "Queues.orders.FifoQueue",
                  "a FIFO queue's name must end in .fifo: rename it to orders.fifo"));
    CHECK(reports(queue_with("orders", R"("ContentBasedDeduplication": false)"),
                  "Queues.orders.ContentBasedDeduplication",
                  "only a FIFO queue (FifoQueue: true) may set ContentBasedDeduplication"));
  }
  SUBCASE("Tags: an object or CloudFormation's Key/Value array") {
    CHECK(valid(queue_with("q", R"("Tags": {"team": "data", "env": ""})")).queues[0].tags ==
          std::map<std::string, std::string>{{"env", ""}, {"team", "data"}});
    CHECK(valid(queue_with("q", R"("Tags": [{"Key": "team", "Value": "data"}])")).queues[0].tags ==
          std::map<std::string, std::string>{{"team", "data"}});
    CHECK(reports(queue_with("q", R"("Tags": [{"Key": "team"}])"), "Queues.q.Tags[0]",
                  "missing required property Value"));
    CHECK(reports(
        queue_with("q", R"("Tags": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}])"),
        "Queues.q.Tags[1].Key", "duplicate tag key 'a'"));
    CHECK(reports(queue_with("q", R"("Tags": [{"Key": "a", "Value": 1}])"),
                  "Queues.q.Tags[0].Value", "expected a string, got an integer"));
    CHECK(reports(queue_with("q", R"("Tags": {"a": true})"), "Queues.q.Tags.a",
                  "expected a string, got a boolean"));
    CHECK(reports(queue_with("q", R"("Tags": {"": "x"})"), "Queues.q.Tags.",
                  "a tag key must not be empty"));
    CHECK(reports(queue_with("q", R"("Tags": "team=data")"), "Queues.q.Tags",
                  "expected an object of tag keys to values, or an array of"));
    std::string many = R"("Tags": {)";
    for (int i = 0; i < 51; ++i)
      many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\": \"v\"";
    CHECK(reports(queue_with("q", many + "}"), "Queues.q.Tags",
                  "51 tags: a queue may have at most 50"));
  }
}

TEST_CASE("manifest: RedrivePolicy") {
  auto redrive = [](const std::string& source, const std::string& target,
                    const std::string& count = "3", const std::string& more = "") {
    return R"({"Queues": {")" + source + R"(": {)" +
           (source.ends_with(".fifo") ? R"("FifoQueue": true, )" : "") +
           R"("RedrivePolicy": {"deadLetterTargetArn": ")" + target + R"(", "maxReceiveCount": )" +
           count + "}}" + more + "}}";
  };
  const std::string dlq = R"(, "dlq": {})";
  const std::string fifo_dlq = R"(, "dlq.fifo": {"FifoQueue": true})";
  SUBCASE("by ARN or by name") {
    for (const char* target : {"arn:aws:sqs:us-east-1:000000000000:dlq", "dlq"}) {
      CAPTURE(target);
      const Manifest m = valid(redrive("src", target, "3", dlq));
      REQUIRE(m.queues[0].redrive_policy.has_value());
      CHECK(m.queues[0].redrive_policy->dead_letter_queue == "dlq");
      CHECK(m.queues[0].redrive_policy->max_receive_count == 3);
    }
    CHECK(
        valid(redrive("src.fifo", "dlq.fifo", "1", fifo_dlq)).queues[0].redrive_policy.has_value());
  }
  SUBCASE("maxReceiveCount") {
    const std::string path = "Queues.src.RedrivePolicy.maxReceiveCount";
    CHECK(reports(redrive("src", "dlq", "0", dlq), path,
                  "0 is out of range: expected an integer from 1 to 1000"));
    CHECK(reports(redrive("src", "dlq", "1001", dlq), path, "from 1 to 1000"));
    CHECK(reports(
        R"({"Queues": {"src": {"RedrivePolicy": {"deadLetterTargetArn": "dlq"}}, "dlq": {}}})",
        "Queues.src.RedrivePolicy", "missing required property maxReceiveCount"));
  }
  SUBCASE("the DLQ must exist and not be the queue itself") {
    const std::string path = "Queues.src.RedrivePolicy.deadLetterTargetArn";
    CHECK(reports(redrive("src", "nope"), path, "no queue named 'nope' in this manifest's Queues"));
    CHECK(reports(redrive("src", "src"), path, "a queue cannot be its own dead-letter queue"));
    CHECK(reports(redrive("src", "arn:aws:sqs:us-east-1:000000000000:src"), path,
                  "a queue cannot be its own dead-letter queue"));
    CHECK(reports(redrive("src", "arn:aws:sqs:us-east-1:000000000000"), path,
                  "is not an SQS queue ARN: expected a queue name or an SQS queue ARN "
                  "(arn:aws:sqs:us-east-1:000000000000:<name>)"));
    CHECK(reports(redrive("src", "arn:aws:sqs:us-west-2:000000000000:dlq", "3", dlq), path,
                  "expected us-east-1 (Settings.Region)"));
    CHECK(reports(R"({"Queues": {"src": {"RedrivePolicy": {"maxReceiveCount": 3}}}})",
                  "Queues.src.RedrivePolicy", "missing required property deadLetterTargetArn"));
    CHECK(reports(R"({"Queues": {"src": {"RedrivePolicy": "dlq"}}})", "Queues.src.RedrivePolicy",
                  "expected an object, got a string"));
  }
  SUBCASE("the DLQ has the source's type") {
    const std::string path = "Queues.src.fifo.RedrivePolicy.deadLetterTargetArn";
    CHECK(reports(redrive("src.fifo", "dlq", "3", dlq), path,
                  "the dead-letter queue of a FIFO queue must also be a FIFO queue; 'dlq' is a "
                  "standard queue"));
    CHECK(reports(redrive("src", "dlq.fifo", "3", fifo_dlq),
                  "Queues.src.RedrivePolicy.deadLetterTargetArn",
                  "the dead-letter queue of a standard queue must also be a standard queue; "
                  "'dlq.fifo' is a FIFO queue"));
  }
  SUBCASE("a DLQ with its own problems is not checked again") {
    const ManifestProblems p =
        problems_of(redrive("src.fifo", "dlq", "3", R"(, "dlq": {"DelaySeconds": 1000})"));
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with("slipway.json: Queues.dlq.DelaySeconds: "));
  }
}

TEST_CASE("manifest: Buckets and notifications") {
  const std::string to_function =
      R"("LambdaFunctionConfigurations": [{"Id": "csv", "LambdaFunctionArn": "f",
          "Events": ["s3:ObjectCreated:*"],
          "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "in/"},
                                             {"Name": "suffix", "Value": ".csv"}]}}}])";
  SUBCASE("valid") {
    const Manifest m = valid(bucket_with(
        to_function +
        R"(, "QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:000000000000:q",
                           "Events": ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"]}])"));
    REQUIRE(m.buckets.size() == 1);
    const auto& b = m.buckets[0];
    CHECK(b.name == "bkt");
    REQUIRE(b.notifications.size() == 2);
    CHECK(b.notifications[0].destination.type == "queue");
    CHECK(b.notifications[0].destination.name == "q");
    CHECK(b.notifications[0].events.size() == 2);
    CHECK(b.notifications[1].id == "csv");
    CHECK(b.notifications[1].destination.type == "function");
    CHECK(b.notifications[1].destination.name == "f");
    CHECK(b.notifications[1].prefix == "in/");
    CHECK(b.notifications[1].suffix == ".csv");
    CHECK(valid(R"({"Buckets": {"my.bucket-1": {}}})").buckets.size() == 1);
  }
  SUBCASE("bucket names follow S3's rules") {
    for (const char* bad : {"ab", "Uploads", "up_loads", "-uploads", "uploads-", "up..loads",
                            "192.168.1.1", ".uploads"}) {
      CAPTURE(bad);
      CHECK(reports(std::string(R"({"Buckets": {")") + bad + R"(": {}}})",
                    std::string("Buckets.") + bad,
                    "invalid bucket name: expected 3 to 63 characters of lowercase letters"));
    }
    CHECK(reports(R"({"Buckets": {")" + std::string(64, 'b') + R"(": {}}})",
                  "Buckets." + std::string(64, 'b'), "invalid bucket name"));
    CHECK(valid(R"({"Buckets": {")" + std::string(63, 'b') + R"(": {}}})").buckets.size() == 1);
  }
  SUBCASE("events") {
    const std::string base = R"("QueueConfigurations": [{"QueueArn": "q", "Events": )";
    CHECK(reports(bucket_with(base + R"(["s3:ObjectCreated"]}])"),
                  "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0].Events[0]",
                  "'s3:ObjectCreated' is not a supported S3 event: expected one of: "
                  "s3:ObjectCreated:*, s3:ObjectCreated:Put"));
    CHECK(reports(bucket_with(base + "[]}]"),
                  "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0].Events",
                  "expected at least one event"));
    CHECK(reports(bucket_with(R"("QueueConfigurations": [{"QueueArn": "q"}])"),
                  "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0]",
                  "missing required property Events"));
    CHECK(valid(bucket_with(base + R"(["s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
        "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload"]}])"))
              .buckets.size() == 1);
  }
  SUBCASE("destinations exist and are standard queues or functions") {
    CHECK(reports(
        bucket_with(
            R"("QueueConfigurations": [{"QueueArn": "nope", "Events": ["s3:ObjectCreated:*"]}])"),
        "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0].QueueArn",
        "no queue named 'nope'"));
    CHECK(reports(
        bucket_with(
            R"("LambdaFunctionConfigurations": [{"LambdaFunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:nope", "Events": ["s3:ObjectCreated:*"]}])"),
        "Buckets.bkt.NotificationConfiguration.LambdaFunctionConfigurations[0].LambdaFunctionArn",
        "no function named 'nope'"));
    CHECK(reports(
        bucket_with(
            R"("QueueConfigurations": [{"QueueArn": "q.fifo", "Events": ["s3:ObjectCreated:*"]}])",
            R"(, "q.fifo": {"FifoQueue": true})"),
        "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0].QueueArn",
        "'q.fifo' is a FIFO queue: S3 event notifications can target only standard queues"));
    CHECK(reports(bucket_with(R"("QueueConfigurations": [{"Events": ["s3:ObjectCreated:*"]}])"),
                  "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0]",
                  "missing required property QueueArn"));
    CHECK(reports(
        bucket_with(
            R"("QueueConfigurations": [{"LambdaFunctionArn": "f", "QueueArn": "q", "Events": ["s3:ObjectCreated:*"]}])"),
        "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0].LambdaFunctionArn",
        "unknown property; expected one of: Id, QueueArn, Events, Filter"));
  }
  SUBCASE("filter rules") {
    auto rules = [](const std::string& list) {
      return bucket_with(
          R"("QueueConfigurations": [{"QueueArn": "q", "Events": ["s3:ObjectCreated:*"],
                             "Filter": {"Key": {"FilterRules": )" +
          list + "}}}]");
    };
    const std::string path =
        "Buckets.bkt.NotificationConfiguration.QueueConfigurations[0].Filter.Key.FilterRules";
    CHECK(reports(rules(R"([{"Name": "prefix", "Value": "a"}, {"Name": "PREFIX", "Value": "b"}])"),
                  path + "[1]", "Cannot specify more than one prefix rule in a filter."));
    CHECK(reports(rules(R"([{"Name": "suffix", "Value": "a"}, {"Name": "suffix", "Value": "b"}])"),
                  path + "[1]", "Cannot specify more than one suffix rule in a filter."));
    CHECK(reports(rules(R"([{"Name": "contains", "Value": "a"}])"), path + "[0].Name",
                  "'contains' is not a filter rule name: expected \"prefix\" or \"suffix\""));
    CHECK(
        reports(rules(R"([{"Name": "prefix"}])"), path + "[0]", "missing required property Value"));
    CHECK(reports(rules(R"({"Name": "prefix"})"), path, "expected an array, got an object"));
  }
  SUBCASE("configurations may not overlap") {
    auto two = [](const std::string& a, const std::string& b) {
      return bucket_with(R"("QueueConfigurations": [{"QueueArn": "q", )" + a +
                         R"(}], "LambdaFunctionConfigurations": [{"LambdaFunctionArn": "f", )" + b +
                         "}]");
    };
    auto filter = [](const std::string& name, const std::string& value) {
      return R"(, "Filter": {"Key": {"FilterRules": [{"Name": ")" + name + R"(", "Value": ")" +
             value + R"("}]}})";
    };
    const std::string created = R"("Events": ["s3:ObjectCreated:*"])";
    const std::string put = R"("Events": ["s3:ObjectCreated:Put"])";
    const std::string removed = R"("Events": ["s3:ObjectRemoved:*"])";
    const std::string path =
        "Buckets.bkt.NotificationConfiguration.LambdaFunctionConfigurations[0]";
    const std::string message =
        "Configurations overlap. Configurations on the same bucket cannot "
        "share a common event type.";
    CHECK(reports(two(created, created), path, message));
    CHECK(reports(two(created, put), path, message));
    CHECK(reports(two(created + filter("prefix", "in/"), put + filter("prefix", "in/csv/")), path,
                  message));
    CHECK(reports(two(created + filter("suffix", ".csv"), put), path, message));
    CHECK(valid(two(created, removed)).buckets[0].notifications.size() == 2);
    CHECK(valid(two(created + filter("suffix", ".csv"), created + filter("suffix", ".json")))
              .buckets.size() == 1);
    CHECK(
        valid(two(created + filter("prefix", "a/"), put + filter("prefix", "b/"))).buckets.size() ==
        1);
  }
}

TEST_CASE("manifest: EventSourceMappings") {
  SUBCASE("defaults") {
    const Manifest m = valid(mapping_with(""));
    REQUIRE(m.event_source_mappings.size() == 1);
    const auto& e = m.event_source_mappings[0];
    CHECK(e.function_name == "f");
    CHECK(e.queue_name == "q");
    CHECK(e.batch_size == 10);
    CHECK(e.maximum_batching_window_s == 0);
    CHECK(e.enabled);
    CHECK_FALSE(e.report_batch_item_failures);
    CHECK_FALSE(e.maximum_concurrency.has_value());
  }
  SUBCASE("values, by ARN") {
    const Manifest m = valid(R"({"Functions": {"f": {"CodeUri": "c"}}, "Queues": {"q": {}},
        "EventSourceMappings": [{
          "FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:f",
          "EventSourceArn": "arn:aws:sqs:us-east-1:000000000000:q",
          "BatchSize": 10000, "MaximumBatchingWindowInSeconds": 300, "Enabled": false,
          "FunctionResponseTypes": ["ReportBatchItemFailures"],
          "ScalingConfig": {"MaximumConcurrency": 1000}}]})");
    const auto& e = m.event_source_mappings[0];
    CHECK(e.function_name == "f");
    CHECK(e.queue_name == "q");
    CHECK(e.batch_size == 10000);
    CHECK(e.maximum_batching_window_s == 300);
    CHECK_FALSE(e.enabled);
    CHECK(e.report_batch_item_failures);
    CHECK(e.maximum_concurrency == 1000);
  }
  SUBCASE("ranges") {
    CHECK(reports(mapping_with(R"(, "BatchSize": 0)"), "EventSourceMappings[0].BatchSize",
                  "0 is out of range: expected an integer from 1 to 10000"));
    CHECK(reports(mapping_with(R"(, "BatchSize": 10001, "MaximumBatchingWindowInSeconds": 1)"),
                  "EventSourceMappings[0].BatchSize", "from 1 to 10000"));
    CHECK(reports(mapping_with(R"(, "MaximumBatchingWindowInSeconds": 301)"),
                  "EventSourceMappings[0].MaximumBatchingWindowInSeconds",
                  "301 is out of range: expected an integer from 0 to 300 (seconds)"));
    CHECK(reports(mapping_with(R"(, "ScalingConfig": {"MaximumConcurrency": 1})"),
                  "EventSourceMappings[0].ScalingConfig.MaximumConcurrency",
                  "1 is out of range: expected an integer from 2 to 1000"));
    CHECK(reports(mapping_with(R"(, "ScalingConfig": {"MaximumConcurrency": 1001})"),
                  "EventSourceMappings[0].ScalingConfig.MaximumConcurrency", "from 2 to 1000"));
    CHECK(reports(mapping_with(R"(, "Enabled": "no")"), "EventSourceMappings[0].Enabled",
                  "expected a boolean"));
  }
  SUBCASE("a batch over 10 needs a batching window") {
    CHECK(reports(mapping_with(R"(, "BatchSize": 11)"), "EventSourceMappings[0].BatchSize",
                  "Maximum batch window in seconds must be greater than 0 if maximum batch size "
                  "is greater than 10"));
    CHECK(valid(mapping_with(R"(, "BatchSize": 11, "MaximumBatchingWindowInSeconds": 1)"))
              .event_source_mappings[0]
              .batch_size == 11);
  }
  SUBCASE("FIFO queues: at most 10, no batching window") {
    auto fifo = [](const std::string& props) {
      return R"({"Functions": {"f": {"CodeUri": "c"}}, "Queues": {"q.fifo": {"FifoQueue": true}},
                 "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "q.fifo")" +
             props + "}]}";
    };
    CHECK(valid(fifo(R"(, "BatchSize": 10)")).event_source_mappings.size() == 1);
    CHECK(reports(fifo(R"(, "BatchSize": 11, "MaximumBatchingWindowInSeconds": 1)"),
                  "EventSourceMappings[0].BatchSize",
                  "11 is out of range: expected an integer from 1 to 10 (for a FIFO queue)"));
    CHECK(reports(fifo(R"(, "MaximumBatchingWindowInSeconds": 0)"),
                  "EventSourceMappings[0].MaximumBatchingWindowInSeconds",
                  "batching windows are not supported for FIFO queues"));
  }
  SUBCASE("references") {
    CHECK(reports(
        R"({"Queues": {"q": {}}, "EventSourceMappings": [{"FunctionName": "nope", "EventSourceArn": "q"}]})",
        "EventSourceMappings[0].FunctionName",
        "no function named 'nope' in this manifest's Functions"));
    CHECK(reports(
        R"({"Functions": {"f": {"CodeUri": "c"}}, "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "arn:aws:sqs:us-east-1:000000000000:orders"}]})",
        "EventSourceMappings[0].EventSourceArn",
        "no queue named 'orders' in this manifest's Queues"));
    CHECK(reports(
        R"({"Functions": {"f": {"CodeUri": "c"}}, "EventSourceMappings": [{"FunctionName": "f",
                      "EventSourceArn": "arn:aws:kinesis:us-east-1:000000000000:stream/s"}]})",
        "EventSourceMappings[0].EventSourceArn", "is not an SQS queue ARN"));
    CHECK(reports(R"({"EventSourceMappings": [{"EventSourceArn": "q"}]})", "EventSourceMappings[0]",
                  "missing required property FunctionName"));
    CHECK(reports(R"({"EventSourceMappings": [{"FunctionName": "f"}]})", "EventSourceMappings[0]",
                  "missing required property EventSourceArn"));
    CHECK(reports(R"({"EventSourceMappings": ["f"]})", "EventSourceMappings[0]",
                  "expected an object, got a string"));
  }
  SUBCASE("FunctionResponseTypes") {
    CHECK(reports(
        mapping_with(R"(, "FunctionResponseTypes": ["ReportItemFailures"])"),
        "EventSourceMappings[0].FunctionResponseTypes[0]",
        "'ReportItemFailures' is not a response type: expected \"ReportBatchItemFailures\""));
    CHECK(reports(mapping_with(R"(, "FunctionResponseTypes": "ReportBatchItemFailures")"),
                  "EventSourceMappings[0].FunctionResponseTypes", "expected an array"));
  }
  SUBCASE("the queue's visibility timeout covers the function's timeout") {
    const std::string slow = R"({"Functions": {"f": {"CodeUri": "c", "Timeout": 60}},
        "Queues": {"q": {}}, "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "q"}]})";
    CHECK(
        reports(slow, "EventSourceMappings[0].EventSourceArn",
                "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"));
  }
  SUBCASE("one mapping per queue and function") {
    CHECK(reports(R"({"Functions": {"f": {"CodeUri": "c"}}, "Queues": {"q": {}},
        "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "q"},
                                {"FunctionName": "f", "EventSourceArn": "q"}]})",
                  "EventSourceMappings[1]",
                  "a mapping from queue 'q' to function 'f' already exists"));
  }
}

TEST_CASE("manifest: ARNs use the Settings region and account") {
  const std::string settings =
      R"("Settings": {"Region": "eu-west-1", "AccountId": "123456789012"})";
  auto text = [&](const std::string& queue_arn) {
    return "{" + settings + R"(, "Functions": {"f": {"CodeUri": "c"}}, "Queues": {"q": {}},
             "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": ")" +
           queue_arn + "\"}]}";
  };
  const Manifest m = valid(text("arn:aws:sqs:eu-west-1:123456789012:q"));
  CHECK(m.event_source_mappings[0].queue_name == "q");
  CHECK(manifest_state_json(m).find("\"arn:aws:sqs:eu-west-1:123456789012:q\"") !=
        std::string::npos);
  CHECK(reports(text("arn:aws:sqs:us-east-1:123456789012:q"),
                "EventSourceMappings[0].EventSourceArn",
                "the ARN's region 'us-east-1' is not this manifest's: expected eu-west-1"));
  CHECK(reports(text("arn:aws:sqs:eu-west-1:000000000000:q"),
                "EventSourceMappings[0].EventSourceArn",
                "the ARN's account '000000000000' is not this manifest's: expected 123456789012"));
  SUBCASE("a broken Region is reported once, not again for every ARN") {
    const ManifestProblems p = problems_of(
        R"({"Settings": {"Region": "Europe"}, "Functions": {"f": {"CodeUri": "c"}}, "Queues": {"q": {}},
            "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "arn:aws:sqs:us-east-1:000000000000:q"}]})");
    CHECK(p.size() == 1);
  }
}

TEST_CASE("manifest: every problem is reported without cascades") {
  SUBCASE("several at once, section by section") {
    const ManifestProblems p = problems_of(R"({
      "Functions": {"f": {"CodeUri": "c", "MemorySize": 5000, "Timeout": 0}},
      "Queues": {"q": {"DelaySeconds": -1}},
      "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "missing"}]})");
    INFO(dump(p));
    REQUIRE(p.size() == 4);
    CHECK(p[0].starts_with("slipway.json: Queues.q.DelaySeconds: "));
    CHECK(p[1].starts_with("slipway.json: Functions.f.MemorySize: "));
    CHECK(p[2].starts_with("slipway.json: Functions.f.Timeout: "));
    CHECK(p[3].starts_with("slipway.json: EventSourceMappings[0].EventSourceArn: "));
  }
  SUBCASE("a reference to an entity with problems is not a second problem") {
    const ManifestProblems p = problems_of(R"({
      "Functions": {"f": {"CodeUri": "c", "Timeout": 9000}},
      "Queues": {"q.fifo": {"FifoQueue": true, "VisibilityTimeout": -5}},
      "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "q.fifo", "BatchSize": 100,
                               "MaximumBatchingWindowInSeconds": 5}]})");
    INFO(dump(p));
    CHECK(p.size() == 2);  // no FIFO batch, window or visibility-timeout problems on top
  }
  SUBCASE("a malformed section does not make its names 'missing'") {
    const ManifestProblems p = problems_of(
        R"({"Queues": [], "Functions": {"f": {"CodeUri": "c"}},
            "EventSourceMappings": [{"FunctionName": "f", "EventSourceArn": "q"}]})");
    CHECK(p.size() == 1);
  }
  SUBCASE("a wrong FifoQueue type is not also a naming problem") {
    CHECK(problems_of(queue_with("q.fifo", R"("FifoQueue": 1)")).size() == 1);
  }
}

TEST_CASE("manifest: state JSON mirrors the manifest property names") {
  const Manifest m = valid(R"({
    "Settings": {"ConcurrentExecutions": 500},
    "Functions": {"f": {"CodeUri": "code", "Handler": "h", "ReservedConcurrentExecutions": 5,
                        "Environment": {"Variables": {"K1": "v"}},
                        "EventInvokeConfig": {"DestinationConfig": {"OnFailure": {"Destination": "dlq"}}}},
                  "g": {"Command": ["run", "--fast"]}},
    "Queues": {"q": {"RedrivePolicy": {"deadLetterTargetArn": "dlq", "maxReceiveCount": 4},
                     "Tags": {"team": "data"}},
               "dlq": {},
               "o.fifo": {"FifoQueue": true}},
    "Buckets": {"bkt": {"NotificationConfiguration": {"QueueConfigurations": [
        {"Id": "n1", "QueueArn": "q", "Events": ["s3:ObjectCreated:*"],
         "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".csv"}]}}}]}}},
    "EventSourceMappings": [{"FunctionName": "g", "EventSourceArn": "o.fifo",
                             "FunctionResponseTypes": ["ReportBatchItemFailures"]}]})");
  const std::string json = manifest_state_json(m);
  rapidjson::Document d;
  d.Parse(json.c_str());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(d["Settings"]["ConcurrentExecutions"].GetInt() == 500);
  CHECK(std::string(d["Settings"]["LimitsProfile"].GetString()) == "aws");
  const auto& f = d["Functions"]["f"];
  CHECK(std::string(f["CodeUri"].GetString()) == "/srv/pipeline/code");
  CHECK(f["MemorySize"].GetInt() == 128);
  CHECK(f["Timeout"].GetInt() == 3);
  CHECK(f["ReservedConcurrentExecutions"].GetInt() == 5);
  CHECK(std::string(f["Environment"]["Variables"]["K1"].GetString()) == "v");
  CHECK(std::string(
            f["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Destination"].GetString()) ==
        "arn:aws:sqs:us-east-1:000000000000:dlq");
  CHECK(d["Functions"]["g"]["Command"].Size() == 2);
  REQUIRE(d["Functions"]["g"].HasMember("CodeUri"));  // a Command runs in the manifest's folder
  CHECK(std::string(d["Functions"]["g"]["CodeUri"].GetString()) == "/srv/pipeline");
  const auto& q = d["Queues"]["q"];
  CHECK(q["VisibilityTimeout"].GetInt() == 30);
  CHECK(std::string(q["RedrivePolicy"]["deadLetterTargetArn"].GetString()) ==
        "arn:aws:sqs:us-east-1:000000000000:dlq");
  CHECK(q["RedrivePolicy"]["maxReceiveCount"].GetInt() == 4);
  CHECK(std::string(q["Tags"]["team"].GetString()) == "data");
  CHECK(d["Queues"]["o.fifo"]["FifoQueue"].GetBool());
  const auto& n = d["Buckets"]["bkt"]["NotificationConfiguration"]["QueueConfigurations"][0];
  CHECK(std::string(n["QueueArn"].GetString()) == "arn:aws:sqs:us-east-1:000000000000:q");
  CHECK(std::string(n["Filter"]["Key"]["FilterRules"][0]["Value"].GetString()) == ".csv");
  const auto& e = d["EventSourceMappings"][0];
  CHECK(std::string(e["EventSourceArn"].GetString()) ==
        "arn:aws:sqs:us-east-1:000000000000:o.fifo");
  CHECK(e["BatchSize"].GetInt() == 10);
  CHECK(std::string(e["FunctionResponseTypes"][0].GetString()) == "ReportBatchItemFailures");
  SUBCASE("the state is itself a valid manifest describing the same pipeline") {
    CHECK(manifest_state_json(valid(json)) == json);
  }
}

TEST_CASE("manifest: fixtures load through load_manifest") {
  const std::filesystem::path dir = fixtures_dir();
  SUBCASE("sample.json") {
    const std::string path = (dir / "sample.json").string();
    ManifestResult r = load_manifest(path);
    if (const auto* p = std::get_if<ManifestProblems>(&r)) FAIL(dump(*p));
    const Manifest& m = std::get<Manifest>(r);
    CHECK(m.path == path);
    REQUIRE(m.functions.size() == 2);
    const auto& transform = m.functions[0];
    CHECK(transform.name == "transform");
    CHECK(transform.memory_mb == 256);
    CHECK(transform.code_uri ==
          std::filesystem::absolute(dir / "../functions/transform").lexically_normal().string());
    const auto& deliver = m.functions[1];
    CHECK(deliver.name == "deliver");
    CHECK(deliver.memory_mb == 128);
    CHECK(deliver.reserved_concurrency == 2);
    REQUIRE(m.queues.size() == 2);
    REQUIRE(m.queues[0].redrive_policy.has_value());
    CHECK(m.queues[0].redrive_policy->dead_letter_queue == "deliveries-dlq");
    CHECK(m.queues[0].redrive_policy->max_receive_count == 3);
    REQUIRE(m.buckets.size() == 1);
    const auto& n = m.buckets[0].notifications.at(0);
    CHECK(n.destination.name == "transform");
    CHECK(n.events == std::vector<std::string>{"s3:ObjectCreated:*"});
    CHECK(n.suffix == ".csv");
    REQUIRE(m.event_source_mappings.size() == 1);
    CHECK(m.event_source_mappings[0].function_name == "deliver");
    CHECK(m.event_source_mappings[0].queue_name == "deliveries");
    CHECK(m.event_source_mappings[0].report_batch_item_failures);
  }
  SUBCASE("broken.json") {
    const std::string path = (dir / "broken.json").string();
    ManifestResult r = load_manifest(path);
    REQUIRE(std::holds_alternative<ManifestProblems>(r));
    const ManifestProblems& p = std::get<ManifestProblems>(r);
    INFO(dump(p));
    for (const char* expected :
         {"Functions.transform.MemorySize: 5000 is out of range: expected an integer from 128 "
          "to 3008 (MB)",
          "Functions.transform.Timeout: 0 is out of range",
          "Functions.transform.Environment.Variables.AWS_REGION: Lambda was unable",
          "Functions.deliver.Command: expected a non-empty array",
          "Functions.deliver.Memorysize: unknown property",
          "Queues.deliveries.VisibilityTimeout: 50000 is out of range",
          "Queues.deliveries.RedrivePolicy.maxReceiveCount: 0 is out of range",
          "Queues.deliveries.RedrivePolicy.deadLetterTargetArn: no queue named "
          "'deliveries-dlq'",
          "Buckets.Uploads_Bucket: invalid bucket name",
          "QueueConfigurations[0].QueueArn: the ARN's region 'eu-west-1'",
          "QueueConfigurations[0].Events[0]: 's3:ObjectCreated' is not a supported S3 event",
          "EventSourceMappings[0].EventSourceArn: no queue named 'orders'",
          "EventSourceMappings[0].BatchSize: 20000 is out of range"}) {
      CAPTURE(expected);
      CHECK(std::any_of(p.begin(), p.end(), [&](const std::string& line) {
        return line.starts_with(path + ": ") && line.find(expected) != std::string::npos;
      }));
    }
    CHECK(p.size() == 13);
  }
  SUBCASE("empty.json") {
    CHECK(std::holds_alternative<Manifest>(load_manifest((dir / "empty.json").string())));
  }
  SUBCASE("unreadable files are one problem") {
    const std::string missing = (dir / "no-such-file.json").string();
    ManifestResult r = load_manifest(missing);
    REQUIRE(std::holds_alternative<ManifestProblems>(r));
    CHECK(std::get<ManifestProblems>(r) ==
          ManifestProblems{missing + ": cannot read: No such file or directory"});
    ManifestResult dir_result = load_manifest(dir.string());
    REQUIRE(std::holds_alternative<ManifestProblems>(dir_result));
    CHECK(std::get<ManifestProblems>(dir_result).at(0) ==
          dir.string() + ": cannot read: Is a directory");
  }
}
