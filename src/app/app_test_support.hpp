// Wires the use cases to a real SQLite database in a fresh temporary directory,
// a manual clock and fast (minimum-cost) argon2, for the app tests.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>

#include "adapters/crypto/argon2_password_hasher.hpp"
#include "adapters/crypto/jwt_token_service.hpp"
#include "adapters/sqlite/sqlite_migrations.hpp"
#include "adapters/sqlite/sqlite_store.hpp"
#include "adapters/system/uuid_v7_generator.hpp"
#include "app/account_service.hpp"
#include "app/tag_service.hpp"
#include "app/task_service.hpp"
#include "ports/manual_clock.hpp"

namespace taskflow::testing {

inline constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-app-tests";

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitSodium());
    dir_ = std::filesystem::temp_directory_path() /
           ("taskflow-app-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "taskflow.db").string();
    ASSERT_TRUE(SqliteMigrateUp(path).ok());
    auto store = OpenSqliteStore(SqliteOptions{.path = path});
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Ports ports() { return Ports{*store_, clock_, ids_, hasher_, tokens_}; }

  // A user known only by a token, as the seed's front end creates them.
  std::string NewUser(AccountService& accounts) {
    const std::string id = ids_.NewId();
    auto user_id = accounts.Authenticate(tokens_.Issue(id, std::nullopt));
    EXPECT_TRUE(user_id.ok());
    return id;
  }

  ManualClock clock_{FromUnixMillis(1'790'000'000'000)};  // 2026-09-21
  UuidV7Generator ids_{clock_};
  Argon2PasswordHasher hasher_{Argon2Limits::Minimum()};
  JwtTokenService tokens_{kSecret, clock_};
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace taskflow::testing
