// ChatTools port: the task tools a chat agent may call on a user's behalf.
// The MCP tools implement it (src/server/mcp/tools.*), so a chat agent, an
// MCP client and the REST API reach the same use cases with the same
// validation, events and isolation. JSON travels as text: the domain and
// ports carry no JSON library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace taskflow {

// One tool as a model sees it (the MCP tools/list entry, reduced).
struct ToolSpec {
  std::string name;
  std::string description;
  std::string input_schema_json;  // a JSON Schema object
};

// What one call gave back (an MCP CallToolResult, reduced).
struct ToolOutcome {
  bool is_error = false;
  std::string text;             // the human/model-readable content
  std::string structured_json;  // structuredContent as JSON text; "{}" when none
};

class ChatTools {
 public:
  virtual ~ChatTools() = default;
  // Immutable; thread-safe.
  virtual const std::vector<ToolSpec>& Specs() const = 0;
  // Runs tool `name` for `user_id` with `arguments_json` (a JSON object as
  // text). An unknown tool, arguments that are not a JSON object, or a
  // refused use case is an outcome with is_error set and a message a model
  // can act on; never throws. Thread-safe.
  virtual ToolOutcome Call(const std::string& user_id, std::string_view name,
                           std::string_view arguments_json) const = 0;
};

}  // namespace taskflow
