// Reminders of a task: relative to its due date, or at an absolute instant.
#pragma once

#include <optional>
#include <string_view>

#include "domain/time.hpp"

namespace taskflow {

struct ReminderSpec {
  std::optional<int> before_minutes;  // relative to the due date (0..525600)
  std::optional<Instant> at;          // absolute
  friend bool operator==(const ReminderSpec&, const ReminderSpec&) = default;
};

// When a reminder fires: `at` as given, or due_at minus `before_minutes`.
// For an all-day task, relative reminders count back from 09:00 local time on
// the due day (the zone is only consulted then). nullopt when it cannot be
// planned: relative without a due date, both or neither form set,
// before_minutes outside 0..525600, or an unknown zone for an all-day task.
std::optional<Instant> PlanReminder(const ReminderSpec& spec, std::optional<Instant> due_at,
                                    bool all_day, std::string_view timezone);

}  // namespace taskflow
