// Recurrence of a task and the pure, bounded computation of its next occurrence.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "domain/time.hpp"

namespace taskflow {

enum class RecurrenceRule { kDaily, kWeekly, kMonthly, kYearly, kCron, kRRule };
std::string_view ToString(RecurrenceRule rule);  // "daily" … "cron", "rrule"
std::optional<RecurrenceRule> ParseRecurrenceRule(std::string_view text);

enum class RecurrenceAnchor { kDue, kCompletion };
std::string_view ToString(RecurrenceAnchor anchor);  // "due" | "completion"
std::optional<RecurrenceAnchor> ParseRecurrenceAnchor(std::string_view text);

struct Recurrence {
  RecurrenceRule rule = RecurrenceRule::kDaily;
  int interval = 1;   // >= 1; daily/weekly/monthly/yearly only
  std::string cron;   // "m h dom mon dow" when rule == kCron
  std::string rrule;  // "FREQ=…;…" (RFC 5545 RECUR) when rule == kRRule
  RecurrenceAnchor anchor = RecurrenceAnchor::kDue;
  std::optional<Instant> until;  // inclusive end of the series
  std::optional<int> count;      // occurrences in the whole series, >= 1
  friend bool operator==(const Recurrence&, const Recurrence&) = default;
};

// Checks interval/count ranges and parses cron/rrule text; errors name the
// field under `field` ("recurrence.cron": "<parser reason>"). Rules:
// - daily/weekly/monthly/yearly: interval 1..1000; cron and rrule empty;
// - cron: `cron` required and valid (see cron.hpp), interval 1;
// - rrule: `rrule` required and valid (see rrule.hpp), interval 1;
// - anchor "completion" only for daily/weekly/monthly/yearly;
// - count 1..1000000 when set.
// On success the text is canonical: cron fields separated by single spaces,
// the RRULE upper case without an "RRULE:" prefix.
Result<Recurrence> NormalizeRecurrence(Recurrence recurrence,
                                       std::string_view field = "recurrence");

// Human description, e.g. "every 2 weeks on Monday", "every month on the 31st",
// "at 09:00 on weekdays" (cron), for the read-only `text` field.
std::string DescribeRecurrence(const Recurrence& recurrence, Instant series_start,
                               std::string_view timezone);

// Where a series stands when one of its occurrences is completed.
struct OccurrenceContext {
  Instant series_start;  // due_at of the first occurrence: its local day-of-month,
                         // weekday and time of day are the schedule's anchor
  Instant previous_due;  // due_at of the occurrence just completed
  Instant completed_at;
  std::string_view timezone;  // IANA zone the schedule is computed in
  bool all_day = false;
  int occurrence_index = 1;  // 1-based number of the completed occurrence (for `count`)
};

// The due_at of the next occurrence, or nullopt when the series has ended
// (until/count) or the schedule has no further occurrence. With anchor "due":
// the first occurrence strictly after both previous_due and completed_at (never
// born overdue); with "completion": completed_at plus the interval, at the
// anchor's local time of day. Bounded work for every input: no loop over missed
// occurrences.
//
// Details:
// - Calendar rules count from series_start's local date in the zone: every
//   interval days/weeks, or months/years keeping its day of the month (the
//   31st falls on the last day of shorter months, February 29 on the 28th in
//   common years, and the next month returns to the 31st). Occurrences keep
//   series_start's local time of day; a time in a spring-forward gap moves to
//   the moment the clocks jump, an ambiguous one takes the earlier instant.
// - Completion anchor: the local date of completed_at plus the interval (same
//   month-end clamping), at series_start's local time of day.
// - All-day (due_at is the start of a local day): dates only; the next date is
//   strictly after the local date of max(previous_due, completed_at), and the
//   answer is the start of that day. Cron and RRULE occurrences count by their
//   local date.
// - Cron and RRULE: see cron.hpp and rrule.hpp (DTSTART is series_start).
// - `count` (and an RRULE COUNT) ends the series once occurrence_index reaches
//   it; `until` is inclusive. Nothing after 9999-12-31T23:59:59.999Z.
std::optional<Instant> NextOccurrence(const Recurrence& recurrence,
                                      const OccurrenceContext& context);

}  // namespace taskflow
