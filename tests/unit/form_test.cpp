#include <doctest/doctest.h>

#include "http/form.h"

using namespace slipway::http;

TEST_CASE("form: '+' is a space, %2B a plus, %0D%0A a CR LF") {
  FormParams p = FormParams::parse("MessageBody=a+b%2Bc%0D%0Ad&x=%E2%82%AC");
  REQUIRE(p.get("MessageBody") != nullptr);
  CHECK(*p.get("MessageBody") == "a b+c\r\nd");
  CHECK(*p.get("x") == "\xE2\x82\xAC");  // UTF-8 euro sign
}

TEST_CASE("form: keys are decoded too") {
  FormParams p = FormParams::parse("Attribute.1.Name%3D=v&a+b=1");
  CHECK(*p.get("Attribute.1.Name=") == "v");
  CHECK(*p.get("a b") == "1");
}

TEST_CASE("form: repeated keys keep every value, the first wins a lookup") {
  FormParams p = FormParams::parse("Action=SendMessage&k=1&k=2&k=3");
  CHECK(*p.get("k") == "1");
  CHECK(p.all("k") == std::vector<std::string>{"1", "2", "3"});
  CHECK(p.all("missing").empty());
  CHECK(p.size() == 4);
}

TEST_CASE("form: empty values, keys without '=', empty pieces") {
  FormParams p = FormParams::parse("a=&b&&c=3&=orphan&");
  REQUIRE(p.get("a") != nullptr);
  CHECK(p.get("a")->empty());
  REQUIRE(p.has("b"));
  CHECK(p.get("b")->empty());
  CHECK(*p.get("c") == "3");
  CHECK(*p.get("") == "orphan");
  CHECK(p.get("d") == nullptr);
  CHECK(FormParams::parse("").size() == 0);
  CHECK(FormParams::parse("&&&").size() == 0);
}

TEST_CASE("form: malformed escapes are kept literally") {
  CHECK(url_decode("%zz") == "%zz");
  CHECK(url_decode("100%") == "100%");
  CHECK(url_decode("%4") == "%4");
  CHECK(url_decode("%4g1") == "%4g1");
  CHECK(url_decode("%41%42") == "AB");
  CHECK(url_decode("%00", true) == std::string(1, '\0'));
}

TEST_CASE("form: '+' stays a plus when not decoding a form") {
  CHECK(url_decode("a+b", false) == "a+b");
  CHECK(url_decode("a+b", true) == "a b");
}

TEST_CASE("form: a value may hold '=' and encoded '&'") {
  FormParams p = FormParams::parse("Policy=%7B%22a%22%3A1%7D&b=x=y&c=1%262");
  CHECK(*p.get("Policy") == "{\"a\":1}");
  CHECK(*p.get("b") == "x=y");
  CHECK(*p.get("c") == "1&2");
}

TEST_CASE("form: indexes of flattened lists, numerically sorted and distinct") {
  FormParams p = FormParams::parse(
      "Attribute.10.Name=j&Attribute.2.Name=b&Attribute.2.Value=2&Attribute.1.Name=a&"
      "AttributeName.7=x&Attribute.0.Name=zero&Attribute.01.Name=lead&Attribute.x.Name=nan&"
      "Attribute.-1.Name=neg&Attribute.3=bare&Attribute.99999999999.Name=huge");
  CHECK(p.indexes("Attribute") == std::vector<int>{1, 2, 3, 10});
  CHECK(p.indexes("AttributeName") == std::vector<int>{7});
  CHECK(p.indexes("Tag").empty());
}

TEST_CASE("form: nested list indexes under an entry prefix") {
  FormParams p = FormParams::parse(
      "SendMessageBatchRequestEntry.1.MessageAttribute.2.Name=b&"
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=a&"
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=c");
  CHECK(p.indexes("SendMessageBatchRequestEntry") == std::vector<int>{1, 2});
  CHECK(p.indexes("SendMessageBatchRequestEntry.1.MessageAttribute") == std::vector<int>{1, 2});
  CHECK(p.indexes("SendMessageBatchRequestEntry.2.MessageAttribute") == std::vector<int>{1});
}

TEST_CASE("form: merge appends, earlier values win") {
  FormParams body = FormParams::parse("Action=SendMessage&MessageBody=body");
  body.merge(FormParams::parse("Action=DeleteQueue&Extra=1"));
  CHECK(*body.get("Action") == "SendMessage");
  CHECK(*body.get("Extra") == "1");
  CHECK(body.all("Action").size() == 2);
}
