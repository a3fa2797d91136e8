#include "platform/os_random.h"

#include <random>

namespace slipway::platform {

uint64_t os_random_seed() {
  std::random_device rd;
  // Keep seeds to 53 bits so they survive a round trip through JSON numbers.
  const uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  return seed & ((1ULL << 53) - 1);
}

}  // namespace slipway::platform
