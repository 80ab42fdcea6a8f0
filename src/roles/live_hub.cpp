#include "roles/live_hub.hpp"

#include <vector>

namespace taskflow {

std::uint64_t LiveHub::Add(const std::string& user_id, Sink sink) {
  std::lock_guard lock(mutex_);
  const std::uint64_t handle = next_++;
  by_user_[user_id].emplace(handle, std::move(sink));
  user_of_.emplace(handle, user_id);
  return handle;
}

void LiveHub::Remove(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  const auto user = user_of_.find(handle);
  if (user == user_of_.end()) return;
  const auto sinks = by_user_.find(user->second);
  sinks->second.erase(handle);
  if (sinks->second.empty()) by_user_.erase(sinks);
  user_of_.erase(user);
}

void LiveHub::Push(const std::string& user_id, std::string_view type, const std::string& event) {
  std::vector<Sink> targets;
  {
    std::lock_guard lock(mutex_);
    const auto sinks = by_user_.find(user_id);
    if (sinks == by_user_.end()) return;
    targets.reserve(sinks->second.size());
    for (const auto& [handle, sink] : sinks->second) targets.push_back(sink);
    ++pushed_;
  }
  for (const Sink& sink : targets) sink(type, event);
}

std::uint64_t LiveHub::pushed() const {
  std::lock_guard lock(mutex_);
  return pushed_;
}

}  // namespace taskflow
