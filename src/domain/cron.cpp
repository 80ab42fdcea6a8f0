#include "domain/cron.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"SUN", "MON", "TUE", "WED",
                                                           "THU", "FRI", "SAT"};

struct FieldSpec {
  std::string_view name;
  int min;
  int max;
  // Names map to min + index (JAN = 1, SUN = 0); empty for numeric fields.
  const std::string_view* names;
  std::size_t name_count;
};

constexpr FieldSpec kMinuteField{"minute", 0, 59, nullptr, 0};
constexpr FieldSpec kHourField{"hour", 0, 23, nullptr, 0};
constexpr FieldSpec kDayOfMonthField{"day-of-month", 1, 31, nullptr, 0};
constexpr FieldSpec kMonthField{"month", 1, 12, kMonthNames.data(), kMonthNames.size()};
// 7 is accepted as a second Sunday and folded onto 0 when the bits are set.
constexpr FieldSpec kDayOfWeekField{"day-of-week", 0, 7, kWeekdayNames.data(),
                                    kWeekdayNames.size()};

// Tokens are echoed in error messages; a cap keeps a hostile one short.
constexpr std::size_t kMaxEchoLength = 24;

std::string Echo(std::string_view token) {
  if (token.size() <= kMaxEchoLength) return std::string(token);
  return std::string(token.substr(0, kMaxEchoLength)) + "...";
}

std::string RangeText(const FieldSpec& spec) {
  return std::to_string(spec.min) + "-" + std::to_string(spec.max);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Upper(a[i]) != Upper(b[i])) return false;
  }
  return true;
}

// One value of a field: a decimal number or, where the field has them, a name.
bool ParseValue(std::string_view token, const FieldSpec& spec, int& value, std::string& error) {
  if (token.empty()) {
    error = std::string(spec.name) + ": missing value";
    return false;
  }
  if (IsDigit(token.front())) {
    long long number = 0;
    for (char c : token) {
      if (!IsDigit(c)) {
        error = std::string(spec.name) + ": '" + Echo(token) + "' is not a number";
        return false;
      }
      // Saturating: anything this large is out of range anyway.
      if (number < 1000000) number = number * 10 + (c - '0');
    }
    if (number < spec.min || number > spec.max) {
      error = std::string(spec.name) + ": " + Echo(token) + " is out of range " + RangeText(spec);
      return false;
    }
    value = static_cast<int>(number);
    return true;
  }
  if (IsAlpha(token.front()) && spec.names != nullptr) {
    for (std::size_t i = 0; i < spec.name_count; ++i) {
      if (EqualsIgnoreCase(token, spec.names[i])) {
        value = spec.min + static_cast<int>(i);  // JAN = 1, SUN = 0
        return true;
      }
    }
    error = std::string(spec.name) + ": unknown name '" + Echo(token) + "'";
    return false;
  }
  error = std::string(spec.name) + ": '" + Echo(token) + "' is not a number";
  return false;
}

// One comma-separated item: "*", "n", "a-b", each optionally "/step", or "a/step".
bool ParseItem(std::string_view item, const FieldSpec& spec, std::bitset<64>& bits,
               std::string& error) {
  const std::size_t slash = item.find('/');
  const std::string_view range = item.substr(0, slash);
  int low = spec.min;
  int high = spec.max;
  if (range == "*") {
    // "*" in day-of-week is 0-6: Sunday once.
    if (&spec == &kDayOfWeekField) high = 6;
  } else {
    const std::size_t dash = range.find('-');
    if (dash == std::string_view::npos) {
      if (!ParseValue(range, spec, low, error)) return false;
      // "a/step" runs from a to the field's maximum, as in cronie.
      high = slash == std::string_view::npos ? low : spec.max;
    } else {
      if (!ParseValue(range.substr(0, dash), spec, low, error) ||
          !ParseValue(range.substr(dash + 1), spec, high, error)) {
        return false;
      }
      if (low > high) {
        error = std::string(spec.name) + ": range " + Echo(range) + " is backwards";
        return false;
      }
    }
  }
  int step = 1;
  if (slash != std::string_view::npos) {
    const std::string_view step_text = item.substr(slash + 1);
    if (step_text.empty()) {
      error = std::string(spec.name) + ": missing step after '/'";
      return false;
    }
    long long number = 0;
    for (char c : step_text) {
      if (!IsDigit(c)) {
        error = std::string(spec.name) + ": step '" + Echo(step_text) + "' is not a number";
        return false;
      }
      if (number < 1000000) number = number * 10 + (c - '0');
    }
    const int span = spec.max - spec.min + 1;
    if (number < 1 || number > span) {
      error = std::string(spec.name) + ": step " + Echo(step_text) + " is out of range 1-" +
              std::to_string(span);
      return false;
    }
    step = static_cast<int>(number);
  }
  for (int v = low; v <= high; v += step) {
    bits.set(static_cast<std::size_t>(&spec == &kDayOfWeekField && v == 7 ? 0 : v));
  }
  return true;
}

bool ParseField(std::string_view text, const FieldSpec& spec, std::bitset<64>& bits,
                std::string& error) {
  if (text.empty()) {
    error = std::string(spec.name) + ": empty field";
    return false;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) {
      error = std::string(spec.name) + ": empty list item in '" + Echo(text) + "'";
      return false;
    }
    if (!ParseItem(item, spec, bits, error)) return false;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

template <std::size_t N>
std::bitset<N> Narrow(const std::bitset<64>& wide) {
  std::bitset<N> out;
  for (std::size_t i = 0; i < N; ++i) out[i] = wide[i];
  return out;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::vector<std::string_view> SplitFields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsBlank(text[i])) ++i;
    if (i >= text.size()) break;
    const std::size_t begin = i;
    while (i < text.size() && !IsBlank(text[i])) ++i;
    fields.push_back(text.substr(begin, i - begin));
    if (fields.size() > 16) break;  // enough to report "got 17+"
  }
  return fields;
}

struct Macro {
  std::string_view name;
  std::string_view expansion;
};
constexpr std::array<Macro, 7> kMacros = {{{"@yearly", "0 0 1 1 *"},
                                           {"@annually", "0 0 1 1 *"},
                                           {"@monthly", "0 0 1 * *"},
                                           {"@weekly", "0 0 * * 0"},
                                           {"@daily", "0 0 * * *"},
                                           {"@midnight", "0 0 * * *"},
                                           {"@hourly", "0 * * * *"}}};

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), {}};
}

// ---- search ----------------------------------------------------------------

// Safety net only: the field-by-field walk needs about 31 steps a month.
constexpr int kMaxLocalSteps = 100000;
// Matches that resolve to or before `after` (the second pass of a fall-back
// overlap) are skipped one by one; an overlap is at most a day of minutes.
constexpr int kMaxRetries = 1500;
constexpr int kMaxYear = 9999;
// The last instant RFC 3339 can carry back (9999-12-31T23:59:59.999Z).
constexpr Instant kLastInstant{std::chrono::sys_days{std::chrono::year{10000} / 1 / 1} -
                               std::chrono::milliseconds{1}};

struct Cursor {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
  int hour;
  int minute;
};

unsigned DaysIn(int year, unsigned month) {
  return static_cast<unsigned>(
      (std::chrono::year{year} / std::chrono::month{month} / std::chrono::last).day());
}

unsigned WeekdayOf(int year, unsigned month, unsigned day) {
  return std::chrono::weekday{
      std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} /
                            std::chrono::day{day}}}
      .c_encoding();
}

bool DayMatches(const CronSchedule& s, const Cursor& c) {
  const bool dom = s.days_of_month[c.day];
  const bool dow = s.days_of_week[WeekdayOf(c.year, c.month, c.day)];
  if (s.day_of_month_star || s.day_of_week_star) return dom && dow;
  return dom || dow;
}

template <std::size_t N>
int NextSetBit(const std::bitset<N>& bits, int from) {
  for (int i = from; i < static_cast<int>(N); ++i) {
    if (bits[static_cast<std::size_t>(i)]) return i;
  }
  return -1;
}

void NextMonth(Cursor& c) {
  c.day = 1;
  c.hour = 0;
  c.minute = 0;
  if (++c.month > 12) {
    c.month = 1;
    ++c.year;
  }
}

void NextDay(Cursor& c) {
  c.hour = 0;
  c.minute = 0;
  ++c.day;  // a day past the month's end is handled by the month check
}

// The first local minute at or after `c` matching `s`, or nullopt past
// `limit_year`. Each iteration advances one field to its next candidate.
std::optional<Cursor> NextLocalMatch(const CronSchedule& s, Cursor c, int limit_year, int& steps) {
  for (int local_steps = 0; local_steps < kMaxLocalSteps; ++local_steps) {
    ++steps;
    if (c.year > limit_year) return std::nullopt;
    if (!s.months[c.month]) {
      const int next = NextSetBit(s.months, static_cast<int>(c.month) + 1);
      if (next < 0) {
        ++c.year;
        c.month = static_cast<unsigned>(NextSetBit(s.months, 1));
      } else {
        c.month = static_cast<unsigned>(next);
      }
      c.day = 1;
      c.hour = 0;
      c.minute = 0;
      continue;
    }
    if (c.day > DaysIn(c.year, c.month)) {
      NextMonth(c);
      continue;
    }
    if (!DayMatches(s, c)) {
      NextDay(c);
      continue;
    }
    if (!s.hours[static_cast<std::size_t>(c.hour)]) {
      const int next = NextSetBit(s.hours, c.hour + 1);
      if (next < 0) {
        NextDay(c);
      } else {
        c.hour = next;
        c.minute = 0;
      }
      continue;
    }
    if (!s.minutes[static_cast<std::size_t>(c.minute)]) {
      const int next = NextSetBit(s.minutes, c.minute + 1);
      if (next >= 0) {
        c.minute = next;
      } else if (c.hour < 23) {
        ++c.hour;
        c.minute = 0;
      } else {
        NextDay(c);
      }
      continue;
    }
    return c;
  }
  return std::nullopt;
}

LocalTime ToLocalTime(const Cursor& c) {
  const std::chrono::local_days day{std::chrono::year{c.year} / std::chrono::month{c.month} /
                                    std::chrono::day{c.day}};
  return LocalTime{day} + hours{c.hour} + minutes{c.minute};
}

Cursor FromLocalTime(LocalTime t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<std::chrono::milliseconds> time{t - day};
  return Cursor{static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count())};
}

}  // namespace

Result<CronSchedule> ParseCron(std::string_view text) {
  if (text.size() > kMaxCronLength) {
    return Invalid("is longer than " + std::to_string(kMaxCronLength) + " characters");
  }
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  if (text.empty()) return Invalid("is empty");

  std::string macro_name;
  if (text.front() == '@') {
    for (const Macro& macro : kMacros) {
      if (EqualsIgnoreCase(text, macro.name)) {
        macro_name = std::string(macro.name);
        text = macro.expansion;
        break;
      }
    }
    if (macro_name.empty()) {
      return Invalid("unknown macro '" + Echo(text) +
                     "' (use @yearly, @monthly, @weekly, @daily or @hourly)");
    }
  }

  const std::vector<std::string_view> fields = SplitFields(text);
  if (fields.size() != 5) {
    return Invalid(
        "expected 5 fields (minute hour day-of-month month day-of-week), got " +
        (fields.size() > 16 ? std::string("more than 16") : std::to_string(fields.size())));
  }
  const std::array<const FieldSpec*, 5> specs = {&kMinuteField, &kHourField, &kDayOfMonthField,
                                                 &kMonthField, &kDayOfWeekField};
  std::array<std::bitset<64>, 5> bits;
  std::string error;
  for (std::size_t i = 0; i < 5; ++i) {
    if (!ParseField(fields[i], *specs[i], bits[i], error)) return Invalid(std::move(error));
  }

  CronSchedule schedule;
  schedule.minutes = Narrow<60>(bits[0]);
  schedule.hours = Narrow<24>(bits[1]);
  schedule.days_of_month = Narrow<32>(bits[2]);
  schedule.months = Narrow<13>(bits[3]);
  schedule.days_of_week = Narrow<7>(bits[4]);
  schedule.day_of_month_star = fields[2].front() == '*';
  schedule.day_of_week_star = fields[4].front() == '*';
  if (!macro_name.empty()) {
    schedule.text = macro_name;
  } else {
    for (std::size_t i = 0; i < 5; ++i) {
      if (i > 0) schedule.text += ' ';
      schedule.text += fields[i];
    }
  }
  return schedule;
}

std::optional<Instant> NextCronMatch(const CronSchedule& schedule, Instant after,
                                     std::string_view zone, CronSearchStats* stats) {
  CronSearchStats local_stats;
  CronSearchStats& s = stats != nullptr ? *stats : local_stats;
  // A hand-built schedule with an empty field never matches (and would
  // otherwise find no month to advance to).
  if (schedule.minutes.none() || schedule.hours.none() || schedule.months.none() ||
      (schedule.days_of_month.none() && schedule.days_of_week.none())) {
    return std::nullopt;
  }
  const std::optional<LocalTime> local_after = ToLocal(after, zone);
  if (!local_after) return std::nullopt;
  // Strictly after: the next whole minute. A match before the local time of
  // `after` can never resolve past `after` (ResolveLocal is monotonic).
  LocalTime from = std::chrono::floor<minutes>(*local_after) + minutes{1};
  const int limit_year = std::min(kMaxYear, FromLocalTime(from).year + kCronHorizonYears);

  for (int retry = 0; retry < kMaxRetries; ++retry) {
    const std::optional<Cursor> match =
        NextLocalMatch(schedule, FromLocalTime(from), limit_year, s.steps);
    if (!match) return std::nullopt;
    const LocalTime local = ToLocalTime(*match);
    const std::optional<Instant> instant = ResolveLocal(local, zone);
    if (!instant) return std::nullopt;
    if (*instant > after) {
      if (*instant > kLastInstant) return std::nullopt;
      return instant;
    }
    // The second pass of an overlap: this wall-clock time already fired at
    // its earlier instant.
    ++s.steps;
    from = local + minutes{1};
  }
  return std::nullopt;
}

}  // namespace taskflow
