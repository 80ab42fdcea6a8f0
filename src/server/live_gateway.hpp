// The WebSocket gateway's logic, free of Beast: who may open `GET /ws`
// (token, handshake headers, connection caps), the frames it sends, and the
// registry of open connections that a stopping server closes. The Beast side
// is server/websocket_session.cpp; the transport (http_server.cpp) hands it
// the socket of an admitted request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "app/account_service.hpp"
#include "ports/live_subscriptions.hpp"
#include "server/http_types.hpp"
#include "server/router.hpp"
#include "server/websocket_options.hpp"

namespace taskflow {

class LiveGateway;

// `{"type":"<type>","data":<event>}`: `event` is the event's JSON text as
// published (our own outbox rows), embedded as is.
std::string LiveFrame(std::string_view type, std::string_view event);

// The handshake headers of RFC 6455 §4.2.1 that the gateway needs before it
// lets the transport upgrade: nullopt when they are right, else the refusal
// (426 for a plain GET or another WebSocket version, 400 for a bad key).
std::optional<HttpResponse> CheckWebSocketHandshake(const HttpRequest& request);

// An open WebSocket connection as the gateway sees it (the Beast session).
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  // Closes with 1001 (going away). Any thread; returns at once.
  virtual void GoAway() = 0;
  // Receives no more frames from now on (queue closed, subscription removed).
  // Any thread, even while the connection's own thread is not running.
  virtual void Detach() = 0;
};

// What an admitted `GET /ws` hands the transport (HttpResponse::upgrade): the
// caller, when their token expires, and the connection slot reserved for
// them, given back when this is destroyed, whether or not the handshake then
// succeeds.
class WebSocketUpgrade {
 public:
  WebSocketUpgrade(LiveGateway& gateway, std::string user_id,
                   std::chrono::steady_clock::time_point token_expiry);
  ~WebSocketUpgrade();
  WebSocketUpgrade(const WebSocketUpgrade&) = delete;
  WebSocketUpgrade& operator=(const WebSocketUpgrade&) = delete;

  const std::string& user_id() const { return user_id_; }
  // The token's `exp` on the steady clock: the connection closes then (1008).
  std::chrono::steady_clock::time_point token_expiry() const { return token_expiry_; }
  LiveGateway& gateway() { return gateway_; }

 private:
  LiveGateway& gateway_;
  std::string user_id_;
  std::chrono::steady_clock::time_point token_expiry_;
};

// The close frame of a connection whose token expired: 1008 (policy
// violation) with this reason, so that a client tells it apart from a server
// stop (1001) or a slow read (1013) and reconnects with a fresh token.
inline constexpr int kTokenExpiredCloseCode = 1008;
inline constexpr std::string_view kTokenExpiredReason = "token expired";

// Thread-safe. `live` null: this process does not run the realtime role and
// `GET /ws` answers 404.
class LiveGateway {
 public:
  LiveGateway(WebSocketOptions options, AccountService& accounts, LiveSubscriptions* live);

  // `GET /ws` on `router`.
  void RegisterRoute(Router& router);

  // The answer to `GET /ws`: a problem (404 without the realtime role, 401,
  // 426/400 for a bad handshake, 429 past the per-user cap, 503 past the
  // process cap or while stopping), or an answer whose `upgrade` is set: the
  // transport then completes the handshake (101) and runs the connection.
  HttpResponse Admit(const HttpRequest& request);

  const WebSocketOptions& options() const { return options_; }
  // Set whenever an upgrade was admitted.
  LiveSubscriptions& subscriptions() { return *live_; }

  // The open connections (sessions register for their lifetime). False when
  // the server is stopping: the connection is to close at once (1001).
  bool Register(LiveConnection* connection);
  void Unregister(LiveConnection* connection);
  // Server stop: refuses new upgrades and asks every connection to close with 1001.
  void GoAwayAll();
  // Waits until every admitted connection is gone (slots released); false at `deadline`.
  bool WaitUntilIdle(std::chrono::steady_clock::time_point deadline);
  // After the server's threads stopped: whatever is left receives nothing more.
  void DetachAll();

  std::size_t admitted() const;  // slots held: open connections and handshakes

 private:
  friend class WebSocketUpgrade;
  void Release(const std::string& user_id);

  const WebSocketOptions options_;
  AccountService& accounts_;
  LiveSubscriptions* const live_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t admitted_ = 0;                               // guarded by mutex_
  std::unordered_map<std::string, std::size_t> per_user_;  // guarded by mutex_
  std::unordered_set<LiveConnection*> connections_;        // guarded by mutex_
  bool stopping_ = false;                                  // guarded by mutex_
};

}  // namespace taskflow
