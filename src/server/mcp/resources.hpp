// MCP resources: one task (template task://{id}) and views of the user's
// pending tasks by due date in the user's time zone: tasks://today,
// tasks://overdue, tasks://upcoming (the next 7 days after today). JSON.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "server/mcp/json_rpc.hpp"
#include "server/mcp/tools.hpp"

namespace taskflow::mcp {

// Why a resource could not be read: a JSON-RPC error code and message.
struct ResourceError {
  int code;
  std::string message;
};

// The tasks of one view, for resources and prompts.
struct TaskView {
  std::string timezone;     // the user's zone
  std::string local_date;   // today there, YYYY-MM-DD
  json::array tasks;        // tasks as the REST API encodes them, by due date
  long long total = 0;      // all matches (tasks holds at most 100)
};

class TaskResources {
 public:
  explicit TaskResources(McpServices services) : services_(services) {}

  json::array List() const;       // resources/list
  json::array Templates() const;  // resources/templates/list
  // resources/read: {contents: [{uri, mimeType, text}]}.
  std::variant<json::object, ResourceError> Read(const std::string& user_id,
                                                 std::string_view uri) const;
  // "today" | "overdue" | "upcoming" | "completed-week" (completed in the last 7 days).
  std::variant<TaskView, ResourceError> View(const std::string& user_id,
                                             std::string_view name) const;

 private:
  McpServices services_;
};

}  // namespace taskflow::mcp
