#include "adapters/postgres/postgres_migrations.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "adapters/postgres/postgres_chat.hpp"
#include "adapters/sql/migration_test_support.hpp"
#include "adapters/postgres/postgres_store.hpp"
#include "adapters/postgres/postgres_test_support.hpp"
#include "adapters/postgres/task_list_sql.hpp"
#include "ports/store_test_support.hpp"

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
using ::testing::Not;
using testing::QueryColumn;
using testing::ScratchDatabase;

const testing::MigrationVersions kVersions(postgres::LatestSchemaVersion());

std::vector<int> AppliedVersions(const std::string& url) {
  auto status = PostgresMigrationStatus(url);
  EXPECT_TRUE(status.ok()) << status.error().message;
  std::vector<int> versions;
  if (!status.ok()) return versions;
  for (const MigrationState& state : *status) {
    if (state.applied) versions.push_back(state.version);
  }
  return versions;
}

std::unique_ptr<Store> OpenStore(const std::string& url) {
  auto store = OpenPostgresStore(PostgresOptions{.url = url, .pool_size = 2});
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(store).value() : nullptr;
}

void AddSampleData(Store& store) {
  Status status = store.Write([](StoreWriter& tx) -> Status {
    EXPECT_TRUE(tx.InsertUser(MakeUser("u1", "a@example.com"), "hash"));
    tx.InsertTask(MakeTask("t1", "u1", "Buy CAFÉ beans"));
    Task call = MakeTask("t2", "u1", "Call mum");
    call.description = "About the STRASSE party";  // folds to "strasse"; "ß" too
    tx.InsertTask(call);
    EXPECT_TRUE(
        tx.InsertTag(Tag{.id = "g1", .user_id = "u1", .name = "Home", .color = std::nullopt}));
    tx.SetTaskTags("t1", {"g1"});
    return {};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
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

class PostgresMigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(database_.url().empty()); }
  const std::string& url() const { return database_.url(); }

  ScratchDatabase database_;
};

TEST_F(PostgresMigrationsTest, UpAppliesEveryMigrationOnce) {
  auto first = PostgresMigrateUp(url());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_THAT(*first, ElementsAreArray(kVersions.From(1)));
  auto second = PostgresMigrateUp(url());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_THAT(*second, IsEmpty());

  auto status = PostgresMigrationStatus(url());
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->size(), static_cast<std::size_t>(kVersions.latest()));
  EXPECT_EQ((*status)[0].version, 1);
  EXPECT_EQ((*status)[0].name, "core schema");
  EXPECT_TRUE((*status)[0].applied);
  EXPECT_EQ((*status)[1].version, 2);
  EXPECT_EQ((*status)[1].name, "task search index");
  EXPECT_TRUE((*status)[1].applied);
  EXPECT_EQ((*status)[2].version, 3);
  EXPECT_EQ((*status)[2].name, "time: all-day, recurrence, reminders");
  EXPECT_TRUE((*status)[2].applied);
  EXPECT_EQ((*status)[3].version, 4);
  EXPECT_EQ((*status)[3].name, "events: outbox, consumers, activity log, webhooks");
  EXPECT_TRUE((*status)[3].applied);
  EXPECT_EQ((*status)[4].version, 5);
  EXPECT_EQ((*status)[4].name, "chat: conversations and messages");
  EXPECT_TRUE((*status)[4].applied);
  EXPECT_EQ((*status)[5].version, 6);
  EXPECT_EQ((*status)[5].name, "chat: conversations in the order of their writes");
  EXPECT_TRUE((*status)[5].applied);
  EXPECT_EQ((*status)[6].version, 7);
  EXPECT_EQ((*status)[6].name, "task list reads: covering index");
  EXPECT_TRUE((*status)[6].applied);
  EXPECT_THAT(
      QueryColumn(url(), "SELECT version || ' ' || name FROM schema_migrations ORDER BY version"),
      ElementsAre("1 core schema", "2 task search index", "3 time: all-day, recurrence, reminders",
                  "4 events: outbox, consumers, activity log, webhooks",
                  "5 chat: conversations and messages",
                  "6 chat: conversations in the order of their writes",
                  "7 task list reads: covering index"));
}

TEST_F(PostgresMigrationsTest, StatusOfAnEmptyDatabaseCreatesNothing) {
  auto status = PostgresMigrationStatus(url());
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), static_cast<std::size_t>(kVersions.latest()));
  EXPECT_FALSE((*status)[0].applied);
  EXPECT_FALSE((*status)[1].applied);
  EXPECT_FALSE((*status)[2].applied);
  EXPECT_FALSE((*status)[3].applied);
  EXPECT_FALSE((*status)[4].applied);
  EXPECT_THAT(QueryColumn(url(), "SELECT to_regclass('schema_migrations') IS NULL"),
              ElementsAre("t"));
}

TEST_F(PostgresMigrationsTest, SchemaHasTheListAndSearchIndexes) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  EXPECT_THAT(
      QueryColumn(url(),
                  "SELECT indexname FROM pg_indexes WHERE tablename = 'tasks' "
                  "ORDER BY indexname"),
      ElementsAre("tasks_pkey", "tasks_previous_occurrence", "tasks_recurrence_parent",
                  "tasks_search", "tasks_user_created", "tasks_user_due", "tasks_user_list",
                  "tasks_user_priority", "tasks_user_title", "tasks_user_updated"));
  EXPECT_THAT(
      QueryColumn(url(), "SELECT indexdef FROM pg_indexes WHERE indexname = 'tasks_search'"),
      ElementsAre(AllOf(HasSubstr("USING gin"), HasSubstr("title_key gin_trgm_ops"),
                        HasSubstr("description_key gin_trgm_ops"))));
  // Instants are timestamptz; keys and ids compare in code point order.
  EXPECT_THAT(
      QueryColumn(url(),
                  "SELECT column_name || ' ' || data_type FROM information_schema.columns "
                  "WHERE table_name = 'tasks' AND column_name LIKE '%_at' "
                  "ORDER BY column_name"),
      ElementsAre("completed_at timestamp with time zone", "created_at timestamp with time zone",
                  "due_at timestamp with time zone", "updated_at timestamp with time zone"));
  EXPECT_THAT(QueryColumn(url(),
                          "SELECT column_name FROM information_schema.columns "
                          "WHERE table_name = 'tasks' AND collation_name = 'C' ORDER BY 1"),
              ElementsAre("description_key", "id", "previous_occurrence_id", "recurrence_parent_id",
                          "title_key", "user_id"));
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lower-case hex.
bool IsUuidV4(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return id[14] == '4' && std::string_view("89ab").find(id[19]) != std::string_view::npos;
}

// The plan of `sql` with sequential scans priced out: which index the
// planner can use for it (on an empty table it would scan anyway). `settings`
// price out more.
std::string Plan(const std::string& url, const std::string& sql, const std::string& settings = "") {
  std::string plan;
  for (const std::string& line :
       QueryColumn(url, "SET enable_seqscan = off; " + settings + "EXPLAIN " + sql)) {
    plan += line + "\n";
  }
  return plan;
}

TEST_F(PostgresMigrationsTest, ListQueriesAndSearchCanUseTheIndexes) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  // The owner's rows through an index, whatever the sort.
  for (SortField field : {SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                          SortField::kPriority, SortField::kTitle}) {
    TaskQuery query;
    query.sort_by = field;
    const auto sql = postgres::BuildTaskListSql("u", query);
    ASSERT_EQ(sql.page.values.size(), 3u);
    std::string page = ReplaceAll(sql.page.sql, "LIMIT $2 OFFSET $3", "LIMIT 20 OFFSET 0");
    page = ReplaceAll(page, "$1", "'u'");
    const std::string plan = Plan(url(), page);
    EXPECT_THAT(plan, HasSubstr("Index")) << page;
    EXPECT_THAT(plan, Not(HasSubstr("Seq Scan on tasks"))) << plan;
  }
  // A substring of title or description through the trigram index.
  const std::string plan = Plan(url(),
                                "SELECT t.id FROM tasks t WHERE t.title_key LIKE '%abc%' OR "
                                "t.description_key LIKE '%abc%'");
  EXPECT_THAT(plan, HasSubstr("tasks_search")) << plan;
}

TEST_F(PostgresMigrationsTest, DownOneAndUpAgainKeepsTheDataAndRebuildsSearch) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  {
    auto store = OpenStore(url());
    ASSERT_NE(store, nullptr);
    AddSampleData(*store);
    EXPECT_THAT(SearchIds(*store, "café"), ElementsAre("t1"));
    EXPECT_THAT(SearchIds(*store, "straße"), IsEmpty());
    EXPECT_THAT(SearchIds(*store, "strasse"), ElementsAre("t2"));
  }

  // Every later migration sits on top of the search index (2).
  auto down = PostgresMigrateDown(url(), kVersions.StepsToRevert(2));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(2)));
  EXPECT_THAT(AppliedVersions(url()), ElementsAre(1));
  EXPECT_THAT(QueryColumn(url(), "SELECT to_regclass('tasks_search') IS NULL"), ElementsAre("t"));
  EXPECT_THAT(QueryColumn(url(),
                          "SELECT count(*) FROM information_schema.columns "
                          "WHERE table_name = 'tasks' AND column_name = 'description_key'"),
              ElementsAre("0"));
  EXPECT_THAT(QueryColumn(url(), "SELECT count(*) FROM tasks"), ElementsAre("2"));

  auto refused = OpenPostgresStore(PostgresOptions{.url = url()});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().message,
            kVersions.Refusal(1));

  auto up = PostgresMigrateUp(url());
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(2)));
  auto store = OpenStore(url());
  ASSERT_NE(store, nullptr);
  // The folded descriptions were filled from the rows with FoldCase.
  EXPECT_THAT(SearchIds(*store, "café"), ElementsAre("t1"));
  EXPECT_THAT(SearchIds(*store, "strasse"), ElementsAre("t2"));
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

TEST_F(PostgresMigrationsTest, DownAllAndUpAgainOnADatabaseWithData) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  {
    auto store = OpenStore(url());
    ASSERT_NE(store, nullptr);
    AddSampleData(*store);
  }
  auto down = PostgresMigrateDown(url(), 99);  // bounded by what is applied
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(1)));
  EXPECT_THAT(AppliedVersions(url()), IsEmpty());
  EXPECT_THAT(QueryColumn(url(),
                          "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                          "ORDER BY tablename"),
              ElementsAre("schema_migrations"));

  auto again = PostgresMigrateDown(url(), 1);
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, IsEmpty());

  auto up = PostgresMigrateUp(url());
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(1)));
  auto store = OpenStore(url());
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

TEST_F(PostgresMigrationsTest, TimeMigrationDownAndUpKeepsWhatVersionTwoCanHold) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  {
    auto store = OpenStore(url());
    ASSERT_NE(store, nullptr);
    AddTimeData(*store);
  }

  auto down = PostgresMigrateDown(url(), kVersions.StepsToRevert(3));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(3)));
  EXPECT_THAT(QueryColumn(url(), "SELECT to_regclass('task_reminders') IS NULL"), ElementsAre("t"));
  EXPECT_THAT(QueryColumn(url(),
                          "SELECT count(*) FROM information_schema.columns WHERE "
                          "(table_name = 'tasks' AND column_name IN ('all_day', 'rrule', "
                          "'previous_occurrence_id')) OR (table_name = 'users' AND "
                          "column_name = 'date_order')"),
              ElementsAre("0"));
  // The shorthand columns already held what version 2 shows; an RRULE has no
  // version-2 column, so that task stops recurring.
  EXPECT_THAT(QueryColumn(url(),
                          "SELECT id || ' ' || coalesce(remind_before_minutes::text, '-') || ' ' "
                          "|| coalesce(recurrence_rule, '-') FROM tasks ORDER BY id"),
              ElementsAre("t1 30 -", "t2 - weekly", "t3 - -"));

  auto up = PostgresMigrateUp(url());
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(3)));
  auto store = OpenStore(url());
  ASSERT_NE(store, nullptr);
  // The shorthand became one planned relative reminder again.
  const std::optional<Task> reminded = FindTask(*store, "t1");
  ASSERT_TRUE(reminded.has_value());
  ASSERT_EQ(reminded->reminders.size(), 1u);
  EXPECT_EQ(reminded->reminders[0].spec.before_minutes, 30);
  EXPECT_EQ(reminded->reminders[0].remind_at, At(1'800'000'000'000 - 1'800'000));
  EXPECT_EQ(reminded->reminders[0].sent_at, std::nullopt);
  EXPECT_TRUE(IsUuidV4(reminded->reminders[0].id)) << reminded->reminders[0].id;
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

TEST_F(PostgresMigrationsTest, TimeMigrationTurnsRemindersOfVersionTwoIntoRows) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  ASSERT_TRUE(PostgresMigrateDown(url(), kVersions.StepsToRevert(3)).ok());  // to version 2
  // Rows as version 2 wrote them: pending, sent, completed unsent, undated.
  ASSERT_EQ(testing::Execute(url(), R"sql(
    INSERT INTO users (id, name, created_at, updated_at)
      VALUES ('u1', '', to_timestamp(0), to_timestamp(0));
    INSERT INTO tasks (id, user_id, title, title_key, status, due_at, remind_before_minutes,
                       reminder_sent, created_at, updated_at) VALUES
      ('p', 'u1', 'p', 'p', 'pending', to_timestamp(3600), 10, false, to_timestamp(0), to_timestamp(0.007)),
      ('s', 'u1', 's', 's', 'pending', to_timestamp(3600), 10, true, to_timestamp(0), to_timestamp(0.007)),
      ('c', 'u1', 'c', 'c', 'completed', to_timestamp(3600), 10, false, to_timestamp(0), to_timestamp(0.007)),
      ('n', 'u1', 'n', 'n', 'pending', NULL, 10, false, to_timestamp(0), to_timestamp(0.007)),
      ('x', 'u1', 'x', 'x', 'pending', to_timestamp(3600), NULL, false, to_timestamp(0), to_timestamp(0.007));
  )sql"),
            "");
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  EXPECT_THAT(
      QueryColumn(url(),
                  "SELECT task_id || ' ' || position || ' ' || before_minutes || ' ' || "
                  "coalesce(((extract(epoch FROM remind_at) * 1000)::bigint)::text, '-') "
                  "|| ' ' || coalesce(((extract(epoch FROM sent_at) * 1000)::bigint)::text, "
                  "'-') FROM task_reminders ORDER BY task_id"),
      ElementsAre("c 0 10 - -", "n 0 10 - -", "p 0 10 3000000 -", "s 0 10 3000000 7"));
  // The store's summary of each task's reminders, so that list rows without
  // any skip their probe.
  EXPECT_THAT(QueryColumn(url(), "SELECT id || ' ' || reminder_count FROM tasks ORDER BY id"),
              ElementsAre("c 1", "n 1", "p 1", "s 1", "x 0"));
}

TEST_F(PostgresMigrationsTest, WhatFiresNextIsAnIndexRange) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  // The notification service's query: reminders due up to now, oldest first.
  const std::string plan = Plan(url(),
                                "SELECT task_id, id, remind_at FROM task_reminders "
                                "WHERE sent_at IS NULL AND remind_at IS NOT NULL "
                                "AND remind_at <= now() ORDER BY remind_at LIMIT 100");
  EXPECT_THAT(plan, HasSubstr("task_reminders_pending")) << plan;
}

TEST_F(PostgresMigrationsTest, DownNeedsAPositiveStepCount) {
  auto down = PostgresMigrateDown(url(), 0);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(down.error().fields.size(), 1u);
  EXPECT_EQ(down.error().fields[0].field, "steps");
}

TEST_F(PostgresMigrationsTest, DownOnAnEmptyDatabaseRevertsNothing) {
  auto down = PostgresMigrateDown(url(), 1);
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, IsEmpty());
}

TEST_F(PostgresMigrationsTest, ConcurrentUpsApplyEachMigrationOnce) {
  // Replicas starting at once: each its own connection (a session of its
  // own, as separate processes have), all migrating.
  for (int round = 0; round < 3; ++round) {
    if (round > 0) {
      ASSERT_TRUE(PostgresMigrateDown(url(), kVersions.StepsToRevert(1)).ok());
    }
    std::vector<std::vector<int>> applied(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < applied.size(); ++i) {
      threads.emplace_back([&, i] {
        auto result = PostgresMigrateUp(url());
        EXPECT_TRUE(result.ok()) << result.error().message;
        if (result.ok()) applied[i] = *result;
      });
    }
    for (std::thread& thread : threads) thread.join();
    std::vector<int> all;
    for (const auto& versions : applied) all.insert(all.end(), versions.begin(), versions.end());
    std::sort(all.begin(), all.end());
    EXPECT_THAT(all, ElementsAreArray(kVersions.From(1))) << "round " << round;
    EXPECT_THAT(AppliedVersions(url()), ElementsAreArray(kVersions.From(1)));
  }
}

TEST_F(PostgresMigrationsTest, StoreRefusesAnUnmigratedOrNewerDatabase) {
  auto store = OpenPostgresStore(PostgresOptions{.url = url()});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().message,
            kVersions.Refusal(0));

  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  ASSERT_EQ(testing::Execute(url(),
                             "INSERT INTO schema_migrations (version, name) "
                             "VALUES (99, 'from the future')"),
            "");
  auto newer = OpenPostgresStore(PostgresOptions{.url = url()});
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().message,
            "database schema is at version 99, newer than this build's " +
                std::to_string(kVersions.latest()) + ": run a newer taskflow");
  auto down = PostgresMigrateDown(url(), 1);
  ASSERT_FALSE(down.ok());
  EXPECT_THAT(down.error().message, HasSubstr("unknown to this build"));
}

TEST_F(PostgresMigrationsTest, ChatMigrationDownDropsItsTablesAndUpRestoresThem) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  const std::string tables =
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename IN "
      "('conversations', 'chat_messages') ORDER BY tablename";
  EXPECT_THAT(QueryColumn(url(), tables), ElementsAre("chat_messages", "conversations"));
  ASSERT_EQ(testing::Execute(
                url(),
                "INSERT INTO users (id, created_at, updated_at) VALUES ('u1', now(), now()); "
                "INSERT INTO conversations (id, user_id, title, created_at, updated_at) "
                "VALUES ('c1', 'u1', 'hello', now(), now()); "
                "INSERT INTO chat_messages (id, conversation_id, user_id, role, content, "
                "created_at) VALUES ('m1', 'c1', 'u1', 'user', 'hello', now())"),
            "");
  auto down = PostgresMigrateDown(url(), kVersions.StepsToRevert(5));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(5)));
  EXPECT_THAT(QueryColumn(url(), tables), IsEmpty());
  EXPECT_THAT(QueryColumn(url(), "SELECT count(*) FROM users"), ElementsAre("1")) << "users stay";
  auto up = PostgresMigrateUp(url());
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(5)));
  EXPECT_THAT(QueryColumn(url(), tables), ElementsAre("chat_messages", "conversations"));
  EXPECT_THAT(QueryColumn(url(),
                          "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                          "AND tablename IN ('conversations', 'chat_messages') "
                          "AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' "
                          "ORDER BY indexname"),
              ElementsAre("chat_messages_conversation", "conversations_user_activity"));
}

// ---- migration 6 (conversations in the order of their writes) ----

TEST_F(PostgresMigrationsTest, ChatOrderMigrationBackfillsAndDownUpKeepsTheData) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  ASSERT_TRUE(PostgresMigrateDown(url(), kVersions.StepsToRevert(6)).ok());
  // Two conversations of u1 as version 5 wrote them: c1 with two messages, c2
  // with none.
  ASSERT_EQ(testing::Execute(
                url(),
                "INSERT INTO users (id, created_at, updated_at) VALUES ('u1', now(), now()); "
                "INSERT INTO conversations (id, user_id, title, created_at, updated_at) VALUES "
                "('c1', 'u1', 'one', to_timestamp(0), to_timestamp(0.007)), "
                "('c2', 'u1', 'two', to_timestamp(0), to_timestamp(0.007)); "
                "INSERT INTO chat_messages (id, conversation_id, user_id, role, content, "
                "created_at) VALUES ('m1', 'c1', 'u1', 'user', 'hi', to_timestamp(0.007)), "
                "('m2', 'c1', 'u1', 'assistant', 'hello', to_timestamp(0.007))"),
            "");
  const std::string indexes =
      "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
      "AND tablename = 'conversations' AND indexname <> 'conversations_pkey' ORDER BY indexname";
  const std::string order =
      "SELECT c.id || ' ' || (c.last_message_seq = coalesce((SELECT max(m.seq) FROM "
      "chat_messages m WHERE m.conversation_id = c.id), 0)) FROM conversations c ORDER BY c.id";
  const std::string seqs = "SELECT id || ' ' || last_message_seq FROM conversations ORDER BY id";

  auto up = PostgresMigrateUp(url());
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_THAT(*up, ElementsAreArray(kVersions.From(6)));
  EXPECT_THAT(QueryColumn(url(), order), ElementsAre("c1 true", "c2 true"))
      << "the newest message's seq, or 0";
  EXPECT_THAT(QueryColumn(url(), seqs), Contains("c2 0"));
  EXPECT_THAT(QueryColumn(url(), indexes), ElementsAre("conversations_user_activity"));

  auto down = PostgresMigrateDown(url(), kVersions.StepsToRevert(6));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_THAT(*down, ElementsAreArray(kVersions.DownTo(6)));
  EXPECT_THAT(QueryColumn(url(),
                          "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                          "current_schema() AND table_name = 'conversations' AND "
                          "column_name = 'last_message_seq'"),
              ElementsAre("0"));
  EXPECT_THAT(QueryColumn(url(), indexes), ElementsAre("conversations_user_updated"));
  EXPECT_THAT(QueryColumn(url(), "SELECT count(*) FROM conversations"), ElementsAre("2"));
  EXPECT_THAT(QueryColumn(url(), "SELECT count(*) FROM chat_messages"), ElementsAre("2"));

  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  EXPECT_THAT(QueryColumn(url(), order), ElementsAre("c1 true", "c2 true"));
  auto store = OpenStore(url());
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

TEST_F(PostgresMigrationsTest, ConversationListReadsTheOwnersIndexRangeInOrder) {
  ASSERT_TRUE(PostgresMigrateUp(url()).ok());
  std::string page = ReplaceAll(std::string(postgres::kListConversationsSql), "LIMIT $2 OFFSET $3",
                                "LIMIT 20 OFFSET 0");
  page = ReplaceAll(page, "$1", "'u'");
  // On an empty table the planner would rather sort a few rows: with sorting
  // priced out too, the plan shows whether the index gives the order.
  const std::string plan = Plan(url(), page, "SET enable_sort = off; ");
  // A backward scan of the owner's range: already in order, nothing to sort.
  EXPECT_THAT(plan, HasSubstr("Index Scan Backward using conversations_user_activity")) << plan;
  EXPECT_THAT(plan, HasSubstr("Index Cond: (user_id = 'u'::text)")) << plan;
  EXPECT_THAT(plan, Not(HasSubstr("Sort"))) << plan;
}

}  // namespace
}  // namespace taskflow
