#include "server/mcp/json_rpc.hpp"

#include <boost/json/parse.hpp>

namespace taskflow::mcp {

ReadResult ReadMessage(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return RpcFailure{nullptr, kParseError, "parse error: the body is not valid JSON"};
  return ReadMessage(value);
}

ReadResult ReadMessage(const json::value& value) {
  if (value.is_array()) {
    return RpcFailure{nullptr, kInvalidRequest, "invalid request: batches are not supported"};
  }
  const json::object* object = value.if_object();
  if (object == nullptr) {
    return RpcFailure{nullptr, kInvalidRequest, "invalid request: a message is a JSON object"};
  }
  RpcMessage message;
  const json::value* id = object->if_contains("id");
  // A usable id (string or integer) is echoed in the error answer.
  const bool id_ok = id != nullptr && (id->is_string() || id->is_int64() || id->is_uint64());
  const json::value error_id = id_ok ? *id : json::value(nullptr);
  const json::value* version = object->if_contains("jsonrpc");
  if (version == nullptr || !version->is_string() || version->get_string() != "2.0") {
    return RpcFailure{error_id, kInvalidRequest, "invalid request: \"jsonrpc\" must be \"2.0\""};
  }
  if (id != nullptr && !id_ok) {
    return RpcFailure{nullptr, kInvalidRequest,
                      "invalid request: \"id\" must be a string or an integer"};
  }
  const json::value* method = object->if_contains("method");
  if (method == nullptr) {
    // A response to a request of ours: result or error, with an id.
    if (!id_ok || (!object->contains("result") && !object->contains("error"))) {
      return RpcFailure{error_id, kInvalidRequest,
                        "invalid request: \"method\" is missing"};
    }
    message.kind = RpcMessage::Kind::kResponse;
    message.id = *id;
    return message;
  }
  if (!method->is_string() || method->get_string().empty()) {
    return RpcFailure{error_id, kInvalidRequest,
                      "invalid request: \"method\" must be a non-empty string"};
  }
  message.method = std::string(method->get_string());
  if (const json::value* params = object->if_contains("params")) {
    if (!params->is_object()) {
      // MCP's params are always objects (by-name).
      return RpcFailure{error_id, kInvalidParams, "invalid params: \"params\" must be an object"};
    }
    message.params = params->get_object();
  }
  if (id_ok) {
    message.kind = RpcMessage::Kind::kRequest;
    message.id = *id;
  } else {
    message.kind = RpcMessage::Kind::kNotification;
  }
  return message;
}

json::object MakeResult(const json::value& id, json::value result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json::object MakeError(const json::value& id, int code, std::string_view message) {
  return {{"jsonrpc", "2.0"},
          {"id", id},
          {"error", json::object{{"code", code}, {"message", message}}}};
}

json::object MakeNotification(std::string_view method, json::object params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace taskflow::mcp
