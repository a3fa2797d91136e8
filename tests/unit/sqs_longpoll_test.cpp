// Long polling: parked waiters are answered by sends, visibility changes and deadlines, exactly
// once, with a bounded number of timers.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;
using slipway::core::kUsPerSecond;

namespace {
ReceiveMessageRequest wait_req(const QueueRef& q, int wait_s, int max = 1) {
  ReceiveMessageRequest req;
  req.queue = q;
  req.wait_time_seconds = wait_s;
  req.max_number_of_messages = max;
  return req;
}
}  // namespace

TEST_CASE("sqs a send wakes a parked receive in the same call") {
  SqsHarness h;
  auto q = h.create("q");
  auto p = h.poll(wait_req(q, 20, 3));
  CHECK_FALSE(p->done());
  CHECK(h.svc->waiter_count() == 1);
  h.send(q, "hello");
  REQUIRE(p->done());
  REQUIRE(p->messages().size() == 1);  // does not wait to fill MaxNumberOfMessages
  CHECK(p->messages()[0].body == "hello");
  CHECK(h.svc->waiter_count() == 0);
  h.advance_s(30);
  CHECK(p->replies == 1);
}

TEST_CASE("sqs long poll deadline answers empty at exactly WaitTimeSeconds") {
  SqsHarness h;
  auto q = h.create("q");
  auto p = h.poll(wait_req(q, 5));
  h.advance_us(5 * kUsPerSecond - 1);
  CHECK_FALSE(p->done());
  h.advance_us(1);
  REQUIRE(p->done());
  CHECK(p->result->ok());
  CHECK(p->messages().empty());
  CHECK(h.timers.empty());
}

TEST_CASE("sqs long poll uses the queue's ReceiveMessageWaitTimeSeconds by default") {
  SqsHarness h;
  auto q = h.create("q", {{"ReceiveMessageWaitTimeSeconds", "3"}});
  ReceiveMessageRequest req;
  req.queue = q;
  auto p = h.poll(req);
  CHECK_FALSE(p->done());
  h.advance_s(3);
  CHECK(p->done());
}

TEST_CASE("sqs visibility expiry wakes a waiter") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "10"}});
  h.send(q, "m");
  REQUIRE(h.receive(q).size() == 1);
  h.advance_s(2);
  auto p = h.poll(wait_req(q, 20));
  h.advance_us(8 * kUsPerSecond - 1);
  CHECK_FALSE(p->done());
  h.advance_us(1);
  REQUIRE(p->done());
  CHECK(p->messages().size() == 1);
}

TEST_CASE("sqs a delayed message becoming visible wakes a waiter") {
  SqsHarness h;
  auto q = h.create("q");
  SendMessageEntry e;
  e.message_body = "later";
  e.delay_seconds = 4;
  REQUIRE(h.try_send(q, e).ok());
  auto p = h.poll(wait_req(q, 20));
  h.advance_s(4);
  REQUIRE(p->done());
  CHECK(p->messages()[0].body == "later");
}

TEST_CASE("sqs change visibility to 0 wakes a waiter at once") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "m");
  auto got = h.receive(q);
  auto p = h.poll(wait_req(q, 20));
  CHECK_FALSE(p->done());
  REQUIRE_FALSE(h.change(q, got[0].receipt_handle, 0));
  REQUIRE(p->done());
  CHECK(p->messages().size() == 1);
}

TEST_CASE("sqs fifo delete of an in-flight message wakes a waiter for the next in the group") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  h.send(q, "a", "G", "1");
  h.send(q, "b", "G", "2");
  auto got = h.receive(q);
  auto p = h.poll(wait_req(q, 20));
  CHECK_FALSE(p->done());
  REQUIRE_FALSE(h.del(q, got[0].receipt_handle));
  REQUIRE(p->done());
  CHECK(p->messages()[0].body == "b");
}

TEST_CASE("sqs waiters are served oldest first, one message each when one arrives") {
  SqsHarness h;
  auto q = h.create("q");
  auto first = h.poll(wait_req(q, 20));
  auto second = h.poll(wait_req(q, 20));
  h.send(q, "one");
  CHECK(first->done());
  CHECK_FALSE(second->done());
  h.send(q, "two");
  CHECK(second->done());
}

TEST_CASE("sqs release_waiters answers every parked receive with nothing, once") {
  SqsHarness h;
  auto q = h.create("q");
  auto a = h.poll(wait_req(q, 20));
  auto b = h.poll(wait_req(q, 10));
  h.svc->release_waiters();
  CHECK(a->done());
  CHECK(b->done());
  CHECK(a->messages().empty());
  CHECK(h.svc->waiter_count() == 0);
  h.advance_s(30);
  h.send(q, "m");
  CHECK(a->replies == 1);
  CHECK(b->replies == 1);
}

TEST_CASE("sqs deleting a queue answers its waiters") {
  SqsHarness h;
  auto q = h.create("q");
  auto p = h.poll(wait_req(q, 20));
  REQUIRE(h.svc->delete_queue(h.ctx, DeleteQueueRequest{q}).ok());
  CHECK(p->done());
  CHECK(h.timers.empty());
}

TEST_CASE("sqs timers stay bounded with many in-flight messages and waiters") {
  SqsHarness h;
  auto q = h.create("q");
  for (int i = 0; i < 100; ++i) h.send(q, "m");
  for (int i = 0; i < 10; ++i) REQUIRE(h.receive(q, 10).size() == 10);
  std::vector<std::shared_ptr<Poll>> polls;
  for (int i = 0; i < 5; ++i) polls.push_back(h.poll(wait_req(q, 20)));
  // 5 deadlines + 1 visibility timer + 1 retention sweep: never one per message.
  CHECK(h.timers.size() == 7);
  h.advance_s(30);
  for (const auto& p : polls) CHECK(p->messages().size() == 1);
}

TEST_CASE("sqs a reply callback may call back into the service") {
  SqsHarness h;
  auto q = h.create("q");
  std::string seen;
  ReceiveMessageRequest req = wait_req(q, 20);
  h.svc->receive_message(h.ctx, req, [&](SqsResult<ReceiveMessageResponse> r) {
    REQUIRE(r.ok());
    seen = r.value().messages.at(0).body;
    REQUIRE(h.svc->delete_message(h.ctx, DeleteMessageRequest{q, r.value().messages[0].receipt_handle}).ok());
    h.send(q, "from-callback");
  });
  h.send(q, "first");
  CHECK(seen == "first");
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "1");
}
