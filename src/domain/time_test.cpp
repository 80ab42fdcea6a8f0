#include "domain/time.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace taskflow {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::sys_days;
using namespace std::chrono_literals;

Instant At(std::chrono::year_month_day date, milliseconds since_midnight = 0ms) {
  return Instant{sys_days{date}} + since_midnight;
}

struct ParseCase {
  std::string text;
  Instant expected;
};

class ParseRfc3339Valid : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseRfc3339Valid, Parses) {
  const auto parsed = ParseRfc3339(GetParam().text);
  ASSERT_TRUE(parsed.has_value()) << GetParam().text;
  EXPECT_EQ(ToUnixMillis(*parsed), ToUnixMillis(GetParam().expected)) << GetParam().text;
}

constexpr auto k2026Dec1 = std::chrono::year{2026} / 12 / 1;

INSTANTIATE_TEST_SUITE_P(
    Table, ParseRfc3339Valid,
    testing::Values(
        ParseCase{"1970-01-01T00:00:00Z", Instant{}},
        ParseCase{"2026-12-01T08:00:00Z", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01t08:00:00z", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01 08:00:00Z", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01T08:00:00+00:00", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01T08:00:00-00:00", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01T13:30:00+05:30", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01T00:00:00-08:00", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01T23:59:00+23:59", At(k2026Dec1, 0ms)},
        ParseCase{"2026-11-30T08:01:00-23:59", At(k2026Dec1, 8h)},
        ParseCase{"2026-12-01T08:00:00.5Z", At(k2026Dec1, 8h + 500ms)},
        ParseCase{"2026-12-01T08:00:00.25Z", At(k2026Dec1, 8h + 250ms)},
        ParseCase{"2026-12-01T08:00:00.123Z", At(k2026Dec1, 8h + 123ms)},
        ParseCase{"2026-12-01T08:00:00.123999999Z", At(k2026Dec1, 8h + 123ms)},  // truncated
        ParseCase{"2026-12-01T08:00:00.000Z", At(k2026Dec1, 8h)},
        ParseCase{"2024-02-29T12:00:00Z", At(std::chrono::year{2024} / 2 / 29, 12h)},  // leap
        ParseCase{"2000-02-29T00:00:00Z", At(std::chrono::year{2000} / 2 / 29)},       // 400 rule
        ParseCase{"2026-12-31T23:59:59.999Z", At(std::chrono::year{2026} / 12 / 31, 24h - 1ms)},
        ParseCase{"1969-12-31T23:59:59.999Z", Instant{} - 1ms},
        ParseCase{"0001-01-01T00:00:00Z", At(std::chrono::year{1} / 1 / 1)},
        ParseCase{"9999-12-31T23:59:59.999Z", At(std::chrono::year{9999} / 12 / 31, 24h - 1ms)},
        ParseCase{"0001-01-01T00:30:00-01:00", At(std::chrono::year{1} / 1 / 1, 90min)}));

class ParseRfc3339Invalid : public testing::TestWithParam<std::string> {};

TEST_P(ParseRfc3339Invalid, Rejects) { EXPECT_FALSE(ParseRfc3339(GetParam()).has_value()); }

INSTANTIATE_TEST_SUITE_P(
    Table, ParseRfc3339Invalid,
    testing::Values("", "2026", "2026-12-01", "2026-12-01T08:00:00",  // offset is mandatory
                    "2026-12-01T08:00Z",                              // seconds are mandatory
                    "2026-13-01T08:00:00Z", "2026-00-10T08:00:00Z",   // month
                    "2026-02-30T08:00:00Z", "2026-02-29T08:00:00Z",   // not a leap year
                    "1900-02-29T08:00:00Z",                           // century rule
                    "2026-04-31T08:00:00Z", "2026-12-00T08:00:00Z", "2026-12-32T08:00:00Z",
                    "2026-12-01T24:00:00Z", "2026-12-01T08:60:00Z", "2026-12-01T08:00:60Z",
                    "2026-12-01T08:00:00+24:00", "2026-12-01T08:00:00+23:60",
                    "2026-12-01T08:00:00+0530", "2026-12-01T08:00:00+05",
                    "2026-12-01T08:00:00 +05:30", "2026-12-01T08:00:00.Z", "2026-12-01T08:00:00,5Z",
                    "2026-12-01T08:00:00ZZ", "2026-12-01T08:00:00Z ", " 2026-12-01T08:00:00Z",
                    "2026-12-01T08:00:00Zgarbage", "2026-12-01X08:00:00Z", "2026/12/01T08:00:00Z",
                    "26-12-01T08:00:00Z", "02026-12-01T08:00:00Z", "+2026-12-01T08:00:00Z",
                    "2026-1-01T08:00:00Z", "2026-12-01T8:00:00Z", "2026-12-01T08:00:00UTC",
                    "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "2026-12-01T08:00:00.12a3Z",
                    "２０２６-12-01T08:00:00Z",   // full-width digits
                    "0001-01-01T00:30:00+01:00",  // year 0 in UTC
                    "9999-12-31T23:30:00-01:00",  // year 10000 in UTC
                    std::string("2026-12-01T08:00:00Z\0", 21)));

struct FormatCase {
  Instant instant;
  std::string expected;
};

class FormatRfc3339Test : public testing::TestWithParam<FormatCase> {};

TEST_P(FormatRfc3339Test, Formats) {
  EXPECT_EQ(FormatRfc3339(GetParam().instant), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormatRfc3339Test,
    testing::Values(
        FormatCase{Instant{}, "1970-01-01T00:00:00Z"},
        FormatCase{At(k2026Dec1, 8h), "2026-12-01T08:00:00Z"},
        FormatCase{At(k2026Dec1, 8h + 250ms), "2026-12-01T08:00:00.250Z"},
        FormatCase{At(k2026Dec1, 8h + 1ms), "2026-12-01T08:00:00.001Z"},
        FormatCase{Instant{} - 1ms, "1969-12-31T23:59:59.999Z"},
        FormatCase{At(std::chrono::year{2024} / 2 / 29, 23h + 59min + 59s), "2024-02-29T23:59:59Z"},
        FormatCase{At(std::chrono::year{1} / 1 / 1), "0001-01-01T00:00:00Z"},
        FormatCase{At(std::chrono::year{9999} / 12 / 31, 24h - 1ms), "9999-12-31T23:59:59.999Z"}));

TEST(FormatRfc3339ClampTest, ClampsInstantsOutsideTheSupportedYears) {
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(std::numeric_limits<long long>::min())),
            "0001-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(std::numeric_limits<long long>::max())),
            "9999-12-31T23:59:59.999Z");
}

TEST(Rfc3339RoundTripTest, FormatThenParseIsIdentity) {
  // A spread of instants across the range, including pre-epoch and odd milliseconds.
  for (long long ms = -62'135'596'800'000LL; ms < 253'402'300'799'999LL;
       ms += 7'777'777'777'777LL) {
    const Instant instant = FromUnixMillis(ms);
    const auto parsed = ParseRfc3339(FormatRfc3339(instant));
    ASSERT_TRUE(parsed.has_value()) << FormatRfc3339(instant);
    EXPECT_EQ(ToUnixMillis(*parsed), ms);
  }
}

TEST(UnixMillisTest, RoundTrips) {
  EXPECT_EQ(ToUnixMillis(FromUnixMillis(1'764'576'000'123LL)), 1'764'576'000'123LL);
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(1'764'576'000'123LL)), "2025-12-01T08:00:00.123Z");
}

}  // namespace
}  // namespace taskflow
