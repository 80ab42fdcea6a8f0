#include "app/chat_actions_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace taskflow {
namespace {

namespace json = boost::json;

// Embedded as JSON when it is JSON (as tools give it), else as a string.
json::value Embedded(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return json::string(text);
  return value;
}

// Back to text: objects and arrays serialised, strings as they were.
std::string Flattened(const json::value* value, std::string_view fallback) {
  if (value == nullptr) return std::string(fallback);
  if (value->is_string()) return std::string(value->get_string());
  return json::serialize(*value);
}

std::string StringOf(const json::object& o, std::string_view key) {
  const json::value* value = o.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

std::string EncodeChatActions(const std::vector<ChatAction>& actions) {
  json::array out;
  for (const ChatAction& action : actions) {
    out.push_back(
        json::object{{"call_id", action.call_id},
                     {"tool", action.tool},
                     {"arguments", Embedded(action.arguments_json)},
                     {"result", json::object{{"isError", action.is_error},
                                             {"content", action.result_text},
                                             {"structured", Embedded(action.result_json)}}}});
  }
  return json::serialize(out);
}

std::vector<ChatAction> DecodeChatActions(std::string_view text) {
  std::vector<ChatAction> actions;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_array()) return actions;
  for (const json::value& item : value.get_array()) {
    if (!item.is_object()) continue;
    const json::object& o = item.get_object();
    ChatAction action;
    action.call_id = StringOf(o, "call_id");
    action.tool = StringOf(o, "tool");
    action.arguments_json = Flattened(o.if_contains("arguments"), "{}");
    if (const json::value* result = o.if_contains("result"); result && result->is_object()) {
      const json::object& r = result->get_object();
      const json::value* is_error = r.if_contains("isError");
      action.is_error = is_error != nullptr && is_error->is_bool() && is_error->get_bool();
      action.result_text = StringOf(r, "content");
      action.result_json = Flattened(r.if_contains("structured"), "{}");
    }
    actions.push_back(std::move(action));
  }
  return actions;
}

}  // namespace taskflow
