// Instants and their RFC 3339 text form. Pure functions, no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace taskflow {

// An instant on the UTC time line with millisecond precision. Stored as such;
// the task's IANA zone is kept beside it for local-time rules.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

// Parses an RFC 3339 date-time with a mandatory offset ("Z", "+05:30", "-08:00"),
// optional fraction (truncated to milliseconds) and 'T' or 't' or ' ' separator.
// Returns nullopt for anything else, including out-of-range fields (month 13,
// Feb 30, hour 24, offset beyond ±23:59) and years outside 0001..9999.
std::optional<Instant> ParseRfc3339(std::string_view text);

// Parses an RFC 3339 full-date, "YYYY-MM-DD" exactly (a due date without a
// time); nullopt for anything else, including Feb 30 and year 0000.
std::optional<std::chrono::year_month_day> ParseRfc3339Date(std::string_view text);

// Formats as UTC with 'Z': "2026-12-01T08:00:00Z", or "…:00.250Z" when the
// instant has a millisecond part.
std::string FormatRfc3339(Instant instant);

// Milliseconds since the Unix epoch, the storage form.
inline long long ToUnixMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixMillis(long long ms) { return Instant{std::chrono::milliseconds{ms}}; }

}  // namespace taskflow
