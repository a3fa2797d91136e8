#include "platform/real_clock.h"

namespace slipway::platform {

RealClock::RealClock()
    : wall_anchor_us_(std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()),
      steady_anchor_(std::chrono::steady_clock::now()) {}

core::TimeUs RealClock::now_us() const {
  auto elapsed = std::chrono::steady_clock::now() - steady_anchor_;
  return wall_anchor_us_ + std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
}

}  // namespace slipway::platform
