#include "adapters/sqlite/wal_change_counter.hpp"

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/sqlite/sqlite_test_support.hpp"

namespace taskflow::sqlite {
namespace {

using testing::TempDir;

std::unique_ptr<Connection> OpenWal(const std::string& path) {
  auto connection = Connection::Open(ConnectionOptions{.path = path});
  connection->Exec("CREATE TABLE IF NOT EXISTS t (x INTEGER)");  // maps the WAL index
  return connection;
}

TEST(WalChangeCounterTest, MovesWithEveryCommitOfAnyConnectionAndOnlyThen) {
  TempDir dir;
  const std::string path = dir.File("wal.db");
  auto writer = OpenWal(path);
  auto other = OpenWal(path);
  auto counter = WalChangeCounter::Open(*writer);
  ASSERT_NE(counter, nullptr);

  const std::uint32_t before = counter->Load();
  writer->Exec("INSERT INTO t VALUES (1)");
  const std::uint32_t after_one = counter->Load();
  EXPECT_NE(after_one, before);

  other->Exec("SELECT count(*) FROM t");  // reads commit nothing
  EXPECT_EQ(counter->Load(), after_one);

  other->Exec("BEGIN; INSERT INTO t VALUES (2); INSERT INTO t VALUES (3); COMMIT");
  const std::uint32_t after_two = counter->Load();
  EXPECT_NE(after_two, after_one);

  other->Exec("BEGIN; INSERT INTO t VALUES (4); ROLLBACK");
  EXPECT_EQ(counter->Load(), after_two) << "a rolled back transaction is no commit";
}

TEST(WalChangeCounterTest, IsUnavailableWithoutAWalIndex) {
  TempDir dir;
  auto connection = Connection::Open(ConnectionOptions{.path = dir.File("rollback.db")});
  connection->Exec("PRAGMA journal_mode = DELETE; CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(WalChangeCounter::Open(*connection), nullptr);
}

}  // namespace
}  // namespace taskflow::sqlite
