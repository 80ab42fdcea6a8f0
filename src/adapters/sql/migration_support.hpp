// What the migration runners of the SQL store adapters (SQLite, PostgreSQL)
// share: the state a `migrate status` line shows, and how a failure of a
// migration command becomes an Error. Both runners keep the same version
// numbers with the same meaning (docs/architecture.md).
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "ports/store.hpp"

namespace taskflow {

struct MigrationState {
  int version = 0;
  std::string name;
  bool applied = false;
};

namespace sql {

// kUnavailable when retrying may help (busy, unreachable), kInternal otherwise.
inline Error MigrationError(const StoreFailure& failure, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += failure.what();
  return failure.transient() ? Error::Unavailable(std::move(message))
                             : Error::Internal(std::move(message));
}

// Runs a migration command, turning every failure it throws into an Error.
template <class T, class Body>
Result<T> GuardedMigration(std::string_view context, Body body) {
  try {
    return body();
  } catch (const StoreFailure& failure) {
    return MigrationError(failure, context);
  } catch (const std::exception& e) {
    return Error::Internal(std::string(context) + ": " + e.what());
  } catch (...) {
    return Error::Internal(std::string(context) + ": unknown failure");
  }
}

}  // namespace sql
}  // namespace taskflow
