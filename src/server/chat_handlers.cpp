// /api/chat (a message to the agent, in a stored conversation), the seed's
// /api/{user_id}/chat, and /api/conversations (list, read, delete).
#include <boost/json.hpp>
#include <charconv>

#include "app/chat_actions_json.hpp"
#include "app/chat_service.hpp"
#include "server/handlers.hpp"

namespace taskflow {
namespace {

namespace json = boost::json;

std::optional<long long> ParseInteger(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// ?limit=&offset=; every offending parameter is named (ranges are the use case's).
Result<std::pair<long long, int>> ParsePage(const HttpRequest& request, int default_limit) {
  long long offset = 0;
  long long limit = default_limit;
  std::vector<FieldError> errors;
  for (const auto& [name, value] : request.query) {
    if (name == "limit" || name == "offset") {
      const auto number = ParseInteger(value);
      if (!number || *number < (name == "limit" ? 1 : 0) || *number > 1'000'000) {
        errors.push_back({name, name == "limit" ? "must be a positive integer"
                                                : "must be an integer of 0 or more"});
      } else {
        (name == "limit" ? limit : offset) = *number;
      }
    } else {
      errors.push_back({name, "is not a parameter of this operation"});
    }
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return std::pair<long long, int>{offset, static_cast<int>(limit)};
}

// {"conversation_id"?: string|null, "message": string}
Decoded<ChatRequest> DecodeChatRequest(std::string_view body) {
  Decoded<json::value> value = ParseObjectBody(body);
  if (auto* problem = std::get_if<Problem>(&value)) return std::move(*problem);
  const json::object& o = std::get<json::value>(value).get_object();
  std::vector<FieldError> errors;
  for (const auto& member : o) {
    if (member.key() != "message" && member.key() != "conversation_id") {
      errors.push_back({std::string(member.key()), "is not a field of a chat message"});
    }
  }
  ChatRequest request;
  const json::value* message = o.if_contains("message");
  if (message == nullptr || !message->is_string()) {
    errors.push_back({"message", "is required, a string"});
  } else {
    request.message = std::string(message->get_string());
  }
  if (const json::value* id = o.if_contains("conversation_id"); id && !id->is_null()) {
    if (!id->is_string()) {
      errors.push_back({"conversation_id", "must be a string (a conversation's id) or null"});
    } else {
      request.conversation_id = std::string(id->get_string());
    }
  }
  if (!errors.empty()) return Problem{422, "the request has invalid fields", std::move(errors)};
  return request;
}

std::string EncodeAnswer(const ChatAnswer& answer) {
  return json::serialize(json::object{{"conversation_id", answer.conversation_id},
                                      {"reply", answer.reply},
                                      {"actions", json::parse(EncodeChatActions(answer.actions))}});
}

json::object EncodeConversation(const Conversation& conversation) {
  return {{"id", conversation.id},
          {"title", conversation.title},
          {"created_at", FormatRfc3339(conversation.created_at)},
          {"updated_at", FormatRfc3339(conversation.updated_at)}};
}

json::object EncodeMessage(const ChatMessageRecord& message) {
  boost::system::error_code ec;
  json::value actions = json::parse(message.actions_json, ec);
  if (ec || !actions.is_array()) actions = json::array();
  return {{"id", message.id},
          {"role", message.role == ChatRole::kAssistant ? "assistant" : "user"},
          {"content", message.content},
          {"actions", std::move(actions)},
          {"created_at", FormatRfc3339(message.created_at)}};
}

HttpResponse SendMessage(ChatService& chat, const HttpRequest& request,
                         const std::string& user_id) {
  ChatRequest chat_request;
  if (auto rejected = DecodeBody(request, &DecodeChatRequest, chat_request)) return *rejected;
  // A conversation id is a UUID; anything else names no conversation.
  if (chat_request.conversation_id && !IsIdText(*chat_request.conversation_id)) {
    return ErrorResponse(Error::NotFound("conversation not found"));
  }
  Result<ChatAnswer> answer = chat.Send(user_id, std::move(chat_request));
  if (!answer.ok()) return ErrorResponse(answer.error());
  return JsonResponse(200, EncodeAnswer(*answer));
}

}  // namespace

void RegisterChatRoutes(Router& router, const ApiServices& services) {
  AccountService& accounts = services.accounts;
  ChatService& chat = *services.chat;
  router.Add(
      "POST", "/api/chat",
      WithAuth(accounts,
               [&chat](const HttpRequest& request, const PathParams&, const std::string& user_id) {
                 return SendMessage(chat, request, user_id);
               }),
      RouteCost::kExternal);
  // The seed's path: the user in the path must be the token's.
  router.Add("POST", "/api/{user_id}/chat",
             WithAuth(accounts,
                      [&chat](const HttpRequest& request, const PathParams& params,
                              const std::string& user_id) {
                        if (params.get("user_id") != user_id) {
                          return ProblemResponse(
                              403, "the user in the path is not the token's user",
                              {FieldError{"user_id", "must be the caller's own id"}});
                        }
                        return SendMessage(chat, request, user_id);
                      }),
             RouteCost::kExternal);
  router.Add("GET", "/api/conversations",
             WithAuth(accounts, [&chat](const HttpRequest& request, const PathParams&,
                                        const std::string& user_id) {
               auto page = ParsePage(request, 20);
               if (!page.ok()) return ErrorResponse(page.error());
               const ConversationQuery query{.offset = page->first, .limit = page->second};
               Result<ConversationPage> list = chat.ListConversations(user_id, query);
               if (!list.ok()) return ErrorResponse(list.error());
               json::array items;
               for (const Conversation& c : list->conversations) {
                 items.push_back(EncodeConversation(c));
               }
               return JsonResponse(200,
                                   json::serialize(json::object{{"conversations", std::move(items)},
                                                                {"total", list->total},
                                                                {"offset", query.offset},
                                                                {"limit", query.limit}}));
             }));
  router.Add("GET", "/api/conversations/{id}/messages",
             WithAuth(accounts, [&chat](const HttpRequest& request, const PathParams& params,
                                        const std::string& user_id) {
               const std::string_view id = params.get("id");
               if (!IsIdText(id)) return ErrorResponse(Error::NotFound("conversation not found"));
               auto page = ParsePage(request, 50);
               if (!page.ok()) return ErrorResponse(page.error());
               const ChatMessageQuery query{.offset = page->first, .limit = page->second};
               Result<ChatMessagePage> messages =
                   chat.ListMessages(user_id, std::string(id), query);
               if (!messages.ok()) return ErrorResponse(messages.error());
               json::array items;
               for (const ChatMessageRecord& m : messages->messages) {
                 items.push_back(EncodeMessage(m));
               }
               return JsonResponse(200, json::serialize(json::object{{"messages", std::move(items)},
                                                                     {"total", messages->total},
                                                                     {"offset", query.offset},
                                                                     {"limit", query.limit}}));
             }));
  router.Add(
      "DELETE", "/api/conversations/{id}",
      WithAuth(accounts,
               [&chat](const HttpRequest&, const PathParams& params, const std::string& user_id) {
                 const std::string_view id = params.get("id");
                 if (!IsIdText(id)) return ErrorResponse(Error::NotFound("conversation not found"));
                 Status deleted = chat.DeleteConversation(user_id, std::string(id));
                 if (!deleted.ok()) return ErrorResponse(deleted.error());
                 return NoContent();
               }),
      RouteCost::kStoreWrite);
}

}  // namespace taskflow
