// Building blocks of the Normalize* functions: private to domain/, not part of
// its interface. They collect every field error instead of stopping at the first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.hpp"

namespace taskflow::validation {

// Appends the field errors of `error` to `errors`.
inline void AppendErrors(Error error, std::vector<FieldError>& errors) {
  for (FieldError& field : error.fields) errors.push_back(std::move(field));
}

// Moves the value of `result` into `out`, or appends its field errors to `errors`.
template <class T>
void Collect(Result<T> result, T& out, std::vector<FieldError>& errors) {
  if (result.ok()) {
    out = std::move(result).value();
  } else {
    AppendErrors(std::move(result).take_error(), errors);
  }
}

// A single-line text field: valid UTF-8, trimmed, `min_chars`..`max_chars`
// code points after trimming, no control characters. Returns the trimmed text.
Result<std::string> NormalizeLine(std::string_view text, std::string_view field,
                                  std::size_t min_chars, std::size_t max_chars);

// The tz check with the message every "timezone" field shares.
Result<std::string> NormalizeTimeZone(std::string_view name, std::string_view field);

}  // namespace taskflow::validation
