// Result<T>: a value or a typed Error. The domain, the use cases and the ports
// report failures through it; only the edges (HTTP, CLI) translate an Error
// into a protocol answer. No exception crosses a layer boundary.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace taskflow {

// Protocol-neutral failure kinds; server/problem.cpp maps each to an HTTP status.
enum class ErrorCode {
  kInvalidArgument,     // a field or parameter is malformed or out of range (422)
  kNotFound,            // absent, or owned by someone else (404)
  kConflict,            // a uniqueness rule would break (409)
  kPreconditionFailed,  // If-Match did not match the current version (412)
  kUnauthenticated,     // missing, malformed, expired or forged credentials (401)
  kUnavailable,         // a dependency (the database) cannot serve right now (503)
  kInternal,            // a bug or an unexpected failure (500)
};

struct FieldError {
  std::string field;    // JSON field or query parameter name, e.g. "title", "tags[2]"
  std::string message;  // human-readable reason, e.g. "must be 1 to 200 characters"
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;  // set for kInvalidArgument, empty otherwise

  static Error Invalid(std::vector<FieldError> fields) {
    return {ErrorCode::kInvalidArgument, "the request has invalid fields", std::move(fields)};
  }
  static Error Invalid(std::string field, std::string message) {
    return Invalid({FieldError{std::move(field), std::move(message)}});
  }
  static Error NotFound(std::string what) { return {ErrorCode::kNotFound, std::move(what), {}}; }
  static Error Conflict(std::string what) { return {ErrorCode::kConflict, std::move(what), {}}; }
  static Error Precondition(std::string what) {
    return {ErrorCode::kPreconditionFailed, std::move(what), {}};
  }
  static Error Unauthenticated(std::string why) {
    return {ErrorCode::kUnauthenticated, std::move(why), {}};
  }
  static Error Unavailable(std::string why) {
    return {ErrorCode::kUnavailable, std::move(why), {}};
  }
  static Error Internal(std::string why) { return {ErrorCode::kInternal, std::move(why), {}}; }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }
  Error&& take_error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  Error&& take_error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace taskflow
