#include "roles/live_hub.hpp"

#include <vector>

namespace taskflow {

std::uint64_t LiveHub::Add(const std::string& user_id, Sink sink) {
  std::lock_guard lock(mutex_);
  const std::uint64_t handle = next_++;
  sinks_.emplace(handle, std::make_pair(user_id, std::move(sink)));
  return handle;
}

void LiveHub::Remove(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  sinks_.erase(handle);
}

void LiveHub::Push(const std::string& user_id, std::string_view type, const std::string& event) {
  std::vector<Sink> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [handle, entry] : sinks_) {
      if (entry.first == user_id) targets.push_back(entry.second);
    }
    if (!targets.empty()) ++pushed_;
  }
  for (const Sink& sink : targets) sink(type, event);
}

std::uint64_t LiveHub::pushed() const {
  std::lock_guard lock(mutex_);
  return pushed_;
}

}  // namespace taskflow
