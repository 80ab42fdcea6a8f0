// realtime-service: each task-update and reminder to the user's live
// connections through the LiveFeed port (the WebSocket gateway).
// Ephemeral: nothing is recorded; a redelivered update is pushed again.
// Every replica must see every event (its users' connections are its own), so
// each consumes live under its own group (RealtimeConsumer(instance)).
#pragma once

#include <string>
#include <utility>

#include "ports/live_feed.hpp"
#include "roles/event_handler.hpp"

namespace taskflow {

class RealtimeHandler final : public EventHandler {
 public:
  RealtimeHandler(LiveFeed& feed, std::string group) : feed_(feed), group_(std::move(group)) {}
  std::string group() const override { return group_; }
  std::vector<std::string> topics() const override;
  SubscriptionKind subscription() const override { return SubscriptionKind::kLive; }
  Status Deliver(const BusMessage& message) override;
  bool RecordsProcessed(const BusMessage&) const override { return false; }
  bool Applies(const BusMessage&) const override { return false; }

 private:
  LiveFeed& feed_;
  const std::string group_;
};

}  // namespace taskflow
