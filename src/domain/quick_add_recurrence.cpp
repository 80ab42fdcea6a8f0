// Readers for recurrence phrases and the calendar rules of the schedules they
// describe (see quick_add.cpp for the rules and why).
#include <array>
#include <bit>
#include <string>

#include "domain/quick_add_grammar.hpp"

namespace taskflow::quick_add {
namespace {

using std::chrono::year_month_day;

constexpr int kMaxInterval = 999;
constexpr unsigned kWeekdayMask = 0b0111110;  // Monday..Friday
constexpr unsigned kSaturday = 6;
constexpr std::array<std::string_view, 7> kRRuleDays = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

unsigned Bit(unsigned weekday) { return 1U << weekday; }

RecurrencePhrase Every(Frequency frequency, int interval = 1) {
  RecurrencePhrase phrase;
  phrase.frequency = frequency;
  phrase.interval = interval;
  return phrase;
}

// "monday", "mon, wed and fri", "tuesday & thursday": a weekday mask.
std::optional<unsigned> ReadWeekdayList(TokenCursor& cursor,
                                        std::optional<unsigned> (*weekday_of)(const Token&)) {
  TokenCursor c = cursor;
  const Token* first = c.Peek();
  if (first == nullptr) return std::nullopt;
  const std::optional<unsigned> w = weekday_of(*first);
  if (!w) return std::nullopt;
  c.Take();
  unsigned mask = Bit(*w);
  for (int i = 0; i < 7; ++i) {  // a week has seven days; stop there
    TokenCursor next = c;
    const bool comma = next.TakePunct(',');
    const bool joined = next.TakeWord("and") || next.TakePunct('&');
    if (!comma && !joined) break;
    const Token* t = next.Peek();
    const std::optional<unsigned> more = t == nullptr ? std::nullopt : weekday_of(*t);
    if (!more) break;
    next.Take();
    mask |= Bit(*more);
    c = next;
  }
  cursor = c;
  return mask;
}

std::optional<unsigned> AnyWeekdayOf(const Token& t) { return WeekdayOf(t, true); }

// "on monday and friday" after "every week".
void ReadWeeklyDays(TokenCursor& cursor, RecurrencePhrase& phrase) {
  TokenCursor c = cursor;
  if (!c.TakeWord("on")) return;
  if (const std::optional<unsigned> mask = ReadWeekdayList(c, AnyWeekdayOf)) {
    phrase.weekdays = *mask;
    cursor = c;
  }
}

// ", 15th", " and 15th" after "1st": several days of the month.
void ReadMoreMonthDays(TokenCursor& cursor, RecurrencePhrase& phrase) {
  unsigned mask = 1U << phrase.month_day;
  constexpr int kMaxDays = 31;
  for (int i = 0; i < kMaxDays; ++i) {
    TokenCursor next = cursor;
    const bool comma = next.TakePunct(',');
    const bool joined = next.TakeWord("and") || next.TakePunct('&');
    if (!comma && !joined) break;
    next.TakeWord("the");
    const Token* t = next.Peek();
    const std::optional<int> day = t == nullptr ? std::nullopt : NumericOrdinalOf(*t);
    const Token* after = next.Peek(1);
    if (!day || (after != nullptr && WeekdayOf(*after, true))) break;  // "3rd monday"
    next.Take();
    mask |= 1U << *day;
    cursor = next;
  }
  if (std::popcount(mask) > 1) phrase.month_days = mask;
}

unsigned NthBit(int nth) { return nth > 0 ? 1U << nth : 1U; }  // bit 0: the last

// "2nd tuesday", "first and third monday", "1st, 3rd and last friday".
bool ReadNthWeekdays(TokenCursor& cursor, RecurrencePhrase& phrase) {
  TokenCursor c = cursor;
  unsigned nths = 0;
  constexpr int kMaxOrdinals = 6;  // 1st..5th and last
  for (int i = 0; i < kMaxOrdinals; ++i) {
    TokenCursor next = c;
    if (i > 0) {
      const bool comma = next.TakePunct(',');
      const bool joined = next.TakeWord("and") || next.TakePunct('&');
      if (!comma && !joined) break;
    }
    const Token* t = next.Peek();
    const std::optional<int> nth = t == nullptr ? std::nullopt : WeekOrdinalOf(*t);
    if (!nth) break;
    next.Take();
    nths |= NthBit(*nth);
    c = next;
  }
  const Token* day = c.Peek();
  const std::optional<unsigned> weekday = day == nullptr ? std::nullopt : WeekdayOf(*day, true);
  if (nths == 0 || !weekday) return false;
  c.Take();
  phrase.nths = nths;
  phrase.nth_weekday = static_cast<int>(*weekday);
  cursor = c;
  return true;
}

// "the 15th", "15th", "the last day", "the last friday", "the 2nd tuesday",
// "the first monday": which day of the month.
bool ReadDayOfMonthSpec(TokenCursor& cursor, RecurrencePhrase& phrase) {
  TokenCursor c = cursor;
  c.TakeWord("the");
  const Token* t = c.Peek();
  if (t == nullptr) return false;
  if (c.AtWord("last") && c.AtWord("day", 1)) {
    c.Take();
    c.Take();
    phrase.month_day = -1;
  } else if (ReadNthWeekdays(c, phrase)) {
    // "1st and 3rd monday", "last friday"
  } else if (const std::optional<int> day = NumericOrdinalOf(*t)) {
    phrase.month_day = *day;
    c.Take();
    ReadMoreMonthDays(c, phrase);
  } else {
    return false;
  }
  cursor = c;
  return true;
}

// "of every month", "of each month", and with `allow_the` "of the month".
bool ReadOfMonth(TokenCursor& cursor, bool allow_the) {
  TokenCursor c = cursor;
  if (!c.TakeWord("of")) return false;
  if (!c.TakeAnyWord({"every", "each"}) && !(allow_the && c.TakeWord("the"))) return false;
  if (!c.TakeWord("month")) return false;
  cursor = c;
  return true;
}

// A day-of-month spec with an optional " of the month" after it.
bool ReadDayOfMonth(TokenCursor& cursor, RecurrencePhrase& phrase) {
  if (!ReadDayOfMonthSpec(cursor, phrase)) return false;
  ReadOfMonth(cursor, true);
  return true;
}

// "on the 15th" after "every month".
void ReadMonthlyDay(TokenCursor& cursor, RecurrencePhrase& phrase) {
  TokenCursor c = cursor;
  if (c.TakeWord("on") && ReadDayOfMonth(c, phrase)) cursor = c;
}

// "on jan 5" after "every year"; a year in it is not part of a yearly rule.
void ReadYearlyDay(TokenCursor& cursor, RecurrencePhrase& phrase) {
  TokenCursor c = cursor;
  if (!c.TakeWord("on")) return;
  const std::optional<MonthDay> md = ReadMonthDay(c);
  if (!md || md->year) return;
  phrase.month = md->month;
  phrase.day = md->day;
  cursor = c;
}

std::optional<Frequency> FrequencyOfUnit(const Token* t) {
  if (t == nullptr || t->kind != TokenKind::kWord) return std::nullopt;
  const std::string& w = t->lower;
  if (w == "hour" || w == "hours") return Frequency::kHourly;
  if (w == "day" || w == "days") return Frequency::kDaily;
  if (w == "week" || w == "weeks") return Frequency::kWeekly;
  if (w == "month" || w == "months") return Frequency::kMonthly;
  if (w == "year" || w == "years") return Frequency::kYearly;
  return std::nullopt;
}

// "week on monday", "month on the 15th", "year on jan 5", or just the unit.
std::optional<RecurrencePhrase> ReadUnit(TokenCursor& cursor, int interval) {
  TokenCursor c = cursor;
  const std::optional<Frequency> frequency = FrequencyOfUnit(c.Peek());
  if (!frequency) return std::nullopt;
  c.Take();
  RecurrencePhrase phrase = Every(*frequency, interval);
  if (*frequency == Frequency::kWeekly) ReadWeeklyDays(c, phrase);
  if (*frequency == Frequency::kMonthly) ReadMonthlyDay(c, phrase);
  if (*frequency == Frequency::kYearly) ReadYearlyDay(c, phrase);
  cursor = c;
  return phrase;
}

// "weekday", "weekend", "morning": single words after "every".
std::optional<RecurrencePhrase> ReadEveryWord(TokenCursor& cursor) {
  TokenCursor c = cursor;
  std::optional<RecurrencePhrase> phrase;
  if (c.TakeAnyWord({"weekday", "weekdays", "workday", "workdays"})) {
    phrase = Every(Frequency::kWeekly);
    phrase->weekdays = kWeekdayMask;
  } else if (c.TakeAnyWord({"weekend", "weekends"})) {
    phrase = Every(Frequency::kWeekly);  // Todoist: every weekend is every Saturday
    phrase->weekdays = Bit(kSaturday);
  } else if (const std::optional<DayPart> part = DayPartOf(c.Peek())) {
    c.Take();
    phrase = Every(Frequency::kDaily);
    phrase->part = *part;
  }
  if (phrase) cursor = c;
  return phrase;
}

// "other week", "other monday": every second one.
std::optional<RecurrencePhrase> ReadOther(TokenCursor& cursor) {
  TokenCursor c = cursor;
  if (!c.TakeWord("other")) return std::nullopt;
  std::optional<RecurrencePhrase> phrase = ReadUnit(c, 2);
  if (!phrase) {
    const std::optional<unsigned> mask = ReadWeekdayList(c, AnyWeekdayOf);
    if (!mask) return std::nullopt;
    phrase = Every(Frequency::kWeekly, 2);
    phrase->weekdays = *mask;
  }
  cursor = c;
  return phrase;
}

// "3 days", "2 weeks on friday", "6 months".
std::optional<RecurrencePhrase> ReadCountedUnit(TokenCursor& cursor) {
  TokenCursor c = cursor;
  const std::optional<int> n = ReadCount(c, kMaxInterval);
  if (!n) return std::nullopt;
  std::optional<RecurrencePhrase> phrase = ReadUnit(c, *n);
  if (phrase) cursor = c;
  return phrase;
}

// "2nd week", "third day": an interval written as an ordinal (a singular unit
// after it, so "2nd tuesday" stays a day of the month).
std::optional<RecurrencePhrase> ReadOrdinalUnit(TokenCursor& cursor) {
  TokenCursor c = cursor;
  const Token* t = c.Peek();
  if (t == nullptr) return std::nullopt;
  std::optional<int> n = NumericOrdinalOf(*t);
  if (!n) n = WeekOrdinalOf(*t);
  if (!n || *n < 1) return std::nullopt;
  c.Take();
  const Token* unit = c.Peek();
  if (!FrequencyOfUnit(unit) || unit->lower.back() == 's') return std::nullopt;
  std::optional<RecurrencePhrase> phrase = ReadUnit(c, *n);
  if (phrase) cursor = c;
  return phrase;
}

RecurrencePhrase Yearly(const MonthDay& md) {
  RecurrencePhrase phrase = Every(Frequency::kYearly);
  phrase.month = md.month;
  phrase.day = md.day;
  return phrase;
}

// "15th", "last friday", "1st and 15th" (monthly); "2nd of jan" (yearly).
std::optional<RecurrencePhrase> ReadDayOfMonthOrYear(TokenCursor& cursor) {
  RecurrencePhrase monthly = Every(Frequency::kMonthly);
  TokenCursor day = cursor;
  if (!ReadDayOfMonth(day, monthly)) return std::nullopt;
  TokenCursor yearly = cursor;
  const std::optional<MonthDay> md = ReadMonthDay(yearly);
  if (md && !md->year && monthly.nths == 0 && yearly.pos() > day.pos()) {
    cursor = yearly;
    return Yearly(*md);
  }
  cursor = day;
  return monthly;
}

// "monday", "mon, wed and fri".
std::optional<RecurrencePhrase> ReadWeekdays(TokenCursor& cursor) {
  const std::optional<unsigned> mask = ReadWeekdayList(cursor, AnyWeekdayOf);
  if (!mask) return std::nullopt;
  RecurrencePhrase phrase = Every(Frequency::kWeekly);
  phrase.weekdays = *mask;
  return phrase;
}

// "jan 5", "5 jan", "december 3rd".
std::optional<RecurrencePhrase> ReadDayOfYear(TokenCursor& cursor) {
  TokenCursor c = cursor;
  const std::optional<MonthDay> md = ReadMonthDay(c);
  if (!md || md->year) return std::nullopt;
  cursor = c;
  return Yearly(*md);
}

// What follows "every": the alternatives from the most specific to the most
// general; each reader leaves the cursor alone unless it succeeds.
std::optional<RecurrencePhrase> ReadEveryBody(TokenCursor& cursor) {
  using Reader = std::optional<RecurrencePhrase> (*)(TokenCursor&);
  static constexpr Reader kReaders[] = {
      ReadEveryWord,   [](TokenCursor& c) { return ReadUnit(c, 1); },
      ReadOther,       ReadCountedUnit,
      ReadOrdinalUnit, ReadDayOfMonthOrYear,
      ReadWeekdays,    ReadDayOfYear,
  };
  for (const Reader read : kReaders) {
    if (std::optional<RecurrencePhrase> phrase = read(cursor)) return phrase;
  }
  return std::nullopt;
}

// "daily", "weekly on monday", "monthly on the 1st", "biweekly", "annually".
std::optional<RecurrencePhrase> ReadFrequencyWord(TokenCursor& cursor) {
  TokenCursor c = cursor;
  std::optional<RecurrencePhrase> phrase;
  if (c.TakeAnyWord({"daily", "everyday"})) {
    phrase = Every(Frequency::kDaily);
  } else if (c.TakeWord("hourly")) {
    phrase = Every(Frequency::kHourly);
  } else if (c.TakeWord("weekly")) {
    phrase = Every(Frequency::kWeekly);
  } else if (c.TakeAnyWord({"biweekly", "fortnightly"})) {
    phrase = Every(Frequency::kWeekly, 2);
  } else if (c.TakeWord("monthly")) {
    phrase = Every(Frequency::kMonthly);
  } else if (c.TakeAnyWord({"yearly", "annually"})) {
    phrase = Every(Frequency::kYearly);
  }
  if (!phrase) return std::nullopt;
  if (phrase->frequency == Frequency::kWeekly) ReadWeeklyDays(c, *phrase);
  if (phrase->frequency == Frequency::kMonthly) ReadMonthlyDay(c, *phrase);
  if (phrase->frequency == Frequency::kYearly) ReadYearlyDay(c, *phrase);
  cursor = c;
  return phrase;
}

// "on mondays", "fridays", "on tuesdays and thursdays", "on weekdays".
std::optional<RecurrencePhrase> ReadPluralWeekdays(TokenCursor& cursor) {
  TokenCursor c = cursor;
  c.TakeWord("on");
  RecurrencePhrase phrase = Every(Frequency::kWeekly);
  if (c.TakeAnyWord({"weekdays", "workdays"})) {
    phrase.weekdays = kWeekdayMask;
  } else if (const std::optional<unsigned> mask = ReadWeekdayList(c, PluralWeekdayOf)) {
    phrase.weekdays = *mask;
  } else {
    return std::nullopt;
  }
  cursor = c;
  return phrase;
}

// "on the 15th of every month", "the first monday of each month".
std::optional<RecurrencePhrase> ReadDayOfEveryMonth(TokenCursor& cursor) {
  TokenCursor c = cursor;
  c.TakeWord("on");
  RecurrencePhrase phrase = Every(Frequency::kMonthly);
  if (!ReadDayOfMonthSpec(c, phrase) || !ReadOfMonth(c, false)) return std::nullopt;
  cursor = c;
  return phrase;
}

int DayOf(local_days day) {
  return static_cast<int>(static_cast<unsigned>(year_month_day{day}.day()));
}
int MonthOfDay(local_days day) {
  return static_cast<int>(static_cast<unsigned>(year_month_day{day}.month()));
}

std::string ByDay(unsigned mask) {
  std::string out;
  for (unsigned i = 1; i <= 7; ++i) {  // RFC 5545 weeks start on Monday
    const unsigned w = i % 7;
    if ((mask & Bit(w)) == 0) continue;
    if (!out.empty()) out += ',';
    out += kRRuleDays[w];
  }
  return out;
}

Recurrence RRule(const RecurrencePhrase& phrase, std::string_view frequency, std::string_view by) {
  Recurrence r;
  r.rule = RecurrenceRule::kRRule;
  r.rrule = "FREQ=" + std::string(frequency);
  if (phrase.interval > 1) r.rrule += ";INTERVAL=" + std::to_string(phrase.interval);
  if (!by.empty()) r.rrule += ";" + std::string(by);
  r.interval = 1;
  return r;
}

Recurrence MonthlyRecurrence(const RecurrencePhrase& phrase, local_days start,
                             local_days first_day) {
  if (phrase.nths != 0) {
    std::string by;
    for (int nth : {1, 2, 3, 4, 5, -1}) {
      if ((phrase.nths & NthBit(nth)) == 0) continue;
      by += (by.empty() ? "BYDAY=" : ",") + std::to_string(nth) +
            std::string(kRRuleDays[phrase.nth_weekday]);
    }
    return RRule(phrase, "MONTHLY", by);
  }
  if (phrase.month_day == -1) return RRule(phrase, "MONTHLY", "BYMONTHDAY=-1");
  if (phrase.month_days != 0) {
    std::string days;
    for (int d = 1; d <= 31; ++d) {
      if ((phrase.month_days & (1U << d)) != 0) {
        days += (days.empty() ? "" : ",") + std::to_string(d);
      }
    }
    return RRule(phrase, "MONTHLY", "BYMONTHDAY=" + days);
  }
  const int wanted = phrase.month_day != 0 ? phrase.month_day : DayOf(start);
  if (DayOf(first_day) == wanted) {
    // The series starts on the wanted day itself, so the plain rule keeps it
    // (and clamps to the last day of shorter months).
    Recurrence r;
    r.rule = RecurrenceRule::kMonthly;
    r.interval = phrase.interval;
    return r;
  }
  // The first month lacks the day ("every month on the 31st" said in
  // November starts on the 30th): spell "the 31st, or the month's last day".
  if (wanted == 31) return RRule(phrase, "MONTHLY", "BYMONTHDAY=-1");
  std::string days;
  for (int d = 28; d <= wanted; ++d) days += (days.empty() ? "" : ",") + std::to_string(d);
  return RRule(phrase, "MONTHLY", "BYMONTHDAY=" + days + ";BYSETPOS=-1");
}

}  // namespace

std::optional<RecurrencePhrase> ReadRecurrence(TokenCursor& cursor) {
  TokenCursor c = cursor;
  std::optional<RecurrencePhrase> phrase;
  if (c.TakeAnyWord({"every", "each"})) {
    const bool completion = c.TakeAdjacentPunct('!');
    phrase = ReadEveryBody(c);
    if (phrase) phrase->from_completion = completion;
  }
  if (!phrase) {
    c = cursor;
    phrase = ReadFrequencyWord(c);
  }
  if (!phrase) {
    c = cursor;
    phrase = ReadPluralWeekdays(c);
  }
  if (!phrase) {
    c = cursor;
    phrase = ReadDayOfEveryMonth(c);
  }
  if (!phrase) return std::nullopt;
  cursor = c;
  return phrase;
}

bool IsScheduledDay(const RecurrencePhrase& phrase, local_days start, local_days day) {
  const year_month_day ymd{day};
  const int last = DaysInMonth(ymd.year(), ymd.month());
  const int d = DayOf(day);
  switch (phrase.frequency) {
    case Frequency::kHourly:
    case Frequency::kDaily:
      return true;
    case Frequency::kWeekly:
      if (phrase.weekdays != 0) return (phrase.weekdays & Bit(WeekdayIndex(day))) != 0;
      return WeekdayIndex(day) == WeekdayIndex(start);
    case Frequency::kMonthly: {
      if (phrase.nths != 0) {
        if (static_cast<int>(WeekdayIndex(day)) != phrase.nth_weekday) return false;
        return (phrase.nths & NthBit((d - 1) / 7 + 1)) != 0 ||
               ((phrase.nths & NthBit(-1)) != 0 && d + 7 > last);
      }
      if (phrase.month_days != 0) return (phrase.month_days & (1U << d)) != 0;
      if (phrase.month_day == -1) return d == last;
      const int wanted = phrase.month_day != 0 ? phrase.month_day : DayOf(start);
      return d == std::min(wanted, last);
    }
    case Frequency::kYearly: {
      const int month = phrase.month != 0 ? phrase.month : MonthOfDay(start);
      const int wanted = phrase.day != 0 ? phrase.day : DayOf(start);
      return MonthOfDay(day) == month && d == std::min(wanted, last);
    }
  }
  return false;
}

Recurrence ToRecurrence(const RecurrencePhrase& phrase, local_days start, local_days first_day) {
  Recurrence r;
  switch (phrase.frequency) {
    case Frequency::kHourly:
      r = RRule(phrase, "HOURLY", "");
      break;
    case Frequency::kDaily:
      r.rule = RecurrenceRule::kDaily;
      r.interval = phrase.interval;
      break;
    case Frequency::kWeekly:
      if (std::popcount(phrase.weekdays) > 1) {
        r = RRule(phrase, "WEEKLY", "BYDAY=" + ByDay(phrase.weekdays));
      } else {
        r.rule = RecurrenceRule::kWeekly;
        r.interval = phrase.interval;
      }
      break;
    case Frequency::kMonthly:
      r = MonthlyRecurrence(phrase, start, first_day);
      break;
    case Frequency::kYearly: {
      const int wanted = phrase.day != 0 ? phrase.day : DayOf(start);
      if (DayOf(first_day) != wanted) {  // Feb 29 in a common year
        r = RRule(phrase, "YEARLY", "BYMONTH=2;BYMONTHDAY=-1");
      } else {
        r.rule = RecurrenceRule::kYearly;
        r.interval = phrase.interval;
      }
      break;
    }
  }
  r.anchor = phrase.from_completion ? RecurrenceAnchor::kCompletion : RecurrenceAnchor::kDue;
  return r;
}

}  // namespace taskflow::quick_add
