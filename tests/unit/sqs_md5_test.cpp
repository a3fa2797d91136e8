// MD5OfMessageBody / MD5OfMessageAttributes / MD5OfMessageSystemAttributes: spec §3.1 and §3.3
// test vectors, through the helper and through SendMessage / ReceiveMessage.
#include <doctest/doctest.h>

#include "fake_sqs_persistence.h"
#include "sqs/message_checks.h"

using namespace slipway::sqs;
using namespace slipway::sqs::testing;

namespace {
AttributeValue str(const std::string& v) { return AttributeValue{"String", v, ""}; }
}  // namespace

TEST_CASE("sqs md5 of attributes matches every spec vector") {
  CHECK(md5_of_attributes({{"Foo", str("Bar")}}) == "ae7155c6026991b6d54b11589678bf9c");
  CHECK(md5_of_attributes({{"MyAttribute", str("foobar")}}) == "adb59cd4678ea5a855436b949cd07ab6");
  CHECK(md5_of_attributes({{"General", str("Kenobi")}, {"Hello", str("There")}, {"Help.Me", str("Me")}}) ==
        "4c360f3fdafd970e05fae2f149d997f5");
  CHECK(md5_of_attributes({{"General", str("Kenobi")}, {"Hello", str("There")}}) ==
        "fca026605781cb4126a1e9044df24232");
  CHECK(md5_of_attributes({{"Hello", str("There")}}) == "a311262e065454b75da111d535b8dacd");
  CHECK(md5_of_attributes({{"Hello", str("There")}, {"Help.Me", str("Me")}}) ==
        "83fee93c1bcd8b9a5a923ffacdc636c7");
  CHECK(md5_of_attributes({{"test-key", str("test-value")}}) == "befa18540a897f7d022bf07057754a03");
  CHECK(md5_of_attributes({{"test-key", str("test-value")}, {"test-key-alt", str("test-value-alt")}}) ==
        "2256c3b617e2b4b3ae4f2d455dcf54d0");
  CHECK(md5_of_attributes({{"binaryAttribute", AttributeValue{"Binary", "", "Hello binary world!"}}}) ==
        "31a92b15d92f8db860eda32aceb656c3");
  CHECK(md5_of_attributes({{"customNumberTypeAttrib",
                            AttributeValue{"Number.float", "4563442423554324324264524243.32543234", ""}}}) ==
        "9fe1b90bbd9965bdf77bac517c7d2495");
  CHECK(md5_of_attributes({{"AWSTraceHeader",
                            str("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")}}) ==
        "5ae4d5d7636402d80f4eb6d213245a88");
  CHECK(md5_of_attributes({}).empty());
}

TEST_CASE("sqs send returns body md5 and attribute md5 only when attributes were sent") {
  SqsHarness h;
  auto q = h.create("q");
  auto plain = h.send(q, "test");
  CHECK(plain.md5_of_message_body == "098f6bcd4621d373cade4e832627b4f6");
  CHECK(plain.md5_of_message_attributes.empty());
  CHECK(plain.md5_of_message_system_attributes.empty());
  SendMessageEntry e;
  e.message_body = "{\"message_index\":1}";
  e.message_attributes = {{"test-key", str("test-value")}};
  e.message_system_attributes = {
      {"AWSTraceHeader", str("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")}};
  auto r = h.try_send(q, e);
  REQUIRE(r.ok());
  CHECK(r.value().md5_of_message_body == "4504dd781f625d681c31cda87e260702");
  CHECK(r.value().md5_of_message_attributes == "befa18540a897f7d022bf07057754a03");
  CHECK(r.value().md5_of_message_system_attributes == "5ae4d5d7636402d80f4eb6d213245a88");
}

TEST_CASE("sqs receive md5 covers only the returned attribute subset") {
  SqsHarness h;
  auto q = h.create("q");
  SendMessageEntry e;
  e.message_body = "x";
  e.message_attributes = {{"General", str("Kenobi")}, {"Hello", str("There")}, {"Help.Me", str("Me")}};
  REQUIRE(h.try_send(q, e).ok());
  auto with = [&](std::vector<std::string> names) {
    ReceiveMessageRequest req;
    req.queue = q;
    req.message_attribute_names = std::move(names);
    req.visibility_timeout = 0;
    auto p = h.poll(req);
    REQUIRE(p->done());
    REQUIRE(p->messages().size() == 1);
    return p->messages()[0];
  };
  CHECK(with({"All"}).md5_of_message_attributes == "4c360f3fdafd970e05fae2f149d997f5");
  CHECK(with({".*"}).message_attributes.size() == 3);
  CHECK(with({"General", "Hello"}).md5_of_message_attributes == "fca026605781cb4126a1e9044df24232");
  CHECK(with({"Hel.*"}).md5_of_message_attributes == "83fee93c1bcd8b9a5a923ffacdc636c7");
  CHECK(with({"Hello", "Missing"}).md5_of_message_attributes == "a311262e065454b75da111d535b8dacd");
  auto none = with({});
  CHECK(none.message_attributes.empty());
  CHECK(none.md5_of_message_attributes.empty());
  CHECK(with({"AWS.", "..foo"}).md5_of_message_attributes.empty());
}
