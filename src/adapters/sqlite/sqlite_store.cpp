#include "adapters/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/sql/task_page_total.hpp"
#include "adapters/sql/task_row_codec.hpp"
#include "adapters/sqlite/sqlite_chat.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/sqlite/sqlite_events.hpp"
#include "adapters/sqlite/sqlite_reminders.hpp"
#include "adapters/sqlite/task_cache.hpp"
#include "adapters/sqlite/task_list_sql.hpp"
#include "adapters/sqlite/task_text_index.hpp"
#include "adapters/sqlite/wal_change_counter.hpp"
#include "adapters/sqlite/wal_checkpointer.hpp"
#include "adapters/sqlite/write_queue.hpp"
#include "domain/text.hpp"

namespace taskflow {
namespace {

using sql::PriorityRank;
using sql::StoredRecurrence;
using sql::ToStored;
using sqlite::Connection;
using sqlite::ConnectionOptions;
using sqlite::ScopedStatement;
using sqlite::SqlValue;
using sqlite::PendingWrite;
using sqlite::Statement;
using sqlite::WalCheckpointer;
using sqlite::WriteQueue;
using sqlite::WriteWork;

// ---- SQL ----
// Every value is a bound parameter. Statements are prepared once per
// connection and cached by their text.

constexpr std::string_view kBeginRead = "BEGIN";  // deferred: the snapshot starts at the first read
constexpr std::string_view kBeginWrite = "BEGIN IMMEDIATE";  // takes the write lock up front
constexpr std::string_view kCommit = "COMMIT";
// One write of a group commit (see RunGroupTransaction).
constexpr std::string_view kSavepoint = "SAVEPOINT one_write";
constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO one_write";
constexpr std::string_view kReleaseSavepoint = "RELEASE one_write";
constexpr std::string_view kPing = "SELECT count(*) FROM schema_migrations";

constexpr std::string_view kSelectUser =
    "SELECT id, email, name, timezone, created_at, updated_at, date_order FROM users WHERE id = ?";
constexpr std::string_view kSelectCredentials =
    "SELECT id, email, name, timezone, created_at, updated_at, date_order, password_hash "
    "FROM users WHERE email = ? AND password_hash IS NOT NULL";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, email, name, timezone, created_at, updated_at, date_order, "
    "password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
// Only an id clash is "already there"; an email clash still fails, so that
// EnsureUser can retry without the email.
constexpr std::string_view kEnsureUser =
    "INSERT INTO users (id, email, name, timezone, created_at, updated_at, date_order) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET name = ?, timezone = ?, date_order = ?, updated_at = ? WHERE id = ?";

// See SqliteOptions::search_scan_max_tasks.
constexpr std::string_view kCountTasksUpTo =
    "SELECT count(*) FROM (SELECT 1 FROM tasks WHERE user_id = ? LIMIT ?)";

constexpr std::string_view kSelectTaskWhere = " FROM tasks t WHERE t.id = ? AND t.user_id = ?";
constexpr std::string_view kInsertTask =
    "INSERT INTO tasks (id, user_id, title, title_key, description, status, priority, due_at, "
    "timezone, remind_before_minutes, reminder_sent, recurrence_parent_id, version, created_at, "
    "updated_at, completed_at, all_day, recurrence_rule, recurrence_interval, cron_expression, "
    "rrule, recurrence_anchor, recurrence_until, recurrence_count, series_start, "
    "occurrence_index, previous_occurrence_id, reminder_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// One next occurrence per task: the unique index on previous_occurrence_id
// decides, atomically, whatever the callers checked before.
constexpr std::string_view kInsertNextOccurrence =
    "INSERT INTO tasks (id, user_id, title, title_key, description, status, priority, due_at, "
    "timezone, remind_before_minutes, reminder_sent, recurrence_parent_id, version, created_at, "
    "updated_at, completed_at, all_day, recurrence_rule, recurrence_interval, cron_expression, "
    "rrule, recurrence_anchor, recurrence_until, recurrence_count, series_start, "
    "occurrence_index, previous_occurrence_id, reminder_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (previous_occurrence_id) DO NOTHING";
// Optimistic concurrency: the stored row is read under the write lock and
// changed only if its version is the one the caller read. Only the columns
// whose value differs are written: SQLite rewrites every index over a column
// in the SET list, changed or not, and each rewritten page is a WAL frame.
constexpr std::string_view kSelectTaskForUpdate =
    "SELECT seq, title, description, status, priority, due_at, timezone, "
    "remind_before_minutes, reminder_sent, recurrence_parent_id, completed_at, all_day, "
    "recurrence_rule, recurrence_interval, cron_expression, rrule, recurrence_anchor, "
    "recurrence_until, recurrence_count, series_start, occurrence_index, previous_occurrence_id, "
    "reminder_count FROM tasks WHERE id = ? AND user_id = ? AND version = ?";
// version and updated_at are always written (the caller computed them).
constexpr std::string_view kUpdateTaskHead = "UPDATE tasks SET version = ?, updated_at = ?";
constexpr std::string_view kUpdateTaskTail = " WHERE seq = ?";
constexpr std::string_view kDeleteTask =
    "DELETE FROM tasks WHERE id = ? AND user_id = ? RETURNING seq";

// The columns UpdateTask may leave out, with their SET fragments.
enum TaskColumn {
  kTitleColumn,
  kDescriptionColumn,
  kStatusColumn,
  kPriorityColumn,
  kDueAtColumn,
  kTimezoneColumn,
  kRemindColumn,
  kReminderSentColumn,
  kParentColumn,
  kCompletedAtColumn,
  kAllDayColumn,
  kRecurrenceColumns,  // the seven columns of a recurrence, written together
  kSeriesColumns,      // series_start, occurrence_index, previous_occurrence_id
  kReminderCountColumn,
  kTaskColumnCount,
};
constexpr std::string_view kSetTaskColumn[kTaskColumnCount] = {
    ", title = ?, title_key = ?",
    ", description = ?",
    ", status = ?",
    ", priority = ?",
    ", due_at = ?",
    ", timezone = ?",
    ", remind_before_minutes = ?",
    ", reminder_sent = ?",
    ", recurrence_parent_id = ?",
    ", completed_at = ?",
    ", all_day = ?",
    ", recurrence_rule = ?, recurrence_interval = ?, cron_expression = ?, rrule = ?, "
    "recurrence_anchor = ?, recurrence_until = ?, recurrence_count = ?",
    ", series_start = ?, occurrence_index = ?, previous_occurrence_id = ?",
    ", reminder_count = ?",
};

constexpr std::string_view kSelectTaskTagIds = "SELECT tag_id FROM task_tags WHERE task_id = ?";
constexpr std::string_view kDeleteTaskTag =
    "DELETE FROM task_tags WHERE task_id = ? AND tag_id = ?";
// Links only a tag of the task's owner, whatever the caller passes.
constexpr std::string_view kInsertTaskTag =
    "INSERT OR IGNORE INTO task_tags (task_id, tag_id) "
    "SELECT t.id, g.id FROM tasks t JOIN tags g ON g.user_id = t.user_id "
    "WHERE t.id = ?1 AND g.id = ?2";

constexpr std::string_view kSelectTag =
    "SELECT id, user_id, name, color FROM tags WHERE id = ? AND user_id = ?";
constexpr std::string_view kSelectTagByKey =
    "SELECT id, user_id, name, color FROM tags WHERE user_id = ? AND name_key = ?";
constexpr std::string_view kListTags =
    "SELECT g.id, g.user_id, g.name, g.color, "
    "(SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id) "
    "FROM tags g WHERE g.user_id = ? ORDER BY g.name_key";
// created_at is bookkeeping only (not part of Tag): the database clock in ms.
constexpr std::string_view kInsertTag =
    "INSERT INTO tags (id, user_id, name, name_key, color, created_at) VALUES "
    "(?, ?, ?, ?, ?, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER))";
constexpr std::string_view kUpdateTag =
    "UPDATE tags SET name = ?, name_key = ?, color = ? WHERE id = ? AND user_id = ?";
// tasks.tag_names of the task whose id is `task_id_sql`, the links of tag
// `?<excluded>` left out (a tag about to be deleted): the packed text of
// sqlite::kTaskColumns' column 15, NULL for none.
#define TASKFLOW_PACKED_TAG_NAMES(task_id_sql, excluded)                    \
  "(SELECT group_concat(g.name_key || char(30) || g.name, char(31)) "      \
  "FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = " \
  task_id_sql " AND tt.tag_id IS NOT " excluded ")"
constexpr std::string_view kRefreshTagNames =
    "UPDATE tasks SET tag_names = " TASKFLOW_PACKED_TAG_NAMES("?1", "NULL") " WHERE id = ?1";
// The same for a task whose version this write has not moved yet: new links
// are a change of the task (and the task cache trusts its version).
constexpr std::string_view kRefreshTagNamesAndVersion =
    "UPDATE tasks SET version = version + 1, tag_names = "
    TASKFLOW_PACKED_TAG_NAMES("?1", "NULL") " WHERE id = ?1";
// A task's representation includes its tag names, so its version moves too.
// ?4: the tag whose links no longer count (being deleted), or NULL.
constexpr std::string_view kBumpTasksOfTag =
    "UPDATE tasks SET version = version + 1, updated_at = ?3, tag_names = "
    TASKFLOW_PACKED_TAG_NAMES("tasks.id", "?4")
    " WHERE user_id = ?2 AND id IN (SELECT task_id FROM task_tags WHERE tag_id = ?1)";
#undef TASKFLOW_PACKED_TAG_NAMES
// Links go with it (ON DELETE CASCADE).
constexpr std::string_view kDeleteTag = "DELETE FROM tags WHERE id = ? AND user_id = ?";

const std::string& SelectTaskSql() {
  static const std::string sql =
      "SELECT " + std::string(sqlite::kTaskColumns) + std::string(kSelectTaskWhere);
  return sql;
}

// ---- binding and decoding ----

void BindOptionalText(Statement& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.BindText(index, *value);
  } else {
    s.BindNull(index);
  }
}

void BindOptionalInt(Statement& s, int index, std::optional<std::int64_t> value) {
  if (value) {
    s.BindInt64(index, *value);
  } else {
    s.BindNull(index);
  }
}

std::optional<std::int64_t> OptionalMillis(const std::optional<Instant>& value) {
  if (!value) return std::nullopt;
  return ToUnixMillis(*value);
}

void BindOptionalInstant(Statement& s, int index, const std::optional<Instant>& value) {
  BindOptionalInt(s, index, OptionalMillis(value));
}

std::optional<std::int64_t> OptionalInt(const std::optional<int>& value) {
  if (!value) return std::nullopt;
  return *value;
}

std::optional<Instant> OptionalInstant(const Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return FromUnixMillis(s.Int64(column));
}

// Columns: id, email, name, timezone, created_at, updated_at, date_order.
User DecodeUser(const Statement& s) {
  User user;
  user.id = s.Text(0);
  user.email = s.OptionalText(1);
  user.name = s.Text(2);
  user.timezone = s.Text(3);
  user.created_at = FromUnixMillis(s.Int64(4));
  user.updated_at = FromUnixMillis(s.Int64(5));
  const std::optional<DateOrder> order = ParseDateOrder(s.TextView(6));
  if (!order) throw StoreFailure("user " + user.id + " has an unknown date order", false);
  user.date_order = *order;
  return user;
}

// The seven columns from `first` on.
StoredRecurrence ReadStoredRecurrence(const Statement& s, int first) {
  return StoredRecurrence{.rule = s.OptionalText(first),
                          .interval = s.OptionalInt64(first + 1),
                          .cron = s.OptionalText(first + 2),
                          .rrule = s.OptionalText(first + 3),
                          .anchor = s.OptionalText(first + 4),
                          .until = s.OptionalInt64(first + 5),
                          .count = s.OptionalInt64(first + 6)};
}

void BindStoredRecurrence(Statement& s, int& index, const StoredRecurrence& stored) {
  BindOptionalText(s, index++, stored.rule);
  BindOptionalInt(s, index++, stored.interval);
  BindOptionalText(s, index++, stored.cron);
  BindOptionalText(s, index++, stored.rrule);
  BindOptionalText(s, index++, stored.anchor);
  BindOptionalInt(s, index++, stored.until);
  BindOptionalInt(s, index++, stored.count);
}

// tasks.reminder_count: lets list rows without reminders skip their probe.
std::int64_t ReminderCount(const Task& task) {
  return static_cast<std::int64_t>(task.reminders.size());
}

// Columns: id, user_id, name, color.
Tag DecodeTag(const Statement& s) {
  return Tag{.id = s.Text(0), .user_id = s.Text(1), .name = s.Text(2), .color = s.OptionalText(3)};
}

// Columns: sqlite::kTaskColumns.
Task DecodeTask(const Statement& s) {
  Task task;
  task.id = s.Text(0);
  task.user_id = s.Text(1);
  task.title = s.Text(2);
  task.description = s.Text(3);
  const std::optional<TaskStatus> status = ParseTaskStatus(s.TextView(4));
  if (!status) throw StoreFailure("task " + task.id + " has an unknown status", false);
  task.status = *status;
  task.priority = sql::PriorityFromRank(s.OptionalInt64(5), task.id);
  task.due_at = OptionalInstant(s, 6);
  task.timezone = s.Text(7);
  if (!s.IsNull(8)) task.remind_before_minutes = static_cast<int>(s.Int64(8));
  task.reminder_sent = s.Int64(9) != 0;
  task.recurrence_parent_id = s.OptionalText(10);
  task.version = s.Int64(11);
  task.created_at = FromUnixMillis(s.Int64(12));
  task.updated_at = FromUnixMillis(s.Int64(13));
  task.completed_at = OptionalInstant(s, 14);
  task.tags = sql::DecodePackedTagNames(s.TextView(15));
  task.all_day = s.Int64(16) != 0;
  task.recurrence = sql::FromStored(ReadStoredRecurrence(s, 17), task.id);
  task.series_start = OptionalInstant(s, 24);
  task.occurrence_index = static_cast<int>(s.Int64(25));
  task.previous_occurrence_id = s.OptionalText(26);
  task.reminders = sql::DecodePackedReminders(s.TextView(27));
  return task;
}

// ---- repository ----

// What a repository needs besides its connection.
struct RepositoryContext {
  std::int64_t search_scan_max_tasks = 0;
  // Read transactions only: a write that rolls back must not leave what it
  // read in the cache (its versions could come back with other contents).
  sqlite::TaskCache* task_cache = nullptr;
  // Group commits only: the search index changes wait here for the batch's
  // last savepoint (task_text_index.hpp); null: they are made at once.
  sqlite::DeferredTaskText* deferred_text = nullptr;
};

// StoreReader/StoreWriter over one connection inside an open transaction.
// Reads get it through a StoreReader reference on a read-only connection.
class SqliteRepository final : public StoreWriter {
 public:
  SqliteRepository(Connection& connection, const RepositoryContext& context)
      : db_(connection),
        search_scan_max_tasks_(context.search_scan_max_tasks),
        deferred_text_(context.deferred_text),
        task_cache_(context.task_cache) {}

  std::optional<User> FindUser(const std::string& user_id) override {
    ScopedStatement s = db_.Prepare(kSelectUser);
    s->BindText(1, user_id);
    if (!s->Step()) return std::nullopt;
    return DecodeUser(*s);
  }

  std::optional<Credentials> FindCredentials(const std::string& email) override {
    ScopedStatement s = db_.Prepare(kSelectCredentials);
    s->BindText(1, email);
    if (!s->Step()) return std::nullopt;
    return Credentials{.user = DecodeUser(*s), .password_hash = s->Text(7)};
  }

  std::optional<Task> FindTask(const std::string& user_id, const std::string& task_id) override {
    ScopedStatement s = db_.Prepare(SelectTaskSql());
    s->BindText(1, task_id);
    s->BindText(2, user_id);
    if (!s->Step()) return std::nullopt;
    return DecodeTask(*s);
  }

  TaskPage ListTasks(const std::string& user_id, const TaskQuery& query) override {
    const sqlite::TaskListSql sql =
        sqlite::BuildTaskListSql(user_id, query, ChooseTextSearch(user_id, query));
    TaskPage page;
    page.tasks.reserve(static_cast<std::size_t>(std::clamp(query.limit, 0, kMaxPageLimit)));
    std::size_t found = 0;
    {
      ScopedStatement s = db_.Prepare(sql.page.sql);
      BindAll(*s, sql.page.values);
      for (; s->Step(); ++found) {
        if (found < static_cast<std::size_t>(query.limit)) {
          page.tasks.push_back(LoadListedTask(s->Int64(0), s->TextView(1), s->Int64(2)));
        }
      }
    }
    if (std::optional<std::int64_t> total =
            sql::TotalFromPage(query, found, sqlite::kCountAheadRows)) {
      page.total = *total;
      return page;
    }
    ScopedStatement s = db_.Prepare(sql.count.sql);
    BindAll(*s, sql.count.values);
    s->Step();
    page.total = s->Int64(0);
    return page;
  }

  std::optional<Tag> FindTag(const std::string& user_id, const std::string& tag_id) override {
    ScopedStatement s = db_.Prepare(kSelectTag);
    s->BindText(1, tag_id);
    s->BindText(2, user_id);
    if (!s->Step()) return std::nullopt;
    return DecodeTag(*s);
  }

  std::optional<Tag> FindTagByKey(const std::string& user_id,
                                  const std::string& name_key) override {
    ScopedStatement s = db_.Prepare(kSelectTagByKey);
    s->BindText(1, user_id);
    s->BindText(2, name_key);
    if (!s->Step()) return std::nullopt;
    return DecodeTag(*s);
  }

  std::vector<TagWithCount> ListTags(const std::string& user_id) override {
    ScopedStatement s = db_.Prepare(kListTags);
    s->BindText(1, user_id);
    std::vector<TagWithCount> tags;
    while (s->Step()) tags.push_back(TagWithCount{.tag = DecodeTag(*s), .task_count = s->Int64(4)});
    return tags;
  }

  bool InsertUser(const User& user, const std::optional<std::string>& password_hash) override {
    ScopedStatement s = db_.Prepare(kInsertUser);
    BindUser(*s, user);
    BindOptionalText(*s, 8, password_hash);
    return s->StepUnlessUniqueViolation().has_value();
  }

  bool EnsureUser(const User& user) override {
    {
      ScopedStatement s = db_.Prepare(kEnsureUser);
      BindUser(*s, user);
      if (s->StepUnlessUniqueViolation().has_value()) return db_.Changes() == 1;
    }
    // The email belongs to another user: keep the profile, without it.
    User without_email = user;
    without_email.email.reset();
    ScopedStatement s = db_.Prepare(kEnsureUser);
    BindUser(*s, without_email);
    s->Step();
    return db_.Changes() == 1;
  }

  void UpdateUser(const User& user) override {
    ScopedStatement s = db_.Prepare(kUpdateUser);
    s->BindText(1, user.name);
    s->BindText(2, user.timezone);
    s->BindText(3, ToString(user.date_order));
    s->BindInt64(4, ToUnixMillis(user.updated_at));
    s->BindText(5, user.id);
    s->Step();
  }

  void InsertTask(const Task& task) override {
    InsertTaskWith(kInsertTask, task);
    versioned_.push_back(task.id);
  }

  bool InsertNextOccurrence(const Task& task) override {
    if (!task.previous_occurrence_id) {
      throw StoreFailure("a next occurrence needs previous_occurrence_id", false);
    }
    if (!InsertTaskWith(kInsertNextOccurrence, task)) return false;
    versioned_.push_back(task.id);
    return true;
  }

  bool UpdateTask(const Task& task, std::int64_t expected_version) override {
    // The task cache trusts (id, version) to name one content.
    if (task.version <= expected_version) {
      throw StoreFailure("an update must give task " + task.id + " a new version", false);
    }
    std::int64_t seq = 0;
    std::uint32_t changed = 0;  // bit (1 << TaskColumn)
    {
      ScopedStatement s = db_.Prepare(kSelectTaskForUpdate);
      s->BindText(1, task.id);
      s->BindText(2, task.user_id);
      s->BindInt64(3, expected_version);
      if (!s->Step()) return false;  // absent, another user's, or changed since read
      seq = s->Int64(0);
      const auto mark = [&changed](bool differs, TaskColumn column) {
        if (differs) changed |= 1u << column;
      };
      mark(s->TextView(1) != task.title, kTitleColumn);
      mark(s->TextView(2) != task.description, kDescriptionColumn);
      mark(s->TextView(3) != ToString(task.status), kStatusColumn);
      mark(s->OptionalInt64(4) != PriorityRank(task.priority), kPriorityColumn);
      mark(s->OptionalInt64(5) != OptionalMillis(task.due_at), kDueAtColumn);
      mark(s->TextView(6) != task.timezone, kTimezoneColumn);
      mark(s->OptionalInt64(7) != OptionalInt(task.remind_before_minutes), kRemindColumn);
      mark(s->Int64(8) != (task.reminder_sent ? 1 : 0), kReminderSentColumn);
      mark(s->IsNull(9) ? task.recurrence_parent_id.has_value()
                        : task.recurrence_parent_id != s->TextView(9),
           kParentColumn);
      mark(s->OptionalInt64(10) != OptionalMillis(task.completed_at), kCompletedAtColumn);
      mark(s->Int64(11) != (task.all_day ? 1 : 0), kAllDayColumn);
      mark(ReadStoredRecurrence(*s, 12) != ToStored(task.recurrence), kRecurrenceColumns);
      mark(s->OptionalInt64(19) != OptionalMillis(task.series_start) ||
               s->Int64(20) != task.occurrence_index ||
               s->OptionalText(21) != task.previous_occurrence_id,
           kSeriesColumns);
      mark(s->Int64(22) != ReminderCount(task), kReminderCountColumn);
    }
    const bool title_changed = (changed & (1u << kTitleColumn)) != 0;
    const bool text_changed = title_changed || (changed & (1u << kDescriptionColumn)) != 0;
    // The index copy of the title is written beside the description.
    std::string title_key;
    if (text_changed) title_key = FoldCase(task.title);

    std::string sql(kUpdateTaskHead);
    for (int column = 0; column < kTaskColumnCount; ++column) {
      if ((changed & (1u << column)) != 0) sql += kSetTaskColumn[column];
    }
    sql += kUpdateTaskTail;
    {
      ScopedStatement s = db_.Prepare(sql);
      int index = 1;
      s->BindInt64(index++, task.version);
      s->BindInt64(index++, ToUnixMillis(task.updated_at));
      for (int column = 0; column < kTaskColumnCount; ++column) {
        if ((changed & (1u << column)) == 0) continue;
        switch (static_cast<TaskColumn>(column)) {
          case kTitleColumn:
            s->BindText(index++, task.title);
            s->BindText(index++, title_key);
            break;
          case kDescriptionColumn:
            s->BindText(index++, task.description);
            break;
          case kStatusColumn:
            s->BindText(index++, ToString(task.status));
            break;
          case kPriorityColumn:
            BindOptionalInt(*s, index++, PriorityRank(task.priority));
            break;
          case kDueAtColumn:
            BindOptionalInstant(*s, index++, task.due_at);
            break;
          case kTimezoneColumn:
            s->BindText(index++, task.timezone);
            break;
          case kRemindColumn:
            BindOptionalInt(*s, index++, OptionalInt(task.remind_before_minutes));
            break;
          case kReminderSentColumn:
            s->BindInt64(index++, task.reminder_sent ? 1 : 0);
            break;
          case kParentColumn:
            BindOptionalText(*s, index++, task.recurrence_parent_id);
            break;
          case kCompletedAtColumn:
            BindOptionalInstant(*s, index++, task.completed_at);
            break;
          case kAllDayColumn:
            s->BindInt64(index++, task.all_day ? 1 : 0);
            break;
          case kRecurrenceColumns:
            BindStoredRecurrence(*s, index, ToStored(task.recurrence));
            break;
          case kSeriesColumns:
            BindOptionalInstant(*s, index++, task.series_start);
            s->BindInt64(index++, task.occurrence_index);
            BindOptionalText(*s, index++, task.previous_occurrence_id);
            break;
          case kReminderCountColumn:
            s->BindInt64(index++, ReminderCount(task));
            break;
          case kTaskColumnCount:
            break;
        }
      }
      s->BindInt64(index, seq);
      s->Step();
    }
    // Re-indexing costs a trigram per character: only when the text changed.
    if (text_changed) {
      ChangeText({.kind = sqlite::TaskTextChange::Kind::kUpdate,
                  .seq = seq,
                  .title_key = title_key,
                  .description_key = FoldCase(task.description)});
    }
    sqlite::SyncReminders(db_, task);
    versioned_.push_back(task.id);
    return true;
  }

  bool DeleteTask(const std::string& user_id, const std::string& task_id) override {
    std::int64_t seq = 0;
    {
      ScopedStatement s = db_.Prepare(kDeleteTask);
      s->BindText(1, task_id);
      s->BindText(2, user_id);
      if (!s->Step()) return false;
      seq = s->Int64(0);
      while (s->Step()) {
      }
    }
    ChangeText({.kind = sqlite::TaskTextChange::Kind::kDelete, .seq = seq});
    return true;
  }

  // Changes only the links that differ (an unchanged set writes nothing),
  // then the task's packed tag names.
  void SetTaskTags(const std::string& task_id, const std::vector<std::string>& tag_ids) override {
    if (!LinkTags(task_id, tag_ids)) return;
    const bool versioned = std::ranges::find(versioned_, task_id) != versioned_.end();
    ScopedStatement s = db_.Prepare(versioned ? kRefreshTagNames : kRefreshTagNamesAndVersion);
    s->BindText(1, task_id);
    s->Step();
  }

  // True when a link was added or removed.
  bool LinkTags(const std::string& task_id, const std::vector<std::string>& tag_ids) {
    std::vector<std::string> linked;
    {
      ScopedStatement s = db_.Prepare(kSelectTaskTagIds);
      s->BindText(1, task_id);
      while (s->Step()) linked.push_back(s->Text(0));
    }
    const auto contains = [](const std::vector<std::string>& ids, const std::string& id) {
      return std::find(ids.begin(), ids.end(), id) != ids.end();
    };
    bool changed = false;
    for (const std::string& tag_id : linked) {
      if (contains(tag_ids, tag_id)) continue;
      ScopedStatement s = db_.Prepare(kDeleteTaskTag);
      s->BindText(1, task_id);
      s->BindText(2, tag_id);
      s->Step();
      changed = changed || db_.Changes() > 0;
    }
    for (const std::string& tag_id : tag_ids) {
      if (contains(linked, tag_id)) continue;
      ScopedStatement s = db_.Prepare(kInsertTaskTag);
      s->BindText(1, task_id);
      s->BindText(2, tag_id);
      s->Step();
      changed = changed || db_.Changes() > 0;
    }
    return changed;
  }

  bool InsertTag(const Tag& tag) override {
    ScopedStatement s = db_.Prepare(kInsertTag);
    s->BindText(1, tag.id);
    s->BindText(2, tag.user_id);
    s->BindText(3, tag.name);
    s->BindText(4, FoldCase(tag.name));
    BindOptionalText(*s, 5, tag.color);
    return s->StepUnlessUniqueViolation().has_value();
  }

  bool UpdateTag(const Tag& tag, Instant now) override {
    // Tasks show tag names, not colours: only a new spelling changes them.
    const std::optional<Tag> stored = FindTag(tag.user_id, tag.id);
    if (!stored) return false;
    const bool renamed = stored->name != tag.name;
    {
      ScopedStatement s = db_.Prepare(kUpdateTag);
      s->BindText(1, tag.name);
      s->BindText(2, FoldCase(tag.name));
      BindOptionalText(*s, 3, tag.color);
      s->BindText(4, tag.id);
      s->BindText(5, tag.user_id);
      if (!s->StepUnlessUniqueViolation().has_value()) return false;  // the name is taken
      if (db_.Changes() != 1) return false;                           // absent
    }
    if (renamed) BumpTasksOfTag(tag.user_id, tag.id, now, /*deleting=*/false);
    return true;
  }

  bool DeleteTag(const std::string& user_id, const std::string& tag_id, Instant now) override {
    BumpTasksOfTag(user_id, tag_id, now, /*deleting=*/true);  // while the links still exist
    ScopedStatement s = db_.Prepare(kDeleteTag);
    s->BindText(1, tag_id);
    s->BindText(2, user_id);
    s->Step();
    return db_.Changes() == 1;
  }

  // ---- events (sqlite_events.cpp) ----
  std::vector<OutboxRecord> UnpublishedOutbox(int limit) override {
    return sqlite::UnpublishedOutbox(db_, limit);
  }
  std::vector<OutboxRecord> PublishedOutbox(const std::string& topic, std::int64_t after_id,
                                            int limit) override {
    return sqlite::PublishedOutbox(db_, topic, after_id, limit);
  }
  std::int64_t ConsumerOffset(const std::string& consumer, const std::string& topic) override {
    return sqlite::ConsumerOffset(db_, consumer, topic);
  }
  std::optional<std::int64_t> LowestConsumerOffset(const std::string& topic) override {
    return sqlite::LowestConsumerOffset(db_, topic);
  }
  std::int64_t OutboxHead(const std::string& topic) override {
    return sqlite::OutboxHead(db_, topic);
  }
  bool IsProcessed(const std::string& consumer, const std::string& event_id) override {
    return sqlite::IsProcessed(db_, consumer, event_id);
  }
  std::vector<std::string> ProcessedAmong(const std::string& consumer,
                                          const std::vector<std::string>& event_ids) override {
    return sqlite::ProcessedAmong(db_, consumer, event_ids);
  }
  ActivityPage ListActivity(const std::string& user_id, const ActivityQuery& query) override {
    return sqlite::ListActivity(db_, user_id, query);
  }
  std::vector<Webhook> ListWebhooks(const std::string& user_id) override {
    return sqlite::ListWebhooks(db_, user_id);
  }
  std::optional<Instant> NextReminderAt() override { return sqlite::NextReminderAt(db_); }
  void AppendOutbox(OutboxRecord& record) override { sqlite::AppendOutbox(db_, record); }
  void MarkPublished(const std::vector<std::int64_t>& ids, Instant now) override {
    sqlite::MarkPublished(db_, ids, now);
  }
  void SetConsumerOffset(const std::string& consumer, const std::string& topic,
                         std::int64_t position) override {
    sqlite::SetConsumerOffset(db_, consumer, topic, position);
  }
  int DeleteConsumerOffsets(const std::string& consumer) override {
    return sqlite::DeleteConsumerOffsets(db_, consumer);
  }
  bool MarkProcessed(const std::string& consumer, const std::string& event_id,
                     Instant now) override {
    return sqlite::MarkProcessed(db_, consumer, event_id, now);
  }
  int PruneOutbox(const std::string& topic, std::int64_t through_id, Instant published_before,
                  int window) override {
    return sqlite::PruneOutbox(db_, topic, through_id, published_before, window);
  }
  int PruneProcessedEvents(Instant processed_before, int window) override {
    return sqlite::PruneProcessedEvents(db_, processed_before, window);
  }
  void InsertDeadLetter(const DeadLetter& letter) override {
    sqlite::InsertDeadLetter(db_, letter);
  }
  bool InsertActivity(const ActivityEntry& entry) override {
    return sqlite::InsertActivity(db_, entry);
  }
  void InsertWebhook(const Webhook& webhook) override { sqlite::InsertWebhook(db_, webhook); }
  bool DeleteWebhook(const std::string& user_id, const std::string& webhook_id) override {
    return sqlite::DeleteWebhook(db_, user_id, webhook_id);
  }
  bool TakeRelayLease(const std::string& holder, Instant now, Instant until) override {
    return sqlite::TakeRelayLease(db_, holder, now, until);
  }
  void ReleaseRelayLease(const std::string& holder) override {
    sqlite::ReleaseRelayLease(db_, holder);
  }
  std::vector<DueReminder> ClaimDueReminders(Instant now, int limit) override {
    return sqlite::ClaimDueReminders(db_, now, limit);
  }

  std::optional<Conversation> FindConversation(const std::string& user_id,
                                               const std::string& conversation_id) override {
    return sqlite::FindConversation(db_, user_id, conversation_id);
  }
  ConversationPage ListConversations(const std::string& user_id,
                                     const ConversationQuery& query) override {
    return sqlite::ListConversations(db_, user_id, query);
  }
  ChatMessagePage ListChatMessages(const std::string& user_id, const std::string& conversation_id,
                                   const ChatMessageQuery& query) override {
    return sqlite::ListChatMessages(db_, user_id, conversation_id, query);
  }
  std::vector<ChatMessageRecord> RecentChatMessages(const std::string& user_id,
                                                    const std::string& conversation_id,
                                                    int limit) override {
    return sqlite::RecentChatMessages(db_, user_id, conversation_id, limit);
  }
  void InsertConversation(const Conversation& conversation) override {
    sqlite::InsertConversation(db_, conversation);
  }
  bool TouchConversation(const std::string& user_id, const std::string& conversation_id,
                         Instant updated_at) override {
    return sqlite::TouchConversation(db_, user_id, conversation_id, updated_at);
  }
  bool DeleteConversation(const std::string& user_id, const std::string& conversation_id) override {
    return sqlite::DeleteConversation(db_, user_id, conversation_id);
  }
  void InsertChatMessage(const ChatMessageRecord& message) override {
    sqlite::InsertChatMessage(db_, message);
  }

 private:
  sqlite::TextSearch ChooseTextSearch(const std::string& user_id, const TaskQuery& query) {
    // Without text, or with text too short for trigrams, there is no choice.
    if (!query.text || CodePointCount(*query.text) < sqlite::kMinTrigramQueryChars) {
      return sqlite::TextSearch::kIndex;
    }
    // The index lacks the batch's changes until its last savepoint.
    if (deferred_text_ != nullptr) return sqlite::TextSearch::kScan;
    ScopedStatement s = db_.Prepare(kCountTasksUpTo);
    s->BindText(1, user_id);
    s->BindInt64(2, search_scan_max_tasks_ + 1);
    s->Step();
    return s->Int64(0) <= search_scan_max_tasks_ ? sqlite::TextSearch::kScan
                                                 : sqlite::TextSearch::kIndex;
  }

  void ChangeText(sqlite::TaskTextChange change) {
    if (deferred_text_ != nullptr) {
      deferred_text_->Record(std::move(change));
    } else {
      sqlite::ApplyTaskTextChange(db_, change);
    }
  }

  static void BindAll(Statement& s, const std::vector<SqlValue>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) s.Bind(static_cast<int>(i + 1), values[i]);
  }

  // Parameters 1–7 of kInsertUser / kEnsureUser.
  static void BindUser(Statement& s, const User& user) {
    s.BindText(1, user.id);
    BindOptionalText(s, 2, user.email);
    s.BindText(3, user.name);
    s.BindText(4, user.timezone);
    s.BindInt64(5, ToUnixMillis(user.created_at));
    s.BindInt64(6, ToUnixMillis(user.updated_at));
    s.BindText(7, ToString(user.date_order));
  }

  // Inserts the row of `task` with `sql` (kInsertTask or
  // kInsertNextOccurrence), then its search text and reminders. False when
  // the statement inserted nothing (ON CONFLICT DO NOTHING).
  bool InsertTaskWith(std::string_view sql, const Task& task) {
    const std::string title_key = FoldCase(task.title);
    {
      ScopedStatement s = db_.Prepare(sql);
      s->BindText(1, task.id);
      s->BindText(2, task.user_id);
      s->BindText(3, task.title);
      s->BindText(4, title_key);
      s->BindText(5, task.description);
      s->BindText(6, ToString(task.status));
      BindOptionalInt(*s, 7, PriorityRank(task.priority));
      BindOptionalInstant(*s, 8, task.due_at);
      s->BindText(9, task.timezone);
      BindOptionalInt(*s, 10, OptionalInt(task.remind_before_minutes));
      s->BindInt64(11, task.reminder_sent ? 1 : 0);
      BindOptionalText(*s, 12, task.recurrence_parent_id);
      s->BindInt64(13, task.version);
      s->BindInt64(14, ToUnixMillis(task.created_at));
      s->BindInt64(15, ToUnixMillis(task.updated_at));
      BindOptionalInstant(*s, 16, task.completed_at);
      s->BindInt64(17, task.all_day ? 1 : 0);
      int index = 18;
      BindStoredRecurrence(*s, index, ToStored(task.recurrence));
      BindOptionalInstant(*s, index++, task.series_start);
      s->BindInt64(index++, task.occurrence_index);
      BindOptionalText(*s, index++, task.previous_occurrence_id);
      s->BindInt64(index, ReminderCount(task));
      s->Step();
      if (db_.Changes() != 1) return false;
    }
    ChangeText({.kind = sqlite::TaskTextChange::Kind::kInsert,
                .seq = db_.LastInsertRowid(),
                .title_key = title_key,
                .description_key = FoldCase(task.description)});
    sqlite::InsertReminders(db_, task);
    return true;
  }

  // Moves the version of every task linked to the tag and repacks its tag
  // names, without this tag when it is `deleting`.
  void BumpTasksOfTag(const std::string& user_id, const std::string& tag_id, Instant now,
                      bool deleting) {
    ScopedStatement s = db_.Prepare(kBumpTasksOfTag);
    s->BindText(1, tag_id);
    s->BindText(2, user_id);
    s->BindInt64(3, ToUnixMillis(now));
    if (deleting) {
      s->BindText(4, tag_id);
    } else {
      s->BindNull(4);
    }
    s->Step();
  }

  // The task of a list row: from the cache when it holds this version, else
  // read (and kept) in this transaction's snapshot.
  Task LoadListedTask(std::int64_t seq, std::string_view id, std::int64_t version) {
    if (task_cache_ != nullptr) {
      std::optional<Task> cached = task_cache_->Find(seq, id, version);
      if (cached) return *std::move(cached);
    }
    ScopedStatement s = db_.Prepare(sqlite::TaskRowSql());
    s->BindInt64(1, seq);
    if (!s->Step()) throw StoreFailure("a listed task vanished within its transaction", false);
    Task task = DecodeTask(*s);
    if (task_cache_ != nullptr) task_cache_->Put(seq, task);
    return task;
  }

  Connection& db_;
  const std::int64_t search_scan_max_tasks_;
  sqlite::DeferredTaskText* const deferred_text_;
  sqlite::TaskCache* const task_cache_;
  // Tasks inserted or updated (given their new version) by this write.
  std::vector<std::string> versioned_;
};

// ---- transactions ----

Error ToError(const StoreFailure& failure) {
  if (failure.transient()) {
    return Error::Unavailable(std::string("database unavailable: ") + failure.what());
  }
  return Error::Internal(std::string("database failure: ") + failure.what());
}

// Inside a catch block: the exception being handled as an error.
Error CaughtFailure() {
  try {
    throw;
  } catch (const StoreFailure& failure) {
    return ToError(failure);
  } catch (const std::exception& e) {
    return Error::Internal(std::string("unexpected failure in a transaction: ") + e.what());
  } catch (...) {
    return Error::Internal("unexpected failure in a transaction");
  }
}

// Runs `work` on a repository over `connection`, inside the transaction or
// savepoint the caller opened. A StoreFailure that `work` caught and went on
// from makes the result an error: what it did is incomplete. Throws what
// `work` throws.
template <class Work>
Status RunWork(Connection& connection, const RepositoryContext& context, const Work& work) {
  const std::uint64_t failures = connection.failures();
  SqliteRepository repository(connection, context);
  Status status = work(repository);
  if (status.ok() && connection.failures() != failures) {
    return Error::Internal("a storage failure inside the transaction was ignored");
  }
  return status;
}

// Begins a transaction on `connection`, runs `work` on a repository over it,
// commits when `work` returns ok and rolls back otherwise. Nothing thrown
// inside leaves this function.
template <class Work>
Status RunTransaction(Connection& connection, std::string_view begin,
                      const RepositoryContext& context, const Work& work) {
  try {
    connection.TrimStatementCache();
    connection.Run(begin);
    Status status = RunWork(connection, context, work);
    if (!status.ok()) {
      connection.RollbackQuietly();
      return status;
    }
    connection.Run(kCommit);
    return status;
  } catch (...) {
    connection.RollbackQuietly();
    return CaughtFailure();
  }
}

// Runs one write of a group inside a savepoint of the open transaction:
// released when it succeeds, rolled back to (undoing only this write) when
// it fails. Throws StoreFailure only when the savepoint itself cannot be
// taken or ended, which fails the whole group.
Status RunInSavepoint(Connection& connection, const RepositoryContext& context,
                      const WriteWork& work) {
  connection.Run(kSavepoint);
  Status status;
  try {
    status = RunWork(connection, context, work);
  } catch (...) {
    status = CaughtFailure();
  }
  if (!connection.InTransaction()) return status;  // SQLite ended the whole transaction
  if (!status.ok()) connection.Run(kRollbackToSavepoint);
  connection.Run(kReleaseSavepoint);
  return status;
}

// Runs several writes in one transaction, each inside its own savepoint: a
// write that fails (its status, a StoreFailure, a swallowed failure) is
// rolled back to its savepoint alone and the others commit together. When
// SQLite itself ended the transaction (some I/O and memory errors roll it
// back whole), the writes already done in it fail too, and the rest start a
// new transaction. If the COMMIT fails, every write of the batch fails.
// Changes to the search index wait for the last savepoint: FTS5 would write
// a segment at each (task_text_index.hpp).
void RunGroupTransaction(Connection& connection, const RepositoryContext& context,
                         std::span<PendingWrite* const> batch) {
  sqlite::DeferredTaskText text;
  RepositoryContext deferring = context;
  deferring.deferred_text = &text;
  std::size_t first_in_transaction = 0;
  auto fail_transaction = [&](std::size_t end, const Error& error) {
    for (std::size_t i = first_in_transaction; i < end; ++i) {
      if (batch[i]->status.ok()) batch[i]->status = error;
    }
  };
  try {
    connection.TrimStatementCache();
    connection.Run(kBeginWrite);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!connection.InTransaction()) {
        connection.Run(kBeginWrite);
        first_in_transaction = i;
      }
      const std::size_t text_mark = text.Mark();
      batch[i]->status = RunInSavepoint(connection, deferring, *batch[i]->work);
      if (!connection.InTransaction()) {
        text.Clear();
        fail_transaction(i, Error::Unavailable(
                                "database unavailable: the transaction was rolled back"));
      } else if (!batch[i]->status.ok()) {
        text.DropSince(text_mark);
      }
    }
    if (connection.InTransaction()) {
      text.ApplyTo(connection);
      connection.Run(kCommit);
    }
  } catch (...) {
    connection.RollbackQuietly();
    fail_transaction(batch.size(), CaughtFailure());
  }
}

// A reader connection and the read transaction it may keep open between
// reads (see SqliteStore::ReadInSnapshot).
struct Reader {
  std::unique_ptr<Connection> connection;
  bool in_snapshot = false;            // a read transaction is open
  std::uint32_t snapshot_commits = 0;  // the commit counter just before it began
};

std::vector<Reader> ToReaders(std::vector<std::unique_ptr<Connection>> connections) {
  std::vector<Reader> readers;
  readers.reserve(connections.size());
  for (auto& connection : connections) readers.push_back(Reader{.connection = std::move(connection)});
  return readers;
}

// Ends the reader's read transaction. Never throws.
void EndSnapshot(Reader& reader) noexcept {
  reader.connection->RollbackQuietly();
  reader.in_snapshot = false;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers, std::int64_t search_scan_max_tasks,
              int max_write_batch, int wal_checkpoint_pages, std::size_t task_cache_entries)
      : task_cache_(task_cache_entries),
        reads_{.search_scan_max_tasks = search_scan_max_tasks, .task_cache = &task_cache_},
        writes_{.search_scan_max_tasks = search_scan_max_tasks},
        writer_(std::move(writer)),
        readers_(ToReaders(std::move(readers))),
        commits_(sqlite::WalChangeCounter::Open(*writer_)),
        checkpointer_(path, *writer_, wal_checkpoint_pages, 4 * wal_checkpoint_pages,
                      sqlite::SnapshotHooks{.before_checkpoint = [this] { HoldOffSnapshots(); },
                                            .after_checkpoint = [this] { --checkpoints_; }}),
        write_queue_([this](std::span<PendingWrite* const> batch) { RunWriteBatch(batch); },
                     static_cast<std::size_t>(std::max(1, max_write_batch))) {
    for (Reader& reader : readers_) idle_readers_.push_back(&reader);
  }

  Status Read(const std::function<Status(StoreReader&)>& work) override {
    ReaderLease lease(*this);
    if (commits_ == nullptr) {
      return RunTransaction(*lease.reader().connection, kBeginRead, reads_,
                            [&](SqliteRepository& repository) { return work(repository); });
    }
    return ReadInSnapshot(lease.reader(), work);
  }

  Status Write(const std::function<Status(StoreWriter&)>& work) override {
    return write_queue_.Submit(work);
  }

  bool Ping() override {
    ReaderLease lease(*this);
    try {
      lease.reader().connection->Run(kPing);
      return true;
    } catch (...) {
      return false;
    }
  }

 private:
  // A reader borrowed from the pool for one read; waits while all are busy.
  class ReaderLease {
   public:
    explicit ReaderLease(SqliteStore& store) : store_(store) {
      std::unique_lock lock(store_.pool_mutex_);
      store_.pool_ready_.wait(lock, [&] { return !store_.idle_readers_.empty(); });
      reader_ = store_.idle_readers_.back();
      store_.idle_readers_.pop_back();
    }
    ~ReaderLease() {
      {
        std::lock_guard lock(store_.pool_mutex_);
        // A checkpoint that began after this read looked (HoldOffSnapshots
        // counts it before it takes the lock) must not find the snapshot here.
        if (reader_->in_snapshot && store_.checkpoints_ > 0) EndSnapshot(*reader_);
        store_.idle_readers_.push_back(reader_);
      }
      store_.pool_ready_.notify_one();
    }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;

    Reader& reader() { return *reader_; }

   private:
    SqliteStore& store_;
    Reader* reader_ = nullptr;
  };

  // Runs `work` in the reader's open read transaction while no commit has
  // come since it began (the snapshot is then the newest state, so the answer
  // is the same a new transaction would give), else in a new one it keeps
  // open afterwards. A transaction costs a GET by id about as much as its
  // query: BEGIN, COMMIT and the WAL's read-mark and file locks, some of them
  // system calls. The snapshot ends as soon as a commit is seen, on failure,
  // and while a checkpoint runs (HoldOffSnapshots; idle readers' too), which
  // happens at least once a second, so it holds no checkpoint of any process
  // back for long.
  Status ReadInSnapshot(Reader& reader, const std::function<Status(StoreReader&)>& work) {
    Connection& connection = *reader.connection;
    try {
      // Loaded before the transaction begins (its snapshot is taken at its
      // first read): an equal count later means nothing committed since.
      const std::uint32_t commits = commits_->Load();
      if (reader.in_snapshot && reader.snapshot_commits != commits) EndSnapshot(reader);
      connection.TrimStatementCache();
      if (!reader.in_snapshot) {
        connection.Run(kBeginRead);
        reader.in_snapshot = true;
        reader.snapshot_commits = commits;
      }
      Status status = RunWork(connection, reads_,
                              [&](SqliteRepository& repository) { return work(repository); });
      if (!status.ok() || commits_->Load() != reader.snapshot_commits || checkpoints_ > 0) {
        EndSnapshot(reader);
      }
      return status;
    } catch (...) {
      EndSnapshot(reader);
      return CaughtFailure();
    }
  }

  // A snapshot would keep a checkpoint from copying the frames committed
  // since (and a RESTART from starting the WAL over): until the checkpoint is
  // over, idle readers' snapshots end and reads keep none. Runs on the
  // checkpointer's thread or inside the writer's commit; never throws.
  void HoldOffSnapshots() noexcept {
    ++checkpoints_;
    std::lock_guard lock(pool_mutex_);
    for (Reader* reader : idle_readers_) {
      if (reader->in_snapshot) EndSnapshot(*reader);
    }
  }

  // Runs on the thread leading the batch; write_queue_ lets one batch run at
  // a time, which is what guards writer_.
  void RunWriteBatch(std::span<PendingWrite* const> batch) {
    if (batch.size() == 1) {
      batch[0]->status = RunTransaction(*writer_, kBeginWrite, writes_,
                                        [&](SqliteRepository& repository) {
                                          return (*batch[0]->work)(repository);
                                        });
      return;
    }
    RunGroupTransaction(*writer_, writes_, batch);
  }

  sqlite::TaskCache task_cache_;
  const RepositoryContext reads_;   // with the task cache
  const RepositoryContext writes_;  // without
  // Declared first, so closed last: SQLite copies the WAL back into the
  // database file and removes it when the last connection closes, which only
  // a connection that may write can do (a reader closing last would leave
  // the newest changes in the WAL, not in the file).
  std::unique_ptr<Connection> writer_;  // used by the batch leader only
  // Declared before the checkpointer, which calls HoldOffSnapshots until it
  // is destroyed: these outlive it.
  std::vector<Reader> readers_;  // owned; lent through idle_readers_
  std::mutex pool_mutex_;
  std::condition_variable pool_ready_;
  std::vector<Reader*> idle_readers_;  // guarded by pool_mutex_
  // The writer's view of the WAL index (valid while writer_ is open); nullptr
  // when there is none: every read then runs in a transaction of its own.
  std::unique_ptr<sqlite::WalChangeCounter> commits_;
  std::atomic<int> checkpoints_{0};  // checkpoints running: reads keep no snapshot

  WalCheckpointer checkpointer_;
  WriteQueue write_queue_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  try {
    sqlite::EnsureParentDirectory(options.path);
    auto writer = Connection::Open(ConnectionOptions{
        .path = options.path, .read_only = false, .busy_timeout_ms = options.busy_timeout_ms});
    const int current = sqlite::CurrentSchemaVersion(*writer);
    const int expected = sqlite::LatestSchemaVersion();
    if (current < expected) {
      return Error::Unavailable("database schema is at version " + std::to_string(current) +
                                ", expected " + std::to_string(expected) +
                                ": run `taskflow migrate up`");
    }
    if (current > expected) {
      return Error::Unavailable("database schema is at version " + std::to_string(current) +
                                ", newer than this build's " + std::to_string(expected) +
                                ": run a newer taskflow");
    }
    std::vector<std::unique_ptr<Connection>> readers;
    const int reader_count = std::max(1, options.read_connections);
    for (int i = 0; i < reader_count; ++i) {
      readers.push_back(Connection::Open(ConnectionOptions{
          .path = options.path, .read_only = true, .busy_timeout_ms = options.busy_timeout_ms}));
    }
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(
        options.path, std::move(writer), std::move(readers),
        std::max(0, options.search_scan_max_tasks), options.max_write_batch,
        std::max(1, options.wal_checkpoint_pages),
        static_cast<std::size_t>(std::max(0, options.task_cache_entries))));
  } catch (const StoreFailure& failure) {
    return Error::Unavailable("cannot open database " + options.path + ": " + failure.what());
  } catch (const std::exception& e) {
    return Error::Internal("cannot open database " + options.path + ": " + e.what());
  }
}

}  // namespace taskflow
