#include "lambda/environment.h"

namespace slipway::lambda {

namespace {

constexpr std::array<std::string_view, static_cast<size_t>(EnvState::kCount)> kStateNames{
    "Spawning", "Starting", "Idle", "Invoking", "Finishing", "Dead"};

constexpr std::array<std::string_view, static_cast<size_t>(EnvEvent::kCount)> kEventNames{
    "spawned",  "spawn_failed",   "next_requested", "event_delivered", "response",
    "invocation_error", "init_error", "process_exited", "timeout", "init_timeout",
    "reap",     "kill"};

// Each (state, event) pair appears at most once, and every row names real values.
constexpr bool table_is_well_formed() {
  for (size_t i = 0; i < kTransitions.size(); ++i) {
    const Transition& t = kTransitions[i];
    if (t.from == EnvState::kCount || t.to == EnvState::kCount || t.event == EnvEvent::kCount) {
      return false;
    }
    for (size_t j = 0; j < i; ++j) {
      if (kTransitions[j].from == t.from && kTransitions[j].event == t.event) return false;
    }
  }
  return true;
}
static_assert(table_is_well_formed(), "kTransitions: a duplicate or malformed row");

}  // namespace

std::optional<EnvState> next_state(EnvState from, EnvEvent event) {
  for (const Transition& t : kTransitions) {
    if (t.from == from && t.event == event) return t.to;
  }
  return std::nullopt;
}

std::string_view state_name(EnvState s) {
  const auto i = static_cast<size_t>(s);
  return i < kStateNames.size() ? kStateNames[i] : "Unknown";
}

std::string_view event_name(EnvEvent e) {
  const auto i = static_cast<size_t>(e);
  return i < kEventNames.size() ? kEventNames[i] : "unknown";
}

std::string_view target_name(EnvEvent e) {
  switch (e) {
    case EnvEvent::kNextRequested: return "Ready";
    case EnvEvent::kResponse: return "InvocationResponse";
    case EnvEvent::kInvocationError: return "InvocationErrorResponse";
    case EnvEvent::kInitError: return "InitError";
    default: return event_name(e);
  }
}

bool counts_as_busy(EnvState s) {
  return s == EnvState::kSpawning || s == EnvState::kStarting || s == EnvState::kInvoking ||
         s == EnvState::kFinishing;
}

}  // namespace slipway::lambda
