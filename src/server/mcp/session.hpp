// MCP sessions: what one client negotiated at initialize (protocol revision,
// log level) and the server-to-client streams it holds open. A session
// belongs to one user; the HTTP transport answers 404 for a session that is
// unknown, ended, or another user's.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace taskflow {
class ResponseStream;
}

namespace taskflow::mcp {

// The revisions we speak, newest first; initialize answers the client's own
// when listed here, else the newest.
inline constexpr std::string_view kProtocolVersions[] = {"2025-11-25", "2025-06-18", "2025-03-26"};
bool IsSupportedProtocolVersion(std::string_view version);

// RFC 5424 severities as MCP names them, least severe first.
enum class LogLevel { kDebug, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };
std::optional<LogLevel> ParseLogLevel(std::string_view name);
std::string_view ToString(LogLevel level);

// Thread-safe.
class Session {
 public:
  Session(std::string id, std::string user_id, std::string protocol_version);

  const std::string& id() const { return id_; }
  const std::string& user_id() const { return user_id_; }
  const std::string& protocol_version() const { return protocol_version_; }

  // notifications/message below this level are not sent; none are sent
  // until the client asks with logging/setLevel.
  void set_log_level(LogLevel level) { log_level_ = static_cast<int>(level); }
  bool Wants(LogLevel level) const {
    const int wanted = log_level_.load();
    return wanted >= 0 && static_cast<int>(level) >= wanted;
  }

  // Server-to-client streams (HTTP GET /mcp): kept until they end.
  void AddStream(std::shared_ptr<ResponseStream> stream);
  // Sends `data` on every open stream; how many took it.
  std::size_t Broadcast(const std::string& data);
  // Closes every stream (the session ended).
  void CloseStreams();
  std::size_t open_streams() const;

  std::chrono::steady_clock::time_point last_used() const;
  void Touch();

 private:
  const std::string id_;
  const std::string user_id_;
  const std::string protocol_version_;
  std::atomic<int> log_level_{-1};
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<ResponseStream>> streams_;  // guarded by mutex_
  std::chrono::steady_clock::time_point last_used_;     // guarded by mutex_
};

// Thread-safe registry of live sessions, bounded in number: creating one
// beyond `max_sessions` first drops sessions idle for longer than
// `idle_timeout`, then the least recently used.
class SessionRegistry {
 public:
  explicit SessionRegistry(std::size_t max_sessions = 10000,
                           std::chrono::steady_clock::duration idle_timeout = std::chrono::hours(1),
                           std::function<std::string()> new_id = {});

  std::shared_ptr<Session> Create(const std::string& user_id, const std::string& protocol_version);
  // The session `id` if it exists and belongs to `user_id` (refreshing its
  // idle time); null otherwise.
  std::shared_ptr<Session> Find(std::string_view id, std::string_view user_id);
  // Ends the session of `user_id`: false when there is none.
  bool Remove(std::string_view id, std::string_view user_id);
  std::size_t size() const;

 private:
  void EvictLocked();
  const std::size_t max_sessions_;
  const std::chrono::steady_clock::duration idle_timeout_;
  std::function<std::string()> new_id_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;  // guarded by mutex_
};

// 128 random bits as 32 lower-case hex digits (visible ASCII, as MCP requires).
std::string RandomSessionId();

}  // namespace taskflow::mcp
