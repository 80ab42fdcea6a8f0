// MCP prompts that gather the user's tasks into a ready message:
// plan-my-day (overdue, due today, upcoming) and weekly-review (completed in
// the last 7 days, overdue, the week ahead).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "server/mcp/resources.hpp"

namespace taskflow::mcp {

class TaskPrompts {
 public:
  explicit TaskPrompts(const TaskResources& resources) : resources_(resources) {}

  json::array List() const;  // prompts/list
  // prompts/get: {description, messages: [{role: "user", content: {type: "text", text}}]};
  // kInvalidParams for an unknown prompt or a bad argument.
  std::variant<json::object, ResourceError> Get(const std::string& user_id, std::string_view name,
                                                const json::object& arguments) const;

 private:
  const TaskResources& resources_;
};

}  // namespace taskflow::mcp
