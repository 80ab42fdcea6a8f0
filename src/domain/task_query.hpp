// What GET /api/tasks asks for: filters, sort and page. Pure data + validation.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/result.hpp"
#include "domain/task.hpp"

namespace taskflow {

enum class SortField { kCreatedAt, kUpdatedAt, kDueAt, kPriority, kTitle };
enum class SortOrder { kAsc, kDesc };
std::optional<SortField> ParseSortField(std::string_view text);
std::optional<SortOrder> ParseSortOrder(std::string_view text);

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
