// A seed from the operating system, for runs started without --seed. The seed is printed at
// start, so even an unseeded run can be repeated.
#pragma once

#include <cstdint>

namespace slipway::platform {

uint64_t os_random_seed();

}  // namespace slipway::platform
