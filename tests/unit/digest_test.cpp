#include <doctest/doctest.h>

#include "core/digest.h"

using namespace slipway::core;

TEST_CASE("digest: md5 and sha256 on known vectors") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("test") == "098f6bcd4621d373cade4e832627b4f6");
  CHECK(md5_hex("{\"message_index\":1}") == "4504dd781f625d681c31cda87e260702");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("digest: base64 round trips and rejects garbage") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("Hello binary world!") == "SGVsbG8gYmluYXJ5IHdvcmxkIQ==");
  CHECK(base64_decode("SGVsbG8gYmluYXJ5IHdvcmxkIQ==") == std::optional<std::string>("Hello binary world!"));
  CHECK(base64_decode("Zm8") == std::optional<std::string>("fo"));
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
  CHECK_FALSE(base64_decode("Z").has_value());
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  CHECK(base64_decode(base64_encode(all)) == std::optional<std::string>(all));
}
