#include "roles/recurring_handler.hpp"

#include "app/consumer_groups.hpp"
#include "app/event_messages.hpp"
#include "app/next_occurrence.hpp"

namespace taskflow {

std::string RecurringHandler::group() const { return std::string(kRecurringConsumer); }

std::vector<std::string> RecurringHandler::topics() const {
  return {std::string(kTaskEventsTopic)};
}

Status RecurringHandler::Apply(StoreWriter& tx, const BusMessage& message) {
  Result<TaskEventMessage> event = DecodeTaskEvent(message.payload);
  if (!event.ok()) return std::move(event).take_error();
  if (event->type != TaskEventType::kCompleted) return {};
  // The stored task decides (it may have been reopened or deleted since).
  std::optional<Task> task = tx.FindTask(event->user_id, event->task_id);
  if (!task || task->status != TaskStatus::kCompleted) return {};
  const Instant now = clock_.Now();
  NextOccurrenceResult next = CreateNextOccurrence(tx, ids_, *task, now);
  if (next.task) AppendTaskEvent(tx, ids_, TaskEventType::kCreated, nullptr, *next.task, now);
  return {};
}

}  // namespace taskflow
