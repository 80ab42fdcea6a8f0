#include "domain/zoned_time.hpp"

#include <date/tz.h>

#include <exception>
#include <string>

namespace taskflow {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The longest IANA name today is 32 characters; anything much longer is not a
// zone, and refusing it early keeps odd input away from the tz library.
constexpr std::size_t kMaxZoneNameLength = 64;

// Local times and instants we accept: the years 0001..9999 with two days of
// slack on both sides, so that every stored instant converts in any zone.
constexpr std::chrono::sys_days kMinDay{std::chrono::year{1} / 1 / 1};
constexpr std::chrono::sys_days kMaxDay{std::chrono::year{10000} / 1 / 1};
constexpr milliseconds kMinMillis = (kMinDay - days{2}).time_since_epoch();
constexpr milliseconds kMaxMillis = (kMaxDay + days{2}).time_since_epoch();

bool InRange(milliseconds since_epoch) {
  return since_epoch >= kMinMillis && since_epoch <= kMaxMillis;
}

// date::locate_zone throws for an unknown name; the exception stops here.
const date::time_zone* FindZone(std::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameLength) return nullptr;
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::optional<Instant> ResolveLocal(LocalTime local, std::string_view zone) {
  if (!InRange(local.time_since_epoch())) return std::nullopt;
  const date::time_zone* tz = FindZone(zone);
  if (tz == nullptr) return std::nullopt;
  try {
    // date has its own local clock type; the count is the same wall-clock time.
    const date::local_time<milliseconds> wall{local.time_since_epoch()};
    const date::local_info info = tz->get_info(wall);
    switch (info.result) {
      case date::local_info::unique:
      case date::local_info::ambiguous:
        // For an overlap `first` is the interval before the transition: the
        // earlier of the two instants.
        return Instant{local.time_since_epoch() - info.first.offset};
      case date::local_info::nonexistent:
        // `second` begins at the transition: the instant the clocks jump.
        return Instant{std::chrono::time_point_cast<milliseconds>(info.second.begin)};
    }
  } catch (const std::exception&) {
    // get_info does not throw for a valid zone; this keeps the contract anyway.
  }
  return std::nullopt;
}

std::optional<LocalTime> ToLocal(Instant instant, std::string_view zone) {
  if (!InRange(instant.time_since_epoch())) return std::nullopt;
  const date::time_zone* tz = FindZone(zone);
  if (tz == nullptr) return std::nullopt;
  try {
    const date::sys_info info = tz->get_info(instant);
    return LocalTime{instant.time_since_epoch() +
                     std::chrono::duration_cast<milliseconds>(seconds{info.offset})};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace taskflow
