// The ChatTools port (ports/chat_tools.hpp) over the MCP tools: a chat agent
// calls exactly the tools an MCP client calls (same definitions, validation,
// use cases and events), with JSON as text at the port.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ports/chat_tools.hpp"
#include "server/mcp/tools.hpp"

namespace taskflow::mcp {

// Thread-safe (immutable after construction). `tools` must outlive this.
class McpChatTools final : public ChatTools {
 public:
  explicit McpChatTools(const TaskTools& tools);

  const std::vector<ToolSpec>& Specs() const override { return specs_; }
  ToolOutcome Call(const std::string& user_id, std::string_view name,
                   std::string_view arguments_json) const override;

 private:
  const TaskTools& tools_;
  std::vector<ToolSpec> specs_;
};

}  // namespace taskflow::mcp
