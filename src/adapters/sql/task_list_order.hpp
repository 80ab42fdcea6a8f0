// The ORDER BY clause of the task list, the same text in SQLite and
// PostgreSQL (both know NULLS LAST). The table is aliased `t`.
#pragma once

#include <string_view>

#include "domain/task_query.hpp"

namespace taskflow::sql {

// " ORDER BY …": nullable keys sort NULLS LAST in both directions; priority
// ranks P1 (1) highest, so "desc" (most urgent first) is ascending
// numerically; ties break by id in the requested direction, making the order
// total, so pages never repeat or skip a task.
std::string_view TaskListOrderBy(SortField field, SortOrder order);

}  // namespace taskflow::sql
