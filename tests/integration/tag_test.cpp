// Tags: list with counts, create, rename, recolour, delete.
#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class TagTest : public ApiTest {
 protected:
  // The tag of this name in GET /api/tags (an empty object if absent).
  static json::object FindTag(const TestUser& user, std::string_view name) {
    for (const json::value& t : ListTags(user)) {
      if (Str(t.as_object(), "name") == name) return t.as_object();
    }
    return {};
  }
  static std::string Upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }
};

TEST_F(TagTest, AnEmptyListHasNoTags) {
  const TestUser user = NewUser();
  const Response r = Get("/api/tags", user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json(), json::parse(R"({"tags":[]})"));
}

TEST_F(TagTest, CreateAnswers201WithTheTag) {
  const TestUser user = NewUser();
  const Response r = Post("/api/tags", {{"name", "  Errands "}}, user.token);
  ASSERT_EQ(r.status, 201) << r.Describe();
  const json::object tag = r.json().as_object();
  EXPECT_EQ(Str(tag, "name"), "Errands");
  EXPECT_TRUE(IsNull(tag, "color"));
  EXPECT_EQ(Int(tag, "task_count"), 0);
  EXPECT_EQ(tag.size(), 4u) << json::serialize(tag);
  const json::object colored = CreateTag(user, {{"name", "Red"}, {"color", "#ff0000"}});
  EXPECT_EQ(Upper(Str(colored, "color")), "#FF0000");
  const json::array tags = ListTags(user);
  EXPECT_EQ(tags.size(), 2u);
  EXPECT_EQ(FindTag(user, "Errands"), tag);
  EXPECT_EQ(FindTag(user, "Red"), colored);
}

TEST_F(TagTest, NamesAreUniquePerUserCaseInsensitively) {
  const TestUser user = NewUser();
  CreateTag(user, {{"name", "Work"}});
  ExpectProblem(Post("/api/tags", {{"name", "work"}}, user.token), 409, "conflict");
  ExpectProblem(Post("/api/tags", {{"name", " WORK "}}, user.token), 409, "conflict");
  CreateTask(user, {{"title", "t"}, {"tags", json::array{"fromtask"}}});
  ExpectProblem(Post("/api/tags", {{"name", "FromTask"}}, user.token), 409, "conflict");
  EXPECT_EQ(ListTags(user).size(), 2u);
  // Another user may have the same name.
  const TestUser other = NewUser();
  EXPECT_EQ(Str(CreateTag(other, {{"name", "work"}}), "name"), "work");
}

TEST_F(TagTest, TaskCountCountsTheCallersTasksCarryingTheTag) {
  const TestUser user = NewUser();
  const std::string t1 =
      Str(CreateTask(user, {{"title", "1"}, {"tags", json::array{"home", "work"}}}), "id");
  CreateTask(user, {{"title", "2"}, {"tags", json::array{"home"}}});
  const std::string t3 =
      Str(CreateTask(user, {{"title", "3"}, {"tags", json::array{"Home"}}}), "id");
  ASSERT_EQ(PostEmpty("/api/tasks/" + t3 + "/complete", user.token).status, 200);
  EXPECT_EQ(Int(FindTag(user, "home"), "task_count"), 3) << "completed tasks count too";
  EXPECT_EQ(Int(FindTag(user, "work"), "task_count"), 1);
  ASSERT_EQ(Patch("/api/tasks/" + t1, {{"tags", json::array{"work"}}}, user.token).status, 200);
  EXPECT_EQ(Int(FindTag(user, "home"), "task_count"), 2);
  ASSERT_EQ(Delete("/api/tasks/" + t3, user.token).status, 204);
  EXPECT_EQ(Int(FindTag(user, "home"), "task_count"), 1);
  // Another user's tasks with a same-named tag never count.
  const TestUser other = NewUser();
  CreateTask(other, {{"title", "x"}, {"tags", json::array{"home"}}});
  CreateTask(other, {{"title", "y"}, {"tags", json::array{"home"}}});
  EXPECT_EQ(Int(FindTag(user, "home"), "task_count"), 1);
  EXPECT_EQ(Int(FindTag(other, "home"), "task_count"), 2);
}

TEST_F(TagTest, RenameRetagsEveryTaskAndBumpsTheirVersions) {
  const TestUser user = NewUser();
  const json::object tag = CreateTag(user, {{"name", "wrk"}, {"color", "#00FF00"}});
  const json::object a = CreateTask(user, {{"title", "a"}, {"tags", json::array{"wrk", "zeta"}}});
  const json::object b = CreateTask(user, {{"title", "b"}, {"tags", json::array{"wrk"}}});
  const json::object c = CreateTask(user, {{"title", "c"}, {"tags", json::array{"zeta"}}});
  const Response r = Patch("/api/tags/" + Str(tag, "id"), {{"name", "Work"}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json::object renamed = r.json().as_object();
  EXPECT_EQ(Str(renamed, "id"), Str(tag, "id"));
  EXPECT_EQ(Str(renamed, "name"), "Work");
  EXPECT_EQ(Upper(Str(renamed, "color")), "#00FF00");
  EXPECT_EQ(Int(renamed, "task_count"), 2);
  const json::object a2 = GetTask(user, Str(a, "id"));
  EXPECT_EQ(Strings(a2, "tags"), (std::vector<std::string>{"Work", "zeta"}));
  EXPECT_EQ(Int(a2, "version"), Int(a, "version") + 1);
  const Response b2 = Get("/api/tasks/" + Str(b, "id"), user.token);
  EXPECT_EQ(Strings(b2.json().as_object(), "tags"), std::vector<std::string>{"Work"});
  EXPECT_EQ(b2.header("etag").value_or(""), "\"2\"");
  EXPECT_EQ(GetTask(user, Str(c, "id")), c) << "a task without the tag is untouched";
  // Filtering follows the new name.
  const json::object list = ListTasks(user, {{"tag", "work"}});
  EXPECT_EQ(Int(list, "total"), 2);
  EXPECT_EQ(Int(ListTasks(user, {{"tag", "wrk"}}), "total"), 0);
}

TEST_F(TagTest, RenameToAnotherCaseOfItselfIsNotAClash) {
  const TestUser user = NewUser();
  const json::object tag = CreateTag(user, {{"name", "work"}});
  const Response r = Patch("/api/tags/" + Str(tag, "id"), {{"name", "WORK"}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(Str(r.json().as_object(), "name"), "WORK");
}

TEST_F(TagTest, RenameOntoAnotherTagIsAConflictAndChangesNothing) {
  const TestUser user = NewUser();
  const json::object work = CreateTag(user, {{"name", "work"}});
  CreateTag(user, {{"name", "home"}});
  const json::object task = CreateTask(user, {{"title", "t"}, {"tags", json::array{"work"}}});
  ExpectProblem(Patch("/api/tags/" + Str(work, "id"), {{"name", "Home"}}, user.token), 409,
                "conflict");
  ExpectProblem(
      Patch("/api/tags/" + Str(work, "id"), {{"name", "home"}, {"color", "#123456"}}, user.token),
      409, "conflict");
  EXPECT_EQ(FindTag(user, "work").at("color"), json::value(nullptr));
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

TEST_F(TagTest, ColorCanBeSetAndCleared) {
  const TestUser user = NewUser();
  const json::object tag = CreateTag(user, {{"name", "c"}});
  const json::object task = CreateTask(user, {{"title", "t"}, {"tags", json::array{"c"}}});
  const std::string url = "/api/tags/" + Str(tag, "id");
  const Response set = Patch(url, {{"color", "#AbCdEf"}}, user.token);
  ASSERT_EQ(set.status, 200) << set.Describe();
  EXPECT_EQ(Upper(Str(set.json().as_object(), "color")), "#ABCDEF");
  const Response cleared = Patch(url, {{"color", nullptr}}, user.token);
  ASSERT_EQ(cleared.status, 200) << cleared.Describe();
  EXPECT_TRUE(IsNull(cleared.json().as_object(), "color"));
  EXPECT_EQ(Int(GetTask(user, Str(task, "id")), "version"), 1) << "a colour is not part of a task";
  ExpectProblem(Patch(url, {{"color", "blue"}}, user.token), 422, "validation", "color");
  ExpectProblem(Patch(url, {{"name", ""}}, user.token), 422, "validation", "name");
  ExpectProblem(Patch(url, {{"name", nullptr}}, user.token), 422, "validation", "name");
  ExpectProblem(Patch(url, {{"name", std::string(51, 'x')}}, user.token), 422, "validation",
                "name");
  const Response unchanged = Patch(url, json::object{}, user.token);
  ASSERT_EQ(unchanged.status, 200) << unchanged.Describe();
  EXPECT_EQ(unchanged.json(), cleared.json());
}

TEST_F(TagTest, DeleteRemovesTheTagFromEveryTask) {
  const TestUser user = NewUser();
  const json::object a = CreateTask(user, {{"title", "a"}, {"tags", json::array{"old", "keep"}}});
  const json::object b = CreateTask(user, {{"title", "b"}, {"tags", json::array{"old"}}});
  const json::object c = CreateTask(user, {{"title", "c"}, {"tags", json::array{"keep"}}});
  const std::string id = Str(FindTag(user, "old"), "id");
  const Response r = Delete("/api/tags/" + id, user.token);
  EXPECT_EQ(r.status, 204) << r.Describe();
  const json::object a2 = GetTask(user, Str(a, "id"));
  EXPECT_EQ(Strings(a2, "tags"), std::vector<std::string>{"keep"});
  EXPECT_EQ(Int(a2, "version"), 2);
  const json::object b2 = GetTask(user, Str(b, "id"));
  EXPECT_TRUE(Strings(b2, "tags").empty());
  EXPECT_EQ(Int(b2, "version"), 2);
  EXPECT_EQ(GetTask(user, Str(c, "id")), c);
  EXPECT_TRUE(FindTag(user, "old").empty());
  EXPECT_EQ(ListTags(user).size(), 1u);
  EXPECT_EQ(Int(ListTasks(user, {{"tag", "old"}}), "total"), 0);
  ExpectProblem(Delete("/api/tags/" + id, user.token), 404, "not-found");
  ExpectProblem(Patch("/api/tags/" + id, {{"name", "x"}}, user.token), 404, "not-found");
  // The name is free again.
  const json::object again = CreateTask(user, {{"title", "d"}, {"tags", json::array{"old"}}});
  EXPECT_EQ(Strings(again, "tags"), std::vector<std::string>{"old"});
  EXPECT_NE(Str(FindTag(user, "old"), "id"), id);
}

TEST_F(TagTest, UnknownTagsAre404) {
  const TestUser user = NewUser();
  ExpectProblem(Patch("/api/tags/" + RandomUuid(), {{"name", "x"}}, user.token), 404, "not-found");
  ExpectProblem(Delete("/api/tags/" + RandomUuid(), user.token), 404, "not-found");
}

}  // namespace
}  // namespace taskflow::integration
