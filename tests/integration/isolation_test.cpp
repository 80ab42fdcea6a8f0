// Every query is scoped to the caller: another user's task or tag answers 404
// (never 403), is never changed, and never shows up in a list or a count.
#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class IsolationTest : public ApiTest {};

TEST_F(IsolationTest, AnotherUsersTaskIs404ForEveryOperationAndStaysUntouched) {
  const TestUser owner = NewUser();
  const TestUser intruder = NewUser();
  const json::object task =
      CreateTask(owner, {{"title", "private"}, {"tags", json::array{"secret"}}});
  const std::string url = "/api/tasks/" + Str(task, "id");
  ExpectProblem(Get(url, intruder.token), 404, "not-found");
  ExpectProblem(Patch(url, {{"title", "hijacked"}}, intruder.token), 404, "not-found");
  ExpectProblem(Send({.method = "PATCH",
                      .target = url,
                      .token = intruder.token,
                      .body = R"({"title":"hijacked"})",
                      .headers = {"If-Match: \"1\""}}),
                404, "not-found");
  ExpectProblem(Send({.method = "PATCH",
                      .target = url,
                      .token = intruder.token,
                      .body = R"({"title":"hijacked"})",
                      .headers = {"If-Match: \"7\""}}),
                404, "not-found");
  ExpectProblem(PostEmpty(url + "/complete", intruder.token), 404, "not-found");
  ExpectProblem(PostEmpty(url + "/reopen", intruder.token), 404, "not-found");
  ExpectProblem(Delete(url, intruder.token), 404, "not-found");
  ExpectProblem(
      Send(
          {.method = "DELETE", .target = url, .token = intruder.token, .headers = {"If-Match: *"}}),
      404, "not-found");
  EXPECT_EQ(GetTask(owner, Str(task, "id")), task);
}

TEST_F(IsolationTest, AnotherUsersTagIs404AndStaysUntouched) {
  const TestUser owner = NewUser();
  const TestUser intruder = NewUser();
  const json::object tag = CreateTag(owner, {{"name", "mine"}, {"color", "#111111"}});
  const json::object task = CreateTask(owner, {{"title", "t"}, {"tags", json::array{"mine"}}});
  ExpectProblem(Patch("/api/tags/" + Str(tag, "id"), {{"name", "theirs"}}, intruder.token), 404,
                "not-found");
  ExpectProblem(Delete("/api/tags/" + Str(tag, "id"), intruder.token), 404, "not-found");
  const json::array tags = ListTags(owner);
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(Str(tags[0].as_object(), "name"), "mine");
  EXPECT_EQ(Int(tags[0].as_object(), "task_count"), 1);
  EXPECT_EQ(GetTask(owner, Str(task, "id")), task);
}

TEST_F(IsolationTest, ListsSearchesFiltersAndCountsSeeOnlyTheCallersTasks) {
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  const std::string mine = Str(CreateTask(alice, {{"title", "shared words"},
                                                  {"priority", "P1"},
                                                  {"tags", json::array{"common"}},
                                                  {"due_at", "2030-01-01T00:00:00Z"}}),
                               "id");
  for (int i = 0; i < 3; ++i) {
    CreateTask(bob, {{"title", "shared words"},
                     {"priority", "P1"},
                     {"tags", json::array{"common"}},
                     {"due_at", "2030-01-01T00:00:00Z"}});
  }
  for (const QueryParams& params :
       {QueryParams{}, QueryParams{{"q", "shared"}}, QueryParams{{"q", "sh"}},
        QueryParams{{"priority", "P1"}}, QueryParams{{"tag", "common"}},
        QueryParams{{"status", "pending"}}, QueryParams{{"has_due_date", "true"}},
        QueryParams{{"due_after", "2029-01-01T00:00:00Z"}, {"due_before", "2031-01-01T00:00:00Z"}},
        QueryParams{{"sort_by", "priority"}},
        QueryParams{{"sort_by", "title"}, {"sort_order", "asc"}}}) {
    SCOPED_TRACE(WithQuery("/api/tasks", params));
    const json::object list = ListTasks(alice, params);
    EXPECT_EQ(Int(list, "total"), 1);
    const json::array& tasks = list.at("tasks").as_array();
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(Str(tasks[0].as_object(), "id"), mine);
  }
  const json::array tags = ListTags(alice);
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(Int(tags[0].as_object(), "task_count"), 1);
  const json::array bob_tags = ListTags(bob);
  ASSERT_EQ(bob_tags.size(), 1u);
  EXPECT_EQ(Int(bob_tags[0].as_object(), "task_count"), 3);
  EXPECT_NE(Str(tags[0].as_object(), "id"), Str(bob_tags[0].as_object(), "id"));
}

TEST_F(IsolationTest, ANewUserSeesNothing) {
  const TestUser busy = NewUser();
  CreateTask(busy, {{"title", "busy"}, {"tags", json::array{"x"}}});
  const TestUser fresh = NewUser();
  EXPECT_EQ(Int(ListTasks(fresh, {}), "total"), 0);
  EXPECT_TRUE(ListTags(fresh).empty());
}

TEST_F(IsolationTest, ProfilesAreSeparate) {
  const TestUser a = NewUser();
  const TestUser b = NewUser();
  ASSERT_EQ(Patch("/api/me", {{"name", "A"}, {"timezone", "Europe/Rome"}}, a.token).status, 200);
  const Response me_b = Get("/api/me", b.token);
  ASSERT_EQ(me_b.status, 200);
  EXPECT_EQ(Str(me_b.json().as_object(), "id"), b.id);
  EXPECT_EQ(Str(me_b.json().as_object(), "timezone"), "UTC");
}

}  // namespace
}  // namespace taskflow::integration
