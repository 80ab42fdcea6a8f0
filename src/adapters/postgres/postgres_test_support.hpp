// Test helpers of the PostgreSQL adapter: the server the tests run against,
// a fresh database per test, and plain libpq queries that bypass the adapter.
#pragma once

#include <string>
#include <vector>

namespace taskflow::testing {

// The PostgreSQL server of the tests, as the libpq URI of a role that may
// CREATE DATABASE:
// 1. TASKFLOW_TEST_POSTGRES_URL, when set (a server of your own);
// 2. else TASKFLOW_DATABASE_URL from the file TASKFLOW_TEST_POSTGRES_ENV_FILE
//    names (written by the CTest fixture `taskflow_postgres`, which starts one
//    throwaway cluster for the whole run);
// 3. else a throwaway cluster this process starts with scripts/peers/pg-up on
//    first use and stops at exit (running a test binary by hand).
// Empty, with `error` set, when none can be had.
const std::string& PostgresServerUrl(std::string* error);

// `url` (a postgresql:// URI) with its database replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database);

// A fresh, empty database on the test server, dropped with its connections
// on destruction. url() is empty (and a failure recorded) when it could not
// be created.
class ScratchDatabase {
 public:
  ScratchDatabase();
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

// Runs `sql` over a new connection to `url`: the first column of every row
// as text ("NULL" for null). Records a failure on error.
std::vector<std::string> QueryColumn(const std::string& url, const std::string& sql);

// Runs `sql` over a new connection to `url`; the error message, or "".
std::string Execute(const std::string& url, const std::string& sql);

}  // namespace taskflow::testing
