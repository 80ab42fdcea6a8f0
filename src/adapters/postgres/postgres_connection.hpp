// Private to the PostgreSQL adapter: RAII wrappers over libpq (a connection, a
// result), named prepared statements cached per connection, and a bounded,
// thread-safe pool of connections.
//
// Every value travels as a parameter in libpq's text format; SQL text is only
// ever assembled from fixed fragments. Instants are written as RFC 3339 text
// cast to timestamptz and read back as Unix milliseconds (exact: see
// postgres_store.cpp), so no session setting (TimeZone, DateStyle) can change
// what is stored or read.
//
// Thread-safety: a Connection (and the Rows it returns) is used by one thread
// at a time. ConnectionPool is thread-safe. Errors are thrown as SqlFailure (a
// StoreFailure), which only Store::Read/Write and the migration runner catch.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ports/store.hpp"

namespace taskflow::postgres {

// A storage failure with PostgreSQL's SQLSTATE ("" when the server gave none,
// e.g. a lost connection).
class SqlFailure : public StoreFailure {
 public:
  SqlFailure(std::string what, std::string sqlstate, bool transient)
      : StoreFailure(std::move(what), transient), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // A serialization failure or a deadlock: the transaction was rolled back
  // by the server and running it again may well succeed.
  bool retryable() const;

 private:
  std::string sqlstate_;
};

// Class 40 (serialization failure, deadlock detected): run the transaction again.
bool IsRetryableSqlState(std::string_view sqlstate);
// Worth a later retry but not a re-run now: connection problems, shutdown,
// resource exhaustion, lock and statement timeouts, plus class 40.
bool IsTransientSqlState(std::string_view sqlstate);

// A parameter in text form; nullopt is SQL NULL.
using Param = std::optional<std::string>;

// `values` as a PostgreSQL array literal ({"a","b\"c"}), every element
// quoted, for a `$n::text[]` parameter.
std::string ArrayLiteral(std::span<const std::string> values);
// The same with SQL NULL elements for nullopt, for arrays of any element type
// given in text form ($n::integer[], $n::timestamptz[] …).
std::string ArrayLiteral(std::span<const Param> values);

// Escapes the LIKE wildcards (% _) and the escape character (\) of `text`.
std::string EscapeLike(std::string_view text);

// The result of one statement. Accessors take 0-based row and column.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result) {}
  Rows(Rows&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  Rows& operator=(Rows&&) = delete;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  ~Rows() { PQclear(result_); }

  int size() const { return PQntuples(result_); }
  bool empty() const { return size() == 0; }
  // Rows inserted, updated or deleted by the statement.
  long long affected() const;

  bool IsNull(int row, int column) const { return PQgetisnull(result_, row, column) == 1; }
  // Valid while this Rows lives.
  std::string_view TextView(int row, int column) const;
  std::string Text(int row, int column) const { return std::string(TextView(row, column)); }
  std::optional<std::string> OptionalText(int row, int column) const;
  // Throws StoreFailure when the column is not an integer.
  std::int64_t Int64(int row, int column) const;
  std::optional<std::int64_t> OptionalInt64(int row, int column) const;
  bool Bool(int row, int column) const { return TextView(row, column) == "t"; }

 private:
  PGresult* result_;
};

class Connection {
 public:
  // Connects with `url`, a libpq URI (postgresql://…, postgres://…) or
  // key=value string, whose every parameter (sslmode, options, …) libpq
  // applies as given. Adds only defaults the URL may override
  // (application_name, connect_timeout) and forces UTF-8 client encoding.
  // Throws SqlFailure (transient) when the server cannot be reached.
  static std::unique_ptr<Connection> Open(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` ($1, $2 … placeholders) as a named prepared statement,
  // prepared on this connection at its first use and cached by its text.
  // Throws SqlFailure.
  Rows Exec(std::string_view sql, std::span<const Param> params);
  Rows Exec(std::string_view sql, std::initializer_list<Param> params = {}) {
    return Exec(sql, std::span<const Param>(params.begin(), params.size()));
  }
  // Runs a script without parameters through the simple query protocol
  // (BEGIN, COMMIT, migration steps). Throws SqlFailure.
  void Run(const char* sql);
  // Rolls back the open transaction, if any. Never throws.
  void RollbackQuietly() noexcept;

  // The connection is gone (server restart, network, idle timeout): discard it.
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  bool InTransaction() const;
  // A statement of the open transaction failed: COMMIT would roll back.
  bool InFailedTransaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }
  // Failures thrown by this connection so far. A transaction whose work
  // swallowed one must not commit what is left of it.
  std::uint64_t failures() const { return failures_; }

  // Keeps the prepared-statement cache bounded: list queries come in many
  // shapes. Call only between transactions.
  void TrimStatementCache();

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // The prepared statement's name for `sql`, preparing it when new.
  const std::string& Prepared(std::string_view sql, int param_count);
  [[noreturn]] void Fail(PGresult* result, std::string_view what);

  struct CachedStatement {
    std::string name;
    std::uint64_t last_used = 0;
  };
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  PGconn* conn_;
  std::uint64_t failures_ = 0;
  std::uint64_t next_statement_ = 0;
  std::uint64_t use_clock_ = 0;
  std::unordered_map<std::string, CachedStatement, TextHash, std::equal_to<>> statements_;
};

// At most `size` connections, opened on demand (a pool of 20 does not hold
// 20 server connections while idle traffic needs two) and reused. A broken
// connection is closed when returned; its slot opens a fresh one next time.
class ConnectionPool {
 public:
  ConnectionPool(std::string url, int size, std::chrono::milliseconds acquire_timeout);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection borrowed for one transaction; returned to the pool (or
  // closed, when broken or discarded) on destruction.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }
    // Closes the connection instead of returning it.
    void Discard() { discard_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
    bool discard_ = false;
  };

  // Waits up to the acquire timeout for an idle connection or a free slot.
  // Throws SqlFailure (transient) on timeout or when connecting fails.
  Lease Acquire();
  // Closes every idle connection: after one was found dead, the others
  // (opened as long ago, to the same server) probably are too.
  void CloseIdle();

  int size() const { return size_; }

 private:
  void Return(std::unique_ptr<Connection> connection, bool discard);

  const std::string url_;
  const int size_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  int open_ = 0;                                   // guarded by mutex_: idle + lent + opening
};

// Schema version bookkeeping, shared by the migration runner and the store.
// Defined in postgres_migrations.cpp.
int LatestSchemaVersion();
// Highest applied version in schema_migrations (0 when the table is absent).
int CurrentSchemaVersion(Connection& connection);

}  // namespace taskflow::postgres
