#include "core/digest.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace slipway::core {

namespace {

// Fetched once: EVP_md5() and friends make OpenSSL 3 look the algorithm up on every call, which
// cost more than hashing a 200-byte message body. The context is reused per thread for the same
// reason (EVP_Digest allocates one per call).
struct Digester {
  EVP_MD* md;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  explicit Digester(const char* name) : md(EVP_MD_fetch(nullptr, name, nullptr)) {}
  ~Digester() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;
};

std::string digest_hex(Digester& d, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  EVP_DigestInit_ex2(d.ctx, d.md, nullptr);
  EVP_DigestUpdate(d.ctx, data.data(), data.size());
  EVP_DigestFinal_ex(d.ctx, out.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(static_cast<size_t>(len) * 2, '\0');
  for (unsigned int i = 0; i < len; ++i) {
    hex[2 * i] = kHex[out[i] >> 4];
    hex[2 * i + 1] = kHex[out[i] & 0xf];
  }
  return hex;
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string md5_hex(std::string_view data) {
  thread_local Digester md5("MD5");
  return digest_hex(md5, data);
}

std::string sha256_hex(std::string_view data) {
  thread_local Digester sha256("SHA256");
  return digest_hex(sha256, data);
}

std::string base64_encode(std::string_view data, std::string_view prefix) {
  std::string out;
  out.reserve(prefix.size() + (data.size() + 2) / 3 * 4);
  out.append(prefix);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63], kB64[n & 63]};
  }
  if (i + 1 == data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == data.size()) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8);
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63], '='};
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = b64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace slipway::core
