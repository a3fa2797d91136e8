#include "core/clock.h"

#include <cstdio>
#include <cstdlib>

namespace slipway::core {

namespace {
[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "slipway: broken invariant: %s\n", what);
  std::abort();
}
}  // namespace

void ManualClock::advance_us(TimeUs delta_us) {
  if (delta_us < 0) fail("ManualClock::advance_us with a negative delta");
  now_us_ += delta_us;
}

void ManualClock::set_us(TimeUs t_us) {
  if (t_us < now_us_) fail("ManualClock::set_us would move time backwards");
  now_us_ = t_us;
}

}  // namespace slipway::core
