// What GET /api/tasks asks for: filters, sort and page. Pure data + validation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.hpp"
#include "domain/task.hpp"

namespace taskflow {

enum class SortField { kCreatedAt, kUpdatedAt, kDueAt, kPriority, kTitle };
enum class SortOrder { kAsc, kDesc };
std::optional<SortField> ParseSortField(std::string_view text);
std::optional<SortOrder> ParseSortOrder(std::string_view text);

// When a task is overdue; the one definition, for every reader (list
// filters, the MCP tasks://overdue view, the chat agents). A timed task is
// overdue once its due_at has passed. An all-day task is due for the whole of
// its day (due_at is that day's start), so it is overdue only once the day is
// over: when its day began before today began in the user's zone.
struct OverdueCutoff {
  Instant now;
  Instant today_start;  // the start of the user's today (<= now)
};
// nullopt for an unknown zone.
std::optional<OverdueCutoff> OverdueCutoffAt(Instant now, std::string_view user_zone);
// Whatever the status: a caller wanting pending tasks filters on that too.
bool IsOverdue(std::optional<Instant> due_at, bool all_day, const OverdueCutoff& cutoff);
inline bool IsOverdue(const Task& task, const OverdueCutoff& cutoff) {
  return IsOverdue(task.due_at, task.all_day, cutoff);
}

inline constexpr int kDefaultPageLimit = 20;
inline constexpr int kMaxPageLimit = 100;

struct TaskQuery {
  std::optional<std::string> text;         // `q`, already case-folded
  std::optional<TaskStatus> status;
  std::vector<Priority> priorities;        // any of
  std::vector<std::string> tag_keys;       // case-folded tag names, any of
  std::optional<Instant> due_after;        // inclusive
  std::optional<Instant> due_before;       // inclusive
  std::optional<bool> has_due_date;
  std::optional<OverdueCutoff> overdue;  // only tasks overdue at the cutoff (IsOverdue)
  SortField sort_by = SortField::kCreatedAt;
  SortOrder sort_order = SortOrder::kDesc;
  long long offset = 0;
  int limit = kDefaultPageLimit;
};

// Decodes the query string parameters of GET /api/tasks (already split and
// percent-decoded, repeated keys kept in order) into a TaskQuery. Unknown
// parameters are ignored; every invalid value is reported under its name.
Result<TaskQuery> ParseTaskQuery(const std::vector<std::pair<std::string, std::string>>& params);

struct TaskPage {
  std::vector<Task> tasks;
  long long total = 0;  // all matches before paging
};

}  // namespace taskflow
