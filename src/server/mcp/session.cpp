#include "server/mcp/session.hpp"

#include <algorithm>
#include <array>
#include <random>

#include "server/response_stream.hpp"

namespace taskflow::mcp {

namespace {
constexpr std::array<std::string_view, 8> kLevelNames = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};
}

bool IsSupportedProtocolVersion(std::string_view version) {
  return std::find(std::begin(kProtocolVersions), std::end(kProtocolVersions), version) !=
         std::end(kProtocolVersions);
}

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::string_view ToString(LogLevel level) { return kLevelNames[static_cast<std::size_t>(level)]; }

Session::Session(std::string id, std::string user_id, std::string protocol_version)
    : id_(std::move(id)),
      user_id_(std::move(user_id)),
      protocol_version_(std::move(protocol_version)),
      last_used_(std::chrono::steady_clock::now()) {}

void Session::AddStream(std::shared_ptr<ResponseStream> stream) {
  std::lock_guard lock(mutex_);
  std::erase_if(streams_, [](const auto& weak) {
    auto open = weak.lock();
    return !open || open->finished();
  });
  streams_.push_back(stream);
}

std::size_t Session::Broadcast(const std::string& data) {
  std::vector<std::shared_ptr<ResponseStream>> open;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : streams_) {
      if (auto stream = weak.lock()) open.push_back(std::move(stream));
    }
  }
  std::size_t sent = 0;
  for (const auto& stream : open) sent += stream->Send(data) ? 1 : 0;
  return sent;
}

void Session::CloseStreams() {
  std::vector<std::shared_ptr<ResponseStream>> open;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : streams_) {
      if (auto stream = weak.lock()) open.push_back(std::move(stream));
    }
    streams_.clear();
  }
  for (const auto& stream : open) stream->Close();
}

std::size_t Session::open_streams() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(streams_.begin(), streams_.end(), [](const auto& weak) {
    auto stream = weak.lock();
    return stream && !stream->finished();
  }));
}

std::chrono::steady_clock::time_point Session::last_used() const {
  std::lock_guard lock(mutex_);
  return last_used_;
}

void Session::Touch() {
  std::lock_guard lock(mutex_);
  last_used_ = std::chrono::steady_clock::now();
}

std::string RandomSessionId() {
  thread_local std::mt19937_64 bits{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int word = 0; word < 2; ++word) {
    std::uint64_t value = bits();
    for (int i = 0; i < 16; ++i, value >>= 4) id += kHex[value & 0xF];
  }
  return id;
}

SessionRegistry::SessionRegistry(std::size_t max_sessions,
                                 std::chrono::steady_clock::duration idle_timeout,
                                 std::function<std::string()> new_id)
    : max_sessions_(std::max<std::size_t>(1, max_sessions)),
      idle_timeout_(idle_timeout),
      new_id_(new_id ? std::move(new_id) : std::function<std::string()>(RandomSessionId)) {}

std::shared_ptr<Session> SessionRegistry::Create(const std::string& user_id,
                                                 const std::string& protocol_version) {
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= max_sessions_) EvictLocked();
  std::string id = new_id_();
  while (sessions_.contains(id)) id = new_id_();
  auto session = std::make_shared<Session>(id, user_id, protocol_version);
  sessions_.emplace(std::move(id), session);
  return session;
}

void SessionRegistry::EvictLocked() {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(sessions_, [&](const auto& entry) {
    if (now - entry.second->last_used() <= idle_timeout_) return false;
    entry.second->CloseStreams();
    return true;
  });
  if (sessions_.size() < max_sessions_) return;
  auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
    return a.second->last_used() < b.second->last_used();
  });
  oldest->second->CloseStreams();
  sessions_.erase(oldest);
}

std::shared_ptr<Session> SessionRegistry::Find(std::string_view id, std::string_view user_id) {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(std::string(id));
  if (found == sessions_.end() || found->second->user_id() != user_id) return nullptr;
  found->second->Touch();
  return found->second;
}

bool SessionRegistry::Remove(std::string_view id, std::string_view user_id) {
  std::shared_ptr<Session> removed;
  {
    std::lock_guard lock(mutex_);
    auto found = sessions_.find(std::string(id));
    if (found == sessions_.end() || found->second->user_id() != user_id) return false;
    removed = std::move(found->second);
    sessions_.erase(found);
  }
  removed->CloseStreams();
  return true;
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace taskflow::mcp
