#include "adapters/sqlite/sqlite_migrations.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/sql/migration_runner.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"

namespace taskflow {
namespace {

using sqlite::Connection;
using sqlite::ConnectionOptions;

// A schema step and its inverse. The PostgreSQL adapter mirrors these versions
// and their meaning; add new ones at the end, never edit an applied one.
struct Migration {
  int version;
  std::string_view name;
  const char* up;
  const char* down;
};

// Instants are INTEGER Unix milliseconds, priorities INTEGER 1..4 (NULL for
// none), booleans INTEGER 0/1. *_key columns hold FoldCase of their text,
// computed by the application, for case-insensitive uniqueness and sorting.
// STRICT tables make SQLite enforce the declared types.
constexpr const char* kCoreSchemaUp = R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  email TEXT UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE tasks (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
  priority INTEGER CHECK (priority BETWEEN 1 AND 4),
  due_at INTEGER,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  recurrence_rule TEXT,
  cron_expression TEXT,
  remind_before_minutes INTEGER CHECK (remind_before_minutes >= 0),
  reminder_sent INTEGER NOT NULL DEFAULT 0 CHECK (reminder_sent IN (0, 1)),
  recurrence_parent_id TEXT REFERENCES tasks (id) ON DELETE SET NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
) STRICT;
-- One index per sort of the task list (the owner first, id last for the
-- tie-break), and one for the status filter and the count.
CREATE INDEX tasks_user_created ON tasks (user_id, created_at, id);
CREATE INDEX tasks_user_updated ON tasks (user_id, updated_at, id);
CREATE INDEX tasks_user_due ON tasks (user_id, due_at, id);
CREATE INDEX tasks_user_priority ON tasks (user_id, priority, id);
CREATE INDEX tasks_user_title ON tasks (user_id, title_key, id);
CREATE INDEX tasks_user_status ON tasks (user_id, status);
-- Deleting a task nulls its occurrences' parent link: without this index
-- every delete would scan the table.
CREATE INDEX tasks_recurrence_parent ON tasks (recurrence_parent_id);

CREATE TABLE tags (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  color TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, name_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE task_tags (
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  tag_id TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (task_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX task_tags_tag ON task_tags (tag_id);
)sql";

constexpr const char* kCoreSchemaDown = R"sql(
DROP TABLE task_tags;
DROP TABLE tags;
DROP TABLE tasks;
DROP TABLE users;
)sql";

// Case-insensitive substring search: the trigram tokenizer indexes every
// three-character window of folded (FoldCase) copies, so a folded query
// matches any spelling. rowid = tasks.seq. The store keeps it in step with
// tasks inside its own transactions. Matches are never ranked, so the
// per-row token counts (columnsize) would only cost a write per change.
constexpr const char* kSearchIndexUp = R"sql(
CREATE VIRTUAL TABLE tasks_fts USING fts5 (
  title, description, tokenize = 'trigram case_sensitive 1', columnsize = 0
);
INSERT INTO tasks_fts (rowid, title, description)
  SELECT seq, taskflow_fold(title), taskflow_fold(description) FROM tasks;
-- A bulk load leaves large segments on low levels, where every later commit's
-- small segment would be merged with them: measured, that doubles the cost
-- of each insert. One merged segment avoids it (a no-op on an empty table).
INSERT INTO tasks_fts (tasks_fts) VALUES ('optimize');
)sql";

constexpr const char* kSearchIndexDown = R"sql(
DROP TABLE tasks_fts;
)sql";

// Time (issue 3): all-day dates, the rest of a recurrence, series
// bookkeeping, the quick-add date order of a user, and reminders in their own
// table. tasks.recurrence_rule ('daily' … 'rrule') and cron_expression come
// from migration 1; remind_before_minutes and reminder_sent stay as the
// stored summary of the reminders (the seed's shorthand).
//
// previous_occurrence_id is unique: one next occurrence per task, decided by
// the index (INSERT … ON CONFLICT DO NOTHING). It carries no foreign key, so
// that the down step can drop it (SQLite refuses to drop a column with one);
// a dangling id is harmless: its task is gone and cannot be completed again.
//
// task_reminders is clustered by (task_id, position): a task's reminders are
// one range read, and a row of the task list loads them with one index probe,
// which tasks.reminder_count (kept by the store) lets rows without reminders
// skip: measured, the probe costs about as much as the rest of a list row.
// The partial index on remind_at holds only reminders still to fire, so the
// notification service reads "what fires next" in O(log n).
//
// Existing remind_before_minutes values become one relative reminder each,
// planned from the due date unless the task is completed and it was not sent.
constexpr const char* kTimeSchemaUp = R"sql(
ALTER TABLE users ADD COLUMN date_order TEXT NOT NULL DEFAULT 'MDY'
  CHECK (date_order IN ('MDY', 'DMY'));

ALTER TABLE tasks ADD COLUMN all_day INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1));
ALTER TABLE tasks ADD COLUMN recurrence_interval INTEGER CHECK (recurrence_interval >= 1);
ALTER TABLE tasks ADD COLUMN rrule TEXT;
ALTER TABLE tasks ADD COLUMN recurrence_anchor TEXT
  CHECK (recurrence_anchor IN ('due', 'completion'));
ALTER TABLE tasks ADD COLUMN recurrence_until INTEGER;
ALTER TABLE tasks ADD COLUMN recurrence_count INTEGER CHECK (recurrence_count >= 1);
ALTER TABLE tasks ADD COLUMN series_start INTEGER;
ALTER TABLE tasks ADD COLUMN occurrence_index INTEGER NOT NULL DEFAULT 1
  CHECK (occurrence_index >= 1);
ALTER TABLE tasks ADD COLUMN previous_occurrence_id TEXT;
ALTER TABLE tasks ADD COLUMN reminder_count INTEGER NOT NULL DEFAULT 0
  CHECK (reminder_count >= 0);
CREATE UNIQUE INDEX tasks_previous_occurrence ON tasks (previous_occurrence_id);

CREATE TABLE task_reminders (
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position >= 0),
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  before_minutes INTEGER CHECK (before_minutes BETWEEN 0 AND 525600),
  at INTEGER,
  remind_at INTEGER,
  sent_at INTEGER,
  CHECK ((before_minutes IS NULL) <> (at IS NULL)),
  PRIMARY KEY (task_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX task_reminders_pending ON task_reminders (remind_at)
  WHERE sent_at IS NULL AND remind_at IS NOT NULL;

INSERT INTO task_reminders
  (task_id, position, id, user_id, before_minutes, at, remind_at, sent_at)
SELECT t.id, 0,
  lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
        substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
        substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
  t.user_id, t.remind_before_minutes, NULL,
  CASE WHEN t.due_at IS NOT NULL AND (t.status = 'pending' OR t.reminder_sent = 1)
       THEN t.due_at - t.remind_before_minutes * 60000 END,
  CASE WHEN t.reminder_sent = 1 THEN t.updated_at END
FROM tasks t WHERE t.remind_before_minutes IS NOT NULL;
UPDATE tasks SET reminder_count = 1 WHERE remind_before_minutes IS NOT NULL;
)sql";

// Back to version 2: the shorthand columns already hold what version 2 can
// show. An RRULE has no version-2 column, so such a task stops recurring
// (its rule name would otherwise dangle without its text).
constexpr const char* kTimeSchemaDown = R"sql(
DROP TABLE task_reminders;
UPDATE tasks SET recurrence_rule = NULL WHERE recurrence_rule = 'rrule';
DROP INDEX tasks_previous_occurrence;
ALTER TABLE tasks DROP COLUMN reminder_count;
ALTER TABLE tasks DROP COLUMN previous_occurrence_id;
ALTER TABLE tasks DROP COLUMN occurrence_index;
ALTER TABLE tasks DROP COLUMN series_start;
ALTER TABLE tasks DROP COLUMN recurrence_count;
ALTER TABLE tasks DROP COLUMN recurrence_until;
ALTER TABLE tasks DROP COLUMN recurrence_anchor;
ALTER TABLE tasks DROP COLUMN rrule;
ALTER TABLE tasks DROP COLUMN recurrence_interval;
ALTER TABLE tasks DROP COLUMN all_day;
ALTER TABLE users DROP COLUMN date_order;
)sql";

// Events (issue 4): the transactional outbox, the consumers' bookkeeping, the
// activity log and the users' webhooks.
// - outbox: every domain event, appended in the transaction of its change; the
//   relay publishes unpublished rows in id order and sets published_at. With
//   the in-process bus the published rows *are* the log the consumers read.
// - consumer_offsets: the in-process bus's cursor of each consumer group per topic.
// - processed_events: (consumer, event_id) written in the transaction of the
//   consumer's side effect, so redelivery is harmless across restarts.
// - dead_letters: the `<topic>-dlq` of the in-process bus: a message a consumer
//   gave up on, with its last error.
constexpr const char* kEventsSchemaUp = R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  message_key TEXT NOT NULL,
  event_id TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  published_at INTEGER
) STRICT;
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_topic ON outbox (topic, id);

CREATE TABLE consumer_offsets (
  consumer TEXT NOT NULL,
  topic TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (consumer, topic)
) STRICT, WITHOUT ROWID;

CREATE TABLE processed_events (
  consumer TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_at INTEGER NOT NULL,
  PRIMARY KEY (consumer, event_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  consumer TEXT NOT NULL,
  topic TEXT NOT NULL,
  message_key TEXT NOT NULL,
  event_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE activity_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  task_data TEXT NOT NULL,
  occurred_at INTEGER NOT NULL
) STRICT;
CREATE INDEX activity_log_user ON activity_log (user_id, id);
CREATE INDEX activity_log_user_task ON activity_log (user_id, task_id, id);

CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_user ON webhooks (user_id);

-- One relay publishes at a time per database: the holder of this lease.
CREATE TABLE relay_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

constexpr const char* kEventsSchemaDown = R"sql(
DROP TABLE relay_leases;
DROP TABLE webhooks;
DROP TABLE activity_log;
DROP TABLE dead_letters;
DROP TABLE processed_events;
DROP TABLE consumer_offsets;
DROP TABLE outbox;
)sql";

// Conversations of the chat endpoint and their messages. A message carries
// its owner's id too, so every query is scoped by user without a join; seq
// keeps the order of messages written in the same millisecond.
constexpr const char* kChatSchemaUp = R"sql(
CREATE TABLE conversations (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX conversations_user_updated ON conversations (user_id, updated_at, id);

CREATE TABLE chat_messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
  content TEXT NOT NULL,
  actions TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX chat_messages_conversation ON chat_messages (conversation_id, seq);
)sql";

constexpr const char* kChatSchemaDown = R"sql(
DROP TABLE chat_messages;
DROP TABLE conversations;
)sql";

// Conversations active in the same millisecond are listed in the order of
// their writes: last_message_seq is the seq of the conversation's newest
// message (0 for none), set by the store with each message. seq grows with
// every message (one writer); it is INTEGER PRIMARY KEY without AUTOINCREMENT,
// so the seq of a deleted newest message may come back, but messages go only
// with their conversation, so a new seq still exceeds every stored one. The
// list index replaces the one of migration 5, the owner first and id last.
constexpr const char* kChatOrderUp = R"sql(
ALTER TABLE conversations ADD COLUMN last_message_seq INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET last_message_seq = coalesce(
  (SELECT max(m.seq) FROM chat_messages m WHERE m.conversation_id = conversations.id), 0);
DROP INDEX conversations_user_updated;
CREATE INDEX conversations_user_activity
  ON conversations (user_id, updated_at, last_message_seq, id);
)sql";

// SQLite refuses to drop an indexed column: the index goes first.
constexpr const char* kChatOrderDown = R"sql(
DROP INDEX conversations_user_activity;
CREATE INDEX conversations_user_updated ON conversations (user_id, updated_at, id);
ALTER TABLE conversations DROP COLUMN last_message_seq;
)sql";

// The task list's reads, measured in docs/benchmarks.md. A covering index on
// the filter and sort columns lets the list find and count a page's rows
// without reading the table (it replaces tasks_user_status, its prefix), and
// tasks.tag_names keeps each task's tags packed as kTaskColumns reads them
// (NULL for none), so reading a task costs no probe of task_tags and tags per
// row. The store rewrites tag_names whenever a task's links or a linked tag's
// name change (sqlite_store.cpp). PostgreSQL mirrors the index only.
constexpr const char* kListReadsUp = R"sql(
ALTER TABLE tasks ADD COLUMN tag_names TEXT;
UPDATE tasks SET tag_names = (
  SELECT group_concat(g.name_key || char(30) || g.name, char(31))
  FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = tasks.id)
WHERE id IN (SELECT task_id FROM task_tags);
CREATE INDEX tasks_user_list ON tasks (user_id, status, priority, due_at, created_at, updated_at, id);
DROP INDEX tasks_user_status;
)sql";

constexpr const char* kListReadsDown = R"sql(
CREATE INDEX tasks_user_status ON tasks (user_id, status);
DROP INDEX tasks_user_list;
ALTER TABLE tasks DROP COLUMN tag_names;
)sql";

// Writes, measured in docs/benchmarks.md. Every index of tasks costs each
// insert a page write (WAL frame, then checkpoint) where the owner's rows sit,
// and the five sort indexes of migration 1 no longer serve the list: its page
// query counts every match anyway, and the covering index finds and sorts
// them without the table once it holds title_key too. Dropping them cut the
// bytes written per created task from 109 KB to 46 KB and the server's CPU
// per POST by 30%, at the same list speed (docs/benchmarks.md). The index
// also holds each task's version (it changes with updated_at, which every
// write rewrites anyway), by which the page finds its rows in the store's
// task cache without reading them (task_cache.hpp).
constexpr const char* kLeanTaskIndexesUp = R"sql(
DROP INDEX tasks_user_created;
DROP INDEX tasks_user_updated;
DROP INDEX tasks_user_due;
DROP INDEX tasks_user_priority;
DROP INDEX tasks_user_title;
DROP INDEX tasks_user_list;
CREATE INDEX tasks_user_list
  ON tasks (user_id, status, priority, due_at, created_at, updated_at, title_key, id, version);
)sql";

constexpr const char* kLeanTaskIndexesDown = R"sql(
DROP INDEX tasks_user_list;
CREATE INDEX tasks_user_list ON tasks (user_id, status, priority, due_at, created_at, updated_at, id);
CREATE INDEX tasks_user_created ON tasks (user_id, created_at, id);
CREATE INDEX tasks_user_updated ON tasks (user_id, updated_at, id);
CREATE INDEX tasks_user_due ON tasks (user_id, due_at, id);
CREATE INDEX tasks_user_priority ON tasks (user_id, priority, id);
CREATE INDEX tasks_user_title ON tasks (user_id, title_key, id);
)sql";

// The audit log's writes, measured in docs/benchmarks.md. A task's history
// was found through (user_id, task_id, id): every event wrote a page where its
// owner's entries sit, a fifth of the WAL frames of the POST benchmark. Keyed
// by the task first, the entries of new tasks (UUIDv7 ids, in time order) go
// to the end of the index; the owner stays in the key, so the query of a
// task's history still reads only its owner's entries, from the index alone.
constexpr const char* kActivityByTaskUp = R"sql(
DROP INDEX activity_log_user_task;
CREATE INDEX activity_log_task ON activity_log (task_id, user_id, id);
)sql";

constexpr const char* kActivityByTaskDown = R"sql(
DROP INDEX activity_log_task;
CREATE INDEX activity_log_user_task ON activity_log (user_id, task_id, id);
)sql";

constexpr Migration kMigrations[] = {
    {1, "core schema", kCoreSchemaUp, kCoreSchemaDown},
    {2, "task search index", kSearchIndexUp, kSearchIndexDown},
    {3, "time: all-day, recurrence, reminders", kTimeSchemaUp, kTimeSchemaDown},
    {4, "events: outbox, consumers, activity log, webhooks", kEventsSchemaUp, kEventsSchemaDown},
    {5, "chat: conversations and messages", kChatSchemaUp, kChatSchemaDown},
    {6, "chat: conversations in the order of their writes", kChatOrderUp, kChatOrderDown},
    {7, "task list reads: covering index, packed tag names", kListReadsUp, kListReadsDown},
    {8, "task writes: the covering index replaces the sort indexes", kLeanTaskIndexesUp,
     kLeanTaskIndexesDown},
    {9, "activity log: a task's history indexed by task first", kActivityByTaskUp,
     kActivityByTaskDown},
};

constexpr const char* kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT;
)sql";
constexpr std::string_view kMigrationsTableExists =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kSelectCurrentVersion =
    "SELECT coalesce(max(version), 0) FROM schema_migrations";
constexpr std::string_view kSelectApplied = "SELECT version FROM schema_migrations";
constexpr std::string_view kIsApplied = "SELECT count(*) FROM schema_migrations WHERE version = ?";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";
constexpr std::string_view kDeleteApplied = "DELETE FROM schema_migrations WHERE version = ?";
constexpr std::string_view kForeignKeyCheck = "PRAGMA foreign_key_check";
constexpr std::string_view kBeginImmediate = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";

const Migration* FindMigration(int version) {
  for (const Migration& m : kMigrations) {
    if (m.version == version) return &m;
  }
  return nullptr;
}

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::unique_ptr<Connection> OpenForMigration(const std::string& path) {
  sqlite::EnsureParentDirectory(path);
  auto connection = Connection::Open(ConnectionOptions{.path = path});
  // SQLite's procedure for schema changes: foreign keys off while tables may
  // be rebuilt, then checked before each commit (below).
  connection->Exec("PRAGMA foreign_keys = OFF;");
  connection->Exec(kCreateMigrationsTable);
  return connection;
}

bool IsApplied(Connection& connection, int version) {
  auto statement = connection.Prepare(kIsApplied);
  statement->BindInt64(1, version);
  statement->Step();
  return statement->Int64(0) > 0;
}

void CheckForeignKeys(Connection& connection) {
  auto statement = connection.Prepare(kForeignKeyCheck);
  if (statement->Step()) {
    throw StoreFailure("foreign key violation in table " + statement->Text(0), false);
  }
}

// Runs `step` inside one write transaction; the transaction is rolled back if
// it throws.
template <class Step>
void InTransaction(Connection& connection, Step step) {
  connection.Run(kBeginImmediate);
  try {
    step();
    CheckForeignKeys(connection);
    connection.Run(kCommit);
  } catch (...) {
    connection.RollbackQuietly();
    throw;
  }
}

// The runner's view of an SQLite database (adapters/sql/migration_runner.hpp).
class SqliteMigrationSession final : public sql::MigrationSession {
 public:
  explicit SqliteMigrationSession(Connection& connection) : connection_(connection) {}

  // Under the write lock (BEGIN IMMEDIATE): a second process migrating at
  // the same time finds the work done and skips it.
  void InTransaction(const std::function<void()>& step) override {
    taskflow::InTransaction(connection_, step);
  }
  bool IsApplied(int version) override { return taskflow::IsApplied(connection_, version); }
  int CurrentVersion() override { return sqlite::CurrentSchemaVersion(connection_); }
  void Apply(int version) override {
    connection_.Exec(FindMigration(version)->up);
    auto record = connection_.Prepare(kInsertApplied);
    record->BindInt64(1, version);
    record->BindText(2, FindMigration(version)->name);
    record->BindInt64(3, NowMillis());
    record->Step();
  }
  void Revert(int version) override {
    connection_.Exec(FindMigration(version)->down);
    auto record = connection_.Prepare(kDeleteApplied);
    record->BindInt64(1, version);
    record->Step();
  }

 private:
  Connection& connection_;
};

std::vector<sql::MigrationName> KnownMigrations() {
  std::vector<sql::MigrationName> known;
  for (const Migration& m : kMigrations) known.push_back({m.version, m.name});
  return known;
}

}  // namespace

namespace sqlite {

int LatestSchemaVersion() { return std::prev(std::end(kMigrations))->version; }

int CurrentSchemaVersion(Connection& connection) {
  {
    auto exists = connection.Prepare(kMigrationsTableExists);
    exists->Step();
    if (exists->Int64(0) == 0) return 0;
  }
  auto statement = connection.Prepare(kSelectCurrentVersion);
  statement->Step();
  return static_cast<int>(statement->Int64(0));
}

}  // namespace sqlite

Result<std::vector<int>> SqliteMigrateUp(const std::string& path) {
  return sql::GuardedMigration<std::vector<int>>("migrate up", [&]() -> Result<std::vector<int>> {
    auto connection = OpenForMigration(path);
    SqliteMigrationSession session(*connection);
    return sql::ApplyPending(session, KnownMigrations());
  });
}

Result<std::vector<int>> SqliteMigrateDown(const std::string& path, int steps) {
  if (steps < 1) return Error::Invalid("steps", "must be at least 1");
  return sql::GuardedMigration<std::vector<int>>("migrate down", [&]() -> Result<std::vector<int>> {
    if (!std::filesystem::exists(path)) return std::vector<int>{};  // nothing applied
    auto connection = OpenForMigration(path);
    SqliteMigrationSession session(*connection);
    return sql::RevertNewest(session, KnownMigrations(), steps);
  });
}

Result<std::vector<MigrationState>> SqliteMigrationStatus(const std::string& path) {
  return sql::GuardedMigration<std::vector<MigrationState>>(
      "migrate status", [&]() -> Result<std::vector<MigrationState>> {
        std::vector<MigrationState> states;
        for (const Migration& m : kMigrations) {
          states.push_back({m.version, std::string(m.name), false});
        }
        // Asking for the status must not create a database.
        if (!std::filesystem::exists(path)) return states;
        auto connection = Connection::Open(ConnectionOptions{.path = path, .read_only = true});
        {
          auto exists = connection->Prepare(kMigrationsTableExists);
          exists->Step();
          if (exists->Int64(0) == 0) return states;
        }
        auto applied = connection->Prepare(kSelectApplied);
        while (applied->Step()) {
          const auto version = applied->Int64(0);
          for (MigrationState& state : states) {
            if (state.version == version) state.applied = true;
          }
        }
        return states;
      });
}

}  // namespace taskflow
