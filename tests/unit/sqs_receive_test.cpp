// ReceiveMessage, DeleteMessage and ChangeMessageVisibility on standard queues: parameters,
// visibility deadlines (exact to the microsecond), receipt handles, delays, retention.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;
using slipway::core::kUsPerSecond;

namespace {
SqsError receive_error(SqsHarness& h, ReceiveMessageRequest req) {
  auto p = h.poll(std::move(req));
  REQUIRE(p->done());
  REQUIRE_FALSE(p->result->ok());
  return p->result->error();
}
}  // namespace

TEST_CASE("sqs receive parameter errors carry AWS's texts") {
  SqsHarness h;
  auto q = h.create("q");
  ReceiveMessageRequest req;
  req.queue = q;
  req.max_number_of_messages = 11;
  CHECK(receive_error(h, req).message ==
        "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
  req.max_number_of_messages = 0;
  CHECK(receive_error(h, req).code == SqsErrorCode::kInvalidParameterValue);
  req.max_number_of_messages.reset();
  req.wait_time_seconds = 21;
  CHECK(receive_error(h, req).message ==
        "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
  req.wait_time_seconds = -1;
  CHECK(receive_error(h, req).message ==
        "Value -1 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
  req.wait_time_seconds.reset();
  req.visibility_timeout = 43201;
  CHECK(receive_error(h, req).code == SqsErrorCode::kInvalidParameterValue);
  req.queue = h.ref("missing");
  req.visibility_timeout.reset();
  CHECK(receive_error(h, req).code == SqsErrorCode::kQueueDoesNotExist);
}

TEST_CASE("sqs receive returns at most MaxNumberOfMessages, default 1, in send order") {
  SqsHarness h;
  auto q = h.create("q");
  for (int i = 0; i < 12; ++i) h.send(q, "m" + std::to_string(i));
  auto one = h.receive(q, 1);
  REQUIRE(one.size() == 1);
  CHECK(one[0].body == "m0");
  auto ten = h.receive(q, 10);
  REQUIRE(ten.size() == 10);
  CHECK(ten[0].body == "m1");
  CHECK(ten[9].body == "m10");
  CHECK(h.receive(q, 10).size() == 1);
  CHECK(h.receive(q, 10).empty());
}

TEST_CASE("sqs in-flight message becomes visible exactly at its deadline, not a microsecond before") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "30"}});
  h.send(q, "m");
  REQUIRE(h.receive(q).size() == 1);
  CHECK(h.attr(q, "ApproximateNumberOfMessagesNotVisible") == "1");
  h.advance_us(30 * kUsPerSecond - 1);
  CHECK(h.receive(q).empty());
  h.advance_us(1);
  auto again = h.receive(q);
  REQUIRE(again.size() == 1);
  CHECK(sys_attr(again[0], "ApproximateReceiveCount") == "2");
}

TEST_CASE("sqs receive visibility override applies to that receive only") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "100"}});
  h.send(q, "m");
  REQUIRE(h.receive(q, 1, 5).size() == 1);
  h.advance_s(5);
  REQUIRE(h.receive(q).size() == 1);  // queue default 100 s now
  h.advance_s(99);
  CHECK(h.receive(q).empty());
  h.advance_s(1);
  CHECK(h.receive(q).size() == 1);
}

TEST_CASE("sqs receive with visibility 0 leaves the message visible") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "m");
  auto a = h.receive(q, 1, 0);
  auto b = h.receive(q, 1, 0);
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0].receipt_handle != b[0].receipt_handle);
  CHECK(a[0].receipt_handle.rfind("AQEB", 0) == 0);
}

TEST_CASE("sqs system attributes are returned only when requested") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "m");
  auto none = h.receive(q, 1, 0, {});
  REQUIRE(none.size() == 1);
  CHECK(none[0].attributes.empty());
  h.advance_s(2);
  auto some = h.receive(q, 1, 0, {"SentTimestamp", "not-a-real-name"});
  REQUIRE(some[0].attributes.size() == 1);
  CHECK(sys_attr(some[0], "SentTimestamp") == "1700000000000");
  auto all = h.receive(q, 1, 0, {"All"});
  CHECK(sys_attr(all[0], "SenderId") == "000000000000");
  CHECK(sys_attr(all[0], "ApproximateReceiveCount") == "3");
  CHECK(sys_attr(all[0], "ApproximateFirstReceiveTimestamp") == "1700000000000");
  CHECK(sys_attr(all[0], "MessageGroupId") == "<absent>");
  CHECK(all[0].attributes.size() == 4);
}

TEST_CASE("sqs delete with a garbage or foreign receipt handle is ReceiptHandleIsInvalid") {
  SqsHarness h;
  auto q = h.create("q");
  auto other = h.create("other");
  auto e = h.del(q, "garbage");
  CHECK(e->code == SqsErrorCode::kReceiptHandleIsInvalid);
  CHECK(e->message == "The input receipt handle \"garbage\" is not a valid receipt handle.");
  h.send(other, "m");
  auto got = h.receive(other);
  CHECK(h.del(q, got[0].receipt_handle)->code == SqsErrorCode::kReceiptHandleIsInvalid);
  CHECK(h.del(q, "AQEBbm90IG91cnM=")->code == SqsErrorCode::kReceiptHandleIsInvalid);
}

TEST_CASE("sqs delete removes the message for good and is idempotent") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "1"}});
  auto sent = h.send(q, "m");
  auto got = h.receive(q);
  CHECK_FALSE(h.del(q, got[0].receipt_handle));
  CHECK_FALSE(h.del(q, got[0].receipt_handle));
  CHECK(h.store.count("remove_message q " + sent.message_id) == 1);
  h.advance_s(3600);
  CHECK(h.receive(q).empty());
}

TEST_CASE("sqs standard delete with an expired handle still deletes; an older receive's handle does not") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "10"}});
  h.send(q, "a");
  auto first = h.receive(q);
  h.advance_s(11);
  CHECK_FALSE(h.del(q, first[0].receipt_handle));  // expired, not re-received: deleted
  CHECK(h.receive(q).empty());
  h.send(q, "b");
  auto b1 = h.receive(q);
  h.advance_s(11);
  auto b2 = h.receive(q);
  REQUIRE(b2.size() == 1);
  CHECK_FALSE(h.del(q, b1[0].receipt_handle));  // 200, but the newer receive keeps it
  CHECK(h.attr(q, "ApproximateNumberOfMessagesNotVisible") == "1");
  CHECK_FALSE(h.del(q, b2[0].receipt_handle));
  CHECK(h.attr(q, "ApproximateNumberOfMessagesNotVisible") == "0");
}

TEST_CASE("sqs change visibility to 0 makes the message visible now") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "m");
  auto got = h.receive(q);
  CHECK(h.receive(q).empty());
  CHECK_FALSE(h.change(q, got[0].receipt_handle, 0));
  CHECK(h.receive(q).size() == 1);
}

TEST_CASE("sqs change visibility counts from the call and is capped at 12 hours since receive") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "60"}});
  h.send(q, "m");
  auto got = h.receive(q);
  const std::string handle = got[0].receipt_handle;
  h.advance_s(50);
  CHECK_FALSE(h.change(q, handle, 100));  // now visible at 150 s after receive
  h.advance_s(99);
  CHECK(h.receive(q).empty());
  h.advance_s(1);
  auto again = h.receive(q);
  REQUIRE(again.size() == 1);
  CHECK_FALSE(h.change(q, again[0].receipt_handle, 43200));  // exactly 12 h from this receive
  h.advance_s(10);
  auto e = h.change(q, again[0].receipt_handle, 43200);
  REQUIRE(e);
  CHECK(e->message ==
        "Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
  CHECK(h.change(q, again[0].receipt_handle, 43201)->code == SqsErrorCode::kInvalidParameterValue);
}

TEST_CASE("sqs change visibility of a deleted message, an expired handle and garbage") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "5"}});
  h.send(q, "m");
  auto got = h.receive(q);
  const std::string handle = got[0].receipt_handle;
  h.advance_s(6);
  CHECK_FALSE(h.change(q, handle, 100));  // expired standard handle: 200, no-op
  CHECK(h.receive(q, 1, 0).size() == 1);
  REQUIRE_FALSE(h.del(q, h.receive(q)[0].receipt_handle));
  auto e = h.change(q, handle, 10);
  CHECK(e->message == "Value " + handle +
                          " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.");
  CHECK(h.change(q, "junk", 10)->code == SqsErrorCode::kReceiptHandleIsInvalid);
}

TEST_CASE("sqs delete and visibility batches report per-entry results") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "a");
  h.send(q, "b");
  auto got = h.receive(q, 2);
  auto cv = h.svc->change_message_visibility_batch(
      h.ctx, ChangeMessageVisibilityBatchRequest{q, {{"x", got[0].receipt_handle, 0}, {"y", "bad", 0}}});
  REQUIRE(cv.ok());
  CHECK(cv.value().successful == std::vector<std::string>{"x"});
  REQUIRE(cv.value().failed.size() == 1);
  CHECK(cv.value().failed[0].error.code == SqsErrorCode::kReceiptHandleIsInvalid);
  auto del = h.svc->delete_message_batch(
      h.ctx, DeleteMessageBatchRequest{q, {{"1", got[1].receipt_handle}, {"2", "nope"}}});
  CHECK(del.value().successful == std::vector<std::string>{"1"});
  CHECK(del.value().failed[0].id == "2");
  auto empty = h.svc->delete_message_batch(h.ctx, DeleteMessageBatchRequest{q, {}});
  CHECK(empty.error().message == "There should be at least one DeleteMessageBatchRequestEntry in the request.");
}

TEST_CASE("sqs queue delay and message delay hold messages back") {
  SqsHarness h;
  auto q = h.create("q", {{"DelaySeconds", "10"}});
  h.send(q, "queue-delayed");
  SendMessageEntry e;
  e.message_body = "msg-delayed";
  e.delay_seconds = 3;
  REQUIRE(h.try_send(q, e).ok());
  e.message_body = "now";
  e.delay_seconds = 0;
  REQUIRE(h.try_send(q, e).ok());
  CHECK(h.attr(q, "ApproximateNumberOfMessagesDelayed") == "2");
  CHECK(h.receive(q, 10).size() == 1);
  h.advance_s(3);
  auto mid = h.receive(q, 10);
  REQUIRE(mid.size() == 1);
  CHECK(mid[0].body == "msg-delayed");
  h.advance_us(7 * kUsPerSecond - 1);
  CHECK(h.receive(q, 10).empty());
  h.advance_us(1);
  CHECK(h.receive(q, 10).size() == 1);
}

TEST_CASE("sqs standard queue delay change is not retroactive") {
  SqsHarness h;
  auto q = h.create("q", {{"DelaySeconds", "10"}});
  h.send(q, "m");
  REQUIRE_FALSE(h.set_attr(q, "DelaySeconds", "0"));
  CHECK(h.receive(q).empty());
  h.advance_s(10);
  CHECK(h.receive(q).size() == 1);
}

TEST_CASE("sqs retention removes messages at MessageRetentionPeriod after enqueue") {
  SqsHarness h;
  auto q = h.create("q", {{"MessageRetentionPeriod", "60"}});
  auto old = h.send(q, "old");
  h.advance_s(30);
  h.send(q, "young");
  h.advance_us(30 * kUsPerSecond - 1);
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "2");
  h.advance_us(1);
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "1");
  CHECK(h.store.count("remove_message q " + old.message_id) == 1);
  h.advance_s(30);
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "0");
  CHECK(h.timers.empty());
}

TEST_CASE("sqs retention: deleting the oldest message re-arms nothing, and the next still expires on time") {
  SqsHarness h;
  auto q = h.create("q", {{"MessageRetentionPeriod", "60"}});
  h.send(q, "first");
  h.advance_s(10);
  auto second = h.send(q, "second");
  h.advance_s(10);
  h.send(q, "third");
  const auto first_due = h.timers.next_due_us();
  REQUIRE(first_due == h.clock.now_us() + 40 * kUsPerSecond);
  auto got = h.receive(q);
  REQUIRE(got.size() == 1);
  REQUIRE(got[0].body == "first");
  REQUIRE_FALSE(h.del(q, got[0].receipt_handle));
  CHECK(h.timers.size() == 1);
  CHECK(h.timers.next_due_us() == first_due);  // the sweep due for "first" stays armed
  h.advance_s(40);  // it fires at 60 s, early for "second": nothing goes
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "2");
  h.advance_us(10 * kUsPerSecond - 1);
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "2");
  h.advance_us(1);  // 60 s after "second" was sent
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "1");
  CHECK(h.store.count("remove_message q " + second.message_id) == 1);
  h.advance_s(10);
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "0");
  CHECK(h.timers.empty());
}

TEST_CASE("sqs lowering retention expires existing messages") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "m");
  h.advance_s(120);
  REQUIRE_FALSE(h.set_attr(q, "MessageRetentionPeriod", "60"));
  h.advance_us(0);
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "0");
}

TEST_CASE("sqs receive persists the new receive count and handle") {
  SqsHarness h;
  auto q = h.create("q");
  auto sent = h.send(q, "m");
  auto got = h.receive(q);
  const auto& rec = h.store.messages.at({"q", sent.message_id});
  CHECK(rec.receive_count == 1);
  CHECK(rec.receipt_handle == got[0].receipt_handle);
  CHECK(rec.visible_at_us == h.clock.now_us() + 30 * kUsPerSecond);
}

TEST_CASE("sqs a queue with 200k resident messages receives and deletes quickly") {
  SqsHarness h;
  // No persistence: this measures the service's own indexes.
  h.svc = std::make_unique<SqsService>(SqsConfig{}, h.clock, h.timers,
                                       slipway::core::IdGen(slipway::core::Rng(1)), nullptr);
  auto q = h.create("q");
  for (int i = 0; i < 200000; ++i) h.send(q, "m");
  for (int i = 0; i < 1000; ++i) {
    auto got = h.receive(q, 10);
    REQUIRE(got.size() == 10);
    for (const auto& m : got) REQUIRE_FALSE(h.del(q, m.receipt_handle));
  }
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "190000");
}
