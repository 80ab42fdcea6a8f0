// Tests only. A scripted OpenAI-compatible chat-completions server on
// 127.0.0.1: it records every request (so tests check what the agent sends)
// and answers each with the next scripted answer, which may misbehave: an
// error status, a Retry-After, a body that is not JSON, bytes that are not
// HTTP, or no answer at all. The real service is paid and unreachable from
// the tests; this is the only fake the suite allows.
#pragma once

#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace taskflow::llm::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  boost::json::value Json() const;  // the body parsed; null when it is not JSON
};

struct ScriptedAnswer {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool hang = false;            // answer nothing; keep the connection until the client leaves
  bool raw = false;             // `body` is the whole reply, not even a status line
  std::size_t repeat_body = 1;  // the body this many times (an oversize answer)
};

class FakeChatServer {
 public:
  FakeChatServer();  // listens on a free port at once
  ~FakeChatServer();
  FakeChatServer(const FakeChatServer&) = delete;
  FakeChatServer& operator=(const FakeChatServer&) = delete;

  // "http://127.0.0.1:<port>/v1", as OPENAI_BASE_URL would be.
  std::string base_url() const;
  // The next request gets `answer` (in the order given).
  void Then(ScriptedAnswer answer);
  // Requests past the script get `answer` (by default 500 "unscripted").
  void Always(ScriptedAnswer answer);
  std::vector<RecordedRequest> requests() const;

 private:
  void Serve();
  void Handle(int fd);
  ScriptedAnswer Next();

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::deque<ScriptedAnswer> script_;
  std::optional<ScriptedAnswer> always_;
  std::vector<RecordedRequest> requests_;
  std::thread thread_;
};

// Answer bodies.
std::string TextAnswer(std::string_view content);
// {"choices":[{"message":{"role":"assistant","content":null,"tool_calls":calls},
//   "finish_reason":"tool_calls"}]}
std::string ToolCallsAnswer(boost::json::array calls);
// One standard tool call: {"id", "type":"function", "function":{"name","arguments"}}.
boost::json::value ToolCall(std::string_view id, std::string_view name,
                            std::string_view arguments_json);

}  // namespace taskflow::llm::testing
