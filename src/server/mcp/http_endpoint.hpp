// MCP's Streamable HTTP transport at /mcp (protocol revisions 2025-11-25,
// 2025-06-18, 2025-03-26):
//   POST   one JSON-RPC message; a request is answered as JSON or, when the
//          client accepts it, as an SSE stream (notifications, then the
//          answer); notifications and responses get 202.
//   GET    a server-to-client SSE stream for the session.
//   DELETE ends the session.
// `MCP-Session-Id` is issued at initialize and required after it (400
// without, 404 for an unknown or ended one); `MCP-Protocol-Version`, when
// sent, must be one we speak (400). Host and Origin must name this machine
// or a configured host (403), against DNS rebinding. Auth is the REST API's
// bearer JWT (401 with WWW-Authenticate naming the RFC 9728 metadata served
// at /.well-known/oauth-protected-resource[/mcp]), or, when configured,
// requests without credentials act as a fixed local user.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/account_service.hpp"
#include "domain/result.hpp"
#include "server/mcp/protocol.hpp"
#include "server/mcp/session.hpp"
#include "server/router.hpp"

namespace taskflow::mcp {

struct HttpEndpointOptions {
  // Host names (lower-case, no port) accepted in Host and Origin besides
  // localhost, 127.0.0.1 and [::1].
  std::vector<std::string> allowed_hosts;
  // Set: a request without an Authorization header acts as the user this
  // returns (single-user local servers, the conformance suite).
  std::function<Result<std::string>()> local_user;
};

class HttpEndpoint {
 public:
  HttpEndpoint(const Protocol& protocol, AccountService& accounts, HttpEndpointOptions options);
  void Register(Router& router);

  // Exposed for tests: the decision on Host/Origin.
  bool HostAllowed(const HttpRequest& request) const;
  SessionRegistry& sessions() { return sessions_; }

 private:
  HttpResponse Post(const HttpRequest& request);
  HttpResponse Get(const HttpRequest& request);
  HttpResponse Delete(const HttpRequest& request);
  // The caller's user id, or the answer to give instead (403, 401).
  std::variant<std::string, HttpResponse> Admit(const HttpRequest& request) const;
  // The session the request names, or the answer to give instead (400, 404).
  std::variant<std::shared_ptr<Session>, HttpResponse> FindSession(const HttpRequest& request,
                                                                   const std::string& user_id);

  const Protocol& protocol_;
  AccountService& accounts_;
  HttpEndpointOptions options_;
  SessionRegistry sessions_;
};

}  // namespace taskflow::mcp
