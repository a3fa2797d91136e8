// The environment lifecycle table: every (state, event) pair, allowed and denied.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "lambda/environment.h"

using namespace slipway::lambda;

namespace {

using S = EnvState;
using E = EnvEvent;

// The lifecycle as the spec describes it, written out independently of kTransitions: every pair
// not listed here must be denied.
const std::map<std::pair<S, E>, S>& expected_allowed() {
  static const std::map<std::pair<S, E>, S> table{
      {{S::kSpawning, E::kSpawned}, S::kStarting},
      {{S::kSpawning, E::kSpawnFailed}, S::kDead},
      {{S::kSpawning, E::kInitTimeout}, S::kDead},
      {{S::kSpawning, E::kProcessExited}, S::kDead},
      {{S::kSpawning, E::kKill}, S::kDead},
      {{S::kStarting, E::kNextRequested}, S::kIdle},
      {{S::kStarting, E::kInitError}, S::kDead},
      {{S::kStarting, E::kInitTimeout}, S::kDead},
      {{S::kStarting, E::kProcessExited}, S::kDead},
      {{S::kStarting, E::kKill}, S::kDead},
      {{S::kIdle, E::kEventDelivered}, S::kInvoking},
      {{S::kIdle, E::kReap}, S::kDead},
      {{S::kIdle, E::kProcessExited}, S::kDead},
      {{S::kIdle, E::kKill}, S::kDead},
      {{S::kInvoking, E::kResponse}, S::kFinishing},
      {{S::kInvoking, E::kInvocationError}, S::kFinishing},
      {{S::kInvoking, E::kTimeout}, S::kDead},
      {{S::kInvoking, E::kProcessExited}, S::kDead},
      {{S::kInvoking, E::kKill}, S::kDead},
      {{S::kFinishing, E::kNextRequested}, S::kIdle},
      {{S::kFinishing, E::kTimeout}, S::kDead},
      {{S::kFinishing, E::kProcessExited}, S::kDead},
      {{S::kFinishing, E::kKill}, S::kDead},
      {{S::kDead, E::kProcessExited}, S::kDead},
  };
  return table;
}

}  // namespace

TEST_CASE("lambda environment lifecycle: every (state, event) pair is allowed or denied as specified") {
  int allowed = 0;
  int denied = 0;
  for (int s = 0; s < static_cast<int>(S::kCount); ++s) {
    for (int e = 0; e < static_cast<int>(E::kCount); ++e) {
      const auto state = static_cast<S>(s);
      const auto event = static_cast<E>(e);
      CAPTURE(state_name(state));
      CAPTURE(event_name(event));
      const auto want = expected_allowed().find({state, event});
      const std::optional<S> got = next_state(state, event);
      if (want == expected_allowed().end()) {
        CHECK_FALSE(got.has_value());
        ++denied;
      } else {
        REQUIRE(got.has_value());
        CHECK(state_name(*got) == state_name(want->second));
        ++allowed;
      }
    }
  }
  CHECK(allowed == 24);
  CHECK(denied == 6 * 12 - 24);
  CHECK(kTransitions.size() == expected_allowed().size());
}

TEST_CASE("lambda environment names and busy states") {
  CHECK(state_name(S::kFinishing) == "Finishing");
  CHECK(event_name(E::kInvocationError) == "invocation_error");
  CHECK(target_name(E::kResponse) == "InvocationResponse");
  CHECK(target_name(E::kInvocationError) == "InvocationErrorResponse");
  CHECK(target_name(E::kNextRequested) == "Ready");
  CHECK(target_name(E::kInitError) == "InitError");
  CHECK(counts_as_busy(S::kSpawning));
  CHECK(counts_as_busy(S::kStarting));
  CHECK(counts_as_busy(S::kInvoking));
  CHECK(counts_as_busy(S::kFinishing));
  CHECK_FALSE(counts_as_busy(S::kIdle));
  CHECK_FALSE(counts_as_busy(S::kDead));
}
