// Private to the PostgreSQL adapter: values as `$n` parameters in text form
// (postgres_connection.hpp). Instants travel as RFC 3339 text, cast to
// timestamptz in the SQL, so no session TimeZone or DateStyle changes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/postgres/postgres_connection.hpp"
#include "domain/time.hpp"

namespace taskflow::postgres {

inline Param Text(std::string_view value) { return std::string(value); }
inline Param Int(std::int64_t value) { return std::to_string(value); }
inline Param Bool(bool value) { return value ? "true" : "false"; }
inline Param Time(Instant value) { return FormatRfc3339(value); }

inline Param OptionalText(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  return *value;
}
inline Param OptionalTime(const std::optional<Instant>& value) {
  if (!value) return std::nullopt;
  return FormatRfc3339(*value);
}

}  // namespace taskflow::postgres
