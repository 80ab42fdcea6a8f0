#include "adapters/sqlite/sqlite_reminders.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "adapters/sql/task_row_codec.hpp"

namespace taskflow::sqlite {
namespace {

constexpr std::string_view kSelectReminders =
    "SELECT position, id, before_minutes, at, remind_at, sent_at FROM task_reminders "
    "WHERE task_id = ? ORDER BY position";
constexpr std::string_view kInsertReminder =
    "INSERT INTO task_reminders (task_id, position, id, user_id, before_minutes, at, remind_at, "
    "sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateReminder =
    "UPDATE task_reminders SET before_minutes = ?3, at = ?4, remind_at = ?5, sent_at = ?6 "
    "WHERE task_id = ?1 AND position = ?2";
constexpr std::string_view kDeleteReminders = "DELETE FROM task_reminders WHERE task_id = ?";

void BindOptional(Statement& s, int index, std::optional<std::int64_t> value) {
  if (value) {
    s.BindInt64(index, *value);
  } else {
    s.BindNull(index);
  }
}

std::optional<std::int64_t> Millis(const std::optional<Instant>& instant) {
  if (!instant) return std::nullopt;
  return ToUnixMillis(*instant);
}

std::optional<std::int64_t> Minutes(const std::optional<int>& minutes) {
  if (!minutes) return std::nullopt;
  return *minutes;
}

// Binds before_minutes, at, remind_at, sent_at from `first` on.
void BindPlanning(Statement& s, int first, const Reminder& reminder) {
  BindOptional(s, first, Minutes(reminder.spec.before_minutes));
  BindOptional(s, first + 1, Millis(reminder.spec.at));
  BindOptional(s, first + 2, Millis(reminder.remind_at));
  BindOptional(s, first + 3, Millis(reminder.sent_at));
}

std::vector<Reminder> LoadReminders(Connection& db, const std::string& task_id) {
  ScopedStatement s = db.Prepare(kSelectReminders);
  s->BindText(1, task_id);
  std::vector<Reminder> reminders;
  while (s->Step()) {
    Reminder reminder;
    reminder.id = s->Text(1);
    if (!s->IsNull(2)) reminder.spec.before_minutes = static_cast<int>(s->Int64(2));
    if (!s->IsNull(3)) reminder.spec.at = FromUnixMillis(s->Int64(3));
    if (!s->IsNull(4)) reminder.remind_at = FromUnixMillis(s->Int64(4));
    if (!s->IsNull(5)) reminder.sent_at = FromUnixMillis(s->Int64(5));
    reminders.push_back(std::move(reminder));
  }
  return reminders;
}

}  // namespace

void InsertReminders(Connection& db, const Task& task) {
  for (std::size_t i = 0; i < task.reminders.size(); ++i) {
    const Reminder& reminder = task.reminders[i];
    if (reminder.id.empty()) throw StoreFailure("a reminder has no id", false);
    ScopedStatement s = db.Prepare(kInsertReminder);
    s->BindText(1, task.id);
    s->BindInt64(2, static_cast<std::int64_t>(i));
    s->BindText(3, reminder.id);
    s->BindText(4, task.user_id);
    BindPlanning(*s, 5, reminder);
    s->Step();
  }
}

void SyncReminders(Connection& db, const Task& task) {
  const std::vector<Reminder> stored = LoadReminders(db, task.id);
  if (stored == task.reminders) return;
  if (sql::SameReminderIds(stored, task.reminders)) {
    // Re-planned (a due date moved, a task completed or reopened): the
    // rows stay where they are.
    for (std::size_t i = 0; i < stored.size(); ++i) {
      if (stored[i] == task.reminders[i]) continue;
      ScopedStatement s = db.Prepare(kUpdateReminder);
      s->BindText(1, task.id);
      s->BindInt64(2, static_cast<std::int64_t>(i));
      BindPlanning(*s, 3, task.reminders[i]);
      s->Step();
    }
    return;
  }
  {
    ScopedStatement s = db.Prepare(kDeleteReminders);
    s->BindText(1, task.id);
    s->Step();
  }
  InsertReminders(db, task);
}

}  // namespace taskflow::sqlite
