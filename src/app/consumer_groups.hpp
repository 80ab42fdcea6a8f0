// The consumer groups (one per service, as the Kafka consumer groups will be
// named) and what each consumes.
#pragma once

#include <string>
#include <string_view>

namespace taskflow {

inline constexpr std::string_view kNotificationConsumer = "notification-service";
inline constexpr std::string_view kRecurringConsumer = "recurring-task-service";
inline constexpr std::string_view kAuditConsumer = "audit-service";
// The realtime service is a broadcast: every replica pushes every event to
// its own WebSocket connections, so each replica consumes under a group of its
// own, `realtime-service.<instance>`, live (from the newest message, keeping
// no position; see SubscriptionKind). The bare name is the shared group of
// earlier versions, retired: its old cursors are deleted (EventPruner).
inline constexpr std::string_view kRealtimeConsumer = "realtime-service";

inline std::string RealtimeConsumer(std::string_view instance) {
  return std::string(kRealtimeConsumer) + "." + std::string(instance);
}

}  // namespace taskflow
