// The Task aggregate and the value types it is made of. Pure data + rules.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/recurrence.hpp"
#include "domain/reminder.hpp"
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
inline constexpr std::size_t kMaxRemindersPerTask = 10;

// One reminder of a task. Planned reminders live in their own table, indexed
// by remind_at, so the notification service finds "what fires next" without
// scanning tasks.
struct Reminder {
  std::string id;     // UUIDv7; empty until the use case assigns one (AssignReminderIds)
  ReminderSpec spec;  // exactly one of before_minutes (relative to the due date) or at
  // When it fires. nullopt when it will not: a relative reminder of a task
  // without a due date, or a cancelled one (the task is completed, or was
  // reopened after the moment had passed).
  std::optional<Instant> remind_at;
  std::optional<Instant> sent_at;  // when the notification service sent it
  friend bool operator==(const Reminder&, const Reminder&) = default;
};

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
  // The seed's shorthand, derived from `reminders` by SummarizeReminders: the
  // lead of the first relative reminder, and "every reminder has been sent"
  // (false for a task without reminders). Stored beside them.
  std::optional<int> remind_before_minutes;
  bool reminder_sent = false;
  std::optional<std::string> recurrence_parent_id;  // the series' first task
  std::int64_t version = 1;           // 1 on create, +1 on every change (the ETag)
  Instant created_at{};
  Instant updated_at{};
  std::optional<Instant> completed_at;
  // A date without a time: due_at is the start of that day in `timezone`;
  // the task is overdue once the day is over.
  bool all_day = false;
  std::optional<Recurrence> recurrence;  // set only together with due_at
  // Series bookkeeping for NextOccurrence: the due_at its schedule counts
  // from (the first occurrence's, or the due date it was last moved to), the
  // 1-based number of this occurrence (for `count`), and the task whose
  // completion created this one (unique: one next occurrence per task).
  std::optional<Instant> series_start;
  int occurrence_index = 1;
  std::optional<std::string> previous_occurrence_id;
  std::vector<Reminder> reminders;  // in the order given
};

// A field of a PATCH: absent (leave as is), or set to a value. For nullable
// fields the value itself is optional: Patch<std::optional<T>> holding nullopt
// means "clear".
template <class T>
using Patch = std::optional<T>;

// A due date given without a time ("2026-12-03"): the task becomes all-day.
using LocalDate = std::chrono::year_month_day;

// Input of "create a task", already decoded from JSON but not yet validated.
struct TaskDraft {
  std::string title;
  std::string description;
  std::optional<Priority> priority;
  std::optional<Instant> due_at;
  std::optional<LocalDate> due_date;    // instead of due_at: all-day in the task's zone
  std::optional<std::string> timezone;  // absent: the owner's zone
  std::vector<std::string> tags;
  // The shorthand: NormalizeDraft turns it into `reminders` (one relative
  // reminder); given together with `reminders` it must agree with them.
  std::optional<int> remind_before_minutes;
  std::optional<Recurrence> recurrence;  // needs due_at or due_date
  std::optional<std::vector<ReminderSpec>> reminders;
};

// Input of "change a task": every field optional.
struct TaskPatch {
  Patch<std::string> title;
  Patch<std::optional<std::string>> description;  // null clears to ""
  Patch<std::optional<Priority>> priority;
  Patch<std::optional<Instant>> due_at;  // an instant makes the task timed; null clears
  Patch<LocalDate> due_date;             // makes the task all-day on that date
  Patch<std::string> timezone;
  Patch<std::vector<std::string>> tags;  // replaces the whole set
  // The shorthand: a value sets the reminders to that one relative reminder,
  // null removes every reminder (NormalizePatch moves it into `reminders`).
  Patch<std::optional<int>> remind_before_minutes;
  Patch<std::optional<Recurrence>> recurrence;  // null: no longer recurring
  Patch<std::vector<ReminderSpec>> reminders;   // replaces the whole list

  bool empty() const {
    return !title && !description && !priority && !due_at && !due_date && !timezone && !tags &&
           !remind_before_minutes && !recurrence && !reminders;
  }
};

// Validates and normalises a draft: trims the title and tag names, checks
// lengths, ranges, zone names and duplicate tags (case-insensitively, keeping
// the first spelling), the recurrence (NormalizeRecurrence, under
// "recurrence.*"; it needs a due date) and the reminders (at most 10, each
// exactly one of before_minutes 0..525600 or at, reported as "reminders[i]";
// exact duplicates collapse). Every offending field is reported, not only the
// first. On success remind_before_minutes is folded into `reminders`.
Result<TaskDraft> NormalizeDraft(TaskDraft draft);

// Same rules for a patch; only the present fields are checked (whether a
// recurrence has its due date depends on the task: see CheckSchedule).
Result<TaskPatch> NormalizePatch(TaskPatch patch);

// Applies a normalised patch to a task (no version or timestamp changes).
// Returns true when any field actually changed. Beyond the plain fields:
// - due_date makes the task all-day (due_at = the start of that date in its
//   zone); due_at makes it timed; a new zone keeps an all-day task's date;
// - setting a recurrence starts a series at the current due date; moving the
//   due date of a recurring task re-anchors its schedule there;
// - reminders are replaced (an unchanged one keeps its id and sent state; new
//   ones have no id yet) and re-planned when the due date, all-day flag or
//   zone changed (see PlanReminders).
bool ApplyPatch(Task& task, const TaskPatch& patch);

// Rules that span fields of a whole task: a recurrence needs a due date
// (kInvalidArgument on "recurrence": "requires due_at").
Status CheckSchedule(const Task& task);

// ---- reminders (task_reminders.cpp) ----

// Replaces the reminders with `specs`, in order. A spec equal to one of the
// current reminders keeps that reminder (its id, remind_at and sent state);
// the others are new (no id) and planned. Summarises.
void SetReminders(Task& task, const std::vector<ReminderSpec>& specs);

// Plans the reminders of `task` after its due date, all-day flag or zone
// changed (`schedule_changed`) or reminders were added:
// - a completed task's reminders that were not sent are cancelled (no remind_at);
// - a new reminder (no id) is planned with PlanReminder;
// - when the schedule changed, a relative reminder whose instant moves is
//   planned again and its sent state cleared; absolute ones never move.
// Summarises.
void PlanReminders(Task& task, bool schedule_changed);

// On completion: every reminder not yet sent is cancelled. Summarises.
void CancelReminders(Task& task);

// On reopening: each reminder not yet sent is planned again if its instant is
// still after `now`, and stays cancelled otherwise (the moment passed while
// the task was done; a late reminder would be noise). Summarises.
void RearmReminders(Task& task, Instant now);

// remind_before_minutes and reminder_sent from the reminders.
void SummarizeReminders(Task& task);

// Gives every reminder without an id one from `new_id`.
template <class NewId>
void AssignReminderIds(Task& task, NewId&& new_id) {
  for (Reminder& reminder : task.reminders) {
    if (reminder.id.empty()) reminder.id = new_id();
  }
}

// ---- due dates and series (task_schedule.cpp) ----

// The first instant of `date` in `zone` (midnight, or the moment the clocks
// jump when midnight falls in a gap). nullopt for an unknown zone or a date
// outside the years 0002..9998.
std::optional<Instant> StartOfLocalDate(LocalDate date, std::string_view zone);
// The local date of `instant` in `zone`.
std::optional<LocalDate> LocalDateOf(Instant instant, std::string_view zone);

// The next occurrence of `completed`, a recurring task completed at
// `completed_at` (its completed_at), created at `now`: NextOccurrence of its
// recurrence gives the due date (never overdue: strictly after the previous
// due date and the completion); title, description, priority, tags,
// recurrence, zone, all-day flag and relative reminders (planned afresh, no
// ids yet) are copied; recurrence_parent_id is the series' first task,
// occurrence_index + 1, previous_occurrence_id = completed.id. The id is
// `id`. nullopt when the task does not recur or the series has ended.
std::optional<Task> MakeNextOccurrence(const Task& completed, Instant now, std::string id);

}  // namespace taskflow
