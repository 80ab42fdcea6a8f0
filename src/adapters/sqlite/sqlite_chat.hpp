// Private to the SQLite adapter: the chat tables of migration 5
// (conversations, chat_messages). Each function runs inside the caller's
// transaction on `db`, scoped to the owner; failures are thrown as StoreFailure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/sqlite/sqlite_connection.hpp"
#include "ports/chat_records.hpp"

namespace taskflow::sqlite {

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
