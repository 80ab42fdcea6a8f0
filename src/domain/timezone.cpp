#include "domain/timezone.hpp"

#include <date/tz.h>

#include <exception>
#include <string>

namespace taskflow {
namespace {

// The longest IANA name today is 32 characters ("America/Argentina/ComodRivadavia").
constexpr std::size_t kMaxZoneNameLength = 64;

// Zone names use only these characters. Checking them first keeps odd input
// (path separators like "..", NULs, spaces) away from the tz library.
bool HasZoneNameShape(std::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameLength) return false;
  if (name.front() == '/' || name.back() == '/') return false;
  char previous = '\0';
  for (char c : name) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+';
    if (!allowed) return false;
    if (c == '/' && previous == '/') return false;
    previous = c;
  }
  return true;
}

}  // namespace

bool IsKnownTimeZone(std::string_view name) {
  if (!HasZoneNameShape(name)) return false;
  // Files in the zoneinfo directory that are not IANA zones: "localtime" is
  // this machine's own setting, which would not mean the same on another host.
  if (name == "localtime" || name == "posixrules" || name == "Factory") return false;
  try {
    // get_tzdb() loads the database once (thread-safe static init); locate_zone
    // only reads it afterwards, and throws when the name is absent.
    return date::locate_zone(std::string(name)) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace taskflow
