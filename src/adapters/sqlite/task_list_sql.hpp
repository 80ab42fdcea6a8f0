// Pure query builder for GET /api/tasks: a TaskQuery (and its owner) becomes
// the SQL of one page and of the total count, with every value bound as a
// parameter. The SQL text is assembled only from the fixed fragments below,
// never from values, so it is safe and its shapes are few enough to cache.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/sqlite/sqlite_connection.hpp"
#include "domain/task_query.hpp"

namespace taskflow::sqlite {

// The columns of a task row, in the order DecodeTask (sqlite_store.cpp) reads
// them. Column 15 holds the task's tags as "name_key␞name␟name_key␞name…"
// (␟ = char(31) between tags, ␞ = char(30) between key and name): control
// characters never occur in tag names, so the separators are safe. The store
// keeps that text in tasks.tag_names (kPackedTagNames in sqlite_store.cpp
// writes it), which saves two index probes per tag on every read.
// SQLite's group_concat has no defined order, so the reader sorts by key.
// The last column packs the reminders the same way, one probe of
// task_reminders' primary key (task_id, position) per row that has any
// (reminder_count > 0; the probe is skipped otherwise):
// "position,id,before_minutes,at,remind_at,sent_at;…" with empty text for
// NULL (ids and integers never hold ',' or ';'); the reader sorts by position.
// A page of 20 stays one query: a batched reminder query per
// page measured no cheaper, since it makes the same probes.
inline constexpr std::string_view kTaskColumns =
    "t.id, t.user_id, t.title, t.description, t.status, t.priority, t.due_at, t.timezone, "
    "t.remind_before_minutes, t.reminder_sent, t.recurrence_parent_id, t.version, "
    "t.created_at, t.updated_at, t.completed_at, "
    "t.tag_names, "
    "t.all_day, t.recurrence_rule, t.recurrence_interval, t.cron_expression, t.rrule, "
    "t.recurrence_anchor, t.recurrence_until, t.recurrence_count, t.series_start, "
    "t.occurrence_index, t.previous_occurrence_id, "
    "CASE WHEN t.reminder_count > 0 THEN (SELECT group_concat(r.position || ',' || r.id || ',' "
    "|| ifnull(r.before_minutes, '') || ',' || ifnull(r.at, '') || ',' || ifnull(r.remind_at, '') "
    "|| ',' || ifnull(r.sent_at, ''), ';') FROM task_reminders r WHERE r.task_id = t.id) END";
// (The separators are sql::kTagSeparator … in adapters/sql/task_row_codec.hpp,
// which decodes both packed columns for every SQL adapter.)

// Queries shorter than this many code points cannot use the trigram index.
inline constexpr std::size_t kMinTrigramQueryChars = 3;

// How `q` is matched. The trigram index costs in proportion to the tasks of
// *all* users that share the query's trigrams, a scan of the owner's folded
// text a microsecond or two per task of that owner: the store picks the
// index only for owners with many tasks (SqliteOptions::search_scan_max_tasks).
// Texts of one or two code points make no trigram and are always scanned.
enum class TextSearch { kIndex, kScan };

struct SqlQuery {
  std::string sql;
  std::vector<SqlValue> values;  // bound to ?1, ?2 … in order
};

// The page query reads up to this many matches past the page, from the
// index alone, only to count them: a typical owner's matches all fit, and the
// total then needs no count query (which would read them all again). Only
// larger result sets still pay for the count.
inline constexpr int kCountAheadRows = 100;

struct TaskListSql {
  // One page, sorted: tasks.seq, id and version of each row, then of up to
  // kCountAheadRows more matches.
  SqlQuery page;
  // One row: the number of all matches.
  SqlQuery count;
};

// kTaskColumns of the row whose tasks.seq is bound to ?1: a row of the page.
const std::string& TaskRowSql();

TaskListSql BuildTaskListSql(std::string_view user_id, const TaskQuery& query,
                             TextSearch text_search = TextSearch::kIndex);

// `folded` as one FTS5 phrase: wrapped in double quotes, inner quotes doubled,
// so no character of the search text acts as FTS5 query syntax.
std::string FtsPhrase(std::string_view folded);

}  // namespace taskflow::sqlite
