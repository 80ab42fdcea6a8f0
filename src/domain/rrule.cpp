#include "domain/rrule.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <memory>

#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

using Int = std::int64_t;

constexpr Int kSecondsPerDay = 86400;
constexpr int kMaxInterval = 1000;
constexpr int kMaxCount = 1000000;
constexpr std::size_t kMaxTimesPerDay = 96;
constexpr Int kMaxSlotsPerPeriod = 1000;
// Two days of local time cover any offset change (Samoa once skipped a whole
// day): a local time that much before `after` never resolves past it.
constexpr Int kSearchMarginSeconds = 2 * kSecondsPerDay;

constexpr std::array<std::string_view, 7> kWeekdayCodes = {"SU", "MO", "TU", "WE",
                                                           "TH", "FR", "SA"};

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), {}};
}

// ---- calendar arithmetic on epoch days and local seconds --------------------

Int FloorDiv(Int a, Int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }
Int FloorMod(Int a, Int b) { return a - FloorDiv(a, b) * b; }
Int CeilDiv(Int a, Int b) { return -FloorDiv(-a, b); }

struct Civil {
  int year;
  int month;
  int day;
};

Int DaysFromCivil(int year, int month, int day) {
  return std::chrono::sys_days{std::chrono::year{year} /
                               std::chrono::month{static_cast<unsigned>(month)} /
                               std::chrono::day{static_cast<unsigned>(day)}}
      .time_since_epoch()
      .count();
}

Civil CivilFromDays(Int days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return Civil{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
               static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int WeekdayOf(Int days) { return static_cast<int>(FloorMod(days + 4, 7)); }  // 1970-01-01: Thu

int DaysInMonth(int year, int month) {
  return static_cast<int>(
      static_cast<unsigned>((std::chrono::year{year} /
                             std::chrono::month{static_cast<unsigned>(month)} / std::chrono::last)
                                .day()));
}

// ---- text helpers -----------------------------------------------------------

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Echo(std::string_view token) {
  constexpr std::size_t kMaxEcho = 24;
  if (token.size() <= kMaxEcho) return std::string(token);
  return std::string(token.substr(0, kMaxEcho)) + "...";
}

// A decimal integer with an optional sign; at most 9 digits.
bool ParseInt(std::string_view text, bool allow_sign, int& out) {
  int sign = 1;
  if (allow_sign && !text.empty() && (text.front() == '+' || text.front() == '-')) {
    if (text.front() == '-') sign = -1;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  out = sign * value;
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

int WeekdayFromCode(std::string_view code) {
  for (std::size_t i = 0; i < kWeekdayCodes.size(); ++i) {
    if (code == kWeekdayCodes[i]) return static_cast<int>(i);
  }
  return -1;
}

// ---- parsing of the parts ----------------------------------------------------

// "1,2,-1": each value in [low, high], or ±[1, high] when `signed_values`.
bool ParseIntList(std::string_view name, std::string_view value, int low, int high,
                  bool signed_values, std::vector<int>& out, std::string& error) {
  for (std::string_view item : Split(value, ',')) {
    int number = 0;
    if (item.empty()) {
      error = std::string(name) + ": empty list item";
      return false;
    }
    if (!ParseInt(item, signed_values, number)) {
      error = std::string(name) + ": '" + Echo(item) + "' is not a number";
      return false;
    }
    const bool in_range = signed_values ? (number != 0 && number >= -high && number <= high)
                                        : (number >= low && number <= high);
    if (!in_range) {
      error = std::string(name) + ": " + Echo(item) + " is out of range " +
              (signed_values ? "±1.." + std::to_string(high)
                             : std::to_string(low) + ".." + std::to_string(high));
      return false;
    }
    if (std::find(out.begin(), out.end(), number) != out.end()) {
      error = std::string(name) + ": " + std::to_string(number) + " appears twice";
      return false;
    }
    out.push_back(number);
  }
  std::sort(out.begin(), out.end());
  return true;
}

bool ParseByDay(std::string_view value, std::vector<RRuleWeekday>& out, std::string& error) {
  for (std::string_view item : Split(value, ',')) {
    if (item.size() < 2) {
      error = "BYDAY: '" + Echo(item) + "' is not a weekday such as MO, 2TU or -1FR";
      return false;
    }
    const int weekday = WeekdayFromCode(item.substr(item.size() - 2));
    const std::string_view ordinal = item.substr(0, item.size() - 2);
    int position = 0;
    if (weekday < 0 || (!ordinal.empty() && !ParseInt(ordinal, true, position)) ||
        ordinal.size() > 3) {
      error = "BYDAY: '" + Echo(item) + "' is not a weekday such as MO, 2TU or -1FR";
      return false;
    }
    if (!ordinal.empty() && (position == 0 || position < -53 || position > 53)) {
      error = "BYDAY: position " + Echo(ordinal) + " is out of range ±1..53";
      return false;
    }
    const RRuleWeekday day{position, weekday};
    if (std::find(out.begin(), out.end(), day) != out.end()) {
      error = "BYDAY: " + Echo(item) + " appears twice";
      return false;
    }
    out.push_back(day);
  }
  return true;
}

bool ParseUntil(std::string_view value, RRuleUntil& until, std::string& error) {
  const bool date_only = value.size() == 8;
  const bool utc = value.size() == 16 && value.back() == 'Z';
  const bool local = value.size() == 15;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool ok = (date_only || utc || local) && ParseInt(value.substr(0, 4), false, year) &&
            ParseInt(value.substr(4, 2), false, month) && ParseInt(value.substr(6, 2), false, day);
  if (ok && !date_only) {
    ok = value[8] == 'T' && ParseInt(value.substr(9, 2), false, hour) &&
         ParseInt(value.substr(11, 2), false, minute) &&
         ParseInt(value.substr(13, 2), false, second);
  }
  ok = ok && year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
       day <= DaysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
  if (!ok) {
    error =
        "UNTIL: '" + Echo(value) + "' is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS[Z])";
    return false;
  }
  const Int seconds =
      DaysFromCivil(year, month, day) * kSecondsPerDay + hour * 3600 + minute * 60 + second;
  if (utc) {
    until.kind = RRuleUntil::Kind::kUtc;
    until.utc = Instant{std::chrono::seconds{seconds}};
  } else {
    until.kind = date_only ? RRuleUntil::Kind::kDate : RRuleUntil::Kind::kLocal;
    until.local = std::chrono::local_seconds{std::chrono::seconds{seconds}};
  }
  return true;
}

std::string_view FrequencyName(RRuleFrequency frequency) {
  switch (frequency) {
    case RRuleFrequency::kHourly:
      return "HOURLY";
    case RRuleFrequency::kDaily:
      return "DAILY";
    case RRuleFrequency::kWeekly:
      return "WEEKLY";
    case RRuleFrequency::kMonthly:
      return "MONTHLY";
    case RRuleFrequency::kYearly:
      return "YEARLY";
  }
  return "DAILY";
}

bool ParsePart(std::string_view name, std::string_view value, RRule& rule, bool& has_frequency,
               std::string& error) {
  if (value.empty()) {
    error = std::string(name) + " is empty";
    return false;
  }
  if (name == "FREQ") {
    constexpr std::array<RRuleFrequency, 5> kAll = {
        RRuleFrequency::kHourly, RRuleFrequency::kDaily, RRuleFrequency::kWeekly,
        RRuleFrequency::kMonthly, RRuleFrequency::kYearly};
    for (RRuleFrequency frequency : kAll) {
      if (value == FrequencyName(frequency)) {
        rule.frequency = frequency;
        has_frequency = true;
        return true;
      }
    }
    if (value == "SECONDLY" || value == "MINUTELY") {
      error = "FREQ=" + std::string(value) +
              " is not supported: the shortest recurrence is HOURLY (use cron for minute "
              "schedules)";
    } else {
      error = "FREQ: unknown frequency '" + Echo(value) + "'";
    }
    return false;
  }
  if (name == "INTERVAL" || name == "COUNT") {
    const int high = name == "INTERVAL" ? kMaxInterval : kMaxCount;
    int number = 0;
    if (!ParseInt(value, false, number)) {
      error = std::string(name) + ": '" + Echo(value) + "' is not a number";
      return false;
    }
    if (number < 1 || number > high) {
      error =
          std::string(name) + ": " + Echo(value) + " is out of range 1.." + std::to_string(high);
      return false;
    }
    if (name == "INTERVAL") {
      rule.interval = number;
    } else {
      rule.count = number;
    }
    return true;
  }
  if (name == "UNTIL") {
    RRuleUntil until;
    if (!ParseUntil(value, until, error)) return false;
    rule.until = until;
    return true;
  }
  if (name == "WKST") {
    const int weekday = WeekdayFromCode(value);
    if (weekday < 0) {
      error = "WKST: '" + Echo(value) + "' is not a weekday (SU, MO, TU, WE, TH, FR, SA)";
      return false;
    }
    rule.week_start = weekday;
    return true;
  }
  if (name == "BYMONTH") return ParseIntList(name, value, 1, 12, false, rule.by_month, error);
  if (name == "BYMONTHDAY") return ParseIntList(name, value, 1, 31, true, rule.by_month_day, error);
  if (name == "BYHOUR") return ParseIntList(name, value, 0, 23, false, rule.by_hour, error);
  if (name == "BYMINUTE") return ParseIntList(name, value, 0, 59, false, rule.by_minute, error);
  if (name == "BYSETPOS") return ParseIntList(name, value, 1, 366, true, rule.by_set_pos, error);
  if (name == "BYDAY") return ParseByDay(value, rule.by_day, error);
  if (name == "BYSECOND" || name == "BYWEEKNO" || name == "BYYEARDAY" || name == "RSCALE" ||
      name == "SKIP") {
    error = std::string(name) + " is not supported";
    return false;
  }
  error = "unknown part '" + Echo(name) + "'";
  return false;
}

// ---- the period model ----------------------------------------------------------
//
// A faithful model of how libical 3.0 expands one period of a rule (its
// expand_month_days / expand_year_days and contracting checks) for the subset
// ParseRRule accepts. It tells which periods hold occurrences, so that libical
// is never asked to walk through empty ones.

class Model {
 public:
  Model(const RRule& rule, Int dtstart) : rule_(rule), dtstart_(dtstart) {
    dtstart_day_ = FloorDiv(dtstart, kSecondsPerDay);
    const Int seconds_of_day = dtstart - dtstart_day_ * kSecondsPerDay;
    const Civil civil = CivilFromDays(dtstart_day_);
    const int hour = static_cast<int>(seconds_of_day / 3600);
    const int minute = static_cast<int>(seconds_of_day / 60 % 60);
    second_ = static_cast<int>(seconds_of_day % 60);
    hours_ = rule.by_hour.empty() ? std::vector<int>{hour} : rule.by_hour;
    minutes_ = rule.by_minute.empty() ? std::vector<int>{minute} : rule.by_minute;
    month_days_ = rule.by_month_day.empty() ? std::vector<int>{civil.day} : rule.by_month_day;
    months_ = rule.by_month.empty() ? std::vector<int>{civil.month} : rule.by_month;
    for (int m : rule.by_month) month_filter_.set(static_cast<std::size_t>(m));
    if (rule.by_month.empty()) month_filter_.set();
    for (const RRuleWeekday& d : rule.by_day) {
      weekday_filter_.set(static_cast<std::size_t>(d.weekday));
    }
    if (rule.by_day.empty()) weekday_filter_.set();
    weekly_days_ = weekday_filter_;
    if (rule.by_day.empty()) {
      weekly_days_.reset();
      weekly_days_.set(static_cast<std::size_t>(WeekdayOf(dtstart_day_)));
    }
    week_offset_ = FloorMod(StartOfWeek(dtstart_day_), 7);
  }

  RRuleFrequency frequency() const { return rule_.frequency; }
  Int dtstart() const { return dtstart_; }
  int second() const { return second_; }
  const std::vector<int>& hours() const { return hours_; }
  const std::vector<int>& minutes() const { return minutes_; }

  // Period index of an epoch day (not for HOURLY).
  Int PeriodOf(Int day) const {
    switch (rule_.frequency) {
      case RRuleFrequency::kWeekly:
        return FloorDiv(StartOfWeek(day), 7);
      case RRuleFrequency::kMonthly: {
        const Civil c = CivilFromDays(day);
        return Int{c.year} * 12 + (c.month - 1);
      }
      case RRuleFrequency::kYearly:
        return CivilFromDays(day).year;
      case RRuleFrequency::kHourly:
      case RRuleFrequency::kDaily:
        return day;
    }
    return day;
  }

  Int FirstDayOf(Int period) const {
    switch (rule_.frequency) {
      case RRuleFrequency::kWeekly:
        return period * 7 + week_offset_;
      case RRuleFrequency::kMonthly:
        return DaysFromCivil(static_cast<int>(FloorDiv(period, 12)),
                             static_cast<int>(FloorMod(period, 12)) + 1, 1);
      case RRuleFrequency::kYearly:
        return DaysFromCivil(static_cast<int>(period), 1, 1);
      case RRuleFrequency::kHourly:
      case RRuleFrequency::kDaily:
        return period;
    }
    return period;
  }

  // MONTHLY: the month is one of BYMONTH (libical skips the others when it
  // steps from month to month).
  bool PeriodInByMonth(Int period) const {
    if (rule_.frequency != RRuleFrequency::kMonthly) return true;
    return month_filter_[static_cast<std::size_t>(FloorMod(period, 12) + 1)];
  }

  // The days of `period` holding occurrences, ascending (before BYMONTH for
  // MONTHLY, see PeriodInByMonth).
  void DaysOf(Int period, std::vector<Int>& days) const {
    days.clear();
    switch (rule_.frequency) {
      case RRuleFrequency::kDaily:
      case RRuleFrequency::kHourly:
        if (DayPasses(period)) days.push_back(period);
        return;
      case RRuleFrequency::kWeekly: {
        const Int first = FirstDayOf(period);
        for (Int d = first; d < first + 7; ++d) {
          if (weekly_days_[static_cast<std::size_t>(WeekdayOf(d))] &&
              month_filter_[static_cast<std::size_t>(CivilFromDays(d).month)]) {
            days.push_back(d);
          }
        }
        return;
      }
      case RRuleFrequency::kMonthly:
        MonthDays(static_cast<int>(FloorDiv(period, 12)),
                  static_cast<int>(FloorMod(period, 12)) + 1, days);
        return;
      case RRuleFrequency::kYearly:
        YearDays(static_cast<int>(period), days);
        return;
    }
  }

  // DAILY and HOURLY: the contracting BYMONTH, BYMONTHDAY and BYDAY.
  bool DayPasses(Int day) const {
    const Civil c = CivilFromDays(day);
    if (!month_filter_[static_cast<std::size_t>(c.month)]) return false;
    if (!weekday_filter_[static_cast<std::size_t>(WeekdayOf(day))]) return false;
    if (!rule_.by_month_day.empty() &&
        std::find(rule_.by_month_day.begin(), rule_.by_month_day.end(), c.day) ==
            rule_.by_month_day.end()) {
      return false;
    }
    return true;
  }

 private:
  Int StartOfWeek(Int day) const { return day - FloorMod(WeekdayOf(day) - rule_.week_start, 7); }

  // Days [1, length] of a range starting on epoch day `first` matching BYDAY,
  // ordinals counted within the range (expand_by_day).
  std::bitset<367> ByDayBits(Int first, int length) const {
    std::bitset<367> bits;
    const int first_weekday = WeekdayOf(first);
    const int last_weekday = WeekdayOf(first + length - 1);
    for (const RRuleWeekday& d : rule_.by_day) {
      const int first_match = (d.weekday - first_weekday + 7) % 7 + 1;
      const int last_match = length - (last_weekday - d.weekday + 7) % 7;
      if (d.position == 0) {
        for (int day = first_match; day <= length; day += 7) {
          bits.set(static_cast<std::size_t>(day));
        }
      } else if (d.position > 0) {
        const int day = first_match + (d.position - 1) * 7;
        if (day <= last_match) bits.set(static_cast<std::size_t>(day));
      } else {
        const int day = last_match + (d.position + 1) * 7;
        if (day >= first_match) bits.set(static_cast<std::size_t>(day));
      }
    }
    return bits;
  }

  // BYMONTHDAY (or DTSTART's day) within a month: bits and the count of
  // values in range, which libical uses as the BYSETPOS total.
  int MonthDayBits(int year, int month, std::bitset<367>& bits, int offset) const {
    const int length = DaysInMonth(year, month);
    int total = 0;
    for (int md : month_days_) {
      if (md > length || -md > length) continue;
      bits.set(static_cast<std::size_t>(offset + (md > 0 ? md : length + 1 + md)));
      ++total;
    }
    return total;
  }

  void ApplySetPos(std::bitset<367>& bits, int total, int length) const {
    if (rule_.by_set_pos.empty()) return;
    int position = 0;
    for (int i = 1; i <= length; ++i) {
      if (!bits[static_cast<std::size_t>(i)]) continue;
      const bool keep = std::find(rule_.by_set_pos.begin(), rule_.by_set_pos.end(), position + 1) !=
                            rule_.by_set_pos.end() ||
                        std::find(rule_.by_set_pos.begin(), rule_.by_set_pos.end(),
                                  position - total) != rule_.by_set_pos.end();
      bits.set(static_cast<std::size_t>(i), keep);
      ++position;
    }
  }

  void MonthDays(int year, int month, std::vector<Int>& days) const {
    const int length = DaysInMonth(year, month);
    const Int first = DaysFromCivil(year, month, 1);
    std::bitset<367> bits;
    int total = 0;
    if (!rule_.by_day.empty()) {
      bits = ByDayBits(first, length);
      if (!rule_.by_month_day.empty()) {
        std::bitset<367> month_day_bits;
        MonthDayBits(year, month, month_day_bits, 0);
        bits &= month_day_bits;
      }
      total = static_cast<int>(bits.count());
    } else {
      total = MonthDayBits(year, month, bits, 0);
    }
    ApplySetPos(bits, total, length);
    for (int d = 1; d <= length; ++d) {
      if (bits[static_cast<std::size_t>(d)]) days.push_back(first + d - 1);
    }
  }

  void YearDays(int year, std::vector<Int>& days) const {
    const Int first = DaysFromCivil(year, 1, 1);
    const int length = static_cast<int>(DaysFromCivil(year + 1, 1, 1) - first);
    std::bitset<367> bits;
    int total = 0;
    if (rule_.by_day.empty()) {
      for (int month : months_) {
        const int offset = static_cast<int>(DaysFromCivil(year, month, 1) - first);
        total += MonthDayBits(year, month, bits, offset);
      }
    } else if (!rule_.by_month.empty()) {
      // Ordinals count within each month.
      for (int month : rule_.by_month) {
        const Int month_first = DaysFromCivil(year, month, 1);
        const int offset = static_cast<int>(month_first - first);
        const int month_length = DaysInMonth(year, month);
        std::bitset<367> month_bits = ByDayBits(month_first, month_length);
        if (!rule_.by_month_day.empty()) {
          std::bitset<367> month_day_bits;
          MonthDayBits(year, month, month_day_bits, 0);
          month_bits &= month_day_bits;
        }
        for (int d = 1; d <= month_length; ++d) {
          if (month_bits[static_cast<std::size_t>(d)]) {
            bits.set(static_cast<std::size_t>(offset + d));
            ++total;
          }
        }
      }
    } else {
      // Ordinals count within the year (BYMONTHDAY is refused here).
      bits = ByDayBits(first, length);
      total = static_cast<int>(bits.count());
    }
    ApplySetPos(bits, total, length);
    for (int d = 1; d <= length; ++d) {
      if (bits[static_cast<std::size_t>(d)]) days.push_back(first + d - 1);
    }
  }

  const RRule& rule_;
  Int dtstart_;
  Int dtstart_day_ = 0;
  int second_ = 0;
  std::vector<int> hours_;
  std::vector<int> minutes_;
  std::vector<int> month_days_;
  std::vector<int> months_;
  std::bitset<13> month_filter_;
  std::bitset<7> weekday_filter_;
  std::bitset<7> weekly_days_;
  Int week_offset_ = 0;
};

// ---- libical -------------------------------------------------------------------

struct IteratorFree {
  void operator()(icalrecur_iterator* it) const { icalrecur_iterator_free(it); }
};
using IteratorPtr = std::unique_ptr<icalrecur_iterator, IteratorFree>;

// The rule as libical should see it: lists sorted, no COUNT or UNTIL (handled
// here), and for HOURLY the minute and second made explicit (see below).
std::string LibicalText(const RRule& rule, const Model* hourly_model) {
  std::string text = "FREQ=" + std::string(FrequencyName(rule.frequency));
  auto append_list = [&text](std::string_view name, const std::vector<int>& values) {
    if (values.empty()) return;
    text += ';';
    text += name;
    text += '=';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) text += ',';
      text += std::to_string(values[i]);
    }
  };
  if (rule.interval > 1) text += ";INTERVAL=" + std::to_string(rule.interval);
  if (rule.week_start != 1) {
    text += ";WKST=" + std::string(kWeekdayCodes[static_cast<std::size_t>(rule.week_start)]);
  }
  append_list("BYMONTH", rule.by_month);
  append_list("BYMONTHDAY", rule.by_month_day);
  if (!rule.by_day.empty()) {
    text += ";BYDAY=";
    for (std::size_t i = 0; i < rule.by_day.size(); ++i) {
      if (i > 0) text += ',';
      if (rule.by_day[i].position != 0) text += std::to_string(rule.by_day[i].position);
      text += kWeekdayCodes[static_cast<std::size_t>(rule.by_day[i].weekday)];
    }
  }
  append_list("BYHOUR", rule.by_hour);
  if (hourly_model != nullptr) {
    append_list("BYMINUTE", hourly_model->minutes());
    append_list("BYSECOND", {hourly_model->second()});
  } else {
    append_list("BYMINUTE", rule.by_minute);
  }
  append_list("BYSETPOS", rule.by_set_pos);
  return text;
}

// Parses with libical; nullopt (and libical's message) when it refuses.
std::optional<icalrecurrencetype> LibicalParse(const std::string& text, std::string* error) {
  icalerror_clear_errno();
  icalrecurrencetype recurrence = icalrecurrencetype_from_string(text.c_str());
  const icalerrorenum status = icalerrno;
  if (recurrence.rscale != nullptr) {
    icalmemory_free_buffer(recurrence.rscale);
    recurrence.rscale = nullptr;
  }
  if (recurrence.freq == ICAL_NO_RECURRENCE || status != ICAL_NO_ERROR) {
    if (error != nullptr) {
      *error = std::string("libical: ") +
               icalerror_strerror(status == ICAL_NO_ERROR ? ICAL_MALFORMEDDATA_ERROR : status);
    }
    icalerror_clear_errno();
    return std::nullopt;
  }
  return recurrence;
}

icaltimetype ToIcal(Int local_seconds) {
  const Int day = FloorDiv(local_seconds, kSecondsPerDay);
  const Int second_of_day = local_seconds - day * kSecondsPerDay;
  const Civil c = CivilFromDays(day);
  icaltimetype t = icaltime_null_time();
  t.year = c.year;
  t.month = c.month;
  t.day = c.day;
  t.hour = static_cast<int>(second_of_day / 3600);
  t.minute = static_cast<int>(second_of_day / 60 % 60);
  t.second = static_cast<int>(second_of_day % 60);
  t.is_date = 0;
  t.zone = nullptr;  // floating: libical iterates local wall-clock time
  return t;
}

std::optional<Int> FromIcal(const icaltimetype& t) {
  if (icaltime_is_null_time(t) || t.year < 1 || t.year > 9999 || t.month < 1 || t.month > 12 ||
      t.day < 1 || t.day > DaysInMonth(t.year, t.month) || t.hour < 0 || t.hour > 23 ||
      t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 59) {
    return std::nullopt;
  }
  return DaysFromCivil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 + t.minute * 60 +
         t.second;
}

std::optional<Instant> Resolve(Int local_seconds, std::string_view zone) {
  return ResolveLocal(LocalTime{std::chrono::seconds{local_seconds}}, zone);
}

bool WithinUntil(const RRule& rule, Int local, Instant instant) {
  if (!rule.until) return true;
  const Int bound = rule.until->local.time_since_epoch().count();
  switch (rule.until->kind) {
    case RRuleUntil::Kind::kDate:
      return local < bound + kSecondsPerDay;
    case RRuleUntil::Kind::kLocal:
      return local <= bound;
    case RRuleUntil::Kind::kUtc:
      return instant <= rule.until->utc;
  }
  return true;
}

// One candidate found by the model: the first slot of a period resolving
// after `after`, and how many slots of that period follow it (inclusive).
struct Candidate {
  Int local;
  int remaining;
};

// The first of `slots` (ascending local seconds) at or after `from` whose
// instant is after `after`.
std::optional<Candidate> FirstAfter(const std::vector<Int>& slots, Int from, Instant after,
                                    std::string_view zone, bool& zone_error) {
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i] < from) continue;
    const std::optional<Instant> instant = Resolve(slots[i], zone);
    if (!instant) {
      zone_error = true;
      return std::nullopt;
    }
    if (*instant > after) return Candidate{slots[i], static_cast<int>(slots.size() - i)};
  }
  return std::nullopt;
}

// Asks libical for the occurrences from `candidate` on (at most its period's
// remaining slots) and returns the first whose instant is after `after`.
// libical's answer wins; the model's is the fallback should libical give none.
Int Confirm(icalrecur_iterator* it, const Candidate& candidate, Instant after,
            std::string_view zone, RRuleSearchStats& stats) {
  for (int i = 0; it != nullptr && i < candidate.remaining; ++i) {
    ++stats.libical_calls;
    const std::optional<Int> local = FromIcal(icalrecur_iterator_next(it));
    if (!local) break;
    const std::optional<Instant> instant = Resolve(*local, zone);
    if (!instant || *instant <= after) continue;
    if (*local != candidate.local) ++stats.disagreements;
    return *local;
  }
  ++stats.disagreements;
  return candidate.local;
}

// libical's constructor expands DTSTART's period and, if empty, walks on
// period by period (up to the year 20000 for MONTHLY and YEARLY). Refuse to
// start it unless a non-empty period comes soon.
bool DtstartPeriodSoon(const Model& model, int interval, Int limit_day) {
  const RRuleFrequency f = model.frequency();
  if (f != RRuleFrequency::kMonthly && f != RRuleFrequency::kYearly) return true;
  std::vector<Int> days;
  Int period = model.PeriodOf(FloorDiv(model.dtstart(), kSecondsPerDay));
  for (bool first = true; model.FirstDayOf(period) <= limit_day; first = false) {
    // The first month is expanded even outside BYMONTH; later ones are skipped.
    if (first || model.PeriodInByMonth(period)) {
      model.DaysOf(period, days);
      if (!days.empty()) return true;
    }
    period += interval;
  }
  return false;
}

// The rule never produces an occurrence, whatever DTSTART (checked with a
// DTSTART on January 1 and INTERVAL=1 over a whole 400-year Gregorian cycle).
bool NeverOccurs(const RRule& rule) {
  switch (rule.frequency) {
    case RRuleFrequency::kWeekly:
      return false;
    case RRuleFrequency::kDaily:
    case RRuleFrequency::kHourly: {
      if (rule.by_month_day.empty()) return false;
      for (int month = 1; month <= 12; ++month) {
        if (!rule.by_month.empty() &&
            std::find(rule.by_month.begin(), rule.by_month.end(), month) == rule.by_month.end()) {
          continue;
        }
        for (int md : rule.by_month_day) {
          if (md <= DaysInMonth(2000, month)) return false;  // 2000: Feb has 29 days
        }
      }
      return true;
    }
    case RRuleFrequency::kMonthly:
    case RRuleFrequency::kYearly: {
      RRule probe = rule;
      probe.interval = 1;
      const Model model(probe, DaysFromCivil(2000, 1, 1) * kSecondsPerDay);
      std::vector<Int> days;
      const Int first = model.PeriodOf(DaysFromCivil(2000, 1, 1));
      const Int last = model.PeriodOf(DaysFromCivil(2399, 12, 31));
      for (Int period = first; period <= last; ++period) {
        if (!model.PeriodInByMonth(period)) continue;
        model.DaysOf(period, days);
        if (!days.empty()) return false;
      }
      return true;
    }
  }
  return false;
}

std::string CheckSemantics(const RRule& rule) {
  const RRuleFrequency f = rule.frequency;
  const bool monthly_or_yearly = f == RRuleFrequency::kMonthly || f == RRuleFrequency::kYearly;
  for (const RRuleWeekday& d : rule.by_day) {
    if (d.position == 0) continue;
    if (!monthly_or_yearly) {
      return "BYDAY: a position such as " + std::to_string(d.position) +
             std::string(kWeekdayCodes[static_cast<std::size_t>(d.weekday)]) +
             " needs FREQ=MONTHLY or FREQ=YEARLY";
    }
    const bool within_month = f == RRuleFrequency::kMonthly || !rule.by_month.empty();
    if (within_month && (d.position > 5 || d.position < -5)) {
      return "BYDAY: position " + std::to_string(d.position) +
             " is out of range ±1..5 within a month";
    }
  }
  if (!rule.by_month_day.empty()) {
    if (f == RRuleFrequency::kWeekly) return "BYMONTHDAY cannot be used with FREQ=WEEKLY";
    if (!monthly_or_yearly && rule.by_month_day.front() < 0) {
      return "BYMONTHDAY: negative days need FREQ=MONTHLY or FREQ=YEARLY";
    }
    if (f == RRuleFrequency::kYearly && !rule.by_day.empty() && rule.by_month.empty()) {
      return "with FREQ=YEARLY, BYDAY and BYMONTHDAY together need BYMONTH";
    }
  }
  const std::size_t times = (rule.by_hour.empty() ? 1 : rule.by_hour.size()) *
                            (rule.by_minute.empty() ? 1 : rule.by_minute.size());
  if (!rule.by_set_pos.empty()) {
    if (!monthly_or_yearly) return "BYSETPOS needs FREQ=MONTHLY or FREQ=YEARLY";
    if (rule.by_day.empty() && rule.by_month_day.empty()) {
      return "BYSETPOS needs BYDAY or BYMONTHDAY";
    }
    if (times > 1) return "BYSETPOS with more than one time of day is not supported";
  }
  if (f == RRuleFrequency::kHourly && !rule.by_hour.empty()) {
    // libical 3.0 steps through the BYHOUR list instead (ignoring INTERVAL,
    // and skipping the first hour when DTSTART's is not listed).
    return "BYHOUR with FREQ=HOURLY is not supported (use FREQ=DAILY;BYHOUR=…)";
  }
  if (f == RRuleFrequency::kWeekly && rule.interval > 1 && rule.week_start != 0 &&
      rule.week_start != 1) {
    // libical 3.0 aligns such weeks differently from the RFC.
    return "WKST=" + std::string(kWeekdayCodes[static_cast<std::size_t>(rule.week_start)]) +
           " is not supported with FREQ=WEEKLY and INTERVAL > 1 (use MO or SU)";
  }
  if (f != RRuleFrequency::kHourly && times > kMaxTimesPerDay) {
    return "more than " + std::to_string(kMaxTimesPerDay) + " times a day (BYHOUR × BYMINUTE)";
  }
  // An upper bound of the occurrences in one period (libical is asked for at
  // most that many in one go).
  Int days = 1;
  if (f == RRuleFrequency::kWeekly) {
    days = rule.by_day.empty() ? 1 : static_cast<Int>(rule.by_day.size());
  } else if (monthly_or_yearly) {
    if (!rule.by_set_pos.empty()) {
      days = static_cast<Int>(rule.by_set_pos.size());
    } else if (rule.by_day.empty()) {
      const Int months =
          f == RRuleFrequency::kYearly && !rule.by_month.empty() ? rule.by_month.size() : 1;
      days = months * static_cast<Int>(rule.by_month_day.empty() ? 1 : rule.by_month_day.size());
    } else if (f == RRuleFrequency::kMonthly) {
      days = 31;
    } else {
      days = rule.by_month.empty() ? 366 : 31 * static_cast<Int>(rule.by_month.size());
    }
  }
  const Int slots =
      days * static_cast<Int>(f == RRuleFrequency::kHourly
                                  ? (rule.by_minute.empty() ? 1 : rule.by_minute.size())
                                  : times);
  if (slots > kMaxSlotsPerPeriod) {
    return "more than " + std::to_string(kMaxSlotsPerPeriod) +
           " occurrences in one period: use a shorter FREQ";
  }
  return {};
}

std::optional<Instant> SearchHourly(const RRule& rule, const Model& model, Int from, Int limit_day,
                                    Instant after, std::string_view zone, RRuleSearchStats& stats,
                                    Int& found_local) {
  const Int first_hour = FloorDiv(model.dtstart(), 3600);
  std::vector<Int> slots;
  for (Int day = FloorDiv(from, kSecondsPerDay); day <= limit_day; ++day) {
    ++stats.periods;
    if (!model.DayPasses(day)) continue;
    const Int day_hour = day * 24;
    const Int start_hour = std::max(day_hour, first_hour);
    for (Int hour = first_hour + CeilDiv(start_hour - first_hour, rule.interval) * rule.interval;
         hour < day_hour + 24; hour += rule.interval) {
      slots.clear();
      for (int minute : model.minutes()) {
        slots.push_back(hour * 3600 + minute * 60 + model.second());
      }
      bool zone_error = false;
      const std::optional<Candidate> candidate = FirstAfter(slots, from, after, zone, zone_error);
      if (zone_error) return std::nullopt;
      if (!candidate) continue;
      // libical 3.0 aligns HOURLY intervals on the hour of the day only, so
      // its set_start is wrong across days; a fresh iterator whose DTSTART is
      // the candidate itself needs no alignment (minute and second are explicit
      // in its rule).
      std::optional<icalrecurrencetype> recurrence =
          LibicalParse(LibicalText(rule, &model), nullptr);
      IteratorPtr it;
      if (recurrence) {
        ++stats.libical_calls;
        it.reset(icalrecur_iterator_new(*recurrence, ToIcal(candidate->local)));
      }
      found_local = Confirm(it.get(), *candidate, after, zone, stats);
      return Resolve(found_local, zone);
    }
  }
  return std::nullopt;
}

// libical 3.0 aligns the weeks of FREQ=WEEKLY;INTERVAL>1;BYDAY=SU (Sunday
// alone) under WKST=MO as if they began on Sunday when DTSTART is not one: it
// skips the Sunday that ends DTSTART's week, which RFC 5545 (and the model)
// make the first occurrence, and every later one comes a week late. Started on
// that Sunday it follows the RFC, and the occurrences are the same: the first
// Sunday on or after DTSTART, then every INTERVAL weeks.
Int LibicalDtstart(const RRule& rule, Int dtstart) {
  const bool sundays_alone =
      !rule.by_day.empty() &&
      std::all_of(rule.by_day.begin(), rule.by_day.end(),
                  [](const RRuleWeekday& d) { return d.weekday == 0 && d.position == 0; });
  if (rule.frequency != RRuleFrequency::kWeekly || rule.interval <= 1 || rule.week_start != 1 ||
      !sundays_alone) {
    return dtstart;
  }
  return dtstart + FloorMod(-WeekdayOf(FloorDiv(dtstart, kSecondsPerDay)), 7) * kSecondsPerDay;
}

std::optional<Instant> SearchPeriods(const RRule& rule, const Model& model, Int from, Int limit_day,
                                     Instant after, std::string_view zone, RRuleSearchStats& stats,
                                     Int& found_local) {
  const Int first_period = model.PeriodOf(FloorDiv(model.dtstart(), kSecondsPerDay));
  const Int from_period = model.PeriodOf(FloorDiv(from, kSecondsPerDay));
  Int period = first_period + CeilDiv(from_period - first_period, rule.interval) * rule.interval;
  IteratorPtr it;
  bool iterator_tried = false;
  std::vector<Int> days;
  std::vector<Int> slots;
  for (; model.FirstDayOf(period) <= limit_day; period += rule.interval) {
    ++stats.periods;
    if (!model.PeriodInByMonth(period)) continue;
    model.DaysOf(period, days);
    if (days.empty()) continue;
    slots.clear();
    for (Int day : days) {
      for (int hour : model.hours()) {
        for (int minute : model.minutes()) {
          slots.push_back(day * kSecondsPerDay + hour * 3600 + minute * 60 + model.second());
        }
      }
    }
    bool zone_error = false;
    const std::optional<Candidate> candidate = FirstAfter(slots, from, after, zone, zone_error);
    if (zone_error) return std::nullopt;
    if (!candidate) continue;
    if (!iterator_tried) {
      iterator_tried = true;
      std::optional<icalrecurrencetype> recurrence =
          LibicalParse(LibicalText(rule, nullptr), nullptr);
      if (recurrence && DtstartPeriodSoon(model, rule.interval, limit_day)) {
        ++stats.libical_calls;
        it.reset(
            icalrecur_iterator_new(*recurrence, ToIcal(LibicalDtstart(rule, model.dtstart()))));
      }
    }
    if (it) {
      ++stats.libical_calls;
      if (icalrecur_iterator_set_start(it.get(), ToIcal(candidate->local)) == 0) it.reset();
    }
    found_local = Confirm(it.get(), *candidate, after, zone, stats);
    return Resolve(found_local, zone);
  }
  return std::nullopt;
}

}  // namespace

Result<RRule> ParseRRule(std::string_view text) {
  if (text.size() > kMaxRRuleLength) {
    return Invalid("is longer than " + std::to_string(kMaxRRuleLength) + " characters");
  }
  std::string upper = Upper(Trim(text));
  if (upper.rfind("RRULE:", 0) == 0) upper.erase(0, 6);
  if (upper.empty()) return Invalid("is empty");

  RRule rule;
  bool has_frequency = false;
  std::vector<std::string_view> seen;
  std::string error;
  const std::vector<std::string_view> parts = Split(upper, ';');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (part.empty()) {
      if (i + 1 == parts.size() && i > 0) break;  // a trailing ';' is harmless
      return Invalid("empty part between ';'");
    }
    const std::size_t equals = part.find('=');
    if (equals == std::string_view::npos) {
      return Invalid("'" + Echo(part) + "' is not NAME=VALUE");
    }
    const std::string_view name = part.substr(0, equals);
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return Invalid(std::string(Echo(name)) + " appears twice");
    }
    seen.push_back(name);
    if (!ParsePart(name, part.substr(equals + 1), rule, has_frequency, error)) {
      return Invalid(std::move(error));
    }
  }
  if (!has_frequency) return Invalid("FREQ is required");
  if (rule.count && rule.until) return Invalid("COUNT and UNTIL cannot both be set");
  error = CheckSemantics(rule);
  if (!error.empty()) return Invalid(std::move(error));
  // libical has the last word on syntax.
  if (!LibicalParse(upper, &error)) return Invalid(std::move(error));
  if (NeverOccurs(rule)) return Invalid("the rule never produces an occurrence");
  // The week lists are kept in the order libical iterates them.
  std::sort(rule.by_day.begin(), rule.by_day.end(),
            [&rule](const RRuleWeekday& a, const RRuleWeekday& b) {
              const int wa = (a.weekday - rule.week_start + 7) % 7;
              const int wb = (b.weekday - rule.week_start + 7) % 7;
              return wa != wb ? wa < wb : a.position < b.position;
            });
  rule.text = std::move(upper);
  return rule;
}

std::optional<Instant> NextRRuleOccurrence(const RRule& rule, Instant series_start, Instant after,
                                           std::string_view zone, RRuleSearchStats* stats) {
  RRuleSearchStats local_stats;
  RRuleSearchStats& s = stats != nullptr ? *stats : local_stats;
  if (rule.interval < 1 || rule.interval > kMaxInterval) return std::nullopt;
  const std::optional<LocalTime> start_local = ToLocal(series_start, zone);
  const std::optional<LocalTime> after_local = ToLocal(after, zone);
  if (!start_local || !after_local) return std::nullopt;
  const Int dtstart =
      std::chrono::floor<std::chrono::seconds>(*start_local).time_since_epoch().count();
  const Int after_seconds =
      std::chrono::floor<std::chrono::seconds>(*after_local).time_since_epoch().count();
  const Int min_day = DaysFromCivil(kRRuleMinYear, 1, 1);
  const Int max_day = DaysFromCivil(kRRuleMaxYear, 12, 31);
  const Int dtstart_day = FloorDiv(dtstart, kSecondsPerDay);
  if (dtstart_day < min_day || dtstart_day > max_day) return std::nullopt;
  if (rule.until && rule.until->kind == RRuleUntil::Kind::kUtc && rule.until->utc <= after) {
    return std::nullopt;
  }

  const Model model(rule, dtstart);
  const Int from = std::max(dtstart, after_seconds - kSearchMarginSeconds);
  const Int limit_day =
      std::min(max_day, FloorDiv(after_seconds, kSecondsPerDay) + Int{kRRuleHorizonYears} * 366);
  Int found_local = 0;
  const std::optional<Instant> found =
      rule.frequency == RRuleFrequency::kHourly
          ? SearchHourly(rule, model, from, limit_day, after, zone, s, found_local)
          : SearchPeriods(rule, model, from, limit_day, after, zone, s, found_local);
  if (!found || *found <= after || !WithinUntil(rule, found_local, *found)) return std::nullopt;
  return found;
}

}  // namespace taskflow
