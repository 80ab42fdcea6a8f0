// LiveSubscriptions port: the listener side of the LiveFeed. A WebSocket
// connection subscribes a sink for its user and receives every event pushed
// to that user until it unsubscribes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace taskflow {

class LiveSubscriptions {
 public:
  // Receives (type, event JSON). Must not block: queue the frame. Called on
  // the pushing thread, under no lock of the implementation, and possibly
  // once more after Remove returned (a push already under way).
  using Sink = std::function<void(std::string_view type, const std::string& event)>;

  virtual ~LiveSubscriptions() = default;
  // Subscribes `sink` to the events of `user_id`; returns a handle for Remove.
  // Thread-safe.
  virtual std::uint64_t Add(const std::string& user_id, Sink sink) = 0;
  // Idempotent. Thread-safe.
  virtual void Remove(std::uint64_t handle) = 0;
};

}  // namespace taskflow
