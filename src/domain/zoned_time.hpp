// Local wall-clock time in an IANA zone <-> instants, with explicit rules for
// the daylight-saving edges. Pure (date/tz over the system tz database).
//
// Thread-safety: every function here may be called concurrently; the tz
// database is loaded once (on first use) and only read afterwards.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "domain/time.hpp"

namespace taskflow {

using LocalTime = std::chrono::local_time<std::chrono::milliseconds>;
using LocalDays = std::chrono::local_days;

// The instant of local time `local` in `zone`.
// - A nonexistent local time (spring-forward gap) moves forward to the first
//   valid instant: the moment the clocks jump (02:30 in Berlin on the last
//   Sunday of March → 03:00 CEST = 01:00Z). Every local time inside one gap
//   therefore maps to the same instant.
// - An ambiguous local time (fall-back overlap) takes the earlier instant
//   (01:30 in New York on the first Sunday of November → 01:30 EDT = 05:30Z).
// The mapping is monotonic: a later local time never gives an earlier instant.
// nullopt when `zone` is unknown, or when `local` lies outside the years
// 0001..9999 (give or take a day): nothing we store lives there.
std::optional<Instant> ResolveLocal(LocalTime local, std::string_view zone);

// The local wall-clock time of `instant` in `zone` (nullopt for an unknown
// zone, or an instant outside the years 0001..9999).
std::optional<LocalTime> ToLocal(Instant instant, std::string_view zone);

// Note on the tz database: date 3.0 reads the compiled zone files and knows
// every transition they list (Debian's files list them up to 2037); later
// instants keep the last offset listed, so no daylight-saving time is applied
// after 2037.

}  // namespace taskflow
