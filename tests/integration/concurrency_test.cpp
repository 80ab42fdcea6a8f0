// Optimistic concurrency: ETag carries the version; PATCH and DELETE honour
// If-Match, so two clients never silently overwrite each other.
#include <thread>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class ConcurrencyTest : public ApiTest {
 protected:
  static Response PatchIf(const std::string& url, const std::string& if_match,
                          const json::object& body, const TestUser& user) {
    return Send({.method = "PATCH",
                 .target = url,
                 .token = user.token,
                 .body = json::serialize(body),
                 .headers = {"If-Match: " + if_match}});
  }
  static Response DeleteIf(const std::string& url, const std::string& if_match,
                           const TestUser& user) {
    return Send({.method = "DELETE",
                 .target = url,
                 .token = user.token,
                 .headers = {"If-Match: " + if_match}});
  }
};

TEST_F(ConcurrencyTest, PatchWithTheCurrentVersionSucceeds) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "v1");
  const std::string url = "/api/tasks/" + Str(task, "id");
  const Response r = PatchIf(url, "\"1\"", {{"title", "v2"}}, user);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.header("etag").value_or(""), "\"2\"");
  EXPECT_EQ(Int(r.json().as_object(), "version"), 2);
}

TEST_F(ConcurrencyTest, PatchWithAStaleVersionIs412AndChangesNothing) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, {{"title", "v1"}, {"tags", json::array{"t"}}});
  const std::string url = "/api/tasks/" + Str(task, "id");
  ASSERT_EQ(PatchIf(url, "\"1\"", {{"title", "v2"}}, user).status, 200);
  const json::object current = GetTask(user, Str(task, "id"));
  ExpectProblem(
      PatchIf(url, "\"1\"", {{"title", "lost update"}, {"tags", json::array{"new"}}}, user), 412,
      "precondition-failed");
  ExpectProblem(PatchIf(url, "\"3\"", {{"title", "from the future"}}, user), 412,
                "precondition-failed");
  EXPECT_EQ(GetTask(user, Str(task, "id")), current);
  EXPECT_EQ(ListTags(user).size(), 1u) << "a refused patch created a tag";
}

TEST_F(ConcurrencyTest, AStarMatchesAnyVersion) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "any");
  const std::string url = "/api/tasks/" + Str(task, "id");
  ASSERT_EQ(Patch(url, {{"title", "v2"}}, user.token).status, 200);
  const Response r = PatchIf(url, "*", {{"title", "v3"}}, user);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(Int(r.json().as_object(), "version"), 3);
  EXPECT_EQ(DeleteIf(url, "*", user).status, 204);
}

TEST_F(ConcurrencyTest, DeleteHonoursIfMatch) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "del");
  const std::string url = "/api/tasks/" + Str(task, "id");
  ASSERT_EQ(Patch(url, {{"title", "del2"}}, user.token).status, 200);
  ExpectProblem(DeleteIf(url, "\"1\"", user), 412, "precondition-failed");
  EXPECT_EQ(Int(GetTask(user, Str(task, "id")), "version"), 2) << "still there";
  const Response r = DeleteIf(url, "\"2\"", user);
  EXPECT_EQ(r.status, 204) << r.Describe();
  ExpectProblem(Get(url, user.token), 404, "not-found");
}

TEST_F(ConcurrencyTest, EverySingleTaskAnswerCarriesItsVersionAsETag) {
  const TestUser user = NewUser();
  const Response created = Post("/api/tasks", {{"title", "etag"}}, user.token);
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.header("etag").value_or(""), "\"1\"");
  const std::string url = "/api/tasks/" + Str(created.json().as_object(), "id");
  EXPECT_EQ(Get(url, user.token).header("etag").value_or(""), "\"1\"");
  EXPECT_EQ(Patch(url, {{"title", "etag2"}}, user.token).header("etag").value_or(""), "\"2\"");
  EXPECT_EQ(PostEmpty(url + "/complete", user.token).header("etag").value_or(""), "\"3\"");
  EXPECT_EQ(PostEmpty(url + "/reopen", user.token).header("etag").value_or(""), "\"4\"");
  EXPECT_EQ(Get(url, user.token).header("etag").value_or(""), "\"4\"");
  // A no-op answer still carries the (unchanged) version.
  EXPECT_EQ(Patch(url, json::object{}, user.token).header("etag").value_or(""), "\"4\"");
}

TEST_F(ConcurrencyTest, OfTwoWritersWithTheSameVersionExactlyOneWins) {
  const TestUser user = NewUser();
  for (int round = 0; round < 10; ++round) {
    const json::object task = CreateTask(user, "race " + std::to_string(round));
    const std::string url = "/api/tasks/" + Str(task, "id");
    long status[2] = {0, 0};
    std::string title[2] = {"writer A", "writer B"};
    std::vector<std::thread> writers;
    for (int w = 0; w < 2; ++w) {
      writers.emplace_back([&, w] {
        HttpClient own(server().base_url());
        status[w] = own.Send({.method = "PATCH",
                              .target = url,
                              .token = user.token,
                              .body = json::serialize(json::object{{"title", title[w]}}),
                              .headers = {"If-Match: \"1\""}})
                        .status;
      });
    }
    for (auto& t : writers) t.join();
    SCOPED_TRACE("round " + std::to_string(round));
    EXPECT_EQ(std::count(std::begin(status), std::end(status), 200), 1)
        << status[0] << " " << status[1];
    EXPECT_EQ(std::count(std::begin(status), std::end(status), 412), 1)
        << status[0] << " " << status[1];
    const json::object final_task = GetTask(user, Str(task, "id"));
    EXPECT_EQ(Int(final_task, "version"), 2);
    EXPECT_EQ(Str(final_task, "title"), title[status[0] == 200 ? 0 : 1]);
  }
}

TEST_F(ConcurrencyTest, ConcurrentWritesAreAllApplied) {
  // Eight clients complete/patch distinct tasks and add tags at once: nothing is lost.
  const TestUser user = NewUser();
  std::vector<std::string> ids;
  for (int i = 0; i < 16; ++i)
    ids.push_back(Str(CreateTask(user, "task " + std::to_string(i)), "id"));
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&, w] {
      HttpClient own(server().base_url());
      for (int i = w; i < 16; i += 8) {
        const std::string url = "/api/tasks/" + ids[i];
        if (own.Send({.method = "PATCH",
                      .target = url,
                      .token = user.token,
                      .body = json::serialize(json::object{
                          {"tags", json::array{"shared", "own" + std::to_string(i)}}})})
                .status != 200) {
          ++failures;
        }
        if (own.Send({.method = "POST", .target = url + "/complete", .token = user.token}).status !=
            200)
          ++failures;
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Int(ListTasks(user, {{"status", "completed"}}), "total"), 16);
  EXPECT_EQ(Int(ListTasks(user, {{"tag", "shared"}}), "total"), 16);
  const json::array tags = ListTags(user);
  EXPECT_EQ(tags.size(), 17u) << "one 'shared' tag, not one per writer: " << json::serialize(tags);
  for (const json::value& t : tags) {
    if (Str(t.as_object(), "name") == "shared") {
      EXPECT_EQ(Int(t.as_object(), "task_count"), 16);
    }
  }
}

TEST_F(ConcurrencyTest, TheFirstUsesOfANewTokenAtOnceCreateOneProfile) {
  for (int round = 0; round < 5; ++round) {
    const TestUser user = NewUser();
    std::vector<long> status(8, 0);
    std::vector<std::thread> clients;
    for (std::size_t c = 0; c < status.size(); ++c) {
      clients.emplace_back([&, c] {
        HttpClient own(server().base_url());
        const Request request = c % 2 == 0
                                    ? Request{.target = "/api/me", .token = user.token}
                                    : Request{.method = "POST",
                                              .target = "/api/tasks",
                                              .token = user.token,
                                              .body = R"({"title":"first","tags":["first"]})"};
        status[c] = own.Send(request).status;
      });
    }
    for (auto& t : clients) t.join();
    for (std::size_t c = 0; c < status.size(); ++c) {
      EXPECT_EQ(status[c], c % 2 == 0 ? 200 : 201) << "round " << round << " client " << c;
    }
    EXPECT_EQ(Int(ListTasks(user, {}), "total"), 4);
    const json::array tags = ListTags(user);
    ASSERT_EQ(tags.size(), 1u) << json::serialize(tags);
    EXPECT_EQ(Int(tags[0].as_object(), "task_count"), 4);
  }
}

TEST_F(ConcurrencyTest, SimultaneousSignupsWithOneEmailCreateOneAccount) {
  const std::string email = "race-" + RandomUuid() + "@example.com";
  std::vector<long> status(6, 0);
  std::vector<std::thread> clients;
  for (std::size_t c = 0; c < status.size(); ++c) {
    clients.emplace_back([&, c] {
      HttpClient own(server().base_url());
      status[c] = own.Send({.method = "POST",
                            .target = "/api/auth/signup",
                            .body = json::serialize(json::object{
                                {"email", email}, {"password", "password-" + std::to_string(c)}})})
                      .status;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(std::count(status.begin(), status.end(), 201), 1);
  EXPECT_EQ(std::count(status.begin(), status.end(), 409), 5);
  const auto winner = std::find(status.begin(), status.end(), 201) - status.begin();
  EXPECT_EQ(
      Post("/api/auth/login",
           {{"email", email}, {"password", "password-" + std::to_string(winner)}}, std::nullopt)
          .status,
      200);
}

}  // namespace
}  // namespace taskflow::integration
