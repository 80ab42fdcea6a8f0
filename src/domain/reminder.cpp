#include "domain/reminder.hpp"

#include <chrono>

#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

constexpr int kMaxBeforeMinutes = 525600;  // one year
// All-day tasks have no time of day: relative reminders count back from this
// local time on the due day (Todoist's default for all-day reminders).
constexpr std::chrono::hours kAllDayReminderTime{9};

}  // namespace

std::optional<Instant> PlanReminder(const ReminderSpec& spec, std::optional<Instant> due_at,
                                    bool all_day, std::string_view timezone) {
  // Exactly one of the two forms; both or neither cannot be planned.
  if (spec.at.has_value() == spec.before_minutes.has_value()) return std::nullopt;
  if (spec.at) return spec.at;
  const int before = *spec.before_minutes;
  if (before < 0 || before > kMaxBeforeMinutes || !due_at) return std::nullopt;
  Instant base = *due_at;
  if (all_day) {
    const std::optional<LocalTime> local = ToLocal(*due_at, timezone);
    if (!local) return std::nullopt;
    const std::optional<Instant> nine =
        ResolveLocal(std::chrono::floor<std::chrono::days>(*local) + kAllDayReminderTime, timezone);
    if (!nine) return std::nullopt;
    base = *nine;
  }
  return base - std::chrono::minutes{before};
}

}  // namespace taskflow
