// Versioned, reversible schema migrations for PostgreSQL, embedded in the
// binary and recorded in `schema_migrations` (version, name, applied_at).
// Same version numbers and meaning as the SQLite adapter's: 1 core schema,
// 2 task search index, 3 time (all-day, recurrence, reminders).
//
// Every command takes a session-level advisory lock (kMigrationLockKey) for
// its whole run, so replicas that start at once apply each migration exactly
// once: the others wait, then find the work done. Each migration runs in its
// own transaction (PostgreSQL DDL is transactional).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/sql/migration_support.hpp"
#include "domain/result.hpp"

namespace taskflow {

// "taskflow" in ASCII: the advisory lock key of schema changes. Any other
// application sharing the database must not use it.
inline constexpr std::int64_t kMigrationLockKey = 0x7461736B666C6F77;

// `url` is the libpq URI (or key=value string) of the database, passed to
// libpq untouched. The database must exist; the role needs CREATE on it and,
// the first time, the right to CREATE EXTENSION pg_trgm (a trusted extension:
// the database owner may; on managed services, the default role may).

// Applies every pending migration. Returns the versions applied (empty when
// already current).
Result<std::vector<int>> PostgresMigrateUp(const std::string& url);
// Reverts the last `steps` applied migrations, newest first. Returns the
// versions reverted.
Result<std::vector<int>> PostgresMigrateDown(const std::string& url, int steps);
// Every known migration and whether it is applied. Changes nothing.
Result<std::vector<MigrationState>> PostgresMigrationStatus(const std::string& url);

}  // namespace taskflow
