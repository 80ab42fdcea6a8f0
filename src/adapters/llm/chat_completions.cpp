#include "adapters/llm/chat_completions.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace taskflow::llm {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kExcerptChars = 120;

std::optional<json::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return std::nullopt;
  return value;
}

// Cuts at a UTF-8 boundary so the JSON we send stays valid text.
std::string Cut(std::string_view text, std::size_t max_chars, std::string_view marker) {
  if (text.size() <= max_chars) return std::string(text);
  std::size_t end = max_chars;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + std::string(marker);
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Content as a string, or an array of parts ({"type":"text","text":…} or
// plain strings), or an object with a text: the text, joined.
std::string ContentText(const json::value* content) {
  if (content == nullptr) return {};
  if (content->is_string()) return std::string(content->get_string());
  std::string text;
  const auto add = [&text](const json::value& part) {
    if (part.is_string()) {
      text += part.get_string();
    } else if (part.is_object()) {
      if (const json::value* t = part.get_object().if_contains("text"); t && t->is_string()) {
        text += t->get_string();
      }
    }
  };
  if (content->is_array()) {
    for (const json::value& part : content->get_array()) add(part);
  } else {
    add(*content);
  }
  return text;
}

std::string IdText(const json::value* id) {
  if (id == nullptr) return {};
  if (id->is_string()) return std::string(id->get_string());
  if (id->is_int64()) return std::to_string(id->get_int64());
  if (id->is_uint64()) return std::to_string(id->get_uint64());
  return {};
}

// The arguments of one call as a JSON object's text, accepting what servers
// send: a JSON string (the standard), an object (Ollama and others), a
// string holding a JSON string of an object (double encoded), nothing.
void ReadArguments(const json::value* given, RequestedCall& call) {
  if (given == nullptr || given->is_null()) {
    call.arguments_json = "{}";
    return;
  }
  if (given->is_object()) {
    call.arguments_json = json::serialize(*given);
    return;
  }
  if (!given->is_string()) {
    call.problem = "the arguments must be a JSON object, not " +
                   std::string(given->is_array() ? "an array" : "a number or boolean") +
                   "; call the tool again with one JSON object matching its parameters";
    return;
  }
  const std::string_view text = Trim(given->get_string());
  if (text.empty()) {
    call.arguments_json = "{}";
    return;
  }
  std::optional<json::value> parsed = ParseJson(text);
  if (parsed && parsed->is_string()) parsed = ParseJson(parsed->get_string());
  if (parsed && parsed->is_object()) {
    call.arguments_json = json::serialize(*parsed);
    return;
  }
  if (parsed) {
    call.problem =
        "the arguments must be a JSON object; call the tool again with one JSON object matching "
        "its parameters";
    return;
  }
  call.problem = "the arguments were not valid JSON (received: " + Cut(text, kExcerptChars, "…") +
                 "); call the tool again with one valid JSON object matching its parameters";
}

RequestedCall ReadCall(const json::value& given, CallIds& ids) {
  RequestedCall call;
  const json::object* object = given.if_object();
  if (object == nullptr) {
    call.id = ids.Claim("");
    call.problem = "a tool call must be an object with a function name and arguments";
    return call;
  }
  call.id = ids.Claim(IdText(object->if_contains("id")));
  // Standard: {"function": {"name", "arguments"}}; some servers put them flat.
  const json::object* function = object;
  if (const json::value* f = object->if_contains("function"); f && f->is_object()) {
    function = &f->get_object();
  }
  if (const json::value* name = function->if_contains("name"); name && name->is_string()) {
    call.name = std::string(Trim(name->get_string()));
  }
  const json::value* arguments = function->if_contains("arguments");
  if (arguments == nullptr) arguments = function->if_contains("parameters");
  ReadArguments(arguments, call);
  return call;
}

json::object ToolCallJson(std::string_view id, std::string_view name,
                          std::string_view arguments_json) {
  return {{"id", id},
          {"type", "function"},
          {"function", {{"name", name}, {"arguments", arguments_json}}}};
}

}  // namespace

json::array ToolDefinitions(const std::vector<ToolSpec>& specs) {
  json::array tools;
  for (const ToolSpec& spec : specs) {
    std::optional<json::value> schema = ParseJson(spec.input_schema_json);
    json::value parameters = schema && schema->is_object()
                                 ? std::move(*schema)
                                 : json::value(json::object{{"type", "object"}});
    tools.push_back(json::object{{"type", "function"},
                                 {"function",
                                  {{"name", spec.name},
                                   {"description", spec.description},
                                   {"parameters", std::move(parameters)}}}});
  }
  return tools;
}

std::string CallIds::Claim(std::string_view id) {
  id = Trim(id);
  bool usable = !id.empty() && id.size() <= kMaxIdLength && !used_.contains(id);
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E) {
      usable = false;
    }
  }
  std::string claimed(id);
  while (!usable) {
    claimed = "call_tf" + std::to_string(++generated_);
    usable = !used_.contains(claimed);
  }
  used_.insert(claimed);
  return claimed;
}

Result<ModelAnswer> ParseAnswer(std::string_view body, CallIds& ids) {
  std::optional<json::value> parsed = ParseJson(body);
  if (!parsed || !parsed->is_object()) {
    return Error::Unavailable("the answer is not a JSON object");
  }
  const json::object& root = parsed->get_object();
  const json::value* choices = root.if_contains("choices");
  const json::value* first = nullptr;
  if (choices != nullptr && choices->is_array() && !choices->get_array().empty()) {
    first = &choices->get_array().front();
  } else if (choices != nullptr && choices->is_object()) {
    first = choices;
  }
  if (first == nullptr || !first->is_object()) {
    const std::string error = ErrorMessageOf(body);
    return Error::Unavailable(error.empty() ? "the answer has no choices"
                                            : "the answer is an error: " + error);
  }
  const json::object& choice = first->get_object();
  ModelAnswer answer;
  if (const json::value* reason = choice.if_contains("finish_reason");
      reason && reason->is_string()) {
    answer.finish_reason = std::string(reason->get_string());
  }
  const json::value* message = choice.if_contains("message");
  if (message == nullptr) message = choice.if_contains("delta");
  if (message == nullptr || !message->is_object()) {
    if (const json::value* text = choice.if_contains("text"); text && text->is_string()) {
      answer.content = std::string(text->get_string());  // the legacy completions shape
      return answer;
    }
    return Error::Unavailable("the first choice has no message");
  }
  const json::object& m = message->get_object();
  answer.content = ContentText(m.if_contains("content"));
  if (const json::value* calls = m.if_contains("tool_calls")) {
    if (calls->is_array()) {
      for (const json::value& call : calls->get_array())
        answer.calls.push_back(ReadCall(call, ids));
    } else if (calls->is_object()) {
      answer.calls.push_back(ReadCall(*calls, ids));
    }
  } else if (const json::value* call = m.if_contains("function_call"); call && call->is_object()) {
    answer.calls.push_back(ReadCall(*call, ids));  // the legacy functions shape
  }
  return answer;
}

std::string ErrorMessageOf(std::string_view body) {
  std::optional<json::value> parsed = ParseJson(body);
  if (!parsed || !parsed->is_object()) return {};
  const json::value* error = parsed->get_object().if_contains("error");
  if (error == nullptr) return {};
  if (error->is_string()) return Cut(error->get_string(), 300, "…");
  if (error->is_object()) {
    if (const json::value* m = error->get_object().if_contains("message"); m && m->is_string()) {
      return Cut(m->get_string(), 300, "…");
    }
  }
  return {};
}

void Messages::AddSystem(std::string text) {
  messages_.push_back(json::object{{"role", "system"}, {"content", std::move(text)}});
}

void Messages::AddUser(std::string_view text) {
  messages_.push_back(json::object{{"role", "user"}, {"content", text}});
}

void Messages::AddAssistantText(std::string_view text) {
  messages_.push_back(json::object{{"role", "assistant"}, {"content", text}});
}

void Messages::AddAssistantCalls(std::string_view text, const std::vector<RequestedCall>& calls) {
  json::array tool_calls;
  for (const RequestedCall& call : calls) {
    tool_calls.push_back(ToolCallJson(call.id, call.name, call.arguments_json.value_or("{}")));
  }
  // "" rather than null: some servers' chat templates concatenate it as a string.
  messages_.push_back(json::object{
      {"role", "assistant"}, {"content", text}, {"tool_calls", std::move(tool_calls)}});
}

void Messages::AddToolResult(std::string_view call_id, std::string_view content) {
  messages_.push_back(
      json::object{{"role", "tool"}, {"tool_call_id", call_id}, {"content", content}});
}

void Messages::AddHistory(const std::vector<ChatTurn>& history, CallIds& ids,
                          std::size_t max_tool_result_chars) {
  for (const ChatTurn& turn : history) {
    if (turn.role == ChatRole::kUser) {
      if (!turn.content.empty()) AddUser(turn.content);
      continue;
    }
    if (!turn.actions.empty()) {
      std::vector<RequestedCall> calls;
      for (const ChatAction& action : turn.actions) {
        RequestedCall call;
        call.id = ids.Claim(action.call_id);
        call.name = action.tool;
        // Stored arguments were sent as a JSON object; anything else is replayed as {}.
        std::optional<json::value> arguments = ParseJson(action.arguments_json);
        if (arguments && arguments->is_object()) call.arguments_json = action.arguments_json;
        calls.push_back(std::move(call));
      }
      AddAssistantCalls("", calls);
      for (std::size_t i = 0; i < calls.size(); ++i) {
        const ChatAction& action = turn.actions[i];
        AddToolResult(calls[i].id, ToolMessageContent(action.is_error, action.result_text,
                                                      action.result_json, max_tool_result_chars));
      }
    }
    if (!turn.content.empty()) AddAssistantText(turn.content);
  }
}

std::string ToolMessageContent(bool is_error, std::string_view text,
                               std::string_view structured_json, std::size_t max_chars) {
  std::string_view body = text;
  if (Trim(body).empty() && Trim(structured_json) != "{}") body = structured_json;
  std::string content = is_error ? "Error: " + std::string(body) : std::string(body);
  if (Trim(content).empty()) content = is_error ? "Error." : "Done.";
  return Cut(content, max_chars, " …(cut: the result was too long; ask for fewer items)");
}

std::string RequestBody(std::string_view model, const Messages& messages,
                        const json::array& tools) {
  json::object body{{"model", model}, {"messages", messages.array()}};
  if (!tools.empty()) body["tools"] = tools;
  return json::serialize(body);
}

}  // namespace taskflow::llm
