#include "app/cli.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/daemon.h"
#include "app/logs_cli.h"
#include "platform/cgroup.h"

namespace slipway::app {

namespace {

constexpr const char* kMainHelp = R"(slipway: run serverless data pipelines offline (Lambda, SQS, S3 on a laptop).

Usage:
  slipway <command> [options]
  slipway --help | --version

Commands:
  serve     run the daemon: the edge port serves the admin API (/_slipway/)
  logs      print a function's logs merged in time order (--follow to keep printing)

Run 'slipway <command> --help' for a command's options.

Exit codes:
  0  success
  1  could not start or serve (I/O error, port in use, ...); logs: no logs to show
  2  bad command line, or an invalid manifest (every problem is printed)
  3  another slipway is already serving the data directory
)";

constexpr const char* kServeHelp = R"(Usage: slipway serve [options]

Runs the slipway daemon in the foreground until SIGINT (Ctrl-C) or SIGTERM.

Options:
  --config FILE        the pipeline manifest (default: ./slipway.json if present, else none)
  --port N             the edge port for every API (default 4566; 0 picks a free port)
  --host ADDR          the address to bind (default 127.0.0.1, loopback only)
  --data-dir DIR       where state lives: database, lock, logs (default .slipway)
  --seed N             seed every random choice (ids, fault decisions); printed at start
  --durability MODE    normal (default; survives kill -9) or full (fsync each commit;
                       survives power loss too)
  --idle-timeout S     seconds an idle execution environment is kept warm before it is
                       stopped (default 600)
  --function-logs WHERE  'echo' (default): function log lines go to <data-dir>/logs and to
                       stderr; 'files': only to <data-dir>/logs (read them with slipway logs)
  -h, --help           this help

When ready, prints one line on stdout: "slipway: listening on HOST:PORT".
)";

struct Args {
  std::vector<std::string_view> items;
  size_t next = 0;
  bool done() const { return next >= items.size(); }
};

// Reads "--name value" or "--name=value". Returns nullopt when `arg` is not `name`.
std::optional<std::string> take_value(Args& args, std::string_view arg, std::string_view name,
                                      bool& missing) {
  if (arg == name) {
    if (args.done()) {
      missing = true;
      return std::string();
    }
    return std::string(args.items[args.next++]);
  }
  if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=')
    return std::string(arg.substr(name.size() + 1));
  return std::nullopt;
}

int usage_error(const std::string& message, const char* verb) {
  std::fprintf(stderr, "slipway: %s\nRun 'slipway %s--help' for usage.\n", message.c_str(), verb);
  return kExitUsage;
}

template <typename T>
bool parse_number(const std::string& s, T& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

int apply_serve_option(std::string_view name, const std::string& value, ServeOptions& o) {
  if (name == "--config") o.config_path = value;
  else if (name == "--host") o.host = value;
  else if (name == "--data-dir") o.data_dir = value;
  else if (name == "--port") {
    if (!parse_number(value, o.port) || o.port < 0 || o.port > 65535)
      return usage_error("--port expects a number from 0 to 65535, got '" + value + "'", "serve ");
  } else if (name == "--seed") {
    uint64_t seed = 0;
    if (!parse_number(value, seed))
      return usage_error("--seed expects a non-negative integer, got '" + value + "'", "serve ");
    o.seed = seed;
  } else if (name == "--durability") {
    if (value != "normal" && value != "full")
      return usage_error("--durability expects 'normal' or 'full', got '" + value + "'", "serve ");
    o.durability_full = value == "full";
  } else if (name == "--idle-timeout") {
    if (!parse_number(value, o.idle_timeout_s) || o.idle_timeout_s < 1)
      return usage_error("--idle-timeout expects a whole number of seconds, at least 1, got '" + value + "'",
                         "serve ");
  } else if (name == "--function-logs") {
    if (value != "echo" && value != "files")
      return usage_error("--function-logs expects 'echo' or 'files', got '" + value + "'", "serve ");
    o.echo_function_logs = value == "echo";
  }
  if ((name == "--config" || name == "--host" || name == "--data-dir") && value.empty())
    return usage_error(std::string(name) + " expects a value", "serve ");
  return kExitOk;
}

int run_serve(Args args) {
  static constexpr std::string_view kValued[] = {"--config", "--port",       "--host",         "--data-dir",
                                                  "--seed",   "--durability", "--idle-timeout", "--function-logs"};
  ServeOptions options;
  while (!args.done()) {
    std::string_view arg = args.items[args.next++];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kServeHelp, stdout);
      return kExitOk;
    }
    bool matched = false, missing = false;
    for (std::string_view name : kValued) {
      auto value = take_value(args, arg, name, missing);
      if (!value) continue;
      if (missing) return usage_error(std::string(name) + " expects a value", "serve ");
      if (int rc = apply_serve_option(name, *value, options); rc != kExitOk) return rc;
      matched = true;
      break;
    }
    if (!matched) return usage_error("unknown option '" + std::string(arg) + "'", "serve ");
  }
  return serve(options);
}

struct Verb {
  const char* name;
  std::function<int(Args)> run;
};

}  // namespace

int run_cli(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) args.items.emplace_back(argv[i]);
  if (args.done()) {
    std::fputs(kMainHelp, stderr);
    return kExitUsage;
  }
  std::string_view first = args.items[args.next++];
  if (first == "-h" || first == "--help" || first == "help") {
    std::fputs(kMainHelp, stdout);
    return kExitOk;
  }
  if (first == "--version" || first == "version") {
    std::printf("slipway %s\n", SLIPWAY_VERSION);
    return kExitOk;
  }
  static const Verb kVerbs[] = {
      {"serve", run_serve},
      // Hidden (not in --help): the daemon starts each runtime through it, to put the runtime in
      // its environment's cgroup before it runs (platform/cgroup.h).
      {platform::kEnterCgroupVerb,
       [](Args a) {
         return platform::enter_cgroup_and_exec({a.items.begin() + static_cast<long>(a.next), a.items.end()});
       }},
      {"logs", [](Args a) { return run_logs({a.items.begin() + static_cast<long>(a.next), a.items.end()}); }},
  };
  for (const Verb& verb : kVerbs)
    if (first == verb.name) return verb.run(args);
  return usage_error("unknown command '" + std::string(first) + "'", "");
}

}  // namespace slipway::app
