// libFuzzer target for the RRULE parser and the bounded next-occurrence search
// (libical underneath).
//
// Properties checked on every input (a violation aborts):
// - ParseRRule never throws or crashes, and a refusal always has a reason;
// - an accepted rule re-parses from its normalized text;
// - NextRRuleOccurrence answers strictly after `after`, never disagrees with
//   libical, and stays within its work bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/rrule.hpp"

namespace {

using taskflow::Instant;
using taskflow::RRule;
using taskflow::RRuleSearchStats;

constexpr const char* kZones[] = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                  "Asia/Kathmandu"};

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const taskflow::Result<RRule> rule = taskflow::ParseRRule(text);
  if (!rule.ok()) {
    Check(!rule.error().message.empty());
    return 0;
  }
  Check(taskflow::ParseRRule(rule->text).ok());

  std::uint64_t hash = 1469598103934665603ull;
  for (std::uint8_t byte : text) hash = (hash ^ byte) * 1099511628211ull;
  // Series start between 1970 and ~2110; `after` up to ~12 years later.
  const Instant start{std::chrono::seconds{static_cast<std::int64_t>(hash % 4'400'000'000ull)}};
  const Instant after =
      start + std::chrono::seconds{static_cast<std::int64_t>((hash >> 20) % 400'000'000ull)};
  const char* zone = kZones[(hash >> 50) % (sizeof(kZones) / sizeof(kZones[0]))];

  RRuleSearchStats stats;
  const std::optional<Instant> next =
      taskflow::NextRRuleOccurrence(*rule, start, after, zone, &stats);
  Check(stats.disagreements == 0);
  Check(stats.libical_calls <= 2 + 2 * 1000);
  Check(stats.periods <= (taskflow::kRRuleHorizonYears + 1) * 366 + 10);
  if (next) Check(*next > after);
  return 0;
}
