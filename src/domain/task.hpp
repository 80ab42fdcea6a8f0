// The Task aggregate and the value types it is made of. Pure data + rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "domain/time.hpp"

namespace taskflow {

enum class TaskStatus { kPending, kCompleted };
std::string_view ToString(TaskStatus status);            // "pending" | "completed"
std::optional<TaskStatus> ParseTaskStatus(std::string_view text);

// P1 is the most urgent. The numeric value is the storage form and the sort rank.
enum class Priority { kP1 = 1, kP2 = 2, kP3 = 3, kP4 = 4 };
std::string_view ToString(Priority priority);            // "P1" … "P4"
std::optional<Priority> ParsePriority(std::string_view text);  // exactly "P1".."P4"

// Limits from the API contract, shared by validation and the OpenAPI document.
inline constexpr std::size_t kTitleMaxChars = 200;
inline constexpr std::size_t kDescriptionMaxChars = 10'000;
inline constexpr std::size_t kTagNameMaxChars = 50;
inline constexpr std::size_t kMaxTagsPerTask = 50;
inline constexpr int kRemindBeforeMaxMinutes = 525'600;  // one year

struct Task {
  std::string id;       // UUIDv7
  std::string user_id;  // owner; every query is scoped by it
  std::string title;
  std::string description;
  TaskStatus status = TaskStatus::kPending;
  std::optional<Priority> priority;
  std::optional<Instant> due_at;
  std::string timezone = "UTC";       // IANA name
  std::vector<std::string> tags;      // tag names, sorted by folded name
  std::optional<int> remind_before_minutes;
  bool reminder_sent = false;
  std::optional<std::string> recurrence_parent_id;
  std::int64_t version = 1;           // 1 on create, +1 on every change (the ETag)
  Instant created_at{};
  Instant updated_at{};
  std::optional<Instant> completed_at;
};

// A field of a PATCH: absent (leave as is), or set to a value. For nullable
// fields the value itself is optional: Patch<std::optional<T>> holding nullopt
// means "clear".
template <class T>
using Patch = std::optional<T>;

// Input of "create a task", already decoded from JSON but not yet validated.
struct TaskDraft {
  std::string title;
  std::string description;
  std::optional<Priority> priority;
  std::optional<Instant> due_at;
  std::optional<std::string> timezone;  // absent: the owner's zone
  std::vector<std::string> tags;
  std::optional<int> remind_before_minutes;
};

// Input of "change a task": every field optional.
struct TaskPatch {
  Patch<std::string> title;
  Patch<std::optional<std::string>> description;  // null clears to ""
  Patch<std::optional<Priority>> priority;
  Patch<std::optional<Instant>> due_at;
  Patch<std::string> timezone;
  Patch<std::vector<std::string>> tags;  // replaces the whole set
  Patch<std::optional<int>> remind_before_minutes;

  bool empty() const {
    return !title && !description && !priority && !due_at && !timezone && !tags &&
           !remind_before_minutes;
  }
};

// Validates and normalises a draft: trims the title and tag names, checks
// lengths, ranges, zone names and duplicate tags (case-insensitively, keeping
// the first spelling). Every offending field is reported, not only the first.
Result<TaskDraft> NormalizeDraft(TaskDraft draft);

// Same rules for a patch; only the present fields are checked.
Result<TaskPatch> NormalizePatch(TaskPatch patch);

// Applies a normalised patch to a task (no version or timestamp changes).
// Returns true when any field actually changed.
bool ApplyPatch(Task& task, const TaskPatch& patch);

}  // namespace taskflow
