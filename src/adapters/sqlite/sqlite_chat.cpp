#include "adapters/sqlite/sqlite_chat.hpp"

#include <cstdint>
#include <string_view>

namespace taskflow::sqlite {
namespace {

// ---- SQL (every value a bound parameter; every query scoped by user_id) ----

constexpr std::string_view kSelectConversation =
    "SELECT id, user_id, title, created_at, updated_at FROM conversations "
    "WHERE id = ? AND user_id = ?";
constexpr std::string_view kCountConversations =
    "SELECT count(*) FROM conversations WHERE user_id = ?";
constexpr std::string_view kInsertConversation =
    "INSERT INTO conversations (id, user_id, title, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kTouchConversation =
    "UPDATE conversations SET updated_at = ?3 WHERE id = ?2 AND user_id = ?1";
constexpr std::string_view kDeleteMessages =
    "DELETE FROM chat_messages WHERE conversation_id = ?2 AND user_id = ?1";
constexpr std::string_view kDeleteConversation =
    "DELETE FROM conversations WHERE id = ?2 AND user_id = ?1";

constexpr std::string_view kSelectMessages =
    "SELECT id, conversation_id, user_id, role, content, actions, created_at FROM chat_messages "
    "WHERE conversation_id = ?2 AND user_id = ?1 ORDER BY seq LIMIT ?3 OFFSET ?4";
constexpr std::string_view kCountMessages =
    "SELECT count(*) FROM chat_messages WHERE conversation_id = ?2 AND user_id = ?1";
// The last `limit` in order: the newest taken from the end, then turned around.
constexpr std::string_view kSelectRecentMessages =
    "SELECT id, conversation_id, user_id, role, content, actions, created_at FROM ("
    "SELECT seq, id, conversation_id, user_id, role, content, actions, created_at "
    "FROM chat_messages WHERE conversation_id = ?2 AND user_id = ?1 ORDER BY seq DESC LIMIT ?3"
    ") ORDER BY seq";
constexpr std::string_view kInsertMessage =
    "INSERT INTO chat_messages (id, conversation_id, user_id, role, content, actions, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
// What orders conversations active in the same millisecond (migration 6).
constexpr std::string_view kSetLastMessage =
    "UPDATE conversations SET last_message_seq = ?3 WHERE id = ?2 AND user_id = ?1";

Conversation DecodeConversation(const Statement& s) {
  return Conversation{.id = s.Text(0),
                      .user_id = s.Text(1),
                      .title = s.Text(2),
                      .created_at = FromUnixMillis(s.Int64(3)),
                      .updated_at = FromUnixMillis(s.Int64(4))};
}

ChatMessageRecord DecodeMessage(const Statement& s) {
  return ChatMessageRecord{
      .id = s.Text(0),
      .conversation_id = s.Text(1),
      .user_id = s.Text(2),
      .role = s.Text(3) == "assistant" ? ChatRole::kAssistant : ChatRole::kUser,
      .content = s.Text(4),
      .actions_json = s.Text(5),
      .created_at = FromUnixMillis(s.Int64(6))};
}

const char* RoleText(ChatRole role) { return role == ChatRole::kAssistant ? "assistant" : "user"; }

void BindOwner(Statement& s, const std::string& user_id, const std::string& conversation_id) {
  s.BindText(1, user_id);
  s.BindText(2, conversation_id);
}

void SetLastMessage(Connection& db, const ChatMessageRecord& message, std::int64_t seq) {
  ScopedStatement s = db.Prepare(kSetLastMessage);
  BindOwner(*s, message.user_id, message.conversation_id);
  s->BindInt64(3, seq);
  s->Step();
}

}  // namespace

std::optional<Conversation> FindConversation(Connection& db, const std::string& user_id,
                                             const std::string& conversation_id) {
  ScopedStatement s = db.Prepare(kSelectConversation);
  s->BindText(1, conversation_id);
  s->BindText(2, user_id);
  if (!s->Step()) return std::nullopt;
  return DecodeConversation(*s);
}

ConversationPage ListConversations(Connection& db, const std::string& user_id,
                                   const ConversationQuery& query) {
  ConversationPage page;
  {
    ScopedStatement s = db.Prepare(kListConversationsSql);
    s->BindText(1, user_id);
    s->BindInt64(2, query.limit);
    s->BindInt64(3, query.offset);
    while (s->Step()) page.conversations.push_back(DecodeConversation(*s));
  }
  ScopedStatement s = db.Prepare(kCountConversations);
  s->BindText(1, user_id);
  s->Step();
  page.total = s->Int64(0);
  return page;
}

ChatMessagePage ListChatMessages(Connection& db, const std::string& user_id,
                                 const std::string& conversation_id,
                                 const ChatMessageQuery& query) {
  ChatMessagePage page;
  {
    ScopedStatement s = db.Prepare(kSelectMessages);
    BindOwner(*s, user_id, conversation_id);
    s->BindInt64(3, query.limit);
    s->BindInt64(4, query.offset);
    while (s->Step()) page.messages.push_back(DecodeMessage(*s));
  }
  ScopedStatement s = db.Prepare(kCountMessages);
  BindOwner(*s, user_id, conversation_id);
  s->Step();
  page.total = s->Int64(0);
  return page;
}

std::vector<ChatMessageRecord> RecentChatMessages(Connection& db, const std::string& user_id,
                                                  const std::string& conversation_id, int limit) {
  std::vector<ChatMessageRecord> messages;
  ScopedStatement s = db.Prepare(kSelectRecentMessages);
  BindOwner(*s, user_id, conversation_id);
  s->BindInt64(3, limit);
  while (s->Step()) messages.push_back(DecodeMessage(*s));
  return messages;
}

void InsertConversation(Connection& db, const Conversation& conversation) {
  ScopedStatement s = db.Prepare(kInsertConversation);
  s->BindText(1, conversation.id);
  s->BindText(2, conversation.user_id);
  s->BindText(3, conversation.title);
  s->BindInt64(4, ToUnixMillis(conversation.created_at));
  s->BindInt64(5, ToUnixMillis(conversation.updated_at));
  s->Step();
}

bool TouchConversation(Connection& db, const std::string& user_id,
                       const std::string& conversation_id, Instant updated_at) {
  ScopedStatement s = db.Prepare(kTouchConversation);
  BindOwner(*s, user_id, conversation_id);
  s->BindInt64(3, ToUnixMillis(updated_at));
  s->Step();
  return db.Changes() == 1;
}

bool DeleteConversation(Connection& db, const std::string& user_id,
                        const std::string& conversation_id) {
  {
    ScopedStatement s = db.Prepare(kDeleteMessages);
    BindOwner(*s, user_id, conversation_id);
    s->Step();
  }
  ScopedStatement s = db.Prepare(kDeleteConversation);
  BindOwner(*s, user_id, conversation_id);
  s->Step();
  return db.Changes() == 1;
}

void InsertChatMessage(Connection& db, const ChatMessageRecord& message) {
  {
    ScopedStatement s = db.Prepare(kInsertMessage);
    s->BindText(1, message.id);
    s->BindText(2, message.conversation_id);
    s->BindText(3, message.user_id);
    s->BindText(4, RoleText(message.role));
    s->BindText(5, message.content);
    s->BindText(6, message.actions_json);
    s->BindInt64(7, ToUnixMillis(message.created_at));
    s->Step();
  }
  // seq is the rowid, and the writer is alone: each message's seq is the largest yet.
  SetLastMessage(db, message, db.LastInsertRowid());
}

}  // namespace taskflow::sqlite
