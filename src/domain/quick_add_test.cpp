// Quick add: a table of phrasings (quick_add_test_phrasings.inc) checked
// against expected tasks, plus spans, invariants and cost.
//
// Expectations are written in local time, formatted here with date/tz directly
// (independently of the parser's ResolveLocal/ToLocal), as
//   "title=<title>; due=<YYYY-MM-DD> all-day" or "due=<YYYY-MM-DD HH:MM ZONE>";
//   "prio=P1"; "tags=a,b"; "rec=<rule>[/<interval>] | <RRULE>[ completion]
//   [ until <YYYY-MM-DD HH:MM>]"; "rem=<N>m | at <YYYY-MM-DD HH:MM>".
// Absent parts are left out. The zone abbreviation shows which side of a DST
// change an instant fell on ("01:30 EDT" is the earlier of two 01:30s).
#include "domain/quick_add.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "domain/quick_add_lexer.hpp"
#include "domain/recurrence.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace taskflow {
namespace {

struct Phrasing {
  std::string_view input;
  std::string_view expected;
};

struct PhrasingGroup {
  std::string_view name;
  std::string_view now;  // RFC 3339
  std::string_view zone;
  DateOrder order;
  std::vector<Phrasing> phrasings;
};

#include "domain/quick_add_test_phrasings.inc"

struct PhrasingCase {
  const PhrasingGroup* group;
  Phrasing phrasing;
  std::size_t index;
};

// gtest prints a parameter with this when a case fails.
void PrintTo(const PhrasingCase& c, std::ostream* os) {
  *os << '"' << c.phrasing.input << "\" in " << c.group->name;
}

std::vector<PhrasingCase> AllPhrasings() {
  std::vector<PhrasingCase> cases;
  for (const PhrasingGroup& group : PhrasingGroups()) {
    for (const Phrasing& p : group.phrasings) cases.push_back({&group, p, cases.size()});
  }
  return cases;
}

QuickAddContext ContextOf(const PhrasingGroup& group) {
  const std::optional<Instant> now = ParseRfc3339(group.now);
  EXPECT_TRUE(now.has_value()) << group.now;
  return QuickAddContext{now.value_or(Instant{}), std::string(group.zone), group.order};
}

using Millis = std::chrono::milliseconds;

std::string Local(Instant instant, std::string_view zone, const char* format) {
  const auto zoned =
      date::make_zoned(std::string(zone), date::sys_time<Millis>{instant.time_since_epoch()});
  return date::format(format, zoned);
}

std::string DescribeDue(const QuickAddResult& r) {
  const std::string& zone = r.timezone;
  if (r.all_day && Local(*r.due_at, zone, "%R") == "00:00") {
    return Local(*r.due_at, zone, "%F") + " all-day";
  }
  return Local(*r.due_at, zone, "%F %R %Z") + (r.all_day ? " all-day" : "");
}

std::string RecurrenceText(const Recurrence& rec, std::string_view zone) {
  std::string out;
  if (rec.rule == RecurrenceRule::kRRule) {
    out = rec.rrule;
  } else if (rec.rule == RecurrenceRule::kCron) {
    out = "cron " + rec.cron;
  } else {
    out = std::string(ToString(rec.rule));
    if (rec.interval != 1) out += "/" + std::to_string(rec.interval);
  }
  if (rec.anchor == RecurrenceAnchor::kCompletion) out += " completion";
  if (rec.until) out += " until " + Local(*rec.until, zone, "%F %R");
  if (rec.count) out += " count " + std::to_string(*rec.count);
  return out;
}

std::string Describe(const QuickAddResult& r) {
  std::string out = "title=" + r.title;
  if (r.due_at) out += "; due=" + DescribeDue(r);
  if (!r.due_at && r.all_day) out += "; all-day without due";
  if (r.priority) out += "; prio=" + std::string(ToString(*r.priority));
  if (!r.tags.empty()) {
    out += "; tags=";
    for (std::size_t i = 0; i < r.tags.size(); ++i) out += (i ? "," : "") + r.tags[i];
  }
  if (r.recurrence) out += "; rec=" + RecurrenceText(*r.recurrence, r.timezone);
  if (!r.reminders.empty()) {
    out += "; rem=";
    for (std::size_t i = 0; i < r.reminders.size(); ++i) {
      const ReminderSpec& spec = r.reminders[i];
      if (i) out += ",";
      if (spec.before_minutes) out += std::to_string(*spec.before_minutes) + "m";
      if (spec.at) out += "at " + Local(*spec.at, r.timezone, "%F %R");
    }
  }
  return out;
}

class QuickAddPhrasingTest : public testing::TestWithParam<PhrasingCase> {};

TEST_P(QuickAddPhrasingTest, ParsesAsExpected) {
  const PhrasingCase& c = GetParam();
  const QuickAddResult result = ParseQuickAdd(c.phrasing.input, ContextOf(*c.group));
  EXPECT_EQ(Describe(result), c.phrasing.expected)
      << "input: \"" << c.phrasing.input << "\" (" << c.group->name << ", now " << c.group->now
      << " " << c.group->zone << ")";
}

INSTANTIATE_TEST_SUITE_P(Table, QuickAddPhrasingTest, testing::ValuesIn(AllPhrasings()),
                         [](const testing::TestParamInfo<PhrasingCase>& info) {
                           return std::string(info.param.group->name) + "_" +
                                  std::to_string(info.param.index);
                         });

TEST(QuickAddPhrasingTable, HasAtLeastTwoHundredPhrasings) {
  EXPECT_GE(AllPhrasings().size(), 200u);
}

// ---- the tokenizer -----------------------------------------------------------------

std::vector<std::string> TokenTexts(std::string_view text) {
  std::vector<std::string> out;
  for (const quick_add::Token& t : quick_add::Tokenize(text)) {
    out.emplace_back(text.substr(t.start, t.end - t.start));
  }
  return out;
}

TEST(QuickAddTokenizer, SplitsWordsFromPunctuationAndDropsSpace) {
  using V = std::vector<std::string>;
  EXPECT_EQ(TokenTexts("at 5:30pm, #work"), (V{"at", "5", ":", "30pm", ",", "#", "work"}));
  EXPECT_EQ(TokenTexts("caf\xC3\xA9\xC2\xA0tomorrow\xE2\x80\x99s"),
            (V{"caf\xC3\xA9", "tomorrow", "\xE2\x80\x99", "s"}));  // NBSP splits, ’ is punctuation
  EXPECT_EQ(TokenTexts("a\xFF"
                       "b \xF0\x9F\x94\xA5x"),
            (V{"a\xFF"
               "b",
               "\xF0\x9F\x94\xA5", "x"}));
  EXPECT_EQ(TokenTexts("\t\n \x01"), V{});
}

TEST(QuickAddTokenizer, ReadsNumbersAndFoldsTypographicPunctuation) {
  const auto tokens = quick_add::Tokenize("2027 1234567890 \xE2\x80\x93 P1");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].number, 2027);
  EXPECT_EQ(tokens[1].number, -1);  // too long to be a number we use
  EXPECT_EQ(tokens[2].punct, '-');  // en dash
  EXPECT_EQ(tokens[3].lower, "p1");
}

TEST(QuickAddTokenizer, PhrasesMustStandAlone) {
  const std::string text = "x tomorrow's (friday) 3/12/ 5pm, y";
  const auto tokens = quick_add::Tokenize(text);
  auto index_of = [&](std::string_view piece) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (text.substr(tokens[i].start, tokens[i].end - tokens[i].start) == piece) return i;
    }
    return tokens.size();
  };
  EXPECT_FALSE(quick_add::IsEndBoundary(tokens, index_of("tomorrow") + 1));  // "'s" follows
  EXPECT_TRUE(quick_add::IsStartBoundary(tokens, index_of("friday")));       // after "("
  EXPECT_TRUE(quick_add::IsEndBoundary(tokens, index_of("friday") + 1));     // before ")"
  EXPECT_FALSE(quick_add::IsEndBoundary(tokens, index_of("12") + 1));        // "/" follows
  EXPECT_TRUE(quick_add::IsEndBoundary(tokens, index_of("5pm") + 1));        // ", " follows
}

// ---- the DST edges, as instants ------------------------------------------------

QuickAddContext At(std::string_view now, std::string zone) {
  return QuickAddContext{*ParseRfc3339(now), std::move(zone), DateOrder::kMonthDay};
}

TEST(QuickAddDst, SpringForwardGapMovesToTheJump) {
  // New York, Friday 2026-03-06; clocks jump 02:00 → 03:00 EDT on Sunday the 8th.
  const auto r =
      ParseQuickAdd("brunch sunday at 2:30am", At("2026-03-06T20:00:00Z", "America/New_York"));
  ASSERT_TRUE(r.due_at);
  EXPECT_EQ(FormatRfc3339(*r.due_at), "2026-03-08T07:00:00Z");
}

TEST(QuickAddDst, FallBackOverlapTakesTheEarlierInstant) {
  // New York, Friday 2026-10-30; 01:00–02:00 happens twice on Sunday, Nov 1.
  const auto r = ParseQuickAdd("sunday at 1:30am", At("2026-10-30T16:00:00Z", "America/New_York"));
  ASSERT_TRUE(r.due_at);
  EXPECT_EQ(FormatRfc3339(*r.due_at), "2026-11-01T05:30:00Z");  // 01:30 EDT, not EST
}

TEST(QuickAddDst, RelativeHoursAreRealHoursAcrossTheChange) {
  const auto r = ParseQuickAdd("in 48 hours", At("2026-03-06T20:00:00Z", "America/New_York"));
  ASSERT_TRUE(r.due_at);
  EXPECT_EQ(FormatRfc3339(*r.due_at), "2026-03-08T20:00:00Z");
}

TEST(QuickAddDst, AllDayOnTheChangeDayStartsAtLocalMidnight) {
  const auto r = ParseQuickAdd("sunday", At("2026-03-27T11:00:00Z", "Europe/Berlin"));
  ASSERT_TRUE(r.due_at);
  EXPECT_TRUE(r.all_day);
  EXPECT_EQ(FormatRfc3339(*r.due_at), "2026-03-28T23:00:00Z");
}

// ---- the recurrences it builds are ones the recurrence engine accepts ------------

TEST(QuickAddRecurrence, EveryRecurrenceInTheTableNormalizes) {
  int recurring = 0;
  for (const PhrasingCase& c : AllPhrasings()) {
    const QuickAddResult r = ParseQuickAdd(c.phrasing.input, ContextOf(*c.group));
    if (!r.recurrence) continue;
    ++recurring;
    const Result<Recurrence> normalized = NormalizeRecurrence(*r.recurrence);
    EXPECT_TRUE(normalized.ok()) << c.phrasing.input << ": "
                                 << (normalized.ok() ? ""
                                     : normalized.error().fields.empty()
                                         ? normalized.error().message
                                         : normalized.error().fields[0].message);
  }
  EXPECT_GT(recurring, 80);
}

// The first occurrence the parser picks is one the schedule itself produces:
// completing it yields the schedule's second occurrence.
struct SecondOccurrence {
  std::string_view input;
  std::string_view second;  // local "YYYY-MM-DD HH:MM"
};

TEST(QuickAddRecurrence, SecondOccurrenceFollowsTheSchedule) {
  const std::vector<SecondOccurrence> cases = {
      {"every day at 9am", "2026-11-20 09:00"},
      {"every other monday", "2026-12-07 00:00"},
      {"every month on the 31st", "2026-12-31 00:00"},
      {"every month on the 15th", "2027-01-15 00:00"},
      {"every last friday", "2026-12-25 00:00"},
      {"every 2nd tuesday", "2027-01-12 00:00"},
      {"every weekday at 9am", "2026-11-20 09:00"},
      {"every year on jan 5", "2028-01-05 00:00"},
      {"every 1st and 15th", "2026-12-15 00:00"},
      {"every 1st and 3rd monday", "2026-12-21 00:00"},
  };
  const QuickAddContext context = At("2026-11-18T09:00:00Z", "Europe/Berlin");
  for (const SecondOccurrence& c : cases) {
    const QuickAddResult r = ParseQuickAdd(c.input, context);
    ASSERT_TRUE(r.recurrence && r.due_at) << c.input;
    OccurrenceContext occurrence{*r.due_at, *r.due_at, *r.due_at, r.timezone, r.all_day, 1};
    const std::optional<Instant> next = NextOccurrence(*r.recurrence, occurrence);
    ASSERT_TRUE(next) << c.input;
    EXPECT_EQ(Local(*next, r.timezone, "%F %R"), c.second) << c.input;
  }
}

// ---- spans ---------------------------------------------------------------------

struct ExpectedSpan {
  std::string_view kind;
  std::string_view text;
};

void ExpectSpans(std::string_view input, const std::vector<ExpectedSpan>& expected) {
  const auto r = ParseQuickAdd(input, At("2026-11-18T09:00:00Z", "Europe/Berlin"));
  ASSERT_EQ(r.spans.size(), expected.size()) << input;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.spans[i].kind, expected[i].kind) << input << " span " << i;
    EXPECT_EQ(r.spans[i].text, expected[i].text) << input << " span " << i;
    EXPECT_EQ(input.substr(r.spans[i].start, r.spans[i].end - r.spans[i].start), r.spans[i].text);
  }
}

TEST(QuickAddSpans, NameEveryUnderstoodPieceInOrder) {
  ExpectSpans("pay rent every month on the 1st at 9am #home p1, remind me a day before",
              {{"recurrence", "every month on the 1st"},
               {"time", "at 9am"},
               {"tag", "#home"},
               {"priority", "p1"},
               {"reminder", "remind me a day before"}});
  ExpectSpans("remind me to call mom tomorrow at 6pm",
              {{"reminder", "remind me to"}, {"date", "tomorrow"}, {"time", "at 6pm"}});
  ExpectSpans("submit report due by friday !!2 @work",
              {{"date", "due by friday"}, {"priority", "!!2"}, {"tag", "@work"}});
  ExpectSpans(
      "every day until dec 31 urgent",
      {{"recurrence", "every day"}, {"recurrence", "until dec 31"}, {"priority", "urgent"}});
  ExpectSpans("call 911", {});
}

TEST(QuickAddSpans, AreByteOffsetsIntoUtf8Input) {
  const std::string input = "caf\xC3\xA9 mit J\xC3\xBCrgen morgen tomorrow #b\xC3\xBCro";
  const auto r = ParseQuickAdd(input, At("2026-11-18T09:00:00Z", "Europe/Berlin"));
  ASSERT_EQ(r.spans.size(), 2u);
  EXPECT_EQ(r.spans[0].start, input.find("tomorrow"));
  EXPECT_EQ(r.spans[1].text, "#b\xC3\xBCro");
  EXPECT_EQ(r.title, "caf\xC3\xA9 mit J\xC3\xBCrgen morgen");
  ASSERT_EQ(r.tags.size(), 1u);
  EXPECT_EQ(r.tags[0], "b\xC3\xBCro");
}

// ---- context -------------------------------------------------------------------

TEST(QuickAddZone, ReportsTheZoneItUsed) {
  EXPECT_EQ(ParseQuickAdd("x", At("2026-11-18T09:00:00Z", "Asia/Kathmandu")).timezone,
            "Asia/Kathmandu");
  EXPECT_EQ(ParseQuickAdd("x tomorrow", At("2026-11-18T09:00:00Z", "No/Such_Zone")).timezone,
            "UTC");
}

TEST(QuickAddZone, IsDeterministic) {
  const auto context = At("2026-11-18T09:00:00Z", "Europe/Berlin");
  const std::string input =
      "pay rent every month on the 1st at 9am #home p1, remind me a day before";
  EXPECT_EQ(Describe(ParseQuickAdd(input, context)), Describe(ParseQuickAdd(input, context)));
}

// ---- invariants over every table input and some hostile ones ---------------------

void ExpectInvariants(std::string_view input, const QuickAddContext& context) {
  const QuickAddResult r = ParseQuickAdd(input, context);
  std::size_t previous_end = 0;
  for (const ParsedSpan& span : r.spans) {
    EXPECT_LE(span.start, span.end) << input;
    EXPECT_LE(span.end, input.size()) << input;
    EXPECT_GE(span.start, previous_end) << "spans overlap or are unordered: " << input;
    EXPECT_EQ(span.text, input.substr(span.start, span.end - span.start)) << input;
    previous_end = span.end;
  }
  if (IsValidUtf8(input)) {
    EXPECT_TRUE(IsValidUtf8(r.title)) << input;
    for (const std::string& tag : r.tags) EXPECT_TRUE(IsValidUtf8(tag)) << input;
  }
  EXPECT_FALSE(HasControlCharacters(r.title)) << input;
  EXPECT_EQ(r.title, TrimUnicode(r.title)) << input;
  if (r.recurrence) {
    EXPECT_TRUE(r.due_at.has_value()) << input;
  }
  for (const ReminderSpec& spec : r.reminders) {
    EXPECT_NE(spec.before_minutes.has_value(), spec.at.has_value()) << input;
  }
}

TEST(QuickAddInvariants, HoldForEveryTablePhrasing) {
  for (const PhrasingCase& c : AllPhrasings()) {
    ExpectInvariants(c.phrasing.input, ContextOf(*c.group));
  }
}

TEST(QuickAddInvariants, HoldForHostileInput) {
  const auto context = At("2026-11-18T09:00:00Z", "Europe/Berlin");
  const std::vector<std::string> inputs = {
      "",
      " ",
      "\t\n\r",
      std::string("a\0b tomorrow", 12),
      "\xFF\xFE tomorrow \xC3",
      "\xE2\x80\xA8tomorrow\xC2\xA0"
      "5pm",  // U+2028, NBSP
      "every every every every",
      "every! ! !! !!! p p1p1 #",
      "# @ #@ @# ## @@",
      "in 999999999999 days",
      "in 999999 years",
      "every 999999 days",
      "remind me 999999 weeks before",
      "at 99:99 on 99/99/9999",
      "2027-13-45 0000-00-00 9999-12-31",
      "dec 31 9999 at 11:59pm",
      "on the 31st of february",
      "\xF0\x9F\x94\xA5 tomorrow \xF0\x9F\x94\xA5 #\xF0\x9F\x94\xA5",
      "(((tomorrow))) [[[5pm]]]",
      ",,,tomorrow,,,",
      "tomorrow tomorrow tomorrow 5pm 6pm 7pm p1 p2 p3",
      "remind me remind me remind me to",
  };
  for (const std::string& input : inputs) ExpectInvariants(input, context);
}

TEST(QuickAddInvariants, HoldAtTheEdgesOfTime) {
  for (const char* now : {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"}) {
    for (const char* input :
         {"tomorrow 5pm", "every month on the 31st", "in 100 years", "every last friday",
          "next year", "dec 31 at noon", "in 90 minutes", "remind me in 2 hours", "every hour"}) {
      ExpectInvariants(input, At(now, "Europe/Berlin"));
      const QuickAddResult r = ParseQuickAdd(input, At(now, "Europe/Berlin"));
      if (r.due_at) {  // whatever it answers can be written and read back
        EXPECT_EQ(ParseRfc3339(FormatRfc3339(*r.due_at)), r.due_at) << input << " at " << now;
      }
      for (const ReminderSpec& spec : r.reminders) {
        if (spec.at) {
          EXPECT_EQ(ParseRfc3339(FormatRfc3339(*spec.at)), spec.at) << input;
        }
      }
    }
  }
}

// ---- cost ----------------------------------------------------------------------

TEST(QuickAddCost, ManyDistinctTagsAndRemindersStayCheap) {
  std::string input;
  for (int i = 0; input.size() < 200'000; ++i) {
    input +=
        "#t" + std::to_string(i) + " remind me " + std::to_string(i % 500 + 1) + " minutes before ";
  }
  const auto start = std::chrono::steady_clock::now();
  const QuickAddResult r = ParseQuickAdd(input, At("2026-11-18T09:00:00Z", "Europe/Berlin"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GT(r.tags.size(), 5000u);
  EXPECT_EQ(r.reminders.size(), 500u);
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

TEST(QuickAddCost, LongInputParsesInLinearTime) {
  std::string input;
  while (input.size() < 200'000) {
    input += "every mon, wed and fri at 5:30pm #tag-x p1 remind me 30 minutes before 3/12 ";
  }
  const auto start = std::chrono::steady_clock::now();
  const QuickAddResult r = ParseQuickAdd(input, At("2026-11-18T09:00:00Z", "Europe/Berlin"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.recurrence.has_value());
  // Generous for a Debug build with sanitizers on a shared machine; a
  // quadratic parser takes minutes here.
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

}  // namespace
}  // namespace taskflow
