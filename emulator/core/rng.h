// Rng: the only source of randomness in the core (DESIGN rule 3). Seeded, so the same seed gives
// the same sequence on every machine: xoshiro256** seeded through splitmix64, both fully
// specified algorithms (std::mt19937 would do, but std's distributions are not portable across
// standard libraries; ours are written here).
//
// `fork(stream)` derives an independent generator for one purpose (ids, faults, scheduling), so
// adding a draw in one stream never shifts the values of another: a run with a fault plan
// switched on still gets the same message ids.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace slipway::core {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t seed() const { return seed_; }
  uint64_t next_u64();
  // Uniform in [0, bound). REQUIRES: bound > 0. Unbiased (rejection sampling).
  uint64_t uniform(uint64_t bound);
  // Uniform in [0, 1).
  double next_double();
  // True with probability p (p <= 0 never, p >= 1 always).
  bool chance(double p);
  // An independent generator derived from this one's seed and a stream name; does not advance
  // this generator.
  Rng fork(std::string_view stream) const;

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> s_;
};

}  // namespace slipway::core
