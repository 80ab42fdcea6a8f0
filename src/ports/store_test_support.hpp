// Row builders and transaction helpers shared by the tests of every Store
// adapter and by the Store contract suite (store_contract_test.hpp).
// Test-only; header-only.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "domain/task.hpp"
#include "domain/user.hpp"
#include "ports/store.hpp"

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

// Runs `work` in a write transaction of `store` that must commit; returns
// its value.
template <class Work>
auto WriteOrFail(Store& store, Work work) {
  using Value = decltype(work(std::declval<StoreWriter&>()));
  if constexpr (std::is_void_v<Value>) {
    Status status = store.Write([&](StoreWriter& tx) -> Status {
      work(tx);
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
  } else {
    Value value{};
    Status status = store.Write([&](StoreWriter& tx) -> Status {
      value = work(tx);
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return value;
  }
}

// Runs `work` in a read transaction of `store` that must succeed; returns its value.
template <class Work>
auto ReadOrFail(Store& store, Work work) {
  decltype(work(std::declval<StoreReader&>())) value{};
  Status status = store.Read([&](StoreReader& tx) -> Status {
    value = work(tx);
    return {};
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return value;
}

}  // namespace taskflow::testing
