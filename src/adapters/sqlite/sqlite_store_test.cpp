#include "adapters/sqlite/sqlite_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "adapters/sqlite/sqlite_migrations.hpp"
#include "adapters/sqlite/sqlite_test_support.hpp"
#include "adapters/sqlite/task_list_sql.hpp"
#include "domain/text.hpp"
#include "ports/store_contract_test.hpp"

namespace taskflow {
namespace {

using testing::At;
using testing::ReadOrFail;
using testing::WriteOrFail;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using testing::MakeTask;
using testing::MakeUser;
using testing::StoreContractListTest;
using testing::StoreContractTest;
using testing::TempDir;

class SqliteStoreTest : public ::testing::Test {
 protected:
  // Runs `work` in a write transaction that must commit; returns its value.
  template <class Work>
  auto Write(Work work) {
    return WriteOrFail(*store_, std::move(work));
  }

  template <class Work>
  auto Read(Work work) {
    return ReadOrFail(*store_, std::move(work));
  }

  void SetUp() override {
    auto migrated = SqliteMigrateUp(path_);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    auto store = OpenSqliteStore(SqliteOptions{.path = path_, .read_connections = 3});
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store).value();
    // A second store on the same file that always searches through the
    // trigram index: every search below must find the same with both.
    auto index_store = OpenSqliteStore(
        SqliteOptions{.path = path_, .read_connections = 1, .search_scan_max_tasks = 0});
    ASSERT_TRUE(index_store.ok()) << index_store.error().message;
    index_store_ = std::move(index_store).value();
    Write([](StoreWriter& tx) {
      EXPECT_TRUE(tx.InsertUser(MakeUser("u1", "one@example.com"), "hash-1"));
      EXPECT_TRUE(tx.InsertUser(MakeUser("u2", "two@example.com"), "hash-2"));
    });
  }

  std::optional<Task> Find(const std::string& user_id, const std::string& task_id) {
    return Read([&](StoreReader& tx) { return tx.FindTask(user_id, task_id); });
  }

  static std::vector<std::string> IdsOf(const TaskPage& page) {
    std::vector<std::string> ids;
    for (const Task& task : page.tasks) ids.push_back(task.id);
    return ids;
  }

  TaskPage List(const TaskQuery& query, const std::string& user_id = "u1") {
    TaskPage page = Read([&](StoreReader& tx) { return tx.ListTasks(user_id, query); });
    if (query.text) {
      TaskPage indexed;
      Status status = index_store_->Read([&](StoreReader& tx) -> Status {
        indexed = tx.ListTasks(user_id, query);
        return {};
      });
      EXPECT_TRUE(status.ok()) << status.error().message;
      EXPECT_EQ(IdsOf(indexed), IdsOf(page)) << "index and scan disagree on " << *query.text;
      EXPECT_EQ(indexed.total, page.total) << "index and scan disagree on " << *query.text;
    }
    return page;
  }

  std::vector<std::string> Ids(const TaskQuery& query, const std::string& user_id = "u1") {
    return IdsOf(List(query, user_id));
  }

  using Writes = std::vector<std::function<Status(StoreWriter&)>>;

  // Runs `writes` on `store`, each from a thread of its own, while a foreign
  // connection holds the write lock: the first waits in BEGIN while the
  // others queue behind it, so they most likely form one batch when it is
  // released (the callers' assertions hold however they were batched; that
  // batches form is write_queue_test.cpp's to show). Each write's status.
  std::vector<Status> WriteBehindAForeignLock(Store& store, const Writes& writes) {
    std::vector<Status> results(writes.size());
    sqlite3* other = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    std::vector<std::thread> writers;
    for (std::size_t i = 0; i < writes.size(); ++i) {
      writers.emplace_back([&, i] { results[i] = store.Write(writes[i]); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    for (auto& writer : writers) writer.join();
    return results;
  }

  TempDir dir_;
  std::string path_ = dir_.File("taskflow.db");
  std::unique_ptr<Store> store_;
  std::unique_ptr<Store> index_store_;
};

// ---- the Store contract (ports/store_contract_test.hpp) ----

// A fresh file per test. The store under test picks a scan of the owner's
// folded text or the trigram index by the owner's size; a peer store on the
// same file always takes the index, so every search is checked both ways.
class SqliteHarness final : public testing::StoreHarness {
 public:
  std::unique_ptr<Store> OpenStore() override {
    auto migrated = SqliteMigrateUp(path_);
    EXPECT_TRUE(migrated.ok()) << migrated.error().message;
    if (!migrated.ok()) return nullptr;
    return Open(SqliteOptions{.path = path_, .read_connections = kReaders});
  }
  std::vector<std::unique_ptr<Store>> OpenPeerStores() override {
    std::vector<std::unique_ptr<Store>> peers;
    peers.push_back(Open(
        SqliteOptions{.path = path_, .read_connections = 1, .search_scan_max_tasks = 0}));
    return peers;
  }
  int ReadConnections() const override { return kReaders; }

 private:
  static constexpr int kReaders = 3;

  static std::unique_ptr<Store> Open(const SqliteOptions& options) {
    auto store = OpenSqliteStore(options);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  TempDir dir_;
  std::string path_ = dir_.File("taskflow.db");
};

const testing::StoreBackend kSqlite{"Sqlite", [] { return std::make_unique<SqliteHarness>(); }};
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest, ::testing::Values(kSqlite),
                         testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractListTest, ::testing::Values(kSqlite),
                         testing::BackendName);

// ---- SQLite only ----

TEST_F(SqliteStoreTest, ABusyDatabaseIsUnavailableNotBroken) {
  auto store = OpenSqliteStore(SqliteOptions{.path = path_, .busy_timeout_ms = 20});
  ASSERT_TRUE(store.ok()) << store.error().message;
  // Another process (here: a plain connection) holds the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  Status status = (*store)->Write([](StoreWriter& tx) -> Status {
    tx.InsertTask(MakeTask("t1", "u1", "Blocked"));
    return {};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  // Reads go on beside the foreign writer.
  EXPECT_TRUE((*store)
                  ->Read([](StoreReader& tx) -> Status {
                    return tx.FindUser("u1") ? Status{} : Error::NotFound("u1");
                  })
                  .ok());

  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  status = (*store)->Write([](StoreWriter& tx) -> Status {
    tx.InsertTask(MakeTask("t1", "u1", "Unblocked"));
    return {};
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
}

// Group commit: writes queued behind a busy writer share one transaction,
// each in its own savepoint. Whatever the batching, every write must end as
// if it had run alone: the ones that succeed are committed, the one that
// fails leaves nothing behind, and each caller gets its own status.
TEST_F(SqliteStoreTest, ConcurrentWritesCommitOrFailEachOnItsOwn) {
  auto store = OpenSqliteStore(SqliteOptions{.path = path_, .busy_timeout_ms = 30000});
  ASSERT_TRUE(store.ok()) << store.error().message;
  constexpr int kWriters = 8;
  Writes writes;
  for (int i = 0; i < kWriters; ++i) {
    writes.push_back([i](StoreWriter& tx) -> Status {
      const std::string id = "t" + std::to_string(i);
      tx.InsertTask(MakeTask(id, "u1", "Task " + std::to_string(i)));
      if (i == 3) return Error::Conflict("write 3 changes its mind");
      if (i == 5) throw StoreFailure("write 5 hits a storage failure", false);
      if (i == 6) tx.InsertTask(MakeTask(id, "u1", "Its own duplicate"));  // throws: PK
      return {};
    });
  }
  const std::vector<Status> results = WriteBehindAForeignLock(**store, writes);

  for (int i = 0; i < kWriters; ++i) {
    const bool should_fail = i == 3 || i == 5 || i == 6;
    EXPECT_EQ(results[i].ok(), !should_fail) << "write " << i;
    const std::string id = "t" + std::to_string(i);
    EXPECT_EQ(Find("u1", id).has_value(), !should_fail) << "task " << id;
  }
  EXPECT_EQ(results[3].error().code, ErrorCode::kConflict);
  EXPECT_EQ(List(TaskQuery{}).total, kWriters - 3);
  // The search index holds the committed writes' text only (List checks the
  // trigram index against a scan): a rolled-back task's seq is taken again.
  EXPECT_EQ(List(TaskQuery{.text = "task"}).total, kWriters - 3);
  EXPECT_EQ(List(TaskQuery{.text = "task 3"}).total, 0);
  EXPECT_EQ(List(TaskQuery{.text = "its own duplicate"}).total, 0);
}

// A group commit changes the search index after its writes' savepoints
// (task_text_index.hpp). Searches through the index find what the batch
// committed, not what it replaced, deleted or rolled back; and a search inside
// one of its writes already sees that write's own changes.
TEST_F(SqliteStoreTest, SearchesFollowTheWritesOfAGroupCommit) {
  Write([](StoreWriter& tx) {
    tx.InsertTask(MakeTask("renamed", "u1", "Aardvark to rename"));
    tx.InsertTask(MakeTask("deleted", "u1", "Badger to delete"));
  });
  // Always the index when not deferring: only the deferral makes the search
  // inside a write below scan.
  auto store = OpenSqliteStore(
      SqliteOptions{.path = path_, .busy_timeout_ms = 30000, .search_scan_max_tasks = 0});
  ASSERT_TRUE(store.ok()) << store.error().message;
  const Writes writes = {
      [](StoreWriter& tx) -> Status {
        Task task = *tx.FindTask("u1", "renamed");
        task.title = "Capybara now";
        ++task.version;
        EXPECT_TRUE(tx.UpdateTask(task, task.version - 1));
        return {};
      },
      [](StoreWriter& tx) -> Status {
        EXPECT_TRUE(tx.DeleteTask("u1", "deleted"));
        return {};
      },
      [](StoreWriter& tx) -> Status {
        tx.InsertTask(MakeTask("new", "u1", "Dingo arrives"));
        return {};
      },
      [](StoreWriter& tx) -> Status {
        tx.InsertTask(MakeTask("rolled-back", "u1", "Emu that never was"));
        return Error::Conflict("changes its mind");
      },
      [](StoreWriter& tx) -> Status {
        tx.InsertTask(MakeTask("own", "u1", "Ferret of its own"));
        EXPECT_EQ(tx.ListTasks("u1", TaskQuery{.text = "ferret"}).total, 1);
        return {};
      },
  };
  const std::vector<Status> results = WriteBehindAForeignLock(**store, writes);
  for (std::size_t i = 0; i < writes.size(); ++i) EXPECT_EQ(results[i].ok(), i != 3) << i;

  for (const auto& [text, total] : std::vector<std::pair<std::string, int>>{{"aardvark", 0},
                                                                            {"capybara", 1},
                                                                            {"badger", 0},
                                                                            {"dingo", 1},
                                                                            {"emu", 0},
                                                                            {"ferret", 1}}) {
    EXPECT_EQ(List(TaskQuery{.text = text}).total, total) << text;
  }
}

// The page query reads up to kCountAheadRows matches past the page to count
// them (task_list_sql.hpp): the total comes from it when they fit, from the
// count query when they may not; either way it is exact.
TEST_F(SqliteStoreTest, TotalsAreExactWhetherOrNotTheMatchesFitPastThePage) {
  constexpr int kLimit = 20;
  constexpr int kTasks = kLimit + sqlite::kCountAheadRows + 5;
  Write([](StoreWriter& tx) {
    for (int i = 0; i < kTasks; ++i) tx.InsertTask(MakeTask("t" + std::to_string(i), "u1", "Task"));
  });
  for (const long long offset : {0, 4, 5, 6, 20, 100, 105, 124, 125, 200}) {
    const TaskPage page = List(TaskQuery{.offset = offset, .limit = kLimit});
    EXPECT_EQ(page.total, kTasks) << "offset " << offset;
    EXPECT_EQ(page.tasks.size(),
              static_cast<std::size_t>(std::clamp<long long>(kTasks - offset, 0, kLimit)))
        << "offset " << offset;
  }
}

// ---- the task cache (task_cache.hpp): list pages answer from it ----

TEST_F(SqliteStoreTest, ListedTasksShowEveryChangeThoughPagesComeFromTheCache) {
  Write([](StoreWriter& tx) {
    tx.InsertTask(MakeTask("t1", "u1", "First"));
    EXPECT_TRUE(tx.InsertTag(Tag{.id = "g1", .user_id = "u1", .name = "Home", .color = {}}));
    tx.SetTaskTags("t1", {"g1"});
  });
  ASSERT_EQ(List(TaskQuery{}).tasks.size(), 1u);
  EXPECT_THAT(List(TaskQuery{}).tasks[0].tags, ElementsAre("Home"));

  Write([](StoreWriter& tx) {
    const Tag renamed{.id = "g1", .user_id = "u1", .name = "House", .color = {}};
    EXPECT_TRUE(tx.UpdateTag(renamed, At(20'000)));
  });
  EXPECT_THAT(List(TaskQuery{}).tasks[0].tags, ElementsAre("House")) << "the rename bumped it";

  Task task = *Find("u1", "t1");
  task.title = "Renamed";
  task.version += 1;
  Write([&](StoreWriter& tx) { EXPECT_TRUE(tx.UpdateTask(task, task.version - 1)); });
  EXPECT_EQ(List(TaskQuery{}).tasks[0].title, "Renamed");
  EXPECT_EQ(List(TaskQuery{}).tasks[0].version, task.version);
}

TEST_F(SqliteStoreTest, ARowTakenOverByANewTaskIsNotMistakenForTheOldOne) {
  Write([](StoreWriter& tx) {
    tx.InsertTask(MakeTask("t1", "u1", "Kept", 10'000));
    tx.InsertTask(MakeTask("t2", "u1", "Deleted", 20'000));
  });
  ASSERT_THAT(Ids(TaskQuery{}), ElementsAre("t2", "t1"));  // both cached, at version 1
  const auto seq_of = [&](const std::string& id) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT seq FROM tasks WHERE id = '" + id + "'";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    const sqlite3_int64 seq = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return seq;
  };
  const sqlite3_int64 deleted_seq = seq_of("t2");
  Write([](StoreWriter& tx) {
    EXPECT_TRUE(tx.DeleteTask("u1", "t2"));
    tx.InsertTask(MakeTask("t3", "u1", "New", 30'000));  // version 1 too
  });
  ASSERT_EQ(seq_of("t3"), deleted_seq) << "the case under test: the new task took t2's row";
  const TaskPage page = List(TaskQuery{});
  ASSERT_THAT(IdsOf(page), ElementsAre("t3", "t1"));
  EXPECT_EQ(page.tasks[0].title, "New");
}

TEST_F(SqliteStoreTest, WhatAWriteThatRolledBackListedIsNeverServed) {
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "First")); });
  Task task = *Find("u1", "t1");
  task.version = 2;
  task.title = "Rolled back";
  const Status rolled_back = store_->Write([&](StoreWriter& tx) -> Status {
    EXPECT_TRUE(tx.UpdateTask(task, 1));
    EXPECT_EQ(tx.ListTasks("u1", TaskQuery{}).tasks.at(0).title, "Rolled back");
    return Error::Conflict("changed my mind");
  });
  ASSERT_FALSE(rolled_back.ok());
  task.title = "Committed";  // the same version, other contents
  Write([&](StoreWriter& tx) { EXPECT_TRUE(tx.UpdateTask(task, 1)); });
  EXPECT_EQ(List(TaskQuery{}).tasks.at(0).title, "Committed");
}

TEST_F(SqliteStoreTest, AnUpdateWithoutANewVersionIsRefused) {
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "First")); });
  Task task = *Find("u1", "t1");
  task.title = "Same version";
  const Status status = store_->Write([&](StoreWriter& tx) -> Status {
    tx.UpdateTask(task, task.version);
    return {};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_EQ(Find("u1", "t1")->title, "First");
}

TEST_F(SqliteStoreTest, AListedTaskShowsItsReminderSentThoughItsVersionStays) {
  Task reminded = MakeTask("t1", "u1", "Call");
  reminded.due_at = At(100'000);
  reminded.reminders = {Reminder{.id = "r1", .spec = {.before_minutes = 1, .at = {}},
                                 .remind_at = At(40'000)}};
  SummarizeReminders(reminded);
  Write([&](StoreWriter& tx) { tx.InsertTask(reminded); });
  ASSERT_EQ(List(TaskQuery{}).tasks.at(0).reminders.at(0).sent_at, std::nullopt);
  Write([](StoreWriter& tx) { EXPECT_EQ(tx.ClaimDueReminders(At(50'000), 10).size(), 1u); });
  const Task listed = List(TaskQuery{}).tasks.at(0);
  EXPECT_EQ(listed.version, 1);
  EXPECT_EQ(listed.reminders.at(0).sent_at, At(50'000));
  EXPECT_TRUE(listed.reminder_sent);
}

TEST_F(SqliteStoreTest, NewTagLinksGiveATaskANewVersionUnlessItsWriteAlreadyDid) {
  Write([](StoreWriter& tx) {
    tx.InsertTask(MakeTask("t1", "u1", "First"));
    EXPECT_TRUE(tx.InsertTag(Tag{.id = "g1", .user_id = "u1", .name = "Home", .color = {}}));
    tx.SetTaskTags("t1", {"g1"});  // with the insert: still version 1
  });
  EXPECT_EQ(List(TaskQuery{}).tasks.at(0).version, 1);
  Write([](StoreWriter& tx) { tx.SetTaskTags("t1", {}); });  // alone
  const Task listed = List(TaskQuery{}).tasks.at(0);
  EXPECT_EQ(listed.version, 2);
  EXPECT_THAT(listed.tags, IsEmpty());
  Task task = *Find("u1", "t1");
  task.version = 3;
  Write([&](StoreWriter& tx) {
    EXPECT_TRUE(tx.UpdateTask(task, 2));
    tx.SetTaskTags("t1", {"g1"});  // with the update: 3, not 4
  });
  EXPECT_EQ(List(TaskQuery{}).tasks.at(0).version, 3);
  EXPECT_THAT(List(TaskQuery{}).tasks.at(0).tags, ElementsAre("Home"));
}

TEST_F(SqliteStoreTest, AListedOccurrenceLosesItsDeletedParent) {
  Task occurrence = MakeTask("t2", "u1", "Second", 20'000);
  occurrence.recurrence_parent_id = "t1";
  Write([&](StoreWriter& tx) {
    tx.InsertTask(MakeTask("t1", "u1", "First", 10'000));
    tx.InsertTask(occurrence);
  });
  ASSERT_EQ(List(TaskQuery{}).tasks.at(0).recurrence_parent_id, "t1");
  Write([](StoreWriter& tx) { EXPECT_TRUE(tx.DeleteTask("u1", "t1")); });
  const TaskPage page = List(TaskQuery{});
  ASSERT_THAT(IdsOf(page), ElementsAre("t2"));
  EXPECT_EQ(page.tasks[0].recurrence_parent_id, std::nullopt) << "cleared by the foreign key";
}

TEST_F(SqliteStoreTest, CheckpointsKeepTheWriteAheadLogSmall) {
  // A dozen WAL frames a commit: 800 commits would leave a WAL of some 45 MB
  // if checkpoints did not copy the pages back and start the WAL over. The
  // background checkpointer may lag on a busy machine; the writer's backstop
  // (4 x 500 pages, about 8 MB) bounds the WAL whatever the timing.
  auto store = OpenSqliteStore(SqliteOptions{.path = path_, .wal_checkpoint_pages = 500});
  ASSERT_TRUE(store.ok()) << store.error().message;
  for (int i = 0; i < 800; ++i) {
    Status status = (*store)->Write([&](StoreWriter& tx) -> Status {
      tx.InsertTask(MakeTask("t" + std::to_string(i), "u1", "Task " + std::to_string(i)));
      return {};
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
  }
  const auto wal_bytes = std::filesystem::file_size(path_ + "-wal");
  EXPECT_LT(wal_bytes, 16u << 20);
  EXPECT_EQ(List(TaskQuery{}).total, 800);
}

// Reads may answer from a snapshot kept since an earlier read, as long as no
// commit came since: commits of connections the store knows nothing of (as
// another process's) must show at once, as the store's own do.
TEST_F(SqliteStoreTest, ReadsSeeEveryCommitAtOnceWhoeverMadeIt) {
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "First")); });
  EXPECT_EQ(Find("u1", "t1")->title, "First");
  EXPECT_EQ(Find("u1", "t1")->title, "First") << "again, from the same snapshot";

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  for (const std::string title : {"Second", "Third"}) {
    const std::string sql = "UPDATE tasks SET title = '" + title + "' WHERE id = 't1'";
    ASSERT_EQ(sqlite3_exec(other, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    // Every reader connection of the pool, whichever the next read gets.
    for (int i = 0; i < 6; ++i) EXPECT_EQ(Find("u1", "t1")->title, title);
  }
  sqlite3_close(other);

  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t2", "u1", "Mine")); });
  EXPECT_TRUE(Find("u1", "t2").has_value());
  EXPECT_EQ(List(TaskQuery{}).total, 2);
}

TEST_F(SqliteStoreTest, IdleReadSnapshotsHoldNoCheckpointBack) {
  // The fixture's two stores stand for other processes on the same file:
  // each has read, so an idle reader of each keeps a snapshot. They write
  // nothing, so only their once-a-second release lets this store's
  // checkpoints copy the WAL back and start it over (as the writer's
  // backstop must, at 4 x 500 pages). Held forever, the snapshots would let
  // the WAL grow to some 45 MB.
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t0", "u1", "Before")); });
  EXPECT_TRUE(Find("u1", "t0").has_value());
  EXPECT_TRUE(ReadOrFail(*index_store_, [](StoreReader& tx) { return tx.FindTask("u1", "t0"); }));
  auto store = OpenSqliteStore(SqliteOptions{.path = path_, .wal_checkpoint_pages = 500});
  ASSERT_TRUE(store.ok()) << store.error().message;
  for (int i = 0; i < 800; ++i) {
    Status status = (*store)->Write([&](StoreWriter& tx) -> Status {
      tx.InsertTask(MakeTask("t" + std::to_string(i + 1), "u1", "Task"));
      return {};
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
    if (i % 100 == 0) {
      EXPECT_TRUE(ReadOrFail(**store, [](StoreReader& tx) { return tx.FindTask("u1", "t0"); }));
    }
  }
  EXPECT_LT(std::filesystem::file_size(path_ + "-wal"), 16u << 20);
  EXPECT_EQ(List(TaskQuery{}).total, 801);
}

// Stopping the service cleanly must leave every committed change in the
// database file itself, so that the file alone is a complete copy (a backup
// taken after a stop, a file moved to another machine). SQLite copies the WAL
// back and removes it when the last connection closes, but only if that
// connection may write: a read-only reader closing last leaves the WAL behind.
TEST(SqliteStoreCloseTest, AClosedStoreLeavesEveryChangeInTheDatabaseFileAlone) {
  TempDir dir;
  const std::string path = dir.File("taskflow.db");
  ASSERT_TRUE(SqliteMigrateUp(path).ok());
  {
    auto store = OpenSqliteStore(SqliteOptions{.path = path, .read_connections = 3});
    ASSERT_TRUE(store.ok()) << store.error().message;
    WriteOrFail(**store, [](StoreWriter& tx) {
      EXPECT_TRUE(tx.InsertUser(MakeUser("u1", "one@example.com"), "hash-1"));
      tx.InsertTask(MakeTask("t1", "u1", "Written before the stop"));
    });
    // Readers that have read keep a snapshot open: they too must let go.
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(ReadOrFail(**store, [](StoreReader& tx) { return tx.FindTask("u1", "t1"); }));
    }
  }
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));

  const std::string copy = dir.File("copy.db");
  std::filesystem::copy_file(path, copy);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(copy.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT title FROM tasks WHERE id = 't1'", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "Written before the stop");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace taskflow