// SqsService queue actions: CreateQueue (names, FIFO rules, idempotency), attributes, ListQueues,
// DeleteQueue, PurgeQueue, tags, permissions.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;
using slipway::core::kUsPerSecond;

namespace {
SqsError create_error(SqsHarness& h, const std::string& name, std::map<std::string, std::string> attrs = {}) {
  auto r = h.svc->create_queue(h.ctx, CreateQueueRequest{name, std::move(attrs), {}});
  REQUIRE_FALSE(r.ok());
  return r.error();
}
}  // namespace

TEST_CASE("sqs create queue returns a url built from the request host") {
  SqsHarness h;
  auto r = h.svc->create_queue(h.ctx, CreateQueueRequest{"orders", {}, {}});
  REQUIRE(r.ok());
  CHECK(r.value().queue_url == "http://127.0.0.1:4566/000000000000/orders");
  auto url = h.svc->get_queue_url(h.ctx, GetQueueUrlRequest{"orders", std::nullopt});
  REQUIRE(url.ok());
  CHECK(url.value().queue_url == r.value().queue_url);
  CHECK(h.attr(h.ref("orders"), "QueueArn") == "arn:aws:sqs:us-east-1:000000000000:orders");
  CHECK(h.svc->queue_count() == 1);
}

TEST_CASE("sqs missing queue is QueueDoesNotExist everywhere") {
  SqsHarness h;
  auto url = h.svc->get_queue_url(h.ctx, GetQueueUrlRequest{"nope", std::nullopt});
  REQUIRE_FALSE(url.ok());
  CHECK(url.error().code == SqsErrorCode::kQueueDoesNotExist);
  CHECK(url.error().message == "The specified queue does not exist.");
  h.create("q");
  auto other_account = h.svc->send_message(h.ctx, SendMessageRequest{QueueRef{"123456789012", "q"}, {}});
  CHECK(other_account.error().code == SqsErrorCode::kQueueDoesNotExist);
  SendMessageEntry e;
  e.message_body = "bare name";
  CHECK(h.try_send(QueueRef{"", "q"}, e).ok());
}

TEST_CASE("sqs queue names: charset, length and fifo suffix rules") {
  SqsHarness h;
  const std::string standard_msg = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
  CHECK(create_error(h, std::string(81, 'a')).message == standard_msg);
  CHECK(create_error(h, "bad name").code == SqsErrorCode::kInvalidParameterValue);
  CHECK(create_error(h, "").message == standard_msg);
  CHECK(create_error(h, "x.fifo").message == standard_msg);  // .fifo without FifoQueue
  CHECK(create_error(h, "plain", {{"FifoQueue", "true"}}).code == SqsErrorCode::kInvalidParameterValue);
  h.create(std::string(80, 'a'));
  h.create_fifo(std::string(75, 'b') + ".fifo");
  CHECK(create_error(h, std::string(76, 'c') + ".fifo", {{"FifoQueue", "true"}}).code ==
        SqsErrorCode::kInvalidParameterValue);
  auto e = create_error(h, "std", {{"FifoQueue", "false"}});
  CHECK(e.code == SqsErrorCode::kInvalidAttributeName);
  CHECK(e.message == "Unknown Attribute FifoQueue.");
}

TEST_CASE("sqs create queue is idempotent for equal attributes and conflicts otherwise") {
  SqsHarness h;
  auto q = h.create("q", {{"DelaySeconds", "5"}});
  h.create("q", {{"DelaySeconds", "5"}});
  h.create("q");
  REQUIRE_FALSE(h.set_attr(q, "VisibilityTimeout", "60"));
  h.create("q", {{"VisibilityTimeout", "60"}});  // compared with CURRENT values
  auto e = create_error(h, "q", {{"DelaySeconds", "6"}});
  CHECK(e.code == SqsErrorCode::kQueueAlreadyExists);
  CHECK(e.message == "A queue already exists with the same name and a different value for attribute DelaySeconds");
  CHECK(h.svc->queue_count() == 1);
}

TEST_CASE("sqs recreating a queue within 60 seconds of delete is QueueDeletedRecently") {
  SqsHarness h;
  auto q = h.create("q");
  REQUIRE(h.svc->delete_queue(h.ctx, DeleteQueueRequest{q}).ok());
  CHECK(h.svc->delete_queue(h.ctx, DeleteQueueRequest{q}).error().code == SqsErrorCode::kQueueDoesNotExist);
  h.advance_s(59);
  auto e = create_error(h, "q");
  CHECK(e.code == SqsErrorCode::kQueueDeletedRecently);
  CHECK(e.message ==
        "You must wait 60 seconds after deleting a queue before you can create another with the same name.");
  h.advance_s(1);
  h.create("q");
}

TEST_CASE("sqs get queue attributes All returns the default standard set in order") {
  SqsHarness h;
  auto q = h.create("q");
  auto r = h.svc->get_queue_attributes(h.ctx, GetQueueAttributesRequest{q, {"All"}});
  REQUIRE(r.ok());
  std::vector<std::string> names;
  for (const auto& [k, v] : r.value().attributes) names.push_back(k);
  CHECK(names == std::vector<std::string>{
                     "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
                     "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "DelaySeconds",
                     "LastModifiedTimestamp", "MaximumMessageSize", "MessageRetentionPeriod", "QueueArn",
                     "ReceiveMessageWaitTimeSeconds", "SqsManagedSseEnabled", "VisibilityTimeout"});
  CHECK(h.attr(q, "MaximumMessageSize") == "1048576");
  CHECK(h.attr(q, "MessageRetentionPeriod") == "345600");
  CHECK(h.attr(q, "VisibilityTimeout") == "30");
  CHECK(h.attr(q, "SqsManagedSseEnabled") == "true");
  CHECK(h.attr(q, "CreatedTimestamp") == "1700000000");
  auto none = h.svc->get_queue_attributes(h.ctx, GetQueueAttributesRequest{q, {}});
  CHECK(none.value().attributes.empty());
}

TEST_CASE("sqs fifo queue attributes include the fifo set") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  CHECK(h.attr(q, "FifoQueue") == "true");
  CHECK(h.attr(q, "ContentBasedDeduplication") == "false");
  CHECK(h.attr(q, "DeduplicationScope") == "queue");
  CHECK(h.attr(q, "FifoThroughputLimit") == "perQueue");
}

TEST_CASE("sqs unknown attribute names are InvalidAttributeName") {
  SqsHarness h;
  auto q = h.create("q");
  auto r = h.svc->get_queue_attributes(h.ctx, GetQueueAttributesRequest{q, {"Foobar"}});
  CHECK(r.error().code == SqsErrorCode::kInvalidAttributeName);
  CHECK(r.error().message == "Unknown Attribute Foobar.");
  CHECK(h.set_attr(q, "Foobar", "1")->message == "Unknown Attribute Foobar.");
  CHECK(h.set_attr(q, "QueueArn", "x")->message == "Unknown Attribute QueueArn.");
  CHECK(h.set_attr(q, "ContentBasedDeduplication", "true")->message ==
        "Unknown Attribute ContentBasedDeduplication.");
  CHECK(h.set_attr(q, "DeduplicationScope", "queue")->message ==
        "You can specify the DeduplicationScope only when FifoQueue is set to true.");
  CHECK(h.set_attr(q, "FifoThroughputLimit", "perQueue")->message ==
        "You can specify the FifoThroughputLimit only when FifoQueue is set to true.");
}

TEST_CASE("sqs attribute values out of range are InvalidAttributeValue") {
  SqsHarness h;
  auto q = h.create("q");
  auto e = h.set_attr(q, "VisibilityTimeout", "43201");
  CHECK(e->code == SqsErrorCode::kInvalidAttributeValue);
  CHECK(e->message == "Invalid value for the parameter VisibilityTimeout.");
  CHECK(h.set_attr(q, "DelaySeconds", "901"));
  CHECK(h.set_attr(q, "DelaySeconds", "abc"));
  CHECK(h.set_attr(q, "MaximumMessageSize", "1023"));
  CHECK(h.set_attr(q, "MessageRetentionPeriod", "59"));
  CHECK(h.set_attr(q, "ReceiveMessageWaitTimeSeconds", "21"));
  CHECK(h.set_attr(q, "Policy", "{not json"));
  CHECK_FALSE(h.set_attr(q, "DelaySeconds", "900"));
  CHECK(h.attr(q, "DelaySeconds") == "900");
}

TEST_CASE("sqs fifo attribute rules: type is fixed, perMessageGroupId needs messageGroup scope") {
  SqsHarness h;
  auto q = h.create_fifo("f.fifo");
  CHECK_FALSE(h.set_attr(q, "FifoQueue", "true"));
  CHECK(h.set_attr(q, "FifoQueue", "false")->message ==
        "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
  CHECK(h.set_attr(q, "FifoThroughputLimit", "perMessageGroupId")->code == SqsErrorCode::kInvalidAttributeValue);
  auto ok = h.svc->set_queue_attributes(
      h.ctx, SetQueueAttributesRequest{q, {{"DeduplicationScope", "messageGroup"},
                                           {"FifoThroughputLimit", "perMessageGroupId"}}});
  CHECK(ok.ok());
}

TEST_CASE("sqs kms key turns sqs managed sse off and both together are rejected") {
  SqsHarness h;
  auto q = h.create("q");
  REQUIRE_FALSE(h.set_attr(q, "KmsMasterKeyId", "alias/aws/sqs"));
  CHECK(h.attr(q, "SqsManagedSseEnabled") == "false");
  CHECK(h.attr(q, "KmsDataKeyReusePeriodSeconds") == "300");
  REQUIRE_FALSE(h.set_attr(q, "KmsMasterKeyId", ""));
  CHECK(h.attr(q, "KmsMasterKeyId") == "<absent>");
  CHECK(h.attr(q, "SqsManagedSseEnabled") == "false");
  auto both = h.svc->create_queue(
      h.ctx, CreateQueueRequest{"k", {{"KmsMasterKeyId", "k1"}, {"SqsManagedSseEnabled", "true"}}, {}});
  CHECK(both.error().message ==
        "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.");
}

TEST_CASE("sqs redrive policy is validated, normalised and removable") {
  SqsHarness h;
  h.create("dlq");
  auto q = h.create("src");
  REQUIRE_FALSE(h.set_attr(q, "RedrivePolicy", R"({"deadLetterTargetArn":")" + h.arn("dlq") + R"(","maxReceiveCount":"3"})"));
  CHECK(h.attr(q, "RedrivePolicy") == R"({"deadLetterTargetArn":")" + h.arn("dlq") + R"(","maxReceiveCount":3})");
  CHECK(h.set_attr(q, "RedrivePolicy", R"({"maxReceiveCount":3})")->message ==
        "The required parameter 'deadLetterTargetArn' is missing");
  CHECK(h.set_attr(q, "RedrivePolicy", R"({"deadLetterTargetArn":")" + h.arn("dlq") + "\"}")->message ==
        "The required parameter 'maxReceiveCount' is missing");
  const std::string bad = R"({"deadLetterTargetArn":")" + h.arn("dlq") + R"(","maxReceiveCount":1001})";
  CHECK(h.set_attr(q, "RedrivePolicy", bad)->message ==
        "Value " + bad + " for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive.");
  CHECK(h.set_attr(q, "RedrivePolicy", "{oops")->code == SqsErrorCode::kInvalidParameterValue);
  CHECK(h.set_attr(q, "RedrivePolicy", R"({"deadLetterTargetArn":")" + h.arn("none") + R"(","maxReceiveCount":1})"));
  h.create_fifo("f.fifo");
  CHECK(h.set_attr(q, "RedrivePolicy", R"({"deadLetterTargetArn":")" + h.arn("f.fifo") + R"(","maxReceiveCount":1})"));
  CHECK(h.attr(q, "RedrivePolicy").find("\"maxReceiveCount\":3") != std::string::npos);  // unchanged
  REQUIRE_FALSE(h.set_attr(q, "RedrivePolicy", ""));
  CHECK(h.attr(q, "RedrivePolicy") == "<absent>");
}

TEST_CASE("sqs redrive allow policy denyAll and byQueue restrict which sources may use a dlq") {
  SqsHarness h;
  auto dlq = h.create("dlq");
  auto a = h.create("a");
  auto b = h.create("b");
  const auto policy = [&](int n) {
    return R"({"deadLetterTargetArn":")" + h.arn("dlq") + R"(","maxReceiveCount":)" + std::to_string(n) + "}";
  };
  REQUIRE_FALSE(h.set_attr(dlq, "RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"));
  CHECK(h.set_attr(a, "RedrivePolicy", policy(1))->code == SqsErrorCode::kInvalidParameterValue);
  REQUIRE_FALSE(h.set_attr(dlq, "RedriveAllowPolicy",
                           R"({"redrivePermission":"byQueue","sourceQueueArns":[")" + h.arn("a") + "\"]}"));
  CHECK_FALSE(h.set_attr(a, "RedrivePolicy", policy(1)));
  CHECK(h.set_attr(b, "RedrivePolicy", policy(1)));
  CHECK(h.set_attr(dlq, "RedriveAllowPolicy", R"({"redrivePermission":"byQueue"})")->code ==
        SqsErrorCode::kInvalidAttributeValue);
  CHECK(h.set_attr(dlq, "RedriveAllowPolicy", R"({"redrivePermission":"sometimes"})"));
  CHECK(h.set_attr(dlq, "RedriveAllowPolicy", "[]"));
}

TEST_CASE("sqs list queues filters by prefix and pages with NextToken only when MaxResults is set") {
  SqsHarness h;
  for (const char* n : {"a1", "a2", "a3", "b1"}) h.create(n);
  auto all = h.svc->list_queues(h.ctx, ListQueuesRequest{"a", std::nullopt, std::nullopt});
  CHECK(all.value().queue_urls.size() == 3);
  CHECK_FALSE(all.value().next_token);
  auto p1 = h.svc->list_queues(h.ctx, ListQueuesRequest{"a", 2, std::nullopt});
  REQUIRE(p1.value().next_token);
  CHECK(p1.value().queue_urls.back() == "http://127.0.0.1:4566/000000000000/a2");
  auto p2 = h.svc->list_queues(h.ctx, ListQueuesRequest{"a", 2, p1.value().next_token});
  CHECK(p2.value().queue_urls == std::vector<std::string>{"http://127.0.0.1:4566/000000000000/a3"});
  CHECK_FALSE(p2.value().next_token);
  CHECK(h.svc->list_queues(h.ctx, ListQueuesRequest{std::nullopt, 0, std::nullopt}).error().code ==
        SqsErrorCode::kInvalidParameterValue);
  CHECK(h.svc->list_queues(h.ctx, ListQueuesRequest{std::nullopt, 1001, std::nullopt}).error().code ==
        SqsErrorCode::kInvalidParameterValue);
}

TEST_CASE("sqs list dead letter source queues names the queues that redrive to it") {
  SqsHarness h;
  auto dlq = h.create("dlq");
  auto src = h.create("src", {{"RedrivePolicy", R"({"deadLetterTargetArn":")" + h.arn("dlq") + R"(","maxReceiveCount":2})"}});
  h.create("other");
  auto r = h.svc->list_dead_letter_source_queues(h.ctx, ListDeadLetterSourceQueuesRequest{dlq, {}, {}});
  CHECK(r.value().queue_urls == std::vector<std::string>{"http://127.0.0.1:4566/000000000000/src"});
  (void)src;
}

TEST_CASE("sqs purge removes in-flight and delayed messages and has a 60 second cooldown") {
  SqsHarness h;
  auto q = h.create("q");
  h.send(q, "visible");
  h.send(q, "inflight");
  SendMessageEntry delayed;
  delayed.message_body = "delayed";
  delayed.delay_seconds = 60;
  REQUIRE(h.try_send(q, delayed).ok());
  REQUIRE(h.receive(q).size() == 1);
  REQUIRE(h.svc->purge_queue(h.ctx, PurgeQueueRequest{q}).ok());
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "0");
  CHECK(h.attr(q, "ApproximateNumberOfMessagesNotVisible") == "0");
  CHECK(h.attr(q, "ApproximateNumberOfMessagesDelayed") == "0");
  CHECK(h.store.count("remove_all_messages q") == 1);
  h.advance_s(59);
  auto again = h.svc->purge_queue(h.ctx, PurgeQueueRequest{q});
  CHECK(again.error().code == SqsErrorCode::kPurgeQueueInProgress);
  CHECK(again.error().message == "Only one PurgeQueue operation on q is allowed every 60 seconds.");
  h.advance_s(1);
  CHECK(h.svc->purge_queue(h.ctx, PurgeQueueRequest{q}).ok());
  h.advance_s(120);
  CHECK(h.receive(q).empty());
}

TEST_CASE("sqs tags are set, overwritten, removed and listed") {
  SqsHarness h;
  auto r = h.svc->create_queue(h.ctx, CreateQueueRequest{"q", {}, {{"team", "a"}}});
  REQUIRE(r.ok());
  auto q = h.ref("q");
  REQUIRE(h.svc->tag_queue(h.ctx, TagQueueRequest{q, {{"team", "b"}, {"env", ""}}}).ok());
  REQUIRE(h.svc->untag_queue(h.ctx, UntagQueueRequest{q, {"env", "missing"}}).ok());
  auto tags = h.svc->list_queue_tags(h.ctx, ListQueueTagsRequest{q});
  CHECK(tags.value().tags == std::map<std::string, std::string>{{"team", "b"}});
  CHECK(h.store.queues.at("q").tags == tags.value().tags);
}

TEST_CASE("sqs add and remove permission edit the Policy attribute") {
  SqsHarness h;
  auto q = h.create("q");
  REQUIRE(h.svc->add_permission(h.ctx, AddPermissionRequest{q, "l1", {"111122223333"}, {"SendMessage"}}).ok());
  const std::string policy = h.attr(q, "Policy");
  CHECK(policy == R"({"Version":"2008-10-17","Id":")" + h.arn("q") +
                      R"(/SQSDefaultPolicy","Statement":[{"Sid":"l1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"SQS:SendMessage","Resource":")" +
                      h.arn("q") + "\"}]}");
  auto dup = h.svc->add_permission(h.ctx, AddPermissionRequest{q, "l1", {"1"}, {"*"}});
  CHECK(dup.error().message == "Value l1 for parameter Label is invalid. Reason: Already exists.");
  REQUIRE(h.svc->add_permission(h.ctx, AddPermissionRequest{q, "l2", {"1", "2"}, {"ReceiveMessage", "DeleteMessage"}}).ok());
  CHECK(h.attr(q, "Policy").find(R"("Action":["SQS:ReceiveMessage","SQS:DeleteMessage"])") != std::string::npos);
  auto missing = h.svc->remove_permission(h.ctx, RemovePermissionRequest{q, "zz"});
  CHECK(missing.error().message == "Value zz for parameter Label is invalid. Reason: can't find label.");
  REQUIRE(h.svc->remove_permission(h.ctx, RemovePermissionRequest{q, "l1"}).ok());
  REQUIRE(h.svc->remove_permission(h.ctx, RemovePermissionRequest{q, "l2"}).ok());
  CHECK(h.attr(q, "Policy") == "<absent>");
}

TEST_CASE("sqs last modified timestamp moves on set attributes, created does not") {
  SqsHarness h;
  auto q = h.create("q");
  h.advance_s(10);
  REQUIRE_FALSE(h.set_attr(q, "DelaySeconds", "1"));
  CHECK(h.attr(q, "CreatedTimestamp") == "1700000000");
  CHECK(h.attr(q, "LastModifiedTimestamp") == "1700000010");
  CHECK(h.store.queues.at("q").attributes.at("DelaySeconds") == "1");
}

TEST_CASE("sqs failed queue requests leave persistence untouched") {
  SqsHarness h;
  auto q = h.create("q");
  const auto before = h.store.calls;
  CHECK(h.set_attr(q, "VisibilityTimeout", "-1"));
  auto multi = h.svc->set_queue_attributes(h.ctx, SetQueueAttributesRequest{q, {{"DelaySeconds", "5"}, {"Zzz", "1"}}});
  CHECK_FALSE(multi.ok());
  CHECK(h.attr(q, "DelaySeconds") == "0");
  CHECK_FALSE(h.svc->create_queue(h.ctx, CreateQueueRequest{"q", {{"DelaySeconds", "7"}}, {}}).ok());
  CHECK(h.store.calls == before);
}
