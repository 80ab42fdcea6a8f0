// The MCP methods and tools over the real use cases (SQLite in a temp dir,
// manual clock), the stdio loop, and the HTTP endpoint's Host/Origin rule.
#include "server/mcp/protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <sstream>

#include "app/app_test_support.hpp"
#include "server/json_codec.hpp"
#include "server/mcp/http_endpoint.hpp"
#include "server/mcp/stdio.hpp"

namespace taskflow::mcp {
namespace {

class McpProtocolTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    accounts_ = std::make_unique<AccountService>(ports());
    tasks_ = std::make_unique<TaskService>(ports());
    tags_ = std::make_unique<TagService>(ports());
    protocol_ = std::make_unique<Protocol>(McpServices{*accounts_, *tasks_, *tags_, clock_}, "test");
    user_ = NewUser(*accounts_);
    session_ = std::make_shared<Session>("s", user_, "2025-11-25");
  }
  void TearDown() override {
    protocol_.reset();
    AppTest::TearDown();
  }

  json::object Request(std::string_view method, json::object params = {}) {
    RpcMessage message;
    message.id = 1;
    message.method = std::string(method);
    message.params = std::move(params);
    auto answer = protocol_->Handle(message, *session_, [this](const json::object& n) {
      notifications_.push_back(n);
    });
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(json::object{});
  }
  json::object Tool(std::string_view name, json::object arguments, std::string user = {}) {
    return protocol_->tools().Call(user.empty() ? user_ : user, name, arguments);
  }
  static std::string Text(const json::object& result) {
    return std::string(result.at("content").as_array().at(0).as_object().at("text").as_string());
  }

  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<TaskService> tasks_;
  std::unique_ptr<TagService> tags_;
  std::unique_ptr<Protocol> protocol_;
  std::string user_;
  std::shared_ptr<Session> session_;
  std::vector<json::object> notifications_;
};

TEST_F(McpProtocolTest, InitializeNegotiatesTheVersion) {
  EXPECT_EQ(Protocol::NegotiateVersion({{"protocolVersion", "2025-03-26"}}), "2025-03-26");
  EXPECT_EQ(Protocol::NegotiateVersion({{"protocolVersion", "2024-11-05"}}), "2025-11-25");
  EXPECT_EQ(Protocol::NegotiateVersion({}), "2025-11-25");
  json::object answer = Request("initialize");
  const json::object& result = answer.at("result").as_object();
  EXPECT_EQ(result.at("protocolVersion"), "2025-11-25");
  for (const char* capability : {"tools", "resources", "prompts", "logging"}) {
    EXPECT_TRUE(result.at("capabilities").as_object().contains(capability)) << capability;
  }
  EXPECT_EQ(result.at("serverInfo").as_object().at("version"), "test");
}

TEST_F(McpProtocolTest, UnknownMethodsAndBadParamsAreProtocolErrors) {
  EXPECT_EQ(Request("tasks/frobnicate").at("error").as_object().at("code"), kMethodNotFound);
  EXPECT_EQ(Request("tools/call").at("error").as_object().at("code"), kInvalidParams);
  EXPECT_EQ(Request("tools/call", {{"name", "nope"}}).at("error").as_object().at("code"),
            kInvalidParams);
  EXPECT_EQ(Request("tools/call", {{"name", "list_tags"}, {"arguments", 3}})
                .at("error").as_object().at("code"),
            kInvalidParams);
  EXPECT_EQ(Request("resources/read").at("error").as_object().at("code"), kInvalidParams);
  EXPECT_EQ(Request("resources/read", {{"uri", "tasks://someday"}}).at("error").as_object().at("code"),
            kResourceNotFound);
  EXPECT_EQ(Request("resources/read", {{"uri", "task://not-an-id"}}).at("error").as_object().at("code"),
            kResourceNotFound);
  EXPECT_EQ(Request("prompts/get", {{"name", "nope"}}).at("error").as_object().at("code"),
            kInvalidParams);
  EXPECT_EQ(Request("prompts/get", {{"name", "plan-my-day"}, {"arguments", {{"focus", 1}}}})
                .at("error").as_object().at("code"),
            kInvalidParams);
  EXPECT_EQ(Request("logging/setLevel", {{"level", "loud"}}).at("error").as_object().at("code"),
            kInvalidParams);
}

TEST_F(McpProtocolTest, NotificationsGetNoAnswer) {
  RpcMessage message;
  message.kind = RpcMessage::Kind::kNotification;
  message.method = "notifications/initialized";
  EXPECT_FALSE(protocol_->Handle(message, *session_, nullptr));
}

TEST_F(McpProtocolTest, ToolCallsLogOnlyAtTheLevelAsked) {
  Request("tools/call", {{"name", "list_tags"}});
  EXPECT_TRUE(notifications_.empty());
  EXPECT_EQ(Request("logging/setLevel", {{"level", "warning"}}).at("result"), json::object{});
  Request("tools/call", {{"name", "list_tags"}});
  EXPECT_TRUE(notifications_.empty()) << "info is below warning";
  Request("tools/call", {{"name", "get_task"}, {"arguments", {{"id", "x"}}}});
  ASSERT_EQ(notifications_.size(), 1u);
  EXPECT_EQ(notifications_[0].at("method"), "notifications/message");
  EXPECT_EQ(notifications_[0].at("params").as_object().at("level"), "warning");
}

TEST_F(McpProtocolTest, EveryToolHasSchemasAndAnnotations) {
  const json::object answer = Request("tools/list");
  const json::array& tools = answer.at("result").as_object().at("tools").as_array();
  ASSERT_EQ(tools.size(), 9u);
  for (const json::value& item : tools) {
    const json::object& tool = item.as_object();
    EXPECT_EQ(tool.at("inputSchema").as_object().at("type"), "object");
    EXPECT_EQ(tool.at("outputSchema").as_object().at("type"), "object");
    EXPECT_TRUE(tool.at("annotations").as_object().contains("readOnlyHint"));
    // The OpenAPI refs are inlined: the schema stands alone.
    EXPECT_EQ(json::serialize(tool).find("$ref"), std::string::npos) << tool.at("name");
  }
}

TEST_F(McpProtocolTest, ATaskLooksTheSameAsInTheRestApi) {
  json::object created = Tool("add_task", {{"title", "Buy milk"}, {"priority", "P3"}});
  ASSERT_FALSE(created.at("isError").as_bool()) << Text(created);
  const json::object& task = created.at("structuredContent").as_object();
  Result<Task> stored = tasks_->Get(user_, std::string(task.at("id").as_string()));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(json::value(task), json::parse(EncodeTask(*stored)));
  EXPECT_EQ(json::parse(Text(created)), json::value(task));
}

TEST_F(McpProtocolTest, BadArgumentsAreToolErrorsThatSayWhatToFix) {
  json::object no_title = Tool("add_task", {});
  EXPECT_TRUE(no_title.at("isError").as_bool());
  EXPECT_NE(Text(no_title).find("title"), std::string::npos);
  json::object both = Tool("add_task", {{"text", "milk"}, {"title", "milk"}});
  EXPECT_NE(Text(both).find("either text"), std::string::npos);
  json::object bad_limit = Tool("list_tasks", {{"limit", 1000}});
  EXPECT_TRUE(bad_limit.at("isError").as_bool());
  EXPECT_NE(Text(bad_limit).find("limit"), std::string::npos);
  json::object bad_type = Tool("list_tasks", {{"q", json::array{1}}});
  EXPECT_NE(Text(bad_type).find("q:"), std::string::npos);
  json::object unknown = Tool("get_task", {{"id", "x"}, {"colour", "red"}});
  EXPECT_NE(Text(unknown).find("colour"), std::string::npos);
  json::object missing_id = Tool("complete_task", {});
  EXPECT_NE(Text(missing_id).find("id: is required"), std::string::npos);
  json::object reminder = Tool("set_reminder", {{"id", "01900000-0000-7000-8000-000000000000"}});
  EXPECT_NE(Text(reminder).find("exactly one"), std::string::npos);
  json::object bad_version = Tool("delete_task", {{"id", "01900000-0000-7000-8000-000000000000"},
                                                  {"expected_version", "3"}});
  EXPECT_NE(Text(bad_version).find("expected_version"), std::string::npos);
}

TEST_F(McpProtocolTest, AnotherUsersTaskIsNotFound) {
  json::object created = Tool("add_task", {{"title", "Mine"}});
  const std::string id(created.at("structuredContent").as_object().at("id").as_string());
  const std::string other = NewUser(*accounts_);
  for (const char* tool : {"get_task", "complete_task", "reopen_task", "delete_task"}) {
    json::object result = Tool(tool, {{"id", id}}, other);
    EXPECT_TRUE(result.at("isError").as_bool()) << tool;
    EXPECT_NE(Text(result).find("list_tasks"), std::string::npos) << tool;
  }
  EXPECT_TRUE(Tool("update_task", {{"id", id}, {"title", "Stolen"}}, other).at("isError").as_bool());
  EXPECT_TRUE(Tool("get_task", {{"id", id}}).at("isError").as_bool() == false);
}

TEST_F(McpProtocolTest, RemindersAreAddedOnceOrReplaced) {
  json::object created = Tool("add_task", {{"title", "Dentist"}, {"due_at", "2026-10-01T09:00:00Z"}});
  const std::string id(created.at("structuredContent").as_object().at("id").as_string());
  Tool("set_reminder", {{"id", id}, {"before_minutes", 60}});
  Tool("set_reminder", {{"id", id}, {"at", "2026-09-30T18:00:00+02:00"}});
  json::object again = Tool("set_reminder", {{"id", id}, {"at", "2026-09-30T16:00:00Z"}});
  EXPECT_EQ(again.at("structuredContent").as_object().at("reminders").as_array().size(), 2u);
  json::object replaced = Tool("set_reminder", {{"id", id}, {"before_minutes", 15}, {"replace", true}});
  const json::array& reminders = replaced.at("structuredContent").as_object().at("reminders").as_array();
  ASSERT_EQ(reminders.size(), 1u);
  EXPECT_EQ(reminders[0].as_object().at("before_minutes"), 15);
  json::object too_far = Tool("set_reminder", {{"id", id}, {"before_minutes", 999999}});
  EXPECT_TRUE(too_far.at("isError").as_bool());
  EXPECT_NE(Text(too_far).find("before_minutes"), std::string::npos);
}

TEST_F(McpProtocolTest, ListTasksOverdueGivesAnAllDayTaskItsWholeDay) {
  // The clock reads 2026-09-21T13:33:20Z; the user is in UTC.
  Tool("add_task", {{"title", "Late"}, {"due_at", "2026-09-01T09:00:00Z"}});
  Tool("add_task", {{"title", "Yesterday"}, {"due_at", "2026-09-20"}});
  Tool("add_task", {{"title", "Today"}, {"due_at", "2026-09-21"}});
  Tool("add_task", {{"title", "Noon"}, {"due_at", "2026-09-21T12:00:00Z"}});
  Tool("add_task", {{"title", "Evening"}, {"due_at", "2026-09-21T20:00:00Z"}});
  json::object listed =
      Tool("list_tasks", {{"overdue", true}, {"sort_by", "due_at"}, {"sort_order", "asc"}});
  ASSERT_FALSE(listed.at("isError").as_bool()) << Text(listed);
  const json::object& page = listed.at("structuredContent").as_object();
  std::vector<std::string> titles;
  for (const json::value& task : page.at("tasks").as_array()) {
    titles.emplace_back(task.at("title").as_string());
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"Late", "Yesterday", "Noon"}));
  EXPECT_EQ(page.at("total"), 3);
  json::object all = Tool("list_tasks", {{"overdue", false}});
  EXPECT_EQ(all.at("structuredContent").as_object().at("total"), 5);
  json::object bad = Tool("list_tasks", {{"overdue", "yes"}});
  EXPECT_TRUE(bad.at("isError").as_bool());
  EXPECT_NE(Text(bad).find("overdue"), std::string::npos);
}

TEST_F(McpProtocolTest, ViewsFollowTheUsersDay) {
  // The clock reads 2026-09-21T…Z; the user is in UTC.
  Tool("add_task", {{"title", "Late"}, {"due_at", "2026-09-01T09:00:00Z"}});
  Tool("add_task", {{"title", "Today"}, {"due_at", "2026-09-21"}});
  Tool("add_task", {{"title", "Soon"}, {"due_at", "2026-09-24T09:00:00Z"}});
  Tool("add_task", {{"title", "Later"}, {"due_at", "2026-12-24T09:00:00Z"}});
  auto titles = [this](std::string_view uri) {
    json::object read = Request("resources/read", {{"uri", uri}});
    const json::object& content =
        read.at("result").as_object().at("contents").as_array().at(0).as_object();
    EXPECT_EQ(content.at("mimeType"), "application/json");
    std::vector<std::string> out;
    const json::value view = json::parse(content.at("text").as_string());
    for (const json::value& task : view.at("tasks").as_array()) {
      out.emplace_back(task.at("title").as_string());
    }
    return out;
  };
  EXPECT_EQ(titles("tasks://overdue"), std::vector<std::string>{"Late"});
  EXPECT_EQ(titles("tasks://today"), std::vector<std::string>{"Today"});
  EXPECT_EQ(titles("tasks://upcoming"), std::vector<std::string>{"Soon"});
  json::object prompt = Request("prompts/get", {{"name", "plan-my-day"}});
  const std::string text(prompt.at("result").as_object().at("messages").as_array().at(0)
                             .as_object().at("content").as_object().at("text").as_string());
  EXPECT_NE(text.find("- Late"), std::string::npos);
  EXPECT_NE(text.find("- Today"), std::string::npos);
  EXPECT_EQ(text.find("Later"), std::string::npos);
}

TEST_F(McpProtocolTest, StdioWritesOnlyMessagesOneALine) {
  std::istringstream in(
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})"
      "\n\n"
      R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
      "\r\n"
      "{broken\n"
      R"({"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"info"}})"
      "\n"
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_tags"}})"
      "\n");
  std::ostringstream out;
  ServeStdio(*protocol_, user_, in, out);
  std::istringstream lines(out.str());
  std::vector<json::value> messages;
  for (std::string line; std::getline(lines, line);) messages.push_back(json::parse(line));
  ASSERT_EQ(messages.size(), 5u) << out.str();
  EXPECT_EQ(messages[0].at("result").at("protocolVersion"), "2025-06-18");
  EXPECT_EQ(messages[1].at("error").at("code"), kParseError);
  EXPECT_EQ(messages[2].at("id"), 2);
  EXPECT_EQ(messages[3].at("method"), "notifications/message");
  EXPECT_EQ(messages[4].at("id"), 3);
  EXPECT_FALSE(messages[4].at("result").at("isError").as_bool());
}

TEST_F(McpProtocolTest, HostAndOriginMustBeLocalOrAllowed) {
  HttpEndpoint endpoint(*protocol_, *accounts_, HttpEndpointOptions{{"tasks.example.com"}, {}});
  auto request = [](std::string host, std::string origin = "") {
    HttpRequest r;
    r.headers.emplace_back("host", std::move(host));
    if (!origin.empty()) r.headers.emplace_back("origin", std::move(origin));
    return r;
  };
  for (const char* host : {"localhost", "localhost:8080", "127.0.0.1:1", "[::1]:80", "LOCALHOST",
                           "tasks.example.com", "tasks.example.com:443"}) {
    EXPECT_TRUE(endpoint.HostAllowed(request(host))) << host;
  }
  for (const char* host : {"evil.example.com", "", "127.0.0.2", "localhost.evil.com",
                           "tasks.example.com.evil.com"}) {
    EXPECT_FALSE(endpoint.HostAllowed(request(host))) << host;
  }
  EXPECT_TRUE(endpoint.HostAllowed(request("localhost", "http://localhost:3000")));
  EXPECT_TRUE(endpoint.HostAllowed(request("localhost", "https://tasks.example.com")));
  EXPECT_FALSE(endpoint.HostAllowed(request("localhost", "http://evil.example.com")));
  EXPECT_FALSE(endpoint.HostAllowed(request("localhost", "null")));
}

}  // namespace
}  // namespace taskflow::mcp
