// ChatTools over the real MCP tools and use cases (SQLite in a temp dir,
// manual clock): the adapter's own refusals, and the offline agent driving a
// task's whole life through it, as /api/chat does.
#include "server/mcp/chat_tools_adapter.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/app_test_support.hpp"
#include "app/offline_agent.hpp"

namespace taskflow::mcp {
namespace {

class ChatToolsAdapterTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    // Wednesday 18 November 2026, 10:00 UTC.
    clock_.Set(*ParseRfc3339("2026-11-18T10:00:00Z"));
    accounts_ = std::make_unique<AccountService>(ports());
    tasks_ = std::make_unique<TaskService>(ports());
    tags_ = std::make_unique<TagService>(ports());
    tools_ = std::make_unique<TaskTools>(McpServices{*accounts_, *tasks_, *tags_, clock_});
    chat_tools_ = std::make_unique<McpChatTools>(*tools_);
    agent_ = std::make_unique<OfflineAgent>(
        *chat_tools_, [this](const std::string&) -> Result<QuickAddContext> {
          return QuickAddContext{.now = clock_.Now(), .timezone = "UTC"};
        });
    user_ = NewUser(*accounts_);
  }

  // Sends `message` in the conversation kept in history_; returns the reply.
  AgentReply Say(const std::string& message, const std::string& user = {}) {
    Result<AgentReply> reply = agent_->Respond(user.empty() ? user_ : user, history_, message);
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return {};
    history_.push_back(ChatTurn{.role = ChatRole::kUser, .content = message});
    history_.push_back(
        ChatTurn{.role = ChatRole::kAssistant, .content = reply->reply, .actions = reply->actions});
    for (const ChatAction& action : reply->actions) {
      EXPECT_FALSE(action.is_error) << message << ": " << action.tool << " "
                                    << action.arguments_json << " → " << action.result_text;
    }
    return *reply;
  }

  std::vector<Task> Tasks() {
    TaskQuery query;
    query.sort_by = SortField::kTitle;
    query.sort_order = SortOrder::kAsc;
    Result<TaskPage> page = tasks_->List(user_, query);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->tasks : std::vector<Task>{};
  }

  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<TaskService> tasks_;
  std::unique_ptr<TagService> tags_;
  std::unique_ptr<TaskTools> tools_;
  std::unique_ptr<McpChatTools> chat_tools_;
  std::unique_ptr<OfflineAgent> agent_;
  std::string user_;
  std::vector<ChatTurn> history_;
};

TEST_F(ChatToolsAdapterTest, SpecsAreTheMcpToolDefinitions) {
  const std::vector<ToolSpec>& specs = chat_tools_->Specs();
  ASSERT_EQ(specs.size(), tools_->definitions().size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const json::object& definition = tools_->definitions()[i].as_object();
    EXPECT_EQ(specs[i].name, definition.at("name").as_string());
    EXPECT_EQ(specs[i].description, definition.at("description").as_string());
    EXPECT_EQ(json::parse(specs[i].input_schema_json), definition.at("inputSchema"));
  }
}

TEST_F(ChatToolsAdapterTest, RefusalsAreOutcomesAModelCanActOn) {
  ToolOutcome unknown = chat_tools_->Call(user_, "frobnicate", "{}");
  EXPECT_TRUE(unknown.is_error);
  EXPECT_NE(unknown.text.find("Unknown tool: frobnicate. Known tools: add_task"), std::string::npos)
      << unknown.text;
  for (const char* bad : {"[1]", "not json", "\"text\""}) {
    ToolOutcome outcome = chat_tools_->Call(user_, "add_task", bad);
    EXPECT_TRUE(outcome.is_error) << bad;
    EXPECT_NE(outcome.text.find("must be a JSON object"), std::string::npos) << outcome.text;
    EXPECT_EQ(outcome.structured_json, "{}");
  }
  ToolOutcome invalid = chat_tools_->Call(user_, "add_task", R"({"title":""})");
  EXPECT_TRUE(invalid.is_error);
  EXPECT_NE(invalid.text.find("title"), std::string::npos) << invalid.text;
  EXPECT_TRUE(Tasks().empty());

  ToolOutcome listed = chat_tools_->Call(user_, "list_tasks", "");
  EXPECT_FALSE(listed.is_error) << listed.text;
  EXPECT_EQ(json::parse(listed.structured_json).at("total"), 0);
}

TEST_F(ChatToolsAdapterTest, StructuredResultsAreTheToolsStructuredContent) {
  ToolOutcome added = chat_tools_->Call(user_, "add_task", R"({"text":"Pay rent friday p1"})");
  ASSERT_FALSE(added.is_error) << added.text;
  const json::value task = json::parse(added.structured_json);
  EXPECT_EQ(task.at("title"), "Pay rent");
  EXPECT_EQ(task.at("priority"), "P1");
  EXPECT_EQ(json::parse(added.text), task) << "the text carries the same JSON";
  // Another user's task is not found, as through REST.
  const std::string other = NewUser(*accounts_);
  ToolOutcome foreign = chat_tools_->Call(
      other, "complete_task", R"({"id":")" + std::string(task.at("id").as_string()) + R"("})");
  EXPECT_TRUE(foreign.is_error);
  EXPECT_EQ(Tasks().at(0).status, TaskStatus::kPending);
}

TEST_F(ChatToolsAdapterTest, TheOfflineAgentManagesTasksThroughTheRealTools) {
  EXPECT_NE(Say("remind me to call mom tomorrow at 6pm").reply.find("due tomorrow at 18:00"),
            std::string::npos);
  Say("add dentist appointment #health");
  Say("add pay the dentist bill p2");
  ASSERT_EQ(Tasks().size(), 3u);

  const AgentReply listed = Say("show my tasks");
  EXPECT_NE(listed.reply.find("You have 3 pending tasks:\n1. call mom (due tomorrow at 18:00)"),
            std::string::npos)
      << listed.reply;

  // Ambiguous title words: a question, then the answer by number.
  const AgentReply question = Say("move the dentist to friday");
  EXPECT_EQ(question.reply.rfind("Which one", 0), 0u) << question.reply;
  const AgentReply moved = Say("2");
  ASSERT_EQ(moved.actions.size(), 1u);
  EXPECT_EQ(moved.actions[0].tool, "update_task");
  EXPECT_NE(moved.reply.find("to Fri 20 Nov"), std::string::npos) << moved.reply;
  for (const Task& task : Tasks()) {
    if (task.title != "pay the dentist bill") continue;
    EXPECT_TRUE(task.all_day);
    EXPECT_EQ(task.due_at, ParseRfc3339("2026-11-20T00:00:00Z"));
  }

  Say("show my tasks");  // call mom, pay the dentist bill (Fri), dentist appointment
  const AgentReply done = Say("done with 1");
  EXPECT_NE(done.reply.find("call mom"), std::string::npos) << done.reply;
  Say("make the appointment urgent");
  Say("tag it with family");
  Say("delete the bill");
  const std::vector<Task> left = Tasks();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].title, "call mom");
  EXPECT_EQ(left[0].status, TaskStatus::kCompleted);
  EXPECT_EQ(left[1].title, "dentist appointment");
  EXPECT_EQ(left[1].priority, Priority::kP1);
  EXPECT_EQ(left[1].tags, (std::vector<std::string>{"family", "health"}));
}

}  // namespace
}  // namespace taskflow::mcp
