// The database backend the integration suite runs against. This is the one
// place that knows how to make a fresh database for a backend, so the same
// tests run against SQLite today and PostgreSQL later.
//
//   TASKFLOW_TEST_BACKEND=sqlite (default)  a file in a fresh temp directory
//   TASKFLOW_TEST_BACKEND=postgresql        a fresh database on the server named
//                                           by TASKFLOW_TEST_POSTGRES_URL (libpq URI
//                                           of a role allowed to CREATE DATABASE), or
//                                           else by TASKFLOW_DATABASE_URL in the file
//                                           TASKFLOW_TEST_POSTGRES_ENV_FILE names (the
//                                           CTest fixture `taskflow_postgres` writes it)
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace taskflow::integration {

// Which backend TASKFLOW_TEST_BACKEND selects: "sqlite" or "postgresql".
std::string TestBackendName();

class TestDatabase {
 public:
  // A fresh, empty database on the selected backend, or null with `error` set.
  static std::unique_ptr<TestDatabase> Create(std::string* error);
  // A fresh SQLite database whatever the backend (for tests of SQLite-only
  // behaviour such as the secret file kept beside the database).
  static std::unique_ptr<TestDatabase> CreateSqlite(std::string* error);
  ~TestDatabase();  // drops the database and removes the scratch directory
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // TASKFLOW_DATABASE_URL for the server.
  const std::string& url() const { return url_; }
  // A scratch directory owned by this database (for SQLite: the data
  // directory that holds the file). Removed on destruction.
  const std::filesystem::path& dir() const { return dir_; }

 private:
  TestDatabase() = default;
  std::string url_;
  std::filesystem::path dir_;
  std::string postgres_admin_url_;  // set when a PostgreSQL database must be dropped
  std::string postgres_name_;
};

}  // namespace taskflow::integration
