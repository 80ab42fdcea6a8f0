// Chat through the LLM agent (issue 6, item 6), end to end: `serve` with
// OPENAI_API_KEY and OPENAI_BASE_URL pointing at a scripted OpenAI-compatible
// server (the real service is paid and unreachable here; the fake checks what
// we send). The model's tool calls reach the real use cases as the caller, and
// the stored conversation is replayed to the model on the next message.
#include <gmock/gmock.h>

#include "adapters/llm/fake_chat_server.hpp"
#include "api_test.hpp"

namespace taskflow::integration {
namespace {

namespace fake = llm::testing;
using ::testing::HasSubstr;

constexpr std::string_view kKey = "sk-integration-test-key";

class ChatLlmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    database_ = TestDatabase::Create(&error);
    ASSERT_NE(database_, nullptr) << error;
    EnvVars env = ServerEnv(database_->url(), TestSecret());
    env.emplace_back("OPENAI_API_KEY", std::string(kKey));
    env.emplace_back("OPENAI_BASE_URL", model_.base_url());
    env.emplace_back("OPENAI_MODEL", "scripted-model");
    server_ = ServerProcess::Start(env, &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = std::make_unique<HttpClient>(server_->base_url());
    user_ = TestUser{RandomUuid(), ""};
    user_.token = MintToken(TestSecret(), user_.id);
  }
  void TearDown() override {
    client_.reset();
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Log();
      EXPECT_THAT(server_->Log(), ::testing::Not(HasSubstr(std::string(kKey))));
    }
  }

  Response Chat(std::string_view message, const std::optional<std::string>& conversation = {}) {
    json::object body{{"message", message}};
    if (conversation) body["conversation_id"] = *conversation;
    return client_->Send(Request{.method = "POST",
                                 .target = "/api/chat",
                                 .token = user_.token,
                                 .body = json::serialize(body)});
  }

  fake::FakeChatServer model_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
  TestUser user_;
};

TEST_F(ChatLlmTest, TheModelsToolCallsReachTheUseCasesAndTheHistoryIsReplayed) {
  model_.Then({.body = fake::ToolCallsAnswer(json::array{fake::ToolCall(
                   "call_a", "add_task", R"({"title":"Buy milk","priority":"P2"})")})});
  model_.Then({.body = fake::TextAnswer("Added Buy milk as a high-priority task.")});
  const Response first = Chat("add buy milk, it's important");
  ASSERT_EQ(first.status, 200) << first.Describe();
  const json::object answer = first.json().as_object();
  EXPECT_EQ(Str(answer, "reply"), "Added Buy milk as a high-priority task.");
  const json::array& actions = answer.at("actions").as_array();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(Str(actions[0].as_object(), "tool"), "add_task");
  const json::object& result = actions[0].at("result").as_object();
  EXPECT_EQ(result.at("isError"), json::value(false));
  const std::string task_id = Str(result.at("structured").as_object(), "id");

  // The task is the caller's, made by the same use case as the REST API's.
  const Response task = client_->Send(
      Request{.method = "GET", .target = "/api/tasks/" + task_id, .token = user_.token});
  ASSERT_EQ(task.status, 200) << task.Describe();
  EXPECT_EQ(Str(task.json().as_object(), "title"), "Buy milk");
  EXPECT_EQ(Str(task.json().as_object(), "priority"), "P2");

  // What the model received: the key, the model name, the tools, and the
  // tool's result under the id of its call.
  auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer " + std::string(kKey));
  const json::object opening = requests[0].Json().as_object();
  EXPECT_EQ(opening.at("model"), "scripted-model");
  std::vector<std::string> tools;
  for (const json::value& tool : opening.at("tools").as_array()) {
    tools.emplace_back(tool.at("function").at("name").as_string());
  }
  EXPECT_THAT(tools, ::testing::IsSupersetOf({"add_task", "list_tasks", "complete_task",
                                              "update_task", "delete_task"}));
  const json::value follow_up = requests[1].Json();
  const json::array& sent = follow_up.at("messages").as_array();
  const json::object& tool_message = sent.back().as_object();
  EXPECT_EQ(tool_message.at("role"), "tool");
  EXPECT_EQ(tool_message.at("tool_call_id"), "call_a");
  EXPECT_THAT(std::string(tool_message.at("content").as_string()), HasSubstr("Buy milk"));

  // The next message, in the same conversation: the stored turns come back
  // from the database, the earlier call and its result included.
  model_.Then({.body = fake::TextAnswer("You have one task: Buy milk.")});
  const Response second = Chat("what's on my list?", Str(answer, "conversation_id"));
  ASSERT_EQ(second.status, 200) << second.Describe();
  requests = model_.requests();
  ASSERT_EQ(requests.size(), 3u);
  const json::value next = requests[2].Json();
  const json::array& replayed = next.at("messages").as_array();
  std::vector<std::string> roles;
  for (const json::value& m : replayed) roles.emplace_back(m.at("role").as_string());
  EXPECT_THAT(roles,
              ::testing::ElementsAre("system", "user", "assistant", "tool", "assistant", "user"));
  EXPECT_EQ(replayed[1].at("content"), "add buy milk, it's important");
  EXPECT_EQ(replayed[2].at("tool_calls").as_array()[0].at("function").at("name"), "add_task");
  EXPECT_EQ(replayed[3].at("tool_call_id"), replayed[2].at("tool_calls").as_array()[0].at("id"));
  EXPECT_EQ(replayed[5].at("content"), "what's on my list?");
}

TEST_F(ChatLlmTest, AFailingModelEndpointIsAPlainReplyAndTheConversationIsKept) {
  model_.Always({.status = 503, .body = R"({"error":{"message":"overloaded"}})"});
  const Response r = Chat("add buy milk");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json::object answer = r.json().as_object();
  EXPECT_THAT(Str(answer, "reply"), HasSubstr("unavailable"));
  EXPECT_TRUE(answer.at("actions").as_array().empty());
  const Response messages = client_->Send(
      Request{.method = "GET",
              .target = "/api/conversations/" + Str(answer, "conversation_id") + "/messages",
              .token = user_.token});
  ASSERT_EQ(messages.status, 200) << messages.Describe();
  EXPECT_EQ(messages.json().at("messages").as_array().size(), 2u);
  // Nothing was made: the model never asked for a tool.
  const Response tasks =
      client_->Send(Request{.method = "GET", .target = "/api/tasks", .token = user_.token});
  EXPECT_TRUE(tasks.json().at("tasks").as_array().empty());
}

}  // namespace
}  // namespace taskflow::integration
