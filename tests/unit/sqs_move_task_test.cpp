// Message move tasks (spec §2.7): validation, pacing with the manual clock, destinations,
// cancel and list.
#include <doctest/doctest.h>

#include "core/digest.h"
#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;

namespace {
std::string redrive(const std::string& dlq, int n) {
  return R"({"deadLetterTargetArn":")" + SqsHarness::arn(dlq) + R"(","maxReceiveCount":)" + std::to_string(n) + "}";
}
// A source queue "src" whose `n` messages were all redriven into "dlq".
void fill_dlq(SqsHarness& h, int n) {
  h.create("dlq");
  auto q = h.create("src", {{"RedrivePolicy", redrive("dlq", 1)}, {"VisibilityTimeout", "0"}});
  for (int i = 0; i < n; ++i) h.send(q, "m" + std::to_string(i));
  REQUIRE(h.receive(q, 10).size() == static_cast<size_t>(std::min(n, 10)));
  while (!h.receive(q, 10).empty()) {
  }
  REQUIRE(h.attr(h.ref("dlq"), "ApproximateNumberOfMessages") == std::to_string(n));
}
StartMessageMoveTaskRequest start(const std::string& source, std::optional<std::string> dest = std::nullopt,
                                  std::optional<int> rate = std::nullopt) {
  return StartMessageMoveTaskRequest{SqsHarness::arn(source), std::move(dest), rate};
}
}  // namespace

TEST_CASE("sqs move task source must exist and be a dead-letter queue") {
  SqsHarness h;
  h.create("plain");
  auto missing = h.svc->start_message_move_task(h.ctx, start("nope"));
  CHECK(missing.error().code == SqsErrorCode::kResourceNotFound);
  CHECK(missing.error().message == "The resource that you specified for the SourceArn parameter doesn't exist.");
  auto not_dlq = h.svc->start_message_move_task(h.ctx, start("plain"));
  CHECK(not_dlq.error().message == "Source queue must be configured as a Dead Letter Queue.");
  fill_dlq(h, 1);
  auto bad_dest = h.svc->start_message_move_task(h.ctx, start("dlq", SqsHarness::arn("gone")));
  CHECK(bad_dest.error().message == "The resource that you specified for the DestinationArn parameter doesn't exist.");
  CHECK(h.svc->start_message_move_task(h.ctx, start("dlq", std::nullopt, 501)).error().code ==
        SqsErrorCode::kInvalidParameterValue);
}

TEST_CASE("sqs move task moves messages back to their source at the given rate") {
  SqsHarness h;
  fill_dlq(h, 5);
  auto r = h.svc->start_message_move_task(h.ctx, start("dlq", std::nullopt, 2));
  REQUIRE(r.ok());
  auto again = h.svc->start_message_move_task(h.ctx, start("dlq"));
  CHECK(again.error().message ==
        "There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
  h.advance_us(0);
  CHECK(h.attr(h.ref("src"), "ApproximateNumberOfMessages") == "2");
  h.advance_us(999999);
  CHECK(h.attr(h.ref("src"), "ApproximateNumberOfMessages") == "2");
  h.advance_us(1);
  CHECK(h.attr(h.ref("src"), "ApproximateNumberOfMessages") == "4");
  h.advance_s(1);
  CHECK(h.attr(h.ref("src"), "ApproximateNumberOfMessages") == "5");
  auto list = h.svc->list_message_move_tasks(h.ctx, ListMessageMoveTasksRequest{SqsHarness::arn("dlq"), {}});
  REQUIRE(list.value().results.size() == 1);
  const auto& t = list.value().results[0];
  CHECK(t.status == "COMPLETED");
  CHECK(t.task_handle.empty());
  CHECK(t.approximate_number_of_messages_moved == 5);
  CHECK(t.approximate_number_of_messages_to_move == 5);
  CHECK(t.max_number_of_messages_per_second == 2);
  CHECK_FALSE(t.destination_arn);
  CHECK(t.started_timestamp_ms == 1700000000000);
  auto back = h.receive(h.ref("src"), 1, 30);
  CHECK(sys_attr(back[0], "ApproximateReceiveCount") == "1");  // reset to 0 by the move
  CHECK(sys_attr(back[0], "DeadLetterQueueSourceArn") == "<absent>");
}

TEST_CASE("sqs move task to an explicit destination") {
  SqsHarness h;
  fill_dlq(h, 3);
  h.create("dest");
  REQUIRE(h.svc->start_message_move_task(h.ctx, start("dlq", SqsHarness::arn("dest"))).ok());
  h.advance_us(0);
  CHECK(h.attr(h.ref("dest"), "ApproximateNumberOfMessages") == "3");
  CHECK(h.attr(h.ref("src"), "ApproximateNumberOfMessages") == "0");
  auto list = h.svc->list_message_move_tasks(h.ctx, ListMessageMoveTasksRequest{SqsHarness::arn("dlq"), {}});
  CHECK(list.value().results[0].destination_arn == SqsHarness::arn("dest"));
}

TEST_CASE("sqs cancel move task stops it and reports the moved count") {
  SqsHarness h;
  fill_dlq(h, 5);
  auto r = h.svc->start_message_move_task(h.ctx, start("dlq", std::nullopt, 2));
  h.advance_us(0);
  auto c = h.svc->cancel_message_move_task(h.ctx, CancelMessageMoveTaskRequest{r.value().task_handle});
  REQUIRE(c.ok());
  CHECK(c.value().approximate_number_of_messages_moved == 2);
  h.advance_s(5);
  CHECK(h.attr(h.ref("dlq"), "ApproximateNumberOfMessages") == "3");
  auto again = h.svc->cancel_message_move_task(h.ctx, CancelMessageMoveTaskRequest{r.value().task_handle});
  CHECK(again.error().code == SqsErrorCode::kResourceNotFound);
  CHECK(again.error().message == "Task does not exist.");
  auto list = h.svc->list_message_move_tasks(h.ctx, ListMessageMoveTasksRequest{SqsHarness::arn("dlq"), 10});
  CHECK(list.value().results[0].status == "CANCELLED");
}

TEST_CASE("sqs move task handle is base64 json; garbage and unknown handles are errors") {
  SqsHarness h;
  fill_dlq(h, 1);
  auto r = h.svc->start_message_move_task(h.ctx, start("dlq", std::nullopt, 1));
  auto decoded = slipway::core::base64_decode(r.value().task_handle);
  REQUIRE(decoded);
  CHECK(decoded->rfind(R"({"taskId":")", 0) == 0);
  CHECK(decoded->find(R"("sourceArn":")" + SqsHarness::arn("dlq") + "\"") != std::string::npos);
  auto garbage = h.svc->cancel_message_move_task(h.ctx, CancelMessageMoveTaskRequest{"garbage"});
  CHECK(garbage.error().message == "Value for parameter TaskHandle is invalid.");
  const std::string crafted = slipway::core::base64_encode(
      R"({"taskId":"00000000-0000-4000-8000-000000000000","sourceArn":")" + SqsHarness::arn("dlq") + "\"}");
  CHECK(h.svc->cancel_message_move_task(h.ctx, CancelMessageMoveTaskRequest{crafted}).error().code ==
        SqsErrorCode::kResourceNotFound);
}

TEST_CASE("sqs list move tasks is most recent first with MaxResults 1..10") {
  SqsHarness h;
  fill_dlq(h, 2);
  REQUIRE(h.svc->start_message_move_task(h.ctx, start("dlq", std::nullopt, 1)).ok());
  h.advance_us(0);
  auto first = h.svc->list_message_move_tasks(h.ctx, ListMessageMoveTasksRequest{SqsHarness::arn("dlq"), {}});
  REQUIRE(first.value().results.size() == 1);
  CHECK(first.value().results[0].status == "RUNNING");
  CHECK_FALSE(first.value().results[0].task_handle.empty());
  h.advance_s(1);
  h.advance_s(10);
  REQUIRE(h.svc->start_message_move_task(h.ctx, start("dlq")).ok());
  auto both = h.svc->list_message_move_tasks(h.ctx, ListMessageMoveTasksRequest{SqsHarness::arn("dlq"), 10});
  REQUIRE(both.value().results.size() == 2);
  CHECK(both.value().results[0].started_timestamp_ms > both.value().results[1].started_timestamp_ms);
  CHECK(h.svc->list_message_move_tasks(h.ctx, ListMessageMoveTasksRequest{SqsHarness::arn("dlq"), 11})
            .error().code == SqsErrorCode::kInvalidParameterValue);
}

TEST_CASE("sqs a running move task survives a restart and finishes; finished ones are listed") {
  SqsHarness h;
  fill_dlq(h, 5);
  REQUIRE(h.svc->start_message_move_task(h.ctx, start("dlq", std::nullopt, 2)).ok());
  h.advance_us(0);  // first tick: 2 moved
  REQUIRE(h.attr(h.ref("src"), "ApproximateNumberOfMessages") == "2");
  CHECK(h.store.move_tasks.size() == 1);
  CHECK(h.store.move_tasks[0].moved == 2);
  CHECK(h.store.move_tasks[0].status == "RUNNING");

  SqsHarness r(7);  // the daemon restarts from what was stored
  r.clock.set_us(h.clock.now_us());
  r.svc->restore(h.store.snapshot());
  auto running = r.svc->list_message_move_tasks(r.ctx, {SqsHarness::arn("dlq"), std::nullopt});
  REQUIRE(running.ok());
  REQUIRE(running.value().results.size() == 1);
  CHECK(running.value().results[0].status == "RUNNING");
  CHECK(running.value().results[0].approximate_number_of_messages_moved == 2);
  CHECK(running.value().results[0].max_number_of_messages_per_second == 2);
  r.advance_us(0);  // resumes in the next pass at the same rate
  CHECK(r.attr(r.ref("src"), "ApproximateNumberOfMessages") == "4");
  r.advance_s(1);
  CHECK(r.attr(r.ref("src"), "ApproximateNumberOfMessages") == "5");
  auto done = r.svc->list_message_move_tasks(r.ctx, {SqsHarness::arn("dlq"), std::nullopt});
  CHECK(done.value().results[0].status == "COMPLETED");
  CHECK(done.value().results[0].approximate_number_of_messages_moved == 5);
  CHECK(done.value().results[0].approximate_number_of_messages_to_move == 5);
  CHECK(r.store.move_tasks.back().status == "COMPLETED");
}
