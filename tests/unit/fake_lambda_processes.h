// Test doubles for the Lambda core: FakeProcesses (records spawn/kill; a kill reports the exit
// at once, from inside kill(), as a synchronous adapter could), FakeLogSink (keeps every line),
// and LambdaHarness: a LambdaService on a ManualClock with helpers that play the runtime's side
// of the Runtime API. Nothing here sleeps: time moves with advance_*.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/rng.h"
#include "core/timer_queue.h"
#include "lambda/service.h"

namespace slipway::lambda::testing {

class FakeProcesses final : public Processes {
 public:
  struct Spawn {
    EnvId env;
    std::string function;
    SpawnContext ctx;
  };
  std::vector<Spawn> spawns;
  std::vector<EnvId> kills;
  std::map<EnvId, int> memory_mb;    // max_memory_used_mb answers; 20 when unset
  LambdaService* svc = nullptr;
  bool exit_on_kill = true;          // report on_exit(-1, SIGKILL) from inside kill()
  bool report_spawned = false;       // report on_spawned from inside spawn()

  void spawn(EnvId env, const FunctionConfig& fn, const SpawnContext& ctx) override {
    spawns.push_back(Spawn{env, fn.name, ctx});
    if (svc != nullptr && report_spawned) svc->on_spawned(env);
  }
  void kill(EnvId env) override {
    kills.push_back(env);
    if (svc != nullptr && exit_on_kill) svc->on_exit(env, -1, 9);
  }
  int max_memory_used_mb(EnvId env) override {
    auto it = memory_mb.find(env);
    return it == memory_mb.end() ? 20 : it->second;
  }
  size_t spawn_count(const std::string& function) const {
    return static_cast<size_t>(std::count_if(spawns.begin(), spawns.end(),
                                             [&](const Spawn& s) { return s.function == function; }));
  }
};

class FakeLogSink final : public LogSink {
 public:
  struct Line {
    std::string function;
    std::string stream;
    core::TimeUs at;
    std::string text;
  };
  std::vector<Line> lines;

  void append(const std::string& function, const std::string& log_stream, core::TimeUs at,
              std::string_view line) override {
    lines.push_back(Line{function, log_stream, at, std::string(line)});
  }
  // Lines of one stream, in order.
  std::vector<std::string> stream(const std::string& log_stream) const {
    std::vector<std::string> out;
    for (const auto& l : lines) {
      if (l.stream == log_stream) out.push_back(l.text);
    }
    return out;
  }
  // Every line starting with `prefix`, in order.
  std::vector<std::string> starting_with(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const auto& l : lines) {
      if (l.text.rfind(prefix, 0) == 0) out.push_back(l.text);
    }
    return out;
  }
};

// An invoke's answer, which may come later.
struct Call {
  int answers = 0;
  InvokeOutcome outcome;
  bool done() const { return answers > 0; }
  InvokeOutcome::Kind kind() const { return outcome.kind; }
};

// A parked GET /next.
struct Poll {
  RuntimeReply reply;
  int deliveries = 0;
  NextEvent event;
  bool delivered() const { return deliveries > 0; }
  const std::string& id() const { return event.request_id; }
};

inline FunctionConfig make_function(const std::string& name, int timeout_s = 3,
                                    std::optional<int> reserved = std::nullopt, int memory_mb = 128) {
  FunctionConfig fn;
  fn.name = name;
  fn.handler = "handler";
  fn.code_uri = "/code/" + name;
  fn.timeout_s = timeout_s;
  fn.memory_mb = memory_mb;
  fn.reserved_concurrency = reserved;
  return fn;
}

class LambdaHarness {
 public:
  core::ManualClock clock;
  core::TimerQueue timers;
  core::IdGen ids{core::Rng(42)};
  FakeProcesses procs;
  FakeLogSink logs;
  std::unique_ptr<LambdaService> svc;

  explicit LambdaHarness(std::vector<FunctionConfig> functions, LambdaOptions options = {}) {
    svc = std::make_unique<LambdaService>(clock, timers, ids, procs, logs, std::move(options));
    procs.svc = svc.get();
    svc->configure(std::move(functions));
  }

  std::shared_ptr<Call> invoke(const std::string& function, const std::string& payload = "{}",
                               InvocationType type = InvocationType::kRequestResponse, bool tail = false) {
    auto call = std::make_shared<Call>();
    InvokeRequest req;
    req.function = function;
    req.payload = payload;
    req.type = type;
    req.tail_log = tail;
    svc->invoke(req, [call](InvokeOutcome o) {
      ++call->answers;
      call->outcome = std::move(o);
    });
    return call;
  }

  std::shared_ptr<Poll> next(EnvId env) {
    auto poll = std::make_shared<Poll>();
    poll->reply = svc->next(env, [poll](NextEvent ev) {
      ++poll->deliveries;
      poll->event = std::move(ev);
    });
    return poll;
  }

  EnvId last_env() const {
    REQUIRE_FALSE(procs.spawns.empty());
    return procs.spawns.back().env;
  }
  // The runtime of `env` starts and asks for work.
  std::shared_ptr<Poll> start(EnvId env) {
    svc->on_spawned(env);
    return next(env);
  }
  // Spawned, init done, event delivered: the event.
  std::shared_ptr<Poll> start_delivered(EnvId env) {
    auto poll = start(env);
    REQUIRE(poll->delivered());
    return poll;
  }
  RuntimeReply respond(EnvId env, const Poll& poll, const std::string& body = "\"ok\"") {
    return svc->response(env, poll.id(), body);
  }
  std::string stream(EnvId env) const {
    for (const auto& s : procs.spawns) {
      if (s.env == env) return s.ctx.log_stream;
    }
    return "";
  }
  std::optional<EnvState> state(EnvId env) const { return svc->env_state(env); }

  void advance_us(core::TimeUs d) {
    clock.advance_us(d);
    // Timers armed by a firing callback run in a later pass: loop like the daemon would.
    for (int pass = 0; pass < 100 && timers.next_due_us() && *timers.next_due_us() <= clock.now_us();
         ++pass) {
      timers.fire_due(clock.now_us());
    }
  }
  void advance_ms(int64_t ms) { advance_us(ms * core::kUsPerMs); }
  void advance_s(int64_t s) { advance_us(s * core::kUsPerSecond); }

  const FunctionStats& fstats(const std::string& name) {
    last_stats_ = svc->stats();
    for (const auto& f : last_stats_.functions) {
      if (f.name == name) return f;
    }
    FAIL("no stats for " << name);
    return last_stats_.functions.front();
  }

 private:
  LambdaStats last_stats_;
};

}  // namespace slipway::lambda::testing
