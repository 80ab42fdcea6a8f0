// Domain events of tasks (schema_version 1, schemas/events/): what happened
// to a task, and which of its fields a change touched. Pure; the JSON and the
// topics are the app's business (app/event_messages.hpp).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/task.hpp"

namespace taskflow {

enum class TaskEventType { kCreated, kUpdated, kCompleted, kReopened, kDeleted };

// "created" | "updated" | "completed" | "reopened" | "deleted"
std::string_view ToString(TaskEventType type);
std::optional<TaskEventType> ParseTaskEventType(std::string_view text);

// The fields of a task that a live view shows, by their API names.
enum class TaskField {
  kTitle,
  kDescription,
  kStatus,
  kPriority,
  kDueAt,
  kTimezone,
  kAllDay,
  kTags,
  kRecurrence,
  kCompletedAt,
  kReminders,
};
std::string_view ToString(TaskField field);

// Every field, in the order above (what a new task "changed").
const std::vector<TaskField>& AllTaskFields();

// The fields whose value differs between `before` and `after` (in the order
// above). Reminders count as changed when their specs or planning differ.
std::vector<TaskField> ChangedFields(const Task& before, const Task& after);

}  // namespace taskflow
