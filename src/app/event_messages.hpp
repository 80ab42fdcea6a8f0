// The messages of the three topics (schema_version 1; JSON Schemas in
// schemas/events/), built and read here only: use cases append them to the
// outbox in their own transaction, consumers decode them.
//
//   task-events  (key user_id) {event_id, event_type, task_id, user_id, task_data, timestamp,
//                               schema_version}
//   reminders    (key user_id) {event_id, task_id, user_id, title, due_at, remind_at,
//                               schema_version}
//   task-updates (key user_id) {event_id, event_type, task_id, user_id, changes, timestamp,
//                               schema_version}
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "domain/task.hpp"
#include "domain/task_events.hpp"
#include "ports/event_records.hpp"
#include "ports/id_generator.hpp"
#include "ports/store.hpp"

namespace taskflow {

inline constexpr std::string_view kTaskEventsTopic = "task-events";
inline constexpr std::string_view kRemindersTopic = "reminders";
inline constexpr std::string_view kTaskUpdatesTopic = "task-updates";
inline constexpr int kEventSchemaVersion = 1;

// Appends the task-events message of a change and its task-updates twin to
// the outbox of `tx`. `before` is the task as it was (null for kCreated);
// `after` as it is now (for kDeleted: as it was deleted). Returns the
// event_id of the task-events message.
std::string AppendTaskEvent(StoreWriter& tx, IdGenerator& ids, TaskEventType type,
                            const Task* before, const Task& after, Instant now);

// Appends the reminders message of a claimed reminder.
std::string AppendReminderEvent(StoreWriter& tx, IdGenerator& ids, const DueReminder& reminder);

// A task-events message as consumers read it.
struct TaskEventMessage {
  std::string event_id;
  TaskEventType type = TaskEventType::kCreated;
  std::string task_id;
  std::string user_id;
  std::string task_data;  // the object, as JSON text
  Instant timestamp{};
};
// kInvalidArgument naming the first field that is missing or malformed.
Result<TaskEventMessage> DecodeTaskEvent(std::string_view payload);

// A reminders message.
struct ReminderMessage {
  std::string event_id;
  std::string task_id;
  std::string user_id;
  std::string title;
  std::optional<Instant> due_at;
  Instant remind_at{};
};
Result<ReminderMessage> DecodeReminderEvent(std::string_view payload);

// The event_id and user_id of any message (for routing and dead letters).
struct MessageIdentity {
  std::string event_id;
  std::string user_id;
};
Result<MessageIdentity> DecodeMessageIdentity(std::string_view payload);

}  // namespace taskflow
