#include "adapters/sqlite/sqlite_reminders.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "adapters/sqlite/task_list_sql.hpp"

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

[[noreturn]] void Malformed() { throw StoreFailure("malformed reminder list", false); }

std::optional<std::int64_t> ParseOptionalInt(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) Malformed();
  return value;
}

std::optional<Instant> ParseOptionalInstant(std::string_view text) {
  const std::optional<std::int64_t> millis = ParseOptionalInt(text);
  if (!millis) return std::nullopt;
  return FromUnixMillis(*millis);
}

// Splits `text` at `separator` into exactly `N` fields.
template <std::size_t N>
std::array<std::string_view, N> Split(std::string_view text, char separator) {
  std::array<std::string_view, N> fields;
  for (std::size_t i = 0; i < N; ++i) {
    const std::size_t end = text.find(separator);
    if ((end == std::string_view::npos) != (i + 1 == N)) Malformed();
    fields[i] = text.substr(0, end);
    if (end != std::string_view::npos) text.remove_prefix(end + 1);
  }
  return fields;
}

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

bool SameIds(const std::vector<Reminder>& a, const std::vector<Reminder>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Reminder& x, const Reminder& y) { return x.id == y.id; });
}

}  // namespace

std::vector<Reminder> DecodeReminders(std::string_view packed) {
  std::vector<std::pair<std::int64_t, Reminder>> rows;
  while (!packed.empty()) {
    const std::size_t end = packed.find(kReminderSeparator);
    const auto fields = Split<6>(packed.substr(0, end), kReminderFieldSeparator);
    const std::optional<std::int64_t> position = ParseOptionalInt(fields[0]);
    const std::optional<std::int64_t> minutes = ParseOptionalInt(fields[2]);
    if (!position || fields[1].empty()) Malformed();
    Reminder reminder;
    reminder.id = std::string(fields[1]);
    if (minutes) reminder.spec.before_minutes = static_cast<int>(*minutes);
    reminder.spec.at = ParseOptionalInstant(fields[3]);
    reminder.remind_at = ParseOptionalInstant(fields[4]);
    reminder.sent_at = ParseOptionalInstant(fields[5]);
    rows.emplace_back(*position, std::move(reminder));
    if (end == std::string_view::npos) break;
    packed.remove_prefix(end + 1);
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Reminder> reminders;
  reminders.reserve(rows.size());
  for (auto& row : rows) reminders.push_back(std::move(row.second));
  return reminders;
}

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
  if (SameIds(stored, task.reminders)) {
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
