// Local wall-clock time in an IANA zone <-> instants, with explicit rules for
// the daylight-saving edges. Pure (date/tz over the system tz database).
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
//   Sunday of March → 03:00 CEST = 01:00Z).
// - An ambiguous local time (fall-back overlap) takes the earlier instant.
// nullopt only when `zone` is unknown.
std::optional<Instant> ResolveLocal(LocalTime local, std::string_view zone);

// The local wall-clock time of `instant` in `zone` (nullopt for an unknown zone).
std::optional<LocalTime> ToLocal(Instant instant, std::string_view zone);

}  // namespace taskflow
