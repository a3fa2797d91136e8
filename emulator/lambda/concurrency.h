// Concurrency control (spec/lambda.md §4 "Concurrency" and "Rate and scaling"): how many
// environments each function may keep busy at once (ConcurrencyAccount), and how fast each
// function may add new ones (ScalingBucket). Pure bookkeeping, time passed in; the service asks
// before it spawns and reports every environment that becomes busy or stops being busy
// (environment.h counts_as_busy()).
//
// Rules (AWS's):
// - A function with reserved concurrency R may have at most R busy environments; over that an
//   invoke is throttled with ReservedFunctionConcurrentInvocationLimitExceeded. R = 0 throttles
//   every invoke.
// - All other functions share the unreserved pool: account_concurrency minus every reservation.
//   Over that: ConcurrentInvocationLimitExceeded.
// - A reservation may change at any time (PutFunctionConcurrency / DeleteFunctionConcurrency),
//   but must leave at least unreserved_min of the pool unreserved. After a change the counts may
//   stand above the new limit (environments already busy finish their invocations): over() says
//   so, and no further invocation is admitted until they drop below it.
// - Each function may add at most `per_window` new environments per `window_us` (AWS: 1,000 per
//   10 s since Nov 2023). The allowance refills continuously and does not accrue beyond one
//   window's worth: a token bucket of capacity per_window, refilled at per_window / window_us.
// Idle environments are not busy: they do not count (AWS counts concurrent requests, not warm
// sandboxes); the service reclaims an idle one when the pool needs its room.
//
// Invariant: in_use(f) >= 0 and the sum over unreserved functions == unreserved_in_use().
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/limits.h"
#include "core/result.h"

namespace slipway::lambda {

class ConcurrencyAccount {
 public:
  // `unreserved_min`: what every reservation together must leave unreserved (AWS: 100).
  explicit ConcurrencyAccount(int account_limit, int unreserved_min = 0)
      : account_limit_(account_limit), unreserved_min_(unreserved_min) {}

  // Replaces the set of functions and their reservations (nullopt: unreserved). Counts of
  // functions that remain are kept. Not validated: the manifest loader checked them.
  void configure(const std::map<std::string, std::optional<int>>& reserved_by_function);

  // Checks a new reservation for a configured `function` (nullopt removes it): kInvalidArgument
  // below 0; kLimitExceeded, in AWS's words, when it would leave less than unreserved_min
  // unreserved. Changes nothing.
  core::Status check_reservation(const std::string& function, std::optional<int> reserved) const;
  // Sets it. REQUIRES: check_reservation(function, reserved) succeeded and `function` is
  // configured. Busy counts move between the pool and the function as its kind changes.
  void set_reserved(const std::string& function, std::optional<int> reserved);

  // Empty when one more busy environment of `function` fits; otherwise the throttle reason
  // (kReasonReservedLimit or kReasonAccountLimit).
  std::optional<std::string> check(const std::string& function) const;
  // True when `function` (or the pool it draws from) has more busy environments than its limit
  // now allows: only possible after a reservation changed.
  bool over(const std::string& function) const;
  // One more / one fewer busy environment of `function`.
  void acquire(const std::string& function);
  void release(const std::string& function);

  int in_use(const std::string& function) const;
  std::optional<int> reserved(const std::string& function) const;
  bool is_reserved(const std::string& function) const { return reserved(function).has_value(); }
  int account_limit() const { return account_limit_; }
  // account_limit minus every reservation (AWS's UnreservedConcurrentExecutions), at least 0.
  int unreserved_limit() const;
  int unreserved_in_use() const { return unreserved_in_use_; }

 private:
  void recount_unreserved();

  int account_limit_;
  int unreserved_min_;
  std::map<std::string, std::optional<int>> reserved_;
  std::map<std::string, int> in_use_;
  int unreserved_in_use_ = 0;
};

// One function's scaling allowance: a token bucket, starting full. Exact integer arithmetic:
// the credit is kept in units of 1 / window_us of a token, so refills never round.
class ScalingBucket {
 public:
  // `per_window` <= 0: no scaling limit (every take succeeds).
  explicit ScalingBucket(int per_window = core::LambdaLimits{}.scaling_environments_per_10s,
                         core::TimeUs window_us = 10 * core::kUsPerSecond);

  // Takes one new-environment token if one is available at `now`. `now` never goes backwards.
  bool try_take(core::TimeUs now);
  // Whole tokens available at `now`.
  int available(core::TimeUs now) const;
  // The earliest time at or after `now` when a token is available.
  core::TimeUs next_available_us(core::TimeUs now) const;

 private:
  int64_t credit_at(core::TimeUs now) const;

  int64_t per_window_;
  core::TimeUs window_us_;
  int64_t credit_;  // capacity: per_window_ * window_us_; one token: window_us_
  core::TimeUs last_us_ = 0;
};

}  // namespace slipway::lambda
