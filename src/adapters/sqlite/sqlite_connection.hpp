// Private to the SQLite adapter: RAII wrappers over sqlite3 and sqlite3_stmt,
// a per-connection cache of prepared statements, and the connection settings
// every Taskflow connection shares (WAL, foreign keys, the taskflow_fold SQL
// function).
//
// Thread-safety: none. A Connection (and its statements) is used by one thread
// at a time; the store hands connections out under a mutex. Errors are thrown
// as StoreFailure, which only Store::Read/Write (and the migration runner)
// catch.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "ports/store.hpp"

namespace taskflow::sqlite {

// A value bound to a `?` parameter.
using SqlValue = std::variant<std::int64_t, std::string>;

// True for result codes worth a retry (busy, locked, I/O, disk full …).
bool IsTransient(int code);

// Throws StoreFailure for `code`, naming `what` and SQLite's own message.
[[noreturn]] void ThrowFailure(int code, std::string_view what, sqlite3* db);

// One prepared statement. Owned by its Connection's cache; used through a
// ScopedStatement, which resets it when the use ends.
class Statement {
 public:
  // `failures` (the owning connection's counter) counts every failure thrown.
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::uint64_t* failures)
      : db_(db), stmt_(stmt), failures_(failures) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT):
  // callers may pass temporaries.
  void BindNull(int index);
  void BindInt64(int index, std::int64_t value);
  void BindText(int index, std::string_view value);
  void Bind(int index, const SqlValue& value);

  // Advances: true when a row is ready, false when done. Throws StoreFailure.
  bool Step();
  // Like Step, but a UNIQUE or PRIMARY KEY violation returns nullopt instead
  // of throwing (the statement's own changes are undone; the transaction
  // goes on).
  std::optional<bool> StepUnlessUniqueViolation();

  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::int64_t Int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::optional<std::int64_t> OptionalInt64(int column) const;
  // Valid until the next Step/Reset of this statement.
  std::string_view TextView(int column) const;
  std::string Text(int column) const { return std::string(TextView(column)); }
  std::optional<std::string> OptionalText(int column) const;

  void Reset();
  const char* sql() const { return sqlite3_sql(stmt_); }

 private:
  void Check(int rc, std::string_view what) const;
  [[noreturn]] void Fail(int rc, std::string_view what) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::uint64_t* failures_;
};

// Borrowed use of a cached Statement; resets it (and clears its bindings) on
// destruction so a cached statement never keeps a read cursor open or holds
// stale values past the repository method that used it.
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement& statement) : statement_(&statement) {}
  ~ScopedStatement() {
    if (statement_ != nullptr) statement_->Reset();
  }
  ScopedStatement(ScopedStatement&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  ScopedStatement& operator=(ScopedStatement&&) = delete;

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

struct ConnectionOptions {
  std::string path;
  bool read_only = false;  // SQLITE_OPEN_READONLY; otherwise read-write, created if absent
  int busy_timeout_ms = 5000;
};

class Connection {
 public:
  // Opens and configures a connection; throws StoreFailure.
  static std::unique_ptr<Connection> Open(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The statement for `sql`, prepared on first use and cached by its text.
  ScopedStatement Prepare(std::string_view sql);
  // Runs one cached statement without parameters to completion (BEGIN, COMMIT …).
  void Run(std::string_view sql);
  // Runs a script of statements, uncached (migrations, pragmas). Throws.
  void Exec(const char* sql);
  // Exec, retried while SQLite answers SQLITE_BUSY, for at most `timeout_ms`.
  // For the statements SQLite fails at once instead of calling the busy
  // handler (where waiting could deadlock): switching the journal mode to WAL
  // needs an exclusive lock, and two connections opening a new file both
  // hold a shared lock while they ask for it.
  void ExecWhileBusy(const char* sql, int timeout_ms);
  // Rolls back the open transaction, if any. Never throws: used on error paths.
  void RollbackQuietly() noexcept;

  sqlite3* handle() const { return db_; }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Failures thrown by this connection's statements so far. A transaction
  // whose work swallowed one must not commit what is left of it.
  std::uint64_t failures() const { return failures_; }
  std::int64_t Changes() const { return sqlite3_changes64(db_); }
  std::int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

  // Keeps the statement cache bounded: list queries come in many shapes. Call
  // only while no statement is in use (between transactions).
  void TrimStatementCache();

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct CachedStatement {
    std::unique_ptr<Statement> statement;
    std::uint64_t last_used = 0;
  };
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  sqlite3* db_;
  std::uint64_t failures_ = 0;
  std::unordered_map<std::string, CachedStatement, TextHash, std::equal_to<>> cache_;
  std::uint64_t use_clock_ = 0;
};

// Creates the directory that will hold the database file, if missing.
// Throws StoreFailure.
void EnsureParentDirectory(const std::string& path);

// Schema version bookkeeping, shared by the migration runner and the store.
// Defined in sqlite_migrations.cpp.
int LatestSchemaVersion();
// Highest applied version in schema_migrations (0 when the table is absent).
int CurrentSchemaVersion(Connection& connection);

}  // namespace taskflow::sqlite
