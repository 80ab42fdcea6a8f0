#include <gtest/gtest.h>

#include <string>

#include "domain/recurrence.hpp"

namespace taskflow {
namespace {

Instant At(std::string_view text) {
  const std::optional<Instant> instant = ParseRfc3339(text);
  EXPECT_TRUE(instant.has_value()) << text;
  return instant.value_or(Instant{});
}

struct DescribeCase {
  Recurrence recurrence;
  const char* series_start;
  const char* zone;
  const char* expected;
};

Recurrence Rule(RecurrenceRule rule, int interval = 1) {
  Recurrence r;
  r.rule = rule;
  r.interval = interval;
  return r;
}
Recurrence Cron(const char* text) {
  Recurrence r = Rule(RecurrenceRule::kCron);
  r.cron = text;
  return r;
}
Recurrence RRuleOf(const char* text) {
  Recurrence r = Rule(RecurrenceRule::kRRule);
  r.rrule = text;
  return r;
}
Recurrence Completion(Recurrence r) {
  r.anchor = RecurrenceAnchor::kCompletion;
  return r;
}
Recurrence Count(Recurrence r, int count) {
  r.count = count;
  return r;
}
Recurrence Until(Recurrence r, const char* until) {
  r.until = ParseRfc3339(until);
  return r;
}

class DescribeRecurrenceTest : public ::testing::TestWithParam<DescribeCase> {};

TEST_P(DescribeRecurrenceTest, Describes) {
  const DescribeCase& c = GetParam();
  EXPECT_EQ(DescribeRecurrence(c.recurrence, At(c.series_start), c.zone), c.expected);
}

// 2026-01-05 is a Monday.
INSTANTIATE_TEST_SUITE_P(
    Cases, DescribeRecurrenceTest,
    ::testing::Values(
        DescribeCase{Rule(RecurrenceRule::kDaily), "2026-01-05T09:00:00Z", "UTC", "every day"},
        DescribeCase{Rule(RecurrenceRule::kDaily, 2), "2026-01-05T09:00:00Z", "UTC",
                     "every 2 days"},
        DescribeCase{Rule(RecurrenceRule::kWeekly), "2026-01-05T09:00:00Z", "UTC",
                     "every week on Monday"},
        DescribeCase{Rule(RecurrenceRule::kWeekly, 2), "2026-01-05T09:00:00Z", "UTC",
                     "every 2 weeks on Monday"},
        // 23:30 UTC on Monday is already Tuesday in Berlin.
        DescribeCase{Rule(RecurrenceRule::kWeekly), "2026-01-05T23:30:00Z", "Europe/Berlin",
                     "every week on Tuesday"},
        DescribeCase{Rule(RecurrenceRule::kMonthly), "2026-01-31T09:00:00Z", "UTC",
                     "every month on the 31st"},
        DescribeCase{Rule(RecurrenceRule::kMonthly, 3), "2026-01-02T09:00:00Z", "UTC",
                     "every 3 months on the 2nd"},
        DescribeCase{Rule(RecurrenceRule::kMonthly), "2026-01-13T09:00:00Z", "UTC",
                     "every month on the 13th"},
        DescribeCase{Rule(RecurrenceRule::kMonthly), "2026-01-23T09:00:00Z", "UTC",
                     "every month on the 23rd"},
        DescribeCase{Rule(RecurrenceRule::kYearly), "2026-01-05T09:00:00Z", "UTC",
                     "every year on January 5"},
        DescribeCase{Rule(RecurrenceRule::kYearly, 2), "2024-02-29T09:00:00Z", "UTC",
                     "every 2 years on February 29"},
        DescribeCase{Completion(Rule(RecurrenceRule::kDaily, 3)), "2026-01-05T09:00:00Z", "UTC",
                     "every 3 days after completion"},
        DescribeCase{Completion(Rule(RecurrenceRule::kWeekly)), "2026-01-05T09:00:00Z", "UTC",
                     "every week after completion"},
        DescribeCase{Count(Rule(RecurrenceRule::kDaily), 5), "2026-01-05T09:00:00Z", "UTC",
                     "every day, 5 times"},
        DescribeCase{Count(Rule(RecurrenceRule::kDaily), 1), "2026-01-05T09:00:00Z", "UTC",
                     "every day, once"},
        DescribeCase{Until(Rule(RecurrenceRule::kWeekly), "2026-12-31T23:30:00Z"),
                     "2026-01-05T09:00:00Z", "Asia/Kathmandu",
                     "every week on Monday until January 1, 2027"},
        DescribeCase{Cron("0 9 * * 1-5"), "2026-01-05T09:00:00Z", "UTC", "at 09:00 on weekdays"},
        DescribeCase{Cron("30 18 * * SAT,SUN"), "2026-01-05T09:00:00Z", "UTC",
                     "at 18:30 on weekends"},
        DescribeCase{Cron("0 8 * * 1,3,5"), "2026-01-05T09:00:00Z", "UTC",
                     "at 08:00 on Monday, Wednesday and Friday"},
        DescribeCase{Cron("0 9 * * *"), "2026-01-05T09:00:00Z", "UTC", "every day at 09:00"},
        DescribeCase{Cron("0 9 15 * *"), "2026-01-05T09:00:00Z", "UTC",
                     "at 09:00 on the 15th of every month"},
        DescribeCase{Cron("0 9 5 JAN *"), "2026-01-05T09:00:00Z", "UTC", "at 09:00 on January 5"},
        DescribeCase{Cron("* * * * *"), "2026-01-05T09:00:00Z", "UTC", "every minute"},
        DescribeCase{Cron("*/15 * * * *"), "2026-01-05T09:00:00Z", "UTC", "every 15 minutes"},
        DescribeCase{Cron("0 * * * *"), "2026-01-05T09:00:00Z", "UTC", "every hour"},
        DescribeCase{Cron("15 * * * *"), "2026-01-05T09:00:00Z", "UTC", "every hour at :15"},
        DescribeCase{Cron("0 */2 * * *"), "2026-01-05T09:00:00Z", "UTC", "every 2 hours"},
        DescribeCase{Cron("@daily"), "2026-01-05T09:00:00Z", "UTC", "every day at 00:00"},
        DescribeCase{Cron("0 9,17 1-7 * 1"), "2026-01-05T09:00:00Z", "UTC", "cron: 0 9,17 1-7 * 1"},
        DescribeCase{RRuleOf("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"), "2026-01-05T09:00:00Z", "UTC",
                     "every weekday"},
        DescribeCase{RRuleOf("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"), "2026-01-05T09:00:00Z", "UTC",
                     "every weekday"},
        DescribeCase{RRuleOf("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"), "2026-01-05T09:00:00Z", "UTC",
                     "every 2 weeks on Monday"},
        DescribeCase{RRuleOf("FREQ=WEEKLY;BYDAY=TU,TH"), "2026-01-05T09:00:00Z", "UTC",
                     "every week on Tuesday and Thursday"},
        DescribeCase{RRuleOf("FREQ=WEEKLY"), "2026-01-05T09:00:00Z", "UTC", "every week on Monday"},
        DescribeCase{RRuleOf("FREQ=MONTHLY;BYDAY=-1FR"), "2026-01-05T09:00:00Z", "UTC",
                     "every month on the last Friday"},
        DescribeCase{RRuleOf("FREQ=MONTHLY;BYDAY=2TU"), "2026-01-05T09:00:00Z", "UTC",
                     "every month on the second Tuesday"},
        DescribeCase{RRuleOf("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
                     "2026-01-05T09:00:00Z", "UTC", "every month on the last weekday"},
        DescribeCase{RRuleOf("FREQ=MONTHLY;BYMONTHDAY=15"), "2026-01-05T09:00:00Z", "UTC",
                     "every month on the 15th"},
        DescribeCase{RRuleOf("FREQ=MONTHLY;BYMONTHDAY=-1"), "2026-01-05T09:00:00Z", "UTC",
                     "every month on the last day"},
        DescribeCase{RRuleOf("FREQ=MONTHLY;INTERVAL=3"), "2026-01-05T09:00:00Z", "UTC",
                     "every 3 months on the 5th"},
        DescribeCase{RRuleOf("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH"), "2026-01-05T09:00:00Z", "UTC",
                     "every year on the fourth Thursday of November"},
        DescribeCase{RRuleOf("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=5"), "2026-03-05T09:00:00Z", "UTC",
                     "every year on January 5"},
        DescribeCase{RRuleOf("FREQ=YEARLY"), "2026-01-05T09:00:00Z", "UTC",
                     "every year on January 5"},
        DescribeCase{RRuleOf("FREQ=DAILY;BYHOUR=9;BYMINUTE=30"), "2026-01-05T09:00:00Z", "UTC",
                     "every day at 09:30"},
        DescribeCase{RRuleOf("FREQ=HOURLY;INTERVAL=4"), "2026-01-05T09:00:00Z", "UTC",
                     "every 4 hours"},
        DescribeCase{RRuleOf("FREQ=MONTHLY;BYMONTHDAY=1,15"), "2026-01-05T09:00:00Z", "UTC",
                     "rrule: FREQ=MONTHLY;BYMONTHDAY=1,15"},
        DescribeCase{RRuleOf("FREQ=NEVER"), "2026-01-05T09:00:00Z", "UTC", "rrule: FREQ=NEVER"},
        DescribeCase{Rule(RecurrenceRule::kDaily), "2026-01-05T09:00:00Z", "Unknown/Zone",
                     "every day"}));

}  // namespace
}  // namespace taskflow
