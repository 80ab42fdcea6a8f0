// The loops of `migrate up` and `migrate down`, shared by the SQL store
// adapters: which migrations to apply or revert, one transaction each, and
// how a failure becomes an Error. A dialect supplies the session (its
// connection, transactions and SQL); opening it and any lock are its own.
#pragma once

#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace taskflow::sql {

// A migration as the runner sees it.
struct MigrationName {
  int version;
  std::string_view name;
};

// One database a runner migrates. Every method throws StoreFailure on a
// storage failure.
class MigrationSession {
 public:
  virtual ~MigrationSession() = default;
  // Runs `step` in one transaction: commits when it returns, rolls back
  // (and rethrows) when it throws.
  virtual void InTransaction(const std::function<void()>& step) = 0;
  virtual bool IsApplied(int version) = 0;
  // The highest applied version; 0 when none.
  virtual int CurrentVersion() = 0;
  // Runs the up (or down) step of `version`, one of the known migrations,
  // and records (or forgets) it in schema_migrations.
  virtual void Apply(int version) = 0;
  virtual void Revert(int version) = 0;
};

// Applies every migration of `known` (ascending) not applied yet, each in
// its own transaction; whether it is applied is read inside that
// transaction, under the dialect's lock, so racing migrators apply it once.
// Returns the versions applied.
Result<std::vector<int>> ApplyPending(MigrationSession& session,
                                      std::span<const MigrationName> known);

// Reverts the newest applied migration, `steps` times at most (fewer when
// none is left), each in its own transaction. An applied version missing
// from `known` stops it with kInternal. Returns the versions reverted.
Result<std::vector<int>> RevertNewest(MigrationSession& session,
                                      std::span<const MigrationName> known, int steps);

}  // namespace taskflow::sql
