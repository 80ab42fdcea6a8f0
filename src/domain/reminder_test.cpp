#include "domain/reminder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace taskflow {
namespace {

struct ReminderCase {
  const char* name;
  ReminderSpec spec;
  const char* due_at;  // "" for none
  bool all_day;
  const char* zone;
  const char* expected;  // "" for nullopt
};

ReminderSpec Before(int minutes) { return ReminderSpec{minutes, std::nullopt}; }
ReminderSpec AtTime(const char* text) { return ReminderSpec{std::nullopt, ParseRfc3339(text)}; }

class PlanReminderTest : public ::testing::TestWithParam<ReminderCase> {};

TEST_P(PlanReminderTest, Plans) {
  const ReminderCase& c = GetParam();
  const std::optional<Instant> due =
      std::string_view(c.due_at).empty() ? std::nullopt : ParseRfc3339(c.due_at);
  const std::optional<Instant> at = PlanReminder(c.spec, due, c.all_day, c.zone);
  EXPECT_EQ(at ? FormatRfc3339(*at) : "", c.expected) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PlanReminderTest,
    ::testing::Values(
        ReminderCase{"relative", Before(30), "2026-12-01T09:00:00Z", false, "UTC",
                     "2026-12-01T08:30:00Z"},
        ReminderCase{"zero lead", Before(0), "2026-12-01T09:00:00Z", false, "UTC",
                     "2026-12-01T09:00:00Z"},
        ReminderCase{"a day before", Before(1440), "2026-12-01T09:00:00Z", false, "Europe/Berlin",
                     "2026-11-30T09:00:00Z"},
        ReminderCase{"a year before", Before(525600), "2026-12-01T09:00:00Z", false, "UTC",
                     "2025-12-01T09:00:00Z"},
        ReminderCase{"relative ignores an unknown zone", Before(30), "2026-12-01T09:00:00Z", false,
                     "Nowhere/City", "2026-12-01T08:30:00Z"},
        ReminderCase{"absolute", AtTime("2026-12-01T08:00:00Z"), "", false, "UTC",
                     "2026-12-01T08:00:00Z"},
        ReminderCase{"absolute ignores the due date", AtTime("2027-01-01T00:00:00Z"),
                     "2026-12-01T09:00:00Z", true, "UTC", "2027-01-01T00:00:00Z"},
        ReminderCase{"no due date", Before(30), "", false, "UTC", ""},
        ReminderCase{"negative lead", Before(-1), "2026-12-01T09:00:00Z", false, "UTC", ""},
        ReminderCase{"lead over a year", Before(525601), "2026-12-01T09:00:00Z", false, "UTC", ""},
        ReminderCase{"both forms", ReminderSpec{30, ParseRfc3339("2026-12-01T08:00:00Z")},
                     "2026-12-01T09:00:00Z", false, "UTC", ""},
        ReminderCase{"neither form", ReminderSpec{}, "2026-12-01T09:00:00Z", false, "UTC", ""},
        // All-day: 09:00 local on the due day, minus the lead.
        ReminderCase{"all-day Berlin", Before(0), "2026-11-30T23:00:00Z", true, "Europe/Berlin",
                     "2026-12-01T08:00:00Z"},
        ReminderCase{"all-day a day before", Before(1440), "2026-11-30T23:00:00Z", true,
                     "Europe/Berlin", "2026-11-30T08:00:00Z"},
        ReminderCase{"all-day summer", Before(30), "2026-06-30T22:00:00Z", true, "Europe/Berlin",
                     "2026-07-01T06:30:00Z"},
        ReminderCase{"all-day on the spring-forward day", Before(60), "2026-03-08T05:00:00Z", true,
                     "America/New_York", "2026-03-08T12:00:00Z"},
        ReminderCase{"all-day Lord Howe", Before(0), "2026-10-03T13:30:00Z", true,
                     "Australia/Lord_Howe", "2026-10-03T22:00:00Z"},
        ReminderCase{"all-day Kathmandu", Before(15), "2026-05-31T18:15:00Z", true,
                     "Asia/Kathmandu", "2026-06-01T03:00:00Z"},
        ReminderCase{"all-day unknown zone", Before(15), "2026-05-31T18:15:00Z", true,
                     "Nowhere/City", ""}));

}  // namespace
}  // namespace taskflow
