// realtime-service: each task-update and reminder to the user's live
// connections through the LiveFeed port (the WebSocket gateway comes later).
// Ephemeral: nothing is recorded; a redelivered update is pushed again.
#pragma once

#include "ports/live_feed.hpp"
#include "roles/event_handler.hpp"

namespace taskflow {

class RealtimeHandler final : public EventHandler {
 public:
  explicit RealtimeHandler(LiveFeed& feed) : feed_(feed) {}
  std::string group() const override;
  std::vector<std::string> topics() const override;
  Status Deliver(const BusMessage& message) override;
  bool RecordsProcessed(const BusMessage&) const override { return false; }

 private:
  LiveFeed& feed_;
};

}  // namespace taskflow
