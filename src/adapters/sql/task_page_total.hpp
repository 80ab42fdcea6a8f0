// The total of a task-list page, when the page tells it without a count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "domain/task_query.hpp"

namespace taskflow::sql {

// `found`: the matches a page query returned from the offset on, when it reads
// up to `read_past` matches past the page's limit only to count them. Fewer
// than it may return means the last match was among them: the total is the
// offset plus them, unless there were none past the first page (the offset
// may then be anywhere beyond the last match). nullopt: count.
inline std::optional<std::int64_t> TotalFromPage(const TaskQuery& query, std::size_t found,
                                                 int read_past = 0) {
  const auto rows = static_cast<std::int64_t>(found);
  if (rows >= std::int64_t{query.limit} + read_past || (rows == 0 && query.offset > 0)) {
    return std::nullopt;
  }
  return query.offset + rows;
}

}  // namespace taskflow::sql
