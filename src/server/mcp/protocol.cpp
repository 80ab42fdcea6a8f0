#include "server/mcp/protocol.hpp"

#include <variant>

namespace taskflow::mcp {
namespace {

// A JSON-RPC error raised while handling a method.
struct MethodError {
  int code;
  std::string message;
};

const json::string* StringParam(const json::object& params, std::string_view name) {
  const json::value* value = params.if_contains(name);
  return value != nullptr ? value->if_string() : nullptr;
}

}  // namespace

Protocol::Protocol(McpServices services, std::string server_version)
    : server_version_(std::move(server_version)),
      tools_(services),
      resources_(services),
      prompts_(resources_) {}

std::string Protocol::NegotiateVersion(const json::object& initialize_params) {
  const json::string* asked = StringParam(initialize_params, "protocolVersion");
  if (asked != nullptr && IsSupportedProtocolVersion(*asked)) return std::string(*asked);
  return std::string(kProtocolVersions[0]);
}

json::object Protocol::InitializeResult(std::string_view protocol_version) const {
  return {
      {"protocolVersion", protocol_version},
      {"capabilities", json::object{{"tools", json::object{{"listChanged", false}}},
                                    {"resources", json::object{{"listChanged", false},
                                                               {"subscribe", false}}},
                                    {"prompts", json::object{{"listChanged", false}}},
                                    {"logging", json::object{}}}},
      {"serverInfo", json::object{{"name", "taskflow"},
                                  {"title", "Taskflow"},
                                  {"version", server_version_}}},
      {"instructions",
       "Taskflow keeps the user's to-do list. Use list_tasks to find tasks (and their ids) "
       "before changing them; add_task with `text` understands everyday phrases such as "
       "\"pay rent every month on the 1st #home\". Times are RFC 3339; the user's time zone "
       "applies when none is given. Resources tasks://today, tasks://overdue and "
       "tasks://upcoming show what is due."}};
}

json::value Protocol::CallTool(const RpcMessage& message, Session& session,
                               const Notifier& notify) const {
  const json::string* name = StringParam(message.params, "name");
  if (name == nullptr) throw MethodError{kInvalidParams, "invalid params: \"name\" is required"};
  if (!tools_.Has(*name)) {
    throw MethodError{kInvalidParams, "unknown tool: " + std::string(*name)};
  }
  json::object arguments;
  if (const json::value* given = message.params.if_contains("arguments")) {
    if (given->is_object()) {
      arguments = given->get_object();
    } else if (!given->is_null()) {
      throw MethodError{kInvalidParams, "invalid params: \"arguments\" must be an object"};
    }
  }
  json::object result = tools_.Call(session.user_id(), *name, arguments);
  const bool failed = result.at("isError").as_bool();
  const LogLevel level = failed ? LogLevel::kWarning : LogLevel::kInfo;
  if (notify && session.Wants(level)) {
    json::object data{{"tool", *name}, {"isError", failed}};
    if (failed) data["message"] = result.at("content").as_array().at(0).as_object().at("text");
    notify(MakeNotification("notifications/message", {{"level", ToString(level)},
                                                      {"logger", "taskflow.tools"},
                                                      {"data", std::move(data)}}));
  }
  return result;
}

std::optional<json::object> Protocol::Handle(const RpcMessage& message, Session& session,
                                             const Notifier& notify) const {
  if (message.kind != RpcMessage::Kind::kRequest) return std::nullopt;
  const std::string& method = message.method;
  try {
    json::value result;
    if (method == "initialize") {
      result = InitializeResult(session.protocol_version());
    } else if (method == "ping") {
      result = json::object{};
    } else if (method == "tools/list") {
      result = json::object{{"tools", tools_.definitions()}};
    } else if (method == "tools/call") {
      result = CallTool(message, session, notify);
    } else if (method == "resources/list") {
      result = json::object{{"resources", resources_.List()}};
    } else if (method == "resources/templates/list") {
      result = json::object{{"resourceTemplates", resources_.Templates()}};
    } else if (method == "resources/read") {
      const json::string* uri = StringParam(message.params, "uri");
      if (uri == nullptr) throw MethodError{kInvalidParams, "invalid params: \"uri\" is required"};
      auto read = resources_.Read(session.user_id(), *uri);
      if (auto* error = std::get_if<ResourceError>(&read)) throw MethodError{error->code, error->message};
      result = std::move(std::get<json::object>(read));
    } else if (method == "prompts/list") {
      result = json::object{{"prompts", prompts_.List()}};
    } else if (method == "prompts/get") {
      const json::string* name = StringParam(message.params, "name");
      if (name == nullptr) throw MethodError{kInvalidParams, "invalid params: \"name\" is required"};
      json::object arguments;
      if (const json::value* given = message.params.if_contains("arguments")) {
        if (!given->is_object() && !given->is_null()) {
          throw MethodError{kInvalidParams, "invalid params: \"arguments\" must be an object"};
        }
        if (given->is_object()) arguments = given->get_object();
      }
      auto prompt = prompts_.Get(session.user_id(), *name, arguments);
      if (auto* error = std::get_if<ResourceError>(&prompt)) throw MethodError{error->code, error->message};
      result = std::move(std::get<json::object>(prompt));
    } else if (method == "logging/setLevel") {
      const json::string* level = StringParam(message.params, "level");
      const std::optional<LogLevel> parsed =
          level != nullptr ? ParseLogLevel(*level) : std::nullopt;
      if (!parsed) {
        throw MethodError{kInvalidParams,
                          "invalid params: \"level\" must be one of debug, info, notice, "
                          "warning, error, critical, alert, emergency"};
      }
      session.set_log_level(*parsed);
      result = json::object{};
    } else {
      return MakeError(message.id, kMethodNotFound, "method not found: " + method);
    }
    return MakeResult(message.id, std::move(result));
  } catch (const MethodError& error) {
    return MakeError(message.id, error.code, error.message);
  }
}

}  // namespace taskflow::mcp
