// The in-memory LiveFeed: per user, the callbacks of that user's live
// connections. The WebSocket gateway (next) registers one per connection;
// until then nobody does, and a push to a user without connections is a no-op.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "ports/live_feed.hpp"

namespace taskflow {

class LiveHub final : public LiveFeed {
 public:
  // `send` must not block (queue the frame); called under no lock of ours.
  using Sink = std::function<void(std::string_view type, const std::string& event)>;
  // Returns a handle for Remove.
  std::uint64_t Add(const std::string& user_id, Sink sink);
  void Remove(std::uint64_t handle);
  void Push(const std::string& user_id, std::string_view type, const std::string& event) override;
  std::uint64_t pushed() const;  // pushes to at least one connection so far

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;                                       // guarded by mutex_
  std::map<std::uint64_t, std::pair<std::string, Sink>> sinks_;  // guarded by mutex_
  std::uint64_t pushed_ = 0;                                     // guarded by mutex_
};

}  // namespace taskflow
