// SendMessage / SendMessageBatch validation: body characters, size, message and system
// attributes, delays, parameters invalid for the queue type, batch-level and per-entry errors.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;

namespace {
SendMessageEntry body(const std::string& b) {
  SendMessageEntry e;
  e.message_body = b;
  return e;
}
SqsError send_error(SqsHarness& h, const QueueRef& q, const SendMessageEntry& e) {
  auto r = h.try_send(q, e);
  REQUIRE_FALSE(r.ok());
  return r.error();
}
AttributeValue str(const std::string& v) { return AttributeValue{"String", v, ""}; }
}  // namespace

TEST_CASE("sqs send rejects an empty body with MissingParameter") {
  SqsHarness h;
  auto q = h.create("q");
  auto e = send_error(h, q, body(""));
  CHECK(e.code == SqsErrorCode::kMissingParameter);
  CHECK(e.message == "The request must contain the parameter MessageBody.");
}

TEST_CASE("sqs send rejects characters outside the xml set and invalid utf-8") {
  SqsHarness h;
  auto q = h.create("q");
  for (const std::string& bad : {std::string("a\0b", 3), std::string("\x08"), std::string("\xEF\xBF\xBF"),
                                std::string("\xC3"), std::string("\xED\xA0\x80"), std::string("\xC0\xAF")}) {
    auto e = send_error(h, q, body(bad));
    CHECK(e.code == SqsErrorCode::kInvalidMessageContents);
    CHECK(e.message ==
          "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
  }
  CHECK(h.try_send(q, body("tab\tcr\r\nemoji \xF0\x9F\x98\x80 \xEF\xBF\xBD")).ok());
}

TEST_CASE("sqs send enforces MaximumMessageSize over body and attributes") {
  SqsHarness h;
  auto q = h.create("q", {{"MaximumMessageSize", "1024"}});
  CHECK(h.try_send(q, body(std::string(1024, 'x'))).ok());
  auto e = send_error(h, q, body(std::string(1025, 'x')));
  CHECK(e.code == SqsErrorCode::kInvalidParameterValue);
  CHECK(e.message == "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
  auto with_attr = body(std::string(1014, 'x'));
  with_attr.message_attributes = {{"abcd", str("12")}};  // 4 + 6 + 2 = 12 more bytes
  CHECK(send_error(h, q, with_attr).code == SqsErrorCode::kInvalidParameterValue);
}

TEST_CASE("sqs send validates message attributes") {
  SqsHarness h;
  auto q = h.create("q");
  auto with = [&](MessageAttributes attrs) {
    auto e = body("b");
    e.message_attributes = std::move(attrs);
    return h.try_send(q, e);
  };
  MessageAttributes eleven;
  for (int i = 0; i < 11; ++i) eleven["a" + std::to_string(i)] = str("v");
  CHECK(with(eleven).error().message == "Number of message attributes [11] exceeds the allowed maximum [10].");
  CHECK(with({{"AWS.x", str("v")}}).error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(with({{"amazon.x", str("v")}}).error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(with({{".x", str("v")}}).error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(with({{"a..b", str("v")}}).error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(with({{"a!", str("v")}}).error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(with({{std::string(257, 'n'), str("v")}}).error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(with({{"ErrorDetails", str("")}}).error().message ==
        "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.");
  CHECK(with({{"t", AttributeValue{"Blob", "v", ""}}}).error().code == SqsErrorCode::kInvalidParameterValue);
  CHECK(with({{"n", AttributeValue{"Number", "12a", ""}}}).error().message ==
        "Can't cast the value of message (user) attribute 'n' to a number.");
  CHECK(with({{"n", AttributeValue{"Number.float", "-1.5e3", ""}}}).ok());
  CHECK(with({{"b", AttributeValue{"Binary.gif", "", std::string("\0\1", 2)}}}).ok());
  CHECK(with({{"attr.1\xC3\xB8", str("v")}}).ok());
}

TEST_CASE("sqs send allows only AWSTraceHeader as a system attribute and takes it from the trace header") {
  SqsHarness h;
  auto q = h.create("q");
  auto e = body("b");
  e.message_system_attributes = {{"Other", str("x")}};
  CHECK(send_error(h, q, e).code == SqsErrorCode::kInvalidParameterValue);
  h.ctx.trace_header = "Root=1-abc";
  h.send(q, "traced");
  auto got = h.receive(q);
  REQUIRE(got.size() == 1);
  CHECK(sys_attr(got[0], "AWSTraceHeader") == "Root=1-abc");
}

TEST_CASE("sqs send delay must be 0..900 on standard queues") {
  SqsHarness h;
  auto q = h.create("q");
  auto e = body("b");
  e.delay_seconds = 901;
  CHECK(send_error(h, q, e).message ==
        "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.");
  e.delay_seconds = 900;
  CHECK(h.try_send(q, e).ok());
}

TEST_CASE("sqs standard queue rejects MessageDeduplicationId and returns MessageGroupId") {
  SqsHarness h;
  auto q = h.create("q");
  auto e = body("b");
  e.message_deduplication_id = "d1";
  CHECK(send_error(h, q, e).message ==
        "Value d1 for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.");
  auto fair = body("fair");
  fair.message_group_id = "tenant-1";
  REQUIRE(h.try_send(q, fair).ok());
  fair.message_group_id = "has space";
  CHECK(send_error(h, q, fair).message ==
        "Value has space for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  auto got = h.receive(q);
  REQUIRE(got.size() == 1);
  CHECK(sys_attr(got[0], "MessageGroupId") == "tenant-1");
  CHECK(sys_attr(got[0], "SequenceNumber") == "<absent>");
}

TEST_CASE("sqs send batch whole-request errors") {
  SqsHarness h;
  auto q = h.create("q");
  auto batch = [&](std::vector<SendMessageEntry> entries) {
    return h.svc->send_message_batch(h.ctx, SendMessageBatchRequest{q, std::move(entries)});
  };
  auto empty = batch({});
  CHECK(empty.error().code == SqsErrorCode::kEmptyBatchRequest);
  std::vector<SendMessageEntry> twenty;
  for (int i = 0; i < 20; ++i) {
    twenty.push_back(body("b"));
    twenty.back().id = "e" + std::to_string(i);
  }
  auto many = batch(twenty);
  CHECK(many.error().code == SqsErrorCode::kTooManyEntriesInBatchRequest);
  CHECK(many.error().message == "Maximum number of entries per request are 10. You have sent 20.");
  auto a = body("b");
  a.id = "same";
  auto dup = batch({a, a});
  CHECK(dup.error().code == SqsErrorCode::kBatchEntryIdsNotDistinct);
  a.id = "bad id!";
  auto bad = batch({a});
  CHECK(bad.error().code == SqsErrorCode::kInvalidBatchEntryId);
  CHECK(bad.error().message ==
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
  auto big1 = body(std::string(600000, 'x'));
  big1.id = "a";
  auto big2 = body(std::string(448577, 'y'));
  big2.id = "b";
  auto toolong = batch({big1, big2});
  CHECK(toolong.error().code == SqsErrorCode::kBatchRequestTooLong);
  CHECK(toolong.error().message == "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.");
  CHECK(h.store.count("put_message") == 0);
}

TEST_CASE("sqs send batch reports per-entry failures and sends the valid entries") {
  SqsHarness h;
  auto q = h.create("q", {{"MaximumMessageSize", "1024"}});
  auto ok = body("fine");
  ok.id = "ok";
  auto big = body(std::string(2000, 'x'));
  big.id = "big";
  auto chars = body(std::string("\x01"));
  chars.id = "chars";
  auto r = h.svc->send_message_batch(h.ctx, SendMessageBatchRequest{q, {ok, big, chars}});
  REQUIRE(r.ok());
  REQUIRE(r.value().successful.size() == 1);
  CHECK(r.value().successful[0].first == "ok");
  REQUIRE(r.value().failed.size() == 2);
  CHECK(r.value().failed[0].id == "big");
  CHECK(r.value().failed[0].error.message ==
        "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.");
  CHECK(r.value().failed[1].error.code == SqsErrorCode::kInvalidMessageContents);
  CHECK(h.attr(q, "ApproximateNumberOfMessages") == "1");
}

TEST_CASE("sqs send persists each message and a failed send persists nothing") {
  SqsHarness h;
  auto q = h.create("q");
  auto sent = h.send(q, "hello");
  CHECK(h.store.messages.at({"q", sent.message_id}).body == "hello");
  const auto before = h.store.calls;
  CHECK_FALSE(h.try_send(q, body("")).ok());
  CHECK(h.store.calls == before);
}
