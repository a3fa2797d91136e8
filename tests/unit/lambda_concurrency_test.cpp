// Concurrency control: reservations checked and changed at runtime (PutFunctionConcurrency /
// DeleteFunctionConcurrency), the account's unreserved pool, and the per-function scaling rate
// (1,000 new environments per 10 s), on the fake clock.
#include <doctest/doctest.h>

#include "fake_lambda_processes.h"
#include "lambda/concurrency.h"

using namespace slipway;
using namespace slipway::lambda;
using namespace slipway::lambda::testing;
using Kind = InvokeOutcome::Kind;

namespace {

constexpr const char* kBelowMinimum =
    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
    "below its minimum value of [100].";

int count(const std::vector<std::shared_ptr<Call>>& calls, Kind kind) {
  int n = 0;
  for (const auto& c : calls) n += c->done() && c->kind() == kind ? 1 : 0;
  return n;
}

// Starts every spawned environment from index `from` on and delivers its event; the polls.
std::vector<std::shared_ptr<Poll>> start_all(LambdaHarness& h, size_t from = 0) {
  std::vector<std::shared_ptr<Poll>> polls;
  for (size_t i = from; i < h.procs.spawns.size(); ++i) polls.push_back(h.start_delivered(h.procs.spawns[i].env));
  return polls;
}

LambdaOptions big_pool() {
  LambdaOptions opts;
  opts.account_concurrency = 5000;  // so that the scaling rate, not the pool, is the limit
  opts.init_timeout_ms = 3'600'000;  // spawned runtimes never start here: no init deadline either
  return opts;
}

}  // namespace

// ============================================================================ the account

TEST_CASE("lambda concurrency: a reservation must leave 100 unreserved, in AWS's words") {
  ConcurrencyAccount account(1000, 100);
  account.configure({{"a", std::nullopt}, {"b", 500}});
  CHECK(account.check_reservation("a", 400).ok());
  core::Status over = account.check_reservation("a", 401);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == core::ErrorCode::kLimitExceeded);
  CHECK(over.error().message == kBelowMinimum);
  // A function's own reservation is replaced, not added to.
  CHECK(account.check_reservation("b", 900).ok());
  CHECK_FALSE(account.check_reservation("b", 901).ok());
  CHECK(account.check_reservation("a", 0).ok());
  CHECK(account.check_reservation("a", std::nullopt).ok());
  CHECK(account.check_reservation("a", -1).error().code == core::ErrorCode::kInvalidArgument);
}

TEST_CASE("lambda concurrency: changing a reservation moves busy counts between the pool and the function") {
  ConcurrencyAccount account(1000, 100);
  account.configure({{"a", std::nullopt}, {"b", std::nullopt}});
  account.acquire("a");
  account.acquire("a");
  account.acquire("b");
  CHECK(account.unreserved_in_use() == 3);
  account.set_reserved("a", 1);
  CHECK(account.unreserved_limit() == 999);
  CHECK(account.unreserved_in_use() == 1);
  CHECK(account.in_use("a") == 2);
  CHECK(account.over("a"));  // two busy, one allowed: they finish, nothing more is admitted
  CHECK(account.check("a") == std::optional<std::string>(kReasonReservedLimit));
  account.release("a");
  CHECK_FALSE(account.over("a"));
  account.set_reserved("a", std::nullopt);
  CHECK(account.unreserved_limit() == 1000);
  CHECK(account.unreserved_in_use() == 2);
}

// ============================================================================ the scaling bucket

TEST_CASE("lambda concurrency: the scaling bucket gives 1,000 at once and refills 1 every 10 ms") {
  const core::TimeUs t0 = 1'700'000'000LL * core::kUsPerSecond;
  ScalingBucket bucket(1000, 10 * core::kUsPerSecond);
  CHECK(bucket.available(t0) == 1000);
  for (int i = 0; i < 1000; ++i) REQUIRE(bucket.try_take(t0));
  CHECK_FALSE(bucket.try_take(t0));
  CHECK(bucket.next_available_us(t0) == t0 + 10 * core::kUsPerMs);
  CHECK_FALSE(bucket.try_take(t0 + 9'999));
  CHECK(bucket.try_take(t0 + 10'000));
  CHECK_FALSE(bucket.try_take(t0 + 10'000));
  CHECK(bucket.available(t0 + 5 * core::kUsPerSecond) == 499);
  // Unused allowance does not accrue beyond one window's worth.
  CHECK(bucket.available(t0 + 60 * core::kUsPerSecond) == 1000);
}

TEST_CASE("lambda concurrency: a scaling rate of 0 or less is no limit") {
  ScalingBucket bucket(0);
  for (int i = 0; i < 5000; ++i) REQUIRE(bucket.try_take(0));
  CHECK(bucket.next_available_us(7) == 7);
}

// ============================================================================ the service

TEST_CASE("lambda concurrency: set_reserved_concurrency refuses unknown functions and the 100 minimum") {
  LambdaHarness h({make_function("fn"), make_function("big", 3, 800)});
  core::Status missing = h.svc->set_reserved_concurrency("nope", 1);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == core::ErrorCode::kNotFound);
  CHECK(missing.error().message == "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
  core::Status over = h.svc->set_reserved_concurrency("fn", 101);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().message == kBelowMinimum);
  CHECK_FALSE(h.svc->find_function("fn")->reserved_concurrency.has_value());
  CHECK(h.svc->set_reserved_concurrency("arn:aws:lambda:us-east-1:000000000000:function:fn", 100).ok());
  CHECK(h.svc->find_function("fn")->reserved_concurrency == 100);
  CHECK(h.svc->stats().unreserved_concurrency_limit == 100);
  CHECK(h.fstats("fn").reserved_concurrency == 100);
  CHECK(h.svc->set_reserved_concurrency("fn", std::nullopt).ok());
  CHECK_FALSE(h.svc->find_function("fn")->reserved_concurrency.has_value());
  CHECK(h.svc->stats().unreserved_concurrency_limit == 200);
}

TEST_CASE("lambda concurrency: raising a reservation at runtime admits more at once") {
  LambdaHarness h({make_function("fn", 3, 2)});
  std::vector<std::shared_ptr<Call>> calls;
  for (int i = 0; i < 10; ++i) calls.push_back(h.invoke("fn"));
  CHECK(h.procs.spawns.size() == 2);
  CHECK(count(calls, Kind::kThrottled) == 8);
  REQUIRE(h.svc->set_reserved_concurrency("fn", 4).ok());
  std::vector<std::shared_ptr<Call>> more;
  for (int i = 0; i < 4; ++i) more.push_back(h.invoke("fn"));
  CHECK(h.procs.spawns.size() == 4);
  CHECK(count(more, Kind::kThrottled) == 2);
  CHECK(more[2]->outcome.throttle_reason == kReasonReservedLimit);
  CHECK(h.fstats("fn").concurrency_in_use == 4);
}

TEST_CASE("lambda concurrency: lowering a reservation lets running invocations finish, admits nothing more, "
          "and reclaims idle environments beyond it") {
  LambdaHarness h({make_function("fn", 3, 3)});
  std::vector<std::shared_ptr<Call>> calls;
  for (int i = 0; i < 3; ++i) calls.push_back(h.invoke("fn"));
  auto polls = start_all(h);
  REQUIRE(h.svc->set_reserved_concurrency("fn", 1).ok());
  CHECK(h.procs.kills.empty());
  auto refused = h.invoke("fn");
  REQUIRE(refused->done());
  CHECK(refused->outcome.throttle_reason == kReasonReservedLimit);
  // Two finish: Finishing with nothing assigned, yet still over the limit, so no reuse.
  REQUIRE(h.respond(h.procs.spawns[0].env, *polls[0]).status == 202);
  REQUIRE(h.respond(h.procs.spawns[1].env, *polls[1]).status == 202);
  CHECK(count(calls, Kind::kOk) == 2);
  CHECK(h.invoke("fn")->kind() == Kind::kThrottled);
  // They come back to /next: both beyond the reservation of 1 while the third still runs.
  h.next(h.procs.spawns[0].env);
  h.next(h.procs.spawns[1].env);
  CHECK(h.procs.kills == std::vector<EnvId>{h.procs.spawns[0].env, h.procs.spawns[1].env});
  REQUIRE(h.respond(h.procs.spawns[2].env, *polls[2]).status == 202);
  CHECK(count(calls, Kind::kOk) == 3);
  // Down to one environment: it takes the next invocation.
  auto after = h.invoke("fn");
  CHECK_FALSE(after->done());
  auto p = h.next(h.procs.spawns[2].env);
  REQUIRE(p->delivered());
  REQUIRE(h.respond(h.procs.spawns[2].env, *p).status == 202);
  CHECK(after->kind() == Kind::kOk);
  CHECK(h.procs.spawns.size() == 3);
}

TEST_CASE("lambda concurrency: a reservation set on an unreserved function reclaims its idle environments beyond it") {
  LambdaHarness h({make_function("fn")});
  h.invoke("fn");
  h.invoke("fn");
  auto polls = start_all(h);
  for (size_t i = 0; i < 2; ++i) {
    h.respond(h.procs.spawns[i].env, *polls[i]);
    h.next(h.procs.spawns[i].env);
  }
  CHECK(h.fstats("fn").envs.idle == 2);
  REQUIRE(h.svc->set_reserved_concurrency("fn", 1).ok());
  CHECK(h.procs.kills == std::vector<EnvId>{h.procs.spawns[0].env});  // the least recently used
  CHECK(h.fstats("fn").envs.idle == 1);
  REQUIRE(h.svc->set_reserved_concurrency("fn", 0).ok());
  CHECK(h.procs.kills.size() == 2);
  auto call = h.invoke("fn");
  REQUIRE(call->done());
  CHECK(call->outcome.throttle_reason == kReasonReservedLimit);
}

TEST_CASE("lambda concurrency: reserved 0 set at runtime throttles every invoke; raising it runs them again") {
  std::vector<AsyncCompletion> completions;
  LambdaOptions opts;
  opts.on_async_done = [&](const AsyncCompletion& c) { completions.push_back(c); };
  LambdaHarness h({make_function("fn")}, opts);
  REQUIRE(h.svc->set_reserved_concurrency("fn", 0).ok());
  for (int i = 0; i < 3; ++i) CHECK(h.invoke("fn")->outcome.throttle_reason == kReasonReservedLimit);
  // An Event invocation is accepted, then dropped without running, as AWS does at 0.
  CHECK(h.invoke("fn", "{}", InvocationType::kEvent)->kind() == Kind::kAccepted);
  REQUIRE(completions.size() == 1);
  CHECK(completions[0].error_type == kReasonReservedLimit);
  CHECK(h.procs.spawns.empty());
  REQUIRE(h.svc->set_reserved_concurrency("fn", 1).ok());
  auto call = h.invoke("fn");
  CHECK_FALSE(call->done());
  CHECK(h.procs.spawns.size() == 1);
}

TEST_CASE("lambda concurrency: deleting a reservation returns the function to the shared pool") {
  LambdaOptions opts;
  opts.account_concurrency = 3;
  opts.unreserved_concurrency_min = 1;
  LambdaHarness h({make_function("a"), make_function("r", 3, 1)}, opts);
  CHECK(h.svc->stats().unreserved_concurrency_limit == 2);
  h.invoke("r");
  CHECK(h.invoke("r")->outcome.throttle_reason == kReasonReservedLimit);
  REQUIRE(h.svc->set_reserved_concurrency("r", std::nullopt).ok());
  CHECK(h.svc->stats().unreserved_concurrency_limit == 3);
  CHECK(h.svc->stats().unreserved_concurrency_in_use == 1);
  CHECK_FALSE(h.invoke("r")->done());
  CHECK_FALSE(h.invoke("a")->done());
  CHECK(h.invoke("a")->outcome.throttle_reason == kReasonAccountLimit);
}

// ============================================================================ the scaling rate

TEST_CASE("lambda concurrency: 1,000 new environments at once, the 1,001st within 10 s throttled, "
          "allowed again as the window refills") {
  LambdaHarness h({make_function("fn", 900)}, big_pool());
  std::vector<std::shared_ptr<Call>> calls;
  for (int i = 0; i < 1000; ++i) calls.push_back(h.invoke("fn"));
  CHECK(h.procs.spawns.size() == 1000);
  CHECK(count(calls, Kind::kThrottled) == 0);
  auto over = h.invoke("fn");
  REQUIRE(over->done());
  CHECK(over->kind() == Kind::kThrottled);
  CHECK(over->outcome.throttle_reason == kReasonScalingLimit);
  CHECK(std::string(kReasonScalingLimit) == "ConcurrentInvocationLimitExceeded");
  h.advance_ms(9);
  CHECK(h.invoke("fn")->kind() == Kind::kThrottled);
  h.advance_ms(1);  // 10 ms: one more environment's worth
  CHECK_FALSE(h.invoke("fn")->done());
  CHECK(h.procs.spawns.size() == 1001);
  CHECK(h.invoke("fn")->kind() == Kind::kThrottled);
  h.advance_s(10);  // a whole window: 1,000 more, not more than that
  std::vector<std::shared_ptr<Call>> next;
  for (int i = 0; i < 1001; ++i) next.push_back(h.invoke("fn"));
  CHECK(h.procs.spawns.size() == 2001);
  CHECK(count(next, Kind::kThrottled) == 1);
  CHECK(h.fstats("fn").cold_starts == 2001);
}

TEST_CASE("lambda concurrency: the scaling rate is per function, and warm environments take no token") {
  LambdaOptions opts = big_pool();
  opts.scaling_environments_per_10s = 2;
  LambdaHarness h({make_function("a"), make_function("b")}, opts);
  h.invoke("a");
  h.invoke("a");
  CHECK(h.invoke("a")->outcome.throttle_reason == kReasonScalingLimit);
  CHECK_FALSE(h.invoke("b")->done());  // b's own bucket
  // a's environments finish and come back: reusing them needs no new environment.
  auto polls = start_all(h);
  h.respond(h.procs.spawns[0].env, *polls[0]);
  h.next(h.procs.spawns[0].env);
  auto warm = h.invoke("a");
  CHECK_FALSE(warm->done());
  CHECK(h.procs.spawns.size() == 3);
}

TEST_CASE("lambda concurrency: an Event invocation beyond the scaling rate waits for the bucket to refill") {
  LambdaOptions opts = big_pool();
  opts.scaling_environments_per_10s = 1;  // one new environment per 10 s
  LambdaHarness h({make_function("fn", 900)}, opts);
  h.invoke("fn");
  CHECK(h.procs.spawns.size() == 1);
  h.start_delivered(h.last_env());  // busy with it
  auto queued = h.invoke("fn", "{}", InvocationType::kEvent);
  CHECK(queued->kind() == Kind::kAccepted);
  CHECK(h.procs.spawns.size() == 1);
  CHECK(h.fstats("fn").async_queued == 1);
  h.advance_ms(9'999);
  CHECK(h.procs.spawns.size() == 1);
  h.advance_ms(1);  // the timer wakes the queue
  CHECK(h.procs.spawns.size() == 2);
  CHECK(h.fstats("fn").async_queued == 0);
  CHECK(h.fstats("fn").throttles == 0);
}
