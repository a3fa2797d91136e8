// Clock: where the core gets time. The core never reads the OS clock (DESIGN rule 3); it is
// handed a Clock. The daemon uses platform::RealClock; tests and the deterministic mode use
// ManualClock, whose time moves only when told.
//
// Time is microseconds since the Unix epoch, as int64. It never goes backwards for a given
// Clock: RealClock anchors the wall clock once at start and advances with the monotonic clock,
// so timestamps look like wall time but deadlines are immune to clock steps.
#pragma once

#include <cstdint>

namespace slipway::core {

using TimeUs = int64_t;  // microseconds since the Unix epoch

inline constexpr TimeUs kUsPerMs = 1000;
inline constexpr TimeUs kUsPerSecond = 1000 * 1000;

class Clock {
 public:
  virtual ~Clock() = default;
  // Current time. Never decreases between calls.
  virtual TimeUs now_us() const = 0;
};

// A clock that moves only when told: unit tests, simulation, deterministic mode.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeUs start_us = 1'700'000'000LL * kUsPerSecond) : now_us_(start_us) {}
  TimeUs now_us() const override { return now_us_; }

  // REQUIRES: delta_us >= 0
  void advance_us(TimeUs delta_us);
  void advance_ms(int64_t delta_ms) { advance_us(delta_ms * kUsPerMs); }
  // REQUIRES: t_us >= now_us()
  void set_us(TimeUs t_us);

 private:
  TimeUs now_us_;
};

}  // namespace slipway::core
