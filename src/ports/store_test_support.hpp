// Row builders shared by the tests of every Store adapter and by the Store
// contract suite (store_contract_test.hpp). Test-only; header-only.
#pragma once

#include <optional>
#include <string>

#include "domain/task.hpp"
#include "domain/user.hpp"

namespace taskflow::testing {

inline Instant At(long long ms) { return FromUnixMillis(ms); }

inline User MakeUser(const std::string& id, std::optional<std::string> email = std::nullopt) {
  return User{.id = id,
              .email = std::move(email),
              .name = "Name of " + id,
              .timezone = "Europe/Berlin",
              .created_at = At(1'000),
              .updated_at = At(2'000)};
}

inline Task MakeTask(const std::string& id, const std::string& user_id, const std::string& title,
                     long long created_ms = 10'000) {
  Task task;
  task.id = id;
  task.user_id = user_id;
  task.title = title;
  task.created_at = At(created_ms);
  task.updated_at = At(created_ms);
  return task;
}

}  // namespace taskflow::testing
