#include "domain/time.hpp"

#include <string>

namespace taskflow {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// The instants whose UTC form has a year in 0001..9999: everything FormatRfc3339
// writes is accepted back by ParseRfc3339.
constexpr Instant kMinInstant{std::chrono::sys_days{std::chrono::year{1} / 1 / 1}};
constexpr Instant kMaxInstant{std::chrono::sys_days{std::chrono::year{10000} / 1 / 1} -
                              milliseconds{1}};

// "YYYY-MM-DDTHH:MM:SS" is 19 characters; the shortest valid text adds "Z".
constexpr std::size_t kDateTimeLength = 19;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` decimal digits starting at `pos`.
bool ReadDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(text[i])) return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

struct Fields {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  int millis = 0;
  int offset_minutes = 0;  // local time minus UTC
};

bool ReadDateAndTime(std::string_view text, Fields& f) {
  if (text.size() < kDateTimeLength) return false;
  const char separator = text[10];
  return ReadDigits(text, 0, 4, f.year) && text[4] == '-' && ReadDigits(text, 5, 2, f.month) &&
         text[7] == '-' && ReadDigits(text, 8, 2, f.day) &&
         (separator == 'T' || separator == 't' || separator == ' ') &&
         ReadDigits(text, 11, 2, f.hour) && text[13] == ':' && ReadDigits(text, 14, 2, f.minute) &&
         text[16] == ':' && ReadDigits(text, 17, 2, f.second);
}

// Reads ".d+" at `pos` if present; keeps the first three digits (truncation).
bool ReadFraction(std::string_view text, std::size_t& pos, int& millis) {
  if (pos >= text.size() || text[pos] != '.') return true;
  ++pos;
  const std::size_t first = pos;
  millis = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (pos - first < 3) millis = millis * 10 + (text[pos] - '0');
    ++pos;
  }
  const std::size_t digits = pos - first;
  if (digits == 0) return false;
  for (std::size_t i = digits; i < 3; ++i) millis *= 10;
  return true;
}

// Reads "Z", "z" or "±hh:mm" ending exactly at the end of `text`.
bool ReadOffset(std::string_view text, std::size_t pos, int& offset_minutes) {
  if (pos >= text.size()) return false;
  const char sign = text[pos];
  if (sign == 'Z' || sign == 'z') {
    offset_minutes = 0;
    return pos + 1 == text.size();
  }
  if (sign != '+' && sign != '-') return false;
  int hh = 0, mm = 0;
  if (pos + 6 != text.size() || !ReadDigits(text, pos + 1, 2, hh) || text[pos + 3] != ':' ||
      !ReadDigits(text, pos + 4, 2, mm)) {
    return false;
  }
  if (hh > 23 || mm > 59) return false;
  offset_minutes = (sign == '+' ? 1 : -1) * (hh * 60 + mm);
  return true;
}

bool InRange(const Fields& f) {
  // A leap second (":60") is rejected: the UTC time line here has none.
  return f.year >= 1 && f.year <= 9999 && f.hour <= 23 && f.minute <= 59 && f.second <= 59;
}

}  // namespace

std::optional<std::chrono::year_month_day> ParseRfc3339Date(std::string_view text) {
  constexpr std::size_t kDateLength = 10;
  int year = 0, month = 0, day = 0;
  if (text.size() != kDateLength || !ReadDigits(text, 0, 4, year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (year < 1 || !date.ok()) return std::nullopt;
  return date;
}

std::optional<Instant> ParseRfc3339(std::string_view text) {
  Fields f;
  if (!ReadDateAndTime(text, f)) return std::nullopt;
  std::size_t pos = kDateTimeLength;
  if (!ReadFraction(text, pos, f.millis)) return std::nullopt;
  if (!ReadOffset(text, pos, f.offset_minutes)) return std::nullopt;
  if (!InRange(f)) return std::nullopt;

  const std::chrono::year_month_day date{std::chrono::year{f.year},
                                         std::chrono::month{static_cast<unsigned>(f.month)},
                                         std::chrono::day{static_cast<unsigned>(f.day)}};
  if (!date.ok()) return std::nullopt;  // month 13, Feb 30, Feb 29 of a common year …

  const Instant instant = Instant{std::chrono::sys_days{date}} + hours{f.hour} + minutes{f.minute} +
                          seconds{f.second} + milliseconds{f.millis} - minutes{f.offset_minutes};
  // "0001-01-01T00:30:00+01:00" lies in year 0 in UTC: not representable back.
  if (instant < kMinInstant || instant > kMaxInstant) return std::nullopt;
  return instant;
}

std::string FormatRfc3339(Instant instant) {
  // Instants outside 0001..9999 never come from ParseRfc3339; clamping keeps the
  // output valid (and the arithmetic below free of overflow) if one ever shows up.
  if (instant < kMinInstant) instant = kMinInstant;
  if (instant > kMaxInstant) instant = kMaxInstant;

  const auto day_start = std::chrono::floor<days>(instant);
  const std::chrono::year_month_day date{day_start};
  const std::chrono::hh_mm_ss time{instant - day_start};

  // Written by hand: snprintf parses its format string on every call, and
  // every task in every response carries two to four of these.
  const int year = static_cast<int>(date.year());
  const auto month = static_cast<int>(static_cast<unsigned>(date.month()));
  const auto day = static_cast<int>(static_cast<unsigned>(date.day()));
  const auto hour = static_cast<int>(time.hours().count());
  const auto minute = static_cast<int>(time.minutes().count());
  const auto second = static_cast<int>(time.seconds().count());
  const auto millis = static_cast<int>(time.subseconds().count());
  // "YYYY-MM-DDTHH:MM:SS.mmmZ"; the fraction only when there is one.
  std::string text(millis == 0 ? kDateTimeLength + 1 : kDateTimeLength + 5, '\0');
  char* out = text.data();
  const auto put = [&out](int value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    out += digits;
  };
  put(year, 4);
  *out++ = '-';
  put(month, 2);
  *out++ = '-';
  put(day, 2);
  *out++ = 'T';
  put(hour, 2);
  *out++ = ':';
  put(minute, 2);
  *out++ = ':';
  put(second, 2);
  if (millis != 0) {
    *out++ = '.';
    put(millis, 3);
  }
  *out = 'Z';
  return text;
}

}  // namespace taskflow
