// IdGen: ids drawn from an Rng, so a seeded run mints the same ids every time (message ids,
// request ids, receipt handles). UUIDs are version-4 shaped (8-4-4-4-12 lowercase hex with the
// version and variant bits set) because clients and users expect that shape from AWS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/rng.h"

namespace slipway::core {

// 128 bits as a version-4 UUID: `hi` then `lo` in lowercase hex, 8-4-4-4-12, with the version
// (4) and RFC 4122 variant bits forced.
std::string format_uuid(uint64_t hi, uint64_t lo);

class IdGen {
 public:
  explicit IdGen(Rng rng) : rng_(rng) {}

  // "9f1c2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
  std::string uuid();
  // `n_bytes` random bytes as 2*n_bytes lowercase hex characters.
  std::string hex(size_t n_bytes);
  // A random number, never 0: the one hex(8) would spell, read as big-endian hex.
  uint64_t nonce();

 private:
  Rng rng_;
};

}  // namespace slipway::core
