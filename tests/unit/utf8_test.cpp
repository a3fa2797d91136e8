#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

#include "core/utf8.h"
#include "http/edge.h"
#include "sqs/message_checks.h"

using slipway::core::invalid_utf8_at;
using slipway::core::next_code_point;
constexpr size_t kValid = std::string_view::npos;

TEST_CASE("utf8: valid text of every sequence length, at every offset of the 8-byte fast path") {
  for (const std::string seq : {"A", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"}) {
    for (size_t pad = 0; pad < 17; ++pad) {
      const std::string text = std::string(pad, 'x') + seq + std::string(9, 'y');
      CAPTURE(pad);
      CHECK(invalid_utf8_at(text) == kValid);
    }
  }
  CHECK(invalid_utf8_at("") == kValid);
  size_t i = 0;
  uint32_t cp = 0;
  REQUIRE(next_code_point("\xF0\x9F\x98\x80", i, cp));
  CHECK(cp == 0x1F600);
  CHECK(i == 4);
}

TEST_CASE("utf8: the offset of the first bad byte, wherever it falls") {
  const std::string bad[] = {
      "\x80",              // a continuation byte first
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong, three bytes
      "\xED\xA0\x80",      // a UTF-16 surrogate (U+D800)
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF8\x88\x80\x80",  // a five-byte lead
      "\xE2\x82",          // truncated at the end
      "\xE2\x28\xA1",      // a continuation byte missing
  };
  for (const std::string& b : bad) {
    for (size_t pad = 0; pad < 17; ++pad) {
      CAPTURE(pad);
      CHECK(invalid_utf8_at(std::string(pad, 'x') + b) == pad);
    }
  }
}

TEST_CASE("edge: request ids are distinct version-4 UUIDs") {
  const std::regex uuid4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = slipway::http::new_request_id();
    REQUIRE(std::regex_match(id, uuid4));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("sqs: message characters are checked at every position of the 8-byte fast path") {
  using slipway::sqs::valid_message_characters;
  for (size_t pad = 0; pad < 17; ++pad) {
    CAPTURE(pad);
    const std::string before(pad, 'a');
    const std::string after(9, '~');
    CHECK(valid_message_characters(before + " \x7F\t\n\r" + after));
    CHECK(valid_message_characters(before + "\xEF\xBF\xBD" + after));  // U+FFFD
    for (const std::string& bad : {std::string(1, '\0'), std::string("\x1F"), std::string("\x08"),
                                  std::string("\xEF\xBF\xBE"), std::string("\xC3")}) {
      CHECK_FALSE(valid_message_characters(before + bad + after));
    }
  }
}
