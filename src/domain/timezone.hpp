// IANA time-zone names, checked against the system tz database (date/tz).
#pragma once

#include <string_view>

namespace taskflow {

// True when `name` is a zone or link in the tz database ("Europe/Berlin", "UTC").
bool IsKnownTimeZone(std::string_view name);

}  // namespace taskflow
