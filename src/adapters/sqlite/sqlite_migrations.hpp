// Versioned, reversible schema migrations for SQLite, embedded in the binary
// and recorded in `schema_migrations` (version, name, applied_at).
#pragma once

#include <string>
#include <vector>

#include "adapters/sql/migration_support.hpp"
#include "domain/result.hpp"

namespace taskflow {

// Applies every pending migration, each in its own transaction. Returns the
// versions applied (empty when already current).
Result<std::vector<int>> SqliteMigrateUp(const std::string& path);
// Reverts the last `steps` applied migrations, newest first, each in its own
// transaction. Returns the versions reverted.
Result<std::vector<int>> SqliteMigrateDown(const std::string& path, int steps);
// Every known migration and whether it is applied.
Result<std::vector<MigrationState>> SqliteMigrationStatus(const std::string& path);

}  // namespace taskflow
