// LiveFeed port: pushes an event to every live connection of one user (the
// WebSocket gateway implements it; until then an in-memory hub does).
#pragma once

#include <string>
#include <string_view>

namespace taskflow {

class LiveFeed {
 public:
  virtual ~LiveFeed() = default;
  // `type`: "task-update" | "reminder"; `event`: the event as JSON. Must not
  // block on a slow connection. Thread-safe.
  virtual void Push(const std::string& user_id, std::string_view type,
                    const std::string& event) = 0;
};

}  // namespace taskflow
