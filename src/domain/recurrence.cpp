#include "domain/recurrence.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "domain/cron.hpp"
#include "domain/rrule.hpp"
#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using Int = std::int64_t;

constexpr int kMaxInterval = 1000;
constexpr int kMaxCount = 1000000;
// The last instant RFC 3339 can carry back (9999-12-31T23:59:59.999Z).
constexpr Instant kLastInstant{std::chrono::sys_days{std::chrono::year{10000} / 1 / 1} -
                               milliseconds{1}};
constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

constexpr std::array<std::string_view, 6> kRuleNames = {"daily",  "weekly", "monthly",
                                                        "yearly", "cron",   "rrule"};

Int FloorDiv(Int a, Int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

bool IsCalendarRule(RecurrenceRule rule) {
  return rule == RecurrenceRule::kDaily || rule == RecurrenceRule::kWeekly ||
         rule == RecurrenceRule::kMonthly || rule == RecurrenceRule::kYearly;
}

std::string_view Trim(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// ---- calendar rules -----------------------------------------------------------

struct LocalAnchor {
  std::chrono::year_month_day date;
  milliseconds time_of_day;
};

std::optional<LocalAnchor> LocalAnchorOf(Instant instant, std::string_view zone) {
  const std::optional<LocalTime> local = ToLocal(instant, zone);
  if (!local) return std::nullopt;
  const auto day = std::chrono::floor<days>(*local);
  return LocalAnchor{std::chrono::year_month_day{std::chrono::sys_days{day.time_since_epoch()}},
                     *local - day};
}

Int MonthIndex(const std::chrono::year_month_day& d) {
  return Int{static_cast<int>(d.year())} * 12 + (static_cast<unsigned>(d.month()) - 1);
}

// `day` of the month, or the month's last day when it is shorter (the 31st →
// the 30th or February's last day; February 29 → 28 in common years).
std::optional<std::chrono::year_month_day> ClampedDate(Int year, unsigned month, unsigned day) {
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  const std::chrono::year y{static_cast<int>(year)};
  const std::chrono::month m{month};
  const unsigned last = static_cast<unsigned>((y / m / std::chrono::last).day());
  return std::chrono::year_month_day{y, m, std::chrono::day{std::min(day, last)}};
}

std::optional<std::chrono::year_month_day> AddDays(const std::chrono::year_month_day& date,
                                                   Int count) {
  // Bounded before adding: year 9999 is about 2.9 million days past 1970.
  if (count > 4000000 || count < -4000000) return std::nullopt;
  const std::chrono::sys_days day = std::chrono::sys_days{date} + days{count};
  const std::chrono::year_month_day out{day};
  if (static_cast<int>(out.year()) < kMinYear || static_cast<int>(out.year()) > kMaxYear) {
    return std::nullopt;
  }
  return out;
}

// The date `units` steps of the rule after `anchor` (a step is a day, a week,
// a month or a year), keeping the anchor's day of the month.
std::optional<std::chrono::year_month_day> StepDate(RecurrenceRule rule,
                                                    const std::chrono::year_month_day& anchor,
                                                    Int units) {
  if (units > 200000000 || units < -200000000) return std::nullopt;
  switch (rule) {
    case RecurrenceRule::kDaily:
      return AddDays(anchor, units);
    case RecurrenceRule::kWeekly:
      return AddDays(anchor, units * 7);
    case RecurrenceRule::kMonthly: {
      const Int index = MonthIndex(anchor) + units;
      return ClampedDate(FloorDiv(index, 12),
                         static_cast<unsigned>(index - FloorDiv(index, 12) * 12) + 1,
                         static_cast<unsigned>(anchor.day()));
    }
    case RecurrenceRule::kYearly:
      return ClampedDate(static_cast<int>(anchor.year()) + units,
                         static_cast<unsigned>(anchor.month()),
                         static_cast<unsigned>(anchor.day()));
    case RecurrenceRule::kCron:
    case RecurrenceRule::kRRule:
      break;
  }
  return std::nullopt;
}

// Whole steps of the rule from `from` to `to` (rounded down; months and years
// ignore the day).
Int StepsBetween(RecurrenceRule rule, const std::chrono::year_month_day& from,
                 const std::chrono::year_month_day& to) {
  const Int day_count = (std::chrono::sys_days{to} - std::chrono::sys_days{from}).count();
  switch (rule) {
    case RecurrenceRule::kDaily:
      return day_count;
    case RecurrenceRule::kWeekly:
      return FloorDiv(day_count, 7);
    case RecurrenceRule::kMonthly:
      return MonthIndex(to) - MonthIndex(from);
    case RecurrenceRule::kYearly:
      return static_cast<int>(to.year()) - static_cast<int>(from.year());
    case RecurrenceRule::kCron:
    case RecurrenceRule::kRRule:
      break;
  }
  return 0;
}

std::optional<Instant> AtLocal(const std::chrono::year_month_day& date, milliseconds time_of_day,
                               std::string_view zone) {
  const LocalTime local{std::chrono::local_days{std::chrono::sys_days{date}.time_since_epoch()} +
                        time_of_day};
  return ResolveLocal(local, zone);
}

std::optional<Instant> NextCalendarOccurrence(const Recurrence& r, const OccurrenceContext& c,
                                              Instant after) {
  const std::optional<LocalAnchor> anchor = LocalAnchorOf(c.series_start, c.timezone);
  if (!anchor) return std::nullopt;
  // All-day tasks live on dates: due_at is the start of the local day.
  const milliseconds time_of_day = c.all_day ? milliseconds{0} : anchor->time_of_day;

  if (r.anchor == RecurrenceAnchor::kCompletion) {
    const std::optional<LocalAnchor> done = LocalAnchorOf(c.completed_at, c.timezone);
    if (!done) return std::nullopt;
    const std::optional<std::chrono::year_month_day> date =
        StepDate(r.rule, done->date, r.interval);
    if (!date) return std::nullopt;
    return AtLocal(*date, time_of_day, c.timezone);
  }

  const std::optional<LocalAnchor> last = LocalAnchorOf(after, c.timezone);
  if (!last) return std::nullopt;
  // Jump straight to the occurrences around `after`: k_estimate steps of
  // `interval` land on or just before its local date. A few probes settle the
  // exact one (daylight-saving shifts and month-end clamping move it by less
  // than one step); the second probe past the estimate is always a later date.
  const Int estimate = FloorDiv(StepsBetween(r.rule, anchor->date, last->date), r.interval);
  for (Int k = std::max<Int>(0, estimate - 1); k <= std::max<Int>(0, estimate - 1) + 4; ++k) {
    const std::optional<std::chrono::year_month_day> date =
        StepDate(r.rule, anchor->date, k * r.interval);
    if (!date) return std::nullopt;
    if (c.all_day) {
      // Strictly after the local date of `after`: never born overdue, never
      // the same day again.
      if (std::chrono::sys_days{*date} <= std::chrono::sys_days{last->date}) continue;
      return AtLocal(*date, time_of_day, c.timezone);
    }
    const std::optional<Instant> instant = AtLocal(*date, time_of_day, c.timezone);
    if (!instant) return std::nullopt;
    if (*instant > after) return instant;
  }
  return std::nullopt;
}

// ---- cron and rrule ---------------------------------------------------------------

// For all-day tasks an expression's occurrence counts by its local date, and
// the next one must fall on a later date than `after`: search from the end of
// that day.
std::optional<Instant> AllDaySearchStart(Instant after, std::string_view zone) {
  const std::optional<LocalAnchor> last = LocalAnchorOf(after, zone);
  if (!last) return std::nullopt;
  const std::optional<std::chrono::year_month_day> next_day = AddDays(last->date, 1);
  if (!next_day) return std::nullopt;
  const std::optional<Instant> start = AtLocal(*next_day, milliseconds{0}, zone);
  if (!start) return std::nullopt;
  return *start - milliseconds{1};
}

std::optional<Instant> StartOfLocalDay(Instant instant, std::string_view zone) {
  const std::optional<LocalAnchor> local = LocalAnchorOf(instant, zone);
  if (!local) return std::nullopt;
  return AtLocal(local->date, milliseconds{0}, zone);
}

}  // namespace

std::string_view ToString(RecurrenceRule rule) {
  return kRuleNames[static_cast<std::size_t>(rule)];
}

std::optional<RecurrenceRule> ParseRecurrenceRule(std::string_view text) {
  for (std::size_t i = 0; i < kRuleNames.size(); ++i) {
    if (text == kRuleNames[i]) return static_cast<RecurrenceRule>(i);
  }
  return std::nullopt;
}

std::string_view ToString(RecurrenceAnchor anchor) {
  return anchor == RecurrenceAnchor::kCompletion ? "completion" : "due";
}

std::optional<RecurrenceAnchor> ParseRecurrenceAnchor(std::string_view text) {
  if (text == "due") return RecurrenceAnchor::kDue;
  if (text == "completion") return RecurrenceAnchor::kCompletion;
  return std::nullopt;
}

Result<Recurrence> NormalizeRecurrence(Recurrence recurrence, std::string_view field) {
  std::vector<FieldError> errors;
  auto name = [field](std::string_view part) {
    return std::string(field) + "." + std::string(part);
  };
  const RecurrenceRule rule = recurrence.rule;
  const std::string_view cron = Trim(recurrence.cron);
  const std::string_view rrule = Trim(recurrence.rrule);

  if (IsCalendarRule(rule)) {
    if (recurrence.interval < 1 || recurrence.interval > kMaxInterval) {
      errors.push_back({name("interval"), "must be 1 to " + std::to_string(kMaxInterval)});
    }
  } else if (recurrence.interval != 1) {
    errors.push_back({name("interval"), "must be 1 for rule " + std::string(ToString(rule)) +
                                            " (the expression sets the schedule)"});
  }
  if (rule == RecurrenceRule::kCron) {
    if (cron.empty()) {
      errors.push_back({name("cron"), "is required for rule cron"});
    } else if (Result<CronSchedule> parsed = ParseCron(cron); !parsed.ok()) {
      errors.push_back({name("cron"), parsed.error().message});
    } else {
      recurrence.cron = parsed->text;
    }
  } else if (!cron.empty()) {
    errors.push_back({name("cron"), "must be empty unless rule is cron"});
  }
  if (rule == RecurrenceRule::kRRule) {
    if (rrule.empty()) {
      errors.push_back({name("rrule"), "is required for rule rrule"});
    } else if (Result<RRule> parsed = ParseRRule(rrule); !parsed.ok()) {
      errors.push_back({name("rrule"), parsed.error().message});
    } else {
      recurrence.rrule = parsed->text;
    }
  } else if (!rrule.empty()) {
    errors.push_back({name("rrule"), "must be empty unless rule is rrule"});
  }
  if (!IsCalendarRule(rule) && recurrence.anchor == RecurrenceAnchor::kCompletion) {
    // "Completion plus the interval" has no meaning for an expression.
    errors.push_back(
        {name("anchor"), "completion applies to daily, weekly, monthly and yearly rules"});
  }
  if (recurrence.count && (*recurrence.count < 1 || *recurrence.count > kMaxCount)) {
    errors.push_back({name("count"), "must be 1 to " + std::to_string(kMaxCount)});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  if (rule != RecurrenceRule::kCron) recurrence.cron.clear();
  if (rule != RecurrenceRule::kRRule) recurrence.rrule.clear();
  return recurrence;
}

std::optional<Instant> NextOccurrence(const Recurrence& recurrence,
                                      const OccurrenceContext& context) {
  if (recurrence.count && context.occurrence_index >= *recurrence.count) return std::nullopt;
  const Instant after = std::max(context.previous_due, context.completed_at);
  std::optional<Instant> next;
  if (IsCalendarRule(recurrence.rule)) {
    if (recurrence.interval < 1 || recurrence.interval > kMaxInterval) return std::nullopt;
    next = NextCalendarOccurrence(recurrence, context, after);
  } else {
    // Expressions: the first occurrence after `after` (a "completion" anchor,
    // refused by NormalizeRecurrence, is read as "due").
    std::optional<Instant> search_after = after;
    if (context.all_day) search_after = AllDaySearchStart(after, context.timezone);
    if (!search_after) return std::nullopt;
    if (recurrence.rule == RecurrenceRule::kCron) {
      const Result<CronSchedule> schedule = ParseCron(recurrence.cron);
      if (!schedule.ok()) return std::nullopt;
      next = NextCronMatch(*schedule, *search_after, context.timezone);
    } else {
      const Result<RRule> rule = ParseRRule(recurrence.rrule);
      if (!rule.ok()) return std::nullopt;
      if (rule->count && context.occurrence_index >= *rule->count) return std::nullopt;
      next = NextRRuleOccurrence(*rule, context.series_start, *search_after, context.timezone);
    }
    if (next && context.all_day) next = StartOfLocalDay(*next, context.timezone);
  }
  // A completion-anchored series counts from the completion alone: completed
  // well before its due date, the next one may come before that date (and
  // the series must not end because of it).
  const Instant floor =
      recurrence.anchor == RecurrenceAnchor::kCompletion && IsCalendarRule(recurrence.rule)
          ? context.completed_at
          : after;
  if (!next || *next <= floor || *next > kLastInstant) return std::nullopt;
  if (recurrence.until && *next > *recurrence.until) return std::nullopt;
  return next;
}

}  // namespace taskflow
