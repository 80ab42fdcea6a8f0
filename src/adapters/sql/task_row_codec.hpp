// What the SQL store adapters (SQLite, PostgreSQL) share of the mapping
// between task rows and domain values: the seven recurrence columns, the
// priority rank, and the packed tags and reminders columns of a task row.
// Dialect-free: each adapter reads its columns into these plain values (its
// own way of binding and of reading NULLs) and the rules live here once.
// Decoders throw StoreFailure on malformed data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/task.hpp"

namespace taskflow::sql {

// The packed tags column: "name_key␞name␟name_key␞name…" (␟ = char 31
// between tags, ␞ = char 30 between key and name). Control characters never
// occur in tag names, so the separators are safe.
inline constexpr char kTagSeparator = '\x1f';
inline constexpr char kTagKeySeparator = '\x1e';
// The packed reminders column: "position,id,before_minutes,at,remind_at,
// sent_at;…" with instants as Unix milliseconds and empty text for NULL (ids
// and integers never hold ',' or ';').
inline constexpr char kReminderSeparator = ';';
inline constexpr char kReminderFieldSeparator = ',';

// Tag names ordered by folded name, then by spelling (a total order, whatever
// order the database aggregated them in).
std::vector<std::string> DecodePackedTagNames(std::string_view packed);
// Reminders ordered by position.
std::vector<Reminder> DecodePackedReminders(std::string_view packed);

// A recurrence as its seven columns (recurrence_rule, recurrence_interval,
// cron_expression, rrule, recurrence_anchor, recurrence_until,
// recurrence_count); all unset for a task that does not recur. Instants are
// Unix milliseconds.
struct StoredRecurrence {
  std::optional<std::string> rule;
  std::optional<std::int64_t> interval;
  std::optional<std::string> cron;
  std::optional<std::string> rrule;
  std::optional<std::string> anchor;
  std::optional<std::int64_t> until;
  std::optional<std::int64_t> count;
  friend bool operator==(const StoredRecurrence&, const StoredRecurrence&) = default;
};
StoredRecurrence ToStored(const std::optional<Recurrence>& recurrence);
std::optional<Recurrence> FromStored(const StoredRecurrence& stored, const std::string& task_id);

// Priorities are stored as their rank 1–4 (P1 = 1), so that the sort order is
// the value's.
std::optional<std::int64_t> PriorityRank(const std::optional<Priority>& priority);
std::optional<Priority> PriorityFromRank(std::optional<std::int64_t> rank,
                                         const std::string& task_id);

// True when both lists hold reminders with the same ids in the same order:
// the stored rows can then be re-planned in place instead of rewritten.
bool SameReminderIds(const std::vector<Reminder>& a, const std::vector<Reminder>& b);

}  // namespace taskflow::sql
