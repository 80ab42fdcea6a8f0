#include "app/chat_service.hpp"

#include <utility>

#include "app/chat_actions_json.hpp"
#include "domain/text.hpp"

namespace taskflow {
namespace {

Status CheckMessage(const std::string& message) {
  const auto bad = [](std::string why) { return Error::Invalid("message", std::move(why)); };
  if (message.find_first_not_of(" \t\r\n") == std::string::npos) return bad("is required");
  if (message.size() > kMaxChatMessageBytes) {
    return bad("must be at most " + std::to_string(kMaxChatMessageBytes) + " bytes");
  }
  if (!IsValidUtf8(message)) return bad("must be valid UTF-8");
  return {};
}

Status CheckPage(long long offset, int limit, int max_limit) {
  std::vector<FieldError> errors;
  if (limit < 1 || limit > max_limit) {
    errors.push_back({"limit", "must be an integer from 1 to " + std::to_string(max_limit)});
  }
  if (offset < 0) errors.push_back({"offset", "must be an integer of 0 or more"});
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return {};
}

std::vector<ChatTurn> ToTurns(const std::vector<ChatMessageRecord>& records) {
  std::vector<ChatTurn> turns;
  turns.reserve(records.size());
  for (const ChatMessageRecord& record : records) {
    turns.push_back(ChatTurn{.role = record.role,
                             .content = record.content,
                             .actions = DecodeChatActions(record.actions_json)});
  }
  return turns;
}

// The start of the last UTF-8 character that fits in `max_chars` characters.
std::size_t CutAfterChars(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte
    if (chars == max_chars) return i;
    ++chars;
  }
  return text.size();
}

}  // namespace

std::string ConversationTitle(std::string_view message) {
  const std::size_t begin = message.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "Conversation";
  std::string_view line = message.substr(begin);
  line = line.substr(0, line.find_first_of("\r\n"));
  const std::size_t cut = CutAfterChars(line, kMaxConversationTitleChars);
  std::string title(line.substr(0, cut));
  if (cut < line.size()) title += "\xE2\x80\xA6";  // …
  while (!title.empty() && (title.back() == ' ' || title.back() == '\t')) title.pop_back();
  return title;
}

Result<ChatAnswer> ChatService::Send(const std::string& user_id, ChatRequest request) {
  if (Status ok = CheckMessage(request.message); !ok.ok()) return std::move(ok).take_error();
  const Instant received = ports_.clock.Now();
  std::vector<ChatMessageRecord> history;
  if (request.conversation_id) {
    Status read = ports_.store.Read([&](StoreReader& tx) -> Status {
      if (!tx.FindConversation(user_id, *request.conversation_id)) {
        return Error::NotFound("conversation not found");
      }
      history = tx.RecentChatMessages(user_id, *request.conversation_id, kChatHistoryMessages);
      return {};
    });
    if (!read.ok()) return std::move(read).take_error();
  }

  Result<AgentReply> reply = agent_.Respond(user_id, ToTurns(history), request.message);
  if (!reply.ok()) return std::move(reply).take_error();

  ChatAnswer answer{
      .conversation_id = request.conversation_id ? *request.conversation_id : ports_.ids.NewId(),
      .reply = std::move(reply->reply),
      .actions = std::move(reply->actions),
      .created = !request.conversation_id};
  const Instant replied = ports_.clock.Now();
  const ChatMessageRecord asked{.id = ports_.ids.NewId(),
                                .conversation_id = answer.conversation_id,
                                .user_id = user_id,
                                .role = ChatRole::kUser,
                                .content = request.message,
                                .actions_json = "[]",
                                .created_at = received};
  const ChatMessageRecord answered{.id = ports_.ids.NewId(),
                                   .conversation_id = answer.conversation_id,
                                   .user_id = user_id,
                                   .role = ChatRole::kAssistant,
                                   .content = answer.reply,
                                   .actions_json = EncodeChatActions(answer.actions),
                                   .created_at = replied};
  Status stored = ports_.store.Write([&](StoreWriter& tx) -> Status {
    if (answer.created) {
      tx.InsertConversation(Conversation{.id = answer.conversation_id,
                                         .user_id = user_id,
                                         .title = ConversationTitle(request.message),
                                         .created_at = received,
                                         .updated_at = replied});
    } else if (!tx.TouchConversation(user_id, answer.conversation_id, replied)) {
      return Error::NotFound("conversation not found");  // deleted meanwhile
    }
    tx.InsertChatMessage(asked);
    tx.InsertChatMessage(answered);
    return {};
  });
  if (!stored.ok()) return std::move(stored).take_error();
  return answer;
}

Result<ConversationPage> ChatService::ListConversations(const std::string& user_id,
                                                        const ConversationQuery& query) {
  if (Status ok = CheckPage(query.offset, query.limit, kMaxConversationLimit); !ok.ok()) {
    return std::move(ok).take_error();
  }
  ConversationPage page;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    page = tx.ListConversations(user_id, query);
    return {};
  });
  if (!status.ok()) return std::move(status).take_error();
  return page;
}

Result<ChatMessagePage> ChatService::ListMessages(const std::string& user_id,
                                                  const std::string& conversation_id,
                                                  const ChatMessageQuery& query) {
  if (Status ok = CheckPage(query.offset, query.limit, kMaxChatMessageLimit); !ok.ok()) {
    return std::move(ok).take_error();
  }
  ChatMessagePage page;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    if (!tx.FindConversation(user_id, conversation_id)) {
      return Error::NotFound("conversation not found");
    }
    page = tx.ListChatMessages(user_id, conversation_id, query);
    return {};
  });
  if (!status.ok()) return std::move(status).take_error();
  return page;
}

Status ChatService::DeleteConversation(const std::string& user_id,
                                       const std::string& conversation_id) {
  return ports_.store.Write([&](StoreWriter& tx) -> Status {
    if (!tx.DeleteConversation(user_id, conversation_id)) {
      return Error::NotFound("conversation not found");
    }
    return {};
  });
}

}  // namespace taskflow
