// ChatAgent port: turns a user's chat message, with the conversation so far,
// into a reply and the tool calls made for it. Two implementations: the
// offline agent (app/offline_agent.*, rule based, the default) and the LLM
// agent (adapters/llm/*, an OpenAI-compatible chat-completions tool loop).
// Conversations are stored by the chat use case, not by agents: an agent is
// stateless, so any replica can answer any message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace taskflow {

// One tool call an agent made, with its outcome, as `POST /api/chat` reports
// it in `actions` and as it is stored with the assistant's message.
struct ChatAction {
  std::string call_id;         // unique within the message ("call_1", or the model's id)
  std::string tool;            // a ChatTools tool name
  std::string arguments_json;  // the arguments as sent (a JSON object as text)
  bool is_error = false;
  std::string result_text;  // ToolOutcome::text
  std::string result_json;  // ToolOutcome::structured_json
};

enum class ChatRole { kUser, kAssistant };

// A stored message of the conversation, oldest first.
struct ChatTurn {
  ChatRole role = ChatRole::kUser;
  std::string content;
  std::vector<ChatAction> actions;  // assistant turns: the calls made for it
};

struct AgentReply {
  std::string reply;                // plain sentences for the user
  std::vector<ChatAction> actions;  // in the order made
};

class ChatAgent {
 public:
  virtual ~ChatAgent() = default;
  // `history` is the conversation before `message` (possibly cut to its most
  // recent turns). A model endpoint that fails or misbehaves is not an error:
  // the reply says so in plain words and keeps the actions already made.
  // Errors are for the caller's own faults only. Thread-safe.
  virtual Result<AgentReply> Respond(const std::string& user_id,
                                     const std::vector<ChatTurn>& history,
                                     std::string_view message) = 0;
};

}  // namespace taskflow
