// Private to the SQLite adapter: the chat tables of migrations 5 and 6
// (conversations, chat_messages). Each function runs inside the caller's
// transaction on `db`, scoped to the owner; failures are thrown as StoreFailure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sqlite/sqlite_connection.hpp"
#include "ports/chat_records.hpp"

namespace taskflow::sqlite {

// A page of a user's conversations, newest activity first; ties on
// updated_at (the same millisecond) go to the conversation written last.
// Parameters: user_id, limit, offset. Here for the test of its plan.
inline constexpr std::string_view kListConversationsSql =
    "SELECT id, user_id, title, created_at, updated_at FROM conversations WHERE user_id = ? "
    "ORDER BY updated_at DESC, last_message_seq DESC, id DESC LIMIT ? OFFSET ?";

std::optional<Conversation> FindConversation(Connection& db, const std::string& user_id,
                                             const std::string& conversation_id);
ConversationPage ListConversations(Connection& db, const std::string& user_id,
                                   const ConversationQuery& query);
ChatMessagePage ListChatMessages(Connection& db, const std::string& user_id,
                                 const std::string& conversation_id, const ChatMessageQuery& query);
std::vector<ChatMessageRecord> RecentChatMessages(Connection& db, const std::string& user_id,
                                                  const std::string& conversation_id, int limit);

void InsertConversation(Connection& db, const Conversation& conversation);
bool TouchConversation(Connection& db, const std::string& user_id,
                       const std::string& conversation_id, Instant updated_at);
bool DeleteConversation(Connection& db, const std::string& user_id,
                        const std::string& conversation_id);
void InsertChatMessage(Connection& db, const ChatMessageRecord& message);

}  // namespace taskflow::sqlite
