// The execution environment lifecycle: an explicit, default-deny state machine (DESIGN rule 7).
//
// Owns: the states, the events, the transition table (kTransitions) and the per-environment
// record the service keeps (Environment). Pure data plus a lookup; no side effects.
//
//   Spawning  --spawned-->          Starting     (process running, runtime init in progress)
//   Spawning  --spawn_failed-->     Dead         (bootstrap missing or not executable)
//   Starting  --next_requested-->   Idle         (init done: parked in GET /next)
//   Idle      --event_delivered-->  Invoking     (an event went out on /next)
//   Invoking  --response-->         Finishing    (POST .../response accepted, or answered 413)
//   Invoking  --invocation_error--> Finishing    (POST .../error)
//   Finishing --next_requested-->   Idle         (the runtime is back for more work)
//   Starting  --init_error-->       Dead         (POST /init/error; the runtime is reset)
//   Spawning, Starting --init_timeout--> Dead
//   Invoking, Finishing --timeout-->     Dead    (the invocation's deadline passed)
//   Idle      --reap-->             Dead         (idle longer than idle_timeout_ms)
//   any live  --process_exited-->   Dead;  any live --kill--> Dead (daemon stopping)
//   Dead      --process_exited-->   Dead         (the killed process is gone: record dropped)
//
// Invariants: any (state, event) pair not in kTransitions is rejected and changes nothing; the
// Runtime API answers such a request 403 InvalidStateTransition. Validation (request id, sizes)
// happens before a transition. One invocation at a time per environment: at most one assigned
// (`invocation`), delivered only from Idle.
//
// Extending: add the state or event before its kCount, its name in environment.cpp, its rows in
// kTransitions, and a row to the table test (tests/unit/lambda_environment_test.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/timer_queue.h"
#include "lambda/api.h"

namespace slipway::lambda {

enum class EnvState { kSpawning, kStarting, kIdle, kInvoking, kFinishing, kDead, kCount };

enum class EnvEvent {
  kSpawned,
  kSpawnFailed,
  kNextRequested,
  kEventDelivered,
  kResponse,
  kInvocationError,
  kInitError,
  kProcessExited,
  kTimeout,
  kInitTimeout,
  kReap,
  kKill,
  kCount,
};

struct Transition {
  EnvState from;
  EnvEvent event;
  EnvState to;
};

inline constexpr std::array<Transition, 24> kTransitions{{
    {EnvState::kSpawning, EnvEvent::kSpawned, EnvState::kStarting},
    {EnvState::kSpawning, EnvEvent::kSpawnFailed, EnvState::kDead},
    {EnvState::kSpawning, EnvEvent::kInitTimeout, EnvState::kDead},
    {EnvState::kSpawning, EnvEvent::kProcessExited, EnvState::kDead},
    {EnvState::kSpawning, EnvEvent::kKill, EnvState::kDead},
    {EnvState::kStarting, EnvEvent::kNextRequested, EnvState::kIdle},
    {EnvState::kStarting, EnvEvent::kInitError, EnvState::kDead},
    {EnvState::kStarting, EnvEvent::kInitTimeout, EnvState::kDead},
    {EnvState::kStarting, EnvEvent::kProcessExited, EnvState::kDead},
    {EnvState::kStarting, EnvEvent::kKill, EnvState::kDead},
    {EnvState::kIdle, EnvEvent::kEventDelivered, EnvState::kInvoking},
    {EnvState::kIdle, EnvEvent::kReap, EnvState::kDead},
    {EnvState::kIdle, EnvEvent::kProcessExited, EnvState::kDead},
    {EnvState::kIdle, EnvEvent::kKill, EnvState::kDead},
    {EnvState::kInvoking, EnvEvent::kResponse, EnvState::kFinishing},
    {EnvState::kInvoking, EnvEvent::kInvocationError, EnvState::kFinishing},
    {EnvState::kInvoking, EnvEvent::kTimeout, EnvState::kDead},
    {EnvState::kInvoking, EnvEvent::kProcessExited, EnvState::kDead},
    {EnvState::kInvoking, EnvEvent::kKill, EnvState::kDead},
    {EnvState::kFinishing, EnvEvent::kNextRequested, EnvState::kIdle},
    {EnvState::kFinishing, EnvEvent::kTimeout, EnvState::kDead},
    {EnvState::kFinishing, EnvEvent::kProcessExited, EnvState::kDead},
    {EnvState::kFinishing, EnvEvent::kKill, EnvState::kDead},
    {EnvState::kDead, EnvEvent::kProcessExited, EnvState::kDead},
}};

// The state `event` leads to from `from`, or nothing when the pair is not allowed.
std::optional<EnvState> next_state(EnvState from, EnvEvent event);

std::string_view state_name(EnvState s);   // "Spawning", "Starting", "Idle", ...
std::string_view event_name(EnvEvent e);   // "spawned", "next_requested", ...
// The Runtime API's name for the state a runtime request asks for (RIE's wording, used in the
// 403 message): next_requested "Ready", response "InvocationResponse", invocation_error
// "InvocationErrorResponse", init_error "InitError"; otherwise event_name().
std::string_view target_name(EnvEvent e);
// Spawning, Starting, Invoking and Finishing count against a concurrency limit; Idle and Dead
// do not (an Idle environment is reused first, and reclaimed when another needs room).
bool counts_as_busy(EnvState s);

// Where an environment's init runs. On-demand init is bounded by init_timeout_ms and reported as
// Init Duration; after a failed init, Lambda retries it once inside the invocation (bounded by the
// function timeout, folded into Duration: "suppressed init").
enum class InitPhase { kInit, kInvoke };

// The service's record of one environment.
struct Environment {
  EnvId id = 0;
  std::shared_ptr<const FunctionConfig> config;
  std::string log_stream;
  EnvState state = EnvState::kSpawning;
  InitPhase init_phase = InitPhase::kInit;
  core::TimeUs spawned_at_us = 0;
  core::TimeUs last_used_us = 0;                  // for most-recently-used routing and eviction
  std::optional<core::TimeUs> init_duration_us;   // set at the first /next; the first REPORT takes it
  std::string invocation;         // request id assigned or running here; empty: none
  std::string delivered_id;       // the request id last sent on /next (400 vs 403)
  std::function<void(NextEvent)> waiter;  // a parked GET /next
  core::TimerId init_timer = 0;
  core::TimerId invoke_timer = 0;  // the invocation deadline, armed at delivery
  core::TimerId reap_timer = 0;
  bool process_running = false;    // between on_spawned and on_exit
};

}  // namespace slipway::lambda
