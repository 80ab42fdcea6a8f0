#include "adapters/sql/task_row_codec.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "ports/store.hpp"

namespace taskflow::sql {
namespace {

[[noreturn]] void MalformedReminders() { throw StoreFailure("malformed reminder list", false); }

std::optional<std::int64_t> ParseOptionalInt(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) MalformedReminders();
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
    if ((end == std::string_view::npos) != (i + 1 == N)) MalformedReminders();
    fields[i] = text.substr(0, end);
    if (end != std::string_view::npos) text.remove_prefix(end + 1);
  }
  return fields;
}

}  // namespace

std::vector<std::string> DecodePackedTagNames(std::string_view packed) {
  std::vector<std::string> names;
  if (packed.empty()) return names;
  std::vector<std::pair<std::string_view, std::string_view>> entries;
  while (true) {
    const std::size_t end = packed.find(kTagSeparator);
    const std::string_view entry = packed.substr(0, end);
    const std::size_t split = entry.find(kTagKeySeparator);
    if (split == std::string_view::npos) throw StoreFailure("malformed tag list", false);
    entries.emplace_back(entry.substr(0, split), entry.substr(split + 1));
    if (end == std::string_view::npos) break;
    packed.remove_prefix(end + 1);
  }
  std::sort(entries.begin(), entries.end());
  names.reserve(entries.size());
  for (const auto& [key, name] : entries) names.emplace_back(name);
  return names;
}

std::vector<Reminder> DecodePackedReminders(std::string_view packed) {
  std::vector<std::pair<std::int64_t, Reminder>> rows;
  while (!packed.empty()) {
    const std::size_t end = packed.find(kReminderSeparator);
    const auto fields = Split<6>(packed.substr(0, end), kReminderFieldSeparator);
    const std::optional<std::int64_t> position = ParseOptionalInt(fields[0]);
    const std::optional<std::int64_t> minutes = ParseOptionalInt(fields[2]);
    if (!position || fields[1].empty()) MalformedReminders();
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

namespace {

std::optional<std::string> NonEmpty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

StoredRecurrence ToStored(const std::optional<Recurrence>& recurrence) {
  if (!recurrence) return {};
  return StoredRecurrence{
      .rule = std::string(ToString(recurrence->rule)),
      .interval = recurrence->interval,
      .cron = NonEmpty(recurrence->cron),
      .rrule = NonEmpty(recurrence->rrule),
      .anchor = std::string(ToString(recurrence->anchor)),
      .until = recurrence->until ? std::optional<std::int64_t>(ToUnixMillis(*recurrence->until))
                                 : std::nullopt,
      .count = recurrence->count ? std::optional<std::int64_t>(*recurrence->count) : std::nullopt};
}

std::optional<Recurrence> FromStored(const StoredRecurrence& stored, const std::string& task_id) {
  if (!stored.rule) return std::nullopt;
  const std::optional<RecurrenceRule> rule = ParseRecurrenceRule(*stored.rule);
  const std::optional<RecurrenceAnchor> anchor =
      stored.anchor ? ParseRecurrenceAnchor(*stored.anchor) : RecurrenceAnchor::kDue;
  if (!rule || !anchor) throw StoreFailure("task " + task_id + " has a bad recurrence", false);
  Recurrence recurrence;
  recurrence.rule = *rule;
  recurrence.interval = static_cast<int>(stored.interval.value_or(1));
  recurrence.cron = stored.cron.value_or("");
  recurrence.rrule = stored.rrule.value_or("");
  recurrence.anchor = *anchor;
  if (stored.until) recurrence.until = FromUnixMillis(*stored.until);
  if (stored.count) recurrence.count = static_cast<int>(*stored.count);
  return recurrence;
}

std::optional<std::int64_t> PriorityRank(const std::optional<Priority>& priority) {
  if (!priority) return std::nullopt;
  return static_cast<std::int64_t>(*priority);
}

std::optional<Priority> PriorityFromRank(std::optional<std::int64_t> rank,
                                         const std::string& task_id) {
  if (!rank) return std::nullopt;
  if (*rank < 1 || *rank > 4) throw StoreFailure("task " + task_id + " has a bad priority", false);
  return static_cast<Priority>(*rank);
}

bool SameReminderIds(const std::vector<Reminder>& a, const std::vector<Reminder>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Reminder& x, const Reminder& y) { return x.id == y.id; });
}

}  // namespace taskflow::sql
