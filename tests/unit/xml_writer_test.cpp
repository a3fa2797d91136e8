#include <doctest/doctest.h>

#include "http/xml_writer.h"

using namespace slipway::http;

TEST_CASE("xml: escapes & < > and quotes as real SQS does") {
  CHECK(xml_escape("a & b < c > d") == "a &amp; b &lt; c &gt; d");
  CHECK(xml_escape("say \"hi\"") == "say &quot;hi&quot;");
  CHECK(xml_escape("it's") == "it's");
  CHECK(xml_escape("") == "");
}

TEST_CASE("xml: CR is a character reference so parsers cannot normalise it away") {
  CHECK(xml_escape("line1\r\nline2\r") == "line1&#xD;\nline2&#xD;");
  CHECK(xml_escape("tab\there\n") == "tab\there\n");
}

TEST_CASE("xml: characters XML cannot carry become U+FFFD, valid UTF-8 passes") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(xml_escape(std::string("a\0b", 3)) == "a" + fffd + "b");
  CHECK(xml_escape("\x08\x1F") == fffd + fffd);
  CHECK(xml_escape("\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80") == "\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(xml_escape("\xFF") == fffd);                    // never valid in UTF-8
  CHECK(xml_escape("\xC3") == fffd);                    // truncated sequence
  CHECK(xml_escape("\xC0\xAF") == fffd + fffd);         // overlong '/'
  CHECK(xml_escape("\xED\xA0\x80") == fffd + fffd + fffd);  // UTF-16 surrogate
  CHECK(xml_escape("\xEF\xBF\xBF") == fffd + fffd + fffd);  // U+FFFF is not an XML char
  CHECK(xml_escape("\xEE\x80\x80") == "\xEE\x80\x80");  // U+E000 is
}

TEST_CASE("xml: writer nests, self-closes empty elements, escapes text and xmlns") {
  XmlWriter w;
  w.open("Root", "urn:a&b").open("Empty").close().leaf("Text", "<&\">").open("Outer");
  w.leaf("Inner", "").close().close();
  CHECK(w.finish() ==
        "<Root xmlns=\"urn:a&amp;b\"><Empty/><Text>&lt;&amp;&quot;&gt;</Text>"
        "<Outer><Inner></Inner></Outer></Root>");
}

TEST_CASE("xml: an empty document element is self-closed") {
  XmlWriter w;
  w.open("ReceiveMessageResult").close();
  CHECK(w.finish() == "<ReceiveMessageResult/>");
}
