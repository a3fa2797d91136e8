#include "core/ids.h"

#include <array>
#include <cstdint>

namespace slipway::core {

namespace {
constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, uint8_t byte) {
  out.push_back(kHex[byte >> 4]);
  out.push_back(kHex[byte & 0xf]);
}
}  // namespace

std::string IdGen::uuid() {
  std::array<uint8_t, 16> b{};
  for (size_t i = 0; i < b.size(); i += 8) {
    uint64_t r = rng_.next_u64();
    for (size_t j = 0; j < 8; ++j) b[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    append_hex(out, b[i]);
  }
  return out;
}

std::string IdGen::hex(size_t n_bytes) {
  std::string out;
  out.reserve(n_bytes * 2);
  uint64_t r = 0;
  for (size_t i = 0; i < n_bytes; ++i) {
    if (i % 8 == 0) r = rng_.next_u64();
    append_hex(out, static_cast<uint8_t>(r >> (8 * (i % 8))));
  }
  return out;
}

}  // namespace slipway::core
