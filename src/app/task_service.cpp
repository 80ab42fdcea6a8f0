#include "app/task_service.hpp"

#include <algorithm>

#include "domain/text.hpp"

namespace taskflow {
namespace {

const Error kTaskNotFound = Error::NotFound("task not found");

Error VersionMismatch(std::int64_t current) {
  return Error::Precondition("the task has changed since version was read; current version is " +
                             std::to_string(current));
}

struct ResolvedTags {
  std::vector<std::string> ids;
  std::vector<std::string> names;  // the stored spelling, sorted by folded name
};

// Finds each named tag of the user (case-insensitively) or creates it, so the
// task shows the spelling the user gave the tag first.
ResolvedTags ResolveTags(StoreWriter& tx, IdGenerator& ids, const std::string& user_id,
                         const std::vector<std::string>& names) {
  ResolvedTags resolved;
  for (const std::string& name : names) {
    std::optional<Tag> tag = tx.FindTagByKey(user_id, FoldCase(name));
    if (!tag) {
      tag = Tag{.id = ids.NewId(), .user_id = user_id, .name = name, .color = std::nullopt};
      tx.InsertTag(*tag);
    }
    resolved.ids.push_back(tag->id);
    resolved.names.push_back(tag->name);
  }
  std::sort(resolved.names.begin(), resolved.names.end(),
            [](const std::string& a, const std::string& b) { return FoldCase(a) < FoldCase(b); });
  return resolved;
}

}  // namespace

Result<Task> TaskService::Create(const std::string& user_id, TaskDraft draft) {
  auto normalized = NormalizeDraft(std::move(draft));
  if (!normalized) return std::move(normalized).take_error();
  TaskDraft& input = *normalized;

  Task task;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    const Instant now = ports_.clock.Now();
    std::string timezone;
    if (input.timezone) {
      timezone = std::move(*input.timezone);
    } else {
      std::optional<User> owner = tx.FindUser(user_id);
      timezone = owner ? owner->timezone : "UTC";
    }
    task = Task{.id = ports_.ids.NewId(),
                .user_id = user_id,
                .title = std::move(input.title),
                .description = std::move(input.description),
                .status = TaskStatus::kPending,
                .priority = input.priority,
                .due_at = input.due_at,
                .timezone = std::move(timezone),
                .tags = {},
                .remind_before_minutes = input.remind_before_minutes,
                .reminder_sent = false,
                .recurrence_parent_id = std::nullopt,
                .version = 1,
                .created_at = now,
                .updated_at = now,
                .completed_at = std::nullopt};
    tx.InsertTask(task);
    if (!input.tags.empty()) {
      ResolvedTags tags = ResolveTags(tx, ports_.ids, user_id, input.tags);
      tx.SetTaskTags(task.id, tags.ids);
      task.tags = std::move(tags.names);
    }
    return {};
  });
  if (!status) return std::move(status).take_error();
  return task;
}

Result<Task> TaskService::Get(const std::string& user_id, const std::string& task_id) {
  std::optional<Task> task;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    task = tx.FindTask(user_id, task_id);
    return {};
  });
  if (!status) return std::move(status).take_error();
  if (!task) return kTaskNotFound;
  return std::move(*task);
}

Result<Task> TaskService::Update(const std::string& user_id, const std::string& task_id,
                                 TaskPatch patch, std::optional<std::int64_t> if_match) {
  auto normalized = NormalizePatch(std::move(patch));
  if (!normalized) return std::move(normalized).take_error();
  TaskPatch& change = *normalized;

  Task task;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    std::optional<Task> current = tx.FindTask(user_id, task_id);
    if (!current) return kTaskNotFound;
    if (if_match && *if_match != current->version) return VersionMismatch(current->version);

    std::optional<ResolvedTags> tags;
    if (change.tags) {
      tags = ResolveTags(tx, ports_.ids, user_id, *change.tags);
      change.tags = tags->names;  // compare and store the canonical spelling
    }
    task = *current;
    const bool reminder_moved =
        (change.due_at && *change.due_at != task.due_at) ||
        (change.remind_before_minutes && *change.remind_before_minutes != task.remind_before_minutes);
    if (!ApplyPatch(task, change)) return {};  // nothing changed: no new version

    if (reminder_moved) task.reminder_sent = false;
    task.version = current->version + 1;
    task.updated_at = ports_.clock.Now();
    if (!tx.UpdateTask(task, current->version)) return VersionMismatch(current->version);
    if (tags) tx.SetTaskTags(task.id, tags->ids);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return task;
}

Result<Task> TaskService::Complete(const std::string& user_id, const std::string& task_id) {
  Task task;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    std::optional<Task> current = tx.FindTask(user_id, task_id);
    if (!current) return kTaskNotFound;
    task = std::move(*current);
    if (task.status == TaskStatus::kCompleted) return {};  // idempotent

    const Instant now = ports_.clock.Now();
    task.status = TaskStatus::kCompleted;
    task.completed_at = now;
    task.updated_at = now;
    ++task.version;
    if (!tx.UpdateTask(task, task.version - 1)) return VersionMismatch(task.version - 1);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return task;
}

Result<Task> TaskService::Reopen(const std::string& user_id, const std::string& task_id) {
  Task task;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    std::optional<Task> current = tx.FindTask(user_id, task_id);
    if (!current) return kTaskNotFound;
    task = std::move(*current);
    if (task.status == TaskStatus::kPending) return {};  // idempotent

    task.status = TaskStatus::kPending;
    task.completed_at = std::nullopt;
    task.updated_at = ports_.clock.Now();
    ++task.version;
    if (!tx.UpdateTask(task, task.version - 1)) return VersionMismatch(task.version - 1);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return task;
}

Status TaskService::Delete(const std::string& user_id, const std::string& task_id,
                           std::optional<std::int64_t> if_match) {
  return ports_.store.Write([&](StoreWriter& tx) -> Status {
    if (if_match) {
      std::optional<Task> current = tx.FindTask(user_id, task_id);
      if (!current) return kTaskNotFound;
      if (*if_match != current->version) return VersionMismatch(current->version);
    }
    if (!tx.DeleteTask(user_id, task_id)) return kTaskNotFound;
    return {};
  });
}

Result<TaskPage> TaskService::List(const std::string& user_id, const TaskQuery& query) {
  TaskPage page;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    page = tx.ListTasks(user_id, query);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return page;
}

}  // namespace taskflow
