// OpenAiChatAgent against a scripted OpenAI-compatible server: what the agent
// sends (model, key, tools, history, call ids, tool results) and what the
// user gets when the server misbehaves.
#include "adapters/llm/openai_chat_agent.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <sstream>

#include "adapters/llm/fake_chat_server.hpp"
#include "adapters/llm/recording_chat_tools.hpp"
#include "adapters/system/logging.hpp"
#include "ports/manual_clock.hpp"

namespace taskflow {
namespace {

namespace json = boost::json;
using llm::testing::FakeChatServer;
using llm::testing::RecordingChatTools;
using llm::testing::ScriptedAnswer;
using llm::testing::TextAnswer;
using llm::testing::ToolCall;
using llm::testing::ToolCallsAnswer;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kKey[] = "sk-test-0123456789-secret";

// The messages array of a recorded request.
json::array MessagesOf(const llm::testing::RecordedRequest& request) {
  return request.Json().at("messages").as_array();
}

class OpenAiChatAgentTest : public ::testing::Test {
 protected:
  OpenAiChatAgentTest() : clock_(*ParseRfc3339("2026-11-26T09:30:00Z")) {
    options_.api_key = kKey;
    options_.base_url = server_.base_url();
    options_.model = "test-model-1";
    options_.timeout = std::chrono::seconds(20);
    options_.request_timeout = std::chrono::seconds(10);
    options_.retry_backoff = std::chrono::milliseconds(10);
    log::InitWithStream(log::Level::kDebug, logs_);
  }
  ~OpenAiChatAgentTest() override { log::Init(log::Level::kWarn); }

  AgentReply Respond(std::string_view message, const std::vector<ChatTurn>& history = {}) {
    OpenAiChatAgent agent(options_, tools_, clock_);
    Result<AgentReply> reply = agent.Respond("user-1", history, message);
    EXPECT_TRUE(reply.ok()) << reply.error().message;
    return reply.ok() ? std::move(reply).value() : AgentReply{};
  }

  // Neither the reply nor any log line holds the key.
  void ExpectNoKeyIn(const AgentReply& reply) {
    EXPECT_THAT(reply.reply, Not(HasSubstr(kKey)));
    EXPECT_THAT(logs_.str(), Not(HasSubstr(kKey)));
  }

  FakeChatServer server_;
  RecordingChatTools tools_;
  ManualClock clock_;
  OpenAiOptions options_;
  std::ostringstream logs_;
};

TEST_F(OpenAiChatAgentTest, SendsTheModelTheKeyTheToolsAndTheMessage) {
  server_.Then({.body = TextAnswer("You have no tasks.")});
  const AgentReply reply = Respond("what's on my list?");
  EXPECT_EQ(reply.reply, "You have no tasks.");
  EXPECT_TRUE(reply.actions.empty());

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/v1/chat/completions");
  EXPECT_EQ(request.headers.at("authorization"), std::string("Bearer ") + kKey);
  EXPECT_THAT(request.headers.at("content-type"), HasSubstr("application/json"));
  const json::object body = request.Json().as_object();
  EXPECT_EQ(body.at("model"), "test-model-1");

  // Every ChatTools spec, with its schema as the parameters.
  const json::array& tools = body.at("tools").as_array();
  ASSERT_EQ(tools.size(), tools_.Specs().size());
  for (std::size_t i = 0; i < tools.size(); ++i) {
    const ToolSpec& spec = tools_.Specs()[i];
    EXPECT_EQ(tools[i].at("type"), "function");
    const json::object& function = tools[i].at("function").as_object();
    EXPECT_EQ(function.at("name").as_string(), spec.name);
    EXPECT_EQ(function.at("description").as_string(), spec.description);
    EXPECT_EQ(function.at("parameters"), json::parse(spec.input_schema_json));
  }

  const json::array messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("role"), "system");
  EXPECT_THAT(std::string(messages[0].at("content").as_string()),
              HasSubstr("2026-11-26T09:30:00Z"));
  EXPECT_EQ(messages[1], json::parse(R"({"role":"user","content":"what's on my list?"})"));
  ExpectNoKeyIn(reply);
}

TEST_F(OpenAiChatAgentTest, ReplaysTheHistoryInOrderWithMatchingCallIds) {
  // Two stored assistant turns reuse "call_1" (as the offline agent numbers
  // its calls): each replayed call gets an id of its own, and each tool
  // message the id of its call.
  std::vector<ChatTurn> history = {
      {ChatRole::kUser, "add milk", {}},
      {ChatRole::kAssistant,
       "Added \"milk\".",
       {{.call_id = "call_1",
         .tool = "add_task",
         .arguments_json = R"({"title":"milk"})",
         .result_text = R"({"id":"t1","title":"milk"})",
         .result_json = R"({"id":"t1","title":"milk"})"}}},
      {ChatRole::kUser, "and bread", {}},
      {ChatRole::kAssistant,
       "That failed.",
       {{.call_id = "call_1",
         .tool = "add_task",
         .arguments_json = R"({"title":""})",
         .is_error = true,
         .result_text = "title: must be 1 to 200 characters",
         .result_json = "{}"}}},
  };
  server_.Then({.body = TextAnswer("Sure.")});
  Respond("thanks", history);

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const json::array messages = MessagesOf(requests[0]);
  ASSERT_EQ(messages.size(), 10u) << json::serialize(messages);
  EXPECT_EQ(messages[0].at("role"), "system");
  EXPECT_EQ(messages[1], json::parse(R"({"role":"user","content":"add milk"})"));
  EXPECT_EQ(messages[2].at("role"), "assistant");
  const json::array& first_calls = messages[2].at("tool_calls").as_array();
  ASSERT_EQ(first_calls.size(), 1u);
  const json::value first_id = first_calls[0].at("id");
  EXPECT_EQ(first_id, "call_1");
  EXPECT_EQ(first_calls[0].at("type"), "function");
  EXPECT_EQ(first_calls[0].at("function"),
            json::parse(R"({"name":"add_task","arguments":"{\"title\":\"milk\"}"})"));
  EXPECT_EQ(messages[3].at("role"), "tool");
  EXPECT_EQ(messages[3].at("tool_call_id"), first_id);
  EXPECT_EQ(messages[3].at("content"), R"({"id":"t1","title":"milk"})");
  EXPECT_EQ(messages[4], json::parse(R"({"role":"assistant","content":"Added \"milk\"."})"));
  EXPECT_EQ(messages[5], json::parse(R"({"role":"user","content":"and bread"})"));
  const json::value second_id = messages[6].at("tool_calls").at(0).at("id");
  EXPECT_NE(second_id, first_id);
  EXPECT_EQ(messages[7].at("tool_call_id"), second_id);
  EXPECT_EQ(messages[7].at("content"), "Error: title: must be 1 to 200 characters");
  EXPECT_EQ(messages[8], json::parse(R"({"role":"assistant","content":"That failed."})"));
  EXPECT_EQ(messages[9], json::parse(R"({"role":"user","content":"thanks"})"));
}

TEST_F(OpenAiChatAgentTest, RunsEveryToolCallAndSendsTheResultsBackUnderTheirIds) {
  tools_.SetOutcome("add_task", {false, R"({"id":"t9","title":"Call mom"})",
                                 R"({"id":"t9","title":"Call mom"})"});
  tools_.SetOutcome("list_tasks", {true, "limit: must be at least 1", "{}"});
  server_.Then({.body = ToolCallsAnswer(
                    {ToolCall("call_abc", "add_task", R"({"text":"call mom tomorrow 6pm"})"),
                     ToolCall("call_def", "list_tasks", R"({"limit":0})")})});
  server_.Then({.body = TextAnswer("Added \"Call mom\" for tomorrow at 6pm.")});
  const AgentReply reply = Respond("remind me to call mom tomorrow at 6pm");

  EXPECT_EQ(reply.reply, "Added \"Call mom\" for tomorrow at 6pm.");
  const auto calls = tools_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].user_id, "user-1");
  EXPECT_EQ(calls[0].name, "add_task");
  EXPECT_EQ(json::parse(calls[0].arguments_json),
            json::parse(R"({"text":"call mom tomorrow 6pm"})"));
  EXPECT_EQ(calls[1].name, "list_tasks");

  ASSERT_EQ(reply.actions.size(), 2u);
  EXPECT_EQ(reply.actions[0].call_id, "call_abc");
  EXPECT_EQ(reply.actions[0].tool, "add_task");
  EXPECT_FALSE(reply.actions[0].is_error);
  EXPECT_EQ(reply.actions[0].result_json, R"({"id":"t9","title":"Call mom"})");
  EXPECT_EQ(reply.actions[1].call_id, "call_def");
  EXPECT_TRUE(reply.actions[1].is_error);
  EXPECT_EQ(reply.actions[1].result_text, "limit: must be at least 1");

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  const json::array messages = MessagesOf(requests[1]);
  ASSERT_EQ(messages.size(), 5u);
  EXPECT_EQ(messages[2].at("role"), "assistant");
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("id"), "call_abc");
  EXPECT_EQ(messages[2].at("tool_calls").at(1).at("id"), "call_def");
  EXPECT_EQ(messages[3], json::parse(R"({"role":"tool","tool_call_id":"call_abc",)"
                                     R"("content":"{\"id\":\"t9\",\"title\":\"Call mom\"}"})"));
  EXPECT_EQ(messages[4], json::parse(R"({"role":"tool","tool_call_id":"call_def",)"
                                     R"("content":"Error: limit: must be at least 1"})"));
  // Every request carries the same model, key and tools.
  EXPECT_EQ(requests[1].Json().at("model"), "test-model-1");
  EXPECT_EQ(requests[1].headers.at("authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(requests[1].Json().at("tools"), requests[0].Json().at("tools"));
}

TEST_F(OpenAiChatAgentTest, ArgumentsThatAreNotJsonGoBackToTheModelAndTheToolIsNotCalled) {
  server_.Then({.body = ToolCallsAnswer({ToolCall("call_1", "add_task", R"({"title": "milk)")})});
  server_.Then({.body = ToolCallsAnswer({ToolCall("call_2", "add_task", R"({"title":"milk"})")})});
  server_.Then({.body = TextAnswer("Added milk.")});
  const AgentReply reply = Respond("add milk");

  EXPECT_EQ(reply.reply, "Added milk.");
  const auto calls = tools_.calls();
  ASSERT_EQ(calls.size(), 1u);  // only the retried, valid call
  EXPECT_EQ(json::parse(calls[0].arguments_json), json::parse(R"({"title":"milk"})"));
  ASSERT_EQ(reply.actions.size(), 1u);
  EXPECT_EQ(reply.actions[0].call_id, "call_2");

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);
  const json::array messages = MessagesOf(requests[1]);
  ASSERT_EQ(messages.size(), 4u);
  // The call is echoed with arguments that parse, and answered with the reason.
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("id"), "call_1");
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("function").at("arguments"), "{}");
  EXPECT_EQ(messages[3].at("tool_call_id"), "call_1");
  EXPECT_THAT(std::string(messages[3].at("content").as_string()),
              AllOf(HasSubstr("Error"), HasSubstr("not valid JSON"), HasSubstr("milk")));
}

TEST_F(OpenAiChatAgentTest, ACallWithoutAnIdGetsOneAndItsToolMessageCarriesIt) {
  json::value call = ToolCall("", "list_tasks", "{}");
  call.as_object().erase("id");
  server_.Then({.body = ToolCallsAnswer({call})});
  server_.Then({.body = TextAnswer("Nothing due.")});
  const AgentReply reply = Respond("anything due?");

  ASSERT_EQ(reply.actions.size(), 1u);
  const std::string id = reply.actions[0].call_id;
  EXPECT_FALSE(id.empty());
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  const json::array messages = MessagesOf(requests[1]);
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("id").as_string(), id);
  EXPECT_EQ(messages[3].at("tool_call_id").as_string(), id);
}

TEST_F(OpenAiChatAgentTest, ObjectsWhereStringsBelongAreAccepted) {
  // Arguments as an object (not a JSON string), content as an array of parts.
  json::value call = ToolCall("c1", "add_task", "{}");
  call.at("function").as_object()["arguments"] = json::object{{"title", "milk"}};
  server_.Then({.body = ToolCallsAnswer({call})});
  server_.Then({.body = R"({"choices":[{"message":{"role":"assistant","content":)"
                        R"([{"type":"text","text":"Added "},{"type":"text","text":"milk."}]}}]})"});
  const AgentReply reply = Respond("add milk");

  EXPECT_EQ(reply.reply, "Added milk.");
  const auto calls = tools_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(json::parse(calls[0].arguments_json), json::parse(R"({"title":"milk"})"));
  // Echoed back the standard way: arguments as a JSON string.
  const json::array messages = MessagesOf(server_.requests()[1]);
  EXPECT_EQ(
      json::parse(messages[2].at("tool_calls").at(0).at("function").at("arguments").as_string()),
      json::parse(R"({"title":"milk"})"));
}

TEST_F(OpenAiChatAgentTest, AnUnknownToolIsAnsweredWithTheToolList) {
  server_.Then({.body = ToolCallsAnswer({ToolCall("c1", "delete_everything", "{}")})});
  server_.Then({.body = TextAnswer("I can't do that.")});
  const AgentReply reply = Respond("delete everything");

  EXPECT_EQ(reply.reply, "I can't do that.");
  EXPECT_TRUE(tools_.calls().empty());
  EXPECT_TRUE(reply.actions.empty());
  const json::array messages = MessagesOf(server_.requests()[1]);
  EXPECT_EQ(messages[3].at("tool_call_id"), "c1");
  EXPECT_THAT(std::string(messages[3].at("content").as_string()),
              AllOf(HasSubstr("no tool named \"delete_everything\""), HasSubstr("add_task"),
                    HasSubstr("list_tasks")));
}

TEST_F(OpenAiChatAgentTest, AServerErrorIsRetriedThenTheAnswerUsed) {
  server_.Then({.status = 500, .body = R"({"error":{"message":"overloaded"}})"});
  server_.Then({.status = 502, .body = "<html>bad gateway</html>"});
  server_.Then({.body = TextAnswer("Done.")});
  const AgentReply reply = Respond("hello");
  EXPECT_EQ(reply.reply, "Done.");
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(OpenAiChatAgentTest, ARefusedKeyIsSaidPlainlyWithoutRetryOrLeak) {
  server_.Then({.status = 401,
                .body = std::string(R"({"error":{"message":"Incorrect API key provided: )") + kKey +
                        R"(","code":"invalid_api_key"}})"});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("refused the API key"));
  EXPECT_EQ(server_.requests().size(), 1u);
  EXPECT_THAT(logs_.str(), HasSubstr("key refused"));
  // The server's message is logged for the operator, with the key cut out.
  EXPECT_THAT(logs_.str(), HasSubstr("Incorrect API key provided: ***"));
  ExpectNoKeyIn(reply);
}

TEST_F(OpenAiChatAgentTest, AnUnknownModelNamesTheSettingToCheck) {
  server_.Then({.status = 404, .body = R"({"error":{"message":"model not found"}})"});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, AllOf(HasSubstr("test-model-1"), HasSubstr("OPENAI_MODEL")));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(OpenAiChatAgentTest, RateLimitingIsRetriedAfterTheServersRetryAfter) {
  server_.Then({.status = 429,
                .body = R"({"error":{"message":"rate limited"}})",
                .headers = {{"Retry-After", "1"}}});
  server_.Then({.body = TextAnswer("Done.")});
  const auto started = std::chrono::steady_clock::now();
  const AgentReply reply = Respond("hello");
  EXPECT_EQ(reply.reply, "Done.");
  ASSERT_EQ(server_.requests().size(), 2u);
  // The wait is the server's, not the 10 ms backoff.
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

TEST_F(OpenAiChatAgentTest, ARetryAfterBeyondTheDeadlineEndsTheTurnAtOnce) {
  server_.Always({.status = 429,
                  .body = R"({"error":{"message":"rate limited"}})",
                  .headers = {{"Retry-After", "120"}}});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply,
              AllOf(HasSubstr("unavailable"), HasSubstr("HTTP 429"), HasSubstr("120 seconds")));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(OpenAiChatAgentTest, AnEndpointThatStaysDownIsRetriedALimitedNumberOfTimes) {
  server_.Always({.status = 503, .body = "down"});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, AllOf(HasSubstr("unavailable"), HasSubstr("try again")));
  EXPECT_EQ(server_.requests().size(), 1u + options_.max_retries);
}

TEST_F(OpenAiChatAgentTest, AServerThatDoesNotAnswerTimesOut) {
  options_.request_timeout = std::chrono::milliseconds(300);
  server_.Then({.hang = true});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("did not answer in time"));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(OpenAiChatAgentTest, TheTotalDeadlineBoundsTheTurn) {
  options_.timeout = std::chrono::milliseconds(400);
  server_.Then({.hang = true});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("took too long"));
}

TEST_F(OpenAiChatAgentTest, ABodyThatIsNotJsonIsAClearReply) {
  server_.Then({.body = "<html><body>Welcome to nginx!</body></html>"});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("could not read"));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(OpenAiChatAgentTest, BytesThatAreNotHttpAreRetriedThenAClearReply) {
  server_.Always({.body = "SSH-2.0-OpenSSH_9.2\r\n\r\n", .raw = true});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("unavailable"));
  EXPECT_EQ(server_.requests().size(), 1u + options_.max_retries);
}

TEST_F(OpenAiChatAgentTest, EmptyChoicesAreAClearReply) {
  server_.Then({.body = R"({"id":"x","choices":[]})"});
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("could not read"));
}

TEST_F(OpenAiChatAgentTest, AnEmptyAnswerIsSaid) {
  server_.Then({.body = TextAnswer("")});
  EXPECT_THAT(Respond("hello").reply, HasSubstr("empty answer"));
}

TEST_F(OpenAiChatAgentTest, AnOversizeAnswerIsCut) {
  options_.max_response_bytes = 64 * 1024;
  server_.Then({.body = std::string(1024, ' '), .repeat_body = 1024});  // 1 MiB
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("too large"));
}

TEST_F(OpenAiChatAgentTest, AModelThatNeverStopsCallingToolsIsStoppedAtTheStepBound) {
  options_.max_steps = 3;
  server_.Always({.body = ToolCallsAnswer({ToolCall("call_0", "list_tasks", "{}")})});
  const AgentReply reply = Respond("loop");
  EXPECT_EQ(server_.requests().size(), 3u);
  EXPECT_EQ(tools_.calls().size(), 3u);
  ASSERT_EQ(reply.actions.size(), 3u);
  // The server repeats "call_0" at every step; each action keeps an id of its own.
  EXPECT_EQ(reply.actions[0].call_id, "call_0");
  EXPECT_NE(reply.actions[1].call_id, reply.actions[0].call_id);
  EXPECT_NE(reply.actions[2].call_id, reply.actions[1].call_id);
  EXPECT_THAT(reply.reply, AllOf(HasSubstr("stopped after 3"), HasSubstr("list_tasks")));
  // Each request's tool messages answer the calls of the assistant message before them.
  const json::array last = MessagesOf(server_.requests()[2]);
  ASSERT_EQ(last.size(), 6u);
  EXPECT_EQ(last[3].at("tool_call_id"), last[2].at("tool_calls").at(0).at("id"));
  EXPECT_EQ(last[5].at("tool_call_id"), last[4].at("tool_calls").at(0).at("id"));
}

TEST_F(OpenAiChatAgentTest, ActionsMadeBeforeAFailureAreKept) {
  server_.Then({.body = ToolCallsAnswer({ToolCall("c1", "add_task", R"({"title":"milk"})")})});
  server_.Always({.status = 500, .body = "{}"});
  const AgentReply reply = Respond("add milk");
  ASSERT_EQ(reply.actions.size(), 1u);
  EXPECT_EQ(reply.actions[0].tool, "add_task");
  EXPECT_THAT(reply.reply, AllOf(HasSubstr("unavailable"), HasSubstr("add_task")));
}

// A port nothing listens on: bound, then closed.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

TEST_F(OpenAiChatAgentTest, AnUnreachableEndpointIsAClearReply) {
  options_.base_url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/v1";
  const AgentReply reply = Respond("hello");
  EXPECT_THAT(reply.reply, HasSubstr("cannot be reached"));
  ExpectNoKeyIn(reply);
}

TEST_F(OpenAiChatAgentTest, OnlyTheCallersOwnFaultsAreErrors) {
  OpenAiChatAgent agent(options_, tools_, clock_);
  Result<AgentReply> no_user = agent.Respond("", {}, "hello");
  ASSERT_FALSE(no_user.ok());
  EXPECT_EQ(no_user.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_user.error().fields[0].field, "user_id");
  Result<AgentReply> blank = agent.Respond("user-1", {}, "  \n ");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().fields[0].field, "message");
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(OpenAiChatAgentTest, AnswersSeveralUsersAtOnce) {
  server_.Always({.body = TextAnswer("Hi.")});
  OpenAiChatAgent agent(options_, tools_, clock_);
  std::vector<std::thread> threads;
  std::atomic<int> answered{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Result<AgentReply> reply = agent.Respond("user-" + std::to_string(i), {}, "hello");
      if (reply.ok() && reply->reply == "Hi.") ++answered;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(answered.load(), 4);
  EXPECT_EQ(server_.requests().size(), 4u);
}

}  // namespace
}  // namespace taskflow
