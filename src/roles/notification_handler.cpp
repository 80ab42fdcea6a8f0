#include "roles/notification_handler.hpp"

#include "app/consumer_groups.hpp"
#include "app/event_messages.hpp"

namespace taskflow {

std::string NotificationHandler::group() const { return std::string(kNotificationConsumer); }

std::vector<std::string> NotificationHandler::topics() const {
  return {std::string(kRemindersTopic), std::string(kTaskEventsTopic)};
}

bool NotificationHandler::RecordsProcessed(const BusMessage& message) const {
  return message.topic == kRemindersTopic;
}

Status NotificationHandler::Deliver(const BusMessage& message) {
  if (message.topic != kRemindersTopic) {
    if (wake_scheduler_) wake_scheduler_();
    return {};
  }
  Result<ReminderMessage> reminder = DecodeReminderEvent(message.payload);
  if (!reminder.ok()) return std::move(reminder).take_error();
  std::vector<Webhook> hooks;
  Status read = store_.Read([&](StoreReader& tx) -> Status {
    hooks = tx.ListWebhooks(reminder->user_id);
    return {};
  });
  if (!read.ok()) return read;
  for (const Webhook& hook : hooks) {
    Status sent = sender_.Send(hook.url, hook.secret, reminder->event_id, message.payload);
    if (!sent.ok()) return sent;
  }
  return {};
}

}  // namespace taskflow
