// The phrase readers of the quick-add parser: times, dates, durations and
// recurrence, each reading tokens at a cursor. Internal to quick_add*.cpp.
//
// Every reader follows one contract: on success it advances the cursor past
// the phrase and returns its meaning; on failure it returns nullopt and leaves
// the cursor where it was. Readers only look a bounded number of tokens ahead,
// so the parser as a whole stays linear in the input.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/quick_add.hpp"
#include "domain/quick_add_lexer.hpp"
#include "domain/time.hpp"
#include "domain/zoned_time.hpp"

namespace taskflow::quick_add {

using std::chrono::local_days;

// "Now" as the parser sees it, in the task's zone.
struct Today {
  Instant now;
  std::string zone;  // the context's zone, or "UTC" when that one is unknown
  local_days today;  // the local calendar day of `now`
  DateOrder date_order = DateOrder::kMonthDay;
};

// Parts of the day that imply a time ("tomorrow morning") and tell how a bare
// hour reads ("tomorrow evening at 7" is 19:00).
enum class DayPart { kNone, kMorning, kAfternoon, kEvening, kNight };
int DayPartMinutes(DayPart part);                      // 09:00, 15:00, 19:00, 20:00
std::optional<DayPart> DayPartOf(const Token* token);  // "morning" … "night"

inline constexpr int kMinutesPerDay = 24 * 60;

// Word tables. Weekdays are 0 = Sunday … 6 = Saturday, months 1..12.
// Abbreviations that are also English words ("mon", "wed", "sat", "sun") name a
// weekday only when `allow_ambiguous` (after "on", "this", "next", "every").
std::optional<unsigned> WeekdayOf(const Token& token, bool allow_ambiguous);
std::optional<unsigned> PluralWeekdayOf(const Token& token);  // "mondays"
std::optional<unsigned> MonthOf(const Token& token);
// "3rd" → 3 (1..31); nullopt for anything else.
std::optional<int> NumericOrdinalOf(const Token& token);
// "first".."fifth", "1st".."5th" → 1..5, "last" → -1.
std::optional<int> WeekOrdinalOf(const Token& token);
// "3", "a", "an", "one".."twelve"; at most `max`.
std::optional<int> ReadCount(TokenCursor& cursor, int max);

// "dec 3", "december 3rd, 2027", "3 dec", "the 3rd of december".
struct MonthDay {
  int month = 0;
  int day = 0;
  std::optional<int> year;
};
std::optional<MonthDay> ReadMonthDay(TokenCursor& cursor);

struct TimeOptions {
  bool allow_bare_hour = false;  // "at 5": only where a date phrase vouches for it
  DayPart hint = DayPart::kNone;
};
// "5pm", "5 pm", "5:30pm", "5:30 p.m.", "17:30", "noon", "midnight"; with
// allow_bare_hour also "5" and "9.30". Minutes since local midnight.
std::optional<int> ReadTime(TokenCursor& cursor, const TimeOptions& options);

struct DatePhrase {
  enum class Kind { kDay, kInstant };
  Kind kind = Kind::kDay;
  local_days day{};   // kDay
  Instant instant{};  // kInstant: "in 2 hours"
  // A bare weekday that is today moves a week on when the given time has
  // already passed today ("friday 9am" said on Friday at 10).
  bool weekly_roll = false;
  DayPart part = DayPart::kNone;  // "tomorrow morning", "tonight"
};
// `prefixed` says that "on"/"by"/"due" came first: it unlocks the forms that are
// too ambiguous alone ("on the 15th", "on sat").
std::optional<DatePhrase> ReadDate(TokenCursor& cursor, const Today& today, bool prefixed);

enum class Unit { kMinute, kHour, kDay, kWeek, kMonth, kYear };
struct Duration {
  int count = 0;
  Unit unit = Unit::kDay;
};
// "30 minutes", "an hour", "2 days", "half an hour", "30min", "2h".
std::optional<Duration> ReadDuration(TokenCursor& cursor);
// Minutes of a duration of minutes..weeks; nullopt for months/years or overflow.
std::optional<int> DurationMinutes(const Duration& duration);

enum class Frequency { kHourly, kDaily, kWeekly, kMonthly, kYearly };
struct RecurrencePhrase {
  Frequency frequency = Frequency::kDaily;
  int interval = 1;
  bool from_completion = false;  // "every!"
  unsigned weekdays = 0;    // kWeekly: bit w for weekday w (0 = Sunday); 0 = the start's weekday
  int month_day = 0;        // kMonthly: 1..31, -1 = last day; 0 = the start's day
  unsigned month_days = 0;  // kMonthly: bit d for each of several days ("1st and 15th")
  unsigned nths = 0;        // kMonthly: bit n for the nth (1..5) `nth_weekday` of the month, bit 0
                            // for the last one ("the 1st and 3rd monday", "the last friday")
  int nth_weekday = 0;
  int month = 0;  // kYearly: month and day; 0 = the start's
  int day = 0;
  DayPart part = DayPart::kNone;  // "every morning"
};
// "every day", "daily", "every other monday", "every 3 weeks", "every month on
// the 15th", "every last friday", "every year on jan 5", "every! 2 days", …
std::optional<RecurrencePhrase> ReadRecurrence(TokenCursor& cursor);

// The first day on or after `from` that the schedule selects, checked day by
// day for at most a few years (every schedule here has an occurrence within a
// year, so this is bounded and never empty in practice). `accept` lets the
// caller reject a day (today, when the time of day has passed).
template <class Accept>
std::optional<local_days> FirstScheduledDay(const RecurrencePhrase& phrase, local_days from,
                                            Accept accept);
bool IsScheduledDay(const RecurrencePhrase& phrase, local_days start, local_days day);

// The stored form: daily/weekly/monthly/yearly with an interval where the
// series start carries the anchor, RRULE where it cannot ("every weekday",
// "every last friday", a day of month this month lacks).
// `start` is the day the series was asked to start from (it supplies the
// weekday or day of month a phrase like "every month" leaves open).
Recurrence ToRecurrence(const RecurrencePhrase& phrase, local_days start, local_days first_day);

// Calendar helpers.
int DaysInMonth(std::chrono::year year, std::chrono::month month);
unsigned WeekdayIndex(local_days day);             // 0 = Sunday … 6 = Saturday
local_days AddMonths(local_days day, int months);  // clamps to the month's last day

template <class Accept>
std::optional<local_days> FirstScheduledDay(const RecurrencePhrase& phrase, local_days from,
                                            Accept accept) {
  // A yearly rule on Feb 29 clamps to Feb 28, so one year plus a margin
  // covers every schedule the grammar can express.
  constexpr int kSearchDays = 2 * 366;
  for (int i = 0; i < kSearchDays; ++i) {
    const local_days day = from + std::chrono::days{i};
    if (IsScheduledDay(phrase, from, day) && accept(day)) return day;
  }
  return std::nullopt;
}

}  // namespace taskflow::quick_add
