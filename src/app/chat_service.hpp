// Use cases of the chat endpoint: send a message to the agent within a stored
// conversation, and list, read and delete a user's conversations.
//
// Stateless between requests: each message loads the conversation's recent
// history from the store, so any replica can answer any message. Another
// user's conversation is kNotFound, as an absent one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "domain/result.hpp"
#include "ports/chat_agent.hpp"
#include "ports/chat_records.hpp"

namespace taskflow {

inline constexpr std::size_t kMaxChatMessageBytes = 4096;
inline constexpr int kChatHistoryMessages = 40;  // what an agent sees of a conversation
inline constexpr std::size_t kMaxConversationTitleChars = 80;
inline constexpr int kMaxConversationLimit = 100;
inline constexpr int kMaxChatMessageLimit = 200;

struct ChatRequest {
  std::optional<std::string> conversation_id;  // absent: a new conversation
  std::string message;
};

struct ChatAnswer {
  std::string conversation_id;
  std::string reply;
  std::vector<ChatAction> actions;
  bool created = false;  // a new conversation was started
};

// The title of a conversation started by `message`: its first line, trimmed,
// cut to kMaxConversationTitleChars characters.
std::string ConversationTitle(std::string_view message);

// Thread-safe (stateless beyond its ports and the agent, which are).
class ChatService {
 public:
  ChatService(Ports ports, ChatAgent& agent) : ports_(ports), agent_(agent) {}

  // kInvalidArgument on "message" (empty, over kMaxChatMessageBytes, not
  // UTF-8); kNotFound for an unknown or foreign conversation_id. The agent's
  // tool calls take effect in their own transactions as it makes them; the
  // user's message and the reply with its actions are then stored together.
  Result<ChatAnswer> Send(const std::string& user_id, ChatRequest request);

  // Newest activity first. limit 1..kMaxConversationLimit, offset >= 0.
  Result<ConversationPage> ListConversations(const std::string& user_id,
                                             const ConversationQuery& query);
  // Oldest first. limit 1..kMaxChatMessageLimit, offset >= 0.
  Result<ChatMessagePage> ListMessages(const std::string& user_id,
                                       const std::string& conversation_id,
                                       const ChatMessageQuery& query);
  Status DeleteConversation(const std::string& user_id, const std::string& conversation_id);

 private:
  Ports ports_;
  ChatAgent& agent_;
};

}  // namespace taskflow
