// FIFO queues: required ids, deduplication (window, scope, content-based), sequence numbers,
// per-group ordering and blocking, expired handles, delays, ReceiveRequestAttemptId.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;
using slipway::core::kUsPerSecond;

namespace {
SendMessageEntry fifo_entry(const std::string& body, std::optional<std::string> group,
                            std::optional<std::string> dedup) {
  SendMessageEntry e;
  e.message_body = body;
  e.message_group_id = std::move(group);
  e.message_deduplication_id = std::move(dedup);
  return e;
}
std::vector<std::string> bodies(const std::vector<ReceivedMessage>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m.body);
  return out;
}
}  // namespace

TEST_CASE("sqs fifo send requires MessageGroupId: MissingParameter alone, InvalidParameterValue in a batch") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  auto single = h.try_send(q, fifo_entry("b", std::nullopt, "d"));
  CHECK(single.error().code == SqsErrorCode::kMissingParameter);
  CHECK(single.error().message == "The request must contain the parameter MessageGroupId.");
  auto e = fifo_entry("b", std::nullopt, "d");
  e.id = "1";
  auto batch = h.svc->send_message_batch(h.ctx, SendMessageBatchRequest{q, {e}});
  CHECK(batch.error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(batch.error().message == "The request must contain the parameter MessageGroupId.");
}

TEST_CASE("sqs fifo send needs a dedup id unless content-based deduplication is on") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  auto r = h.try_send(q, fifo_entry("b", "g", std::nullopt));
  CHECK(r.error().message ==
        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  CHECK(h.try_send(q, fifo_entry("b", "g", std::string(129, 'd'))).error().code ==
        SqsErrorCode::kInvalidParameterValue);
  CHECK(h.try_send(q, fifo_entry("b", "", "d")).error().code == SqsErrorCode::kInvalidParameterValue);
  auto delayed = fifo_entry("b", "g", "d");
  delayed.delay_seconds = 2;
  CHECK(h.try_send(q, delayed).error().message ==
        "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.");
  delayed.delay_seconds = 0;
  CHECK(h.try_send(q, delayed).ok());
}

TEST_CASE("sqs fifo duplicate within the window returns the original id and enqueues nothing") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  auto first = h.send(q, "one", "g", "d1");
  auto got = h.receive(q);
  REQUIRE_FALSE(h.del(q, got[0].receipt_handle));  // even after delete
  h.advance_us(300 * kUsPerSecond - 1);
  auto dup = h.send(q, "other body", "g", "d1");
  CHECK(dup.message_id == first.message_id);
  CHECK(dup.sequence_number == first.sequence_number);
  CHECK(h.receive(q).empty());
  h.advance_us(1);  // exactly 5 minutes after the first send: a new message
  auto fresh = h.send(q, "again", "g", "d1");
  CHECK(fresh.message_id != first.message_id);
  CHECK(h.receive(q).size() == 1);
}

TEST_CASE("sqs fifo content-based deduplication hashes the body only; an explicit id overrides") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo", {{"ContentBasedDeduplication", "true"}});
  auto a = h.send(q, "same", "g");
  auto b = h.send(q, "same", "g2");
  CHECK(a.message_id == b.message_id);
  auto c = h.send(q, "same", "g", "explicit");
  CHECK(c.message_id != a.message_id);
  auto got = h.receive(q, 10);
  REQUIRE(got.size() == 2);
  CHECK(sys_attr(got[0], "MessageDeduplicationId") ==
        "0967115f2813a3541eaef77de9d9d5773f1c0c04314b0bbfe4ff3b3b1c55b5d5");
}

TEST_CASE("sqs fifo deduplication scope messageGroup keys per group") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo", {{"DeduplicationScope", "messageGroup"}});
  auto a = h.send(q, "x", "g1", "d");
  auto b = h.send(q, "x", "g2", "d");
  auto c = h.send(q, "x", "g1", "d");
  CHECK(a.message_id != b.message_id);
  CHECK(c.message_id == a.message_id);
  CHECK(h.receive(q, 10).size() == 2);
}

TEST_CASE("sqs fifo sequence numbers are 20 digits and strictly increasing") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  std::string last;
  for (int i = 0; i < 5; ++i) {
    auto r = h.send(q, "m", i % 2 ? "a" : "b", "d" + std::to_string(i));
    CHECK(r.sequence_number.size() == 20);
    CHECK(r.sequence_number > last);
    last = r.sequence_number;
  }
  auto got = h.receive(q);
  CHECK(sys_attr(got[0], "SequenceNumber").size() == 20);
  CHECK(sys_attr(got[0], "MessageGroupId") == "b");
}

TEST_CASE("sqs fifo delivers a group in order and blocks it while a message is in flight") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  h.send(q, "a1", "A", "1");
  h.send(q, "a2", "A", "2");
  h.send(q, "b1", "B", "3");
  auto first = h.receive(q, 1);
  CHECK(bodies(first) == std::vector<std::string>{"a1"});
  auto second = h.receive(q, 10);
  CHECK(bodies(second) == std::vector<std::string>{"b1"});  // A is blocked by a1
  CHECK(h.receive(q, 10).empty());
  REQUIRE_FALSE(h.del(q, first[0].receipt_handle));
  CHECK(bodies(h.receive(q, 10)) == std::vector<std::string>{"a2"});
}

TEST_CASE("sqs fifo receive fills from one group first, then others") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  h.send(q, "a1", "A", "1");
  h.send(q, "b1", "B", "2");
  h.send(q, "a2", "A", "3");
  h.send(q, "b2", "B", "4");
  CHECK(bodies(h.receive(q, 3)) == std::vector<std::string>{"a1", "a2", "b1"});
}

TEST_CASE("sqs fifo messages before the first invisible one stay deliverable, the rest are blocked") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo", {{"VisibilityTimeout", "30"}});
  for (int i = 1; i <= 3; ++i) h.send(q, "m" + std::to_string(i), "G", std::to_string(i));
  auto got = h.receive(q, 3);
  REQUIRE(got.size() == 3);
  REQUIRE_FALSE(h.change(q, got[1].receipt_handle, 100));  // m2 kept invisible
  REQUIRE_FALSE(h.change(q, got[0].receipt_handle, 0));    // m1 visible again
  h.advance_s(30);                                          // m3 expired, but behind m2
  auto again = h.receive(q, 10);
  CHECK(bodies(again) == std::vector<std::string>{"m1"});
  REQUIRE_FALSE(h.del(q, again[0].receipt_handle));
  h.advance_s(70);
  CHECK(bodies(h.receive(q, 10)) == std::vector<std::string>{"m2", "m3"});
}

TEST_CASE("sqs fifo redelivers a timed-out message before newer ones of its group") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo", {{"VisibilityTimeout", "10"}});
  h.send(q, "first", "G", "1");
  REQUIRE(h.receive(q).size() == 1);
  h.send(q, "second", "G", "2");
  h.advance_s(10);
  CHECK(bodies(h.receive(q, 10)) == std::vector<std::string>{"first", "second"});
}

TEST_CASE("sqs fifo delete with an expired handle is InvalidParameterValue") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo", {{"VisibilityTimeout", "10"}});
  h.send(q, "m", "G", "1");
  auto got = h.receive(q);
  h.advance_s(10);
  auto e = h.del(q, got[0].receipt_handle);
  REQUIRE(e);
  CHECK(e->message == "Value " + got[0].receipt_handle +
                          " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "1");
}

TEST_CASE("sqs fifo queue delay change is retroactive for waiting messages") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo", {{"DelaySeconds", "60"}});
  h.send(q, "m", "G", "1");
  h.advance_s(5);
  REQUIRE_FALSE(h.set_attr(q, "DelaySeconds", "10"));
  h.advance_us(5 * kUsPerSecond - 1);
  CHECK(h.receive(q).empty());
  h.advance_us(1);
  CHECK(h.receive(q).size() == 1);
}

TEST_CASE("sqs fifo retry with the same ReceiveRequestAttemptId returns the same messages and handles") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  h.send(q, "a", "A", "1");
  h.send(q, "b", "A", "2");
  ReceiveMessageRequest req;
  req.queue = q;
  req.max_number_of_messages = 10;
  req.receive_request_attempt_id = "attempt-1";
  auto first = h.poll(req);
  REQUIRE(first->messages().size() == 2);
  h.advance_s(5);
  auto retry = h.poll(req);
  REQUIRE(retry->messages().size() == 2);
  CHECK(retry->messages()[0].receipt_handle == first->messages()[0].receipt_handle);
  CHECK(retry->messages()[1].receipt_handle == first->messages()[1].receipt_handle);
  h.advance_s(29);  // visibility restarted at the retry: still invisible 34 s after the first
  CHECK(h.receive(q).empty());
  REQUIRE_FALSE(h.del(q, first->messages()[0].receipt_handle));  // modified: no replay
  auto after = h.poll(req);
  CHECK(after->messages().empty());
}

TEST_CASE("sqs fifo purge clears the deduplication cache") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  auto a = h.send(q, "m", "G", "d");
  REQUIRE(h.svc->purge_queue(h.ctx, PurgeQueueRequest{q}).ok());
  auto b = h.send(q, "m", "G", "d");
  CHECK(a.message_id != b.message_id);
}

TEST_CASE("sqs fifo dedup entries are persisted and pruned after the window") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  h.send(q, "m", "G", "d");
  CHECK(h.store.dedup.size() == 1);
  CHECK(h.store.dedup.begin()->second.expires_at_us == h.clock.now_us() + 300 * kUsPerSecond);
  h.advance_s(301);
  h.send(q, "m2", "G", "e");
  CHECK(h.store.count("remove_dedup f.fifo d") == 1);
}
