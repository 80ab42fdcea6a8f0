#include "domain/task_events.hpp"

#include <array>

namespace taskflow {
namespace {

constexpr std::array<std::string_view, 5> kEventTypeNames = {"created", "updated", "completed",
                                                             "reopened", "deleted"};
constexpr std::array<std::string_view, 11> kFieldNames = {
    "title",   "description", "status",     "priority",     "due_at",   "timezone",
    "all_day", "tags",        "recurrence", "completed_at", "reminders"};

bool Differs(TaskField field, const Task& a, const Task& b) {
  switch (field) {
    case TaskField::kTitle:
      return a.title != b.title;
    case TaskField::kDescription:
      return a.description != b.description;
    case TaskField::kStatus:
      return a.status != b.status;
    case TaskField::kPriority:
      return a.priority != b.priority;
    case TaskField::kDueAt:
      return a.due_at != b.due_at;
    case TaskField::kTimezone:
      return a.timezone != b.timezone;
    case TaskField::kAllDay:
      return a.all_day != b.all_day;
    case TaskField::kTags:
      return a.tags != b.tags;
    case TaskField::kRecurrence:
      return a.recurrence != b.recurrence;
    case TaskField::kCompletedAt:
      return a.completed_at != b.completed_at;
    case TaskField::kReminders:
      return a.reminders != b.reminders;
  }
  return false;
}

}  // namespace

std::string_view ToString(TaskEventType type) {
  return kEventTypeNames[static_cast<std::size_t>(type)];
}

std::optional<TaskEventType> ParseTaskEventType(std::string_view text) {
  for (std::size_t i = 0; i < kEventTypeNames.size(); ++i) {
    if (kEventTypeNames[i] == text) return static_cast<TaskEventType>(i);
  }
  return std::nullopt;
}

std::string_view ToString(TaskField field) { return kFieldNames[static_cast<std::size_t>(field)]; }

const std::vector<TaskField>& AllTaskFields() {
  static const std::vector<TaskField> fields = [] {
    std::vector<TaskField> all;
    for (std::size_t i = 0; i < kFieldNames.size(); ++i) all.push_back(static_cast<TaskField>(i));
    return all;
  }();
  return fields;
}

std::vector<TaskField> ChangedFields(const Task& before, const Task& after) {
  std::vector<TaskField> changed;
  for (TaskField field : AllTaskFields()) {
    if (Differs(field, before, after)) changed.push_back(field);
  }
  return changed;
}

}  // namespace taskflow
