// Event (asynchronous) invocations: accepted at once, queued per function, run when capacity
// frees, reported through on_async_done, mirrored to the AsyncQueuePersistence seam.
#include <doctest/doctest.h>

#include "fake_lambda_processes.h"

using namespace slipway::lambda;
using namespace slipway::lambda::testing;
using Kind = InvokeOutcome::Kind;

namespace {
struct AsyncLog {
  std::vector<AsyncCompletion> done;
};

LambdaOptions observed(const std::shared_ptr<AsyncLog>& log, AsyncQueuePersistence* store = nullptr) {
  LambdaOptions opts;
  opts.async_persistence = store;
  opts.on_async_done = [log](const AsyncCompletion& c) { log->done.push_back(c); };
  return opts;
}
}  // namespace

TEST_CASE("lambda an Event invoke is accepted at once and runs on an environment") {
  auto log = std::make_shared<AsyncLog>();
  InMemoryAsyncQueuePersistence store;
  LambdaHarness h({make_function("fn")}, observed(log, &store));
  auto call = h.invoke("fn", R"({"e":1})", InvocationType::kEvent);
  REQUIRE(call->done());
  CHECK(call->kind() == Kind::kAccepted);
  CHECK(call->outcome.request_id.size() == 36);
  REQUIRE(store.size() == 1);
  CHECK(store.snapshot().events[0].payload == R"({"e":1})");
  REQUIRE(h.procs.spawns.size() == 1);
  auto p = h.start_delivered(h.last_env());
  CHECK(p->id() == call->outcome.request_id);
  CHECK(p->event.payload == R"({"e":1})");
  CHECK(store.size() == 1);  // still owed until it finishes
  h.respond(h.last_env(), *p, "\"done\"");
  REQUIRE(log->done.size() == 1);
  CHECK(log->done[0].ok);
  CHECK(log->done[0].request_id == call->outcome.request_id);
  CHECK(log->done[0].payload == "\"done\"");
  CHECK(store.size() == 0);
}

TEST_CASE("lambda Event invokes over the limit wait in the queue and run when capacity frees") {
  auto log = std::make_shared<AsyncLog>();
  LambdaHarness h({make_function("fn", 3, 1)}, observed(log));
  for (int i = 0; i < 3; ++i) {
    auto c = h.invoke("fn", "{\"n\":" + std::to_string(i) + "}", InvocationType::kEvent);
    CHECK(c->kind() == Kind::kAccepted);
  }
  REQUIRE(h.procs.spawns.size() == 1);
  CHECK(h.fstats("fn").async_queued == 2);
  CHECK(h.fstats("fn").throttles == 0);
  const EnvId env = h.last_env();
  auto p = h.start_delivered(env);
  CHECK(p->event.payload == "{\"n\":0}");
  h.respond(env, *p);
  // The next queued event is assigned to the Finishing environment and delivered on /next.
  CHECK(h.fstats("fn").async_queued == 1);
  auto p2 = h.next(env);
  REQUIRE(p2->delivered());
  CHECK(p2->event.payload == "{\"n\":1}");
  h.respond(env, *p2);
  auto p3 = h.next(env);
  REQUIRE(p3->delivered());
  CHECK(p3->event.payload == "{\"n\":2}");
  h.respond(env, *p3);
  CHECK(log->done.size() == 3);
  CHECK(h.procs.spawns.size() == 1);
  CHECK(h.fstats("fn").async_queued == 0);
}

TEST_CASE("lambda a queued Event invoke runs when another function's environment frees the pool") {
  auto log = std::make_shared<AsyncLog>();
  LambdaOptions opts = observed(log);
  opts.account_concurrency = 1;
  LambdaHarness h({make_function("a"), make_function("b")}, opts);
  h.invoke("a");
  const EnvId ea = h.last_env();
  auto pa = h.start_delivered(ea);
  auto event = h.invoke("b", "{}", InvocationType::kEvent);
  CHECK(event->kind() == Kind::kAccepted);
  CHECK(h.procs.spawns.size() == 1);
  h.respond(ea, *pa);
  CHECK(h.procs.spawns.size() == 1);  // a is Finishing: still busy
  h.next(ea);                         // a is Idle: the pool frees, a's process is reclaimed
  REQUIRE(h.procs.spawns.size() == 2);
  CHECK(h.procs.spawns[1].function == "b");
  CHECK(h.procs.kills == std::vector<EnvId>{ea});
}

TEST_CASE("lambda a failed Event invocation is reported with its error type") {
  auto log = std::make_shared<AsyncLog>();
  LambdaHarness h({make_function("fn", 2)}, observed(log));
  h.invoke("fn", "{}", InvocationType::kEvent);
  auto p = h.start_delivered(h.last_env());
  h.advance_s(2);
  REQUIRE(log->done.size() == 1);
  CHECK_FALSE(log->done[0].ok);
  CHECK(log->done[0].error_type == "Sandbox.Timedout");
  h.invoke("fn", "{}", InvocationType::kEvent);
  auto p2 = h.start_delivered(h.last_env());
  h.svc->invocation_error(h.last_env(), p2->id(), "", R"({"errorType":"KeyError","errorMessage":"x"})");
  REQUIRE(log->done.size() == 2);
  CHECK(log->done[1].error_type == "KeyError");
}

TEST_CASE("lambda reserved concurrency 0 accepts Event invokes and discards them unrun") {
  auto log = std::make_shared<AsyncLog>();
  InMemoryAsyncQueuePersistence store;
  LambdaHarness h({make_function("off", 3, 0)}, observed(log, &store));
  auto call = h.invoke("off", "{}", InvocationType::kEvent);
  CHECK(call->kind() == Kind::kAccepted);
  REQUIRE(log->done.size() == 1);
  CHECK(log->done[0].error_type == "ReservedFunctionConcurrentInvocationLimitExceeded");
  CHECK(h.procs.spawns.empty());
  CHECK(store.size() == 0);
}

TEST_CASE("lambda the async queue is bounded per function") {
  LambdaOptions opts;
  opts.async_queue_max_per_function = 2;
  LambdaHarness h({make_function("fn", 3, 1)}, opts);
  h.invoke("fn");  // takes the only slot
  CHECK(h.invoke("fn", "{}", InvocationType::kEvent)->kind() == Kind::kAccepted);
  CHECK(h.invoke("fn", "{}", InvocationType::kEvent)->kind() == Kind::kAccepted);
  auto over = h.invoke("fn", "{}", InvocationType::kEvent);
  CHECK(over->kind() == Kind::kThrottled);
}

TEST_CASE("lambda stored Event invocations survive shutdown and are re-queued by restore_async") {
  InMemoryAsyncQueuePersistence store;
  LambdaOptions opts;
  opts.async_persistence = &store;
  AsyncQueueSnapshot snapshot;
  {
    LambdaHarness h({make_function("fn", 3, 1)}, opts);
    h.invoke("fn", "{\"n\":1}", InvocationType::kEvent);
    h.invoke("fn", "{\"n\":2}", InvocationType::kEvent);
    h.start_delivered(h.last_env());  // n=1 running, n=2 queued
    h.svc->shutdown();
    snapshot = store.snapshot();
  }
  REQUIRE(snapshot.events.size() == 2);
  snapshot.events.push_back(AsyncEventRecord{99, "gone-id", "deleted-fn", "{}", "", 0, 0});
  auto log = std::make_shared<AsyncLog>();
  LambdaHarness h2({make_function("fn", 3, 1)}, observed(log, &store));
  store.put_event(snapshot.events.back());
  h2.svc->restore_async(snapshot);
  CHECK(store.size() == 2);  // the unknown function's event is dropped
  auto p = h2.start_delivered(h2.last_env());
  CHECK(p->event.payload == "{\"n\":1}");
  h2.respond(h2.last_env(), *p);
  auto p2 = h2.next(h2.last_env());
  REQUIRE(p2->delivered());
  CHECK(p2->event.payload == "{\"n\":2}");
}
