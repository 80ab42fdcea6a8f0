// Rows of the chat tables (migration 5) as the Store port hands them out: a
// user's conversations and their messages. Plain values; no behaviour.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/time.hpp"
#include "ports/chat_agent.hpp"  // ChatRole

namespace taskflow {

struct Conversation {
  std::string id;  // UUIDv7
  std::string user_id;
  std::string title;  // from the first message
  Instant created_at{};
  Instant updated_at{};  // the last message's time
};

struct ConversationQuery {
  long long offset = 0;
  int limit = 20;
};

struct ConversationPage {
  std::vector<Conversation> conversations;  // newest activity first
  long long total = 0;
};

// One stored message. Assistant messages carry the tool calls made for them.
struct ChatMessageRecord {
  std::string id;  // UUIDv7
  std::string conversation_id;
  std::string user_id;
  ChatRole role = ChatRole::kUser;
  std::string content;
  std::string actions_json = "[]";  // a JSON array of the actions, as POST /api/chat shows them
  Instant created_at{};
};

struct ChatMessageQuery {
  long long offset = 0;
  int limit = 50;
};

struct ChatMessagePage {
  std::vector<ChatMessageRecord> messages;  // oldest first
  long long total = 0;
};

}  // namespace taskflow
