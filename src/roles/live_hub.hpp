// The in-memory LiveFeed: per user, the callbacks of that user's live
// connections. The WebSocket gateway (server/live_gateway.hpp) subscribes one
// per connection; a push to a user without connections is a no-op.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ports/live_feed.hpp"
#include "ports/live_subscriptions.hpp"

namespace taskflow {

// Thread-safe. A push looks up the user's sinks (not every connection's) and
// calls them outside the lock, so a sink may run once more after its Remove.
class LiveHub final : public LiveFeed, public LiveSubscriptions {
 public:
  // A sink must not block (queue the frame); it is called under no lock of ours.
  std::uint64_t Add(const std::string& user_id, Sink sink) override;
  void Remove(std::uint64_t handle) override;
  void Push(const std::string& user_id, std::string_view type, const std::string& event) override;
  std::uint64_t pushed() const;  // pushes to at least one connection so far

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;                                                  // guarded by mutex_
  std::unordered_map<std::string, std::map<std::uint64_t, Sink>> by_user_;  // guarded by mutex_
  std::unordered_map<std::uint64_t, std::string> user_of_;                  // guarded by mutex_
  std::uint64_t pushed_ = 0;                                                // guarded by mutex_
};

}  // namespace taskflow
