#include "lambda/concurrency.h"

#include <algorithm>

#include "lambda/api.h"

namespace slipway::lambda {

void ConcurrencyAccount::configure(const std::map<std::string, std::optional<int>>& reserved_by_function) {
  reserved_ = reserved_by_function;
  std::erase_if(in_use_, [&](const auto& kv) { return reserved_.count(kv.first) == 0; });
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
  int sum = 0;
  for (const auto& [name, r] : reserved_) sum += r.value_or(0);
  return std::max(0, account_limit_ - sum);
}

}  // namespace slipway::lambda
