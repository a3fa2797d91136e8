// The environment pool: warm reuse, scale-out, concurrency limits and throttle reasons, idle
// reaping, name resolution, DryRun and unknown functions.
#include <doctest/doctest.h>

#include "fake_lambda_processes.h"

using namespace slipway::lambda;
using namespace slipway::lambda::testing;
using Kind = InvokeOutcome::Kind;

TEST_CASE("lambda a cold invoke spawns, delivers on the first /next and answers the caller") {
  LambdaHarness h({make_function("fn")});
  auto call = h.invoke("fn", R"({"a":1})");
  REQUIRE(h.procs.spawns.size() == 1);
  const EnvId env = h.last_env();
  CHECK(h.procs.spawns[0].ctx.log_group == "/aws/lambda/fn");
  CHECK(h.procs.spawns[0].ctx.init_type == "on-demand");
  CHECK(h.state(env) == EnvState::kSpawning);
  h.svc->on_spawned(env);
  CHECK(h.state(env) == EnvState::kStarting);
  h.advance_ms(50);
  auto poll = h.next(env);
  CHECK(poll->reply.status == 200);
  REQUIRE(poll->delivered());
  CHECK(h.state(env) == EnvState::kInvoking);
  CHECK(poll->event.payload == R"({"a":1})");
  CHECK(poll->event.request_id.size() == 36);
  CHECK(poll->event.deadline_ms == h.clock.now_us() / 1000 + 3000);
  CHECK(poll->event.invoked_function_arn == "arn:aws:lambda:us-east-1:000000000000:function:fn");
  CHECK(poll->event.trace_id.rfind("Root=1-", 0) == 0);
  CHECK_FALSE(call->done());
  h.advance_ms(12);
  CHECK(h.respond(env, *poll, R"({"ok":true})").status == 202);
  REQUIRE(call->done());
  CHECK(call->kind() == Kind::kOk);
  CHECK(call->outcome.payload == R"({"ok":true})");
  CHECK(call->outcome.request_id == poll->id());
  CHECK(h.state(env) == EnvState::kFinishing);
}

TEST_CASE("lambda sequential invokes reuse one warm environment") {
  LambdaHarness h({make_function("fn")});
  auto first = h.invoke("fn");
  const EnvId env = h.last_env();
  auto p1 = h.start_delivered(env);
  REQUIRE(h.respond(env, *p1).status == 202);
  REQUIRE(first->done());
  // Back to back: the second invoke arrives before the runtime is back in /next.
  auto second = h.invoke("fn");
  CHECK(h.procs.spawns.size() == 1);
  auto p2 = h.next(env);
  REQUIRE(p2->delivered());
  REQUIRE(h.respond(env, *p2).status == 202);
  REQUIRE(second->done());
  CHECK(second->outcome.request_id == p2->id());
  // Later, with the runtime parked in /next: delivered at once.
  auto p3 = h.next(env);
  CHECK_FALSE(p3->delivered());
  CHECK(h.state(env) == EnvState::kIdle);
  auto third = h.invoke("fn");
  REQUIRE(p3->delivered());
  REQUIRE(h.respond(env, *p3).status == 202);
  CHECK(third->kind() == Kind::kOk);
  CHECK(h.procs.spawns.size() == 1);
  CHECK(h.fstats("fn").cold_starts == 1);
}

TEST_CASE("lambda parallel invokes scale out, one invocation per environment") {
  LambdaHarness h({make_function("fn")});
  auto a = h.invoke("fn");
  auto b = h.invoke("fn");
  auto c = h.invoke("fn");
  REQUIRE(h.procs.spawns.size() == 3);
  std::vector<std::shared_ptr<Poll>> polls;
  for (const auto& s : h.procs.spawns) polls.push_back(h.start_delivered(s.env));
  CHECK(polls[0]->id() != polls[1]->id());
  CHECK(h.fstats("fn").envs.invoking == 3);
  CHECK(h.fstats("fn").concurrency_in_use == 3);
  for (size_t i = 0; i < 3; ++i) REQUIRE(h.respond(h.procs.spawns[i].env, *polls[i]).status == 202);
  CHECK((a->done() && b->done() && c->done()));
}

TEST_CASE("lambda the most recently used idle environment takes the next invoke") {
  LambdaHarness h({make_function("fn")});
  h.invoke("fn");
  h.invoke("fn");
  const EnvId e1 = h.procs.spawns[0].env;
  const EnvId e2 = h.procs.spawns[1].env;
  auto p1 = h.start_delivered(e1);
  auto p2 = h.start_delivered(e2);
  h.respond(e1, *p1);
  h.advance_ms(5);
  h.respond(e2, *p2);
  auto n1 = h.next(e1);
  auto n2 = h.next(e2);
  h.invoke("fn");
  CHECK(n2->delivered());
  CHECK_FALSE(n1->delivered());
}

TEST_CASE("lambda reserved concurrency 2: ten parallel invokes spawn 2 and throttle 8") {
  LambdaHarness h({make_function("fn", 3, 2)});
  std::vector<std::shared_ptr<Call>> calls;
  for (int i = 0; i < 10; ++i) calls.push_back(h.invoke("fn"));
  CHECK(h.procs.spawns.size() == 2);
  int throttled = 0;
  for (const auto& c : calls) {
    if (c->done() && c->kind() == Kind::kThrottled) {
      ++throttled;
      CHECK(c->outcome.throttle_reason == "ReservedFunctionConcurrentInvocationLimitExceeded");
    }
  }
  CHECK(throttled == 8);
  CHECK(h.fstats("fn").throttles == 8);
  CHECK(h.fstats("fn").concurrency_in_use == 2);
}

TEST_CASE("lambda an idle environment over the limit is not used: concurrency counts requests") {
  LambdaHarness h({make_function("fn", 3, 1)});
  h.invoke("fn");
  const EnvId env = h.last_env();
  auto p = h.start_delivered(env);
  // The one allowed environment is busy: throttled, not queued behind it.
  auto second = h.invoke("fn");
  REQUIRE(second->done());
  CHECK(second->kind() == Kind::kThrottled);
  h.respond(env, *p);
  // Finishing with nothing assigned: it takes the next invoke without a new slot.
  auto third = h.invoke("fn");
  CHECK_FALSE(third->done());
  CHECK(h.procs.spawns.size() == 1);
}

TEST_CASE("lambda the account pool throttles unreserved functions with ConcurrentInvocationLimitExceeded") {
  LambdaOptions opts;
  opts.account_concurrency = 3;
  LambdaHarness h({make_function("a"), make_function("b"), make_function("r", 3, 1)}, opts);
  CHECK(h.svc->stats().unreserved_concurrency_limit == 2);
  h.invoke("a");
  h.invoke("b");
  auto over = h.invoke("a");
  REQUIRE(over->done());
  CHECK(over->kind() == Kind::kThrottled);
  CHECK(over->outcome.throttle_reason == "ConcurrentInvocationLimitExceeded");
  // The reservation is carved out of the pool and still available.
  auto reserved = h.invoke("r");
  CHECK_FALSE(reserved->done());
  CHECK(h.procs.spawns.size() == 3);
  CHECK(h.svc->stats().unreserved_concurrency_in_use == 2);
}

TEST_CASE("lambda reserved concurrency 0 throttles every invoke") {
  LambdaHarness h({make_function("off", 3, 0)});
  auto call = h.invoke("off");
  REQUIRE(call->done());
  CHECK(call->kind() == Kind::kThrottled);
  CHECK(call->outcome.throttle_reason == "ReservedFunctionConcurrentInvocationLimitExceeded");
  CHECK(h.procs.spawns.empty());
}

TEST_CASE("lambda an idle environment of another function is reclaimed when the pool needs room") {
  LambdaOptions opts;
  opts.account_concurrency = 1;
  LambdaHarness h({make_function("a"), make_function("b")}, opts);
  h.invoke("a");
  const EnvId ea = h.last_env();
  auto p = h.start_delivered(ea);
  h.respond(ea, *p);
  auto parked = h.next(ea);
  CHECK(h.state(ea) == EnvState::kIdle);
  auto b = h.invoke("b");  // a's idle environment holds no concurrency, but holds the only slot's process
  CHECK_FALSE(b->done());
  REQUIRE(h.procs.spawns.size() == 2);
  CHECK(h.procs.kills == std::vector<EnvId>{ea});
  CHECK_FALSE(h.state(ea).has_value());
  REQUIRE(parked->delivered());
  CHECK(parked->event.cancelled);
}

TEST_CASE("lambda idle environments are reaped after idle_timeout_ms, busy ones never") {
  LambdaOptions opts;
  opts.idle_timeout_ms = 60'000;
  LambdaHarness h({make_function("fn", 900)}, opts);
  h.invoke("fn");
  h.invoke("fn");
  const EnvId idle = h.procs.spawns[0].env;
  const EnvId busy = h.procs.spawns[1].env;
  auto p = h.start_delivered(idle);
  h.start_delivered(busy);
  h.respond(idle, *p);
  auto parked = h.next(idle);
  h.advance_ms(59'999);
  CHECK(h.state(idle) == EnvState::kIdle);
  h.advance_ms(1);
  CHECK_FALSE(h.state(idle).has_value());
  CHECK(h.procs.kills == std::vector<EnvId>{idle});
  CHECK(parked->event.cancelled);
  h.advance_s(600);
  CHECK(h.state(busy) == EnvState::kInvoking);
}

TEST_CASE("lambda invoke resolves names, partial ARNs, full ARNs and $LATEST") {
  LambdaHarness h({make_function("fn")});
  CHECK(h.svc->find_function("fn") != nullptr);
  CHECK(h.svc->find_function("fn:$LATEST") != nullptr);
  CHECK(h.svc->find_function("000000000000:function:fn") != nullptr);
  CHECK(h.svc->find_function("arn:aws:lambda:us-east-1:000000000000:function:fn") != nullptr);
  CHECK(h.svc->find_function("arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST") != nullptr);
  CHECK(h.svc->find_function("arn:aws:lambda:eu-west-1:000000000000:function:fn") == nullptr);
  CHECK(h.svc->find_function("111111111111:function:fn") == nullptr);
  CHECK(h.svc->find_function("fn:3") == nullptr);
  CHECK(h.svc->find_function("other") == nullptr);
  REQUIRE(h.svc->functions().size() == 1);
  h.invoke("arn:aws:lambda:us-east-1:000000000000:function:fn");
  CHECK(h.procs.spawn_count("fn") == 1);
}

TEST_CASE("lambda unknown functions are not found; DryRun runs nothing") {
  LambdaHarness h({make_function("fn")});
  auto missing = h.invoke("nope");
  REQUIRE(missing->done());
  CHECK(missing->kind() == Kind::kNotFound);
  CHECK(missing->outcome.payload == "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
  auto dry = h.invoke("fn", "{}", InvocationType::kDryRun);
  REQUIRE(dry->done());
  CHECK(dry->kind() == Kind::kDryRun);
  CHECK_FALSE(dry->outcome.request_id.empty());
  CHECK(h.procs.spawns.empty());
  auto dry_missing = h.invoke("nope", "{}", InvocationType::kDryRun);
  CHECK(dry_missing->kind() == Kind::kNotFound);
}

TEST_CASE("lambda shutdown kills every environment and answers pending invokes") {
  LambdaHarness h({make_function("fn")});
  auto running = h.invoke("fn");
  auto starting = h.invoke("fn");
  const EnvId e1 = h.procs.spawns[0].env;
  h.start_delivered(e1);
  h.svc->shutdown();
  CHECK(running->kind() == Kind::kServiceError);
  CHECK(starting->kind() == Kind::kServiceError);
  CHECK(h.procs.kills == std::vector<EnvId>{e1});  // the other was never confirmed running
  CHECK(h.svc->stats().functions[0].concurrency_in_use == 0);
  auto after = h.invoke("fn");
  CHECK(after->kind() == Kind::kServiceError);
  // A spawn confirmed after the fact is killed.
  h.svc->on_spawned(h.procs.spawns[1].env);
  CHECK(h.procs.kills.back() == h.procs.spawns[1].env);
}

TEST_CASE("lambda callbacks and adapter reports may call back into the service") {
  LambdaHarness h({make_function("fn")});
  h.procs.report_spawned = true;  // on_spawned from inside spawn(), as a synchronous adapter does
  std::vector<std::string> answers;
  std::function<void(int)> chain = [&](int left) {
    InvokeRequest req;
    req.function = "fn";
    req.payload = std::to_string(left);
    h.svc->invoke(req, [&, left](InvokeOutcome o) {
      answers.push_back(o.payload);
      if (left > 1) chain(left - 1);  // the next invoke from inside the previous one's answer
    });
  };
  chain(3);
  const EnvId env = h.last_env();
  CHECK(h.state(env) == EnvState::kStarting);
  // The runtime answers every event it gets.
  std::function<void(NextEvent)> serve = [&](NextEvent ev) {
    CHECK(h.svc->response(env, ev.request_id, "\"r" + ev.payload + "\"").status == 202);
    CHECK(h.svc->next(env, serve).status == 200);
  };
  CHECK(h.svc->next(env, serve).status == 200);
  CHECK(answers == std::vector<std::string>{"\"r3\"", "\"r2\"", "\"r1\""});
  CHECK(h.procs.spawns.size() == 1);
  CHECK(h.state(env) == EnvState::kIdle);
}
