// Create, read, update, complete, reopen and delete single tasks.
#include <regex>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

const std::regex kUuidV7("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
const std::regex kUtc("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$");

class TaskCrudTest : public ApiTest {
 protected:
  // The instant of an answered timestamp, comparable across precisions.
  static std::string Seconds(const std::string& utc) { return utc.substr(0, 19); }
};

TEST_F(TaskCrudTest, CreateWithOnlyATitleFillsTheDefaults) {
  const TestUser user = NewUser();
  const Response r = Post("/api/tasks", {{"title", "  Buy milk  "}}, user.token);
  ASSERT_EQ(r.status, 201) << r.Describe();
  const json::object task = r.json().as_object();
  const std::string id = Str(task, "id");
  EXPECT_TRUE(std::regex_match(id, kUuidV7)) << id;
  EXPECT_EQ(r.header("location").value_or(""), "/api/tasks/" + id);
  EXPECT_EQ(r.header("etag").value_or(""), "\"1\"");
  EXPECT_EQ(Str(task, "title"), "Buy milk") << "the title is trimmed";
  EXPECT_EQ(Str(task, "description"), "");
  EXPECT_EQ(Str(task, "status"), "pending");
  EXPECT_TRUE(IsNull(task, "priority"));
  EXPECT_TRUE(IsNull(task, "due_at"));
  EXPECT_EQ(task.at("all_day"), json::value(false));
  EXPECT_EQ(Str(task, "timezone"), "UTC");
  EXPECT_TRUE(Strings(task, "tags").empty());
  EXPECT_TRUE(IsNull(task, "recurrence"));
  EXPECT_EQ(task.at("reminders"), json::value(json::array{}));
  EXPECT_TRUE(IsNull(task, "remind_before_minutes"));
  EXPECT_EQ(task.at("reminder_sent"), json::value(false));
  EXPECT_TRUE(IsNull(task, "recurrence_parent_id"));
  EXPECT_EQ(Int(task, "version"), 1);
  EXPECT_TRUE(std::regex_match(Str(task, "created_at"), kUtc)) << Str(task, "created_at");
  EXPECT_EQ(Str(task, "updated_at"), Str(task, "created_at"));
  EXPECT_TRUE(IsNull(task, "completed_at"));
  EXPECT_EQ(task.size(), 18u) << "exactly the documented fields: " << json::serialize(task);
}

TEST_F(TaskCrudTest, CreateWithEveryFieldNormalisesThem) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, {{"title", "Plan trip"},
                                              {"description", "Book flights\nand hotels"},
                                              {"priority", "P2"},
                                              {"due_at", "2030-01-15T10:30:00+02:00"},
                                              {"timezone", "Europe/Berlin"},
                                              {"tags", json::array{"work", " Alpha ", "urgent"}},
                                              {"remind_before_minutes", 30}});
  EXPECT_EQ(Str(task, "title"), "Plan trip");
  EXPECT_EQ(Str(task, "description"), "Book flights\nand hotels");
  EXPECT_EQ(Str(task, "priority"), "P2");
  EXPECT_EQ(Seconds(Str(task, "due_at")), "2030-01-15T08:30:00") << "answered in UTC";
  EXPECT_TRUE(std::regex_match(Str(task, "due_at"), kUtc)) << Str(task, "due_at");
  EXPECT_EQ(Str(task, "timezone"), "Europe/Berlin");
  EXPECT_EQ(Strings(task, "tags"), (std::vector<std::string>{"Alpha", "urgent", "work"}))
      << "trimmed and sorted case-insensitively";
  EXPECT_EQ(Int(task, "remind_before_minutes"), 30);
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

TEST_F(TaskCrudTest, FractionalSecondsAndZuluDueDatesRoundTrip) {
  const TestUser user = NewUser();
  const json::object a = CreateTask(user, {{"title", "a"}, {"due_at", "2031-06-30T23:59:59Z"}});
  EXPECT_EQ(Seconds(Str(a, "due_at")), "2031-06-30T23:59:59");
  const json::object b =
      CreateTask(user, {{"title", "b"}, {"due_at", "2031-06-30T20:00:00.500-05:00"}});
  EXPECT_TRUE(Str(b, "due_at").starts_with("2031-07-01T01:00:00")) << Str(b, "due_at");
}

TEST_F(TaskCrudTest, DuplicateTagsCollapseCaseInsensitivelyKeepingTheFirstSpelling) {
  const TestUser user = NewUser();
  const json::object task =
      CreateTask(user, {{"title", "t"}, {"tags", json::array{"Home", "home", "HOME", "garden"}}});
  EXPECT_EQ(Strings(task, "tags"), (std::vector<std::string>{"garden", "Home"}));
  const json::array tags = ListTags(user);
  EXPECT_EQ(tags.size(), 2u) << json::serialize(tags);
}

TEST_F(TaskCrudTest, ExistingTagsAreReusedWhateverTheCase) {
  const TestUser user = NewUser();
  const json::object tag = CreateTag(user, {{"name", "Work"}});
  const json::object task = CreateTask(user, {{"title", "t"}, {"tags", json::array{"work"}}});
  EXPECT_EQ(Strings(task, "tags"), std::vector<std::string>{"Work"});
  const json::array tags = ListTags(user);
  ASSERT_EQ(tags.size(), 1u) << json::serialize(tags);
  EXPECT_EQ(Str(tags[0].as_object(), "id"), Str(tag, "id"));
  EXPECT_EQ(Int(tags[0].as_object(), "task_count"), 1);
}

TEST_F(TaskCrudTest, UnknownFieldsAreIgnored) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user, {{"title", "t"}, {"colour", "blue"}, {"id", "x"}, {"version", 99}, {"status", 1}});
  EXPECT_EQ(Int(task, "version"), 1);
  EXPECT_EQ(Str(task, "status"), "pending");
  EXPECT_NE(Str(task, "id"), "x");
  const Response r = Patch("/api/tasks/" + Str(task, "id"),
                           {{"title", "u"}, {"owner", "someone"}, {"user_id", "x"}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(Str(r.json().as_object(), "title"), "u");
}

TEST_F(TaskCrudTest, GetAnswersTheTaskWithItsVersionAsETag) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "read me");
  const Response r = Get("/api/tasks/" + Str(task, "id"), user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.header("etag").value_or(""), "\"1\"");
  EXPECT_EQ(r.json(), json::value(task));
}

TEST_F(TaskCrudTest, GetOfAnUnknownOrMalformedIdIs404) {
  const TestUser user = NewUser();
  ExpectProblem(Get("/api/tasks/" + RandomUuid(), user.token), 404, "not-found");
  ExpectProblem(Get("/api/tasks/not-a-uuid", user.token), 404, "not-found");
  ExpectProblem(Get("/api/tasks/12345", user.token), 404, "not-found");
  ExpectProblem(Get("/api/tasks/%27%20OR%201%3D1", user.token), 404, "not-found");
}

TEST_F(TaskCrudTest, PatchChangesFieldsAndBumpsTheVersion) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, {{"title", "old"}, {"tags", json::array{"a", "b"}}});
  const std::string url = "/api/tasks/" + Str(task, "id");
  const Response r = Patch(url,
                           {{"title", " new "},
                            {"description", "details"},
                            {"priority", "P1"},
                            {"due_at", "2030-03-01T09:00:00Z"},
                            {"timezone", "America/Chicago"},
                            {"tags", json::array{"c", "B"}},
                            {"remind_before_minutes", 0}},
                           user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.header("etag").value_or(""), "\"2\"");
  const json::object patched = r.json().as_object();
  EXPECT_EQ(Str(patched, "title"), "new");
  EXPECT_EQ(Str(patched, "description"), "details");
  EXPECT_EQ(Str(patched, "priority"), "P1");
  EXPECT_EQ(Seconds(Str(patched, "due_at")), "2030-03-01T09:00:00");
  EXPECT_EQ(Str(patched, "timezone"), "America/Chicago");
  EXPECT_EQ(Strings(patched, "tags"), (std::vector<std::string>{"b", "c"}))
      << "tags replace the set; an existing tag keeps its spelling";
  EXPECT_EQ(Int(patched, "remind_before_minutes"), 0);
  EXPECT_EQ(Int(patched, "version"), 2);
  EXPECT_EQ(Str(patched, "id"), Str(task, "id"));
  EXPECT_EQ(Str(patched, "created_at"), Str(task, "created_at"));
  EXPECT_GE(NormalizeInstant(Str(patched, "updated_at")),
            NormalizeInstant(Str(task, "updated_at")));
  EXPECT_EQ(GetTask(user, Str(task, "id")), patched);
}

TEST_F(TaskCrudTest, PatchWithNullClearsNullableFields) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, {{"title", "t"},
                                              {"description", "d"},
                                              {"priority", "P3"},
                                              {"due_at", "2030-01-01T00:00:00Z"},
                                              {"tags", json::array{"x"}},
                                              {"remind_before_minutes", 15}});
  const Response r = Patch("/api/tasks/" + Str(task, "id"),
                           {{"description", nullptr},
                            {"priority", nullptr},
                            {"due_at", nullptr},
                            {"remind_before_minutes", nullptr},
                            {"tags", json::array{}}},
                           user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json::object cleared = r.json().as_object();
  EXPECT_EQ(Str(cleared, "description"), "");
  EXPECT_TRUE(IsNull(cleared, "priority"));
  EXPECT_TRUE(IsNull(cleared, "due_at"));
  EXPECT_TRUE(IsNull(cleared, "remind_before_minutes"));
  EXPECT_TRUE(Strings(cleared, "tags").empty());
  EXPECT_EQ(Int(cleared, "version"), 2);
}

TEST_F(TaskCrudTest, PatchOfNothingOrOfIdenticalValuesChangesNothing) {
  const TestUser user = NewUser();
  const json::object task =
      CreateTask(user, {{"title", "same"}, {"priority", "P2"}, {"tags", json::array{"k"}}});
  const std::string url = "/api/tasks/" + Str(task, "id");
  const Response empty = Patch(url, json::object{}, user.token);
  ASSERT_EQ(empty.status, 200) << empty.Describe();
  EXPECT_EQ(empty.json(), json::value(task));
  EXPECT_EQ(empty.header("etag").value_or(""), "\"1\"");
  const Response same = Patch(
      url, {{"title", "same"}, {"priority", "P2"}, {"tags", json::array{"K"}}, {"due_at", nullptr}},
      user.token);
  ASSERT_EQ(same.status, 200) << same.Describe();
  EXPECT_EQ(same.json(), json::value(task)) << "identical values do not bump the version";
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

TEST_F(TaskCrudTest, PatchRejectsNullForRequiredFields) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "keep");
  const std::string url = "/api/tasks/" + Str(task, "id");
  ExpectProblem(Patch(url, {{"title", nullptr}}, user.token), 422, "validation", "title");
  ExpectProblem(Patch(url, {{"timezone", nullptr}}, user.token), 422, "validation", "timezone");
  ExpectProblem(Patch(url, {{"tags", nullptr}}, user.token), 422, "validation", "tags");
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

TEST_F(TaskCrudTest, CompleteSetsCompletedAtAndCompletingAgainChangesNothing) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "finish me");
  const std::string url = "/api/tasks/" + Str(task, "id");
  const Response done = PostEmpty(url + "/complete", user.token);
  ASSERT_EQ(done.status, 200) << done.Describe();
  const json::object completed = done.json().as_object();
  EXPECT_EQ(Str(completed, "status"), "completed");
  EXPECT_TRUE(std::regex_match(Str(completed, "completed_at"), kUtc));
  EXPECT_EQ(Int(completed, "version"), 2);
  EXPECT_EQ(done.header("etag").value_or(""), "\"2\"");
  const Response again = PostEmpty(url + "/complete", user.token);
  ASSERT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(again.json(), json::value(completed));
  EXPECT_EQ(GetTask(user, Str(task, "id")), completed);
}

TEST_F(TaskCrudTest, ReopenMakesATaskPendingAgain) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "again");
  const std::string url = "/api/tasks/" + Str(task, "id");
  const Response pending_reopen = PostEmpty(url + "/reopen", user.token);
  ASSERT_EQ(pending_reopen.status, 200) << pending_reopen.Describe();
  EXPECT_EQ(pending_reopen.json(), json::value(task)) << "reopening a pending task changes nothing";
  ASSERT_EQ(PostEmpty(url + "/complete", user.token).status, 200);
  const Response r = PostEmpty(url + "/reopen", user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json::object reopened = r.json().as_object();
  EXPECT_EQ(Str(reopened, "status"), "pending");
  EXPECT_TRUE(IsNull(reopened, "completed_at"));
  EXPECT_EQ(Int(reopened, "version"), 3);
  EXPECT_EQ(r.header("etag").value_or(""), "\"3\"");
}

TEST_F(TaskCrudTest, EveryChangeBumpsTheVersionByOne) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "v");
  const std::string url = "/api/tasks/" + Str(task, "id");
  EXPECT_EQ(Int(Patch(url, {{"title", "v2"}}, user.token).json().as_object(), "version"), 2);
  EXPECT_EQ(Int(PostEmpty(url + "/complete", user.token).json().as_object(), "version"), 3);
  EXPECT_EQ(Int(PostEmpty(url + "/reopen", user.token).json().as_object(), "version"), 4);
  EXPECT_EQ(Int(Patch(url, {{"tags", json::array{"t"}}}, user.token).json().as_object(), "version"),
            5);
  EXPECT_EQ(Int(GetTask(user, Str(task, "id")), "version"), 5);
}

TEST_F(TaskCrudTest, DeleteAnswers204ThenTheTaskIsGone) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, {{"title", "bye"}, {"tags", json::array{"gone"}}});
  const std::string url = "/api/tasks/" + Str(task, "id");
  const Response r = Delete(url, user.token);
  EXPECT_EQ(r.status, 204) << r.Describe();
  EXPECT_TRUE(r.body.empty());
  ExpectProblem(Get(url, user.token), 404, "not-found");
  ExpectProblem(Delete(url, user.token), 404, "not-found");
  ExpectProblem(Patch(url, {{"title", "x"}}, user.token), 404, "not-found");
  ExpectProblem(PostEmpty(url + "/complete", user.token), 404, "not-found");
  ExpectProblem(PostEmpty(url + "/reopen", user.token), 404, "not-found");
  const json::object list = ListTasks(user, {});
  EXPECT_EQ(Int(list, "total"), 0);
  const json::array tags = ListTags(user);
  ASSERT_EQ(tags.size(), 1u) << "the tag itself stays";
  EXPECT_EQ(Int(tags[0].as_object(), "task_count"), 0);
}

TEST_F(TaskCrudTest, EveryIdRouteAnswers404ForMalformedIds) {
  const TestUser user = NewUser();
  for (const std::string id :
       {"nope", "0190d1a2-0000-7000-8000-00000000000", "0190d1a2000070008000000000000000",
        "0190D1A2-0000-7000-8000-00000000000G"}) {
    SCOPED_TRACE(id);
    const std::string url = "/api/tasks/" + id;
    ExpectProblem(Get(url, user.token), 404, "not-found");
    ExpectProblem(Patch(url, {{"title", "x"}}, user.token), 404, "not-found");
    ExpectProblem(Delete(url, user.token), 404, "not-found");
    ExpectProblem(PostEmpty(url + "/complete", user.token), 404, "not-found");
    ExpectProblem(PostEmpty(url + "/reopen", user.token), 404, "not-found");
    ExpectProblem(Patch("/api/tags/" + id, {{"name", "x"}}, user.token), 404, "not-found");
    ExpectProblem(Delete("/api/tags/" + id, user.token), 404, "not-found");
  }
}

TEST_F(TaskCrudTest, TitleAndDescriptionLimitsCountCharactersNotBytes) {
  const TestUser user = NewUser();
  std::string title;
  for (int i = 0; i < 200; ++i) title += "é";
  EXPECT_EQ(Str(CreateTask(user, {{"title", title}}), "title"), title);
  std::string description;
  for (int i = 0; i < 10'000; ++i) description += "ü";
  EXPECT_EQ(Str(CreateTask(user, {{"title", "d"}, {"description", description}}), "description"),
            description);
  std::string tag;
  for (int i = 0; i < 50; ++i) tag += "ß";
  EXPECT_EQ(Strings(CreateTask(user, {{"title", "t"}, {"tags", json::array{tag}}}), "tags"),
            std::vector<std::string>{tag});
}

}  // namespace
}  // namespace taskflow::integration
