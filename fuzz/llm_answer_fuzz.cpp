// libFuzzer target for the LLM agent's reading of model answers
// (adapters/llm/chat_completions.*): a model endpoint is an untrusted peer.
//
// Feeds arbitrary bytes to ParseAnswer and aborts when an invariant breaks:
// every call has an id, unique within the request; usable arguments are a
// JSON object's text; unusable ones carry a reason for the model; and the
// next request built from the answer is valid JSON whose tool messages answer
// the calls by id. Crashes and sanitizer reports are libFuzzer's.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "adapters/llm/chat_completions.hpp"

namespace {

namespace json = boost::json;
using taskflow::llm::CallIds;
using taskflow::llm::Messages;
using taskflow::llm::ModelAnswer;
using taskflow::llm::RequestedCall;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsObjectText(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  return !ec && value.is_object();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  CallIds ids;
  ids.Claim("call_1");  // as if the history had used it
  taskflow::Result<ModelAnswer> answer = taskflow::llm::ParseAnswer(body, ids);
  if (!answer.ok()) {
    Check(!answer.error().message.empty());
    return 0;
  }
  std::set<std::string> seen = {"call_1"};
  for (const RequestedCall& call : answer->calls) {
    Check(!call.id.empty());
    Check(seen.insert(call.id).second);
    if (call.arguments_json) {
      Check(IsObjectText(*call.arguments_json));
    } else {
      Check(!call.problem.empty());
    }
  }
  Messages messages;
  messages.AddUser("hi");
  messages.AddAssistantCalls(answer->content, answer->calls);
  for (const RequestedCall& call : answer->calls) messages.AddToolResult(call.id, call.problem);
  boost::system::error_code ec;
  const json::value request = json::parse(taskflow::llm::RequestBody("m", messages, {}), ec);
  Check(!ec);
  const json::array& sent = request.at("messages").as_array();
  Check(sent.size() == 2 + answer->calls.size());
  for (std::size_t i = 0; i < answer->calls.size(); ++i) {
    Check(sent[2 + i].at("tool_call_id") == sent[1].at("tool_calls").at(i).at("id"));
    Check(IsObjectText(sent[1].at("tool_calls").at(i).at("function").at("arguments").as_string()));
  }
  return 0;
}
