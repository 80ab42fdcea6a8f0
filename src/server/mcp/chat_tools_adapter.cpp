#include "server/mcp/chat_tools_adapter.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <exception>

#include "adapters/system/logging.hpp"

namespace taskflow::mcp {
namespace {

ToolOutcome Refused(std::string text) {
  return ToolOutcome{.is_error = true, .text = std::move(text), .structured_json = "{}"};
}

// A CallToolResult {content, structuredContent, isError} as the port's outcome.
ToolOutcome FromResult(const json::object& result) {
  ToolOutcome outcome;
  if (const json::value* error = result.if_contains("isError")) {
    outcome.is_error = error->is_bool() && error->get_bool();
  }
  if (const json::value* content = result.if_contains("content"); content && content->is_array()) {
    for (const json::value& item : content->get_array()) {
      const json::value* text = item.is_object() ? item.get_object().if_contains("text") : nullptr;
      if (text == nullptr || !text->is_string()) continue;
      if (!outcome.text.empty()) outcome.text += "\n";
      outcome.text += std::string_view(text->get_string());
    }
  }
  const json::value* structured = result.if_contains("structuredContent");
  outcome.structured_json = structured != nullptr ? json::serialize(*structured) : "{}";
  return outcome;
}

std::string ToolNames(const std::vector<ToolSpec>& specs) {
  std::string names;
  for (const ToolSpec& spec : specs) names += (names.empty() ? "" : ", ") + spec.name;
  return names;
}

}  // namespace

McpChatTools::McpChatTools(const TaskTools& tools) : tools_(tools) {
  for (const json::value& value : tools.definitions()) {
    const json::object& definition = value.as_object();
    specs_.push_back(ToolSpec{.name = std::string(definition.at("name").as_string()),
                              .description = std::string(definition.at("description").as_string()),
                              .input_schema_json = json::serialize(definition.at("inputSchema"))});
  }
}

ToolOutcome McpChatTools::Call(const std::string& user_id, std::string_view name,
                               std::string_view arguments_json) const {
  if (!tools_.Has(name)) {
    return Refused("Unknown tool: " + std::string(name) + ". Known tools: " + ToolNames(specs_) +
                   ".");
  }
  boost::system::error_code ec;
  json::value arguments = json::parse(arguments_json.empty() ? "{}" : arguments_json, ec);
  if (ec || !arguments.is_object()) {
    return Refused("Invalid arguments: the arguments must be a JSON object, e.g. {\"id\": \"…\"}.");
  }
  // The port promises no exception; a failure here is a bug, said plainly.
  try {
    return FromResult(tools_.Call(user_id, name, arguments.get_object()));
  } catch (const std::exception& e) {
    log::Error("chat tool call failed", {{"tool", std::string(name)}, {"error", e.what()}});
  } catch (...) {
    log::Error("chat tool call failed", {{"tool", std::string(name)}});
  }
  return Refused("The server failed to carry out the call; try again later.");
}

}  // namespace taskflow::mcp
