// Result<T>: a value or an Error, never both. Errors are values in the core; no exception crosses
// the core boundary. Each module extends ErrorCode with the cases it can produce; only http/
// knows how an ErrorCode renders on the wire (AWS code, HTTP status, body shape).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace slipway::core {

enum class ErrorCode {
  kInvalidArgument,   // the caller sent something malformed or out of range
  kNotFound,          // the named thing does not exist
  kAlreadyExists,     // the thing exists with different properties
  kInvalidState,      // valid request, wrong moment (e.g. a lifecycle transition not allowed)
  kLimitExceeded,     // a named limit from the profile would be passed
  kInternal,          // a broken invariant or an I/O failure below the core
};

struct Error {
  ErrorCode code;
  std::string message;
};

// E is the module's error type: core::Error by default; a service with a richer closed set of
// errors (sqs::SqsError) uses its own.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  Result(E error) : v_(std::move(error)) {}           // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  // REQUIRES: !ok()
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

// Result<void> spelled as a type: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace slipway::core
