// Use cases of tasks. Every call is scoped to `user_id`: another user's task
// is reported as kNotFound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/services.hpp"
#include "domain/result.hpp"
#include "domain/task.hpp"
#include "domain/task_query.hpp"

namespace taskflow {

// Thread-safe (stateless beyond the ports).
class TaskService {
 public:
  explicit TaskService(Ports ports) : ports_(ports) {}

  // Creates the task and any unknown tags; timezone defaults to the owner's.
  Result<Task> Create(const std::string& user_id, TaskDraft draft);
  Result<Task> Get(const std::string& user_id, const std::string& task_id);
  // `if_match`: the version the caller last saw; a different stored version
  // is kPreconditionFailed and changes nothing. An empty or no-op patch
  // returns the task unchanged (no version bump).
  Result<Task> Update(const std::string& user_id, const std::string& task_id, TaskPatch patch,
                      std::optional<std::int64_t> if_match);
  // Idempotent: completing a completed task returns it unchanged.
  Result<Task> Complete(const std::string& user_id, const std::string& task_id);
  Result<Task> Reopen(const std::string& user_id, const std::string& task_id);
  Status Delete(const std::string& user_id, const std::string& task_id,
                std::optional<std::int64_t> if_match);
  Result<TaskPage> List(const std::string& user_id, const TaskQuery& query);

 private:
  Ports ports_;
};

}  // namespace taskflow
