#include "adapters/sql/migration_runner.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "adapters/sql/migration_support.hpp"

namespace taskflow::sql {

Result<std::vector<int>> ApplyPending(MigrationSession& session,
                                      std::span<const MigrationName> known) {
  std::vector<int> applied;
  for (const MigrationName& migration : known) {
    const std::string context =
        "migration " + std::to_string(migration.version) + " (" + std::string(migration.name) + ")";
    try {
      bool ran = false;
      session.InTransaction([&] {
        if (session.IsApplied(migration.version)) return;
        session.Apply(migration.version);
        ran = true;
      });
      if (ran) applied.push_back(migration.version);
    } catch (const StoreFailure& failure) {
      return MigrationError(failure, context);
    }
  }
  return applied;
}

Result<std::vector<int>> RevertNewest(MigrationSession& session,
                                      std::span<const MigrationName> known, int steps) {
  std::vector<int> reverted;
  for (int i = 0; i < steps; ++i) {
    int version = 0;
    std::optional<Error> unknown;
    session.InTransaction([&] {
      version = session.CurrentVersion();
      if (version == 0) return;
      const bool is_known = std::any_of(
          known.begin(), known.end(), [&](const MigrationName& m) { return m.version == version; });
      if (!is_known) {
        unknown = Error::Internal("migration " + std::to_string(version) +
                                  " is unknown to this build: use the build that applied it");
        return;
      }
      session.Revert(version);
    });
    if (unknown) return std::move(*unknown);
    if (version == 0) break;
    reverted.push_back(version);
  }
  return reverted;
}

}  // namespace taskflow::sql
