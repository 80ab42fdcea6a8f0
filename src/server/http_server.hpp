// The HTTP front door: REST API, MCP at /mcp, the WebSocket gateway at /ws,
// /health, /ready, /openapi.json.
// Beast and Asio stay inside http_server.cpp; nothing here includes them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/account_service.hpp"
#include "app/activity_service.hpp"
#include "app/chat_service.hpp"
#include "app/tag_service.hpp"
#include "app/task_service.hpp"
#include "app/webhook_service.hpp"
#include "domain/result.hpp"
#include "ports/clock.hpp"
#include "ports/live_subscriptions.hpp"
#include "ports/store.hpp"
#include "server/websocket_options.hpp"

namespace taskflow {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (see HttpServer::port)
  int threads = 0;            // 0: one per hardware thread
  std::size_t body_limit = 1 << 20;  // larger bodies answer 413
  std::string version = "dev";       // serverInfo.version of the MCP endpoint
  // /mcp: host names accepted in Host/Origin besides the loopback ones.
  std::vector<std::string> mcp_allowed_hosts;
  // /mcp: set, requests without credentials act as this user (local use only).
  std::function<Result<std::string>()> mcp_local_user;
  // /ws: pings, connection caps, per-connection queue bounds.
  WebSocketOptions websocket;
};

struct ApiServices {
  AccountService& accounts;
  TaskService& tasks;
  TagService& tags;
  Store& store;  // for /ready
  ActivityService& activity;
  WebhookService& webhooks;
  Clock& clock;  // for the MCP views ("due today" …)
  // For /ready: the names of the background loops (relay, consumers,
  // scheduler) this process should run but that are not running. Unset: none.
  std::function<std::vector<std::string>()> stopped_loops;
  // False in a process without the api role: only /health, /ready and
  // /openapi.json are served.
  bool api_routes = true;
  // Set in a process running the realtime role: /ws subscribes its
  // connections here. Null: /ws answers 404.
  LiveSubscriptions* live = nullptr;
  // /api/chat and /api/conversations; unset, those routes are not served.
  ChatService* chat = nullptr;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, ApiServices services);
  ~HttpServer();
  // Binds and starts the worker threads. kUnavailable when the address is taken.
  Status Start();
  // The bound port (useful after port 0).
  std::uint16_t port() const;
  // Stops accepting, closes connections and joins the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskflow
