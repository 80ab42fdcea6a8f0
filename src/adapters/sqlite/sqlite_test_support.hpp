// Test helpers of the SQLite adapter: a scratch directory and row builders.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "domain/task.hpp"
#include "domain/user.hpp"

namespace taskflow::testing {

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "taskflow-sqlite-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

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
