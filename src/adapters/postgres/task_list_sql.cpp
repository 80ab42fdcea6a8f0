#include "adapters/postgres/task_list_sql.hpp"

#include <algorithm>

#include "adapters/sql/task_list_order.hpp"
#include "domain/time.hpp"

namespace taskflow::postgres {
namespace {

constexpr std::string_view kPageHead = "SELECT ";
constexpr std::string_view kFromTasks = " FROM tasks t WHERE t.user_id = $1";
constexpr std::string_view kCountHead = "SELECT count(*) FROM tasks t WHERE t.user_id = $1";

// Each fragment is followed by the number of its parameter and its tail.
constexpr std::string_view kStatusFilter = " AND t.status = $";
// One array parameter, whatever the number of priorities or tags: one
// statement shape per combination of filters.
constexpr std::string_view kPriorityFilter = " AND t.priority = ANY($";
constexpr std::string_view kPriorityFilterTail = "::smallint[])";
// Any of the tags, matched by folded name among the owner's tags; IN keeps
// each task once however many of the tags it carries.
constexpr std::string_view kTagFilterOwner =
    " AND t.id IN (SELECT tt.task_id FROM task_tags tt JOIN tags g ON g.id = tt.tag_id "
    "WHERE g.user_id = $";
constexpr std::string_view kTagFilterKeys = " AND g.name_key = ANY($";
constexpr std::string_view kTagFilterTail = "::text[]))";
constexpr std::string_view kDueAfterFilter = " AND t.due_at >= $";
constexpr std::string_view kDueBeforeFilter = " AND t.due_at <= $";
constexpr std::string_view kTimestampCast = "::timestamptz";
// IsOverdue (domain/task_query.hpp): before now, or before today's start for
// an all-day task.
constexpr std::string_view kOverdueFilterNow = " AND t.due_at < $";
constexpr std::string_view kOverdueFilterAllDay = " AND (NOT t.all_day OR t.due_at < $";
constexpr std::string_view kHasDueFilter = " AND t.due_at IS NOT NULL";
constexpr std::string_view kHasNoDueFilter = " AND t.due_at IS NULL";
// Substring of the folded copies (FoldCase, computed by the application as
// for SQLite), served by the pg_trgm GIN index over both columns. The
// default LIKE escape character is the backslash ContainsPattern uses.
constexpr std::string_view kTextFilterTitle = " AND (t.title_key LIKE $";
constexpr std::string_view kTextFilterDescription = " OR t.description_key LIKE $";

// Appends "<fragment>$n" for the next parameter, which holds `value`.
class Builder {
 public:
  Builder(std::string& sql, std::vector<Param>& values) : sql_(sql), values_(values) {}

  void Add(std::string_view fragment, Param value) {
    values_.push_back(std::move(value));
    sql_ += fragment;
    sql_ += std::to_string(values_.size());
  }
  void Append(std::string_view fragment) { sql_ += fragment; }
  // Refers again to the last parameter added.
  void Again(std::string_view fragment) {
    sql_ += fragment;
    sql_ += std::to_string(values_.size());
  }

 private:
  std::string& sql_;
  std::vector<Param>& values_;
};

// The WHERE conditions after the owner's ($1), shared by page and count.
void AppendFilters(std::string_view user_id, const TaskQuery& query, Builder& out) {
  if (query.status) {
    out.Add(kStatusFilter, std::string(ToString(*query.status)));
  }
  if (!query.priorities.empty()) {
    // Sorted and unique: same meaning, and equal queries bind equal values.
    std::vector<std::string> ranks;
    for (Priority p : query.priorities) ranks.push_back(std::to_string(static_cast<int>(p)));
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    out.Add(kPriorityFilter, ArrayLiteral(ranks));
    out.Append(kPriorityFilterTail);
  }
  if (!query.tag_keys.empty()) {
    std::vector<std::string> keys = query.tag_keys;
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    // The owner again: the tag set does not depend on the row.
    out.Add(kTagFilterOwner, std::string(user_id));
    out.Add(kTagFilterKeys, ArrayLiteral(keys));
    out.Append(kTagFilterTail);
  }
  if (query.due_after) {
    out.Add(kDueAfterFilter, FormatRfc3339(*query.due_after));
    out.Append(kTimestampCast);
  }
  if (query.due_before) {
    out.Add(kDueBeforeFilter, FormatRfc3339(*query.due_before));
    out.Append(kTimestampCast);
  }
  if (query.has_due_date) out.Append(*query.has_due_date ? kHasDueFilter : kHasNoDueFilter);
  if (query.overdue) {
    out.Add(kOverdueFilterNow, FormatRfc3339(query.overdue->now));
    out.Append(kTimestampCast);
    out.Add(kOverdueFilterAllDay, FormatRfc3339(query.overdue->today_start));
    out.Append(kTimestampCast);
    out.Append(")");
  }
  if (query.text && !query.text->empty()) {
    out.Add(kTextFilterTitle, ContainsPattern(*query.text));
    out.Again(kTextFilterDescription);
    out.Append(")");
  }
}

}  // namespace

std::string ContainsPattern(std::string_view folded) { return "%" + EscapeLike(folded) + "%"; }

TaskListSql BuildTaskListSql(std::string_view user_id, const TaskQuery& query) {
  std::string filters;
  std::vector<Param> values{std::string(user_id)};
  Builder builder(filters, values);
  AppendFilters(user_id, query, builder);

  TaskListSql out;
  out.count.sql.reserve(kCountHead.size() + filters.size());
  out.count.sql += kCountHead;
  out.count.sql += filters;
  out.count.values = values;

  const std::string_view order = sql::TaskListOrderBy(query.sort_by, query.sort_order);
  std::string& sql = out.page.sql;
  sql.reserve(kPageHead.size() + kTaskColumns.size() + kFromTasks.size() + filters.size() +
              order.size() + 24);
  sql += kPageHead;
  sql += kTaskColumns;
  sql += kFromTasks;
  sql += filters;
  sql += order;
  out.page.values = std::move(values);
  Builder page(sql, out.page.values);
  page.Add(" LIMIT $", std::to_string(query.limit));
  page.Add(" OFFSET $", std::to_string(query.offset));
  return out;
}

}  // namespace taskflow::postgres
