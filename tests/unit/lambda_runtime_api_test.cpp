// The Runtime API as the core answers it: request-id and state checks (400, 403), the payload
// limit (413), /error bodies, START/END/REPORT lines and the log tail.
#include <doctest/doctest.h>

#include "fake_lambda_processes.h"

using namespace slipway::lambda;
using namespace slipway::lambda::testing;
using Kind = InvokeOutcome::Kind;

TEST_CASE("lambda runtime api: an unknown or stale request id is 400 InvalidRequestID") {
  LambdaHarness h({make_function("fn")});
  h.invoke("fn");
  const EnvId env = h.last_env();
  h.svc->on_spawned(env);
  CHECK(h.svc->response(env, "nope", "x").status == 400);  // nothing delivered yet
  auto p = h.next(env);
  const RuntimeReply r = h.svc->response(env, "not-the-id", "x");
  CHECK(r.status == 400);
  CHECK(r.error_type == "InvalidRequestID");
  CHECK(r.message == "Invalid request ID");
  CHECK(h.svc->invocation_error(env, "not-the-id", "", "{}").status == 400);
  CHECK(h.state(env) == EnvState::kInvoking);
  CHECK(h.respond(env, *p).status == 202);
}

TEST_CASE("lambda runtime api: a second response is 403 InvalidStateTransition") {
  LambdaHarness h({make_function("fn")});
  auto call = h.invoke("fn");
  const EnvId env = h.last_env();
  auto p = h.start_delivered(env);
  CHECK(h.respond(env, *p, "\"first\"").status == 202);
  const RuntimeReply again = h.respond(env, *p, "\"second\"");
  CHECK(again.status == 403);
  CHECK(again.error_type == "InvalidStateTransition");
  CHECK(again.message ==
        "State transition from Finishing to InvocationResponse failed for runtime. Error: State transition is not allowed");
  CHECK(h.svc->invocation_error(env, p->id(), "", "{}").status == 403);
  CHECK(call->answers == 1);
  CHECK(call->outcome.payload == "\"first\"");
}

TEST_CASE("lambda runtime api: /next while an invocation is outstanding is 403 and changes nothing") {
  LambdaHarness h({make_function("fn")});
  h.invoke("fn");
  const EnvId env = h.last_env();
  auto p = h.start_delivered(env);
  auto again = h.next(env);
  CHECK(again->reply.status == 403);
  CHECK(again->reply.message.find("from Invoking to Ready") != std::string::npos);
  CHECK_FALSE(again->delivered());
  CHECK(h.state(env) == EnvState::kInvoking);
  // A second parked /next while Idle is refused too.
  h.respond(env, *p);
  auto parked = h.next(env);
  CHECK(parked->reply.status == 200);
  CHECK(h.next(env)->reply.status == 403);
  // /next before the process is confirmed running, and for an unknown environment.
  h.invoke("fn");
  h.invoke("fn");
  CHECK(h.next(h.last_env())->reply.status == 403);
  CHECK(h.next(999)->reply.status == 403);
}

TEST_CASE("lambda runtime api: a response over 6291556 bytes is 413; the caller gets ResponseSizeTooLarge") {
  LambdaHarness h({make_function("fn")});
  auto call = h.invoke("fn");
  const EnvId env = h.last_env();
  auto p = h.start_delivered(env);
  const RuntimeReply r = h.respond(env, *p, std::string(6291557, 'x'));
  CHECK(r.status == 413);
  CHECK(r.error_type == "RequestEntityTooLarge");
  CHECK(r.message == "Exceeded maximum allowed payload size (6291556 bytes).");
  REQUIRE(call->done());
  CHECK(call->kind() == Kind::kFunctionError);
  CHECK(call->outcome.payload ==
        R"({"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes)."})");
  CHECK(h.state(env) == EnvState::kFinishing);
  // Exactly at the limit is fine.
  auto p2 = h.next(env);
  auto ok = h.invoke("fn");
  CHECK(h.respond(env, *p2, std::string(6291556, 'x')).status == 202);
  CHECK(ok->kind() == Kind::kOk);
}

TEST_CASE("lambda runtime api: /error passes the body through; the environment stays warm") {
  LambdaHarness h({make_function("fn")});
  auto call = h.invoke("fn");
  const EnvId env = h.last_env();
  auto p = h.start_delivered(env);
  const std::string body = R"({"errorMessage":"boom","errorType":"ValueError","stackTrace":[]})";
  CHECK(h.svc->invocation_error(env, p->id(), "Runtime.Unknown", body).status == 202);
  REQUIRE(call->done());
  CHECK(call->kind() == Kind::kFunctionError);
  CHECK(call->outcome.function_error == "Unhandled");
  CHECK(call->outcome.payload == body);
  CHECK(h.state(env) == EnvState::kFinishing);
  CHECK(h.logs.starting_with("REPORT").back().find("Status") == std::string::npos);
  // An empty body: the error is built from the header.
  auto p2 = h.next(env);
  auto second = h.invoke("fn");
  h.svc->invocation_error(env, p2->id(), "Runtime.NoSuchHandler", "");
  CHECK(second->outcome.payload == R"({"errorType":"Runtime.NoSuchHandler","errorMessage":""})");
  CHECK(h.procs.spawns.size() == 1);
}

TEST_CASE("lambda REPORT carries Init Duration on an environment's first invoke only") {
  LambdaHarness h({make_function("fn", 3, std::nullopt, 256)});
  h.invoke("fn");
  const EnvId env = h.last_env();
  h.svc->on_spawned(env);
  h.advance_us(5'670);  // init
  auto p = h.next(env);
  h.procs.memory_mb[env] = 67;
  h.advance_us(12'340);
  h.respond(env, *p);
  auto p2 = h.next(env);
  h.invoke("fn");
  h.advance_us(1'500);
  h.respond(env, *p2);
  const auto reports = h.logs.starting_with("REPORT");
  REQUIRE(reports.size() == 2);
  CHECK(reports[0] == "REPORT RequestId: " + p->id() +
                          "\tDuration: 12.34 ms\tBilled Duration: 19 ms\tMemory Size: 256 MB\t"
                          "Max Memory Used: 67 MB\tInit Duration: 5.67 ms\t");
  CHECK(reports[1] == "REPORT RequestId: " + p2->id() +
                          "\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 67 MB\t");
  const auto lines = h.logs.stream(h.stream(env));
  CHECK(lines[0] == "START RequestId: " + p->id() + " Version: $LATEST");
  CHECK(lines[1] == "END RequestId: " + p->id());
  CHECK(h.stream(env).rfind("2023/11/14/[$LATEST]", 0) == 0);
  CHECK(h.stream(env).size() == std::string("2023/11/14/[$LATEST]").size() + 32);
  CHECK(h.svc->env_log_stream(env) == h.stream(env));
}

TEST_CASE("lambda every output line reaches the log sink; the tail holds the invocation's last 4 KB") {
  LambdaHarness h({make_function("fn")});
  auto call = h.invoke("fn", "{}", InvocationType::kRequestResponse, true);
  const EnvId env = h.last_env();
  h.svc->on_spawned(env);
  h.svc->on_output(env, "init says hello");
  auto p = h.next(env);
  for (int i = 0; i < 100; ++i) h.svc->on_output(env, "line " + std::to_string(i) + std::string(60, '.'));
  h.respond(env, *p);
  h.svc->on_output(env, "after the response");
  REQUIRE(call->done());
  const std::string& tail = call->outcome.log_tail;
  CHECK(tail.size() <= 4096);
  CHECK(tail.size() > 3000);
  CHECK(tail.find("init says hello") == std::string::npos);
  CHECK(tail.find("START") == std::string::npos);  // pushed out by 100 long lines
  CHECK(tail.rfind("line ", 0) == 0);
  CHECK(tail.find("line 99") != std::string::npos);
  CHECK(tail.find("END RequestId: " + p->id() + "\nREPORT RequestId: " + p->id()) != std::string::npos);
  CHECK(tail.ends_with("\t\n"));
  const auto lines = h.logs.stream(h.stream(env));
  CHECK(lines.front() == "init says hello");
  CHECK(lines.back() == "after the response");
  CHECK(lines.size() == 1 + 1 + 100 + 2 + 1);
  // No tail unless asked for.
  auto p2 = h.next(env);
  auto plain = h.invoke("fn");
  h.respond(env, *p2);
  CHECK(plain->outcome.log_tail.empty());
}
