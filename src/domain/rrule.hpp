// RFC 5545 recurrence rules (RRULE values such as "FREQ=MONTHLY;BYDAY=-1FR"),
// parsed and iterated with libical, bounded for every input.
//
// Supported subset, checked by ParseRRule (each refusal names its reason):
// - FREQ=HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY. SECONDLY and MINUTELY are refused:
//   a task is not a timer, and cron covers minute schedules.
// - INTERVAL 1..1000, COUNT 1..1000000, UNTIL (a date, a floating local
//   date-time or a UTC date-time ending in Z), WKST.
// - BYMONTH, BYMONTHDAY (±1..31), BYDAY (ordinals ±1..5, or ±1..53 in a YEARLY
//   rule without BYMONTH; MONTHLY and YEARLY only), BYHOUR, BYMINUTE, BYSETPOS
//   (MONTHLY and YEARLY only, with BYDAY or BYMONTHDAY and one time of day).
// - Refused: BYSECOND, BYWEEKNO, BYYEARDAY, RSCALE and SKIP (rare, and where
//   libical 3.0 departs from the RFC); BYMONTHDAY with WEEKLY (the RFC forbids
//   it). Also refused where libical 3.0 computes something other than the RFC
//   says: a negative BYMONTHDAY with DAILY or HOURLY, BYHOUR with HOURLY, a
//   YEARLY rule with BYDAY and BYMONTHDAY but no BYMONTH, and WKST other than
//   MO or SU in a WEEKLY rule with INTERVAL > 1. Then more than 96 times a day
//   or more than 1000 occurrences in one period, and a rule that never
//   produces an occurrence ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").
//
// Occurrences are local wall-clock times (DTSTART's hour, minute and second
// unless BYHOUR/BYMINUTE say otherwise); HOURLY steps wall-clock hours.
//
// COUNT and UNTIL inside the rule are honoured: COUNT counts the occurrences
// the series has actually created (the caller's occurrence index, exactly like
// the recurrence's own `count`: missed occurrences that were skipped are not
// created and not counted); UNTIL is inclusive, compared as a UTC instant, a
// local date-time or a local date according to its form.
//
// Thread-safety: all functions are pure and may run concurrently.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "domain/time.hpp"

namespace taskflow {

enum class RRuleFrequency { kHourly, kDaily, kWeekly, kMonthly, kYearly };

struct RRuleWeekday {
  int position = 0;  // 0: every such weekday of the period; n > 0: the nth; n < 0: nth from the end
  int weekday = 1;   // 0 = Sunday … 6 = Saturday
  friend bool operator==(const RRuleWeekday&, const RRuleWeekday&) = default;
};

struct RRuleUntil {
  enum class Kind { kDate, kLocal, kUtc };
  Kind kind = Kind::kUtc;
  std::chrono::local_seconds local{};  // kDate: the start of the day; kLocal: the time
  Instant utc{};                       // kUtc
  friend bool operator==(const RRuleUntil&, const RRuleUntil&) = default;
};

struct RRule {
  RRuleFrequency frequency = RRuleFrequency::kDaily;
  int interval = 1;
  int week_start = 1;  // WKST, 0 = Sunday … 6 = Saturday; Monday by default
  std::optional<int> count;
  std::optional<RRuleUntil> until;
  // Each list ascending and without duplicates; empty when the part is absent.
  std::vector<int> by_month;      // 1..12
  std::vector<int> by_month_day;  // ±1..31
  std::vector<RRuleWeekday> by_day;
  std::vector<int> by_hour;     // 0..23
  std::vector<int> by_minute;   // 0..59
  std::vector<int> by_set_pos;  // ±1..366
  std::string text;             // the rule as given: trimmed, upper case, no "RRULE:" prefix
};

inline constexpr std::size_t kMaxRRuleLength = 512;

// Parses and validates `text` (an optional "RRULE:" prefix is accepted). On
// failure the Error (kInvalidArgument) carries the reason in `message`, e.g.
// "BYMONTHDAY: 32 is out of range ±1..31", "FREQ=MINUTELY is not supported …",
// or libical's own error when libical refuses the rule.
Result<RRule> ParseRRule(std::string_view text);

// Occurrences are computed in local years 1600..2582: libical's calendar is
// Julian before 1583 and its iterator stops after 2582. A search also stops
// after kRRuleHorizonYears past `after`.
inline constexpr int kRRuleMinYear = 1600;
inline constexpr int kRRuleMaxYear = 2582;
inline constexpr int kRRuleHorizonYears = 50;

// Work done by one search, for tests that prove the bound.
struct RRuleSearchStats {
  int periods = 0;        // periods (hours, days, weeks, months, years) examined
  int libical_calls = 0;  // icalrecur_iterator_new/set_start/next calls
  int disagreements = 0;  // libical and the period model disagreed (0 expected)
};

// The first occurrence strictly after `after` of `rule`, with DTSTART the
// local time of `series_start` in `zone`; each local occurrence becomes an
// instant through ResolveLocal (gap → the moment the clocks jump, overlap →
// the earlier instant). nullopt when there is none within the bounds above,
// when UNTIL has passed, or when the zone is unknown. COUNT is not checked
// here (it needs the caller's occurrence index).
//
// Bounded work: libical 3.0's iterator loops, unbounded or for minutes, over
// periods without occurrences (a month list that never meets the INTERVAL, a
// BYSETPOS past the end of every month …). A model of its period expansion
// finds the first period holding an occurrence after `after`, at most
// kRRuleHorizonYears away, and libical is then started right at that
// occurrence (icalrecur_iterator_set_start) and asked for it.
std::optional<Instant> NextRRuleOccurrence(const RRule& rule, Instant series_start, Instant after,
                                           std::string_view zone,
                                           RRuleSearchStats* stats = nullptr);

}  // namespace taskflow
