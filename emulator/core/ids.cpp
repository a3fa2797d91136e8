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

std::string format_uuid(uint64_t hi, uint64_t lo) {
  hi = (hi & ~0xF000ULL) | 0x4000ULL;        // version 4
  lo = (lo & ~(3ULL << 62)) | (2ULL << 62);  // RFC 4122 variant
  std::string out(36, '-');
  size_t at = 0;
  auto put = [&](uint64_t v, int digits) {
    for (int d = digits - 1; d >= 0; --d) out[at++] = kHex[(v >> (4 * d)) & 0xF];
  };
  put(hi >> 32, 8), ++at;  // ++at steps over a '-'
  put(hi >> 16, 4), ++at;
  put(hi, 4), ++at;
  put(lo >> 48, 4), ++at;
  put(lo, 12);
  return out;
}

// The bytes of two draws, least significant first, read as one 128-bit big-endian number: the
// order these ids have always had, so a seed names the same ids as before.
std::string IdGen::uuid() {
  const uint64_t a = rng_.next_u64();
  const uint64_t b = rng_.next_u64();
  return format_uuid(__builtin_bswap64(a), __builtin_bswap64(b));
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

uint64_t IdGen::nonce() {
  const uint64_t n = __builtin_bswap64(rng_.next_u64());  // hex(8) writes the low byte first
  return n == 0 ? 1 : n;
}

}  // namespace slipway::core
