// Digests as lowercase hex (OpenSSL underneath): MD5 for SQS's MD5OfMessageBody and
// MD5OfMessageAttributes, SHA-256 for FIFO content-based deduplication, and base64.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace slipway::core {

std::string md5_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
// `prefix` is copied in front of the encoding, in the same allocation.
std::string base64_encode(std::string_view data, std::string_view prefix = {});
// nullopt when `text` is not valid base64 (standard alphabet, padding optional).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace slipway::core
