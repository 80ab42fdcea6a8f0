#include "roles/realtime_handler.hpp"

#include "app/event_messages.hpp"

namespace taskflow {

std::vector<std::string> RealtimeHandler::topics() const {
  return {std::string(kTaskUpdatesTopic), std::string(kRemindersTopic)};
}

Status RealtimeHandler::Deliver(const BusMessage& message) {
  Result<MessageIdentity> identity = DecodeMessageIdentity(message.payload);
  if (!identity.ok()) return std::move(identity).take_error();
  feed_.Push(identity->user_id, message.topic == kRemindersTopic ? "reminder" : "task-update",
             message.payload);
  return {};
}

}  // namespace taskflow
