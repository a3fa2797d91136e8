// RealClock: the daemon's core::Clock. Anchors the wall clock once, then advances with the
// monotonic clock, so timestamps look like wall time but never jump backwards.
#pragma once

#include <chrono>

#include "core/clock.h"

namespace slipway::platform {

class RealClock final : public core::Clock {
 public:
  RealClock();
  core::TimeUs now_us() const override;

 private:
  core::TimeUs wall_anchor_us_;
  std::chrono::steady_clock::time_point steady_anchor_;
};

}  // namespace slipway::platform
