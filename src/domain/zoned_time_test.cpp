#include "domain/zoned_time.hpp"

#include <gtest/gtest.h>

#include <string>

namespace taskflow {
namespace {

using std::chrono::minutes;

Instant At(std::string_view text) {
  const std::optional<Instant> instant = ParseRfc3339(text);
  EXPECT_TRUE(instant.has_value()) << text;
  return instant.value_or(Instant{});
}

// "2026-03-29T02:30:00" read as a wall-clock time.
LocalTime Wall(std::string_view text) {
  return LocalTime{At(std::string(text) + "Z").time_since_epoch()};
}

struct ResolveCase {
  const char* zone;
  const char* local;
  const char* expected;  // RFC 3339 UTC
  const char* why;
};

class ResolveLocalTest : public ::testing::TestWithParam<ResolveCase> {};

TEST_P(ResolveLocalTest, MapsWallClockToInstant) {
  const ResolveCase& c = GetParam();
  const std::optional<Instant> instant = ResolveLocal(Wall(c.local), c.zone);
  ASSERT_TRUE(instant.has_value()) << c.why;
  EXPECT_EQ(FormatRfc3339(*instant), c.expected) << c.why;
}

INSTANTIATE_TEST_SUITE_P(
    Zones, ResolveLocalTest,
    ::testing::Values(
        ResolveCase{"UTC", "2026-01-15T09:00:00", "2026-01-15T09:00:00Z", "UTC is identity"},
        ResolveCase{"Europe/Berlin", "2026-01-15T09:00:00", "2026-01-15T08:00:00Z", "CET +01"},
        ResolveCase{"Europe/Berlin", "2026-07-01T09:00:00", "2026-07-01T07:00:00Z", "CEST +02"},
        ResolveCase{"Europe/Berlin", "2026-03-29T01:59:00", "2026-03-29T00:59:00Z",
                    "last minute before the gap"},
        ResolveCase{"Europe/Berlin", "2026-03-29T02:00:00", "2026-03-29T01:00:00Z",
                    "gap start moves to the jump"},
        ResolveCase{"Europe/Berlin", "2026-03-29T02:30:00", "2026-03-29T01:00:00Z",
                    "inside the gap moves to the jump"},
        ResolveCase{"Europe/Berlin", "2026-03-29T02:59:59", "2026-03-29T01:00:00Z",
                    "end of the gap moves to the jump"},
        ResolveCase{"Europe/Berlin", "2026-03-29T03:00:00", "2026-03-29T01:00:00Z",
                    "first valid local time after the gap"},
        ResolveCase{"Europe/Berlin", "2026-10-25T02:30:00", "2026-10-25T00:30:00Z",
                    "overlap takes the earlier (CEST)"},
        ResolveCase{"Europe/Berlin", "2026-10-25T03:00:00", "2026-10-25T02:00:00Z",
                    "after the overlap"},
        ResolveCase{"America/New_York", "2026-03-08T02:30:00", "2026-03-08T07:00:00Z",
                    "NY gap moves to 03:00 EDT"},
        ResolveCase{"America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00Z",
                    "NY overlap takes EDT"},
        ResolveCase{"America/New_York", "2026-11-01T02:00:00", "2026-11-01T07:00:00Z",
                    "NY after the overlap is EST"},
        ResolveCase{"Australia/Lord_Howe", "2026-10-04T01:59:00", "2026-10-03T15:29:00Z",
                    "Lord Howe +10:30 before its 30-minute gap"},
        ResolveCase{"Australia/Lord_Howe", "2026-10-04T02:15:00", "2026-10-03T15:30:00Z",
                    "Lord Howe gap moves to the jump"},
        ResolveCase{"Australia/Lord_Howe", "2026-10-04T02:30:00", "2026-10-03T15:30:00Z",
                    "Lord Howe +11 after the gap"},
        ResolveCase{"Australia/Lord_Howe", "2026-04-05T01:45:00", "2026-04-04T14:45:00Z",
                    "Lord Howe 30-minute overlap takes +11"},
        ResolveCase{"Australia/Lord_Howe", "2026-04-05T02:00:00", "2026-04-04T15:30:00Z",
                    "Lord Howe after the overlap is +10:30"},
        ResolveCase{"Asia/Kathmandu", "2026-06-01T09:00:00", "2026-06-01T03:15:00Z",
                    "Kathmandu +05:45"},
        ResolveCase{"Asia/Kathmandu", "2026-01-01T00:00:00", "2025-12-31T18:15:00Z",
                    "Kathmandu midnight is the previous UTC day"},
        ResolveCase{"Pacific/Apia", "2011-12-30T12:00:00", "2011-12-30T10:00:00Z",
                    "Samoa skipped December 30, 2011: the whole day is a gap"},
        ResolveCase{"Europe/Berlin", "2040-07-01T12:00:00", "2040-07-01T11:00:00Z",
                    "documented limit: no DST after 2037 with date 3.0"}));

TEST(ResolveLocal, UnknownZoneIsNullopt) {
  EXPECT_FALSE(ResolveLocal(Wall("2026-01-15T09:00:00"), "Europe/Nowhere"));
  EXPECT_FALSE(ResolveLocal(Wall("2026-01-15T09:00:00"), ""));
  EXPECT_FALSE(ResolveLocal(Wall("2026-01-15T09:00:00"), "../../etc/passwd"));
  EXPECT_FALSE(ResolveLocal(Wall("2026-01-15T09:00:00"), std::string(300, 'A')));
}

TEST(ResolveLocal, OutOfRangeIsNullopt) {
  const LocalTime far{std::chrono::sys_days{std::chrono::year{12000} / 1 / 1}.time_since_epoch()};
  EXPECT_FALSE(ResolveLocal(far, "UTC"));
  EXPECT_FALSE(ResolveLocal(LocalTime{-far.time_since_epoch()}, "UTC"));
  EXPECT_TRUE(ResolveLocal(Wall("9999-12-31T23:59:59"), "America/New_York"));
  EXPECT_TRUE(ResolveLocal(Wall("0001-01-01T00:00:00"), "Asia/Kathmandu"));
}

struct ToLocalCase {
  const char* zone;
  const char* instant;
  const char* expected_local;
};

class ToLocalTest : public ::testing::TestWithParam<ToLocalCase> {};

TEST_P(ToLocalTest, MapsInstantToWallClock) {
  const ToLocalCase& c = GetParam();
  const std::optional<LocalTime> local = ToLocal(At(c.instant), c.zone);
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(*local, Wall(c.expected_local));
}

INSTANTIATE_TEST_SUITE_P(
    Zones, ToLocalTest,
    ::testing::Values(
        ToLocalCase{"Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00"},
        ToLocalCase{"Europe/Berlin", "2026-10-25T01:30:00Z", "2026-10-25T02:30:00"},
        ToLocalCase{"Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29T03:00:00"},
        ToLocalCase{"America/New_York", "2026-11-01T06:30:00Z", "2026-11-01T01:30:00"},
        ToLocalCase{"Australia/Lord_Howe", "2026-04-04T15:15:00Z", "2026-04-05T01:45:00"},
        ToLocalCase{"Asia/Kathmandu", "2026-06-01T03:15:00.250Z", "2026-06-01T09:00:00.250"}));

TEST(ToLocal, UnknownZoneIsNullopt) {
  EXPECT_FALSE(ToLocal(At("2026-01-01T00:00:00Z"), "Mars/Olympus_Mons"));
}

// Around every transition of 2026 in the four zones: a later wall-clock time
// never resolves to an earlier instant, and ToLocal(ResolveLocal(t)) == t for
// every local time that exists exactly once.
TEST(ResolveLocal, IsMonotonicAcrossTransitions) {
  struct Window {
    const char* zone;
    const char* local_start;
  };
  const Window windows[] = {
      {"Europe/Berlin", "2026-03-29T00:00:00"},
      {"Europe/Berlin", "2026-10-25T00:00:00"},
      {"America/New_York", "2026-03-08T00:00:00"},
      {"America/New_York", "2026-11-01T00:00:00"},
      {"Australia/Lord_Howe", "2026-04-05T00:00:00"},
      {"Australia/Lord_Howe", "2026-10-04T00:00:00"},
      {"Asia/Kathmandu", "2026-03-29T00:00:00"},
  };
  for (const Window& w : windows) {
    const LocalTime start = Wall(w.local_start);
    std::optional<Instant> previous;
    for (int m = 0; m <= 5 * 60; ++m) {
      const LocalTime local = start + minutes{m};
      const std::optional<Instant> instant = ResolveLocal(local, w.zone);
      ASSERT_TRUE(instant.has_value());
      if (previous) {
        EXPECT_GE(*instant, *previous) << w.zone << " +" << m << " min";
      }
      previous = instant;
      const std::optional<LocalTime> back = ToLocal(*instant, w.zone);
      ASSERT_TRUE(back.has_value());
      // Either the same wall-clock time, or (in a gap) the first valid one after.
      EXPECT_GE(*back, local) << w.zone << " +" << m << " min";
    }
  }
}

}  // namespace
}  // namespace taskflow
