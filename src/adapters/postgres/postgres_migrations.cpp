#include "adapters/postgres/postgres_migrations.hpp"

#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/postgres/postgres_connection.hpp"
#include "adapters/sql/migration_runner.hpp"
#include "domain/text.hpp"

namespace taskflow {
namespace {

using postgres::Connection;
using postgres::Rows;

// A schema step and its inverse: `up`, then `backfill` (work SQL cannot do,
// such as Unicode case folding), then `up_after`.
struct Migration {
  int version;
  std::string_view name;
  const char* up;
  void (*backfill)(Connection&);
  const char* up_after;
  const char* down;
};

// Same tables, columns and indexes as the SQLite schema (migration 1 of
// sqlite_migrations.cpp), in PostgreSQL's types: instants are timestamptz,
// priorities smallint 1..4 (NULL for none), booleans boolean. *_key columns
// hold FoldCase of their text, computed by the application, for
// case-insensitive uniqueness, sorting and search. Ids and keys are
// COLLATE "C": code point order, whatever the database's collation, so
// sorting agrees with SQLite and the indexes compare bytes. Ids are text, not
// uuid: user ids come from foreign tokens and may be any string.
constexpr const char* kCoreSchemaUp = R"sql(
CREATE TABLE users (
  id text COLLATE "C" PRIMARY KEY,
  email text COLLATE "C" UNIQUE,
  name text NOT NULL DEFAULT '',
  password_hash text,
  timezone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE tasks (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL,
  title_key text COLLATE "C" NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
  priority smallint CHECK (priority BETWEEN 1 AND 4),
  due_at timestamptz,
  timezone text NOT NULL DEFAULT 'UTC',
  recurrence_rule text,
  cron_expression text,
  remind_before_minutes integer CHECK (remind_before_minutes >= 0),
  reminder_sent boolean NOT NULL DEFAULT false,
  recurrence_parent_id text COLLATE "C" REFERENCES tasks (id) ON DELETE SET NULL,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz
);
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
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  name_key text COLLATE "C" NOT NULL,
  color text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, name_key)
);

CREATE TABLE task_tags (
  task_id text COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  tag_id text COLLATE "C" NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (task_id, tag_id)
);
CREATE INDEX task_tags_tag ON task_tags (tag_id);
)sql";

constexpr const char* kCoreSchemaDown = R"sql(
DROP TABLE task_tags;
DROP TABLE tags;
DROP TABLE tasks;
DROP TABLE users;
)sql";

// Case-insensitive substring search: a pg_trgm GIN index over the folded
// title (title_key, from migration 1) and a folded copy of the description,
// which LIKE '%…%' on the folded query uses. The copy is filled in C++ with
// FoldCase (the rule of SQLite's index; PostgreSQL's lower() is not full
// case folding), before the index is built so that it is built once.
constexpr const char* kSearchIndexUp = R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE tasks ADD COLUMN description_key text COLLATE "C" NOT NULL DEFAULT '';
)sql";

constexpr const char* kSearchIndexUpAfter = R"sql(
CREATE INDEX tasks_search ON tasks
  USING gin (title_key gin_trgm_ops, description_key gin_trgm_ops);
)sql";

// The extension stays: other schemas of the database may use it, and
// dropping it may need rights the application's role lacks.
constexpr const char* kSearchIndexDown = R"sql(
DROP INDEX tasks_search;
ALTER TABLE tasks DROP COLUMN description_key;
)sql";

// Time (issue 3), as SQLite's migration 3: all-day dates, the rest of a
// recurrence, series bookkeeping, the quick-add date order of a user, and
// reminders in their own table. tasks.recurrence_rule ('daily' … 'rrule') and
// cron_expression come from migration 1; remind_before_minutes and
// reminder_sent stay as the stored summary of the reminders.
//
// previous_occurrence_id is unique: one next occurrence per task, decided by
// the index (INSERT … ON CONFLICT DO NOTHING), across replicas too. No
// foreign key, as in SQLite: a dangling id is harmless.
//
// task_reminders is keyed by (task_id, position): a task's reminders are one
// index range. The partial index on remind_at holds only reminders still to
// fire, so "what fires next" is O(log n) for the notification service.
//
// tasks.reminder_count (kept by the store, as in SQLite) lets list rows
// without reminders skip their probe of task_reminders.
//
// Existing remind_before_minutes values become one relative reminder each,
// planned from the due date unless the task is completed and it was not sent.
constexpr const char* kTimeSchemaUp = R"sql(
ALTER TABLE users ADD COLUMN date_order text NOT NULL DEFAULT 'MDY'
  CHECK (date_order IN ('MDY', 'DMY'));

ALTER TABLE tasks ADD COLUMN all_day boolean NOT NULL DEFAULT false;
ALTER TABLE tasks ADD COLUMN recurrence_interval integer CHECK (recurrence_interval >= 1);
ALTER TABLE tasks ADD COLUMN rrule text;
ALTER TABLE tasks ADD COLUMN recurrence_anchor text
  CHECK (recurrence_anchor IN ('due', 'completion'));
ALTER TABLE tasks ADD COLUMN recurrence_until timestamptz;
ALTER TABLE tasks ADD COLUMN recurrence_count integer CHECK (recurrence_count >= 1);
ALTER TABLE tasks ADD COLUMN series_start timestamptz;
ALTER TABLE tasks ADD COLUMN occurrence_index integer NOT NULL DEFAULT 1
  CHECK (occurrence_index >= 1);
ALTER TABLE tasks ADD COLUMN previous_occurrence_id text COLLATE "C";
ALTER TABLE tasks ADD COLUMN reminder_count integer NOT NULL DEFAULT 0
  CHECK (reminder_count >= 0);
CREATE UNIQUE INDEX tasks_previous_occurrence ON tasks (previous_occurrence_id);

CREATE TABLE task_reminders (
  task_id text COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  id text COLLATE "C" NOT NULL UNIQUE,
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  before_minutes integer CHECK (before_minutes BETWEEN 0 AND 525600),
  at timestamptz,
  remind_at timestamptz,
  sent_at timestamptz,
  CHECK ((before_minutes IS NULL) <> (at IS NULL)),
  PRIMARY KEY (task_id, position)
);
CREATE INDEX task_reminders_pending ON task_reminders (remind_at)
  WHERE sent_at IS NULL AND remind_at IS NOT NULL;
-- Deleting a user cascades here: without this index, a scan per user.
CREATE INDEX task_reminders_user ON task_reminders (user_id);

INSERT INTO task_reminders
  (task_id, position, id, user_id, before_minutes, at, remind_at, sent_at)
SELECT t.id, 0, gen_random_uuid()::text, t.user_id, t.remind_before_minutes, NULL,
  CASE WHEN t.due_at IS NOT NULL AND (t.status = 'pending' OR t.reminder_sent)
       THEN t.due_at - t.remind_before_minutes * interval '1 minute' END,
  CASE WHEN t.reminder_sent THEN t.updated_at END
FROM tasks t WHERE t.remind_before_minutes IS NOT NULL;
UPDATE tasks SET reminder_count = 1 WHERE remind_before_minutes IS NOT NULL;
)sql";

// Back to version 2: the shorthand columns already hold what version 2 can
// show. An RRULE has no version-2 column, so such a task stops recurring.
constexpr const char* kTimeSchemaDown = R"sql(
DROP TABLE task_reminders;
UPDATE tasks SET recurrence_rule = NULL WHERE recurrence_rule = 'rrule';
DROP INDEX tasks_previous_occurrence;
ALTER TABLE tasks DROP COLUMN previous_occurrence_id, DROP COLUMN occurrence_index,
  DROP COLUMN series_start, DROP COLUMN recurrence_count, DROP COLUMN recurrence_until,
  DROP COLUMN recurrence_anchor, DROP COLUMN rrule, DROP COLUMN recurrence_interval,
  DROP COLUMN all_day, DROP COLUMN reminder_count;
ALTER TABLE users DROP COLUMN date_order;
)sql";

// Version 4, the event tables (same meaning as SQLite's migration 4).
constexpr const char* kEventsSchemaUp = R"sql(
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  message_key text NOT NULL,
  event_id text COLLATE "C" NOT NULL UNIQUE,
  payload text NOT NULL,
  created_at timestamptz NOT NULL,
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_topic ON outbox (topic, id);

CREATE TABLE consumer_offsets (
  consumer text NOT NULL,
  topic text NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (consumer, topic)
);

CREATE TABLE processed_events (
  consumer text NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  processed_at timestamptz NOT NULL,
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer text NOT NULL,
  topic text NOT NULL,
  message_key text NOT NULL,
  event_id text NOT NULL,
  payload text NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE activity_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text COLLATE "C" NOT NULL UNIQUE,
  user_id text COLLATE "C" NOT NULL,
  task_id text COLLATE "C" NOT NULL,
  event_type text NOT NULL,
  task_data text NOT NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX activity_log_user ON activity_log (user_id, id);
CREATE INDEX activity_log_user_task ON activity_log (user_id, task_id, id);

CREATE TABLE webhooks (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  url text NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX webhooks_user ON webhooks (user_id);

-- One relay publishes at a time per database: the holder of this lease.
CREATE TABLE relay_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
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

// Conversations of the chat endpoint and their messages (as SQLite's
// migration 5). seq keeps the order of messages written in one transaction.
constexpr const char* kChatSchemaUp = R"sql(
CREATE TABLE conversations (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX conversations_user_updated ON conversations (user_id, updated_at, id);

CREATE TABLE chat_messages (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text COLLATE "C" NOT NULL UNIQUE,
  conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  user_id text COLLATE "C" NOT NULL,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL,
  actions text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL
);
CREATE INDEX chat_messages_conversation ON chat_messages (conversation_id, seq);
)sql";

constexpr const char* kChatSchemaDown = R"sql(
DROP TABLE chat_messages;
DROP TABLE conversations;
)sql";

// Version 6 (as SQLite's migration 6): conversations active in the same
// millisecond are listed in the order of their writes. last_message_seq is
// the seq of the conversation's newest message (0 for none), set by the store
// with each message; seq comes from one sequence, so it grows with every
// message.
constexpr const char* kChatOrderUp = R"sql(
ALTER TABLE conversations ADD COLUMN last_message_seq bigint NOT NULL DEFAULT 0;
UPDATE conversations c SET last_message_seq = m.seq
  FROM (SELECT conversation_id, max(seq) AS seq FROM chat_messages GROUP BY conversation_id) m
  WHERE m.conversation_id = c.id;
DROP INDEX conversations_user_updated;
CREATE INDEX conversations_user_activity
  ON conversations (user_id, updated_at, last_message_seq, id);
)sql";

constexpr const char* kChatOrderDown = R"sql(
DROP INDEX conversations_user_activity;
CREATE INDEX conversations_user_updated ON conversations (user_id, updated_at, id);
ALTER TABLE conversations DROP COLUMN last_message_seq;
)sql";

// The task list's reads (SQLite's migration 7): a covering index on the
// filter and sort columns, so the list finds and counts a page's rows by an
// index-only scan; it replaces tasks_user_status, its prefix. SQLite's packed
// tasks.tag_names has no counterpart here: this adapter reads tags by a join.
constexpr const char* kListReadsUp = R"sql(
CREATE INDEX tasks_user_list ON tasks (user_id, status, priority, due_at, created_at, updated_at, id);
DROP INDEX tasks_user_status;
)sql";

constexpr const char* kListReadsDown = R"sql(
CREATE INDEX tasks_user_status ON tasks (user_id, status);
DROP INDEX tasks_user_list;
)sql";

constexpr std::string_view kSelectDescriptions =
    "SELECT id, description FROM tasks WHERE description <> '' AND id > $1 ORDER BY id LIMIT 500";
constexpr std::string_view kUpdateDescriptionKeys =
    "UPDATE tasks t SET description_key = k.key "
    "FROM unnest($1::text[], $2::text[]) AS k(id, key) WHERE t.id = k.id";

// Batches keep memory bounded on large tables (descriptions reach 10,000
// characters).
void BackfillDescriptionKeys(Connection& db) {
  std::string after;  // keyset paging: ids are unique
  while (true) {
    Rows rows = db.Exec(kSelectDescriptions, {after});
    if (rows.empty()) break;
    std::vector<std::string> ids;
    std::vector<std::string> keys;
    for (int r = 0; r < rows.size(); ++r) {
      ids.push_back(rows.Text(r, 0));
      keys.push_back(FoldCase(rows.TextView(r, 1)));
    }
    after = ids.back();
    db.Exec(kUpdateDescriptionKeys, {postgres::ArrayLiteral(ids), postgres::ArrayLiteral(keys)});
  }
}

constexpr Migration kMigrations[] = {
    {1, "core schema", kCoreSchemaUp, nullptr, nullptr, kCoreSchemaDown},
    {2, "task search index", kSearchIndexUp, &BackfillDescriptionKeys, kSearchIndexUpAfter,
     kSearchIndexDown},
    {3, "time: all-day, recurrence, reminders", kTimeSchemaUp, nullptr, nullptr, kTimeSchemaDown},
    {4, "events: outbox, consumers, activity log, webhooks", kEventsSchemaUp, nullptr, nullptr,
     kEventsSchemaDown},
    {5, "chat: conversations and messages", kChatSchemaUp, nullptr, nullptr, kChatSchemaDown},
    {6, "chat: conversations in the order of their writes", kChatOrderUp, nullptr, nullptr,
     kChatOrderDown},
    {7, "task list reads: covering index", kListReadsUp, nullptr, nullptr, kListReadsDown},
};

constexpr const char* kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
)sql";
// Resolved through search_path, as every other table name here.
constexpr std::string_view kMigrationsTableExists =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";
constexpr std::string_view kSelectCurrentVersion =
    "SELECT coalesce(max(version), 0) FROM schema_migrations";
constexpr std::string_view kSelectApplied = "SELECT version FROM schema_migrations";
constexpr std::string_view kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";
constexpr std::string_view kDeleteApplied = "DELETE FROM schema_migrations WHERE version = $1";
constexpr std::string_view kLock = "SELECT pg_advisory_lock($1)";
constexpr std::string_view kUnlock = "SELECT pg_advisory_unlock($1)";

const Migration* FindMigration(int version) {
  for (const Migration& m : kMigrations) {
    if (m.version == version) return &m;
  }
  return nullptr;
}

// Holds the migration lock for a scope. Waits while another process holds
// it. The server also releases it when the connection ends, so a crashed
// migrator never blocks the others.
class MigrationLock {
 public:
  explicit MigrationLock(Connection& db) : db_(db) {
    db_.Exec(kLock, {std::to_string(kMigrationLockKey)});
  }
  ~MigrationLock() {
    try {
      if (!db_.broken()) db_.Exec(kUnlock, {std::to_string(kMigrationLockKey)});
    } catch (...) {  // released with the connection anyway
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Connection& db_;
};

bool IsApplied(Connection& db, int version) {
  return !db.Exec(kIsApplied, {std::to_string(version)}).empty();
}

// Runs `step` inside one transaction; rolled back if it throws.
template <class Step>
void InTransaction(Connection& db, Step step) {
  db.Run("BEGIN");
  try {
    step();
    db.Run("COMMIT");
  } catch (...) {
    db.RollbackQuietly();
    throw;
  }
}

// The runner's view of a PostgreSQL database (adapters/sql/migration_runner.hpp),
// used while the migration lock is held.
class PostgresMigrationSession final : public sql::MigrationSession {
 public:
  explicit PostgresMigrationSession(Connection& db) : db_(db) {}

  void InTransaction(const std::function<void()>& step) override {
    taskflow::InTransaction(db_, step);
  }
  bool IsApplied(int version) override { return taskflow::IsApplied(db_, version); }
  int CurrentVersion() override { return postgres::CurrentSchemaVersion(db_); }
  void Apply(int version) override {
    const Migration& migration = *FindMigration(version);
    db_.Run(migration.up);
    if (migration.backfill != nullptr) migration.backfill(db_);
    if (migration.up_after != nullptr) db_.Run(migration.up_after);
    db_.Exec(kInsertApplied, {std::to_string(version), std::string(migration.name)});
  }
  void Revert(int version) override {
    db_.Run(FindMigration(version)->down);
    db_.Exec(kDeleteApplied, {std::to_string(version)});
  }

 private:
  Connection& db_;
};

std::vector<sql::MigrationName> KnownMigrations() {
  std::vector<sql::MigrationName> known;
  for (const Migration& m : kMigrations) known.push_back({m.version, m.name});
  return known;
}

}  // namespace

namespace postgres {

int LatestSchemaVersion() { return std::prev(std::end(kMigrations))->version; }

int CurrentSchemaVersion(Connection& connection) {
  if (!connection.Exec(kMigrationsTableExists).Bool(0, 0)) return 0;
  return static_cast<int>(connection.Exec(kSelectCurrentVersion).Int64(0, 0));
}

}  // namespace postgres

Result<std::vector<int>> PostgresMigrateUp(const std::string& url) {
  return sql::GuardedMigration<std::vector<int>>("migrate up", [&]() -> Result<std::vector<int>> {
    auto db = Connection::Open(url);
    MigrationLock lock(*db);
    db->Run(kCreateMigrationsTable);
    PostgresMigrationSession session(*db);
    return sql::ApplyPending(session, KnownMigrations());
  });
}

Result<std::vector<int>> PostgresMigrateDown(const std::string& url, int steps) {
  if (steps < 1) return Error::Invalid("steps", "must be at least 1");
  return sql::GuardedMigration<std::vector<int>>("migrate down", [&]() -> Result<std::vector<int>> {
    auto db = Connection::Open(url);
    MigrationLock lock(*db);
    PostgresMigrationSession session(*db);
    return sql::RevertNewest(session, KnownMigrations(), steps);
  });
}

Result<std::vector<MigrationState>> PostgresMigrationStatus(const std::string& url) {
  return sql::GuardedMigration<std::vector<MigrationState>>(
      "migrate status", [&]() -> Result<std::vector<MigrationState>> {
        std::vector<MigrationState> states;
        for (const Migration& m : kMigrations) {
          states.push_back({m.version, std::string(m.name), false});
        }
        auto db = Connection::Open(url);
        if (!db->Exec(kMigrationsTableExists).Bool(0, 0)) return states;
        Rows applied = db->Exec(kSelectApplied);
        for (int r = 0; r < applied.size(); ++r) {
          const std::int64_t version = applied.Int64(r, 0);
          for (MigrationState& state : states) {
            if (state.version == version) state.applied = true;
          }
        }
        return states;
      });
}

}  // namespace taskflow
