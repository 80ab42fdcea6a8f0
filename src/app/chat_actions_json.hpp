// The tool calls of a chat reply as JSON, one form for the database (the
// `actions` column) and for POST /api/chat:
//   [{"call_id": "call_1", "tool": "complete_task", "arguments": {…},
//     "result": {"isError": false, "content": "…", "structured": {…}}}]
// Arguments and structured results that are not valid JSON travel as strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ports/chat_agent.hpp"

namespace taskflow {

std::string EncodeChatActions(const std::vector<ChatAction>& actions);
// What EncodeChatActions wrote; anything unreadable is skipped (never throws).
std::vector<ChatAction> DecodeChatActions(std::string_view json);

}  // namespace taskflow
