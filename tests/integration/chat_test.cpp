// Chat through the API (issue 6, item 5), with the offline agent (no LLM
// configured): a person manages tasks entirely through POST /api/chat, and
// conversations are listed, read and deleted, each user seeing only theirs.
#include <gmock/gmock.h>

#include <chrono>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class ChatTest : public ApiTest {
 protected:
  // POST /api/chat expecting 200; the answer.
  static json::object Chat(const TestUser& user, std::string_view message,
                           const std::optional<std::string>& conversation = std::nullopt) {
    json::object body{{"message", message}};
    if (conversation) body["conversation_id"] = *conversation;
    const Response r = Post("/api/chat", body, user.token);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.json().as_object() : json::object{};
  }
  static std::string Reply(const json::object& answer) { return Str(answer, "reply"); }
  static std::vector<std::string> Tools(const json::object& answer) {
    std::vector<std::string> tools;
    if (!answer.contains("actions")) return tools;
    for (const json::value& action : answer.at("actions").as_array()) {
      tools.push_back(Str(action.as_object(), "tool"));
    }
    return tools;
  }
  static json::object FindByTitle(const TestUser& user, std::string_view title) {
    const json::object page = ListTasks(user, {{"limit", "100"}});
    for (const json::value& task : page.at("tasks").as_array()) {
      if (Str(task.as_object(), "title") == title) return task.as_object();
    }
    ADD_FAILURE() << "no task titled " << title;
    return {};
  }
};

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST_F(ChatTest, APersonManagesTheirTasksEntirelyThroughChat) {
  const TestUser user = NewUser();
  const json::object first = Chat(user, "remind me to call mom tomorrow at 6pm");
  const std::string conversation = Str(first, "conversation_id");
  EXPECT_THAT(Reply(first), HasSubstr("Added \u201C"
                                      "call mom\u201D, due tomorrow at 18:00"));
  ASSERT_EQ(first.at("actions").as_array().size(), 1u);
  const json::object action = first.at("actions").as_array()[0].as_object();
  EXPECT_EQ(Str(action, "tool"), "add_task");
  EXPECT_EQ(action.at("arguments"), (json::object{{"text", "call mom tomorrow at 6pm"}}));
  const json::object result = action.at("result").as_object();
  EXPECT_EQ(result.at("isError"), json::value(false));
  EXPECT_EQ(Str(result.at("structured").as_object(), "title"), "call mom");

  Chat(user, "add dentist appointment #health", conversation);
  Chat(user, "add pay the dentist bill p2", conversation);
  Chat(user, "add buy milk", conversation);
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 4) << "the tasks exist for the REST API too";

  const json::object listed = Chat(user, "show my tasks", conversation);
  EXPECT_THAT(Reply(listed), StartsWith("You have 4 pending tasks:\n1. call mom"));
  EXPECT_THAT(Tools(listed), ElementsAre("list_tasks"));

  // "done with 1": the first task of the list just shown.
  EXPECT_THAT(Reply(Chat(user, "done with 1", conversation)), HasSubstr("call mom"));
  EXPECT_EQ(Str(FindByTitle(user, "call mom"), "status"), "completed");

  // Title words matching two tasks: a question, answered by number.
  const json::object question = Chat(user, "move the dentist to friday", conversation);
  EXPECT_THAT(Reply(question), StartsWith("Which one do you mean?\n1. "));
  EXPECT_THAT(Tools(question), ElementsAre("list_tasks"));
  const json::object moved = Chat(user, "2", conversation);
  EXPECT_THAT(Tools(moved), ElementsAre("update_task"));
  EXPECT_THAT(Reply(moved), StartsWith("Moved "));
  const std::string second_title =
      Reply(question).find("2. dentist appointment") != std::string::npos ? "dentist appointment"
                                                                          : "pay the dentist bill";
  const json::object rescheduled = FindByTitle(user, second_title);
  EXPECT_EQ(rescheduled.at("all_day"), json::value(true));
  const std::string due = Str(rescheduled, "due_at");
  ASSERT_GE(due.size(), 10u);
  const std::chrono::year_month_day date{std::chrono::year{std::stoi(due.substr(0, 4))},
                                         std::chrono::month(std::stoi(due.substr(5, 2))),
                                         std::chrono::day(std::stoi(due.substr(8, 2)))};
  EXPECT_EQ(std::chrono::weekday{std::chrono::sys_days{date}}, std::chrono::Friday) << due;

  // The rest, by title words and by "it".
  EXPECT_THAT(Reply(Chat(user, "make the milk urgent", conversation)),
              HasSubstr("now priority P1"));
  EXPECT_THAT(Reply(Chat(user, "tag it with errands", conversation)), HasSubstr("#errands"));
  const json::object milk = FindByTitle(user, "buy milk");
  EXPECT_EQ(Str(milk, "priority"), "P1");
  EXPECT_EQ(Strings(milk, "tags"), std::vector<std::string>{"errands"});
  EXPECT_THAT(Reply(Chat(user, "delete it", conversation)), HasSubstr("Deleted"));
  EXPECT_THAT(Reply(Chat(user, "reopen call mom", conversation)), HasSubstr("pending again"));
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 3);

  // What is not understood is answered with help, and changes nothing.
  const json::object unknown = Chat(user, "the weather is nice", conversation);
  EXPECT_THAT(Reply(unknown), HasSubstr("Sorry, I didn't understand"));
  EXPECT_TRUE(unknown.at("actions").as_array().empty());
}

TEST_F(ChatTest, ConversationsAreListedReadAndDeleted) {
  const TestUser user = NewUser();
  const std::string first = Str(Chat(user, "add water the plants"), "conversation_id");
  const std::string second = Str(Chat(user, "what's due this week?"), "conversation_id");
  EXPECT_NE(first, second);
  Chat(user, "show my tasks", first);  // the first is now the most recently active
  const Response fresh =
      Post("/api/chat", {{"conversation_id", nullptr}, {"message", "hello"}}, user.token);
  ASSERT_EQ(fresh.status, 200) << fresh.Describe();
  const std::string third = Str(fresh.json().as_object(), "conversation_id");
  EXPECT_NE(third, first) << "a null conversation_id starts a new one";
  ASSERT_EQ(Delete("/api/conversations/" + third, user.token).status, 204);

  const Response listed = Get("/api/conversations", user.token);
  ASSERT_EQ(listed.status, 200) << listed.Describe();
  const json::object page = listed.json().as_object();
  EXPECT_EQ(Int(page, "total"), 2);
  const json::array& conversations = page.at("conversations").as_array();
  ASSERT_EQ(conversations.size(), 2u);
  EXPECT_EQ(Str(conversations[0].as_object(), "id"), first);
  EXPECT_EQ(Str(conversations[0].as_object(), "title"), "add water the plants");
  EXPECT_EQ(Str(conversations[1].as_object(), "id"), second);
  const Response paged = Get("/api/conversations?limit=1&offset=1", user.token);
  ASSERT_EQ(paged.status, 200) << paged.Describe();
  ASSERT_EQ(paged.json().at("conversations").as_array().size(), 1u);
  EXPECT_EQ(Str(paged.json().at("conversations").as_array()[0].as_object(), "id"), second);

  const Response read = Get("/api/conversations/" + first + "/messages", user.token);
  ASSERT_EQ(read.status, 200) << read.Describe();
  const json::value read_body = read.json();
  const json::array& messages = read_body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(Str(messages[0].as_object(), "role"), "user");
  EXPECT_EQ(Str(messages[0].as_object(), "content"), "add water the plants");
  EXPECT_TRUE(messages[0].at("actions").as_array().empty());
  EXPECT_EQ(Str(messages[1].as_object(), "role"), "assistant");
  EXPECT_EQ(Str(messages[1].at("actions").as_array()[0].as_object(), "tool"), "add_task");
  EXPECT_EQ(Str(messages[3].at("actions").as_array()[0].as_object(), "tool"), "list_tasks");
  const Response tail =
      Get("/api/conversations/" + first + "/messages?offset=3&limit=5", user.token);
  ASSERT_EQ(tail.status, 200) << tail.Describe();
  EXPECT_EQ(tail.json().at("messages").as_array().size(), 1u);
  EXPECT_EQ(Int(tail.json().as_object(), "total"), 4);

  const Response deleted = Delete("/api/conversations/" + first, user.token);
  EXPECT_EQ(deleted.status, 204) << deleted.Describe();
  ExpectProblem(Get("/api/conversations/" + first + "/messages", user.token), 404, "not-found");
  ExpectProblem(Delete("/api/conversations/" + first, user.token), 404, "not-found");
  ExpectProblem(Post("/api/chat", {{"conversation_id", first}, {"message", "hi"}}, user.token), 404,
                "not-found");
  EXPECT_EQ(Int(Get("/api/conversations", user.token).json().as_object(), "total"), 1);
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 1) << "deleting a conversation keeps its tasks";
}

TEST_F(ChatTest, AnotherUsersConversationIs404AndTheirTasksAreOutOfReach) {
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  const json::object started = Chat(alice, "add secret plan");
  const std::string conversation = Str(started, "conversation_id");
  Chat(alice, "show my tasks", conversation);

  ExpectProblem(
      Post("/api/chat", {{"conversation_id", conversation}, {"message", "done with 1"}}, bob.token),
      404, "not-found");
  ExpectProblem(Get("/api/conversations/" + conversation + "/messages", bob.token), 404,
                "not-found");
  ExpectProblem(Delete("/api/conversations/" + conversation, bob.token), 404, "not-found");
  EXPECT_EQ(Int(Get("/api/conversations", bob.token).json().as_object(), "total"), 0);
  // Bob's own chat sees none of Alice's tasks.
  EXPECT_THAT(Reply(Chat(bob, "show my tasks")), HasSubstr("You have no pending tasks"));
  EXPECT_THAT(Reply(Chat(bob, "done with the secret plan")), HasSubstr("couldn't find"));
  EXPECT_EQ(Str(FindByTitle(alice, "secret plan"), "status"), "pending");
  const Response alices = Get("/api/conversations/" + conversation + "/messages", alice.token);
  ASSERT_EQ(alices.status, 200) << alices.Describe();
  EXPECT_EQ(alices.json().at("messages").as_array().size(), 4u);
}

TEST_F(ChatTest, TheSeedsPathMustNameTheCaller) {
  const TestUser user = NewUser();
  const TestUser other = NewUser();
  const Response own =
      Post("/api/" + user.id + "/chat", {{"message", "add call the bank"}}, user.token);
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_THAT(Str(own.json().as_object(), "reply"), HasSubstr("call the bank"));
  const std::string conversation = Str(own.json().as_object(), "conversation_id");
  const Response continued =
      Post("/api/" + user.id + "/chat",
           {{"conversation_id", conversation}, {"message", "show my tasks"}}, user.token);
  ASSERT_EQ(continued.status, 200) << continued.Describe();
  EXPECT_THAT(Str(continued.json().as_object(), "reply"), HasSubstr("1. call the bank"));

  ExpectProblem(Post("/api/" + other.id + "/chat", {{"message", "show my tasks"}}, user.token), 403,
                "forbidden", "user_id");
  ExpectProblem(Post("/api/" + user.id + "/chat", {{"message", "show my tasks"}}, std::nullopt),
                401, "unauthenticated");
  EXPECT_EQ(Int(Get("/api/conversations", user.token).json().as_object(), "total"), 1);
}

TEST_F(ChatTest, BadInputIsAProblemNamingTheField) {
  const TestUser user = NewUser();
  ExpectProblem(Post("/api/chat", {{"message", ""}}, user.token), 422, "validation", "message");
  ExpectProblem(Post("/api/chat", {{"message", "  \n "}}, user.token), 422, "validation",
                "message");
  ExpectProblem(Post("/api/chat", {{"message", std::string(4097, 'a')}}, user.token), 422,
                "validation", "message");
  ExpectProblem(Post("/api/chat", json::object{}, user.token), 422, "validation", "message");
  ExpectProblem(Post("/api/chat", {{"message", 3}}, user.token), 422, "validation", "message");
  ExpectProblem(Post("/api/chat", {{"message", "hi"}, {"conversation_id", 5}}, user.token), 422,
                "validation", "conversation_id");
  ExpectProblem(Post("/api/chat", {{"message", "hi"}, {"mood", "happy"}}, user.token), 422,
                "validation", "mood");
  ExpectProblem(Post("/api/chat", json::array{}, user.token), 422, "validation", "body");
  ExpectProblem(Send({.method = "POST", .target = "/api/chat", .token = user.token, .body = "{"}),
                400, "malformed-request", "body");
  ExpectProblem(Send({.method = "POST", .target = "/api/chat", .token = user.token, .body = ""}),
                400, "malformed-request", "body");
  ExpectProblem(Send({.method = "POST",
                      .target = "/api/chat",
                      .token = user.token,
                      .body = "message=hi",
                      .content_type = "text/plain"}),
                415, "unsupported-media-type", "Content-Type");
  ExpectProblem(
      Post("/api/chat", {{"message", "hi"}, {"conversation_id", "not-a-uuid"}}, user.token), 404,
      "not-found");
  ExpectProblem(
      Post("/api/chat", {{"message", "hi"}, {"conversation_id", RandomUuid()}}, user.token), 404,
      "not-found");
  ExpectProblem(Post("/api/chat", {{"message", "hi"}}, std::nullopt), 401, "unauthenticated");
  ExpectProblem(Get("/api/conversations?limit=0", user.token), 422, "validation", "limit");
  ExpectProblem(Get("/api/conversations?limit=101", user.token), 422, "validation", "limit");
  ExpectProblem(Get("/api/conversations?offset=-1", user.token), 422, "validation", "offset");
  ExpectProblem(Get("/api/conversations?page=2", user.token), 422, "validation", "page");
  ExpectProblem(Get("/api/conversations/not-a-uuid/messages", user.token), 404, "not-found");
  ExpectProblem(Delete("/api/conversations/not-a-uuid", user.token), 404, "not-found");
  // Nothing was stored by any of it; the limit itself is accepted.
  EXPECT_EQ(Int(Get("/api/conversations", user.token).json().as_object(), "total"), 0);
  const Response at_limit = Post("/api/chat", {{"message", std::string(4096, 'a')}}, user.token);
  EXPECT_EQ(at_limit.status, 200) << at_limit.Describe();
  const std::string conversation = Str(at_limit.json().as_object(), "conversation_id");
  ExpectProblem(Get("/api/conversations/" + conversation + "/messages?limit=201", user.token), 422,
                "validation", "limit");
}

}  // namespace
}  // namespace taskflow::integration
