// ConcurrencyAccount: how many environments each function may keep busy at once (spec/lambda.md
// §4 "Concurrency"). Pure bookkeeping; the service asks before it spawns and reports every
// environment that becomes busy or stops being busy (environment.h counts_as_busy()).
//
// Rules (AWS's):
// - A function with reserved concurrency R may have at most R busy environments; over that an
//   invoke is throttled with ReservedFunctionConcurrentInvocationLimitExceeded. R = 0 throttles
//   every invoke.
// - All other functions share the unreserved pool: account_concurrency minus every reservation.
//   Over that: ConcurrentInvocationLimitExceeded.
// Idle environments are not busy: they do not count (AWS counts concurrent requests, not warm
// sandboxes); the service reclaims an idle one when the pool needs its room.
//
// Invariant: in_use(f) >= 0 and the sum over unreserved functions == unreserved_in_use().
// Issue 5 (scaling rate, GetAccountSettings) builds on this class.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace slipway::lambda {

class ConcurrencyAccount {
 public:
  explicit ConcurrencyAccount(int account_limit) : account_limit_(account_limit) {}

  // Replaces the set of functions and their reservations (nullopt: unreserved). Counts of
  // functions that remain are kept.
  void configure(const std::map<std::string, std::optional<int>>& reserved_by_function);

  // Empty when one more busy environment of `function` fits; otherwise the throttle reason
  // (kReasonReservedLimit or kReasonAccountLimit).
  std::optional<std::string> check(const std::string& function) const;
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
  int account_limit_;
  std::map<std::string, std::optional<int>> reserved_;
  std::map<std::string, int> in_use_;
  int unreserved_in_use_ = 0;
};

}  // namespace slipway::lambda
