// Use cases of tasks. Every call is scoped to `user_id`: another user's task
// is reported as kNotFound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/services.hpp"
#include "domain/quick_add.hpp"
#include "domain/quick_add_draft.hpp"
#include "domain/result.hpp"
#include "domain/task.hpp"
#include "domain/task_query.hpp"

namespace taskflow {

struct TaskServiceOptions {
  // Complete creates a recurring task's next occurrence in its own
  // transaction (and records the completion as processed by the recurring
  // consumer, so that consumer skips it). Off when the recurring role runs in
  // another process (distributed mode): the "completed" event makes it there.
  bool inline_next_occurrence = true;
};

// Thread-safe (stateless beyond the ports). Every change appends its domain
// events (app/event_messages.hpp) to the outbox in its own transaction.
class TaskService {
 public:
  explicit TaskService(Ports ports, TaskServiceOptions options = {})
      : ports_(ports), options_(options) {}

  // Creates the task and any unknown tags; timezone defaults to the owner's.
  // A due date without a time makes it all-day in that zone; reminders are
  // planned from the due date.
  Result<Task> Create(const std::string& user_id, TaskDraft draft);
  Result<Task> Get(const std::string& user_id, const std::string& task_id);
  // `if_match`: the version the caller last saw; a different stored version
  // is kPreconditionFailed and changes nothing. An empty or no-op patch
  // returns the task unchanged (no version bump).
  Result<Task> Update(const std::string& user_id, const std::string& task_id, TaskPatch patch,
                      std::optional<std::int64_t> if_match);
  // Idempotent: completing a completed task returns it unchanged. Cancels
  // its reminders that were not sent; a recurring task gets its next
  // occurrence in the same transaction (CreateNextOccurrence) unless
  // options.inline_next_occurrence is off, which shows in lists. The answer
  // is the completed task.
  Result<Task> Complete(const std::string& user_id, const std::string& task_id);
  // Reminders not yet sent whose moment is still ahead are planned again.
  Result<Task> Reopen(const std::string& user_id, const std::string& task_id);
  Status Delete(const std::string& user_id, const std::string& task_id,
                std::optional<std::int64_t> if_match);
  Result<TaskPage> List(const std::string& user_id, const TaskQuery& query);

  // Reads `input.text` as quick add does (ParseQuickAdd) at `input.now` (the
  // clock's by default), in `input.timezone` (the user's by default), with
  // the user's date order. Creates nothing.
  Result<QuickAddResult> ParseQuickAdd(const std::string& user_id, QuickAddInput input);
  // Parses `text` now, in the user's zone, and creates the task it
  // describes. A text that leaves no title is kInvalidArgument on "text".
  Result<Task> QuickAdd(const std::string& user_id, std::string text);

 private:
  Ports ports_;
  TaskServiceOptions options_;
};

}  // namespace taskflow
