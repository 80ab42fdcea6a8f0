// Readers for times of day, dates and durations (see quick_add.cpp for the
// rules they implement and why).
#include <array>
#include <climits>
#include <string_view>

#include "domain/quick_add_grammar.hpp"

namespace taskflow::quick_add {
namespace {

using std::chrono::days;
using std::chrono::minutes;

struct Name {
  std::string_view word;
  int value;
};

constexpr std::array<Name, 13> kWeekdays = {{{"sunday", 0},
                                             {"monday", 1},
                                             {"tuesday", 2},
                                             {"wednesday", 3},
                                             {"thursday", 4},
                                             {"friday", 5},
                                             {"saturday", 6},
                                             {"tue", 2},
                                             {"tues", 2},
                                             {"thu", 4},
                                             {"thur", 4},
                                             {"thurs", 4},
                                             {"fri", 5}}};
// Also English words ("sun", "sat"), or names ("Mon"): a weekday only when
// a keyword in front says so.
constexpr std::array<Name, 4> kAmbiguousWeekdays = {
    {{"sun", 0}, {"mon", 1}, {"wed", 3}, {"sat", 6}}};
constexpr std::array<Name, 7> kPluralWeekdays = {{{"sundays", 0},
                                                  {"mondays", 1},
                                                  {"tuesdays", 2},
                                                  {"wednesdays", 3},
                                                  {"thursdays", 4},
                                                  {"fridays", 5},
                                                  {"saturdays", 6}}};
constexpr std::array<Name, 24> kMonths = {
    {{"january", 1},   {"jan", 1},   {"february", 2},  {"feb", 2},      {"march", 3},
     {"mar", 3},       {"april", 4}, {"apr", 4},       {"may", 5},      {"june", 6},
     {"jun", 6},       {"july", 7},  {"jul", 7},       {"august", 8},   {"aug", 8},
     {"september", 9}, {"sept", 9},  {"sep", 9},       {"october", 10}, {"oct", 10},
     {"november", 11}, {"nov", 11},  {"december", 12}, {"dec", 12}}};
constexpr std::array<Name, 14> kCounts = {{{"a", 1},
                                           {"an", 1},
                                           {"one", 1},
                                           {"two", 2},
                                           {"three", 3},
                                           {"four", 4},
                                           {"five", 5},
                                           {"six", 6},
                                           {"seven", 7},
                                           {"eight", 8},
                                           {"nine", 9},
                                           {"ten", 10},
                                           {"eleven", 11},
                                           {"twelve", 12}}};
constexpr std::array<Name, 6> kWeekOrdinals = {
    {{"first", 1}, {"second", 2}, {"third", 3}, {"fourth", 4}, {"fifth", 5}, {"last", -1}}};

struct UnitName {
  std::string_view word;
  Unit unit;
};
constexpr std::array<UnitName, 20> kUnits = {
    {{"minute", Unit::kMinute}, {"minutes", Unit::kMinute}, {"min", Unit::kMinute},
     {"mins", Unit::kMinute},   {"hour", Unit::kHour},      {"hours", Unit::kHour},
     {"hr", Unit::kHour},       {"hrs", Unit::kHour},       {"day", Unit::kDay},
     {"days", Unit::kDay},      {"week", Unit::kWeek},      {"weeks", Unit::kWeek},
     {"wk", Unit::kWeek},       {"wks", Unit::kWeek},       {"month", Unit::kMonth},
     {"months", Unit::kMonth},  {"year", Unit::kYear},      {"years", Unit::kYear},
     {"yr", Unit::kYear},       {"yrs", Unit::kYear}}};
// Glued to the number: "30m", "2h", "3d", "2w", "30min", "2hrs".
constexpr std::array<UnitName, 9> kCompactUnits = {{{"m", Unit::kMinute},
                                                    {"min", Unit::kMinute},
                                                    {"mins", Unit::kMinute},
                                                    {"h", Unit::kHour},
                                                    {"hr", Unit::kHour},
                                                    {"hrs", Unit::kHour},
                                                    {"d", Unit::kDay},
                                                    {"w", Unit::kWeek},
                                                    {"wk", Unit::kWeek}}};

template <std::size_t N>
std::optional<int> Lookup(const std::array<Name, N>& table, std::string_view word) {
  for (const Name& name : table) {
    if (name.word == word) return name.value;
  }
  return std::nullopt;
}

template <std::size_t N>
std::optional<Unit> LookupUnit(const std::array<UnitName, N>& table, std::string_view word) {
  for (const UnitName& name : table) {
    if (name.word == word) return name.unit;
  }
  return std::nullopt;
}

bool IsWordToken(const Token* t) { return t != nullptr && t->kind == TokenKind::kWord; }

// Digits at the front of a word ("17" in "17", "5" in "5pm").
std::size_t LeadingDigits(const Token& t) {
  std::size_t n = 0;
  while (n < t.lower.size() && t.lower[n] >= '0' && t.lower[n] <= '9') ++n;
  return n;
}

constexpr int kFirstYear = 1970;  // years written in a date ("dec 3 2027")
constexpr int kLastYear = 2999;
constexpr int kMaxYearsAhead = 8;  // Feb 29 recurs within eight years

local_days MakeDay(int year, int month, int day) {
  return local_days{std::chrono::year{year} / std::chrono::month(static_cast<unsigned>(month)) /
                    std::chrono::day(static_cast<unsigned>(day))};
}

bool IsValidDate(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 &&
         day <=
             DaysInMonth(std::chrono::year{year}, std::chrono::month(static_cast<unsigned>(month)));
}

int YearOf(local_days day) { return static_cast<int>(std::chrono::year_month_day{day}.year()); }

// The first `month`/`day` on or after today: "jan 5" said in November is next
// January; "feb 29" waits for a leap year.
std::optional<local_days> NextMonthDay(const Today& today, int month, int day) {
  const int year = YearOf(today.today);
  for (int y = year; y <= year + kMaxYearsAhead; ++y) {
    if (IsValidDate(y, month, day) && MakeDay(y, month, day) >= today.today) {
      return MakeDay(y, month, day);
    }
  }
  return std::nullopt;
}

std::optional<local_days> ResolveMonthDay(const Today& today, const MonthDay& md) {
  if (md.year) {
    if (!IsValidDate(*md.year, md.month, md.day)) return std::nullopt;
    return MakeDay(*md.year, md.month, md.day);
  }
  return NextMonthDay(today, md.month, md.day);
}

std::optional<bool> ReadMeridiem(TokenCursor& cursor) {
  TokenCursor c = cursor;
  const Token* t = c.Peek();
  if (!IsWordToken(t)) return std::nullopt;
  std::optional<bool> pm;
  if (t->lower == "am" || t->lower == "pm") {
    pm = t->lower == "pm";
    c.Take();
  } else if (t->lower == "a" || t->lower == "p") {  // "a.m.", "p.m."
    pm = t->lower == "p";
    c.Take();
    if (!c.TakeAdjacentPunct('.') || c.PeekAdjacent() == nullptr || !c.TakeWord("m")) {
      return std::nullopt;
    }
    c.TakeAdjacentPunct('.');
  } else {
    return std::nullopt;
  }
  cursor = c;
  return pm;
}

std::optional<bool> MeridiemOf(std::string_view suffix) {
  if (suffix == "am") return false;
  if (suffix == "pm") return true;
  return std::nullopt;
}

bool IsPmPart(DayPart part) {
  return part == DayPart::kAfternoon || part == DayPart::kEvening || part == DayPart::kNight;
}

// "at 5" has no am/pm: the part of the day decides when there is one, else
// the waking-hours reading (8..12 in the morning, 1..7 in the afternoon).
int BareHour(int hour, DayPart hint) {
  if (hint == DayPart::kMorning) return hour;
  if (IsPmPart(hint)) return hour >= 1 && hour <= 11 ? hour + 12 : hour;
  constexpr int kLastAfternoonHour = 7;
  return hour >= 1 && hour <= kLastAfternoonHour ? hour + 12 : hour;
}

// ":30", ":30pm", and with a dot ".30" after "at".
struct Minutes {
  int value = 0;
  std::optional<bool> pm;
};
std::optional<Minutes> ReadMinutes(TokenCursor& c) {
  const Token* t = c.PeekAdjacent();
  if (!IsWordToken(t) || LeadingDigits(*t) != 2) return std::nullopt;
  const NumberWithSuffix parts = SplitNumber(*t);
  constexpr int kMaxMinute = 59;
  if (parts.number > kMaxMinute) return std::nullopt;
  Minutes m{parts.number, MeridiemOf(parts.suffix)};
  if (!parts.suffix.empty() && !m.pm) return std::nullopt;
  c.Take();
  return m;
}

// "tomorrow morning", "friday in the evening".
DayPart ReadDayPart(TokenCursor& cursor) {
  TokenCursor c = cursor;
  if (c.TakeWord("in") && !c.TakeWord("the")) return DayPart::kNone;
  const std::optional<DayPart> part = DayPartOf(c.Peek());
  if (!part) return DayPart::kNone;
  c.Take();
  cursor = c;
  return *part;
}

DatePhrase DayPhrase(local_days day, DayPart part = DayPart::kNone) {
  DatePhrase phrase;
  phrase.day = day;
  phrase.part = part;
  return phrase;
}

// The next `weekday` from today, today included.
local_days NextWeekday(local_days today, unsigned weekday) {
  const unsigned now = WeekdayIndex(today);
  return today + days{(weekday + 7 - now) % 7};
}

local_days MondayOfWeek(local_days day) {
  return day - days{(WeekdayIndex(day) + 6) % 7};  // weeks start on Monday
}

local_days LastDayOfMonth(local_days day) {
  const std::chrono::year_month_day ymd{day};
  return local_days{ymd.year() / ymd.month() / std::chrono::last};
}

std::optional<DatePhrase> ReadNamedDay(TokenCursor& cursor, const Today& t) {
  TokenCursor c = cursor;
  std::optional<DatePhrase> phrase;
  if (c.TakeWord("today")) {
    phrase = DayPhrase(t.today);
  } else if (c.TakeWord("tonight")) {
    phrase = DayPhrase(t.today, DayPart::kNight);
  } else if (c.TakeAnyWord({"tomorrow", "tmrw", "tmr"})) {
    phrase = DayPhrase(t.today + days{1});
  } else {  // "(the) day after tomorrow"
    c.TakeWord("the");
    if (c.TakeWord("day") && c.TakeWord("after") && c.TakeWord("tomorrow")) {
      phrase = DayPhrase(t.today + days{2});
    }
  }
  if (phrase) cursor = c;
  return phrase;
}

// "this weekend", "this morning", "next week", "next month", "next year".
std::optional<DatePhrase> ReadThisOrNext(TokenCursor& cursor, const Today& t) {
  TokenCursor c = cursor;
  const local_days monday = MondayOfWeek(t.today);
  const local_days saturday = monday + days{5};
  std::optional<DatePhrase> phrase;
  if (c.TakeWord("this")) {
    if (c.TakeWord("weekend")) {
      phrase = DayPhrase(WeekdayIndex(t.today) == 0 ? t.today : saturday);
    } else if (const std::optional<DayPart> part = DayPartOf(c.Peek())) {
      c.Take();
      phrase = DayPhrase(t.today, *part);
    }
  } else if (c.TakeWord("next")) {
    const std::chrono::year_month_day ymd{t.today};
    if (c.TakeWord("week")) {
      phrase = DayPhrase(monday + days{7});
    } else if (c.TakeWord("weekend")) {
      phrase = DayPhrase(saturday + days{7});
    } else if (c.TakeWord("month")) {
      phrase = DayPhrase(local_days{(ymd.year() / ymd.month() / 1) + std::chrono::months{1}});
    } else if (c.TakeWord("year")) {
      phrase = DayPhrase(local_days{(ymd.year() + std::chrono::years{1}) / 1 / 1});
    }
  }
  if (phrase) cursor = c;
  return phrase;
}

// "end of week" (Friday), "the end of the month", "end of next month".
std::optional<DatePhrase> ReadEndOf(TokenCursor& cursor, const Today& t) {
  TokenCursor c = cursor;
  c.TakeWord("the");
  if (!c.TakeWord("end") || !c.TakeWord("of")) return std::nullopt;
  const bool next = c.TakeWord("next");
  if (!next && !c.TakeWord("this")) c.TakeWord("the");
  constexpr unsigned kFriday = 5;
  std::optional<DatePhrase> phrase;
  if (c.TakeWord("week")) {
    phrase = DayPhrase(next ? MondayOfWeek(t.today) + days{7 + kFriday - 1}
                            : NextWeekday(t.today, kFriday));
  } else if (c.TakeWord("month")) {
    phrase = DayPhrase(LastDayOfMonth(next ? AddMonths(t.today, 1) : t.today));
  } else if (c.TakeWord("year")) {
    phrase = DayPhrase(MakeDay(YearOf(t.today) + (next ? 1 : 0), 12, 31));
  }
  if (phrase) cursor = c;
  return phrase;
}

// "friday", "this friday", "on sat"; "next friday" is the Friday of next week.
std::optional<DatePhrase> ReadWeekday(TokenCursor& cursor, const Today& t, bool prefixed) {
  TokenCursor c = cursor;
  const bool next = c.TakeWord("next");
  const bool keyword = next || c.TakeWord("this");
  const Token* name = c.Peek();
  if (name == nullptr) return std::nullopt;
  const std::optional<unsigned> weekday = WeekdayOf(*name, prefixed || keyword);
  if (!weekday) return std::nullopt;
  c.Take();
  DatePhrase phrase;
  if (next) {
    phrase = DayPhrase(MondayOfWeek(t.today) + days{7 + (*weekday + 6) % 7});
  } else {
    phrase = DayPhrase(NextWeekday(t.today, *weekday));
    phrase.weekly_roll = true;
  }
  cursor = c;
  return phrase;
}

// Offsets beyond a century are typos or fuzz, not plans.
constexpr int kMaxRelativeYears = 100;

std::optional<DatePhrase> OffsetFromNow(const Today& t, const Duration& d) {
  const long long count = d.count;
  switch (d.unit) {
    case Unit::kMinute:
    case Unit::kHour: {
      const std::optional<int> total = DurationMinutes(d);
      if (!total) return std::nullopt;
      DatePhrase phrase;
      phrase.kind = DatePhrase::Kind::kInstant;
      phrase.instant = std::chrono::floor<minutes>(t.now) + minutes{*total};
      return phrase;
    }
    case Unit::kDay:
      if (count > kMaxRelativeYears * 366) return std::nullopt;
      return DayPhrase(t.today + days{count});
    case Unit::kWeek:
      if (count > kMaxRelativeYears * 53) return std::nullopt;
      return DayPhrase(t.today + days{7 * count});
    case Unit::kMonth:
      if (count > kMaxRelativeYears * 12) return std::nullopt;
      return DayPhrase(AddMonths(t.today, static_cast<int>(count)));
    case Unit::kYear:
      if (count > kMaxRelativeYears) return std::nullopt;
      return DayPhrase(AddMonths(t.today, static_cast<int>(12 * count)));
  }
  return std::nullopt;
}

// "in 3 days", "in 2 hours", "in a week", "3 days from now".
std::optional<DatePhrase> ReadRelative(TokenCursor& cursor, const Today& t) {
  TokenCursor c = cursor;
  std::optional<Duration> duration;
  if (c.TakeWord("in")) {
    duration = ReadDuration(c);
  } else {
    duration = ReadDuration(c);
    if (duration && !(c.TakeWord("from") && c.TakeWord("now"))) duration.reset();
  }
  if (!duration) return std::nullopt;
  std::optional<DatePhrase> phrase = OffsetFromNow(t, *duration);
  if (phrase) cursor = c;
  return phrase;
}

std::optional<DatePhrase> ReadCalendarDate(TokenCursor& cursor, const Today& t) {
  TokenCursor c = cursor;
  const std::optional<MonthDay> md = ReadMonthDay(c);
  if (!md) return std::nullopt;
  const std::optional<local_days> day = ResolveMonthDay(t, *md);
  if (!day) return std::nullopt;
  cursor = c;
  return DayPhrase(*day);
}

// A number token of `min_digits`..`max_digits` digits glued to the previous token.
const Token* TakeAdjacentNumber(TokenCursor& c, std::size_t min_digits, std::size_t max_digits) {
  const Token* t = c.PeekAdjacent();
  if (t == nullptr || t->number < 0 || t->lower.size() < min_digits ||
      t->lower.size() > max_digits) {
    return nullptr;
  }
  return c.Take();
}

// "2027-12-03".
std::optional<MonthDay> ReadIsoDate(TokenCursor& cursor) {
  TokenCursor c = cursor;
  const Token* year = c.Peek();
  if (year == nullptr || year->number < 0 || year->lower.size() != 4) return std::nullopt;
  c.Take();
  if (!c.TakeAdjacentPunct('-')) return std::nullopt;
  const Token* month = TakeAdjacentNumber(c, 1, 2);
  if (month == nullptr || !c.TakeAdjacentPunct('-')) return std::nullopt;
  const Token* day = TakeAdjacentNumber(c, 1, 2);
  if (day == nullptr) return std::nullopt;
  cursor = c;
  return MonthDay{month->number, day->number, year->number};
}

// "3/12" and "3/12/2027" or "3/12/27", read in the user's date order.
bool IsCommonFraction(int numerator, int denominator) {
  return (numerator == 1 && denominator >= 2 && denominator <= 4) ||
         (numerator == 2 && denominator == 3) || (numerator == 3 && denominator == 4);
}

std::optional<MonthDay> ReadSlashDate(TokenCursor& cursor, DateOrder order, bool prefixed) {
  TokenCursor c = cursor;
  const Token* first = c.Peek();
  if (first == nullptr || first->number < 0 || first->lower.size() > 2) return std::nullopt;
  c.Take();
  if (!c.TakeAdjacentPunct('/')) return std::nullopt;
  const Token* second = TakeAdjacentNumber(c, 1, 2);
  if (second == nullptr) return std::nullopt;
  std::optional<int> year;
  TokenCursor with_year = c;
  if (with_year.TakeAdjacentPunct('/')) {
    const Token* y = TakeAdjacentNumber(with_year, 2, 4);
    if (y == nullptr || y->lower.size() == 3) return std::nullopt;
    constexpr int kCentury = 2000;  // "27" is 2027
    year = y->lower.size() == 2 ? kCentury + y->number : y->number;
    c = with_year;
  }
  // "24/7" is round-the-clock, not the 24th of July.
  if (!year && first->number == 24 && second->number == 7) return std::nullopt;
  // "1/2 cup": a common fraction is a date only after on/by/due.
  if (!year && !prefixed && IsCommonFraction(first->number, second->number)) return std::nullopt;
  MonthDay md = order == DateOrder::kMonthDay ? MonthDay{first->number, second->number, year}
                                              : MonthDay{second->number, first->number, year};
  cursor = c;
  return md;
}

std::optional<DatePhrase> ReadNumericDate(TokenCursor& cursor, const Today& t, bool prefixed) {
  TokenCursor c = cursor;
  std::optional<MonthDay> md = ReadIsoDate(c);
  if (!md) md = ReadSlashDate(c, t.date_order, prefixed);
  if (!md || (md->year && (*md->year < kFirstYear || *md->year > kLastYear))) return std::nullopt;
  const std::optional<local_days> day = ResolveMonthDay(t, *md);
  if (!day) return std::nullopt;
  cursor = c;
  return DayPhrase(*day);
}

// "on the 15th": this month's, or the next month that has that day.
std::optional<DatePhrase> ReadOrdinalDay(TokenCursor& cursor, const Today& t) {
  TokenCursor c = cursor;
  c.TakeWord("the");
  const Token* ordinal = c.Peek();
  if (ordinal == nullptr) return std::nullopt;
  const std::optional<int> day = NumericOrdinalOf(*ordinal);
  if (!day) return std::nullopt;
  c.Take();
  // "on the 2nd monday" names a weekday of the month, not the 2nd.
  if (c.Peek() != nullptr && WeekdayOf(*c.Peek(), true)) return std::nullopt;
  const std::chrono::year_month_day ymd{t.today};
  constexpr int kMonthsToSearch = 12;
  for (int i = 0; i <= kMonthsToSearch; ++i) {
    const std::chrono::year_month ym = ymd.year() / ymd.month() + std::chrono::months{i};
    const int y = static_cast<int>(ym.year());
    const int m = static_cast<int>(static_cast<unsigned>(ym.month()));
    if (IsValidDate(y, m, *day) && MakeDay(y, m, *day) >= t.today) {
      cursor = c;
      return DayPhrase(MakeDay(y, m, *day));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<DayPart> DayPartOf(const Token* t) {
  if (!IsWordToken(t)) return std::nullopt;
  if (t->lower == "morning") return DayPart::kMorning;
  if (t->lower == "afternoon") return DayPart::kAfternoon;
  if (t->lower == "evening") return DayPart::kEvening;
  if (t->lower == "night") return DayPart::kNight;
  return std::nullopt;
}

int DayPartMinutes(DayPart part) {
  switch (part) {
    case DayPart::kMorning:
      return 9 * 60;
    case DayPart::kAfternoon:
      return 15 * 60;
    case DayPart::kEvening:
      return 19 * 60;
    case DayPart::kNight:
      return 20 * 60;
    case DayPart::kNone:
      break;
  }
  return 0;
}

int DaysInMonth(std::chrono::year year, std::chrono::month month) {
  return static_cast<int>(static_cast<unsigned>((year / month / std::chrono::last).day()));
}

unsigned WeekdayIndex(local_days day) { return std::chrono::weekday{day}.c_encoding(); }

local_days AddMonths(local_days day, int months) {
  const std::chrono::year_month_day ymd{day};
  const std::chrono::year_month ym = ymd.year() / ymd.month() + std::chrono::months{months};
  const unsigned last = static_cast<unsigned>((ym / std::chrono::last).day());
  const unsigned d = std::min(static_cast<unsigned>(ymd.day()), last);
  return local_days{ym / std::chrono::day(d)};
}

std::optional<unsigned> WeekdayOf(const Token& token, bool allow_ambiguous) {
  if (token.kind != TokenKind::kWord) return std::nullopt;
  std::optional<int> w = Lookup(kWeekdays, token.lower);
  if (!w && allow_ambiguous) w = Lookup(kAmbiguousWeekdays, token.lower);
  if (!w) return std::nullopt;
  return static_cast<unsigned>(*w);
}

std::optional<unsigned> PluralWeekdayOf(const Token& token) {
  if (token.kind != TokenKind::kWord) return std::nullopt;
  const std::optional<int> w = Lookup(kPluralWeekdays, token.lower);
  if (!w) return std::nullopt;
  return static_cast<unsigned>(*w);
}

std::optional<unsigned> MonthOf(const Token& token) {
  if (token.kind != TokenKind::kWord) return std::nullopt;
  const std::optional<int> m = Lookup(kMonths, token.lower);
  if (!m) return std::nullopt;
  return static_cast<unsigned>(*m);
}

std::optional<int> NumericOrdinalOf(const Token& token) {
  const NumberWithSuffix parts = SplitNumber(token);
  if (parts.suffix != "st" && parts.suffix != "nd" && parts.suffix != "rd" &&
      parts.suffix != "th") {
    return std::nullopt;
  }
  if (parts.number < 1 || parts.number > 31 || LeadingDigits(token) > 2) return std::nullopt;
  return parts.number;
}

std::optional<int> WeekOrdinalOf(const Token& token) {
  if (token.kind != TokenKind::kWord) return std::nullopt;
  if (const std::optional<int> word = Lookup(kWeekOrdinals, token.lower)) return word;
  const std::optional<int> n = NumericOrdinalOf(token);
  constexpr int kMaxWeekOfMonth = 5;
  if (n && *n <= kMaxWeekOfMonth) return n;
  return std::nullopt;
}

std::optional<int> ReadCount(TokenCursor& cursor, int max) {
  const Token* t = cursor.Peek();
  if (!IsWordToken(t)) return std::nullopt;
  std::optional<int> count;
  if (t->number >= 0) {
    count = t->number;
  } else {
    count = Lookup(kCounts, t->lower);
  }
  if (!count || *count < 1 || *count > max) return std::nullopt;
  cursor.Take();
  return count;
}

std::optional<MonthDay> ReadMonthDay(TokenCursor& cursor) {
  TokenCursor c = cursor;
  MonthDay md;
  const Token* first = c.Peek();
  if (first == nullptr) return std::nullopt;
  auto day_of = [](const Token* t, bool allow_plain) -> std::optional<int> {
    if (t == nullptr) return std::nullopt;
    if (const std::optional<int> ordinal = NumericOrdinalOf(*t)) return ordinal;
    if (allow_plain && t->number >= 1 && t->number <= 31 && t->lower.size() <= 2) {
      return t->number;
    }
    return std::nullopt;
  };
  if (const std::optional<unsigned> month = MonthOf(*first)) {  // "dec 3", "december the 3rd"
    c.Take();
    const bool the = c.TakeWord("the");
    const std::optional<int> day = day_of(c.Peek(), !the);
    if (!day) return std::nullopt;
    c.Take();
    md = {static_cast<int>(*month), *day, std::nullopt};
  } else {  // "3 dec", "3rd of december", "the 3rd of december"
    const bool the = c.TakeWord("the");
    const Token* day_token = c.Peek();
    const std::optional<int> day = day_of(day_token, !the);
    if (!day) return std::nullopt;
    c.Take();
    const bool ordinal = NumericOrdinalOf(*day_token).has_value();
    if (ordinal) c.TakeWord("of");
    const Token* month_token = c.Peek();
    const std::optional<unsigned> month_after =
        month_token == nullptr ? std::nullopt : MonthOf(*month_token);
    if (!month_after) return std::nullopt;
    c.Take();
    md = {static_cast<int>(*month_after), *day, std::nullopt};
  }
  if (!IsValidDate(2000, md.month, md.day)) return std::nullopt;  // 2000: Feb 29 exists
  TokenCursor with_year = c;
  with_year.TakePunct(',');
  const Token* year = with_year.Peek();
  if (year != nullptr && year->number >= kFirstYear && year->number <= kLastYear &&
      year->lower.size() == 4) {
    with_year.Take();
    md.year = year->number;
    c = with_year;
  }
  cursor = c;
  return md;
}

std::optional<int> ReadTime(TokenCursor& cursor, const TimeOptions& options) {
  TokenCursor c = cursor;
  const Token* t = c.Peek();
  if (!IsWordToken(t)) return std::nullopt;
  if (t->lower == "noon" || t->lower == "midday") {
    c.Take();
    cursor = c;
    return 12 * 60;
  }
  if (t->lower == "midnight") {
    c.Take();
    cursor = c;
    return 0;
  }
  const NumberWithSuffix parts = SplitNumber(*t);
  if (parts.number < 0 || LeadingDigits(*t) > 2) return std::nullopt;
  c.Take();
  int hour = parts.number;
  std::optional<bool> pm = MeridiemOf(parts.suffix);
  if (!parts.suffix.empty() && !pm) return std::nullopt;
  std::optional<Minutes> minute;
  if (!pm) {
    TokenCursor m = c;
    if (m.TakeAdjacentPunct(':') || (options.allow_bare_hour && m.TakeAdjacentPunct('.'))) {
      minute = ReadMinutes(m);
      if (!minute) return std::nullopt;  // "17:" or "17:5" is no time
      c = m;
      pm = minute->pm;
    }
    if (!pm) pm = ReadMeridiem(c);
  }
  constexpr int kMaxHour = 23;
  if (pm) {
    if (hour < 1 || hour > 12) return std::nullopt;
    hour = hour % 12 + (*pm ? 12 : 0);
  } else if (minute) {
    if (hour > kMaxHour) return std::nullopt;
    if (IsPmPart(options.hint) && hour >= 1 && hour <= 11) hour += 12;
  } else {
    if (!options.allow_bare_hour || hour > kMaxHour) return std::nullopt;
    hour = BareHour(hour, options.hint);
  }
  cursor = c;
  return hour * 60 + (minute ? minute->value : 0);
}

std::optional<Duration> ReadDuration(TokenCursor& cursor) {
  TokenCursor c = cursor;
  if (c.TakeWord("half")) {  // "half an hour"
    if (c.TakeAnyWord({"an", "a"}) && c.TakeWord("hour")) {
      cursor = c;
      return Duration{30, Unit::kMinute};
    }
    return std::nullopt;
  }
  constexpr int kMaxCount = 999'999;
  const Token* t = c.Peek();
  if (!IsWordToken(t)) return std::nullopt;
  const NumberWithSuffix parts = SplitNumber(*t);
  if (parts.number >= 1 && parts.number <= kMaxCount && !parts.suffix.empty()) {
    const std::optional<Unit> unit = LookupUnit(kCompactUnits, parts.suffix);
    if (!unit) return std::nullopt;
    c.Take();
    cursor = c;
    return Duration{parts.number, *unit};
  }
  const std::optional<int> count = ReadCount(c, kMaxCount);
  if (!count) return std::nullopt;
  const Token* unit_token = c.Peek();
  if (!IsWordToken(unit_token)) return std::nullopt;
  const std::optional<Unit> unit = LookupUnit(kUnits, unit_token->lower);
  if (!unit) return std::nullopt;
  c.Take();
  cursor = c;
  return Duration{*count, *unit};
}

std::optional<int> DurationMinutes(const Duration& duration) {
  long long per_unit = 0;
  switch (duration.unit) {
    case Unit::kMinute:
      per_unit = 1;
      break;
    case Unit::kHour:
      per_unit = 60;
      break;
    case Unit::kDay:
      per_unit = kMinutesPerDay;
      break;
    case Unit::kWeek:
      per_unit = 7LL * kMinutesPerDay;
      break;
    case Unit::kMonth:
    case Unit::kYear:
      return std::nullopt;
  }
  const long long total = per_unit * duration.count;
  constexpr long long kMaxMinutes = 100LL * 366 * kMinutesPerDay;
  if (total > kMaxMinutes) return std::nullopt;
  return static_cast<int>(total);
}

std::optional<DatePhrase> ReadDate(TokenCursor& cursor, const Today& today, bool prefixed) {
  TokenCursor c = cursor;
  std::optional<DatePhrase> phrase = ReadNamedDay(c, today);
  if (!phrase) phrase = ReadThisOrNext(c, today);
  if (!phrase) phrase = ReadEndOf(c, today);
  if (!phrase) phrase = ReadWeekday(c, today, prefixed);
  if (!phrase) phrase = ReadRelative(c, today);
  if (!phrase) phrase = ReadCalendarDate(c, today);
  if (!phrase) phrase = ReadNumericDate(c, today, prefixed);
  if (!phrase && prefixed) phrase = ReadOrdinalDay(c, today);
  if (!phrase) return std::nullopt;
  if (phrase->kind == DatePhrase::Kind::kDay && phrase->part == DayPart::kNone) {
    phrase->part = ReadDayPart(c);
  }
  cursor = c;
  return phrase;
}

}  // namespace taskflow::quick_add
