#include "adapters/sqlite/wal_checkpointer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/sqlite/sqlite_test_support.hpp"

namespace taskflow::sqlite {
namespace {

using taskflow::testing::TempDir;

// Rows of ~3 KB: about one WAL page each.
void InsertRows(Connection& db, int count) {
  for (int i = 0; i < count; ++i) {
    db.Exec("INSERT INTO filler(payload) VALUES (randomblob(3000))");
  }
}

std::uintmax_t WalBytes(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path + "-wal", ec);
  return ec ? 0 : size;
}

TEST(WalCheckpointerTest, TheBackgroundThreadCheckpointsOnceTheWalPassesTheThreshold) {
  TempDir dir;
  const std::string path = dir.File("wal.db");
  auto writer = Connection::Open(ConnectionOptions{.path = path});
  writer->Exec("CREATE TABLE filler(id INTEGER PRIMARY KEY, payload BLOB)");
  // Every row writes at least its own leaf page to the WAL, often more (an
  // ASan run once passed 50 pages within the first 20 rows, when 50 was the
  // threshold here): 20 rows stay well below 200 pages, 300 more go past it.
  WalCheckpointer checkpointer(path, *writer, 200, 100000);

  InsertRows(*writer, 20);
  EXPECT_EQ(checkpointer.completed(), 0u) << "below the threshold nothing runs";
  InsertRows(*writer, 300);
  // The thread runs asynchronously: wait for it (bounded), not for a time.
  for (int i = 0; i < 30000 && !checkpointer.caught_up(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_GE(checkpointer.completed(), 1u);
  // Once checkpointed, the next write starts the WAL over instead of growing it.
  const std::uintmax_t before = WalBytes(path);
  InsertRows(*writer, 5);
  EXPECT_LE(WalBytes(path), before);
}

TEST(WalCheckpointerTest, TheWriterCheckpointsInlineAtTheBackstop) {
  TempDir dir;
  const std::string path = dir.File("wal.db");
  auto writer = Connection::Open(ConnectionOptions{.path = path});
  writer->Exec("CREATE TABLE filler(id INTEGER PRIMARY KEY, payload BLOB)");
  // A threshold the test never reaches in time… except through the backstop.
  WalCheckpointer checkpointer(path, *writer, 1000000, 40);
  for (int i = 0; i < 400; ++i) InsertRows(*writer, 1);
  // 400 pages written; the backstop restarts the WAL every ~40.
  EXPECT_LT(WalBytes(path), 100u * 4200u);
}

}  // namespace
}  // namespace taskflow::sqlite
