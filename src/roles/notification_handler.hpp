// notification-service: delivers each `reminders` event to the user's
// webhooks (signed POST; at least once: retried by the runner until every
// webhook answered 2xx, then recorded processed), and wakes the
// ReminderScheduler on every task-event, since a change may add, move or
// cancel reminders.
#pragma once

#include <functional>

#include "ports/store.hpp"
#include "ports/webhook_sender.hpp"
#include "roles/event_handler.hpp"

namespace taskflow {

class NotificationHandler final : public EventHandler {
 public:
  NotificationHandler(Store& store, WebhookSender& sender, std::function<void()> wake_scheduler)
      : store_(store), sender_(sender), wake_scheduler_(std::move(wake_scheduler)) {}
  std::string group() const override;
  std::vector<std::string> topics() const override;
  Status Deliver(const BusMessage& message) override;
  bool RecordsProcessed(const BusMessage& message) const override;
  bool Applies(const BusMessage&) const override { return false; }  // Deliver does it all

 private:
  Store& store_;
  WebhookSender& sender_;
  std::function<void()> wake_scheduler_;
};

}  // namespace taskflow
