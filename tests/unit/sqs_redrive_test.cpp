// Redrive to a dead-letter queue at receive time (spec §4): exact count, what the DLQ copy
// keeps, RedriveAllowPolicy at redrive time, FIFO, persistence.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;
using slipway::core::kUsPerSecond;

namespace {
std::string redrive(const std::string& dlq, int n) {
  return R"({"deadLetterTargetArn":")" + SqsHarness::arn(dlq) + R"(","maxReceiveCount":)" + std::to_string(n) + "}";
}
}  // namespace

TEST_CASE("sqs redrive moves a message on the receive after maxReceiveCount receives") {
  SqsHarness h;
  auto dlq = h.create("dlq");
  auto q = h.create("src", {{"RedrivePolicy", redrive("dlq", 3)}, {"VisibilityTimeout", "1"}});
  auto sent = h.send(q, "poison");
  for (int i = 1; i <= 3; ++i) {
    auto got = h.receive(q);
    REQUIRE(got.size() == 1);
    CHECK(sys_attr(got[0], "ApproximateReceiveCount") == std::to_string(i));
    h.advance_s(1);
  }
  CHECK(h.receive(q).empty());  // the 4th receive moves it instead
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "0");
  CHECK(h.attr(dlq, "ApproximateNumberOfMessages") == "1");
  CHECK(h.store.count("remove_message src " + sent.message_id) == 1);
  CHECK(h.store.messages.count({"dlq", sent.message_id}) == 1);
}

TEST_CASE("sqs dead-letter copy keeps id, body, attributes, sent time and receive count") {
  SqsHarness h;
  auto dlq = h.create("dlq");
  auto q = h.create("src", {{"RedrivePolicy", redrive("dlq", 1)}, {"VisibilityTimeout", "0"}});
  SendMessageEntry e;
  e.message_body = "body";
  e.message_attributes = {{"k", AttributeValue{"String", "v", ""}}};
  auto sent = h.try_send(q, e).value();
  h.advance_s(7);
  REQUIRE(h.receive(q).size() == 1);
  CHECK(h.receive(q).empty());
  auto got = h.receive(dlq);
  REQUIRE(got.size() == 1);
  CHECK(got[0].message_id == sent.message_id);
  CHECK(got[0].body == "body");
  CHECK(got[0].message_attributes.at("k").string_value == "v");
  CHECK(sys_attr(got[0], "SentTimestamp") == "1700000000000");
  CHECK(sys_attr(got[0], "ApproximateReceiveCount") == "2");
  CHECK(sys_attr(got[0], "DeadLetterQueueSourceArn") == h.arn("src"));
}

TEST_CASE("sqs standard dead-letter messages keep their enqueue time for retention") {
  SqsHarness h;
  auto dlq = h.create("dlq", {{"MessageRetentionPeriod", "100"}});
  auto q = h.create("src", {{"RedrivePolicy", redrive("dlq", 1)}, {"VisibilityTimeout", "0"}});
  h.send(q, "m");
  h.advance_s(60);
  REQUIRE(h.receive(q).size() == 1);
  CHECK(h.receive(q).empty());
  h.advance_s(40);  // 100 s since the original send
  CHECK(h.attr(dlq, "ApproximateNumberOfMessages") == "0");
}

TEST_CASE("sqs redrive honours a RedriveAllowPolicy changed after the source was configured") {
  SqsHarness h;
  auto dlq = h.create("dlq");
  auto q = h.create("src", {{"RedrivePolicy", redrive("dlq", 1)}, {"VisibilityTimeout", "0"}});
  REQUIRE_FALSE(h.set_attr(dlq, "RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"));
  h.send(q, "m");
  REQUIRE(h.receive(q).size() == 1);
  CHECK(h.receive(q).size() == 1);  // not moved: the DLQ refuses this source
  CHECK(h.attr(dlq, "ApproximateNumberOfMessages") == "0");
}

TEST_CASE("sqs fifo redrive moves to a fifo dlq and the group continues") {
  SqsHarness h;
  auto dlq = h.create_fifo("dlq.fifo");
  auto q = h.create_fifo("src.fifo", {{"RedrivePolicy", redrive("dlq.fifo", 1)}, {"VisibilityTimeout", "5"}});
  h.send(q, "m1", "G", "1");
  h.send(q, "m2", "G", "2");
  REQUIRE(h.receive(q).size() == 1);
  h.advance_s(5);
  auto next = h.receive(q);
  REQUIRE(next.size() == 1);
  CHECK(next[0].body == "m2");
  auto dead = h.receive(dlq);
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].body == "m1");
  CHECK(sys_attr(dead[0], "MessageGroupId") == "G");
}

TEST_CASE("sqs redrive into a dlq wakes its long poll") {
  SqsHarness h;
  auto dlq = h.create("dlq");
  auto q = h.create("src", {{"RedrivePolicy", redrive("dlq", 1)}, {"VisibilityTimeout", "0"}});
  ReceiveMessageRequest req;
  req.queue = dlq;
  req.wait_time_seconds = 20;
  auto waiting = h.poll(req);
  CHECK_FALSE(waiting->done());
  h.send(q, "m");
  REQUIRE(h.receive(q).size() == 1);
  CHECK(h.receive(q).empty());
  REQUIRE(waiting->done());
  CHECK(waiting->messages().size() == 1);
}
