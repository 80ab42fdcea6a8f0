// JSON-RPC 2.0 messages as MCP uses them: reading one message from text or a
// parsed value, and building results, errors and notifications. Pure.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace taskflow::mcp {

namespace json = boost::json;

// JSON-RPC 2.0 error codes (§5.1) and MCP's resource-not-found.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kResourceNotFound = -32002;

struct RpcMessage {
  enum class Kind { kRequest, kNotification, kResponse };
  Kind kind = Kind::kRequest;
  json::value id;      // string or integer for requests and responses; null otherwise
  std::string method;  // empty for responses
  json::object params;  // {} when absent
};

// Why a message could not be read; `id` is the request's id when it could be
// recovered (so the error answer can name it), null otherwise.
struct RpcFailure {
  json::value id;
  int code = kInvalidRequest;
  std::string message;
};

using ReadResult = std::variant<RpcMessage, RpcFailure>;

// One message from its text: kParseError for malformed JSON, kInvalidRequest
// for anything that is not a single JSON-RPC 2.0 request, notification or
// response (batches included: MCP 2025-06-18 removed them).
ReadResult ReadMessage(std::string_view text);
ReadResult ReadMessage(const json::value& value);

json::object MakeResult(const json::value& id, json::value result);
json::object MakeError(const json::value& id, int code, std::string_view message);
json::object MakeNotification(std::string_view method, json::object params);

}  // namespace taskflow::mcp
