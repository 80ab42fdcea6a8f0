// libFuzzer target for the cron parser and the next-match search.
//
// Properties checked on every input (a violation aborts, so the fuzzer
// reports it):
// - ParseCron never throws or crashes, and a refusal always has a reason;
// - an accepted expression re-parses from its normalized text to the same
//   schedule;
// - NextCronMatch answers strictly after `after`, within its documented work
//   bound, in zones with 30-minute and 45-minute offsets and DST shifts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/cron.hpp"

namespace {

using taskflow::CronSchedule;
using taskflow::CronSearchStats;
using taskflow::Instant;

constexpr const char* kZones[] = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                  "Asia/Kathmandu"};

// The field-by-field walk takes at most ~33 steps a month over the horizon,
// plus the overlap retries.
constexpr int kMaxSteps = (taskflow::kCronHorizonYears + 2) * 12 * 40 + 1500;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool SameSchedule(const CronSchedule& a, const CronSchedule& b) {
  return a.minutes == b.minutes && a.hours == b.hours && a.days_of_month == b.days_of_month &&
         a.months == b.months && a.days_of_week == b.days_of_week &&
         a.day_of_month_star == b.day_of_month_star && a.day_of_week_star == b.day_of_week_star;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const taskflow::Result<CronSchedule> schedule = taskflow::ParseCron(text);
  if (!schedule.ok()) {
    Check(!schedule.error().message.empty());
    return 0;
  }
  const taskflow::Result<CronSchedule> again = taskflow::ParseCron(schedule->text);
  Check(again.ok() && SameSchedule(*schedule, *again));

  // A start instant and a zone derived from the input, so that the corpus
  // explores both: between 1970 and ~2110, at any second.
  std::uint64_t hash = 1469598103934665603ull;
  for (std::uint8_t byte : text) hash = (hash ^ byte) * 1099511628211ull;
  const Instant after{std::chrono::seconds{static_cast<std::int64_t>(hash % 4'400'000'000ull)}};
  const char* zone = kZones[(hash >> 40) % (sizeof(kZones) / sizeof(kZones[0]))];

  CronSearchStats stats;
  const std::optional<Instant> next = taskflow::NextCronMatch(*schedule, after, zone, &stats);
  Check(stats.steps <= kMaxSteps);
  if (next) {
    Check(*next > after);
    // The chain goes on from there, still bounded.
    CronSearchStats second_stats;
    const std::optional<Instant> second =
        taskflow::NextCronMatch(*schedule, *next, zone, &second_stats);
    Check(second_stats.steps <= kMaxSteps);
    if (second) Check(*second > *next);
  }
  return 0;
}
