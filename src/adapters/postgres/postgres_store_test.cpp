#include "adapters/postgres/postgres_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "adapters/postgres/postgres_connection.hpp"
#include "adapters/postgres/postgres_migrations.hpp"
#include "adapters/postgres/postgres_test_support.hpp"
#include "domain/text.hpp"
#include "ports/store_contract_test.hpp"

namespace taskflow {
namespace {

using testing::At;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeTask;
using testing::MakeUser;
using ::testing::Not;
using testing::ScratchDatabase;
using testing::StoreContractListTest;
using testing::StoreContractTest;

constexpr int kPoolSize = 3;

std::unique_ptr<Store> OpenStore(const PostgresOptions& options) {
  auto store = OpenPostgresStore(options);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(store).value() : nullptr;
}

// ---- the Store contract (ports/store_contract_test.hpp) ----

// A fresh database per test on the shared test server.
class PostgresHarness final : public testing::StoreHarness {
 public:
  std::unique_ptr<Store> OpenStore() override {
    if (database_.url().empty()) return nullptr;
    auto migrated = PostgresMigrateUp(database_.url());
    EXPECT_TRUE(migrated.ok()) << migrated.error().message;
    if (!migrated.ok()) return nullptr;
    return taskflow::OpenStore(PostgresOptions{.url = database_.url(), .pool_size = kPoolSize});
  }
  int ReadConnections() const override { return kPoolSize; }

 private:
  ScratchDatabase database_;
};

const testing::StoreBackend kPostgres{"Postgres",
                                      [] { return std::make_unique<PostgresHarness>(); }};
INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest, ::testing::Values(kPostgres),
                         testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractListTest, ::testing::Values(kPostgres),
                         testing::BackendName);

// ---- PostgreSQL only ----

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(database_.url().empty());
    auto migrated = PostgresMigrateUp(database_.url());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    store_ = OpenStore(PostgresOptions{.url = database_.url(), .pool_size = kPoolSize});
    ASSERT_NE(store_, nullptr);
    WriteOk([](StoreWriter& tx) {
      EXPECT_TRUE(tx.InsertUser(MakeUser("u1", "one@example.com"), "hash-1"));
      EXPECT_TRUE(tx.InsertUser(MakeUser("u2", "two@example.com"), "hash-2"));
    });
  }

  // Runs `work` in a write transaction that must commit.
  void WriteOk(const std::function<void(StoreWriter&)>& work, Store* store = nullptr) {
    Status status =
        (store != nullptr ? store : store_.get())->Write([&](StoreWriter& tx) -> Status {
          work(tx);
          return {};
        });
    EXPECT_TRUE(status.ok()) << status.error().message;
  }

  std::optional<Task> Find(const std::string& user_id, const std::string& task_id) {
    std::optional<Task> task;
    Status status = store_->Read([&](StoreReader& tx) -> Status {
      task = tx.FindTask(user_id, task_id);
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return task;
  }

  std::vector<std::string> SearchIds(const std::string& folded_text) {
    std::vector<std::string> ids;
    TaskQuery query;
    query.text = folded_text;
    Status status = store_->Read([&](StoreReader& tx) -> Status {
      for (const Task& task : tx.ListTasks("u1", query).tasks) ids.push_back(task.id);
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return ids;
  }

  // The connections of this database's clients, other than the asking one.
  int Connections(const std::string& application_name = "taskflow") {
    const auto rows = testing::QueryColumn(
        database_.url(),
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND application_name = '" +
            application_name + "'");
    return rows.empty() ? -1 : std::stoi(rows[0]);
  }

  ScratchDatabase database_;
  std::unique_ptr<Store> store_;
};

TEST_F(PostgresStoreTest, InstantsRoundTripToTheMillisecond) {
  const std::vector<long long> instants = {
      -62'135'596'800'000,  // 0001-01-01T00:00:00Z
      -62'135'596'799'999,  // … and a millisecond
      -1,
      0,
      1'700'000'000'123,
      253'402'300'799'999,  // 9999-12-31T23:59:59.999Z
  };
  for (std::size_t i = 0; i < instants.size(); ++i) {
    Task task = MakeTask("t" + std::to_string(i), "u1", "Instant", instants[i]);
    task.due_at = At(instants[i]);
    task.completed_at = At(instants[i]);
    task.updated_at = At(instants[i]);
    WriteOk([&](StoreWriter& tx) { tx.InsertTask(task); });
    const auto stored = Find("u1", task.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->due_at, task.due_at) << instants[i];
    EXPECT_EQ(stored->created_at, task.created_at) << instants[i];
    EXPECT_EQ(stored->updated_at, task.updated_at) << instants[i];
    EXPECT_EQ(stored->completed_at, task.completed_at) << instants[i];
  }
  // Bounds compare exactly too.
  TaskQuery query;
  query.due_after = At(1'700'000'000'123);
  query.due_before = At(1'700'000'000'123);
  Status status = store_->Read([&](StoreReader& tx) -> Status {
    EXPECT_EQ(tx.ListTasks("u1", query).total, 1);
    return {};
  });
  EXPECT_TRUE(status.ok());
}

TEST_F(PostgresStoreTest, SearchMatchesLikeWildcardsLiterally) {
  WriteOk([](StoreWriter& tx) {
    tx.InsertTask(MakeTask("t1", "u1", "100% done"));
    tx.InsertTask(MakeTask("t2", "u1", "snake_case names"));
    Task slash = MakeTask("t3", "u1", "Plain title");
    slash.description = R"(C:\path\to)";
    tx.InsertTask(slash);
    tx.InsertTask(MakeTask("t4", "u1", "nothing special"));
  });
  EXPECT_THAT(SearchIds("%"), ElementsAre("t1"));
  EXPECT_THAT(SearchIds("0% d"), ElementsAre("t1"));
  EXPECT_THAT(SearchIds("_"), ElementsAre("t2"));
  EXPECT_THAT(SearchIds("e_c"), ElementsAre("t2"));
  EXPECT_THAT(SearchIds("\\"), ElementsAre("t3"));
  EXPECT_THAT(SearchIds(R"(\path)"), ElementsAre("t3"));
  EXPECT_THAT(SearchIds("%%"), IsEmpty());
  EXPECT_THAT(SearchIds("n_t"), IsEmpty());
}

TEST_F(PostgresStoreTest, OfConcurrentUpdatesOfOneVersionExactlyOneWins) {
  WriteOk([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "Race")); });
  for (int round = 0; round < 5; ++round) {
    const Task current = *Find("u1", "t1");
    constexpr int kWriters = 6;
    std::atomic<int> winners{0};
    std::latch start(kWriters);
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        Task next = current;
        next.title = "writer " + std::to_string(w);
        next.version = current.version + 1;
        start.arrive_and_wait();
        bool won = false;
        Status status = store_->Write([&](StoreWriter& tx) -> Status {
          won = tx.UpdateTask(next, current.version);
          return {};
        });
        EXPECT_TRUE(status.ok()) << status.error().message;
        if (won) ++winners;
      });
    }
    for (auto& writer : writers) writer.join();
    EXPECT_EQ(winners.load(), 1) << "round " << round;
    EXPECT_EQ(Find("u1", "t1")->version, current.version + 1);
  }
}

TEST_F(PostgresStoreTest, WritersOfOneOwnerNeverRaceOnANewTagName) {
  // Each writer does what creating a task with a new tag does: look the tag
  // up by name, create it when absent, link it. One tag, every task linked.
  constexpr int kWriters = 8;
  std::latch start(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string task_id = "t" + std::to_string(w);
      start.arrive_and_wait();
      Status status = store_->Write([&](StoreWriter& tx) -> Status {
        tx.InsertTask(MakeTask(task_id, "u1", "Tagged " + task_id));
        std::optional<Tag> tag = tx.FindTagByKey("u1", "shared");
        if (!tag) {
          tag = Tag{.id = "g" + std::to_string(w), .user_id = "u1", .name = "Shared"};
          if (!tx.InsertTag(*tag)) return Error::Conflict("lost the race for the tag");
        }
        tx.SetTaskTags(task_id, {tag->id});
        return {};
      });
      EXPECT_TRUE(status.ok()) << status.error().message;
    });
  }
  for (auto& writer : writers) writer.join();
  Status status = store_->Read([&](StoreReader& tx) -> Status {
    const auto tags = tx.ListTags("u1");
    EXPECT_EQ(tags.size(), 1u);
    if (!tags.empty()) {
      EXPECT_EQ(tags[0].task_count, kWriters);
    }
    return {};
  });
  EXPECT_TRUE(status.ok());
}

TEST_F(PostgresStoreTest, ADeadlockIsRunAgain) {
  // Two writers lock two owners in opposite orders: PostgreSQL breaks the
  // deadlock by failing one (40P01); the store runs that one again.
  std::atomic<int> runs{0};
  std::latch both_hold_one(2);
  auto writer = [&](const std::string& first, const std::string& second) {
    bool first_run = true;
    Status status = store_->Write([&](StoreWriter& tx) -> Status {
      ++runs;
      tx.FindUser(first);
      if (first_run) {
        first_run = false;
        both_hold_one.arrive_and_wait();
      }
      tx.FindUser(second);
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
  };
  std::thread a(writer, "u1", "u2");
  std::thread b(writer, "u2", "u1");
  a.join();
  b.join();
  EXPECT_EQ(runs.load(), 3);
}

TEST_F(PostgresStoreTest, RunsAgainOnlyAfterClass40FailuresAndBoundedly) {
  int runs = 0;
  Status status = store_->Write([&](StoreWriter&) -> Status {
    ++runs;
    throw postgres::SqlFailure("could not serialize access", "40001", true);
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(runs, 3);  // PostgresOptions::write_attempts

  runs = 0;
  status = store_->Write([&](StoreWriter& tx) -> Status {
    if (++runs == 1) throw postgres::SqlFailure("deadlock detected", "40P01", true);
    tx.InsertTask(MakeTask("t1", "u1", "Second run"));
    return {};
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(runs, 2);
  EXPECT_TRUE(Find("u1", "t1"));

  runs = 0;
  status = store_->Write([&](StoreWriter&) -> Status {
    ++runs;
    throw postgres::SqlFailure("lock timeout", "55P03", true);
  });
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(runs, 1);

  auto once =
      OpenStore(PostgresOptions{.url = database_.url(), .pool_size = 1, .write_attempts = 1});
  ASSERT_NE(once, nullptr);
  runs = 0;
  status = once->Write([&](StoreWriter&) -> Status {
    ++runs;
    throw postgres::SqlFailure("deadlock detected", "40P01", true);
  });
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(runs, 1);
}

TEST_F(PostgresStoreTest, ALockedRowIsUnavailableNotBroken) {
  WriteOk([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "Locked")); });
  // URI parameters reach the server untouched: here a lock timeout.
  auto store = OpenStore(
      PostgresOptions{.url = database_.url() + "?options=-c%20lock_timeout%3D100", .pool_size = 2});
  ASSERT_NE(store, nullptr);

  PGconn* other = PQconnectdb(database_.url().c_str());
  ASSERT_EQ(PQstatus(other), CONNECTION_OK);
  PQclear(PQexec(other, "BEGIN"));
  PGresult* locked = PQexec(other, "SELECT 1 FROM tasks WHERE id = 't1' FOR UPDATE");
  ASSERT_EQ(PQresultStatus(locked), PGRES_TUPLES_OK);
  PQclear(locked);

  Task renamed = *Find("u1", "t1");
  renamed.title = "Renamed";
  renamed.version = 2;
  Status status = store->Write([&](StoreWriter& tx) -> Status {
    tx.UpdateTask(renamed, 1);
    return {};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable) << status.error().message;
  EXPECT_THAT(status.error().message, HasSubstr("55P03"));
  // Reads go on beside the lock.
  EXPECT_TRUE(store
                  ->Read([](StoreReader& tx) -> Status {
                    return tx.FindTask("u1", "t1") ? Status{} : Error::NotFound("t1");
                  })
                  .ok());

  PQclear(PQexec(other, "COMMIT"));
  PQfinish(other);
  bool updated = false;
  status = store->Write([&](StoreWriter& tx) -> Status {
    updated = tx.UpdateTask(renamed, 1);
    return {};
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  EXPECT_TRUE(updated);
}

TEST_F(PostgresStoreTest, ConnectionsKilledByTheServerAreReplaced) {
  WriteOk([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "Survivor")); });
  EXPECT_TRUE(Find("u1", "t1"));
  // A restart, a failover or a managed service's idle timeout: every pooled
  // connection dies while idle.
  const auto killed =
      testing::QueryColumn(database_.url(),
                           "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_THAT(killed, Not(ElementsAre("0")));
  EXPECT_TRUE(Find("u1", "t1"));
  testing::QueryColumn(database_.url(),
                       "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  WriteOk([](StoreWriter& tx) { tx.InsertTask(MakeTask("t2", "u1", "After")); });
  testing::QueryColumn(database_.url(),
                       "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  EXPECT_TRUE(store_->Ping());
}

TEST_F(PostgresStoreTest, ThePoolNeverOpensMoreThanItsSize) {
  auto store = OpenStore(PostgresOptions{
      .url = database_.url() + "?application_name=taskflow-pool-probe", .pool_size = 2});
  ASSERT_NE(store, nullptr);
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 6; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        Status status = store->Read([](StoreReader& tx) -> Status {
          tx.ListTasks("u1", TaskQuery{});
          return {};
        });
        if (!status.ok()) ++failures;
      }
    });
  }
  int most = 0;
  for (int i = 0; i < 10; ++i) {
    most = std::max(most, Connections("taskflow-pool-probe"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(most, 1);
  EXPECT_LE(most, 2);
}

TEST_F(PostgresStoreTest, AnExhaustedPoolIsUnavailable) {
  auto store =
      OpenStore(PostgresOptions{.url = database_.url(), .pool_size = 1, .acquire_timeout_ms = 100});
  ASSERT_NE(store, nullptr);
  std::latch holding(1);
  std::latch release(1);
  std::thread holder([&] {
    Status status = store->Read([&](StoreReader&) -> Status {
      holding.count_down();
      release.wait();
      return {};
    });
    EXPECT_TRUE(status.ok());
  });
  holding.wait();
  Status status = store->Read([](StoreReader&) -> Status { return {}; });
  release.count_down();
  holder.join();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(store->Read([](StoreReader&) -> Status { return {}; }).ok());
}

TEST_F(PostgresStoreTest, ReadsAreReadOnly) {
  Status status = store_->Read([](StoreReader& tx) -> Status {
    // The repository behind a read could write; the transaction refuses.
    dynamic_cast<StoreWriter&>(tx).InsertTask(MakeTask("t1", "u1", "Sneaky"));
    return {};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("read-only"));
  EXPECT_FALSE(Find("u1", "t1"));
}

TEST_F(PostgresStoreTest, UriParametersReachLibpqUntouched) {
  auto probe = OpenStore(PostgresOptions{
      .url = database_.url() + "?application_name=taskflow-uri-probe&sslmode=disable"});
  ASSERT_NE(probe, nullptr);
  EXPECT_TRUE(probe->Ping());
  EXPECT_EQ(Connections("taskflow-uri-probe"), 1);

  // sslmode=require against a server without TLS: refused, not downgraded.
  auto tls = OpenPostgresStore(PostgresOptions{.url = database_.url() + "?sslmode=require"});
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(tls.error().message, HasSubstr("SSL"));
}

TEST_F(PostgresStoreTest, ErrorsNeverQuoteThePassword) {
  // The test server's URL is postgresql://taskflow:<password>@host:port/db.
  const std::string& url = database_.url();
  const std::size_t colon = url.find(':', url.find("://") + 3);
  const std::size_t at = url.find('@');
  ASSERT_NE(at, std::string::npos);
  const std::string password = url.substr(colon + 1, at - colon - 1);
  const std::string rest = url.substr(at);
  for (const std::string& bad_password :
       {password + "x", std::string("s3cr%zzet"), std::string("s3cr%")}) {
    const std::string bad = url.substr(0, colon + 1) + bad_password + rest;
    auto store = OpenPostgresStore(PostgresOptions{.url = bad});
    ASSERT_FALSE(store.ok()) << bad_password;
    EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(store.error().message, Not(HasSubstr(bad_password)));
    EXPECT_THAT(store.error().message, Not(HasSubstr("zzet")));
    auto migrated = PostgresMigrateUp(bad);
    ASSERT_FALSE(migrated.ok());
    EXPECT_THAT(migrated.error().message, Not(HasSubstr(bad_password)));
  }
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailable) {
  auto store = OpenPostgresStore(
      PostgresOptions{.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(store.error().message, HasSubstr("cannot connect"));
}

}  // namespace
}  // namespace taskflow
