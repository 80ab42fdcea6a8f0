// The total of a task-list page, when the page tells it without a count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "domain/task_query.hpp"

namespace taskflow::sql {

// A page shorter than its limit is the last one: the total is the offset plus
// its rows, unless it is empty past the first page (the offset may then be
// anywhere beyond the last match). nullopt: count.
inline std::optional<std::int64_t> TotalFromPage(const TaskQuery& query, std::size_t found) {
  const auto rows = static_cast<std::int64_t>(found);
  if (rows >= query.limit || (rows == 0 && query.offset > 0)) return std::nullopt;
  return query.offset + rows;
}

}  // namespace taskflow::sql
