// Store adapter over PostgreSQL (libpq), for several service replicas sharing
// one database.
//
// Connections: a bounded pool (PostgresOptions::pool_size), opened on demand,
// shared by reads and writes; a connection found broken is closed and its
// slot reconnects. Statements are named prepared statements, prepared once
// per connection; every value is a parameter.
//
// Transactions, matching the SQLite adapter's guarantees:
// - Read: REPEATABLE READ READ ONLY, one snapshot for every query of the
//   function (a page and its total agree).
// - Write: READ COMMITTED. The first repository call that names an owner
//   takes a transaction-scoped advisory lock on that owner, so write
//   transactions of one user run one after the other across every replica
//   (SQLite serialises all writers; here only writers of the same user wait
//   for each other). Their reads are therefore current until commit: a tag
//   looked up and then created, or a version checked and then written,
//   cannot be raced by another writer of the same user. UpdateTask's version
//   check is additionally atomic by itself (a conditional UPDATE).
// - A serialization failure or deadlock (SQLSTATE class 40) rolls back and
//   runs the function again, up to PostgresOptions::write_attempts runs in
//   all; so `work` must be re-runnable: it may read and write its captures,
//   but must not consume its inputs (no std::move out of them).
// - Before `work` runs, a connection found dead (a server restart, an idle
//   timeout of a managed service) is replaced and the transaction begun
//   again, once.
// Failures become Error{kUnavailable} (connection, timeouts, pool exhausted)
// or Error{kInternal}; nothing is thrown out of Read, Write or Ping.
#pragma once

#include <memory>
#include <string>

#include "domain/result.hpp"
#include "ports/store.hpp"

namespace taskflow {

struct PostgresOptions {
  // libpq URI (postgresql://user:password@host:port/db?sslmode=require&…) or
  // key=value string; every parameter reaches libpq untouched.
  std::string url;
  int pool_size = 10;             // most connections open at once
  int acquire_timeout_ms = 5000;  // wait for a free connection, then kUnavailable
  int write_attempts = 3;         // runs of a transaction hitting class-40 failures (>= 1)
};

// Connects, and checks that migrations are current (kUnavailable with a
// message naming `taskflow migrate up` otherwise).
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

}  // namespace taskflow
