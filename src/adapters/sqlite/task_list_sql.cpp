#include "adapters/sqlite/task_list_sql.hpp"

#include <algorithm>

#include "adapters/sql/task_list_order.hpp"
#include "domain/text.hpp"

namespace taskflow::sqlite {
namespace {

// The page's rows by the filter and sort columns alone: the covering index
// tasks_user_list holds them all, and each row's identity and version, by
// which the store finds it in its task cache or reads it (task_cache.hpp).
// Loading the columns in the same query cost the page five times the picking:
// a descent of the table and some thirty columns a row. The total comes from
// a separate count over the same index, run only when the page does not tell
// it (ListTasks): counting in the page (count(*) OVER ()) buffered every
// match and cost more than the page itself.
constexpr std::string_view kPageHead =
    "SELECT t.seq, t.id, t.version FROM tasks t WHERE t.user_id = ?";
constexpr std::string_view kPageTail = " LIMIT ? OFFSET ?";
constexpr std::string_view kCountHead = "SELECT count(*) FROM tasks t WHERE t.user_id = ?";

constexpr std::string_view kStatusFilter = " AND t.status = ?";
constexpr std::string_view kPriorityFilterHead = " AND t.priority IN (";
// Any of the tags, matched by folded name among the owner's tags; IN keeps
// each task once however many of the tags it carries. The set does not
// depend on the row (the owner is bound again), so SQLite builds it once and
// probes it with the id from the list indexes: half the cost of a correlated
// EXISTS per task (measured).
constexpr std::string_view kTagFilterHead =
    " AND t.id IN (SELECT tt.task_id FROM task_tags tt JOIN tags g ON g.id = tt.tag_id "
    "WHERE g.user_id = ? AND g.name_key IN (";
constexpr std::string_view kTagFilterTail = "))";
constexpr std::string_view kDueAfterFilter = " AND t.due_at >= ?";
constexpr std::string_view kDueBeforeFilter = " AND t.due_at <= ?";
// IsOverdue (domain/task_query.hpp): before now, or before today's start for
// an all-day task.
constexpr std::string_view kOverdueFilterNow = " AND t.due_at < ?";
constexpr std::string_view kOverdueFilterAllDay = " AND (t.all_day = 0 OR t.due_at < ?)";
constexpr std::string_view kHasDueFilter = " AND t.due_at IS NOT NULL";
constexpr std::string_view kHasNoDueFilter = " AND t.due_at IS NULL";
// Trigram index: folded copies of title and description, rowid = tasks.seq.
constexpr std::string_view kTextFilterIndexed =
    " AND t.seq IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)";
// Scan of the owner's (already narrowed) tasks: the stored folded title, and
// the description folded on the fly, which costs less than a lookup of the
// index's folded copy (an FTS5 cursor per row).
constexpr std::string_view kTextFilterShort =
    " AND (instr(t.title_key, ?) > 0 OR instr(taskflow_fold(t.description), ?) > 0)";

// "?, ?, ?" for n parameters.
void AppendPlaceholders(std::string& sql, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) sql += i == 0 ? "?" : ", ?";
}

// The WHERE conditions after the owner's, shared by page and count.
void AppendFilters(std::string_view user_id, const TaskQuery& query, TextSearch text_search,
                   std::string& sql, std::vector<SqlValue>& values) {
  if (query.status) {
    sql += kStatusFilter;
    values.emplace_back(std::string(ToString(*query.status)));
  }
  if (!query.priorities.empty()) {
    // Sorted and unique: fewer statement shapes, same meaning.
    std::vector<std::int64_t> ranks;
    for (Priority p : query.priorities) ranks.push_back(static_cast<std::int64_t>(p));
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    sql += kPriorityFilterHead;
    AppendPlaceholders(sql, ranks.size());
    sql += ')';
    for (std::int64_t rank : ranks) values.emplace_back(rank);
  }
  if (!query.tag_keys.empty()) {
    std::vector<std::string> keys = query.tag_keys;
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    sql += kTagFilterHead;
    AppendPlaceholders(sql, keys.size());
    sql += kTagFilterTail;
    values.emplace_back(std::string(user_id));
    for (std::string& key : keys) values.emplace_back(std::move(key));
  }
  if (query.due_after) {
    sql += kDueAfterFilter;
    values.emplace_back(static_cast<std::int64_t>(ToUnixMillis(*query.due_after)));
  }
  if (query.due_before) {
    sql += kDueBeforeFilter;
    values.emplace_back(static_cast<std::int64_t>(ToUnixMillis(*query.due_before)));
  }
  if (query.has_due_date) sql += *query.has_due_date ? kHasDueFilter : kHasNoDueFilter;
  if (query.overdue) {
    sql += kOverdueFilterNow;
    values.emplace_back(static_cast<std::int64_t>(ToUnixMillis(query.overdue->now)));
    sql += kOverdueFilterAllDay;
    values.emplace_back(static_cast<std::int64_t>(ToUnixMillis(query.overdue->today_start)));
  }
  if (query.text && !query.text->empty()) {
    if (text_search == TextSearch::kIndex && CodePointCount(*query.text) >= kMinTrigramQueryChars) {
      sql += kTextFilterIndexed;
      values.emplace_back(FtsPhrase(*query.text));
    } else {
      sql += kTextFilterShort;
      values.emplace_back(*query.text);
      values.emplace_back(*query.text);
    }
  }
}

}  // namespace

std::string FtsPhrase(std::string_view folded) {
  std::string phrase;
  phrase.reserve(folded.size() + 2);
  phrase += '"';
  for (char c : folded) {
    if (c == '"') phrase += '"';
    phrase += c;
  }
  phrase += '"';
  return phrase;
}

const std::string& TaskRowSql() {
  static const std::string sql =
      "SELECT " + std::string(kTaskColumns) + " FROM tasks t WHERE t.seq = ?";
  return sql;
}

TaskListSql BuildTaskListSql(std::string_view user_id, const TaskQuery& query,
                             TextSearch text_search) {
  std::string filters;
  std::vector<SqlValue> filter_values;
  AppendFilters(user_id, query, text_search, filters, filter_values);

  TaskListSql out;
  out.count.sql.reserve(kCountHead.size() + filters.size());
  out.count.sql += kCountHead;
  out.count.sql += filters;
  out.count.values.reserve(filter_values.size() + 1);
  out.count.values.emplace_back(std::string(user_id));
  out.count.values.insert(out.count.values.end(), filter_values.begin(), filter_values.end());

  const std::string_view order = sql::TaskListOrderBy(query.sort_by, query.sort_order);
  std::string& sql = out.page.sql;
  sql.reserve(kPageHead.size() + filters.size() + order.size() + kPageTail.size());
  sql += kPageHead;
  sql += filters;
  sql += order;
  sql += kPageTail;
  out.page.values.reserve(filter_values.size() + 3);
  out.page.values.emplace_back(std::string(user_id));
  for (SqlValue& value : filter_values) out.page.values.push_back(std::move(value));
  out.page.values.emplace_back(static_cast<std::int64_t>(query.limit) + kCountAheadRows);
  out.page.values.emplace_back(static_cast<std::int64_t>(query.offset));
  return out;
}

}  // namespace taskflow::sqlite
