// The offline chat agent (issue 6, item 7): the default when no LLM is
// configured. It understands a message with chat::ParseChatMessage, acts
// through the same tools an LLM or an MCP client calls (ChatTools), and
// answers in plain sentences. Tasks are named by their number in the last list
// it showed, by "it", or by words of their title; when words match several
// tasks it lists them and asks which one, and reads the next message as the
// answer. All of that comes from the conversation's stored actions: the agent
// keeps no state. Behaviour and phrases: docs/chat.md.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/quick_add.hpp"
#include "domain/result.hpp"
#include "ports/chat_agent.hpp"
#include "ports/chat_tools.hpp"

namespace taskflow {

// The user's "now", time zone and date order, for reading "friday" and
// "this week" as the user means them.
using ChatContextSource = std::function<Result<QuickAddContext>(const std::string& user_id)>;

struct OfflineAgentOptions {
  int list_limit = 20;    // tasks shown by one list answer
  int choice_limit = 10;  // candidates shown by one "Which one?"
};

// Thread-safe: stateless beyond its (thread-safe) collaborators, which must
// outlive it.
class OfflineAgent final : public ChatAgent {
 public:
  OfflineAgent(const ChatTools& tools, ChatContextSource context, OfflineAgentOptions options = {});

  // Errors only when the user's context cannot be read (store unavailable);
  // everything the tools refuse is said in the reply.
  Result<AgentReply> Respond(const std::string& user_id, const std::vector<ChatTurn>& history,
                             std::string_view message) override;

 private:
  const ChatTools& tools_;
  ChatContextSource context_;
  OfflineAgentOptions options_;
};

}  // namespace taskflow
