// The MCP tools over the task and tag use cases: definitions (input and
// output JSON Schemas, annotations) and calls. Each call goes through the
// same TaskService/TagService methods and JSON codec as the REST API, so
// validation, events and user isolation are identical and a task looks the
// same everywhere. An in-process agent calls them through Call() too.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "app/account_service.hpp"
#include "app/tag_service.hpp"
#include "app/task_service.hpp"
#include "ports/clock.hpp"

namespace taskflow::mcp {

namespace json = boost::json;

// What the MCP layer needs from the application. Non-owning.
struct McpServices {
  AccountService& accounts;
  TaskService& tasks;
  TagService& tags;
  Clock& clock;
};

// Thread-safe (immutable after construction).
class TaskTools {
 public:
  explicit TaskTools(McpServices services);

  // The tools/list entries: name, title, description, inputSchema,
  // outputSchema, annotations.
  const json::array& definitions() const { return definitions_; }
  bool Has(std::string_view name) const;

  // A CallToolResult {content, structuredContent, isError}. Bad arguments and
  // refused use cases (validation, not found, stale version) are results with
  // isError: true and a message that says what to change; Has(name) must hold.
  json::object Call(const std::string& user_id, std::string_view name,
                    const json::object& arguments) const;

 private:
  McpServices services_;
  json::array definitions_;
};

}  // namespace taskflow::mcp
