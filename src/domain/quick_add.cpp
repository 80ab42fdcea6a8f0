// Natural-language quick add: the rules, in the order the parser applies them.
// docs/quick-add.md tells the same with examples; the phrasing table in
// quick_add_test_phrasings.inc pins every rule down.
//
// Tokens. The line is split into words (ASCII letters and digits and letters
// of any script) and single punctuation marks; white space and control
// characters only separate. A phrase must stand alone: "tomorrow's", "v3/12",
// "5pm-6pm", "17:30:45" and "C#" hold no phrase. Keywords match
// case-insensitively. Spans are byte offsets into the input.
//
// Passes, each over the tokens the earlier ones left:
//   1. tags: "#work", "@home": letters of any script, digits, inner "_" and
//      "-", stopping at any other punctuation; at least one letter, so
//      "#123" (an issue number) stays in the title. "@7pm" is a time.
//      Duplicates (case-insensitively) are kept once, first spelling.
//   2. explicit priorities "p1".."p4", "!!1".."!!4", whole words only.
//   3. "remind me to …" (or "please remind me to …") at the very start: it
//      leaves the title, and when the task gets a due date it also gets a
//      reminder at the due time (before_minutes 0). For the chat agent's
//      "remind me to call mom tomorrow at 6pm".
//   4. reminders: relative "remind me 30 minutes/an hour/1 day/the day before"
//      (at most a year); absolute "remind me at 8am" (on the due day; without
//      a due date today, or tomorrow once 8am has passed), "remind me friday
//      at 9", "remind me tomorrow" (09:00), "remind me in 2 hours".
//   5. recurrence, then its bounds: "starting/from <date>" moves the first
//      occurrence, "until <date>" ends the series after that local day, "for
//      2 weeks" ends it two weeks after the first occurrence.
//   6. dates and times, left to right.
//   7. a bare hour "at 5" or "at 9.30", only right next to a date or
//      recurrence phrase ("tomorrow at 6", "every day at 9"); alone it may be
//      a price or a rating ("sell at 9.30", "rate at 5 stars").
//   8. priority words: "urgent"/"critical" → P1, "high priority" (or
//      "high-priority") → P2, "medium priority" → P3, "low priority" → P4;
//      not after "not"/"no" ("not urgent"), nor glued on ("non-urgent").
// The first phrase of a kind wins; a later conflicting one is not understood
// and stays in the title (a second date, a second time, "p2" after "p1", a
// time after "in 2 hours"). An explicit "p2" beats "urgent"/"critical".
//
// Dates. A date without a time is all-day: due_at is 00:00 local that day.
//   today, tomorrow (tmrw), (the) day after tomorrow, tonight (today 20:00),
//   this morning/afternoon/evening (today 09:00/15:00/19:00). A day followed
//   by morning/afternoon/evening/night takes that time ("tomorrow morning" →
//   09:00, "friday night" → 20:00) unless a time is given, and the part of
//   day then tells how a bare hour reads ("tomorrow evening at 7" → 19:00).
//   A weekday ("friday", "fri", "on sat") is the next one to come, today
//   included — unless a time is given and it has passed today, then a week
//   later ("friday 9am" said on Friday at 10 → next Friday). "mon", "wed",
//   "sat", "sun" are weekdays only after on/by/due/this/next/every. "this
//   friday" is "friday"; "next friday" is the Friday of next week (weeks
//   start on Monday), so it equals "friday" only when said on a weekend.
//   A weekday after "last", "past", "previous" or an ordinal ("the second
//   monday") is not a date.
//   next week → Monday of next week; next month → its 1st; next year → Jan 1;
//   this weekend → Saturday (today on a Sunday); next weekend → Saturday of
//   next week; end of week → Friday (today on a Friday; next Friday on a
//   weekend); end of month/year → its last day; "end of next week/month/
//   year"; "the end of …".
//   "dec 3", "december 3rd", "3 dec", "the 3rd of december", "dec 3, 2027",
//   "2027-12-03", "3/12", "3/12/2027", "3/12/27" (month/day or day/month as
//   the context's date order says). "24/7" is never a date; common fractions
//   (1/2, 1/3, 2/3, 1/4, 3/4) are dates only after on/by/due. Without a year
//   a date already past this year is next year's (today is not past; Feb 29
//   waits for a leap year). A month name without a day is never a date
//   ("meeting about may"), nor is a bare number ("call 911").
//   "on the 15th" (only after on/by/due): this month's, else the next month
//   that has it.
//   "in 3 days/weeks/months/years", "3 days from now" → that local day,
//   all-day (months clamp to the month's end: Jan 31 + 1 month = Feb 28).
//   "in 2 hours", "in 30 minutes", "in half an hour" → exactly then (now
//   truncated to the minute; real elapsed time across DST changes).
// Times: "5pm", "5 pm", "5:30pm", "5:30 p.m.", "17:30", "noon", "midnight"
//   (00:00: the start of that day), optionally after "at", "@" or "by". A
//   time alone is today, or tomorrow once it has passed (a time equal to now
//   has not passed). A bare hour reads as the part of day says, else 8..12
//   as morning and 1..7 as afternoon ("tomorrow at 6" → 18:00); "6:30"
//   without am/pm is read on the 24-hour clock.
// Recurrence. due_at is the first occurrence at or after now (all-day unless
//   a time is given: then today counts only if that time has not passed).
//   every day / daily / everyday / every N days / every other day / every
//   third day; every week / weekly / every N weeks / every 2nd week /
//   biweekly [on monday(, friday)]; every monday; every mon, wed and fri;
//   on mondays; every other monday (weekly, interval 2); every weekday (Mon–
//   Fri); every weekend (Saturday, as Todoist); every month / monthly [on the
//   15th | on the 1st and 15th | on the last day | on the 2nd tuesday];
//   every 15th; every last friday; every 2nd tuesday; every 1st and 3rd
//   monday; "every second tuesday"
//   is the 2nd Tuesday of the month (not every other Tuesday); the 1st of
//   every month; every year / yearly / annually [on jan 5]; every jan 5;
//   every hour / every N hours (from the next full local hour); every
//   morning/afternoon/evening/night (daily at 09:00/15:00/19:00/20:00).
//   "every!" anchors the series on completion (Todoist's syntax).
//   Stored as daily/weekly/monthly/yearly with an interval when the first
//   occurrence carries the anchor (its weekday, day of month, month);
//   otherwise as an RRULE: several weekdays (BYDAY=MO,WE), nth weekdays
//   (BYDAY=2TU; -1FR; 1MO,3MO), several or last days of the month (BYMONTHDAY=1,15;
//   -1), a day the first month lacks ("on the 31st" said in November:
//   BYMONTHDAY=-1; the 30th: BYMONTHDAY=28,29,30;BYSETPOS=-1), Feb 29 in a
//   common year (BYMONTH=2;BYMONTHDAY=-1), and FREQ=HOURLY.
// Title: the text without the understood phrases, white space runs collapsed
//   to one space. At each cut, hanging punctuation (, ; : - . ! & | /) and a
//   hanging "and" go; so do "to"/"for"/"from"/"until"/"till"/"starting"
//   right before a date ("move meeting to friday" → "move meeting") and "to"
//   right after a reminder ("remind me in 2 hours to stretch"); brackets
//   around a phrase go with it ("call bob (tomorrow)"). Everything not
//   understood stays, in its spelling. The title may be empty.
// Zone: the context's IANA zone; an unknown one is read as UTC, and the
//   result's timezone says so. Local times become instants with ResolveLocal:
//   a time in a spring-forward gap moves to the moment the clocks jump, an
//   ambiguous one takes the earlier instant. An instant outside the years
//   0001..9999 resolves to nothing (no due date, no reminder).
//
// Cost: each reader looks a bounded number of tokens ahead, each pass visits
// each token once, and date searches are bounded (two years of days at
// most), so the parse is linear in the input: no regex, no recursion, no
// exceptions of its own. Pure and deterministic given the context.
#include "domain/quick_add.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>
#include <utility>

#include "domain/quick_add_grammar.hpp"
#include "domain/quick_add_lexer.hpp"
#include "domain/text.hpp"
#include "domain/timezone.hpp"
#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

using quick_add::DatePhrase;
using quick_add::DayPart;
using quick_add::local_days;
using quick_add::RecurrencePhrase;
using quick_add::Today;
using quick_add::Token;
using quick_add::TokenCursor;
using quick_add::TokenKind;
using std::chrono::days;

enum class SpanKind { kDate, kTime, kRecurrence, kPriority, kTag, kReminder };

std::string_view KindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kDate:
      return "date";
    case SpanKind::kTime:
      return "time";
    case SpanKind::kRecurrence:
      return "recurrence";
    case SpanKind::kPriority:
      return "priority";
    case SpanKind::kTag:
      return "tag";
    case SpanKind::kReminder:
      return "reminder";
  }
  return "";
}

struct TokenSpan {
  std::size_t first = 0;  // token indices, [first, end)
  std::size_t end = 0;
  SpanKind kind = SpanKind::kDate;
};

struct ReminderPhrase {
  std::optional<int> before_minutes;  // "30 minutes before"
  std::optional<Instant> at;          // "in 2 hours"
  std::optional<local_days> day;      // "friday at 9"
  std::optional<int> minutes;         // time of day
  DayPart part = DayPart::kNone;      // "tomorrow evening"
};

ReminderSpec BeforeDue(int minutes) {
  ReminderSpec spec;
  spec.before_minutes = minutes;
  return spec;
}

ReminderSpec At(Instant instant) {
  ReminderSpec spec;
  spec.at = instant;
  return spec;
}

constexpr int kDefaultReminderMinutes = 9 * 60;  // a reminder on a day without a time

bool IsWord(const Token& t, std::string_view word) {
  return t.kind == TokenKind::kWord && t.lower == word;
}
bool IsPunct(const Token& t, char c) { return t.kind == TokenKind::kPunct && t.punct == c; }

// Today as the zone sees it; an unknown zone falls back to UTC.
Today MakeToday(const QuickAddContext& context) {
  Today today;
  today.now = context.now;
  today.zone = context.timezone;
  today.date_order = context.date_order;
  if (!IsKnownTimeZone(today.zone)) today.zone = "UTC";
  // Outside the years 0001..9999 nothing converts; the calendar day of the
  // naive UTC reading keeps the parse going, and every instant derived from
  // it then resolves to nothing.
  const std::optional<LocalTime> local = ToLocal(context.now, today.zone);
  today.today =
      std::chrono::floor<days>(local ? *local : LocalTime{context.now.time_since_epoch()});
  return today;
}

class Parser {
 public:
  Parser(std::string_view text, const QuickAddContext& context)
      : text_(text),
        today_(MakeToday(context)),
        tokens_(quick_add::Tokenize(text)),
        taken_(tokens_.size(), false),
        kinds_(tokens_.size()) {}

  QuickAddResult Run();

 private:
  TokenCursor CursorAt(std::size_t i) const { return TokenCursor(tokens_, taken_, i); }
  bool Free(std::size_t i) const { return i < tokens_.size() && !taken_[i]; }
  // A free word where a phrase may begin: the cheap test that spares most
  // tokens the readers (every phrase but a few "@"/"!!" forms starts so).
  bool WordStartsAt(std::size_t i) const {
    return Free(i) && tokens_[i].kind == TokenKind::kWord && quick_add::IsStartBoundary(tokens_, i);
  }
  bool AtSignStartsAt(std::size_t i) const {
    return Free(i) && IsPunct(tokens_[i], '@') && quick_add::IsStartBoundary(tokens_, i);
  }
  bool KindAt(std::size_t i, SpanKind kind) const {
    return i < tokens_.size() && kinds_[i] == kind;
  }
  bool Stands(std::size_t first, std::size_t end) const {
    return quick_add::IsStartBoundary(tokens_, first) && quick_add::IsEndBoundary(tokens_, end);
  }
  void Claim(std::size_t first, std::size_t end, SpanKind kind);

  void ReadTags();
  void ReadExplicitPriorities();
  void ReadLeadingRemindMe();
  void ReadReminders();
  bool ReadReminderDate(TokenCursor& cursor, ReminderPhrase& phrase) const;
  std::optional<ReminderPhrase> ReadAbsoluteReminder(TokenCursor& cursor) const;
  void ReadRecurrences();
  bool TryRecurrenceLength(TokenCursor& cursor);
  void ReadRecurrenceBounds();
  void ReadDatesAndTimes();
  bool TryDate(std::size_t i);
  bool TryTime(std::size_t i);
  void ReadBareHours();
  void ReadPriorityWords();

  std::optional<Instant> Resolve(local_days day, int minutes) const;
  bool HasPassed(local_days day, int minutes) const;
  static std::optional<Instant> Representable(Instant instant);
  std::optional<local_days> LocalDayOf(Instant instant) const;
  std::optional<int> EffectiveTime() const;
  DayPart Hint() const;
  std::optional<Instant> NextFullHour(local_days from, local_days& first) const;
  void ResolveDue(QuickAddResult& result) const;
  void ResolveRecurrence(QuickAddResult& result, std::optional<int> time) const;
  std::optional<Instant> ReminderInstant(const ReminderPhrase& phrase,
                                         std::optional<Instant> due) const;
  void ResolveReminders(QuickAddResult& result) const;
  std::string BuildTitle() const;

  std::string_view text_;
  Today today_;
  std::vector<Token> tokens_;
  std::vector<bool> taken_;
  std::vector<std::optional<SpanKind>> kinds_;
  std::vector<TokenSpan> spans_;

  std::optional<Priority> priority_;
  std::vector<std::string> tags_;
  std::unordered_set<std::string> folded_tags_;  // a set: inputs may hold thousands of tags
  std::optional<DatePhrase> date_;
  std::optional<int> time_;
  std::optional<RecurrencePhrase> recurrence_;
  std::optional<local_days> start_;
  std::optional<local_days> until_;
  std::optional<quick_add::Duration> length_;  // "for 2 weeks"
  std::vector<ReminderPhrase> reminders_;
  bool remind_at_due_ = false;
};

void Parser::Claim(std::size_t first, std::size_t end, SpanKind kind) {
  for (std::size_t i = first; i < end; ++i) {
    taken_[i] = true;
    kinds_[i] = kind;
  }
  spans_.push_back({first, end, kind});
}

// ---- pass 1: tags ----------------------------------------------------------

bool HasLetter(const Token& t) {
  return std::any_of(t.lower.begin(), t.lower.end(), [](char c) { return c < '0' || c > '9'; });
}

void Parser::ReadTags() {
  const std::size_t n = tokens_.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const Token& sigil = tokens_[i];
    if (!IsPunct(sigil, '#') && !IsPunct(sigil, '@')) continue;
    const Token& first = tokens_[i + 1];
    if (first.kind != TokenKind::kWord || !quick_add::Adjacent(sigil, first) ||
        !quick_add::IsStartBoundary(tokens_, i)) {
      continue;
    }
    if (IsPunct(sigil, '@')) {  // "@7pm" is "at 7pm"
      TokenCursor time = CursorAt(i + 1);
      if (quick_add::ReadTime(time, {false, DayPart::kNone})) continue;
    }
    std::size_t end = i + 2;  // inner "_" and "-" join words: "#follow-up", "#my_tag"
    while (end + 1 < n && (IsPunct(tokens_[end], '_') || IsPunct(tokens_[end], '-')) &&
           quick_add::Adjacent(tokens_[end - 1], tokens_[end]) &&
           quick_add::Adjacent(tokens_[end], tokens_[end + 1]) &&
           tokens_[end + 1].kind == TokenKind::kWord) {
      end += 2;
    }
    bool letter = false;
    for (std::size_t k = i + 1; k < end; ++k) letter = letter || HasLetter(tokens_[k]);
    if (!letter) continue;
    std::string tag(text_.substr(first.start, tokens_[end - 1].end - first.start));
    if (folded_tags_.insert(FoldCase(tag)).second) tags_.push_back(std::move(tag));
    Claim(i, end, SpanKind::kTag);
    i = end - 1;
  }
}

// ---- pass 2: explicit priorities -------------------------------------------

std::optional<Priority> PriorityOfLevel(int level) {
  if (level < 1 || level > 4) return std::nullopt;
  return static_cast<Priority>(level);
}

void Parser::ReadExplicitPriorities() {
  const std::size_t n = tokens_.size();
  for (std::size_t i = 0; i < n && !priority_; ++i) {
    if (!Free(i)) continue;
    const Token& t = tokens_[i];
    std::optional<Priority> level;
    std::size_t end = i + 1;
    if (t.kind == TokenKind::kWord && t.lower.size() == 2 && t.lower[0] == 'p') {  // "p1"
      level = PriorityOfLevel(t.lower[1] - '0');
    } else if (IsPunct(t, '!') && Free(i + 1) && Free(i + 2) && IsPunct(tokens_[i + 1], '!') &&
               quick_add::Adjacent(t, tokens_[i + 1]) &&
               quick_add::Adjacent(tokens_[i + 1], tokens_[i + 2]) &&
               tokens_[i + 2].lower.size() == 1) {  // "!!1"
      level = PriorityOfLevel(tokens_[i + 2].number);
      end = i + 3;
    }
    if (!level || !Stands(i, end)) continue;
    priority_ = level;
    Claim(i, end, SpanKind::kPriority);
  }
}

// ---- passes 3-4: reminders --------------------------------------------------

void Parser::ReadLeadingRemindMe() {
  TokenCursor c = CursorAt(0);
  c.TakeAnyWord({"please", "pls"});
  if (c.TakeWord("remind") && c.TakeWord("me") && c.TakeAnyWord({"to", "about"})) {
    remind_at_due_ = true;
    Claim(0, c.pos(), SpanKind::kReminder);
  }
}

// "30 minutes before", "an hour before", "the day before".
std::optional<ReminderPhrase> ReadRelativeReminder(TokenCursor& cursor) {
  TokenCursor c = cursor;
  std::optional<quick_add::Duration> lead;
  if (c.TakeWord("the") && c.AtAnyWord({"day", "week"})) {
    lead = quick_add::Duration{1, c.AtWord("day") ? quick_add::Unit::kDay : quick_add::Unit::kWeek};
    c.Take();
  } else {
    c = cursor;
    lead = quick_add::ReadDuration(c);
  }
  if (!lead || !c.TakeAnyWord({"before", "earlier", "prior", "ahead"})) return std::nullopt;
  const std::optional<int> minutes = quick_add::DurationMinutes(*lead);
  if (!minutes || *minutes > kRemindBeforeMaxMinutes) return std::nullopt;
  cursor = c;
  ReminderPhrase phrase;
  phrase.before_minutes = minutes;
  return phrase;
}

// "[on] <date>" inside a reminder: a day (with a part-of-day time) or an instant.
bool Parser::ReadReminderDate(TokenCursor& cursor, ReminderPhrase& phrase) const {
  TokenCursor c = cursor;
  const bool prefixed = c.TakeAnyWord({"on", "by"});
  const std::optional<DatePhrase> date = quick_add::ReadDate(c, today_, prefixed);
  if (!date) return false;
  if (date->kind == DatePhrase::Kind::kInstant) {
    phrase.at = date->instant;
  } else {
    phrase.day = date->day;
    phrase.part = date->part;
  }
  cursor = c;
  return true;
}

// "at 8am", "friday at 9", "tomorrow evening at 7", "at 8 tomorrow", "in 2 hours".
std::optional<ReminderPhrase> Parser::ReadAbsoluteReminder(TokenCursor& cursor) const {
  TokenCursor c = cursor;
  ReminderPhrase phrase;
  const bool dated = ReadReminderDate(c, phrase);
  if (!phrase.at) {
    TokenCursor t = c;
    const bool at_word = t.TakeAnyWord({"at", "around"}) || t.TakePunct('@');
    if (const std::optional<int> minutes = quick_add::ReadTime(t, {at_word, phrase.part})) {
      phrase.minutes = minutes;
      c = t;
      if (!dated && ReadReminderDate(c, phrase) && phrase.at) return std::nullopt;
    }
  }
  if (!phrase.at && !phrase.day && !phrase.minutes) return std::nullopt;
  if (!phrase.minutes && phrase.part != DayPart::kNone) {
    phrase.minutes = quick_add::DayPartMinutes(phrase.part);
  }
  cursor = c;
  return phrase;
}

void Parser::ReadReminders() {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (!WordStartsAt(i)) continue;
    TokenCursor c = CursorAt(i);
    if (c.TakeWord("remind")) {
      c.TakeAnyWord({"me", "us"});
    } else if (!c.TakeWord("reminder")) {
      continue;
    }
    std::optional<ReminderPhrase> phrase = ReadRelativeReminder(c);
    if (!phrase) phrase = ReadAbsoluteReminder(c);
    if (!phrase || !quick_add::IsEndBoundary(tokens_, c.pos())) continue;
    reminders_.push_back(*phrase);
    Claim(i, c.pos(), SpanKind::kReminder);
    i = c.pos() - 1;
  }
}

// ---- pass 5: recurrence -----------------------------------------------------

void Parser::ReadRecurrences() {
  for (std::size_t i = 0; i < tokens_.size() && !recurrence_; ++i) {
    if (!WordStartsAt(i)) continue;
    TokenCursor c = CursorAt(i);
    const std::optional<RecurrencePhrase> phrase = quick_add::ReadRecurrence(c);
    if (!phrase || !quick_add::IsEndBoundary(tokens_, c.pos())) continue;
    recurrence_ = phrase;
    Claim(i, c.pos(), SpanKind::kRecurrence);
  }
}

// "for 2 weeks" after a recurrence: the series ends that long after it starts.
bool Parser::TryRecurrenceLength(TokenCursor& cursor) {
  if (length_) return false;
  TokenCursor c = cursor;
  if (!c.TakeWord("for")) return false;
  const std::optional<quick_add::Duration> length = quick_add::ReadDuration(c);
  if (!length || length->unit == quick_add::Unit::kMinute ||
      length->unit == quick_add::Unit::kHour || !quick_add::IsEndBoundary(tokens_, c.pos())) {
    return false;
  }
  constexpr int kMaxLengthDays = 100 * 366;
  const long long per_unit = length->unit == quick_add::Unit::kDay     ? 1
                             : length->unit == quick_add::Unit::kWeek  ? 7
                             : length->unit == quick_add::Unit::kMonth ? 31
                                                                       : 366;
  if (per_unit * length->count > kMaxLengthDays) return false;
  length_ = length;
  cursor = c;
  return true;
}

void Parser::ReadRecurrenceBounds() {
  if (!recurrence_) return;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (!WordStartsAt(i)) continue;
    TokenCursor c = CursorAt(i);
    if (TryRecurrenceLength(c)) {
      Claim(i, c.pos(), SpanKind::kRecurrence);
      i = c.pos() - 1;
      continue;
    }
    const bool is_start = c.TakeAnyWord({"starting", "from", "beginning"});
    if (!is_start && !c.TakeAnyWord({"until", "till", "through", "ending"})) continue;
    c.TakeAnyWord({"on", "from"});
    const std::optional<DatePhrase> date = quick_add::ReadDate(c, today_, true);
    if (!date || date->kind != DatePhrase::Kind::kDay ||
        !quick_add::IsEndBoundary(tokens_, c.pos())) {
      continue;
    }
    std::optional<local_days>& bound = is_start ? start_ : until_;
    if (bound) continue;
    bound = date->day;
    Claim(i, c.pos(), SpanKind::kRecurrence);
    i = c.pos() - 1;
  }
}

// ---- passes 6-7: dates and times --------------------------------------------

DayPart Parser::Hint() const {
  if (date_ && date_->part != DayPart::kNone) return date_->part;
  if (recurrence_) return recurrence_->part;
  return DayPart::kNone;
}

// "last friday", "the second monday": a qualifier in front that this parser
// does not model, so the weekday after it is not a due date.
bool IsDateQualifier(const Token& t) {
  if (t.kind != TokenKind::kWord) return false;
  static constexpr std::string_view kWords[] = {"last",   "past",  "previous", "first",
                                                "second", "third", "fourth",   "fifth"};
  for (std::string_view w : kWords) {
    if (t.lower == w) return true;
  }
  return quick_add::NumericOrdinalOf(t).has_value();
}

bool Parser::TryDate(std::size_t i) {
  if (i > 0 && Free(i - 1) && IsDateQualifier(tokens_[i - 1])) return false;
  TokenCursor c = CursorAt(i);
  bool prefixed = false;
  if (c.TakeWord("due")) {
    prefixed = true;
    c.TakeAnyWord({"on", "by"});
  } else if (c.TakeAnyWord({"on", "by", "before"})) {
    prefixed = true;
  }
  const std::optional<DatePhrase> date = quick_add::ReadDate(c, today_, prefixed);
  if (!date || !quick_add::IsEndBoundary(tokens_, c.pos())) return false;
  if (date_ || (recurrence_ && start_)) return false;
  const bool instant = date->kind == DatePhrase::Kind::kInstant;
  if (instant && (time_ || recurrence_)) return false;
  date_ = date;
  Claim(i, c.pos(), SpanKind::kDate);
  return true;
}

bool Parser::TryTime(std::size_t i) {
  TokenCursor c = CursorAt(i);
  if (!c.TakeAnyWord({"at", "by", "around"})) c.TakePunct('@');
  const std::optional<int> minutes = quick_add::ReadTime(c, {false, Hint()});
  if (!minutes || !quick_add::IsEndBoundary(tokens_, c.pos())) return false;
  if (time_ || (date_ && date_->kind == DatePhrase::Kind::kInstant)) return false;
  time_ = minutes;
  Claim(i, c.pos(), SpanKind::kTime);
  return true;
}

void Parser::ReadDatesAndTimes() {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (!WordStartsAt(i) && !AtSignStartsAt(i)) continue;  // "@ 7pm" is a time
    if (TryDate(i) || TryTime(i)) {
      while (i + 1 < tokens_.size() && taken_[i + 1]) ++i;
    }
  }
}

void Parser::ReadBareHours() {
  if (time_ || (date_ && date_->kind == DatePhrase::Kind::kInstant)) return;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (!WordStartsAt(i) && !AtSignStartsAt(i)) continue;
    TokenCursor c = CursorAt(i);
    if (!c.TakeAnyWord({"at", "around"}) && !c.TakePunct('@')) continue;
    const std::optional<int> minutes = quick_add::ReadTime(c, {true, Hint()});
    if (!minutes || !quick_add::IsEndBoundary(tokens_, c.pos())) continue;
    auto vouches = [&](std::size_t k) {
      return KindAt(k, SpanKind::kDate) || KindAt(k, SpanKind::kRecurrence);
    };
    if (!(i > 0 && vouches(i - 1)) && !vouches(c.pos())) continue;
    time_ = minutes;
    Claim(i, c.pos(), SpanKind::kTime);
    return;
  }
}

// ---- pass 8: priority words -------------------------------------------------

void Parser::ReadPriorityWords() {
  for (std::size_t i = 0; i < tokens_.size() && !priority_; ++i) {
    if (!WordStartsAt(i)) continue;
    // "not urgent", "no high priority": a negated word says nothing.
    if (i > 0 && (IsWord(tokens_[i - 1], "not") || IsWord(tokens_[i - 1], "no"))) continue;
    TokenCursor c = CursorAt(i);
    std::optional<Priority> level;
    if (c.TakeAnyWord({"urgent", "critical"})) {
      level = Priority::kP1;
    } else if (c.AtAnyWord({"high", "medium", "low"})) {
      const Token& word = *c.Take();
      const int rank = word.lower == "high" ? 2 : word.lower == "medium" ? 3 : 4;
      c.TakeAdjacentPunct('-');
      if (c.TakeAnyWord({"priority", "prio"})) level = PriorityOfLevel(rank);
    }
    if (!level || !quick_add::IsEndBoundary(tokens_, c.pos())) continue;
    priority_ = level;
    Claim(i, c.pos(), SpanKind::kPriority);
  }
}

// ---- resolution ---------------------------------------------------------------
//
// Every instant goes through ResolveLocal/ToLocal, which answer nullopt outside
// the years 0001..9999; a phrase whose instant falls out there ("in 100 years"
// said in 9990) resolves to no due date rather than to an instant nothing can
// store or print.

// The instants RFC 3339 text can carry (years 0001..9999 in UTC).
constexpr Instant kFirstInstant{std::chrono::sys_days{std::chrono::year{1} / 1 / 1}};
constexpr Instant kLastInstant{std::chrono::sys_days{std::chrono::year{10000} / 1 / 1} -
                               std::chrono::milliseconds{1}};

std::optional<Instant> Parser::Resolve(local_days day, int minutes) const {
  const std::optional<Instant> instant =
      ResolveLocal(LocalTime{day} + std::chrono::minutes{minutes}, today_.zone);
  return instant ? Representable(*instant) : std::nullopt;
}

bool Parser::HasPassed(local_days day, int minutes) const {
  const std::optional<Instant> instant = Resolve(day, minutes);
  return instant && *instant < today_.now;
}

std::optional<Instant> Parser::Representable(Instant instant) {
  if (instant < kFirstInstant || instant > kLastInstant) return std::nullopt;
  return instant;
}

std::optional<local_days> Parser::LocalDayOf(Instant instant) const {
  const std::optional<LocalTime> local = ToLocal(instant, today_.zone);
  if (!local) return std::nullopt;
  return std::chrono::floor<days>(*local);
}

std::optional<int> Parser::EffectiveTime() const {
  if (time_) return time_;
  if (date_ && date_->part != DayPart::kNone) return quick_add::DayPartMinutes(date_->part);
  if (recurrence_ && recurrence_->part != DayPart::kNone) {
    return quick_add::DayPartMinutes(recurrence_->part);
  }
  return std::nullopt;
}

// The last day of a series that runs `length` from `first` ("every day for 2
// weeks" from Monday ends on the Sunday after next).
local_days EndOfLength(local_days first, const quick_add::Duration& length) {
  switch (length.unit) {
    case quick_add::Unit::kWeek:
      return first + days{7LL * length.count - 1};
    case quick_add::Unit::kMonth:
      return quick_add::AddMonths(first, length.count) - days{1};
    case quick_add::Unit::kYear:
      return quick_add::AddMonths(first, 12 * length.count) - days{1};
    default:
      return first + days{length.count - 1};
  }
}

// The first full local hour at or after now, on or after `from`: "every 2
// hours" said at 10:20 starts at 11:00.
std::optional<Instant> Parser::NextFullHour(local_days from, local_days& first) const {
  const std::optional<LocalTime> now = ToLocal(today_.now, today_.zone);
  if (!now) return std::nullopt;
  const auto hour = std::chrono::ceil<std::chrono::hours>(*now);
  const local_days day = std::chrono::floor<days>(hour);
  first = std::max(from, day);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(hour - day).count();
  return Resolve(first, first == day ? static_cast<int>(minutes) : 0);
}

void Parser::ResolveRecurrence(QuickAddResult& result, std::optional<int> time) const {
  const local_days from =
      std::max(start_ ? *start_ : (date_ ? date_->day : today_.today), today_.today);
  local_days first = from;
  std::optional<Instant> due;
  if (recurrence_->frequency == quick_add::Frequency::kHourly && !time) {
    due = NextFullHour(from, first);
  } else {
    auto accept = [&](local_days day) { return !time || !HasPassed(day, *time); };
    first = quick_add::FirstScheduledDay(*recurrence_, from, accept).value_or(from);
    due = Resolve(first, time.value_or(0));
  }
  if (!due) return;  // no first occurrence we can store: no series either
  result.due_at = due;
  result.all_day = !time && recurrence_->frequency != quick_add::Frequency::kHourly;
  Recurrence recurrence = quick_add::ToRecurrence(*recurrence_, from, first);
  std::optional<local_days> last_day = until_;
  if (!last_day && length_) last_day = EndOfLength(first, *length_);
  if (last_day) {  // inclusive: through the end of that local day
    if (const std::optional<Instant> next_day = Resolve(*last_day + days{1}, 0)) {
      recurrence.until = *next_day - std::chrono::milliseconds{1};
    }
  }
  result.recurrence = recurrence;
}

void Parser::ResolveDue(QuickAddResult& result) const {
  const std::optional<int> time = EffectiveTime();
  if (recurrence_) {
    ResolveRecurrence(result, time);
  } else if (date_ && date_->kind == DatePhrase::Kind::kInstant) {
    result.due_at = Representable(date_->instant);
  } else if (date_ && !time) {
    result.due_at = Resolve(date_->day, 0);
    result.all_day = result.due_at.has_value();
  } else if (date_) {
    local_days day = date_->day;
    if (date_->weekly_roll && day == today_.today && HasPassed(day, *time)) day += days{7};
    result.due_at = Resolve(day, *time);
  } else if (time) {
    local_days day = today_.today;
    if (HasPassed(day, *time)) day += days{1};
    result.due_at = Resolve(day, *time);
  }
}

// An absolute reminder: its own day, else the due day, else today (tomorrow
// once that time has passed).
std::optional<Instant> Parser::ReminderInstant(const ReminderPhrase& phrase,
                                               std::optional<Instant> due) const {
  if (phrase.at) return Representable(*phrase.at);
  if (phrase.day) return Resolve(*phrase.day, phrase.minutes.value_or(kDefaultReminderMinutes));
  const int minutes = phrase.minutes.value_or(kDefaultReminderMinutes);
  if (due) {
    const std::optional<local_days> due_day = LocalDayOf(*due);
    return due_day ? Resolve(*due_day, minutes) : std::nullopt;
  }
  local_days day = today_.today;
  if (HasPassed(day, minutes)) day += days{1};
  return Resolve(day, minutes);
}

void Parser::ResolveReminders(QuickAddResult& result) const {
  // Duplicates are dropped through a set: an input may repeat a phrase often.
  std::set<std::pair<bool, long long>> seen;
  auto add = [&](const ReminderSpec& spec) {
    const auto key = spec.at ? std::pair{true, ToUnixMillis(*spec.at)}
                             : std::pair{false, static_cast<long long>(*spec.before_minutes)};
    if (seen.insert(key).second) result.reminders.push_back(spec);
  };
  for (const ReminderPhrase& phrase : reminders_) {
    if (phrase.before_minutes) {
      add(BeforeDue(*phrase.before_minutes));
    } else if (const std::optional<Instant> at = ReminderInstant(phrase, result.due_at)) {
      add(At(*at));
    }
  }
  if (remind_at_due_ && result.due_at) add(BeforeDue(0));
}

// ---- title ------------------------------------------------------------------

bool IsOpening(const Token& t) { return IsPunct(t, '(') || IsPunct(t, '['); }
bool IsClosing(const Token& t) { return IsPunct(t, ')') || IsPunct(t, ']'); }

// Punctuation left hanging where a phrase was cut out ("buy milk, tomorrow").
// Not when glued to a word on its far side (".net", "-ish").
bool IsCutPunct(const std::vector<Token>& tokens, std::size_t i, bool word_side_after) {
  const Token& t = tokens[i];
  if (t.kind != TokenKind::kPunct) return false;
  switch (t.punct) {
    case ',':
    case ';':
    case ':':
    case '-':
    case '.':
    case '!':
    case '&':
    case '|':
    case '/':
      break;
    default:
      return false;
  }
  if (word_side_after) {
    return !(i + 1 < tokens.size() && quick_add::Adjacent(t, tokens[i + 1]) &&
             tokens[i + 1].kind == TokenKind::kWord);
  }
  return !(i > 0 && quick_add::Adjacent(tokens[i - 1], t) &&
           tokens[i - 1].kind == TokenKind::kWord && t.punct != ',' && t.punct != ':' &&
           t.punct != ';');
}

std::string Parser::BuildTitle() const {
  const std::size_t n = tokens_.size();
  std::vector<bool> drop = taken_;
  for (const TokenSpan& span : spans_) {  // "(tomorrow)" goes as a whole
    if (span.first > 0 && span.end < n && !drop[span.first - 1] && !drop[span.end] &&
        IsOpening(tokens_[span.first - 1]) && IsClosing(tokens_[span.end])) {
      drop[span.first - 1] = true;
      drop[span.end] = true;
    }
  }
  std::string title;
  std::size_t i = 0;
  while (i < n) {
    if (drop[i]) {
      ++i;
      continue;
    }
    std::size_t a = i;
    std::size_t b = i;
    while (b < n && !drop[b]) ++b;
    i = b;
    const bool cut_before = a > 0;
    const bool cut_after = b < n;
    const bool reminder_before = cut_before && KindAt(a - 1, SpanKind::kReminder);
    while (a < b && cut_before &&
           (IsCutPunct(tokens_, a, true) || IsWord(tokens_[a], "and") || IsPunct(tokens_[a], '&') ||
            (reminder_before && IsWord(tokens_[a], "to")))) {
      ++a;
    }
    const bool date_after =
        cut_after && (KindAt(b, SpanKind::kDate) || KindAt(b, SpanKind::kTime) ||
                      KindAt(b, SpanKind::kRecurrence));
    while (a < b && cut_after) {
      const Token& t = tokens_[b - 1];
      const bool connector =
          IsWord(t, "and") ||
          (date_after && (IsWord(t, "to") || IsWord(t, "for") || IsWord(t, "from") ||
                          IsWord(t, "until") || IsWord(t, "till") || IsWord(t, "starting")));
      if (!connector && !IsCutPunct(tokens_, b - 1, false)) break;
      --b;
    }
    for (std::size_t k = a; k < b; ++k) {
      if (k == a) {
        if (!title.empty()) title += ' ';
      } else if (!quick_add::Adjacent(tokens_[k - 1], tokens_[k])) {
        title += ' ';
      }
      title.append(text_.substr(tokens_[k].start, tokens_[k].end - tokens_[k].start));
    }
  }
  return title;
}

QuickAddResult Parser::Run() {
  ReadTags();
  ReadExplicitPriorities();
  ReadLeadingRemindMe();
  ReadReminders();
  ReadRecurrences();
  ReadRecurrenceBounds();
  ReadDatesAndTimes();
  ReadBareHours();
  ReadPriorityWords();

  QuickAddResult result;
  result.timezone = today_.zone;
  ResolveDue(result);
  ResolveReminders(result);
  result.priority = priority_;
  result.tags = tags_;
  result.title = BuildTitle();
  std::vector<TokenSpan> spans = spans_;
  std::sort(spans.begin(), spans.end(),
            [](const TokenSpan& x, const TokenSpan& y) { return x.first < y.first; });
  for (const TokenSpan& span : spans) {
    const std::size_t start = tokens_[span.first].start;
    const std::size_t end = tokens_[span.end - 1].end;
    result.spans.push_back(ParsedSpan{.start = start,
                                      .end = end,
                                      .kind = std::string(KindName(span.kind)),
                                      .text = std::string(text_.substr(start, end - start))});
  }
  return result;
}

}  // namespace

QuickAddResult ParseQuickAdd(std::string_view text, const QuickAddContext& context) {
  return Parser(text, context).Run();
}

}  // namespace taskflow
