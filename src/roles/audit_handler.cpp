#include "roles/audit_handler.hpp"

#include "app/consumer_groups.hpp"
#include "app/event_messages.hpp"

namespace taskflow {

std::string AuditHandler::group() const { return std::string(kAuditConsumer); }

std::vector<std::string> AuditHandler::topics() const { return {std::string(kTaskEventsTopic)}; }

Status AuditHandler::Apply(StoreWriter& tx, const BusMessage& message) {
  Result<TaskEventMessage> event = DecodeTaskEvent(message.payload);
  if (!event.ok()) return std::move(event).take_error();
  tx.InsertActivity(ActivityEntry{.id = 0,
                                  .event_id = event->event_id,
                                  .user_id = event->user_id,
                                  .task_id = event->task_id,
                                  .event_type = std::string(ToString(event->type)),
                                  .task_data = event->task_data,
                                  .occurred_at = event->timestamp});
  return {};
}

}  // namespace taskflow
