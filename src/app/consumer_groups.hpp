// The consumer groups (one per service, as the Kafka consumer groups will be
// named) and what each consumes.
#pragma once

#include <string_view>

namespace taskflow {

inline constexpr std::string_view kNotificationConsumer = "notification-service";
inline constexpr std::string_view kRecurringConsumer = "recurring-task-service";
inline constexpr std::string_view kAuditConsumer = "audit-service";
inline constexpr std::string_view kRealtimeConsumer = "realtime-service";

}  // namespace taskflow
