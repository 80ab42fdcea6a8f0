// DescribeRecurrence: the read-only `text` of a recurrence, in plain English.
#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "domain/cron.hpp"
#include "domain/recurrence.hpp"
#include "domain/rrule.hpp"
#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 5> kOrdinalWords = {"first", "second", "third", "fourth",
                                                           "fifth"};

// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st.
std::string Ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    switch (n % 10) {
      case 1:
        suffix = "st";
        break;
      case 2:
        suffix = "nd";
        break;
      case 3:
        suffix = "rd";
        break;
      default:
        break;
    }
  }
  return std::to_string(n) + suffix;
}

// "first", "second", … "last", "second-to-last", "20th".
std::string PositionWord(int position) {
  if (position >= 1 && position <= 5) return std::string(kOrdinalWords[position - 1]);
  if (position == -1) return "last";
  if (position < -1 && position >= -5) {
    return std::string(kOrdinalWords[-position - 1]) + "-to-last";
  }
  if (position > 0) return Ordinal(position);
  return Ordinal(-position) + "-to-last";
}

// "Monday", "Monday and Friday", "Monday, Wednesday and Friday".
std::string JoinAnd(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

// "every day", "every 2 days".
std::string Every(int interval, std::string_view unit) {
  if (interval == 1) return "every " + std::string(unit);
  return "every " + std::to_string(interval) + " " + std::string(unit) + "s";
}

std::string TwoDigits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }
std::string ClockText(int hour, int minute) { return TwoDigits(hour) + ":" + TwoDigits(minute); }

struct LocalParts {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;
  int weekday = 4;  // 0 = Sunday
  int hour = 0;
  int minute = 0;
};

// The local calendar fields of `instant` in `zone` (UTC when the zone is unknown).
LocalParts PartsOf(Instant instant, std::string_view zone) {
  std::optional<LocalTime> local = ToLocal(instant, zone);
  if (!local) local = LocalTime{instant.time_since_epoch()};
  const auto day = std::chrono::floor<std::chrono::days>(*local);
  const std::chrono::year_month_day date{std::chrono::sys_days{day.time_since_epoch()}};
  const std::chrono::hh_mm_ss<std::chrono::milliseconds> time{*local - day};
  LocalParts parts;
  parts.year = static_cast<int>(date.year());
  parts.month = static_cast<int>(static_cast<unsigned>(date.month()));
  parts.day = static_cast<int>(static_cast<unsigned>(date.day()));
  parts.weekday = static_cast<int>(
      std::chrono::weekday{std::chrono::sys_days{day.time_since_epoch()}}.c_encoding());
  parts.hour = static_cast<int>(time.hours().count());
  parts.minute = static_cast<int>(time.minutes().count());
  return parts;
}

std::string DateText(int month, int day) {
  return std::string(kMonths[static_cast<std::size_t>(month - 1)]) + " " + std::to_string(day);
}

std::string WeekdaySetText(const std::vector<int>& weekdays) {
  std::vector<bool> set(7, false);
  for (int d : weekdays) set[static_cast<std::size_t>(d)] = true;
  if (weekdays.size() == 5 && !set[0] && !set[6]) return "weekdays";
  if (weekdays.size() == 2 && set[0] && set[6]) return "weekends";
  std::vector<std::string> names;
  for (int d = 1; d <= 7; ++d) {  // Monday first, Sunday last
    if (set[static_cast<std::size_t>(d % 7)])
      names.emplace_back(kWeekdays[static_cast<std::size_t>(d % 7)]);
  }
  return JoinAnd(names);
}

// ---- cron -------------------------------------------------------------------------

bool IsNumber(std::string_view s) {
  if (s.empty() || s.size() > 2) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// "*/n" → n, else 0.
int EveryStep(std::string_view s) {
  if (s.size() < 3 || s.substr(0, 2) != "*/" || !IsNumber(s.substr(2))) return 0;
  return ToInt(s.substr(2));
}

std::string DescribeCron(std::string_view text) {
  const Result<CronSchedule> parsed = ParseCron(text);
  if (!parsed.ok()) return "cron: " + std::string(text);
  const CronSchedule& s = *parsed;
  if (s.text == "@daily" || s.text == "@midnight") return "every day at 00:00";
  if (s.text == "@hourly") return "every hour";
  if (s.text == "@weekly") return "every week on Sunday at 00:00";
  if (s.text == "@monthly") return "every month on the 1st at 00:00";
  if (s.text == "@yearly" || s.text == "@annually") return "every year on January 1 at 00:00";

  std::vector<std::string_view> f;
  std::size_t start = 0;
  while (start <= s.text.size()) {
    const std::size_t space = s.text.find(' ', start);
    f.push_back(std::string_view(s.text).substr(
        start, space == std::string::npos ? std::string::npos : space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  if (f.size() != 5) return "cron: " + s.text;
  const bool days_any = f[2] == "*" && f[3] == "*" && f[4] == "*";
  if (days_any && f[1] == "*") {
    if (f[0] == "*") return "every minute";
    if (const int step = EveryStep(f[0]); step > 0) return Every(step, "minute");
    if (IsNumber(f[0])) {
      const int minute = ToInt(f[0]);
      return minute == 0 ? "every hour" : "every hour at :" + TwoDigits(minute);
    }
  }
  if (days_any && IsNumber(f[0])) {
    if (const int step = EveryStep(f[1]); step > 0) {
      const int minute = ToInt(f[0]);
      return Every(step, "hour") + (minute == 0 ? "" : " at :" + TwoDigits(minute));
    }
  }
  if (!IsNumber(f[0]) || !IsNumber(f[1])) return "cron: " + s.text;
  const std::string at = "at " + ClockText(ToInt(f[1]), ToInt(f[0]));
  if (days_any) return "every day " + at;
  if (f[2] == "*" && f[3] == "*") {
    std::vector<int> weekdays;
    for (int d = 0; d < 7; ++d) {
      if (s.days_of_week[static_cast<std::size_t>(d)]) weekdays.push_back(d);
    }
    return at + " on " + WeekdaySetText(weekdays);
  }
  if (IsNumber(f[2]) && f[4] == "*") {
    if (f[3] == "*") return at + " on the " + Ordinal(ToInt(f[2])) + " of every month";
    if (s.months.count() == 1) {
      for (int m = 1; m <= 12; ++m) {
        if (s.months[static_cast<std::size_t>(m)]) return at + " on " + DateText(m, ToInt(f[2]));
      }
    }
  }
  return "cron: " + s.text;
}

// ---- rrule ------------------------------------------------------------------------

std::string MonthDayText(int month_day) {
  if (month_day > 0) return "the " + Ordinal(month_day);
  if (month_day == -1) return "the last day";
  return "the " + PositionWord(month_day) + " day";
}

std::string DescribeRRule(std::string_view text, const LocalParts& start) {
  const Result<RRule> parsed = ParseRRule(text);
  if (!parsed.ok()) return "rrule: " + std::string(text);
  const RRule& r = *parsed;
  const std::string fallback = "rrule: " + r.text;
  if (!r.by_set_pos.empty() &&
      (r.by_set_pos.size() != 1 || r.frequency != RRuleFrequency::kMonthly)) {
    return fallback;
  }
  // A single time of day, when the rule names one.
  std::string time;
  if (r.by_hour.size() == 1 && r.by_minute.size() <= 1) {
    time = " at " + ClockText(r.by_hour[0], r.by_minute.empty() ? start.minute : r.by_minute[0]);
  } else if (!r.by_hour.empty() || !r.by_minute.empty()) {
    return fallback;
  }
  std::vector<int> plain_days;  // BYDAY without positions
  bool positions = false;
  for (const RRuleWeekday& d : r.by_day) {
    if (d.position != 0) positions = true;
    plain_days.push_back(d.weekday);
  }
  const bool weekdays_only = plain_days.size() == 5 && WeekdaySetText(plain_days) == "weekdays";

  std::string body;
  switch (r.frequency) {
    case RRuleFrequency::kHourly:
      if (!r.by_month.empty() || !r.by_month_day.empty() || !r.by_day.empty() || !time.empty()) {
        return fallback;
      }
      body = Every(r.interval, "hour");
      break;
    case RRuleFrequency::kDaily:
    case RRuleFrequency::kWeekly: {
      if (!r.by_month.empty() || !r.by_month_day.empty()) return fallback;
      const bool weekly = r.frequency == RRuleFrequency::kWeekly;
      if (r.by_day.empty()) {
        body = weekly ? Every(r.interval, "week") + " on " +
                            std::string(kWeekdays[static_cast<std::size_t>(start.weekday)])
                      : Every(r.interval, "day");
      } else if (weekdays_only && r.interval == 1) {
        body = "every weekday";
      } else if (weekly) {
        body = Every(r.interval, "week") + " on " + WeekdaySetText(plain_days);
      } else if (r.interval == 1) {
        body = "every " + WeekdaySetText(plain_days);
        if (body == "every weekends") body = "every weekend day";
      } else {
        return fallback;
      }
      break;
    }
    case RRuleFrequency::kMonthly: {
      if (!r.by_month.empty()) return fallback;
      const std::string every = Every(r.interval, "month");
      if (r.by_day.empty() && r.by_month_day.empty()) {
        body = every + " on the " + Ordinal(start.day);
      } else if (r.by_day.empty() && r.by_month_day.size() == 1) {
        body = every + " on " + MonthDayText(r.by_month_day[0]);
      } else if (r.by_month_day.empty() && r.by_day.size() == 1 && positions) {
        body = every + " on the " + PositionWord(r.by_day[0].position) + " " +
               std::string(kWeekdays[static_cast<std::size_t>(r.by_day[0].weekday)]);
      } else if (r.by_month_day.empty() && weekdays_only && !positions &&
                 r.by_set_pos.size() == 1) {
        body = every + " on the " + PositionWord(r.by_set_pos[0]) + " weekday";
      } else {
        return fallback;
      }
      break;
    }
    case RRuleFrequency::kYearly: {
      const std::string every = Every(r.interval, "year");
      if (r.by_month.size() > 1) return fallback;
      const int month = r.by_month.empty() ? start.month : r.by_month[0];
      if (r.by_day.empty() && r.by_month_day.empty()) {
        body = every + " on " + DateText(month, start.day);
      } else if (r.by_day.empty() && r.by_month_day.size() == 1 && r.by_month_day[0] > 0) {
        body = every + " on " + DateText(month, r.by_month_day[0]);
      } else if (r.by_month_day.empty() && r.by_day.size() == 1 && positions &&
                 r.by_month.size() == 1) {
        body = every + " on the " + PositionWord(r.by_day[0].position) + " " +
               std::string(kWeekdays[static_cast<std::size_t>(r.by_day[0].weekday)]) + " of " +
               std::string(kMonths[static_cast<std::size_t>(month - 1)]);
      } else {
        return fallback;
      }
      break;
    }
  }
  return body + time;
}

std::string TimesText(int count) {
  return count == 1 ? ", once" : ", " + std::to_string(count) + " times";
}

}  // namespace

std::string DescribeRecurrence(const Recurrence& recurrence, Instant series_start,
                               std::string_view timezone) {
  const LocalParts start = PartsOf(series_start, timezone);
  const int n = recurrence.interval;
  const bool after_completion = recurrence.anchor == RecurrenceAnchor::kCompletion;
  std::string text;
  switch (recurrence.rule) {
    case RecurrenceRule::kDaily:
      text = Every(n, "day");
      break;
    case RecurrenceRule::kWeekly:
      text = Every(n, "week");
      if (!after_completion) {
        text += " on " + std::string(kWeekdays[static_cast<std::size_t>(start.weekday)]);
      }
      break;
    case RecurrenceRule::kMonthly:
      text = Every(n, "month");
      if (!after_completion) text += " on the " + Ordinal(start.day);
      break;
    case RecurrenceRule::kYearly:
      text = Every(n, "year");
      if (!after_completion) text += " on " + DateText(start.month, start.day);
      break;
    case RecurrenceRule::kCron:
      text = DescribeCron(recurrence.cron);
      break;
    case RecurrenceRule::kRRule:
      text = DescribeRRule(recurrence.rrule, start);
      break;
  }
  const bool calendar =
      recurrence.rule != RecurrenceRule::kCron && recurrence.rule != RecurrenceRule::kRRule;
  if (calendar && after_completion) text += " after completion";
  if (recurrence.count) text += TimesText(*recurrence.count);
  if (recurrence.until) {
    const LocalParts until = PartsOf(*recurrence.until, timezone);
    text += " until " + DateText(until.month, until.day) + ", " + std::to_string(until.year);
  }
  return text;
}

}  // namespace taskflow
