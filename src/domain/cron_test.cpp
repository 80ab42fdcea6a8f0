#include "domain/cron.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace taskflow {
namespace {

Instant At(std::string_view text) {
  const std::optional<Instant> instant = ParseRfc3339(text);
  EXPECT_TRUE(instant.has_value()) << text;
  return instant.value_or(Instant{});
}

template <std::size_t N>
std::vector<int> Bits(const std::bitset<N>& bits) {
  std::vector<int> out;
  for (std::size_t i = 0; i < N; ++i) {
    if (bits[i]) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<int> Range(int from, int to, int step = 1) {
  std::vector<int> out;
  for (int i = from; i <= to; i += step) out.push_back(i);
  return out;
}

// ---- parsing ------------------------------------------------------------------

TEST(ParseCron, Fields) {
  const Result<CronSchedule> s = ParseCron("*/15 9-17 1,15 JAN,jul mon-FRI");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(Bits(s->minutes), (std::vector<int>{0, 15, 30, 45}));
  EXPECT_EQ(Bits(s->hours), Range(9, 17));
  EXPECT_EQ(Bits(s->days_of_month), (std::vector<int>{1, 15}));
  EXPECT_EQ(Bits(s->months), (std::vector<int>{1, 7}));
  EXPECT_EQ(Bits(s->days_of_week), Range(1, 5));
  EXPECT_FALSE(s->day_of_month_star);
  EXPECT_FALSE(s->day_of_week_star);
  EXPECT_EQ(s->text, "*/15 9-17 1,15 JAN,jul mon-FRI");
}

struct ParseCase {
  const char* text;
  std::vector<int> minutes;
  std::vector<int> hours;
  std::vector<int> days_of_month;
  std::vector<int> months;
  std::vector<int> days_of_week;
  bool dom_star;
  bool dow_star;
};

class ParseCronTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseCronTest, Parses) {
  const ParseCase& c = GetParam();
  const Result<CronSchedule> s = ParseCron(c.text);
  ASSERT_TRUE(s.ok()) << c.text << ": " << s.error().message;
  EXPECT_EQ(Bits(s->minutes), c.minutes) << c.text;
  EXPECT_EQ(Bits(s->hours), c.hours) << c.text;
  EXPECT_EQ(Bits(s->days_of_month), c.days_of_month) << c.text;
  EXPECT_EQ(Bits(s->months), c.months) << c.text;
  EXPECT_EQ(Bits(s->days_of_week), c.days_of_week) << c.text;
  EXPECT_EQ(s->day_of_month_star, c.dom_star) << c.text;
  EXPECT_EQ(s->day_of_week_star, c.dow_star) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Expressions, ParseCronTest,
    ::testing::Values(
        ParseCase{"* * * * *", Range(0, 59), Range(0, 23), Range(1, 31), Range(1, 12), Range(0, 6),
                  true, true},
        ParseCase{"0 0 * * 7", {0}, {0}, Range(1, 31), Range(1, 12), {0}, true, false},
        ParseCase{"0 0 * * 0,7", {0}, {0}, Range(1, 31), Range(1, 12), {0}, true, false},
        ParseCase{"0 0 * * 1-7", {0}, {0}, Range(1, 31), Range(1, 12), Range(0, 6), true, false},
        ParseCase{"0 0 * * 5-7", {0}, {0}, Range(1, 31), Range(1, 12), {0, 5, 6}, true, false},
        ParseCase{"0 0 * * SUN,sat", {0}, {0}, Range(1, 31), Range(1, 12), {0, 6}, true, false},
        ParseCase{"5-20/5 */6 */10 */3 *",
                  {5, 10, 15, 20},
                  {0, 6, 12, 18},
                  {1, 11, 21, 31},
                  {1, 4, 7, 10},
                  Range(0, 6),
                  true,
                  true},
        ParseCase{"30/10 0 1 * *", {30, 40, 50}, {0}, {1}, Range(1, 12), Range(0, 6), false, true},
        ParseCase{
            "\t0  12\t* * *  ", {0}, {12}, Range(1, 31), Range(1, 12), Range(0, 6), true, true},
        ParseCase{"59 23 31 DEC SAT", {59}, {23}, {31}, {12}, {6}, false, false},
        ParseCase{"0 0 */2 * 5", {0}, {0}, Range(1, 31, 2), Range(1, 12), {5}, true, false},
        ParseCase{"@daily", {0}, {0}, Range(1, 31), Range(1, 12), Range(0, 6), true, true},
        ParseCase{
            "@HOURLY", {0}, Range(0, 23), Range(1, 31), Range(1, 12), Range(0, 6), true, true},
        ParseCase{"@weekly", {0}, {0}, Range(1, 31), Range(1, 12), {0}, true, false},
        ParseCase{"@monthly", {0}, {0}, {1}, Range(1, 12), Range(0, 6), false, true},
        ParseCase{"@annually", {0}, {0}, {1}, {1}, Range(0, 6), false, true}));

struct ErrorCase {
  std::string text;
  std::string message;
};

class ParseCronErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseCronErrorTest, NamesTheReason) {
  const ErrorCase& c = GetParam();
  const Result<CronSchedule> s = ParseCron(c.text);
  ASSERT_FALSE(s.ok()) << c.text;
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, c.message) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Expressions, ParseCronErrorTest,
    ::testing::Values(
        ErrorCase{"0 0 32 * *", "day-of-month: 32 is out of range 1-31"},
        ErrorCase{"0 0 0 * *", "day-of-month: 0 is out of range 1-31"},
        ErrorCase{"60 * * * *", "minute: 60 is out of range 0-59"},
        ErrorCase{"* 24 * * *", "hour: 24 is out of range 0-23"},
        ErrorCase{"* * * 13 *", "month: 13 is out of range 1-12"},
        ErrorCase{"* * * 0 *", "month: 0 is out of range 1-12"},
        ErrorCase{"* * * * 8", "day-of-week: 8 is out of range 0-7"},
        ErrorCase{"99999999999999999999 * * * *",
                  "minute: 99999999999999999999 is out of range 0-59"},
        ErrorCase{"* * * * * *",
                  "expected 5 fields (minute hour day-of-month month day-of-week), got 6"},
        ErrorCase{"0 0 * * * /usr/bin/backup",
                  "expected 5 fields (minute hour day-of-month month day-of-week), got 6"},
        ErrorCase{"* * * *",
                  "expected 5 fields (minute hour day-of-month month day-of-week), got 4"},
        ErrorCase{"", "is empty"}, ErrorCase{" \t ", "is empty"},
        ErrorCase{"*/0 * * * *", "minute: step 0 is out of range 1-60"},
        ErrorCase{"*/61 * * * *", "minute: step 61 is out of range 1-60"},
        ErrorCase{"1/ * * * *", "minute: missing step after '/'"},
        ErrorCase{"*/x * * * *", "minute: step 'x' is not a number"},
        ErrorCase{"1,,2 * * * *", "minute: empty list item in '1,,2'"},
        ErrorCase{",1 * * * *", "minute: empty list item in ',1'"},
        ErrorCase{"5-1 * * * *", "minute: range 5-1 is backwards"},
        ErrorCase{"* * * * FRI-MON", "day-of-week: range FRI-MON is backwards"},
        ErrorCase{"* * * FOO *", "month: unknown name 'FOO'"},
        ErrorCase{"* * * * MONDAY", "day-of-week: unknown name 'MONDAY'"},
        ErrorCase{"* * * * MON-", "day-of-week: missing value"},
        ErrorCase{"* * * * -5", "day-of-week: missing value"},
        ErrorCase{"a * * * *", "minute: 'a' is not a number"},
        ErrorCase{"MON * * * *", "minute: 'MON' is not a number"},
        ErrorCase{"* * JAN * *", "day-of-month: 'JAN' is not a number"},
        ErrorCase{"1x * * * *", "minute: '1x' is not a number"},
        ErrorCase{"* * * * 1.5", "day-of-week: '1.5' is not a number"},
        ErrorCase{"@reboot",
                  "unknown macro '@reboot' (use @yearly, @monthly, @weekly, @daily or @hourly)"},
        ErrorCase{std::string(300, '*'), "is longer than 256 characters"},
        ErrorCase{std::string("0\n0 * * * *"), "minute: '0\n0' is not a number"}));

// ---- next match -------------------------------------------------------------------

struct NextCase {
  const char* cron;
  const char* zone;
  const char* after;
  const char* expected;  // "" for nullopt
  const char* why;
};

class NextCronTest : public ::testing::TestWithParam<NextCase> {};

TEST_P(NextCronTest, FindsTheNextMatch) {
  const NextCase& c = GetParam();
  const Result<CronSchedule> s = ParseCron(c.cron);
  ASSERT_TRUE(s.ok()) << s.error().message;
  CronSearchStats stats;
  const std::optional<Instant> next = NextCronMatch(*s, At(c.after), c.zone, &stats);
  EXPECT_EQ(next ? FormatRfc3339(*next) : "", c.expected) << c.why;
  EXPECT_LT(stats.steps, 25000) << c.why;
}

INSTANTIATE_TEST_SUITE_P(
    Schedules, NextCronTest,
    ::testing::Values(
        NextCase{"0 9 * * *", "Europe/Berlin", "2026-01-15T07:59:59Z", "2026-01-15T08:00:00Z",
                 "later the same day"},
        NextCase{"0 9 * * *", "Europe/Berlin", "2026-01-15T08:00:00Z", "2026-01-16T08:00:00Z",
                 "strictly after"},
        NextCase{"0 9 * * *", "Europe/Berlin", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z",
                 "09:00 stays 09:00 across spring-forward"},
        NextCase{"30 2 * * *", "Europe/Berlin", "2026-03-28T02:00:00Z", "2026-03-29T01:00:00Z",
                 "02:30 does not exist: fires when the clocks jump"},
        NextCase{"30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z",
                 "and once only"},
        NextCase{"30 2 * * *", "Europe/Berlin", "2026-10-24T01:00:00Z", "2026-10-25T00:30:00Z",
                 "02:30 twice: the earlier"},
        NextCase{"30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z",
                 "ambiguous time fires once"},
        NextCase{"* * * * *", "Europe/Berlin", "2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z",
                 "every minute: the gap's minutes collapse onto the jump"},
        NextCase{"* * * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29T01:01:00Z",
                 "then 03:01 CEST"},
        NextCase{"*/30 * * * *", "America/New_York", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z",
                 "01:30 EDT"},
        NextCase{"*/30 * * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-01T07:00:00Z",
                 "01:00 and 01:30 EST already fired as EDT"},
        NextCase{"*/30 * * * *", "America/New_York", "2026-11-01T06:10:00Z", "2026-11-01T07:00:00Z",
                 "from inside the second pass of the overlap"},
        NextCase{"0 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z",
                 "NY 02:00 on spring-forward day is 03:00 EDT"},
        NextCase{"0 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z", "2026-10-03T15:30:00Z",
                 "Lord Howe 30-minute gap"},
        NextCase{"15 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z",
                 "2026-10-03T15:30:00Z", "inside the Lord Howe gap"},
        NextCase{"45 1 * * *", "Australia/Lord_Howe", "2026-04-04T00:00:00Z",
                 "2026-04-04T14:45:00Z", "Lord Howe overlap: the earlier"},
        NextCase{"45 1 * * *", "Australia/Lord_Howe", "2026-04-04T14:45:00Z",
                 "2026-04-05T15:15:00Z", "Lord Howe overlap fires once"},
        NextCase{"0 9 * * *", "Asia/Kathmandu", "2026-06-01T00:00:00Z", "2026-06-01T03:15:00Z",
                 "Kathmandu +05:45"},
        NextCase{"0 0 13 * 5", "UTC", "2026-01-10T00:00:00Z", "2026-01-13T00:00:00Z",
                 "both restricted: the 13th (a Tuesday) matches"},
        NextCase{"0 0 13 * 5", "UTC", "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z",
                 "both restricted: a Friday matches"},
        NextCase{"0 0 */2 * 5", "UTC", "2026-01-01T00:00:00Z", "2026-01-09T00:00:00Z",
                 "day-of-month starts with '*': odd days AND Fridays"},
        NextCase{"0 0 * * 5", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                 "day-of-week only"},
        NextCase{"0 0 1 * MON", "UTC", "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z",
                 "1st OR Monday"},
        NextCase{"0 12 * JUL SUN", "UTC", "2026-01-01T00:00:00Z", "2026-07-05T12:00:00Z", "names"},
        NextCase{"0 0 31 * *", "UTC", "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z",
                 "skips months without a 31st"},
        NextCase{"0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z", "leap day"},
        NextCase{"0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z",
                 "2100 is not a leap year"},
        NextCase{"0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z", "", "never matches: gives up"},
        NextCase{"0 0 31 4,6,9,11 *", "UTC", "2026-01-01T00:00:00Z", "", "never matches"},
        NextCase{"0 0 29 2 */7", "UTC", "2026-01-01T00:00:00Z", "2032-02-29T00:00:00Z",
                 "leap day that is a Sunday (AND, day-of-week starts with '*')"},
        NextCase{"59 23 31 12 *", "UTC", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z",
                 "year end"},
        NextCase{"0 0 1 1 *", "UTC", "9999-06-01T00:00:00Z", "", "past 9999"},
        NextCase{"0 0 * * *", "America/New_York", "9999-12-31T06:00:00Z", "",
                 "the match would be in year 10000 UTC"},
        NextCase{"0 9 * * *", "Europe/Nowhere", "2026-01-01T00:00:00Z", "", "unknown zone"}));

// A task overdue by ten years: the search starts at the completion time and
// its work does not depend on how many occurrences were missed.
TEST(NextCron, TenYearsOverdueEveryMinuteIsConstantWork) {
  const Result<CronSchedule> s = ParseCron("* * * * *");
  ASSERT_TRUE(s.ok());
  CronSearchStats stats;
  const std::optional<Instant> next =
      NextCronMatch(*s, At("2036-05-17T10:42:13Z"), "Europe/Berlin", &stats);
  ASSERT_TRUE(next);
  EXPECT_EQ(FormatRfc3339(*next), "2036-05-17T10:43:00Z");
  EXPECT_LE(stats.steps, 2);
}

// The worst case, a schedule that never matches, walks at most 12 month
// steps and 31 day steps per month for kCronHorizonYears.
TEST(NextCron, NeverMatchingIsBounded) {
  for (const char* text : {"0 0 30 2 *", "0 0 31 2,4,6,9,11 *", "59 23 31 4 *"}) {
    const Result<CronSchedule> s = ParseCron(text);
    ASSERT_TRUE(s.ok());
    CronSearchStats stats;
    EXPECT_FALSE(NextCronMatch(*s, At("2026-01-01T00:00:00Z"), "Europe/Berlin", &stats));
    EXPECT_LE(stats.steps, (kCronHorizonYears + 1) * 12 * 33) << text;
  }
}

TEST(NextCron, HandBuiltEmptyScheduleNeverMatches) {
  CronSchedule empty;
  EXPECT_FALSE(NextCronMatch(empty, At("2026-01-01T00:00:00Z"), "UTC"));
}

// Every-minute chain across the Berlin fall-back: 120 distinct instants in
// the two hours of wall-clock time 02:00-03:00 would be wrong; each local
// minute fires once, so 02:00..02:59 fire during the first pass only.
TEST(NextCron, FallBackFiresEachWallClockMinuteOnce) {
  const Result<CronSchedule> s = ParseCron("* * * * *");
  ASSERT_TRUE(s.ok());
  Instant t = At("2026-10-25T00:00:00Z");  // 02:00 CEST
  int fired = 0;
  while (t < At("2026-10-25T02:00:00Z")) {  // 03:00 CET
    const std::optional<Instant> next = NextCronMatch(*s, t, "Europe/Berlin");
    ASSERT_TRUE(next);
    t = *next;
    ++fired;
  }
  // 02:01 … 02:59 CEST (59), then 03:00 CET: the second pass of 02:xx is skipped.
  EXPECT_EQ(fired, 60);
}

}  // namespace
}  // namespace taskflow
