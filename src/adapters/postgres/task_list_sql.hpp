// Pure query builder for GET /api/tasks on PostgreSQL: a TaskQuery (and its
// owner) becomes the SQL of one page and of the total count, every value a
// $n parameter. The SQL text is assembled only from the fixed fragments in
// task_list_sql.cpp, never from values, so it is safe and its shapes are few
// enough to keep as prepared statements. Same meaning as the SQLite builder
// (adapters/sqlite/task_list_sql.hpp); PostgreSQL's planner picks between the
// trigram index and a scan of the owner's rows by itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/postgres/postgres_connection.hpp"
#include "domain/task_query.hpp"

namespace taskflow::postgres {

// The columns of a task row, in the order DecodeTask (postgres_store.cpp)
// reads them. Columns 15 (tags) and 27 (reminders) are packed as for SQLite,
// in the formats of adapters/sql/task_row_codec.hpp, which decodes them. The
// last column packs
// the reminders (probed only when tasks.reminder_count > 0), ordered by position, as
// "position,id,before_minutes,at,remind_at,sent_at;…" with empty text for
// NULL (ids and integers never hold ',' or ';'): a page of 20 stays one
// query. Instants come as milliseconds since the Unix epoch, exactly:
// extract() answers numeric (PostgreSQL 14+) and stored instants are whole
// milliseconds.
inline constexpr std::string_view kTaskColumns =
    "t.id, t.user_id, t.title, t.description, t.status, t.priority, "
    "(extract(epoch FROM t.due_at) * 1000)::bigint, t.timezone, t.remind_before_minutes, "
    "t.reminder_sent, t.recurrence_parent_id, t.version, "
    "(extract(epoch FROM t.created_at) * 1000)::bigint, "
    "(extract(epoch FROM t.updated_at) * 1000)::bigint, "
    "(extract(epoch FROM t.completed_at) * 1000)::bigint, "
    "(SELECT string_agg(g.name_key || chr(30) || g.name, chr(31)) "
    "FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id), "
    "t.all_day, t.recurrence_rule, t.recurrence_interval, t.cron_expression, t.rrule, "
    "t.recurrence_anchor, (extract(epoch FROM t.recurrence_until) * 1000)::bigint, "
    "t.recurrence_count, (extract(epoch FROM t.series_start) * 1000)::bigint, "
    "t.occurrence_index, t.previous_occurrence_id, "
    "CASE WHEN t.reminder_count > 0 THEN (SELECT string_agg(r.position || ',' || r.id || ',' || "
    "coalesce(r.before_minutes::text, '') "
    "|| ',' || coalesce(((extract(epoch FROM r.at) * 1000)::bigint)::text, '') "
    "|| ',' || coalesce(((extract(epoch FROM r.remind_at) * 1000)::bigint)::text, '') "
    "|| ',' || coalesce(((extract(epoch FROM r.sent_at) * 1000)::bigint)::text, ''), "
    "';' ORDER BY r.position) FROM task_reminders r WHERE r.task_id = t.id) END";

struct SqlQuery {
  std::string sql;
  std::vector<Param> values;  // bound to $1, $2 … in order
};

struct TaskListSql {
  SqlQuery page;   // kTaskColumns of one page, sorted
  SqlQuery count;  // one row: the number of all matches
};

TaskListSql BuildTaskListSql(std::string_view user_id, const TaskQuery& query);

// The LIKE pattern matching `folded` anywhere: wildcards and the escape
// character in it match only themselves.
std::string ContainsPattern(std::string_view folded);

}  // namespace taskflow::postgres
