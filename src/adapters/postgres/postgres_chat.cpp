#include "adapters/postgres/postgres_chat.hpp"

#include <string_view>

#include "adapters/postgres/postgres_params.hpp"
#include "domain/time.hpp"

namespace taskflow::postgres {
namespace {

// ---- SQL (every value a parameter; instants in as RFC 3339, out as Unix ms;
// every query scoped by user_id) ----

constexpr std::string_view kSelectConversation =
    "SELECT id, user_id, title, (extract(epoch FROM created_at) * 1000)::bigint, "
    "(extract(epoch FROM updated_at) * 1000)::bigint FROM conversations "
    "WHERE user_id = $1 AND id = $2";
constexpr std::string_view kCountConversations =
    "SELECT count(*) FROM conversations WHERE user_id = $1";
constexpr std::string_view kInsertConversation =
    "INSERT INTO conversations (id, user_id, title, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)";
constexpr std::string_view kTouchConversation =
    "UPDATE conversations SET updated_at = $3::timestamptz WHERE user_id = $1 AND id = $2";
constexpr std::string_view kDeleteMessages =
    "DELETE FROM chat_messages WHERE user_id = $1 AND conversation_id = $2";
constexpr std::string_view kDeleteConversation =
    "DELETE FROM conversations WHERE user_id = $1 AND id = $2";

constexpr std::string_view kSelectMessages =
    "SELECT id, conversation_id, user_id, role, content, actions, "
    "(extract(epoch FROM created_at) * 1000)::bigint FROM chat_messages "
    "WHERE user_id = $1 AND conversation_id = $2 ORDER BY seq LIMIT $3 OFFSET $4";
constexpr std::string_view kCountMessages =
    "SELECT count(*) FROM chat_messages WHERE user_id = $1 AND conversation_id = $2";
// The last `limit` in order: the newest taken from the end, then turned around.
constexpr std::string_view kSelectRecentMessages =
    "SELECT id, conversation_id, user_id, role, content, actions, "
    "(extract(epoch FROM created_at) * 1000)::bigint FROM ("
    "SELECT * FROM chat_messages WHERE user_id = $1 AND conversation_id = $2 "
    "ORDER BY seq DESC LIMIT $3) AS recent ORDER BY seq";
// The message, and its seq as its conversation's last (migration 6: what
// orders conversations active in the same millisecond), in one round trip.
// GREATEST: seqs are taken in insertion order but transactions commit in any
// order, so a concurrent writer's older seq must not move the mark back.
constexpr std::string_view kInsertMessage =
    "WITH inserted AS ("
    "INSERT INTO chat_messages (id, conversation_id, user_id, role, content, actions, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) RETURNING seq) "
    "UPDATE conversations SET last_message_seq = GREATEST(last_message_seq, "
    "(SELECT seq FROM inserted)) WHERE user_id = $3 AND id = $2";

Conversation DecodeConversation(const Rows& rows, int r) {
  return Conversation{.id = rows.Text(r, 0),
                      .user_id = rows.Text(r, 1),
                      .title = rows.Text(r, 2),
                      .created_at = FromUnixMillis(rows.Int64(r, 3)),
                      .updated_at = FromUnixMillis(rows.Int64(r, 4))};
}

ChatMessageRecord DecodeMessage(const Rows& rows, int r) {
  return ChatMessageRecord{
      .id = rows.Text(r, 0),
      .conversation_id = rows.Text(r, 1),
      .user_id = rows.Text(r, 2),
      .role = rows.TextView(r, 3) == "assistant" ? ChatRole::kAssistant : ChatRole::kUser,
      .content = rows.Text(r, 4),
      .actions_json = rows.Text(r, 5),
      .created_at = FromUnixMillis(rows.Int64(r, 6))};
}

const char* RoleText(ChatRole role) { return role == ChatRole::kAssistant ? "assistant" : "user"; }

}  // namespace

std::optional<Conversation> FindConversation(Connection& db, const std::string& user_id,
                                             const std::string& conversation_id) {
  Rows rows = db.Exec(kSelectConversation, {Text(user_id), Text(conversation_id)});
  if (rows.empty()) return std::nullopt;
  return DecodeConversation(rows, 0);
}

ConversationPage ListConversations(Connection& db, const std::string& user_id,
                                   const ConversationQuery& query) {
  ConversationPage page;
  Rows rows = db.Exec(kListConversationsSql, {Text(user_id), Int(query.limit), Int(query.offset)});
  for (int r = 0; r < rows.size(); ++r) page.conversations.push_back(DecodeConversation(rows, r));
  page.total = db.Exec(kCountConversations, {Text(user_id)}).Int64(0, 0);
  return page;
}

ChatMessagePage ListChatMessages(Connection& db, const std::string& user_id,
                                 const std::string& conversation_id,
                                 const ChatMessageQuery& query) {
  ChatMessagePage page;
  Rows rows = db.Exec(kSelectMessages,
                      {Text(user_id), Text(conversation_id), Int(query.limit), Int(query.offset)});
  for (int r = 0; r < rows.size(); ++r) page.messages.push_back(DecodeMessage(rows, r));
  page.total = db.Exec(kCountMessages, {Text(user_id), Text(conversation_id)}).Int64(0, 0);
  return page;
}

std::vector<ChatMessageRecord> RecentChatMessages(Connection& db, const std::string& user_id,
                                                  const std::string& conversation_id, int limit) {
  std::vector<ChatMessageRecord> messages;
  Rows rows = db.Exec(kSelectRecentMessages, {Text(user_id), Text(conversation_id), Int(limit)});
  for (int r = 0; r < rows.size(); ++r) messages.push_back(DecodeMessage(rows, r));
  return messages;
}

void InsertConversation(Connection& db, const Conversation& conversation) {
  db.Exec(kInsertConversation,
          {Text(conversation.id), Text(conversation.user_id), Text(conversation.title),
           Time(conversation.created_at), Time(conversation.updated_at)});
}

bool TouchConversation(Connection& db, const std::string& user_id,
                       const std::string& conversation_id, Instant updated_at) {
  return db.Exec(kTouchConversation, {Text(user_id), Text(conversation_id), Time(updated_at)})
             .affected() == 1;
}

bool DeleteConversation(Connection& db, const std::string& user_id,
                        const std::string& conversation_id) {
  db.Exec(kDeleteMessages, {Text(user_id), Text(conversation_id)});
  return db.Exec(kDeleteConversation, {Text(user_id), Text(conversation_id)}).affected() == 1;
}

void InsertChatMessage(Connection& db, const ChatMessageRecord& message) {
  db.Exec(kInsertMessage, {Text(message.id), Text(message.conversation_id), Text(message.user_id),
                           Text(RoleText(message.role)), Text(message.content),
                           Text(message.actions_json), Time(message.created_at)});
}

}  // namespace taskflow::postgres
