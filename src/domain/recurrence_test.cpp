#include "domain/recurrence.hpp"

#include <gtest/gtest.h>

#include <string>

#include "domain/cron.hpp"

namespace taskflow {
namespace {

Instant At(std::string_view text) {
  const std::optional<Instant> instant = ParseRfc3339(text);
  EXPECT_TRUE(instant.has_value()) << text;
  return instant.value_or(Instant{});
}

// ---- enums -------------------------------------------------------------------

TEST(RecurrenceEnums, RoundTrip) {
  for (RecurrenceRule rule :
       {RecurrenceRule::kDaily, RecurrenceRule::kWeekly, RecurrenceRule::kMonthly,
        RecurrenceRule::kYearly, RecurrenceRule::kCron, RecurrenceRule::kRRule}) {
    EXPECT_EQ(ParseRecurrenceRule(ToString(rule)), rule);
  }
  EXPECT_EQ(ToString(RecurrenceRule::kRRule), "rrule");
  EXPECT_EQ(ToString(RecurrenceRule::kDaily), "daily");
  EXPECT_FALSE(ParseRecurrenceRule("Daily"));
  EXPECT_FALSE(ParseRecurrenceRule("hourly"));
  EXPECT_FALSE(ParseRecurrenceRule(""));
  EXPECT_EQ(ParseRecurrenceAnchor("due"), RecurrenceAnchor::kDue);
  EXPECT_EQ(ParseRecurrenceAnchor("completion"), RecurrenceAnchor::kCompletion);
  EXPECT_EQ(ToString(RecurrenceAnchor::kCompletion), "completion");
  EXPECT_EQ(ToString(RecurrenceAnchor::kDue), "due");
  EXPECT_FALSE(ParseRecurrenceAnchor("start"));
}

// ---- NormalizeRecurrence --------------------------------------------------------

Recurrence Make(RecurrenceRule rule, int interval = 1, std::string cron = "",
                std::string rrule = "") {
  Recurrence r;
  r.rule = rule;
  r.interval = interval;
  r.cron = std::move(cron);
  r.rrule = std::move(rrule);
  return r;
}

TEST(NormalizeRecurrence, AcceptsAndCanonicalizes) {
  Result<Recurrence> daily = NormalizeRecurrence(Make(RecurrenceRule::kDaily, 1000));
  ASSERT_TRUE(daily.ok());
  EXPECT_EQ(daily->interval, 1000);

  Result<Recurrence> cron = NormalizeRecurrence(Make(RecurrenceRule::kCron, 1, "  0   9 * * 1-5 "));
  ASSERT_TRUE(cron.ok());
  EXPECT_EQ(cron->cron, "0 9 * * 1-5");

  Result<Recurrence> rrule =
      NormalizeRecurrence(Make(RecurrenceRule::kRRule, 1, "", "rrule:freq=monthly;byday=-1fr"));
  ASSERT_TRUE(rrule.ok());
  EXPECT_EQ(rrule->rrule, "FREQ=MONTHLY;BYDAY=-1FR");

  Recurrence with_end = Make(RecurrenceRule::kWeekly, 2);
  with_end.count = 1;
  with_end.until = At("2027-01-01T00:00:00Z");
  with_end.anchor = RecurrenceAnchor::kCompletion;
  Result<Recurrence> normalized = NormalizeRecurrence(with_end);
  ASSERT_TRUE(normalized.ok());
  EXPECT_EQ(*normalized, with_end);
}

struct NormalizeError {
  Recurrence recurrence;
  std::vector<FieldError> errors;
};

Recurrence WithCount(Recurrence r, int count) {
  r.count = count;
  return r;
}

Recurrence WithCompletion(Recurrence r) {
  r.anchor = RecurrenceAnchor::kCompletion;
  return r;
}

class NormalizeRecurrenceErrorTest : public ::testing::TestWithParam<NormalizeError> {};

TEST_P(NormalizeRecurrenceErrorTest, NamesEachField) {
  const Result<Recurrence> r = NormalizeRecurrence(GetParam().recurrence);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().fields, GetParam().errors);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NormalizeRecurrenceErrorTest,
    ::testing::Values(
        NormalizeError{Make(RecurrenceRule::kDaily, 0),
                       {{"recurrence.interval", "must be 1 to 1000"}}},
        NormalizeError{Make(RecurrenceRule::kMonthly, 1001),
                       {{"recurrence.interval", "must be 1 to 1000"}}},
        NormalizeError{Make(RecurrenceRule::kCron),
                       {{"recurrence.cron", "is required for rule cron"}}},
        NormalizeError{Make(RecurrenceRule::kCron, 1, "0 0 32 * *"),
                       {{"recurrence.cron", "day-of-month: 32 is out of range 1-31"}}},
        NormalizeError{Make(RecurrenceRule::kCron, 1, "* * * * * *"),
                       {{"recurrence.cron",
                         "expected 5 fields (minute hour day-of-month month day-of-week), got 6"}}},
        NormalizeError{Make(RecurrenceRule::kCron, 2, "0 9 * * *"),
                       {{"recurrence.interval",
                         "must be 1 for rule cron (the expression sets the schedule)"}}},
        NormalizeError{Make(RecurrenceRule::kRRule),
                       {{"recurrence.rrule", "is required for rule rrule"}}},
        NormalizeError{Make(RecurrenceRule::kRRule, 1, "", "FREQ=MINUTELY"),
                       {{"recurrence.rrule",
                         "FREQ=MINUTELY is not supported: the shortest recurrence is HOURLY (use "
                         "cron for minute schedules)"}}},
        NormalizeError{Make(RecurrenceRule::kRRule, 1, "", "FREQ=MONTHLY;BYMONTHDAY=32"),
                       {{"recurrence.rrule", "BYMONTHDAY: 32 is out of range ±1..31"}}},
        NormalizeError{Make(RecurrenceRule::kDaily, 1, "0 9 * * *"),
                       {{"recurrence.cron", "must be empty unless rule is cron"}}},
        NormalizeError{Make(RecurrenceRule::kCron, 1, "0 9 * * *", "FREQ=DAILY"),
                       {{"recurrence.rrule", "must be empty unless rule is rrule"}}},
        NormalizeError{WithCompletion(Make(RecurrenceRule::kCron, 1, "0 9 * * *")),
                       {{"recurrence.anchor",
                         "completion applies to daily, weekly, monthly and yearly rules"}}},
        NormalizeError{WithCount(Make(RecurrenceRule::kDaily), 0),
                       {{"recurrence.count", "must be 1 to 1000000"}}},
        NormalizeError{WithCount(Make(RecurrenceRule::kDaily, 0), -5),
                       {{"recurrence.interval", "must be 1 to 1000"},
                        {"recurrence.count", "must be 1 to 1000000"}}}));

TEST(NormalizeRecurrence, UsesTheGivenFieldPrefix) {
  const Result<Recurrence> r =
      NormalizeRecurrence(Make(RecurrenceRule::kCron, 1, "61 * * * *"), "task.recurrence");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields,
            (std::vector<FieldError>{{"task.recurrence.cron", "minute: 61 is out of range 0-59"}}));
}

// ---- NextOccurrence ----------------------------------------------------------------

struct NextCase {
  const char* name;
  Recurrence recurrence;
  const char* zone;
  const char* series_start;
  const char* previous_due;
  const char* completed_at;
  const char* expected;  // "" for nullopt
  bool all_day = false;
  int occurrence_index = 1;
};

Recurrence Rule(RecurrenceRule rule, int interval = 1) { return Make(rule, interval); }
Recurrence Cron(const char* text) { return Make(RecurrenceRule::kCron, 1, text); }
Recurrence RRuleOf(const char* text) { return Make(RecurrenceRule::kRRule, 1, "", text); }
Recurrence Until(Recurrence r, const char* until) {
  r.until = ParseRfc3339(until);
  return r;
}

class NextOccurrenceTest : public ::testing::TestWithParam<NextCase> {};

TEST_P(NextOccurrenceTest, Computes) {
  const NextCase& c = GetParam();
  OccurrenceContext context;
  context.series_start = At(c.series_start);
  context.previous_due = At(c.previous_due);
  context.completed_at = At(c.completed_at);
  context.timezone = c.zone;
  context.all_day = c.all_day;
  context.occurrence_index = c.occurrence_index;
  const std::optional<Instant> next = NextOccurrence(c.recurrence, context);
  EXPECT_EQ(next ? FormatRfc3339(*next) : "", c.expected) << c.name;
}

std::string CaseName(const ::testing::TestParamInfo<NextCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(
    Calendar, NextOccurrenceTest,
    ::testing::Values(
        // Daily at 09:00 Berlin across spring-forward and fall-back.
        NextCase{"DailyBerlinSpringForward", Rule(RecurrenceRule::kDaily), "Europe/Berlin",
                 "2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-28T10:00:00Z",
                 "2026-03-29T07:00:00Z"},
        NextCase{"DailyBerlinFallBack", Rule(RecurrenceRule::kDaily), "Europe/Berlin",
                 "2026-10-23T07:00:00Z", "2026-10-24T07:00:00Z", "2026-10-24T09:00:00Z",
                 "2026-10-25T08:00:00Z"},
        NextCase{"DailyInTheGap", Rule(RecurrenceRule::kDaily), "Europe/Berlin",
                 "2026-03-27T01:30:00Z", "2026-03-28T01:30:00Z", "2026-03-28T05:00:00Z",
                 "2026-03-29T01:00:00Z"},
        NextCase{"DailyAfterTheGap", Rule(RecurrenceRule::kDaily), "Europe/Berlin",
                 "2026-03-27T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T05:00:00Z",
                 "2026-03-30T00:30:00Z"},
        NextCase{"DailyInTheOverlap", Rule(RecurrenceRule::kDaily), "America/New_York",
                 "2026-10-30T05:30:00Z", "2026-10-31T05:30:00Z", "2026-10-31T06:00:00Z",
                 "2026-11-01T05:30:00Z"},
        NextCase{"DailyAfterTheOverlap", Rule(RecurrenceRule::kDaily), "America/New_York",
                 "2026-10-30T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T05:40:00Z",
                 "2026-11-02T06:30:00Z"},
        NextCase{"DailyLordHoweGap", Rule(RecurrenceRule::kDaily), "Australia/Lord_Howe",
                 "2026-10-01T15:45:00Z", "2026-10-02T15:45:00Z", "2026-10-02T16:00:00Z",
                 "2026-10-03T15:30:00Z"},
        NextCase{"DailyLordHoweOverlap", Rule(RecurrenceRule::kDaily), "Australia/Lord_Howe",
                 "2026-04-01T14:45:00Z", "2026-04-03T14:45:00Z", "2026-04-03T15:00:00Z",
                 "2026-04-04T14:45:00Z"},
        NextCase{"DailyKathmandu", Rule(RecurrenceRule::kDaily), "Asia/Kathmandu",
                 "2026-06-01T03:15:00Z", "2026-06-01T03:15:00Z", "2026-06-01T04:00:00Z",
                 "2026-06-02T03:15:00Z"},
        // Weekly at 09:00 New York across spring-forward.
        NextCase{"WeeklyNewYork", Rule(RecurrenceRule::kWeekly), "America/New_York",
                 "2026-03-02T14:00:00Z", "2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z",
                 "2026-03-09T13:00:00Z"},
        NextCase{"EveryTwoWeeksStaysAligned", Rule(RecurrenceRule::kWeekly, 2), "UTC",
                 "2026-01-05T09:00:00Z", "2026-01-05T09:00:00Z", "2026-01-21T10:00:00Z",
                 "2026-02-02T09:00:00Z"},
        // Month ends.
        NextCase{"MonthlyOn31stToFebruary", Rule(RecurrenceRule::kMonthly), "UTC",
                 "2026-01-31T09:00:00Z", "2026-01-31T09:00:00Z", "2026-01-31T10:00:00Z",
                 "2026-02-28T09:00:00Z"},
        NextCase{"MonthlyOn31stBackTo31st", Rule(RecurrenceRule::kMonthly), "UTC",
                 "2026-01-31T09:00:00Z", "2026-02-28T09:00:00Z", "2026-02-28T10:00:00Z",
                 "2026-03-31T09:00:00Z"},
        NextCase{"MonthlyOn31stToApril30", Rule(RecurrenceRule::kMonthly), "UTC",
                 "2026-01-31T09:00:00Z", "2026-03-31T09:00:00Z", "2026-03-31T10:00:00Z",
                 "2026-04-30T09:00:00Z"},
        NextCase{"MonthlyOn31stLeapFebruary", Rule(RecurrenceRule::kMonthly), "UTC",
                 "2028-01-31T09:00:00Z", "2028-01-31T09:00:00Z", "2028-02-01T00:00:00Z",
                 "2028-02-29T09:00:00Z"},
        NextCase{"MonthlyOn30thInFebruary", Rule(RecurrenceRule::kMonthly), "Europe/Berlin",
                 "2026-01-30T08:00:00Z", "2026-01-30T08:00:00Z", "2026-01-30T09:00:00Z",
                 "2026-02-28T08:00:00Z"},
        NextCase{"EveryThreeMonthsOn31st", Rule(RecurrenceRule::kMonthly, 3), "UTC",
                 "2026-01-31T09:00:00Z", "2026-04-30T09:00:00Z", "2026-05-02T00:00:00Z",
                 "2026-07-31T09:00:00Z"},
        NextCase{"MonthlyAcrossYearEnd", Rule(RecurrenceRule::kMonthly), "UTC",
                 "2026-10-15T09:00:00Z", "2026-12-15T09:00:00Z", "2026-12-15T10:00:00Z",
                 "2027-01-15T09:00:00Z"},
        // Leap years.
        NextCase{"YearlyFeb29ToFeb28", Rule(RecurrenceRule::kYearly), "UTC", "2024-02-29T09:00:00Z",
                 "2024-02-29T09:00:00Z", "2024-02-29T10:00:00Z", "2025-02-28T09:00:00Z"},
        NextCase{"YearlyFeb29BackToFeb29", Rule(RecurrenceRule::kYearly), "UTC",
                 "2024-02-29T09:00:00Z", "2027-02-28T09:00:00Z", "2027-02-28T10:00:00Z",
                 "2028-02-29T09:00:00Z"},
        NextCase{"YearlyFeb29Skips2100", Rule(RecurrenceRule::kYearly, 4), "UTC",
                 "2096-02-29T09:00:00Z", "2096-02-29T09:00:00Z", "2096-03-01T00:00:00Z",
                 "2100-02-28T09:00:00Z"},
        // Never born overdue; strictly after the previous due date.
        NextCase{"CompletedLateSkipsMissed", Rule(RecurrenceRule::kDaily), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z", "2026-01-10T12:00:00Z",
                 "2026-01-11T09:00:00Z"},
        NextCase{"CompletedBeforeItsTime", Rule(RecurrenceRule::kDaily), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-10T09:00:00Z", "2026-01-10T08:00:00Z",
                 "2026-01-11T09:00:00Z"},
        NextCase{"CompletedEarlyDays", Rule(RecurrenceRule::kWeekly), "UTC", "2026-01-05T09:00:00Z",
                 "2026-01-12T09:00:00Z", "2026-01-08T08:00:00Z", "2026-01-19T09:00:00Z"},
        NextCase{"TenYearsOverdue", Rule(RecurrenceRule::kDaily), "Europe/Berlin",
                 "2016-01-01T08:00:00Z", "2016-01-01T08:00:00Z", "2026-01-15T12:00:00Z",
                 "2026-01-16T08:00:00Z"},
        // Completion anchor: completion date plus the interval, at the anchor's time.
        NextCase{"CompletionDaily", WithCompletion(Rule(RecurrenceRule::kDaily, 3)), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z", "2026-01-10T15:00:00Z",
                 "2026-01-13T09:00:00Z"},
        NextCase{"CompletionEarly", WithCompletion(Rule(RecurrenceRule::kWeekly)), "Europe/Berlin",
                 "2026-01-05T08:00:00Z", "2026-01-12T08:00:00Z", "2026-01-09T17:00:00Z",
                 "2026-01-16T08:00:00Z"},
        // Completed long before its due date: counted from the completion, and
        // the series goes on (it does not end for coming before that date).
        NextCase{"CompletionWellBeforeTheDueDate", WithCompletion(Rule(RecurrenceRule::kDaily, 2)),
                 "UTC", "2030-01-01T09:00:00Z", "2030-01-01T09:00:00Z", "2026-11-25T21:00:00Z",
                 "2026-11-27T09:00:00Z"},
        NextCase{"CompletionMonthlyClamps", WithCompletion(Rule(RecurrenceRule::kMonthly)), "UTC",
                 "2026-01-15T09:00:00Z", "2026-01-15T09:00:00Z", "2026-01-31T20:00:00Z",
                 "2026-02-28T09:00:00Z"},
        NextCase{"CompletionYearly", WithCompletion(Rule(RecurrenceRule::kYearly)),
                 "America/New_York", "2026-03-01T14:00:00Z", "2026-03-01T14:00:00Z",
                 "2026-04-02T03:00:00Z", "2027-04-01T13:00:00Z"},
        NextCase{"CompletionAcrossDst", WithCompletion(Rule(RecurrenceRule::kDaily)),
                 "Europe/Berlin", "2026-03-20T08:00:00Z", "2026-03-27T08:00:00Z",
                 "2026-03-28T20:00:00Z", "2026-03-29T07:00:00Z"},
        // All-day: dates only, due_at is the start of the local day.
        NextCase{"AllDayDaily", Rule(RecurrenceRule::kDaily), "Europe/Berlin",
                 "2026-03-01T23:00:00Z", "2026-03-01T23:00:00Z", "2026-03-02T14:00:00Z",
                 "2026-03-02T23:00:00Z", true},
        NextCase{"AllDayAcrossSpringForward", Rule(RecurrenceRule::kDaily), "Europe/Berlin",
                 "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T09:00:00Z",
                 "2026-03-29T22:00:00Z", true},
        NextCase{"AllDayCompletedTheDayBefore", Rule(RecurrenceRule::kWeekly), "America/New_York",
                 "2026-01-05T05:00:00Z", "2026-01-12T05:00:00Z", "2026-01-11T20:00:00Z",
                 "2026-01-19T05:00:00Z", true},
        NextCase{"AllDayCompletedLate", Rule(RecurrenceRule::kMonthly), "Asia/Kathmandu",
                 "2026-01-30T18:15:00Z", "2026-01-30T18:15:00Z", "2026-03-05T10:00:00Z",
                 "2026-03-30T18:15:00Z", true},
        NextCase{"AllDayCompletion", WithCompletion(Rule(RecurrenceRule::kDaily, 2)), "UTC",
                 "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-05T23:59:00Z",
                 "2026-01-07T00:00:00Z", true},
        // Until and count.
        NextCase{"UntilInclusive", Until(Rule(RecurrenceRule::kDaily), "2026-01-03T09:00:00Z"),
                 "UTC", "2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z", "2026-01-02T10:00:00Z",
                 "2026-01-03T09:00:00Z"},
        NextCase{"UntilPassed", Until(Rule(RecurrenceRule::kDaily), "2026-01-03T08:59:59Z"), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z", "2026-01-02T10:00:00Z", ""},
        NextCase{"CountReached", WithCount(Rule(RecurrenceRule::kDaily), 3), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-03T09:00:00Z", "2026-01-03T10:00:00Z", "", false,
                 3},
        NextCase{"CountNotYetReached", WithCount(Rule(RecurrenceRule::kDaily), 3), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z", "2026-01-02T10:00:00Z",
                 "2026-01-03T09:00:00Z", false, 2},
        // Bounds.
        NextCase{"PastYear9999", Rule(RecurrenceRule::kYearly, 1000), "UTC", "9000-01-01T00:00:00Z",
                 "9000-01-01T00:00:00Z", "9000-01-01T01:00:00Z", ""},
        NextCase{"LastDay", Rule(RecurrenceRule::kDaily), "UTC", "9999-12-30T00:00:00Z",
                 "9999-12-31T00:00:00Z", "9999-12-31T01:00:00Z", ""},
        NextCase{"InstantPast9999", Rule(RecurrenceRule::kDaily), "America/New_York",
                 "9999-12-30T04:00:00Z", "9999-12-31T04:00:00Z", "9999-12-31T04:30:00Z", ""},
        NextCase{"IntervalNotNormalized", Rule(RecurrenceRule::kDaily, 0), "UTC",
                 "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", ""},
        NextCase{"DailyFromYearOneToYear9999", Rule(RecurrenceRule::kDaily), "UTC",
                 "0001-01-01T09:00:00Z", "0001-01-01T09:00:00Z", "9999-06-01T10:00:00Z",
                 "9999-06-02T09:00:00Z"},
        NextCase{"WeeklyFromYearOneToYear9999", Rule(RecurrenceRule::kWeekly, 3), "UTC",
                 "0001-01-01T03:15:00Z", "0001-01-01T03:15:00Z", "9999-06-01T10:00:00Z",
                 "9999-06-14T03:15:00Z"},
        NextCase{"HugeIntervalFromYearOne", Rule(RecurrenceRule::kMonthly, 1000), "UTC",
                 "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-01-01T00:00:00Z", ""},
        NextCase{"UnknownZone", Rule(RecurrenceRule::kDaily), "Nowhere/City",
                 "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", ""}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    Expressions, NextOccurrenceTest,
    ::testing::Values(
        NextCase{"CronWeekdays", Cron("0 9 * * 1-5"), "Europe/Berlin", "2026-01-09T08:00:00Z",
                 "2026-01-09T08:00:00Z", "2026-01-09T08:30:00Z", "2026-01-12T08:00:00Z"},
        NextCase{"CronCompletedBeforeDue", Cron("0 9 * * 1-5"), "Europe/Berlin",
                 "2026-01-05T08:00:00Z", "2026-01-12T08:00:00Z", "2026-01-10T12:00:00Z",
                 "2026-01-13T08:00:00Z"},
        NextCase{"CronTenYearsOverdueEveryMinute", Cron("* * * * *"), "Europe/Berlin",
                 "2016-05-17T10:00:00Z", "2016-05-17T10:00:00Z", "2026-05-17T10:42:13Z",
                 "2026-05-17T10:43:00Z"},
        NextCase{"CronNeverMatches", Cron("0 0 30 2 *"), "UTC", "2026-01-01T00:00:00Z",
                 "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", ""},
        NextCase{"CronAllDay", Cron("0 9 * * 1"), "Europe/Berlin", "2026-01-04T23:00:00Z",
                 "2026-01-04T23:00:00Z", "2026-01-05T10:00:00Z", "2026-01-11T23:00:00Z", true},
        NextCase{"CronAllDaySameDayLater", Cron("0 18 * * *"), "UTC", "2026-01-05T00:00:00Z",
                 "2026-01-05T00:00:00Z", "2026-01-05T10:00:00Z", "2026-01-06T00:00:00Z", true},
        NextCase{"CronUntil", Until(Cron("0 9 * * *"), "2026-01-05T00:00:00Z"), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-04T09:00:00Z", "2026-01-04T09:30:00Z", ""},
        NextCase{"CronCount", WithCount(Cron("0 9 * * *"), 2), "UTC", "2026-01-01T09:00:00Z",
                 "2026-01-02T09:00:00Z", "2026-01-02T09:30:00Z", "", false, 2},
        NextCase{"CronInvalidStored", Cron("0 0 32 * *"), "UTC", "2026-01-01T09:00:00Z",
                 "2026-01-02T09:00:00Z", "2026-01-02T09:30:00Z", ""},
        NextCase{"RRuleLastFriday", RRuleOf("FREQ=MONTHLY;BYDAY=-1FR"), "Europe/Berlin",
                 "2026-01-30T08:00:00Z", "2026-02-27T08:00:00Z", "2026-03-01T10:00:00Z",
                 "2026-03-27T08:00:00Z"},
        NextCase{"RRuleCountInside", RRuleOf("FREQ=DAILY;COUNT=3"), "UTC", "2026-01-01T09:00:00Z",
                 "2026-01-03T09:00:00Z", "2026-01-03T10:00:00Z", "", false, 3},
        NextCase{"RRuleCountInsideNotReached", RRuleOf("FREQ=DAILY;COUNT=3"), "UTC",
                 "2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z", "2026-01-02T10:00:00Z",
                 "2026-01-03T09:00:00Z", false, 2},
        NextCase{"RRuleAllDay", RRuleOf("FREQ=WEEKLY;BYDAY=MO,TH"), "America/New_York",
                 "2026-01-05T05:00:00Z", "2026-01-05T05:00:00Z", "2026-01-05T20:00:00Z",
                 "2026-01-08T05:00:00Z", true},
        NextCase{"RRuleEveryOtherMonday", RRuleOf("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
                 "Australia/Lord_Howe", "2026-09-20T22:30:00Z", "2026-09-20T22:30:00Z",
                 "2026-09-21T01:00:00Z", "2026-10-04T22:00:00Z"}),
    CaseName);

}  // namespace
}  // namespace taskflow
