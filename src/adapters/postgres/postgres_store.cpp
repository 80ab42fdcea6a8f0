#include "adapters/postgres/postgres_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/postgres/postgres_chat.hpp"
#include "adapters/postgres/postgres_connection.hpp"
#include "adapters/postgres/postgres_events.hpp"
#include "adapters/postgres/postgres_params.hpp"
#include "adapters/postgres/task_list_sql.hpp"
#include "adapters/sql/task_page_total.hpp"
#include "adapters/sql/task_row_codec.hpp"
#include "domain/text.hpp"

namespace taskflow {
namespace {

using postgres::Connection;
using postgres::ConnectionPool;
using postgres::Bool;
using postgres::Int;
using postgres::OptionalText;
using postgres::OptionalTime;
using postgres::Param;
using postgres::Rows;
using postgres::SqlFailure;
using postgres::Text;
using postgres::Time;

// ---- SQL ----
// Every value is a $n parameter in text form. Instants are written as
// RFC 3339 text cast to timestamptz (parsed exactly, whatever the session's
// TimeZone or DateStyle) and read as whole Unix milliseconds.

constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
constexpr const char* kBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED";
constexpr const char* kCommit = "COMMIT";
constexpr std::string_view kPing = "SELECT count(*) FROM schema_migrations";

// Serialises the write transactions of one owner (see postgres_store.hpp).
// The two-integer form keeps these keys apart from the migration lock's
// bigint key; an owner maps to a 32-bit hash, and two owners sharing one only
// wait for each other a little more often.
constexpr std::string_view kLockOwner = "SELECT pg_advisory_xact_lock($1::integer, $2::integer)";
constexpr std::int32_t kOwnerLockSpace = 0x74666F77;  // "tfow": taskflow owner writes

constexpr std::string_view kSelectUser =
    "SELECT id, email, name, timezone, (extract(epoch FROM created_at) * 1000)::bigint, "
    "(extract(epoch FROM updated_at) * 1000)::bigint, date_order FROM users WHERE id = $1";
constexpr std::string_view kSelectCredentials =
    "SELECT id, email, name, timezone, (extract(epoch FROM created_at) * 1000)::bigint, "
    "(extract(epoch FROM updated_at) * 1000)::bigint, date_order, password_hash FROM users "
    "WHERE email = $1 AND password_hash IS NOT NULL";
// A taken id or email inserts nothing (no error, which would abort the
// transaction): the port reports it as a return value.
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, email, name, timezone, created_at, updated_at, date_order, "
    "password_hash) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7, $8) "
    "ON CONFLICT DO NOTHING";
constexpr std::string_view kEnsureUser =
    "INSERT INTO users (id, email, name, timezone, created_at, updated_at, date_order) "
    "VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7) ON CONFLICT DO NOTHING";
constexpr std::string_view kUserExists = "SELECT 1 FROM users WHERE id = $1";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET name = $2, timezone = $3, date_order = $4, updated_at = $5::timestamptz "
    "WHERE id = $1";

constexpr std::string_view kSelectTaskWhere = " FROM tasks t WHERE t.id = $1 AND t.user_id = $2";
constexpr std::string_view kInsertTask =
    "INSERT INTO tasks (id, user_id, title, title_key, description, description_key, status, "
    "priority, due_at, timezone, remind_before_minutes, reminder_sent, recurrence_parent_id, "
    "version, created_at, updated_at, completed_at, all_day, recurrence_rule, "
    "recurrence_interval, cron_expression, rrule, recurrence_anchor, recurrence_until, "
    "recurrence_count, series_start, occurrence_index, previous_occurrence_id, reminder_count) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::smallint, $9::timestamptz, $10, $11::integer, "
    "$12::boolean, $13, $14::bigint, $15::timestamptz, $16::timestamptz, $17::timestamptz, "
    "$18::boolean, $19, $20::integer, $21, $22, $23, $24::timestamptz, $25::integer, "
    "$26::timestamptz, $27::integer, $28, $29::integer)";
// One next occurrence per task: the unique index on previous_occurrence_id
// decides, atomically and across replicas, whatever the callers checked.
constexpr std::string_view kInsertNextOccurrenceTail =
    " ON CONFLICT (previous_occurrence_id) DO NOTHING";
// Optimistic concurrency in one statement: the row is changed only while its
// version is the one the caller read. Under READ COMMITTED a concurrent
// change of the row makes PostgreSQL wait for it and re-check the WHERE
// clause on the newest row version, so check and write are atomic without a
// separate SELECT … FOR UPDATE round trip. Every column is written: an
// unchanged value costs nothing extra in PostgreSQL (unlike SQLite, whose
// indexes over SET columns are rewritten).
constexpr std::string_view kUpdateTask =
    "UPDATE tasks SET title = $4, title_key = $5, description = $6, description_key = $7, "
    "status = $8, priority = $9::smallint, due_at = $10::timestamptz, timezone = $11, "
    "remind_before_minutes = $12::integer, reminder_sent = $13::boolean, "
    "recurrence_parent_id = $14, version = $15::bigint, updated_at = $16::timestamptz, "
    "completed_at = $17::timestamptz, all_day = $18::boolean, recurrence_rule = $19, "
    "recurrence_interval = $20::integer, cron_expression = $21, rrule = $22, "
    "recurrence_anchor = $23, recurrence_until = $24::timestamptz, "
    "recurrence_count = $25::integer, series_start = $26::timestamptz, "
    "occurrence_index = $27::integer, previous_occurrence_id = $28, "
    "reminder_count = $29::integer "
    "WHERE id = $1 AND user_id = $2 AND version = $3::bigint";
constexpr std::string_view kDeleteTask = "DELETE FROM tasks WHERE id = $1 AND user_id = $2";

// A task's reminders, at positions 0..n-1 in the order of Task::reminders,
// written in one statement whatever their number.
constexpr std::string_view kSelectReminders =
    "SELECT id, before_minutes, (extract(epoch FROM at) * 1000)::bigint, "
    "(extract(epoch FROM remind_at) * 1000)::bigint, "
    "(extract(epoch FROM sent_at) * 1000)::bigint "
    "FROM task_reminders WHERE task_id = $1 ORDER BY position";
constexpr std::string_view kInsertReminders =
    "INSERT INTO task_reminders (task_id, position, id, user_id, before_minutes, at, remind_at, "
    "sent_at) SELECT $1, r.position - 1, r.id, $2, r.before_minutes, r.at, r.remind_at, "
    "r.sent_at FROM unnest($3::text[], $4::integer[], $5::timestamptz[], $6::timestamptz[], "
    "$7::timestamptz[]) WITH ORDINALITY AS r(id, before_minutes, at, remind_at, sent_at, "
    "position)";
// Re-planned in place (a due date moved, a task completed or reopened).
constexpr std::string_view kReplanReminders =
    "UPDATE task_reminders t SET before_minutes = r.before_minutes, at = r.at, "
    "remind_at = r.remind_at, sent_at = r.sent_at FROM unnest($2::integer[], "
    "$3::timestamptz[], $4::timestamptz[], $5::timestamptz[]) WITH ORDINALITY AS "
    "r(before_minutes, at, remind_at, sent_at, position) "
    "WHERE t.task_id = $1 AND t.position = r.position - 1";
constexpr std::string_view kDeleteReminders = "DELETE FROM task_reminders WHERE task_id = $1";

// Two statements whatever the number of tags; unchanged links are neither
// deleted nor written again.
constexpr std::string_view kUnlinkTaskTags =
    "DELETE FROM task_tags WHERE task_id = $1 AND tag_id <> ALL($2::text[])";
// Links only tags of the task's owner, whatever the caller passes.
constexpr std::string_view kLinkTaskTags =
    "INSERT INTO task_tags (task_id, tag_id) "
    "SELECT t.id, g.id FROM tasks t JOIN tags g ON g.user_id = t.user_id "
    "WHERE t.id = $1 AND g.id = ANY($2::text[]) ON CONFLICT DO NOTHING";

constexpr std::string_view kSelectTag =
    "SELECT id, user_id, name, color FROM tags WHERE id = $1 AND user_id = $2";
constexpr std::string_view kSelectTagByKey =
    "SELECT id, user_id, name, color FROM tags WHERE user_id = $1 AND name_key = $2";
constexpr std::string_view kListTags =
    "SELECT g.id, g.user_id, g.name, g.color, "
    "(SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id) "
    "FROM tags g WHERE g.user_id = $1 ORDER BY g.name_key";
// created_at is bookkeeping only (not part of Tag): the column default, now().
constexpr std::string_view kInsertTag =
    "INSERT INTO tags (id, user_id, name, name_key, color) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT DO NOTHING";
// A clash changes nothing instead of raising a unique violation, which
// would abort the transaction.
constexpr std::string_view kUpdateTag =
    "UPDATE tags SET name = $3, name_key = $4, color = $5 WHERE id = $1 AND user_id = $2 "
    "AND NOT EXISTS (SELECT 1 FROM tags o WHERE o.user_id = $2 AND o.name_key = $4 "
    "AND o.id <> $1)";
// A task's representation includes its tag names, so its version moves too.
constexpr std::string_view kBumpTasksOfTag =
    "UPDATE tasks SET version = version + 1, updated_at = $3::timestamptz "
    "WHERE user_id = $2 AND id IN (SELECT task_id FROM task_tags WHERE tag_id = $1)";
// Links go with it (ON DELETE CASCADE).
constexpr std::string_view kDeleteTag = "DELETE FROM tags WHERE id = $1 AND user_id = $2";

const std::string& SelectTaskSql() {
  static const std::string sql =
      "SELECT " + std::string(postgres::kTaskColumns) + std::string(kSelectTaskWhere);
  return sql;
}

// FNV-1a: stable across builds and machines, so every replica locks alike.
std::int32_t OwnerLockKey(std::string_view user_id) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : user_id) {
    hash ^= c;
    hash *= 16777619u;
  }
  return static_cast<std::int32_t>(hash);
}

// ---- parameters and decoding ----

Param OptionalPriority(const std::optional<Priority>& priority) {
  const std::optional<std::int64_t> rank = sql::PriorityRank(priority);
  if (!rank) return std::nullopt;
  return std::to_string(*rank);
}
Param OptionalMinutes(const std::optional<int>& minutes) {
  if (!minutes) return std::nullopt;
  return std::to_string(*minutes);
}

std::optional<Instant> OptionalInstant(const Rows& rows, int r, int column) {
  if (rows.IsNull(r, column)) return std::nullopt;
  return FromUnixMillis(rows.Int64(r, column));
}

// Columns: id, email, name, timezone, created_at, updated_at, date_order.
User DecodeUser(const Rows& rows, int r) {
  User user;
  user.id = rows.Text(r, 0);
  user.email = rows.OptionalText(r, 1);
  user.name = rows.Text(r, 2);
  user.timezone = rows.Text(r, 3);
  user.created_at = FromUnixMillis(rows.Int64(r, 4));
  user.updated_at = FromUnixMillis(rows.Int64(r, 5));
  const std::optional<DateOrder> order = ParseDateOrder(rows.TextView(r, 6));
  if (!order) throw StoreFailure("user " + user.id + " has an unknown date order", false);
  user.date_order = *order;
  return user;
}

// A recurrence as its seven columns (sql::StoredRecurrence, the SQLite
// adapter's layout); all NULL for a task that does not recur.
void AppendRecurrence(std::vector<Param>& params, const std::optional<Recurrence>& recurrence) {
  const sql::StoredRecurrence stored = sql::ToStored(recurrence);
  const auto millis = [](const std::optional<std::int64_t>& value) -> Param {
    if (!value) return std::nullopt;
    return FormatRfc3339(FromUnixMillis(*value));
  };
  const auto number = [](const std::optional<std::int64_t>& value) -> Param {
    if (!value) return std::nullopt;
    return std::to_string(*value);
  };
  params.push_back(stored.rule);
  params.push_back(number(stored.interval));
  params.push_back(stored.cron);
  params.push_back(stored.rrule);
  params.push_back(stored.anchor);
  params.push_back(millis(stored.until));
  params.push_back(number(stored.count));
}

// The seven recurrence columns from `first` on (until as Unix ms).
sql::StoredRecurrence ReadStoredRecurrence(const Rows& rows, int r, int first) {
  return sql::StoredRecurrence{.rule = rows.OptionalText(r, first),
                               .interval = rows.OptionalInt64(r, first + 1),
                               .cron = rows.OptionalText(r, first + 2),
                               .rrule = rows.OptionalText(r, first + 3),
                               .anchor = rows.OptionalText(r, first + 4),
                               .until = rows.OptionalInt64(r, first + 5),
                               .count = rows.OptionalInt64(r, first + 6)};
}

// Columns: id, user_id, name, color.
Tag DecodeTag(const Rows& rows, int r) {
  return Tag{.id = rows.Text(r, 0),
             .user_id = rows.Text(r, 1),
             .name = rows.Text(r, 2),
             .color = rows.OptionalText(r, 3)};
}

// Columns: postgres::kTaskColumns.
Task DecodeTask(const Rows& rows, int r) {
  Task task;
  task.id = rows.Text(r, 0);
  task.user_id = rows.Text(r, 1);
  task.title = rows.Text(r, 2);
  task.description = rows.Text(r, 3);
  const std::optional<TaskStatus> status = ParseTaskStatus(rows.TextView(r, 4));
  if (!status) throw StoreFailure("task " + task.id + " has an unknown status", false);
  task.status = *status;
  task.priority = sql::PriorityFromRank(rows.OptionalInt64(r, 5), task.id);
  task.due_at = OptionalInstant(rows, r, 6);
  task.timezone = rows.Text(r, 7);
  if (!rows.IsNull(r, 8)) task.remind_before_minutes = static_cast<int>(rows.Int64(r, 8));
  task.reminder_sent = rows.Bool(r, 9);
  task.recurrence_parent_id = rows.OptionalText(r, 10);
  task.version = rows.Int64(r, 11);
  task.created_at = FromUnixMillis(rows.Int64(r, 12));
  task.updated_at = FromUnixMillis(rows.Int64(r, 13));
  task.completed_at = OptionalInstant(rows, r, 14);
  task.tags = sql::DecodePackedTagNames(rows.TextView(r, 15));
  task.all_day = rows.Bool(r, 16);
  task.recurrence = sql::FromStored(ReadStoredRecurrence(rows, r, 17), task.id);
  task.series_start = OptionalInstant(rows, r, 24);
  task.occurrence_index = static_cast<int>(rows.Int64(r, 25));
  task.previous_occurrence_id = rows.OptionalText(r, 26);
  task.reminders = sql::DecodePackedReminders(rows.TextView(r, 27));
  return task;
}

// ---- repository ----

// StoreReader/StoreWriter over one connection inside an open transaction.
class PostgresRepository final : public StoreWriter {
 public:
  PostgresRepository(Connection& connection, bool writer) : db_(connection), writer_(writer) {}

  std::optional<User> FindUser(const std::string& user_id) override {
    LockOwner(user_id);
    Rows rows = db_.Exec(kSelectUser, {user_id});
    if (rows.empty()) return std::nullopt;
    return DecodeUser(rows, 0);
  }

  std::optional<Credentials> FindCredentials(const std::string& email) override {
    Rows rows = db_.Exec(kSelectCredentials, {email});
    if (rows.empty()) return std::nullopt;
    return Credentials{.user = DecodeUser(rows, 0), .password_hash = rows.Text(0, 7)};
  }

  std::optional<Task> FindTask(const std::string& user_id, const std::string& task_id) override {
    LockOwner(user_id);
    Rows rows = db_.Exec(SelectTaskSql(), {task_id, user_id});
    if (rows.empty()) return std::nullopt;
    return DecodeTask(rows, 0);
  }

  TaskPage ListTasks(const std::string& user_id, const TaskQuery& query) override {
    LockOwner(user_id);
    const postgres::TaskListSql sql = postgres::BuildTaskListSql(user_id, query);
    TaskPage page;
    {
      Rows rows = db_.Exec(sql.page.sql, sql.page.values);
      page.tasks.reserve(static_cast<std::size_t>(rows.size()));
      for (int r = 0; r < rows.size(); ++r) page.tasks.push_back(DecodeTask(rows, r));
    }
    if (std::optional<std::int64_t> total = sql::TotalFromPage(query, page.tasks.size())) {
      page.total = *total;
      return page;
    }
    page.total = db_.Exec(sql.count.sql, sql.count.values).Int64(0, 0);
    return page;
  }

  std::optional<Tag> FindTag(const std::string& user_id, const std::string& tag_id) override {
    LockOwner(user_id);
    Rows rows = db_.Exec(kSelectTag, {tag_id, user_id});
    if (rows.empty()) return std::nullopt;
    return DecodeTag(rows, 0);
  }

  std::optional<Tag> FindTagByKey(const std::string& user_id,
                                  const std::string& name_key) override {
    LockOwner(user_id);
    Rows rows = db_.Exec(kSelectTagByKey, {user_id, name_key});
    if (rows.empty()) return std::nullopt;
    return DecodeTag(rows, 0);
  }

  std::vector<TagWithCount> ListTags(const std::string& user_id) override {
    LockOwner(user_id);
    Rows rows = db_.Exec(kListTags, {user_id});
    std::vector<TagWithCount> tags;
    tags.reserve(static_cast<std::size_t>(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
      tags.push_back(TagWithCount{.tag = DecodeTag(rows, r), .task_count = rows.Int64(r, 4)});
    }
    return tags;
  }

  bool InsertUser(const User& user, const std::optional<std::string>& password_hash) override {
    LockOwner(user.id);
    return db_.Exec(kInsertUser, {user.id, OptionalText(user.email), user.name, user.timezone,
                                  Time(user.created_at), Time(user.updated_at),
                                  Text(ToString(user.date_order)), OptionalText(password_hash)})
               .affected() == 1;
  }

  bool EnsureUser(const User& user) override {
    LockOwner(user.id);
    if (InsertProfile(user, OptionalText(user.email))) return true;
    if (!db_.Exec(kUserExists, {user.id}).empty()) return false;
    // The email belongs to another user: keep the profile, without it.
    return InsertProfile(user, std::nullopt);
  }

  void UpdateUser(const User& user) override {
    LockOwner(user.id);
    db_.Exec(kUpdateUser, {user.id, user.name, user.timezone, Text(ToString(user.date_order)),
                           Time(user.updated_at)});
  }

  void InsertTask(const Task& task) override { InsertTaskWith(kInsertTask, task); }

  bool InsertNextOccurrence(const Task& task) override {
    if (!task.previous_occurrence_id) {
      throw StoreFailure("a next occurrence needs previous_occurrence_id", false);
    }
    static const std::string sql =
        std::string(kInsertTask) + std::string(kInsertNextOccurrenceTail);
    return InsertTaskWith(sql, task);
  }

  bool UpdateTask(const Task& task, std::int64_t expected_version) override {
    LockOwner(task.user_id);
    std::vector<Param> params = {task.id, task.user_id, Int(expected_version)};
    AppendTaskColumns(params, task, /*from=*/2);
    if (db_.Exec(kUpdateTask, params).affected() != 1) return false;
    SyncReminders(task);
    return true;
  }

  bool DeleteTask(const std::string& user_id, const std::string& task_id) override {
    LockOwner(user_id);
    return db_.Exec(kDeleteTask, {task_id, user_id}).affected() == 1;
  }

  void SetTaskTags(const std::string& task_id, const std::vector<std::string>& tag_ids) override {
    const std::string ids = postgres::ArrayLiteral(tag_ids);
    db_.Exec(kUnlinkTaskTags, {task_id, ids});
    if (!tag_ids.empty()) db_.Exec(kLinkTaskTags, {task_id, ids});
  }

  bool InsertTag(const Tag& tag) override {
    LockOwner(tag.user_id);
    return db_.Exec(kInsertTag,
                    {tag.id, tag.user_id, tag.name, FoldCase(tag.name), OptionalText(tag.color)})
               .affected() == 1;
  }

  bool UpdateTag(const Tag& tag, Instant now) override {
    // Tasks show tag names, not colours: only a new spelling changes them.
    const std::optional<Tag> stored = FindTag(tag.user_id, tag.id);
    if (!stored) return false;
    const bool renamed = stored->name != tag.name;
    const long long changed = db_.Exec(kUpdateTag, {tag.id, tag.user_id, tag.name,
                                                    FoldCase(tag.name), OptionalText(tag.color)})
                                  .affected();
    if (changed != 1) return false;  // the name is taken
    if (renamed) BumpTasksOfTag(tag.user_id, tag.id, now);
    return true;
  }

  bool DeleteTag(const std::string& user_id, const std::string& tag_id, Instant now) override {
    LockOwner(user_id);
    BumpTasksOfTag(user_id, tag_id, now);  // while the links still exist
    return db_.Exec(kDeleteTag, {tag_id, user_id}).affected() == 1;
  }

  // ---- events (postgres_events.cpp) ----
  std::vector<OutboxRecord> UnpublishedOutbox(int limit) override {
    return postgres::UnpublishedOutbox(db_, limit);
  }
  std::vector<OutboxRecord> PublishedOutbox(const std::string& topic, std::int64_t after_id,
                                            int limit) override {
    return postgres::PublishedOutbox(db_, topic, after_id, limit);
  }
  std::int64_t ConsumerOffset(const std::string& consumer, const std::string& topic) override {
    return postgres::ConsumerOffset(db_, consumer, topic);
  }
  std::optional<std::int64_t> LowestConsumerOffset(const std::string& topic) override {
    return postgres::LowestConsumerOffset(db_, topic);
  }
  std::int64_t OutboxHead(const std::string& topic) override {
    return postgres::OutboxHead(db_, topic);
  }
  bool IsProcessed(const std::string& consumer, const std::string& event_id) override {
    return postgres::IsProcessed(db_, consumer, event_id);
  }
  std::vector<std::string> ProcessedAmong(const std::string& consumer,
                                          const std::vector<std::string>& event_ids) override {
    return postgres::ProcessedAmong(db_, consumer, event_ids);
  }
  ActivityPage ListActivity(const std::string& user_id, const ActivityQuery& query) override {
    return postgres::ListActivity(db_, user_id, query);
  }
  std::vector<Webhook> ListWebhooks(const std::string& user_id) override {
    return postgres::ListWebhooks(db_, user_id);
  }
  std::optional<Instant> NextReminderAt() override { return postgres::NextReminderAt(db_); }
  void AppendOutbox(OutboxRecord& record) override { postgres::AppendOutbox(db_, record); }
  void MarkPublished(const std::vector<std::int64_t>& ids, Instant now) override {
    postgres::MarkPublished(db_, ids, now);
  }
  void SetConsumerOffset(const std::string& consumer, const std::string& topic,
                         std::int64_t position) override {
    postgres::SetConsumerOffset(db_, consumer, topic, position);
  }
  int DeleteConsumerOffsets(const std::string& consumer) override {
    return postgres::DeleteConsumerOffsets(db_, consumer);
  }
  bool MarkProcessed(const std::string& consumer, const std::string& event_id,
                     Instant now) override {
    return postgres::MarkProcessed(db_, consumer, event_id, now);
  }
  int PruneOutbox(const std::string& topic, std::int64_t through_id, Instant published_before,
                  int window) override {
    return postgres::PruneOutbox(db_, topic, through_id, published_before, window);
  }
  int PruneProcessedEvents(Instant processed_before, int window) override {
    return postgres::PruneProcessedEvents(db_, processed_before, window);
  }
  void InsertDeadLetter(const DeadLetter& letter) override {
    postgres::InsertDeadLetter(db_, letter);
  }
  bool InsertActivity(const ActivityEntry& entry) override {
    return postgres::InsertActivity(db_, entry);
  }
  void InsertWebhook(const Webhook& webhook) override { postgres::InsertWebhook(db_, webhook); }
  bool DeleteWebhook(const std::string& user_id, const std::string& webhook_id) override {
    return postgres::DeleteWebhook(db_, user_id, webhook_id);
  }
  bool TakeRelayLease(const std::string& holder, Instant now, Instant until) override {
    return postgres::TakeRelayLease(db_, holder, now, until);
  }
  void ReleaseRelayLease(const std::string& holder) override {
    postgres::ReleaseRelayLease(db_, holder);
  }
  std::vector<DueReminder> ClaimDueReminders(Instant now, int limit) override {
    return postgres::ClaimDueReminders(db_, now, limit);
  }

  std::optional<Conversation> FindConversation(const std::string& user_id,
                                               const std::string& conversation_id) override {
    return postgres::FindConversation(db_, user_id, conversation_id);
  }
  ConversationPage ListConversations(const std::string& user_id,
                                     const ConversationQuery& query) override {
    return postgres::ListConversations(db_, user_id, query);
  }
  ChatMessagePage ListChatMessages(const std::string& user_id, const std::string& conversation_id,
                                   const ChatMessageQuery& query) override {
    return postgres::ListChatMessages(db_, user_id, conversation_id, query);
  }
  std::vector<ChatMessageRecord> RecentChatMessages(const std::string& user_id,
                                                    const std::string& conversation_id,
                                                    int limit) override {
    return postgres::RecentChatMessages(db_, user_id, conversation_id, limit);
  }
  void InsertConversation(const Conversation& conversation) override {
    postgres::InsertConversation(db_, conversation);
  }
  bool TouchConversation(const std::string& user_id, const std::string& conversation_id,
                         Instant updated_at) override {
    return postgres::TouchConversation(db_, user_id, conversation_id, updated_at);
  }
  bool DeleteConversation(const std::string& user_id, const std::string& conversation_id) override {
    return postgres::DeleteConversation(db_, user_id, conversation_id);
  }
  void InsertChatMessage(const ChatMessageRecord& message) override {
    postgres::InsertChatMessage(db_, message);
  }

 private:
  // In a write transaction, waits until no other write transaction of this
  // owner runs, once per owner and transaction (held until it ends).
  void LockOwner(const std::string& user_id) {
    if (!writer_) return;
    if (std::find(locked_.begin(), locked_.end(), user_id) != locked_.end()) return;
    db_.Exec(kLockOwner, {std::to_string(kOwnerLockSpace), std::to_string(OwnerLockKey(user_id))});
    locked_.push_back(user_id);
  }

  bool InsertProfile(const User& user, Param email) {
    return db_.Exec(kEnsureUser,
                    {user.id, std::move(email), user.name, user.timezone, Time(user.created_at),
                     Time(user.updated_at), Text(ToString(user.date_order))})
               .affected() == 1;
  }

  void BumpTasksOfTag(const std::string& user_id, const std::string& tag_id, Instant now) {
    db_.Exec(kBumpTasksOfTag, {tag_id, user_id, Time(now)});
  }

  // The columns of kInsertTask from `from` (0-based: 0 writes id and user_id
  // too, 2 starts at the title) to the end, in its order; kUpdateTask's SET
  // list has the same order after its three WHERE parameters.
  static void AppendTaskColumns(std::vector<Param>& params, const Task& task, int from) {
    if (from == 0) {
      params.push_back(task.id);
      params.push_back(task.user_id);
    }
    params.push_back(task.title);
    params.push_back(FoldCase(task.title));
    params.push_back(task.description);
    params.push_back(FoldCase(task.description));
    params.push_back(Text(ToString(task.status)));
    params.push_back(OptionalPriority(task.priority));
    params.push_back(OptionalTime(task.due_at));
    params.push_back(task.timezone);
    params.push_back(OptionalMinutes(task.remind_before_minutes));
    params.push_back(Bool(task.reminder_sent));
    params.push_back(OptionalText(task.recurrence_parent_id));
    params.push_back(Int(task.version));
    if (from == 0) params.push_back(Time(task.created_at));
    params.push_back(Time(task.updated_at));
    params.push_back(OptionalTime(task.completed_at));
    params.push_back(Bool(task.all_day));
    AppendRecurrence(params, task.recurrence);
    params.push_back(OptionalTime(task.series_start));
    params.push_back(Int(task.occurrence_index));
    params.push_back(OptionalText(task.previous_occurrence_id));
    params.push_back(Int(static_cast<std::int64_t>(task.reminders.size())));
  }

  // Inserts the row of `task` with `sql` (kInsertTask, or with an ON
  // CONFLICT clause), then its reminders. False when the row was not inserted.
  bool InsertTaskWith(std::string_view sql, const Task& task) {
    LockOwner(task.user_id);
    std::vector<Param> params;
    params.reserve(29);
    AppendTaskColumns(params, task, /*from=*/0);
    if (db_.Exec(sql, params).affected() != 1) return false;
    InsertReminders(task);
    return true;
  }

  void InsertReminders(const Task& task) {
    if (task.reminders.empty()) return;
    std::vector<std::string> ids;
    std::vector<Param> minutes, at, remind_at, sent_at;
    for (const Reminder& reminder : task.reminders) {
      if (reminder.id.empty()) throw StoreFailure("a reminder has no id", false);
      ids.push_back(reminder.id);
      minutes.push_back(OptionalMinutes(reminder.spec.before_minutes));
      at.push_back(OptionalTime(reminder.spec.at));
      remind_at.push_back(OptionalTime(reminder.remind_at));
      sent_at.push_back(OptionalTime(reminder.sent_at));
    }
    db_.Exec(kInsertReminders,
             {task.id, task.user_id, postgres::ArrayLiteral(ids), postgres::ArrayLiteral(minutes),
              postgres::ArrayLiteral(at), postgres::ArrayLiteral(remind_at),
              postgres::ArrayLiteral(sent_at)});
  }

  // Makes the stored reminders equal to task.reminders: nothing written when
  // they already are (most updates), rows re-planned in place when only their
  // planning changed, the list rewritten otherwise.
  void SyncReminders(const Task& task) {
    std::vector<Reminder> stored;
    {
      Rows rows = db_.Exec(kSelectReminders, {task.id});
      for (int r = 0; r < rows.size(); ++r) {
        Reminder reminder;
        reminder.id = rows.Text(r, 0);
        if (const auto minutes = rows.OptionalInt64(r, 1)) {
          reminder.spec.before_minutes = static_cast<int>(*minutes);
        }
        reminder.spec.at = OptionalInstant(rows, r, 2);
        reminder.remind_at = OptionalInstant(rows, r, 3);
        reminder.sent_at = OptionalInstant(rows, r, 4);
        stored.push_back(std::move(reminder));
      }
    }
    if (stored == task.reminders) return;
    if (sql::SameReminderIds(stored, task.reminders)) {
      std::vector<Param> minutes, at, remind_at, sent_at;
      for (const Reminder& reminder : task.reminders) {
        minutes.push_back(OptionalMinutes(reminder.spec.before_minutes));
        at.push_back(OptionalTime(reminder.spec.at));
        remind_at.push_back(OptionalTime(reminder.remind_at));
        sent_at.push_back(OptionalTime(reminder.sent_at));
      }
      db_.Exec(kReplanReminders,
               {task.id, postgres::ArrayLiteral(minutes), postgres::ArrayLiteral(at),
                postgres::ArrayLiteral(remind_at), postgres::ArrayLiteral(sent_at)});
      return;
    }
    db_.Exec(kDeleteReminders, {task.id});
    InsertReminders(task);
  }

  Connection& db_;
  const bool writer_;
  std::vector<std::string> locked_;  // owners locked by this transaction
};

// ---- transactions ----

Error ToError(const StoreFailure& failure) {
  if (failure.transient()) {
    return Error::Unavailable(std::string("database unavailable: ") + failure.what());
  }
  return Error::Internal(std::string("database failure: ") + failure.what());
}

enum class Mode { kRead, kWrite };

// Begins a transaction on a pooled connection, runs `work` on a repository
// over it, commits when `work` returns ok and rolls back otherwise. Runs it
// again after a class-40 failure, up to `attempts` runs. Nothing thrown
// inside leaves this function.
template <class Work>
Status RunTransaction(ConnectionPool& pool, Mode mode, int attempts, const Work& work) {
  bool reconnected = false;
  int attempt = 1;
  while (true) {
    std::optional<ConnectionPool::Lease> lease;
    try {
      lease.emplace(pool.Acquire());
    } catch (const StoreFailure& failure) {
      return ToError(failure);
    } catch (const std::exception& e) {
      return Error::Internal(std::string("cannot get a database connection: ") + e.what());
    }
    Connection& db = **lease;
    try {
      db.TrimStatementCache();
      db.Run(mode == Mode::kRead ? kBeginRead : kBeginWrite);
    } catch (const StoreFailure& failure) {
      if (db.broken() && !reconnected) {
        // Died while idle in the pool (server restart, idle timeout of a
        // managed service): nothing ran yet, so begin again on a fresh one.
        reconnected = true;
        lease->Discard();
        lease.reset();
        pool.CloseIdle();
        continue;
      }
      db.RollbackQuietly();
      return ToError(failure);
    } catch (const std::exception& e) {
      return Error::Internal(std::string("cannot begin a transaction: ") + e.what());
    }

    try {
      const std::uint64_t failures = db.failures();
      PostgresRepository repository(db, mode == Mode::kWrite);
      Status status = work(repository);
      if (!status.ok()) {
        db.RollbackQuietly();
        return status;
      }
      if (db.failures() != failures || db.InFailedTransaction()) {
        // `work` caught a StoreFailure and went on: what it did is incomplete.
        db.RollbackQuietly();
        return Error::Internal("a storage failure inside the transaction was ignored");
      }
      db.Run(kCommit);
      return status;
    } catch (const SqlFailure& failure) {
      db.RollbackQuietly();
      if (failure.retryable() && attempt < attempts) {
        ++attempt;
        continue;
      }
      return ToError(failure);
    } catch (const StoreFailure& failure) {
      db.RollbackQuietly();
      return ToError(failure);
    } catch (const std::exception& e) {
      db.RollbackQuietly();
      return Error::Internal(std::string("unexpected failure in a transaction: ") + e.what());
    } catch (...) {
      db.RollbackQuietly();
      return Error::Internal("unexpected failure in a transaction");
    }
  }
}

class PostgresStore final : public Store {
 public:
  PostgresStore(std::unique_ptr<ConnectionPool> pool, int write_attempts)
      : pool_(std::move(pool)), write_attempts_(write_attempts) {}

  Status Read(const std::function<Status(StoreReader&)>& work) override {
    // A read-only snapshot is re-runnable by nature; on a standby, recovery
    // conflicts cancel it with a class-40 error.
    return RunTransaction(*pool_, Mode::kRead, write_attempts_,
                          [&](PostgresRepository& repository) { return work(repository); });
  }

  Status Write(const std::function<Status(StoreWriter&)>& work) override {
    return RunTransaction(*pool_, Mode::kWrite, write_attempts_,
                          [&](PostgresRepository& repository) { return work(repository); });
  }

  bool Ping() override {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        ConnectionPool::Lease lease = pool_->Acquire();
        try {
          lease->Exec(kPing);
          return true;
        } catch (const StoreFailure&) {
          if (!lease->broken()) return false;
          // A connection that died while idle says nothing about the server.
          lease.Discard();
          pool_->CloseIdle();
        }
      } catch (...) {
        return false;
      }
    }
    return false;
  }

 private:
  std::unique_ptr<ConnectionPool> pool_;
  const int write_attempts_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  // Messages never quote the URL: it may hold the password.
  try {
    auto pool = std::make_unique<ConnectionPool>(
        options.url, options.pool_size, std::chrono::milliseconds(options.acquire_timeout_ms));
    {
      ConnectionPool::Lease lease = pool->Acquire();
      const int current = postgres::CurrentSchemaVersion(*lease);
      const int expected = postgres::LatestSchemaVersion();
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
    }
    return std::unique_ptr<Store>(
        std::make_unique<PostgresStore>(std::move(pool), std::max(1, options.write_attempts)));
  } catch (const StoreFailure& failure) {
    return Error::Unavailable(std::string("cannot open the PostgreSQL database: ") +
                              failure.what());
  } catch (const std::exception& e) {
    return Error::Internal(std::string("cannot open the PostgreSQL database: ") + e.what());
  }
}

}  // namespace taskflow
