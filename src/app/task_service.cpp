#include "app/task_service.hpp"

#include <algorithm>
#include <utility>

#include "app/consumer_groups.hpp"
#include "app/event_messages.hpp"
#include "app/next_occurrence.hpp"
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

std::string OwnerZone(StoreReader& tx, const std::string& user_id) {
  std::optional<User> owner = tx.FindUser(user_id);
  return owner ? owner->timezone : "UTC";
}

// Quick add has no "title" field: a title it cannot use is the text's fault.
Error BlameTheText(Error error) {
  for (FieldError& field : error.fields) {
    if (field.field == "title") field.field = "text";
  }
  return error;
}

}  // namespace

Result<Task> TaskService::Create(const std::string& user_id, TaskDraft draft) {
  auto normalized = NormalizeDraft(std::move(draft));
  if (!normalized) return std::move(normalized).take_error();
  TaskDraft& input = *normalized;

  Task task;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    const Instant now = ports_.clock.Now();
    std::string timezone = input.timezone ? std::move(*input.timezone) : OwnerZone(tx, user_id);
    std::optional<Instant> due_at = input.due_at;
    if (input.due_date) {
      // All-day: the start of that date where the task lives.
      due_at = StartOfLocalDate(*input.due_date, timezone);
      if (!due_at) return Error::Invalid("due_at", "is not a date in the task's time zone");
    }
    task = Task{.id = ports_.ids.NewId(),
                .user_id = user_id,
                .title = std::move(input.title),
                .description = std::move(input.description),
                .status = TaskStatus::kPending,
                .priority = input.priority,
                .due_at = due_at,
                .timezone = std::move(timezone),
                .tags = {},
                .remind_before_minutes = input.remind_before_minutes,
                .reminder_sent = false,
                .recurrence_parent_id = std::nullopt,
                .version = 1,
                .created_at = now,
                .updated_at = now,
                .completed_at = std::nullopt,
                .all_day = input.due_date.has_value(),
                .recurrence = input.recurrence,
                .series_start = input.recurrence ? due_at : std::nullopt};
    SetReminders(task, input.reminders.value_or(std::vector<ReminderSpec>{}));
    AssignReminderIds(task, [this] { return ports_.ids.NewId(); });
    tx.InsertTask(task);
    if (!input.tags.empty()) {
      ResolvedTags tags = ResolveTags(tx, ports_.ids, user_id, input.tags);
      tx.SetTaskTags(task.id, tags.ids);
      task.tags = std::move(tags.names);
    }
    AppendTaskEvent(tx, ports_.ids, TaskEventType::kCreated, nullptr, task, now);
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
    if (!ApplyPatch(task, change)) return {};  // nothing changed: no new version
    if (Status rules = CheckSchedule(task); !rules.ok()) return rules;
    AssignReminderIds(task, [this] { return ports_.ids.NewId(); });

    task.version = current->version + 1;
    task.updated_at = ports_.clock.Now();
    if (!tx.UpdateTask(task, current->version)) return VersionMismatch(current->version);
    if (tags) tx.SetTaskTags(task.id, tags->ids);
    AppendTaskEvent(tx, ports_.ids, TaskEventType::kUpdated, &*current, task, task.updated_at);
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
    task = *current;
    if (task.status == TaskStatus::kCompleted) return {};  // idempotent

    const Instant now = ports_.clock.Now();
    task.status = TaskStatus::kCompleted;
    task.completed_at = now;
    task.updated_at = now;
    ++task.version;
    CancelReminders(task);
    if (!tx.UpdateTask(task, task.version - 1)) return VersionMismatch(task.version - 1);
    const std::string event_id =
        AppendTaskEvent(tx, ports_.ids, TaskEventType::kCompleted, &*current, task, now);
    if (options_.inline_next_occurrence && task.recurrence) {
      NextOccurrenceResult next = CreateNextOccurrence(tx, ports_.ids, task, now);
      if (next.task) {
        AppendTaskEvent(tx, ports_.ids, TaskEventType::kCreated, nullptr, *next.task, now);
      }
      // The recurring consumer would do the same on this event: it skips it.
      tx.MarkProcessed(std::string(kRecurringConsumer), event_id, now);
    }
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
    task = *current;
    if (task.status == TaskStatus::kPending) return {};  // idempotent

    const Instant now = ports_.clock.Now();
    task.status = TaskStatus::kPending;
    task.completed_at = std::nullopt;
    task.updated_at = now;
    ++task.version;
    RearmReminders(task, now);
    if (!tx.UpdateTask(task, task.version - 1)) return VersionMismatch(task.version - 1);
    AppendTaskEvent(tx, ports_.ids, TaskEventType::kReopened, &*current, task, now);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return task;
}

Status TaskService::Delete(const std::string& user_id, const std::string& task_id,
                           std::optional<std::int64_t> if_match) {
  return ports_.store.Write([&](StoreWriter& tx) -> Status {
    // Read first: the "deleted" event carries what was deleted.
    std::optional<Task> current = tx.FindTask(user_id, task_id);
    if (!current) return kTaskNotFound;
    if (if_match && *if_match != current->version) return VersionMismatch(current->version);
    if (!tx.DeleteTask(user_id, task_id)) return kTaskNotFound;
    AppendTaskEvent(tx, ports_.ids, TaskEventType::kDeleted, nullptr, *current, ports_.clock.Now());
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

Result<QuickAddResult> TaskService::ParseQuickAdd(const std::string& user_id, QuickAddInput input) {
  auto normalized = NormalizeQuickAddInput(std::move(input));
  if (!normalized) return std::move(normalized).take_error();
  std::optional<User> user;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    user = tx.FindUser(user_id);
    return {};
  });
  if (!status) return std::move(status).take_error();

  QuickAddContext context;
  context.now = normalized->now.value_or(ports_.clock.Now());
  context.timezone = normalized->timezone.value_or(user ? user->timezone : "UTC");
  context.date_order = user ? user->date_order : DateOrder::kMonthDay;
  return ::taskflow::ParseQuickAdd(normalized->text, context);
}

Result<Task> TaskService::QuickAdd(const std::string& user_id, std::string text) {
  Result<QuickAddResult> parsed = ParseQuickAdd(user_id, QuickAddInput{.text = std::move(text)});
  if (!parsed) return std::move(parsed).take_error();
  if (parsed->title.empty()) {
    return Error::Invalid("text",
                          "leaves no title once its dates, times, tags, priorities and "
                          "reminders are read");
  }
  Result<Task> task = Create(user_id, DraftFromQuickAdd(*parsed));
  if (!task.ok() && task.error().code == ErrorCode::kInvalidArgument) {
    return BlameTheText(std::move(task).take_error());
  }
  return task;
}

}  // namespace taskflow
