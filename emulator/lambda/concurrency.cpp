#include "lambda/concurrency.h"

#include <algorithm>

#include "lambda/api.h"

namespace slipway::lambda {

// ---- ConcurrencyAccount ----

void ConcurrencyAccount::configure(const std::map<std::string, std::optional<int>>& reserved_by_function) {
  reserved_ = reserved_by_function;
  std::erase_if(in_use_, [&](const auto& kv) { return reserved_.count(kv.first) == 0; });
  recount_unreserved();
}

core::Status ConcurrencyAccount::check_reservation(const std::string& function, std::optional<int> reserved) const {
  if (!reserved) return core::Ok{};
  if (*reserved < 0) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "ReservedConcurrentExecutions must be at least 0.");
  }
  int64_t others = 0;
  for (const auto& [name, r] : reserved_) {
    if (name != function) others += r.value_or(0);
  }
  if (account_limit_ - others - *reserved < unreserved_min_) {
    // AWS's InvalidParameterValueException text, as the manifest loader words it too.
    return core::make_error(core::ErrorCode::kLimitExceeded,
                            "Specified ReservedConcurrentExecutions for function decreases account's "
                            "UnreservedConcurrentExecution below its minimum value of [" +
                                std::to_string(unreserved_min_) + "].");
  }
  return core::Ok{};
}

void ConcurrencyAccount::set_reserved(const std::string& function, std::optional<int> reserved) {
  reserved_[function] = reserved;
  recount_unreserved();
}

void ConcurrencyAccount::recount_unreserved() {
  unreserved_in_use_ = 0;
  for (const auto& [name, n] : in_use_) {
    if (!is_reserved(name)) unreserved_in_use_ += n;
  }
}

std::optional<std::string> ConcurrencyAccount::check(const std::string& function) const {
  if (const std::optional<int> r = reserved(function)) {
    if (in_use(function) >= *r) return std::string(kReasonReservedLimit);
    return std::nullopt;
  }
  if (unreserved_in_use_ >= unreserved_limit()) return std::string(kReasonAccountLimit);
  return std::nullopt;
}

bool ConcurrencyAccount::over(const std::string& function) const {
  if (const std::optional<int> r = reserved(function)) return in_use(function) > *r;
  return unreserved_in_use_ > unreserved_limit();
}

void ConcurrencyAccount::acquire(const std::string& function) {
  ++in_use_[function];
  if (!is_reserved(function)) ++unreserved_in_use_;
}

void ConcurrencyAccount::release(const std::string& function) {
  auto it = in_use_.find(function);
  if (it == in_use_.end() || it->second == 0) return;  // a function dropped by configure()
  --it->second;
  if (!is_reserved(function)) --unreserved_in_use_;
}

int ConcurrencyAccount::in_use(const std::string& function) const {
  auto it = in_use_.find(function);
  return it == in_use_.end() ? 0 : it->second;
}

std::optional<int> ConcurrencyAccount::reserved(const std::string& function) const {
  auto it = reserved_.find(function);
  return it == reserved_.end() ? std::nullopt : it->second;
}

int ConcurrencyAccount::unreserved_limit() const {
  int64_t sum = 0;
  for (const auto& [name, r] : reserved_) sum += r.value_or(0);
  return static_cast<int>(std::max<int64_t>(0, account_limit_ - sum));
}

// ---- ScalingBucket ----

ScalingBucket::ScalingBucket(int per_window, core::TimeUs window_us)
    : per_window_(per_window), window_us_(std::max<core::TimeUs>(1, window_us)),
      credit_(std::max<int64_t>(0, per_window) * window_us_) {}

int64_t ScalingBucket::credit_at(core::TimeUs now) const {
  const int64_t capacity = per_window_ * window_us_;
  const core::TimeUs elapsed = std::max<core::TimeUs>(0, now - last_us_);
  if (elapsed >= window_us_) return capacity;  // a whole window refills it (and avoids overflow)
  return std::min(capacity, credit_ + elapsed * per_window_);
}

bool ScalingBucket::try_take(core::TimeUs now) {
  if (per_window_ <= 0) return true;
  const int64_t credit = credit_at(now);
  if (credit < window_us_) return false;
  credit_ = credit - window_us_;
  last_us_ = std::max(last_us_, now);
  return true;
}

int ScalingBucket::available(core::TimeUs now) const {
  if (per_window_ <= 0) return 1 << 30;
  return static_cast<int>(credit_at(now) / window_us_);
}

core::TimeUs ScalingBucket::next_available_us(core::TimeUs now) const {
  if (per_window_ <= 0) return now;
  const int64_t missing = window_us_ - credit_at(now);
  if (missing <= 0) return now;
  return now + (missing + per_window_ - 1) / per_window_;  // round up: the token is whole then
}

}  // namespace slipway::lambda
