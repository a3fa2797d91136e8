#include "sqs/receipt.h"

#include <charconv>
#include <vector>

#include "core/digest.h"

namespace slipway::sqs {

namespace {

constexpr std::string_view kPrefix = "AQEB";
constexpr std::string_view kMagic = "slipway-rh1";

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

template <typename T>
bool parse_number(std::string_view s, T& out, int base = 10) {
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::string encode_receipt(const ReceiptHandle& h) {
  char nonce[17];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) nonce[i] = kHex[(h.nonce >> (60 - 4 * i)) & 0xF];
  nonce[16] = '\0';
  const std::string payload = std::string(kMagic) + "\n" + h.queue + "\n" + h.message_id + "\n" +
                              std::to_string(h.seq) + "\n" + std::to_string(h.receive_count) +
                              "\n" + nonce;
  return std::string(kPrefix) + core::base64_encode(payload);
}

std::optional<ReceiptHandle> decode_receipt(std::string_view text) {
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const auto payload = core::base64_decode(text.substr(kPrefix.size()));
  if (!payload) return std::nullopt;
  const auto parts = split(*payload, '\n');
  if (parts.size() != 6 || parts[0] != kMagic || parts[1].empty() || parts[2].empty()) {
    return std::nullopt;
  }
  ReceiptHandle h;
  h.queue = std::string(parts[1]);
  h.message_id = std::string(parts[2]);
  if (!parse_number(parts[3], h.seq) || !parse_number(parts[4], h.receive_count) ||
      parts[5].size() != 16 || !parse_number(parts[5], h.nonce, 16) || h.nonce == 0) {
    return std::nullopt;
  }
  return h;
}

uint64_t nonce_from_hex(std::string_view hex) {
  uint64_t n = 0;
  if (!parse_number(hex, n, 16) || n == 0) return 1;
  return n;
}

}  // namespace slipway::sqs
