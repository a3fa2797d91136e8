// restore() round trips through the fake persistence, and determinism for a seed.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;
using slipway::core::kUsPerSecond;

namespace {
std::vector<std::pair<std::string, std::string>> all_attrs(SqsHarness& h, const std::string& q) {
  auto r = h.svc->get_queue_attributes(h.ctx, GetQueueAttributesRequest{h.ref(q), {"All"}});
  REQUIRE(r.ok());
  return r.value().attributes;
}
// A second service on the same clock, restored from the first one's store.
std::unique_ptr<SqsHarness> restart(SqsHarness& h) {
  auto next = std::make_unique<SqsHarness>(7);
  next->clock.set_us(h.clock.now_us());
  next->svc->restore(h.store.snapshot());
  next->store = h.store;  // the database outlives the daemon
  next->store.calls.clear();
  return next;
}
}  // namespace

TEST_CASE("sqs restore rebuilds queues, attributes, tags and counts") {
  SqsHarness h;
  h.create("dlq");
  h.create("src", {{"RedrivePolicy", R"({"deadLetterTargetArn":")" + h.arn("dlq") + R"(","maxReceiveCount":2})"},
                   {"DelaySeconds", "0"}, {"VisibilityTimeout", "40"}});
  h.create_fifo("f.fifo", {{"ContentBasedDeduplication", "true"}});
  REQUIRE(h.svc->tag_queue(h.ctx, TagQueueRequest{h.ref("src"), {{"t", "v"}}}).ok());
  h.send(h.ref("src"), "a");
  h.send(h.ref("src"), "b");
  REQUIRE(h.receive(h.ref("src")).size() == 1);
  h.send(h.ref("f.fifo"), "x", "G");
  h.advance_s(3);
  auto r = restart(h);
  CHECK(r->svc->queue_count() == 3);
  for (const char* q : {"dlq", "src", "f.fifo"}) CHECK(all_attrs(*r, q) == all_attrs(h, q));
  CHECK(r->attr(r->ref("src"), "RedrivePolicy") == h.attr(h.ref("src"), "RedrivePolicy"));
  CHECK(r->svc->list_queue_tags(r->ctx, ListQueueTagsRequest{r->ref("src")}).value().tags.at("t") == "v");
}

TEST_CASE("sqs restored in-flight message stays invisible until its deadline and its handle still works") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "40"}});
  h.send(q, "m");
  auto got = h.receive(q);
  h.advance_s(10);
  auto r = restart(h);
  r->advance_us(30 * kUsPerSecond - 1);
  CHECK(r->receive(q).empty());
  CHECK_FALSE(r->change(q, got[0].receipt_handle, 0));  // the old handle is still current
  auto again = r->receive(q);
  REQUIRE(again.size() == 1);
  CHECK(again[0].message_id == got[0].message_id);
  CHECK(sys_attr(again[0], "ApproximateReceiveCount") == "2");
  CHECK_FALSE(r->del(q, again[0].receipt_handle));
  CHECK(r->store.calls.size() > 0);
}

TEST_CASE("sqs restore keeps live dedup entries, drops expired ones and continues sequences") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  auto old = h.send(q, "a", "G", "old");
  h.advance_s(200);
  auto young = h.send(q, "b", "G", "young");
  h.advance_s(150);  // "old" expired 50 s ago, "young" has 150 s left
  auto r = restart(h);
  CHECK(r->send(q, "b", "G", "young").message_id == young.message_id);
  auto fresh = r->send(q, "a", "G", "old");
  CHECK(fresh.message_id != old.message_id);
  CHECK(fresh.sequence_number > young.sequence_number);
}

TEST_CASE("sqs two services with the same seed mint the same ids and handles") {
  auto run = [](uint64_t seed) {
    SqsHarness h(seed);
    auto q = h.create("q");
    std::vector<std::string> out;
    for (int i = 0; i < 3; ++i) out.push_back(h.send(q, "m").message_id);
    for (const auto& m : h.receive(q, 10)) out.push_back(m.receipt_handle);
    return out;
  };
  CHECK(run(99) == run(99));
  CHECK(run(99) != run(100));
}

TEST_CASE("sqs failed message requests leave persistence untouched") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "m");
  auto got = h.receive(q);
  const auto before = h.store.calls;
  CHECK(h.del(q, "garbage"));
  CHECK(h.change(q, got[0].receipt_handle, 50000));
  CHECK(h.change(q, "garbage", 5));
  ReceiveMessageRequest bad;
  bad.queue = q;
  bad.max_number_of_messages = 11;
  h.poll(bad);
  SendMessageEntry e;
  e.message_body = std::string("\x01");
  CHECK_FALSE(h.try_send(q, e).ok());
  CHECK(h.store.calls == before);
}

TEST_CASE("sqs the 12-hour visibility cap of a restored in-flight message counts from its receive") {
  SqsHarness h;
  auto q = h.create("q", {{"VisibilityTimeout", "43200"}});
  h.send(q, "m");
  auto got = h.receive(q);
  REQUIRE(got.size() == 1);
  h.advance_s(3600);  // one hour in flight, then the daemon restarts
  auto r = restart(h);
  // 11 h more from now is exactly 12 h since the receive: allowed; 11 h + 1 s is not.
  CHECK_FALSE(r->change(q, got[0].receipt_handle, 11 * 3600));
  auto e = r->change(q, got[0].receipt_handle, 11 * 3600 + 1);
  REQUIRE(e.has_value());
  CHECK(e->code == SqsErrorCode::kInvalidParameterValue);
  CHECK(e->message.find("beyond the limit [43200 seconds]") != std::string::npos);
}

TEST_CASE("sqs the deduplication scope fixed at creation survives an attribute change and a restart") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo", {{"DeduplicationScope", "messageGroup"}});
  REQUIRE(h.svc->set_queue_attributes(h.ctx, SetQueueAttributesRequest{q, {{"DeduplicationScope", "queue"}}}).ok());
  auto r = restart(h);
  // Same deduplication id in two groups: still two messages, as the scope in effect is per group.
  auto send = [&](const std::string& group) {
    SendMessageEntry e;
    e.message_body = "b";
    e.message_group_id = group;
    e.message_deduplication_id = "same";
    auto sent = r->svc->send_message(r->ctx, SendMessageRequest{q, e});
    REQUIRE(sent.ok());
    return sent.value().message_id;
  };
  CHECK(send("g1") != send("g2"));
  CHECK(r->attr(q, "ApproximateNumberOfMessages") == "2");
  CHECK(r->attr(q, "DeduplicationScope") == "queue");  // the attribute says what was set
}
