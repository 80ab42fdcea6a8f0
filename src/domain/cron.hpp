// Five-field cron expressions ("m h dom mon dow") and their next match in a
// time zone. Pure and bounded: no input makes a search loop minute by minute.
//
// Syntax (Vixie cron, as in Debian's cron and cronie):
// - fields: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
//   day-of-week 0-7 or SUN-SAT (0 and 7 are Sunday); names are case-insensitive;
// - each field is a comma list of "*", "n", "a-b", each optionally "/step",
//   and "a/step" meaning "a-<max>/step";
// - the macros @yearly (@annually), @monthly, @weekly, @daily (@midnight) and
//   @hourly.
// Day matching follows Vixie: when both day-of-month and day-of-week are
// restricted (neither field starts with '*'), a day matches if EITHER matches;
// otherwise it must match both ("0 0 13 * 5" fires on every 13th and every
// Friday; "0 0 */2 * 5" fires on odd days that are Fridays, as in cron).
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "domain/time.hpp"

namespace taskflow {

struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days_of_month;   // bit d for day d, 1..31
  std::bitset<13> months;          // bit m for month m, 1..12
  std::bitset<7> days_of_week;     // bit 0 = Sunday … 6 = Saturday
  bool day_of_month_star = false;  // the field starts with '*' (Vixie's DOM_STAR)
  bool day_of_week_star = false;   // the field starts with '*' (Vixie's DOW_STAR)
  std::string text;                // the expression, fields separated by single spaces
};

// Longest expression accepted; longer text is refused before parsing.
inline constexpr std::size_t kMaxCronLength = 256;

// Parses `text`. On failure the Error (kInvalidArgument) carries a precise
// reason in `message`, naming the field: "day-of-month: 32 is out of range
// 1-31", "expected 5 fields (minute hour day-of-month month day-of-week), got 6".
Result<CronSchedule> ParseCron(std::string_view text);

// A search gives up after this many years past its start: the longest gap
// between two matches of a satisfiable expression is under 41 years (a
// February 29 that falls on a given weekday), so nothing real is lost.
inline constexpr int kCronHorizonYears = 50;

// Work done by one search, for tests that prove the bound.
struct CronSearchStats {
  int steps = 0;  // field advances (month, day, hour or minute jumps) and retries
};

// The first instant strictly after `after` whose local wall-clock time in
// `zone` matches `schedule`, or nullopt when there is none within
// kCronHorizonYears (e.g. "0 0 30 2 *"), the zone is unknown, or the match
// would lie after 9999. Local times in a spring-forward gap fire at the moment
// the clocks jump (once, however many gap minutes match); ambiguous local
// times fire once, at the earlier instant. Work is bounded by the horizon:
// fields advance month → day → hour → minute, never minute by minute.
std::optional<Instant> NextCronMatch(const CronSchedule& schedule, Instant after,
                                     std::string_view zone, CronSearchStats* stats = nullptr);

}  // namespace taskflow
