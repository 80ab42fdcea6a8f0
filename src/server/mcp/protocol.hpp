// The MCP methods, independent of the transport: initialize, ping, tools,
// resources, prompts, logging. The Streamable HTTP endpoint and the stdio
// loop both feed it one JSON-RPC message at a time.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/mcp/json_rpc.hpp"
#include "server/mcp/prompts.hpp"
#include "server/mcp/resources.hpp"
#include "server/mcp/session.hpp"
#include "server/mcp/tools.hpp"

namespace taskflow::mcp {

// Delivers a server-to-client notification belonging to the request being
// handled (before its answer).
using Notifier = std::function<void(const json::object& notification)>;

// Thread-safe (immutable after construction; sessions guard themselves).
class Protocol {
 public:
  Protocol(McpServices services, std::string server_version);

  // The revision initialize answers: the client's when we speak it, else our newest.
  static std::string NegotiateVersion(const json::object& initialize_params);
  json::object InitializeResult(std::string_view protocol_version) const;

  // Answers a request (result or error); nullopt for notifications and
  // responses. `initialize` is answered for `session`'s version: the
  // transport creates the session first.
  std::optional<json::object> Handle(const RpcMessage& message, Session& session,
                                     const Notifier& notify) const;

  const TaskTools& tools() const { return tools_; }

 private:
  json::value CallTool(const RpcMessage& message, Session& session, const Notifier& notify) const;

  std::string server_version_;
  TaskTools tools_;
  TaskResources resources_;
  TaskPrompts prompts_;
};

}  // namespace taskflow::mcp
