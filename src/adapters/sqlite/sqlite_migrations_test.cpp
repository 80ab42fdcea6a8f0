#include "adapters/sqlite/sqlite_migrations.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sql/migration_test_support.hpp"
#include "adapters/sqlite/sqlite_chat.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/sqlite/sqlite_events.hpp"
#include "adapters/sqlite/sqlite_store.hpp"
#include "adapters/sqlite/sqlite_test_support.hpp"
#include "adapters/sqlite/task_list_sql.hpp"

namespace taskflow {
namespace {

using ::testing::AllOf;
using testing::At;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeTask;
using testing::MakeUser;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;
using testing::TempDir;

const testing::MigrationVersions kVersions(sqlite::LatestSchemaVersion());

std::vector<int> AppliedVersions(const std::string& path) {
  auto status = SqliteMigrationStatus(path);
  EXPECT_TRUE(status.ok()) << status.error().message;
  std::vector<int> versions;
  if (!status.ok()) return versions;
  for (const MigrationState& state : *status) {
    if (state.applied) versions.push_back(state.version);
  }
  return versions;
}

// Runs one query through a plain connection (no taskflow_fold, as the sqlite3
// shell would) and returns the first column of every row as text.
std::vector<std::string> Query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      rows.emplace_back(text == nullptr ? "NULL" : reinterpret_cast<const char*>(text));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// The plan SQLite picks for `sql`, one step a line, on a connection set up
// as the store's are (taskflow_fold included).
std::vector<std::string> Plan(const std::string& path, const std::string& sql) {
  auto connection =
      sqlite::Connection::Open(sqlite::ConnectionOptions{.path = path, .read_only = true});
  auto statement = connection->Prepare("EXPLAIN QUERY PLAN " + sql);
  std::vector<std::string> steps;
  while (statement->Step()) steps.push_back(statement->Text(3));  // the step's description
  return steps;
}

std::unique_ptr<Store> OpenStore(const std::string& path) {
  // Searches go through the trigram index (rebuilt by the migrations).
  auto store = OpenSqliteStore(
      SqliteOptions{.path = path, .read_connections = 2, .search_scan_max_tasks = 0});
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(store).value() : nullptr;
}

void AddSampleData(Store& store) {
  Status status = store.Write([](StoreWriter& tx) -> Status {
    EXPECT_TRUE(tx.InsertUser(MakeUser("u1", "a@example.com"), "hash"));
    tx.InsertTask(MakeTask("t1", "u1", "Buy CAFÉ beans"));
    tx.InsertTask(MakeTask("t2", "u1", "Call mum"));
    EXPECT_TRUE(
        tx.InsertTag(Tag{.id = "g1", .user_id = "u1", .name = "Home", .color = std::nullopt}));
    tx.SetTaskTags("t1", {"g1"});
    return {};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
}

void MigrateUpWithSampleData(const std::string& path) {
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  AddSampleData(*store);
}

std::vector<std::string> SearchIds(Store& store, const std::string& folded_text) {
  std::vector<std::string> ids;
  TaskQuery query;
  query.text = folded_text;
  Status status = store.Read([&](StoreReader& tx) -> Status {
    for (const Task& task : tx.ListTasks("u1", query).tasks) ids.push_back(task.id);
    return {};
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return ids;
}

TEST(SqliteMigrationsTest, UpAppliesEveryMigrationOnce) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  auto first = SqliteMigrateUp(path);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_THAT(*first, ElementsAreArray(kVersions.From(1)));
  auto second = SqliteMigrateUp(path);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_THAT(*second, IsEmpty());

  auto status = SqliteMigrationStatus(path);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->size(), static_cast<std::size_t>(kVersions.latest()));
  EXPECT_EQ((*status)[0].version, 1);
  EXPECT_EQ((*status)[0].name, "core schema");
  EXPECT_TRUE((*status)[0].applied);
  EXPECT_EQ((*status)[1].name, "task search index");
  EXPECT_TRUE((*status)[1].applied);
  EXPECT_EQ((*status)[2].name, "time: all-day, recurrence, reminders");
  EXPECT_TRUE((*status)[2].applied);
  EXPECT_THAT(
      Query(path, "SELECT version || ' ' || name FROM schema_migrations ORDER BY 1"),
      ElementsAre("1 core schema", "2 task search index", "3 time: all-day, recurrence, reminders",
                  "4 events: outbox, consumers, activity log, webhooks",
                  "5 chat: conversations and messages",
                  "6 chat: conversations in the order of their writes",
                  "7 task list reads: covering index, packed tag names",
                  "8 task writes: the covering index replaces the sort indexes",
                  "9 activity log: a task's history indexed by task first"));
  EXPECT_THAT(Query(path, "PRAGMA journal_mode"), ElementsAre("wal"));
}

TEST(SqliteMigrationsTest, UpCreatesTheDirectoryOfTheFile) {
  TempDir dir;
  const std::string path = dir.File("nested/deeper/taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteMigrationsTest, StatusOfAMissingDatabaseCreatesNothing) {
  TempDir dir;
  const std::string path = dir.File("absent/taskflow.db");
  auto status = SqliteMigrationStatus(path);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), static_cast<std::size_t>(kVersions.latest()));
  EXPECT_FALSE((*status)[0].applied);
  EXPECT_FALSE((*status)[1].applied);
  EXPECT_FALSE((*status)[2].applied);
  EXPECT_FALSE(std::filesystem::exists(dir.File("absent")));
}

TEST(SqliteMigrationsTest, SchemaHasTheListIndexes) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  EXPECT_THAT(Query(path,
                    "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tasks' "
                    "AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name"),
              ElementsAre("tasks_previous_occurrence", "tasks_recurrence_parent",
                          "tasks_user_list"));
  EXPECT_THAT(Query(path, "SELECT sql FROM sqlite_schema WHERE name = 'tasks_fts'"),
              ElementsAre(HasSubstr("trigram case_sensitive 1")));
}

TEST(SqliteMigrationsTest, ListQueriesSearchByIndexNeverScanTasks) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  for (SortField field : {SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                          SortField::kPriority, SortField::kTitle}) {
    TaskQuery query;
    query.sort_by = field;
    query.tag_keys = {"work"};
    query.text = "abc";
    for (auto search : {sqlite::TextSearch::kIndex, sqlite::TextSearch::kScan}) {
      const auto sql = sqlite::BuildTaskListSql("u", query, search);
      // Plans do not depend on bound values (unbound parameters are NULL).
      for (const std::string* text : {&sql.page.sql, &sql.count.sql}) {
        const auto plan = Plan(path, *text);
        EXPECT_THAT(plan, Contains(StartsWith("SEARCH t USING "))) << *text;
        EXPECT_THAT(plan, Not(Contains(MatchesRegex("SCAN (t|tt|g)( .*)?")))) << *text;
        // The folded copies are looked up by rowid ("0:=" is FTS5's rowid plan).
        EXPECT_THAT(plan, Not(Contains(AllOf(StartsWith("SCAN f "), Not(HasSubstr("INDEX 0:="))))))
            << *text;
      }
    }
  }
}

TEST(SqliteMigrationsTest, DownOneAndUpAgainKeepsTheDataAndRebuildsSearch) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_NO_FATAL_FAILURE(MigrateUpWithSampleData(path));
  {
    auto store = OpenStore(path);  // closed again before the migrations
    ASSERT_NE(store, nullptr);
    EXPECT_THAT(SearchIds(*store, "café"), ElementsAre("t1"));
  }

  // Every later migration sits on top of the search index (2).
  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(2));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(2)));
  EXPECT_THAT(AppliedVersions(path), ElementsAre(1));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'tasks_fts'"),
              ElementsAre("0"));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM tasks"), ElementsAre("2"));

  auto refused = OpenSqliteStore(SqliteOptions{.path = path});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().message, kVersions.Refusal(1));

  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(2)));
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  // The index was backfilled from the rows through taskflow_fold.
  EXPECT_THAT(SearchIds(*store, "café"), ElementsAre("t1"));
  EXPECT_THAT(SearchIds(*store, "mum"), ElementsAre("t2"));
  EXPECT_THAT(SearchIds(*store, "ca"), ElementsAre("t2", "t1"));
  Status status = store->Read([](StoreReader& tx) -> Status {
    auto task = tx.FindTask("u1", "t1");
    EXPECT_TRUE(task.has_value());
    if (task) {
      EXPECT_THAT(task->tags, ElementsAre("Home"));
    }
    return {};
  });
  EXPECT_TRUE(status.ok());
}

TEST(SqliteMigrationsTest, DownAllAndUpAgainOnADatabaseWithData) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_NO_FATAL_FAILURE(MigrateUpWithSampleData(path));
  auto down = SqliteMigrateDown(path, 99);  // bounded by what is applied
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(1)));
  EXPECT_THAT(AppliedVersions(path), IsEmpty());
  EXPECT_THAT(Query(path,
                    "SELECT name FROM sqlite_schema WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"),
              ElementsAre("schema_migrations"));

  auto again = SqliteMigrateDown(path, 1);
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, IsEmpty());

  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(1)));
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  AddSampleData(*store);  // the same ids are free again
  EXPECT_THAT(SearchIds(*store, "beans"), ElementsAre("t1"));
}

// ---- migration 3 (time) ----

// Tasks of u1 at version 3 that use the time fields, written through the store.
void AddTimeData(Store& store) {
  Status status = store.Write([](StoreWriter& tx) -> Status {
    User user = MakeUser("u1", "a@example.com");
    user.date_order = DateOrder::kDayMonth;
    EXPECT_TRUE(tx.InsertUser(user, "hash"));
    Task reminded = MakeTask("t1", "u1", "Call mum");
    reminded.due_at = At(1'800'000'000'000);
    reminded.reminders = {Reminder{.id = "0190a0b0-0000-7000-8000-0000000000a1",
                                   .spec = {.before_minutes = 30, .at = std::nullopt},
                                   .remind_at = At(1'800'000'000'000 - 1'800'000)},
                          Reminder{.id = "0190a0b0-0000-7000-8000-0000000000a2",
                                   .spec = {.before_minutes = std::nullopt, .at = At(5'000)},
                                   .remind_at = At(5'000)}};
    SummarizeReminders(reminded);
    tx.InsertTask(reminded);
    Task weekly = MakeTask("t2", "u1", "Water plants");
    weekly.due_at = At(1'800'000'000'000);
    weekly.all_day = true;
    weekly.recurrence = Recurrence{.rule = RecurrenceRule::kWeekly, .interval = 2};
    weekly.series_start = weekly.due_at;
    tx.InsertTask(weekly);
    Task rrule = MakeTask("t3", "u1", "Board meeting");
    rrule.due_at = At(1'800'000'000'000);
    rrule.recurrence =
        Recurrence{.rule = RecurrenceRule::kRRule, .rrule = "FREQ=MONTHLY;BYDAY=1MO"};
    rrule.series_start = rrule.due_at;
    tx.InsertTask(rrule);
    return {};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
}

std::optional<Task> FindTask(Store& store, const std::string& id) {
  std::optional<Task> task;
  Status status = store.Read([&](StoreReader& tx) -> Status {
    task = tx.FindTask("u1", id);
    return {};
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return task;
}

TEST(SqliteMigrationsTest, TimeMigrationDownAndUpKeepsWhatVersionTwoCanHold) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  {
    auto store = OpenStore(path);
    ASSERT_NE(store, nullptr);
    AddTimeData(*store);
  }

  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(3));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(3)));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'task_reminders'"),
              ElementsAre("0"));
  EXPECT_THAT(Query(path,
                    "SELECT count(*) FROM pragma_table_info('tasks') "
                    "WHERE name IN ('all_day', 'rrule', 'previous_occurrence_id')"),
              ElementsAre("0"));
  EXPECT_THAT(Query(path,
                    "SELECT count(*) FROM pragma_table_info('users') "
                    "WHERE name = 'date_order'"),
              ElementsAre("0"));
  // The shorthand columns already held what version 2 shows; an RRULE has no
  // version-2 column, so that task stops recurring.
  EXPECT_THAT(Query(path,
                    "SELECT id || ' ' || ifnull(remind_before_minutes, '-') || ' ' || "
                    "ifnull(recurrence_rule, '-') FROM tasks ORDER BY id"),
              ElementsAre("t1 30 -", "t2 - weekly", "t3 - -"));

  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(3)));
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  // The shorthand became one planned relative reminder again.
  const std::optional<Task> reminded = FindTask(*store, "t1");
  ASSERT_TRUE(reminded.has_value());
  ASSERT_EQ(reminded->reminders.size(), 1u);
  EXPECT_EQ(reminded->reminders[0].spec.before_minutes, 30);
  EXPECT_EQ(reminded->reminders[0].remind_at, At(1'800'000'000'000 - 1'800'000));
  EXPECT_EQ(reminded->reminders[0].sent_at, std::nullopt);
  EXPECT_THAT(reminded->reminders[0].id,
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_EQ(reminded->remind_before_minutes, 30);
  const std::optional<Task> weekly = FindTask(*store, "t2");
  ASSERT_TRUE(weekly.has_value());
  ASSERT_TRUE(weekly->recurrence.has_value());
  EXPECT_EQ(weekly->recurrence->rule, RecurrenceRule::kWeekly);
  EXPECT_FALSE(weekly->all_day);
  EXPECT_EQ(FindTask(*store, "t3")->recurrence, std::nullopt);
  Status status = store->Read([](StoreReader& tx) -> Status {
    EXPECT_EQ(tx.FindUser("u1")->date_order, DateOrder::kMonthDay) << "back to the default";
    return {};
  });
  EXPECT_TRUE(status.ok());
}

TEST(SqliteMigrationsTest, TimeMigrationTurnsRemindersOfVersionTwoIntoRows) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  ASSERT_TRUE(SqliteMigrateDown(path, kVersions.StepsToRevert(3)).ok());  // to version 2
  {
    // Rows as version 2 wrote them: pending, sent, completed unsent, undated.
    auto connection = sqlite::Connection::Open(sqlite::ConnectionOptions{.path = path});
    connection->Exec(R"sql(
      INSERT INTO users (id, name, created_at, updated_at) VALUES ('u1', '', 0, 0);
      INSERT INTO tasks (id, user_id, title, title_key, status, due_at, remind_before_minutes,
                         reminder_sent, created_at, updated_at) VALUES
        ('p', 'u1', 'p', 'p', 'pending', 3600000, 10, 0, 0, 7),
        ('s', 'u1', 's', 's', 'pending', 3600000, 10, 1, 0, 7),
        ('c', 'u1', 'c', 'c', 'completed', 3600000, 10, 0, 0, 7),
        ('n', 'u1', 'n', 'n', 'pending', NULL, 10, 0, 0, 7),
        ('x', 'u1', 'x', 'x', 'pending', 3600000, NULL, 0, 0, 7);
    )sql");
  }
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  EXPECT_THAT(Query(path,
                    "SELECT task_id || ' ' || position || ' ' || before_minutes || ' ' || "
                    "ifnull(remind_at, '-') || ' ' || ifnull(sent_at, '-') "
                    "FROM task_reminders ORDER BY task_id"),
              ElementsAre("c 0 10 - -", "n 0 10 - -", "p 0 10 3000000 -", "s 0 10 3000000 7"));
  EXPECT_THAT(Query(path, "SELECT id || ' ' || reminder_count FROM tasks ORDER BY id"),
              ElementsAre("c 1", "n 1", "p 1", "s 1", "x 0"));
}

TEST(SqliteMigrationsTest, WhatFiresNextIsAnIndexRangeNotAScan) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  // The notification service's query: reminders due up to now, oldest first.
  const auto plan = Plan(path,
                         "SELECT task_id, id, remind_at FROM task_reminders "
                         "WHERE sent_at IS NULL AND remind_at IS NOT NULL AND remind_at <= ? "
                         "ORDER BY remind_at LIMIT 100");
  EXPECT_THAT(plan,
              ElementsAre(StartsWith("SEARCH task_reminders USING INDEX "
                                     "task_reminders_pending (remind_at>? AND remind_at<?)")));
}

TEST(SqliteMigrationsTest, ListRowsLoadTheirRemindersByPrimaryKey) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  const std::vector<std::string> plan = Plan(path, sqlite::TaskRowSql());
  EXPECT_THAT(plan, Contains(StartsWith("SEARCH t USING INTEGER PRIMARY KEY (rowid=?)")));
  EXPECT_THAT(plan, Contains(StartsWith("SEARCH r USING PRIMARY KEY (task_id=?)")));
  EXPECT_THAT(plan, Not(Contains(StartsWith("SCAN r"))));
}

TEST(SqliteMigrationsTest, DownNeedsAPositiveStepCount) {
  TempDir dir;
  auto down = SqliteMigrateDown(dir.File("taskflow.db"), 0);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(down.error().fields.size(), 1u);
  EXPECT_EQ(down.error().fields[0].field, "steps");
}

TEST(SqliteMigrationsTest, DownOnAMissingDatabaseRevertsNothing) {
  TempDir dir;
  auto down = SqliteMigrateDown(dir.File("taskflow.db"), 1);
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, IsEmpty());
}

// Replicas starting at once on a new file: each must either apply a migration
// or see it applied, never fail. Opening a new file races on switching it to
// WAL, which SQLite refuses at once (no busy handler) to one of two
// connections; rare per round, hence the many rounds on fresh files.
TEST(SqliteMigrationsTest, ConcurrentUpsApplyEachMigrationOnce) {
  constexpr int kRounds = 60;
  TempDir dir;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = dir.File("taskflow-" + std::to_string(round) + ".db");
    std::vector<std::vector<int>> applied(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < applied.size(); ++i) {
      threads.emplace_back([&, i] {
        auto result = SqliteMigrateUp(path);
        EXPECT_TRUE(result.ok()) << "round " << round << ": " << result.error().message;
        if (result.ok()) applied[i] = *result;
      });
    }
    for (std::thread& thread : threads) thread.join();
    std::vector<int> all;
    for (const auto& versions : applied) all.insert(all.end(), versions.begin(), versions.end());
    std::sort(all.begin(), all.end());
    ASSERT_THAT(all, ElementsAreArray(kVersions.From(1))) << "round " << round;
    ASSERT_THAT(AppliedVersions(path), ElementsAreArray(kVersions.From(1))) << "round " << round;
  }
}

TEST(SqliteMigrationsTest, StoreRefusesAnUnmigratedDatabase) {
  TempDir dir;
  const std::string path = dir.File("data/taskflow.db");
  auto store = OpenSqliteStore(SqliteOptions{.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().message, kVersions.Refusal(0));
  EXPECT_TRUE(std::filesystem::exists(dir.File("data")));  // the directory was created
}

// ---- migration 4 (events) ----

TEST(SqliteMigrationsTest, EventsMigrationDownDropsItsTablesAndUpRestoresThem) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  const std::string tables =
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('outbox', "
      "'consumer_offsets', 'processed_events', 'dead_letters', 'activity_log', 'webhooks', "
      "'relay_leases') "
      "ORDER BY name";
  EXPECT_THAT(Query(path, tables),
              ElementsAre("activity_log", "consumer_offsets", "dead_letters", "outbox",
                          "processed_events", "relay_leases", "webhooks"));
  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(4));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(4)));
  EXPECT_THAT(Query(path, tables), IsEmpty());
  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(4)));
  EXPECT_EQ(Query(path, tables).size(), 7u);
  EXPECT_THAT(Query(path,
                    "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = "
                    "'outbox' AND sql IS NOT NULL ORDER BY name"),
              ElementsAre("outbox_topic", "outbox_unpublished"));
}

// ---- migration 5 (chat) ----

TEST(SqliteMigrationsTest, ChatMigrationDownDropsItsTablesAndUpRestoresThem) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  const std::string tables =
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('conversations', "
      "'chat_messages') ORDER BY name";
  EXPECT_THAT(Query(path, tables), ElementsAre("chat_messages", "conversations"));
  {
    auto connection = sqlite::Connection::Open(sqlite::ConnectionOptions{.path = path});
    connection->Exec(R"sql(
      INSERT INTO users (id, name, created_at, updated_at) VALUES ('u1', '', 0, 0);
      INSERT INTO conversations (id, user_id, title, created_at, updated_at)
        VALUES ('c1', 'u1', 'hello', 0, 0);
      INSERT INTO chat_messages (id, conversation_id, user_id, role, content, created_at)
        VALUES ('m1', 'c1', 'u1', 'user', 'hello', 0);
    )sql");
  }
  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(5));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(5)));
  EXPECT_THAT(Query(path, tables), IsEmpty());
  EXPECT_THAT(Query(path, "SELECT count(*) FROM users"), ElementsAre("1")) << "users stay";
  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(5)));
  EXPECT_THAT(Query(path, tables), ElementsAre("chat_messages", "conversations"));
  EXPECT_THAT(Query(path,
                    "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN "
                    "('conversations', 'chat_messages') AND sql IS NOT NULL ORDER BY name"),
              ElementsAre("chat_messages_conversation", "conversations_user_activity"));
}

// ---- migration 6 (conversations in the order of their writes) ----

// Two conversations of u1: c1 with two messages, c2 with none, written as
// version 5 would have.
void AddVersionFiveConversations(const std::string& path) {
  auto connection = sqlite::Connection::Open(sqlite::ConnectionOptions{.path = path});
  connection->Exec(R"sql(
    INSERT INTO users (id, name, created_at, updated_at) VALUES ('u1', '', 0, 0);
    INSERT INTO conversations (id, user_id, title, created_at, updated_at)
      VALUES ('c1', 'u1', 'one', 0, 7), ('c2', 'u1', 'two', 0, 7);
    INSERT INTO chat_messages (seq, id, conversation_id, user_id, role, content, created_at)
      VALUES (4, 'm1', 'c1', 'u1', 'user', 'hi', 7), (5, 'm2', 'c1', 'u1', 'assistant', 'hello', 7);
  )sql");
}

TEST(SqliteMigrationsTest, ChatOrderMigrationBackfillsAndDownUpKeepsTheData) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  ASSERT_TRUE(SqliteMigrateDown(path, kVersions.StepsToRevert(6)).ok());
  AddVersionFiveConversations(path);
  const std::string indexes =
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'conversations' "
      "AND sql IS NOT NULL ORDER BY name";
  const std::string order = "SELECT id || ' ' || last_message_seq FROM conversations ORDER BY id";

  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(6)));
  EXPECT_THAT(Query(path, order), ElementsAre("c1 5", "c2 0")) << "the newest message's seq";
  EXPECT_THAT(Query(path, indexes), ElementsAre("conversations_user_activity"));

  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(6));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(6)));
  EXPECT_THAT(Query(path,
                    "SELECT count(*) FROM pragma_table_info('conversations') "
                    "WHERE name = 'last_message_seq'"),
              ElementsAre("0"));
  EXPECT_THAT(Query(path, indexes), ElementsAre("conversations_user_updated"));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM conversations"), ElementsAre("2"));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM chat_messages"), ElementsAre("2"));

  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  EXPECT_THAT(Query(path, order), ElementsAre("c1 5", "c2 0"));
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  Status status = store->Read([](StoreReader& tx) -> Status {
    const ConversationPage page = tx.ListConversations("u1", ConversationQuery{});
    EXPECT_EQ(page.total, 2);
    EXPECT_EQ(page.conversations.size(), 2u);
    if (page.conversations.size() == 2) {
      EXPECT_EQ(page.conversations[0].id, "c1") << "same updated_at: the one with messages";
    }
    return {};
  });
  EXPECT_TRUE(status.ok());
}

TEST(SqliteMigrationsTest, ConversationListIsOneIndexRangeOfTheOwner) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  // In the index's order: no sort step, and other users' rows are not read.
  EXPECT_THAT(Plan(path, std::string(sqlite::kListConversationsSql)),
              ElementsAre("SEARCH conversations USING INDEX conversations_user_activity "
                          "(user_id=?)"));
}

// ---- migration 7 (task list reads) ----

TEST(SqliteMigrationsTest, ListReadsMigrationPacksExistingTagsAndDownUpKeepsThem) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  ASSERT_TRUE(SqliteMigrateDown(path, kVersions.StepsToRevert(7)).ok());
  // As version 6 wrote them: t1 with two tags, t2 with none.
  sqlite::Connection::Open(sqlite::ConnectionOptions{.path = path})->Exec(R"sql(
    INSERT INTO users (id, name, created_at, updated_at) VALUES ('u1', '', 0, 0);
    INSERT INTO tasks (id, user_id, title, title_key, created_at, updated_at)
      VALUES ('t1', 'u1', 'One', 'one', 0, 0), ('t2', 'u1', 'Two', 'two', 0, 0);
    INSERT INTO tags (id, user_id, name, name_key, created_at)
      VALUES ('g1', 'u1', 'Work', 'work', 0), ('g2', 'u1', 'Home', 'home', 0);
    INSERT INTO task_tags (task_id, tag_id) VALUES ('t1', 'g1'), ('t1', 'g2');
  )sql");
  const std::string indexes =
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tasks' "
      "AND name IN ('tasks_user_list', 'tasks_user_status')";
  const auto tags_of = [&](const std::string& task_id) {
    std::vector<std::string> tags;
    auto store = OpenStore(path);
    EXPECT_NE(store, nullptr);
    if (store == nullptr) return tags;
    const Status status = store->Read([&](StoreReader& tx) -> Status {
      if (auto task = tx.FindTask("u1", task_id)) tags = task->tags;
      return {};
    });
    EXPECT_TRUE(status.ok());
    return tags;
  };

  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(7)));
  EXPECT_THAT(Query(path, indexes), ElementsAre("tasks_user_list"));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM tasks WHERE tag_names IS NULL"), ElementsAre("1"));
  EXPECT_THAT(tags_of("t1"), ElementsAre("Home", "Work"));
  EXPECT_THAT(tags_of("t2"), IsEmpty());

  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(7));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(7)));
  EXPECT_THAT(Query(path, indexes), ElementsAre("tasks_user_status"));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM pragma_table_info('tasks') WHERE name = 'tag_names'"),
              ElementsAre("0"));
  EXPECT_THAT(Query(path, "SELECT count(*) FROM task_tags"), ElementsAre("2"));

  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  EXPECT_THAT(tags_of("t1"), ElementsAre("Home", "Work"));
}

TEST(SqliteMigrationsTest, TaskListFindsAndCountsItsRowsFromTheCoveringIndex) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  // The filters and sort of a typical page: the rows are picked and counted
  // without reading the table.
  TaskQuery query;
  query.status = TaskStatus::kPending;
  query.priorities = {Priority::kP1, Priority::kP2};
  for (SortField field : {SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                          SortField::kPriority, SortField::kTitle}) {
    query.sort_by = field;
    const sqlite::TaskListSql sql = sqlite::BuildTaskListSql("u1", query);
    // Index-only: the rows are read afterwards, by seq, when not cached.
    EXPECT_THAT(Plan(path, sql.page.sql),
                Contains(StartsWith("SEARCH t USING COVERING INDEX tasks_user_list")))
        << sql.page.sql;
    EXPECT_THAT(Plan(path, sql.page.sql),
                Not(Contains(AllOf(StartsWith("SEARCH t USING"), Not(HasSubstr("COVERING"))))))
        << sql.page.sql;
    EXPECT_THAT(Plan(path, sql.count.sql),
                ElementsAre(HasSubstr("USING COVERING INDEX tasks_user_list")));
  }
}

// ---- migration 8 (task writes) ----

TEST(SqliteMigrationsTest, LeanIndexesMigrationDropsTheSortIndexesAndDownRestoresThem) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_NO_FATAL_FAILURE(MigrateUpWithSampleData(path));
  const std::string indexes =
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tasks' "
      "AND name LIKE 'tasks_user_%' ORDER BY name";
  const std::string list_index = "SELECT sql FROM sqlite_schema WHERE name = 'tasks_user_list'";
  EXPECT_THAT(Query(path, indexes), ElementsAre("tasks_user_list"));
  EXPECT_THAT(Query(path, list_index), ElementsAre(HasSubstr("title_key, id, version)")));

  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(8));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(8)));
  EXPECT_THAT(Query(path, indexes),
              ElementsAre("tasks_user_created", "tasks_user_due", "tasks_user_list",
                          "tasks_user_priority", "tasks_user_title", "tasks_user_updated"));
  EXPECT_THAT(Query(path, list_index), ElementsAre(Not(HasSubstr("title_key"))));

  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(8)));
  EXPECT_THAT(Query(path, indexes), ElementsAre("tasks_user_list"));
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(SearchIds(*store, "café"), ElementsAre("t1")) << "the tasks are all there";
}

// ---- migration 9 (activity log by task) ----

TEST(SqliteMigrationsTest, ActivityByTaskMigrationSwapsTheIndexAndDownRestoresIt) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_NO_FATAL_FAILURE(MigrateUpWithSampleData(path));
  const std::string indexes =
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'activity_log' "
      "AND name LIKE 'activity_log_%' ORDER BY name";
  EXPECT_THAT(Query(path, indexes), ElementsAre("activity_log_task", "activity_log_user"));

  auto down = SqliteMigrateDown(path, kVersions.StepsToRevert(9));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(9)));
  EXPECT_THAT(Query(path, indexes), ElementsAre("activity_log_user", "activity_log_user_task"));

  auto up = SqliteMigrateUp(path);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(9)));
  EXPECT_THAT(Query(path, indexes), ElementsAre("activity_log_task", "activity_log_user"));
}

TEST(SqliteMigrationsTest, ActivityIsOneIndexRangeOfTheUserOrOfTheTask) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  // In the index's order (no sort step), and no other user's entries read.
  EXPECT_THAT(Plan(path, std::string(sqlite::kListActivitySql)),
              ElementsAre("SEARCH activity_log USING INDEX activity_log_user (user_id=?)"));
  EXPECT_THAT(Plan(path, std::string(sqlite::kListTaskActivitySql)),
              ElementsAre("SEARCH activity_log USING INDEX activity_log_task (task_id=? AND "
                          "user_id=?)"));
  EXPECT_THAT(
      Plan(path, std::string(sqlite::kCountActivitySql)),
      ElementsAre("SEARCH activity_log USING COVERING INDEX activity_log_user (user_id=?)"));
  EXPECT_THAT(Plan(path, std::string(sqlite::kCountTaskActivitySql)),
              ElementsAre("SEARCH activity_log USING COVERING INDEX activity_log_task (task_id=? "
                          "AND user_id=?)"));
}

}  // namespace
}  // namespace taskflow
