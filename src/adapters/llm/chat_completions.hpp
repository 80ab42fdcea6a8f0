// The OpenAI chat-completions wire format, as pure functions: the request's
// messages (system prompt, stored history, tool calls and their results) and
// tools, and a tolerant reading of the answer. Real servers differ and
// misbehave (arguments that are not JSON, or an object instead of a JSON
// string; missing or repeated call ids; content as an array of parts); what
// this reads is normalised so the agent's loop sees one shape.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "ports/chat_agent.hpp"
#include "ports/chat_tools.hpp"

namespace taskflow::llm {

// The `tools` array of a request: {"type":"function","function":{name,
// description, parameters}} for each spec. A schema that is not a JSON
// object becomes {"type":"object"} (the tool stays callable).
boost::json::array ToolDefinitions(const std::vector<ToolSpec>& specs);

// Tool-call ids of one request: each id is used once (some servers repeat
// "call_0" at every step, or send none at all).
class CallIds {
 public:
  // `id` if it is non-empty, short and unused so far; else a fresh one.
  std::string Claim(std::string_view id);

 private:
  std::set<std::string, std::less<>> used_;
  int generated_ = 0;
};

// One tool call the model asked for, normalised.
struct RequestedCall {
  std::string id;    // unique within the request (CallIds)
  std::string name;  // empty when the model gave none
  // The arguments as a JSON object's text ("{}" when the model sent nothing).
  // Unset when they were unusable; `problem` then says why, for the model.
  std::optional<std::string> arguments_json;
  std::string problem;
};

// What one answer said.
struct ModelAnswer {
  std::string content;  // the text (an array of text parts joined)
  std::vector<RequestedCall> calls;
  std::string finish_reason;  // "stop", "tool_calls", "length", … or empty
};

// Reads a chat-completions answer body (the first choice). kUnavailable with
// a short description when it is not JSON, or has no choice or message.
Result<ModelAnswer> ParseAnswer(std::string_view body, CallIds& ids);

// The `error.message` of an error body, or empty; at most 300 characters.
std::string ErrorMessageOf(std::string_view body);

// The conversation as chat-completions messages.
class Messages {
 public:
  void AddSystem(std::string text);
  void AddUser(std::string_view text);
  void AddAssistantText(std::string_view text);
  // An assistant message asking for `calls` (with its text, if any). Unusable
  // arguments are echoed as "{}": some servers re-parse the history.
  void AddAssistantCalls(std::string_view text, const std::vector<RequestedCall>& calls);
  void AddToolResult(std::string_view call_id, std::string_view content);
  // Stored turns, oldest first: a user turn; an assistant turn's actions as
  // one assistant message with their calls, one tool message each, then its
  // text. Ids come from `ids`, so every tool message matches its call.
  void AddHistory(const std::vector<ChatTurn>& history, CallIds& ids,
                  std::size_t max_tool_result_chars);

  const boost::json::array& array() const { return messages_; }

 private:
  boost::json::array messages_;
};

// The text a tool message carries for an outcome: its text (or, when empty,
// its structured JSON), "Error: …" when it failed, cut to `max_chars`.
std::string ToolMessageContent(bool is_error, std::string_view text,
                               std::string_view structured_json, std::size_t max_chars);

// The request body: model, messages, tools (omitted when empty).
std::string RequestBody(std::string_view model, const Messages& messages,
                        const boost::json::array& tools);

}  // namespace taskflow::llm
