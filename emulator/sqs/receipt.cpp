#include "sqs/receipt.h"

#include <array>
#include <charconv>

#include "core/digest.h"

namespace slipway::sqs {

namespace {

constexpr std::string_view kPrefix = "AQEB";
constexpr std::string_view kMagic = "slipway-rh1";

// The `n` fields of `s` separated by `sep`; false when there are more or fewer.
template <size_t n>
bool split_exactly(std::string_view s, char sep, std::array<std::string_view, n>& parts) {
  for (size_t i = 0; i + 1 < n; ++i) {
    const size_t at = s.find(sep);
    if (at == std::string_view::npos) return false;
    parts[i] = s.substr(0, at);
    s.remove_prefix(at + 1);
  }
  parts[n - 1] = s;
  return s.find(sep) == std::string_view::npos;
}

template <typename T>
bool parse_number(std::string_view s, T& out, int base = 10) {
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::string encode_receipt(const ReceiptHandle& h) {
  char nonce[16];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) nonce[i] = kHex[(h.nonce >> (60 - 4 * i)) & 0xF];
  char seq[24];
  char count[16];
  const auto seq_end = std::to_chars(seq, seq + sizeof seq, h.seq).ptr;
  const auto count_end = std::to_chars(count, count + sizeof count, h.receive_count).ptr;
  std::string payload;
  payload.reserve(kMagic.size() + h.queue.size() + h.message_id.size() + 64);
  payload.append(kMagic).append(1, '\n').append(h.queue).append(1, '\n').append(h.message_id);
  payload.append(1, '\n').append(seq, seq_end).append(1, '\n').append(count, count_end);
  payload.append(1, '\n').append(nonce, sizeof nonce);
  return core::base64_encode(payload, kPrefix);
}

std::optional<ReceiptHandle> decode_receipt(std::string_view text) {
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const auto payload = core::base64_decode(text.substr(kPrefix.size()));
  if (!payload) return std::nullopt;
  std::array<std::string_view, 6> parts;
  if (!split_exactly(*payload, '\n', parts) || parts[0] != kMagic || parts[1].empty() ||
      parts[2].empty()) {
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

}  // namespace slipway::sqs
