// The time side of a task: all-day dates, reminder planning and the next
// occurrence of a recurring task. Pure (the zone rules come from zoned_time).
#include <algorithm>
#include <chrono>
#include <limits>
#include <utility>

#include "domain/recurrence.hpp"
#include "domain/reminder.hpp"
#include "domain/task.hpp"
#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

// A zone offset moves a local date by less than a day either way, so local
// dates in these years always map to instants RFC 3339 can write.
constexpr int kMinLocalYear = 2;
constexpr int kMaxLocalYear = 9998;

std::optional<Instant> Plan(const Task& task, const Reminder& reminder) {
  return PlanReminder(reminder.spec, task.due_at, task.all_day, task.timezone);
}

}  // namespace

std::optional<Instant> StartOfLocalDate(LocalDate date, std::string_view zone) {
  if (!date.ok()) return std::nullopt;
  const int year = static_cast<int>(date.year());
  if (year < kMinLocalYear || year > kMaxLocalYear) return std::nullopt;
  return ResolveLocal(LocalTime{LocalDays{date}.time_since_epoch()}, zone);
}

std::optional<LocalDate> LocalDateOf(Instant instant, std::string_view zone) {
  const std::optional<LocalTime> local = ToLocal(instant, zone);
  if (!local) return std::nullopt;
  return LocalDate{std::chrono::floor<std::chrono::days>(*local)};
}

void SummarizeReminders(Task& task) {
  task.remind_before_minutes.reset();
  for (const Reminder& reminder : task.reminders) {
    if (reminder.spec.before_minutes) {
      task.remind_before_minutes = reminder.spec.before_minutes;
      break;
    }
  }
  task.reminder_sent =
      !task.reminders.empty() &&
      std::all_of(task.reminders.begin(), task.reminders.end(),
                  [](const Reminder& reminder) { return reminder.sent_at.has_value(); });
}

void SetReminders(Task& task, const std::vector<ReminderSpec>& specs) {
  std::vector<Reminder> next;
  next.reserve(specs.size());
  std::vector<bool> kept(task.reminders.size(), false);
  for (const ReminderSpec& spec : specs) {
    bool found = false;
    for (std::size_t i = 0; i < task.reminders.size() && !found; ++i) {
      if (kept[i] || task.reminders[i].spec != spec) continue;
      kept[i] = true;
      found = true;
      next.push_back(task.reminders[i]);
    }
    if (!found) next.push_back(Reminder{.id = {}, .spec = spec});
  }
  task.reminders = std::move(next);
  PlanReminders(task, /*schedule_changed=*/false);
}

void PlanReminders(Task& task, bool schedule_changed) {
  for (Reminder& reminder : task.reminders) {
    if (task.status == TaskStatus::kCompleted) {
      if (!reminder.sent_at) reminder.remind_at.reset();
      continue;
    }
    const std::optional<Instant> planned = Plan(task, reminder);
    if (reminder.id.empty()) {
      reminder.remind_at = planned;
      reminder.sent_at.reset();
    } else if (schedule_changed && reminder.spec.before_minutes && planned != reminder.remind_at) {
      // The due date moved: this is a new moment to be reminded of.
      reminder.remind_at = planned;
      reminder.sent_at.reset();
    }
  }
  SummarizeReminders(task);
}

void CancelReminders(Task& task) {
  for (Reminder& reminder : task.reminders) {
    if (!reminder.sent_at) reminder.remind_at.reset();
  }
  SummarizeReminders(task);
}

void RearmReminders(Task& task, Instant now) {
  for (Reminder& reminder : task.reminders) {
    if (reminder.sent_at) continue;
    const std::optional<Instant> planned = Plan(task, reminder);
    reminder.remind_at = planned && *planned > now ? planned : std::nullopt;
  }
  SummarizeReminders(task);
}

std::optional<Task> MakeNextOccurrence(const Task& completed, Instant now, std::string id) {
  if (!completed.recurrence || !completed.due_at) return std::nullopt;
  if (completed.occurrence_index >= std::numeric_limits<int>::max()) return std::nullopt;
  const Instant series_start = completed.series_start.value_or(*completed.due_at);
  const OccurrenceContext context{.series_start = series_start,
                                  .previous_due = *completed.due_at,
                                  .completed_at = completed.completed_at.value_or(now),
                                  .timezone = completed.timezone,
                                  .all_day = completed.all_day,
                                  .occurrence_index = completed.occurrence_index};
  const std::optional<Instant> due = NextOccurrence(*completed.recurrence, context);
  if (!due) return std::nullopt;

  Task next;
  next.id = std::move(id);
  next.user_id = completed.user_id;
  next.title = completed.title;
  next.description = completed.description;
  next.priority = completed.priority;
  next.due_at = due;
  next.timezone = completed.timezone;
  next.tags = completed.tags;
  next.recurrence_parent_id = completed.recurrence_parent_id.value_or(completed.id);
  next.created_at = now;
  next.updated_at = now;
  next.all_day = completed.all_day;
  next.recurrence = completed.recurrence;
  next.series_start = series_start;
  next.occurrence_index = completed.occurrence_index + 1;
  next.previous_occurrence_id = completed.id;
  // The leads carry over; an absolute reminder belonged to that occurrence.
  for (const Reminder& reminder : completed.reminders) {
    if (reminder.spec.before_minutes)
      next.reminders.push_back(Reminder{.id = {}, .spec = reminder.spec});
  }
  PlanReminders(next, /*schedule_changed=*/false);
  return next;
}

}  // namespace taskflow
