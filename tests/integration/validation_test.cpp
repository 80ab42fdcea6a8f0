// Bad input of every kind: malformed bodies, wrong types, out-of-range values,
// unknown enums, bad dates, oversized bodies, foreign media types and bad query
// parameters. Always a 4xx problem naming the field, never a 5xx, nothing
// half-written.
#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class ValidationTest : public ApiTest {
 protected:
  // Expects POST /api/tasks with `body` to answer 422 naming `field`, and to
  // leave the user without any task or tag.
  static void ExpectCreateRejected(const json::object& body, std::string_view field) {
    SCOPED_TRACE(json::serialize(body));
    const TestUser user = NewUser();
    ExpectProblem(Post("/api/tasks", body, user.token), 422, "validation", field);
    EXPECT_EQ(Int(ListTasks(user, {}), "total"), 0) << "a rejected create wrote a task";
    EXPECT_TRUE(ListTags(user).empty()) << "a rejected create wrote tags";
  }

  // Expects GET /api/tasks?params to answer 422 naming `field`.
  static void ExpectQueryRejected(const TestUser& user, const QueryParams& params,
                                  std::string_view field) {
    SCOPED_TRACE(WithQuery("/api/tasks", params));
    ExpectProblem(Get(WithQuery("/api/tasks", params), user.token), 422, "validation", field);
  }

  static std::string Repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  }
};

TEST_F(ValidationTest, MalformedJsonIsA400NamingTheBody) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "target");
  const std::string url = "/api/tasks/" + Str(task, "id");
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/tasks"},       {"PATCH", url},
      {"POST", "/api/tags"},        {"PATCH", "/api/me"},
      {"POST", "/api/auth/signup"}, {"POST", "/api/auth/login"}};
  for (const auto& [method, target] : routes) {
    for (const char* body : {"{", "{\"title\": }", "{\"title\":\"x\",}", "not json",
                             "{'title':'x'}", "{\"title\":\"x\"} trailing", "\xff\xfe"}) {
      SCOPED_TRACE(method + " " + target + " " + body);
      ExpectProblem(Send({.method = method, .target = target, .token = user.token, .body = body}),
                    400, "malformed-request", "body");
    }
  }
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

TEST_F(ValidationTest, ABodyThatIsNotAnObjectIsRejectedNamingTheBody) {
  const TestUser user = NewUser();
  for (const char* body : {"[]", "\"title\"", "42", "null", "true", ""}) {
    SCOPED_TRACE(body);
    const Response r =
        Send({.method = "POST", .target = "/api/tasks", .token = user.token, .body = body});
    EXPECT_TRUE(r.status == 400 || r.status == 422) << r.Describe();
    EXPECT_EQ(r.content_type, "application/problem+json");
    const std::vector<std::string> fields = ErrorFields(r);
    EXPECT_NE(std::find(fields.begin(), fields.end(), "body"), fields.end()) << r.Describe();
  }
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 0);
}

TEST_F(ValidationTest, TitleIsRequiredAndBounded) {
  ExpectCreateRejected({{"description", "no title"}}, "title");
  ExpectCreateRejected({{"title", ""}}, "title");
  ExpectCreateRejected({{"title", "   \t\n "}}, "title");
  ExpectCreateRejected({{"title", std::string(201, 'x')}}, "title");
  ExpectCreateRejected({{"title", Repeat("é", 201)}}, "title");
  ExpectCreateRejected({{"title", nullptr}}, "title");
  ExpectCreateRejected({{"title", 42}}, "title");
  ExpectCreateRejected({{"title", json::array{"x"}}}, "title");
  ExpectCreateRejected({{"title", json::object{{"text", "x"}}}}, "title");
  const TestUser user = NewUser();
  EXPECT_EQ(Str(CreateTask(user, {{"title", "  " + std::string(200, 'x') + "  "}}), "title").size(),
            200u)
      << "200 characters after trimming are fine";
}

TEST_F(ValidationTest, DescriptionIsBounded) {
  ExpectCreateRejected({{"title", "t"}, {"description", std::string(10'001, 'd')}}, "description");
  ExpectCreateRejected({{"title", "t"}, {"description", 5}}, "description");
  const TestUser user = NewUser();
  EXPECT_EQ(Str(CreateTask(user, {{"title", "t"}, {"description", std::string(10'000, 'd')}}),
                "description")
                .size(),
            10'000u);
}

TEST_F(ValidationTest, PriorityMustBeAKnownLevel) {
  for (const json::value& p : {json::value("P0"), json::value("P5"), json::value("p1"),
                               json::value("high"), json::value(""), json::value(1)}) {
    ExpectCreateRejected({{"title", "t"}, {"priority", p}}, "priority");
  }
  const TestUser user = NewUser();
  for (const char* p : {"P1", "P2", "P3", "P4"}) {
    EXPECT_EQ(Str(CreateTask(user, {{"title", "t"}, {"priority", p}}), "priority"), p);
  }
  EXPECT_TRUE(IsNull(CreateTask(user, {{"title", "t"}, {"priority", nullptr}}), "priority"));
}

// A date-time needs its offset; a bare date is the all-day form (time_test.cpp).
TEST_F(ValidationTest, DueDatesMustBeRfc3339InstantsOrDates) {
  for (const char* d : {"tomorrow", "", "2030-13-01T00:00:00Z", "2030-02-30T00:00:00Z",
                        "2030-01-01T25:00:00Z", "2030-01-01T10:61:00Z", "2030-02-30", "2030-1-01",
                        "0000-01-01", "10:00:00Z", "2030-01-01T10:00:00",
                        "2030-01-01T10:00:00+25:00", "01/02/2030", "2030-01-01 10:00:00 UTC"}) {
    ExpectCreateRejected({{"title", "t"}, {"due_at", d}}, "due_at");
  }
  ExpectCreateRejected({{"title", "t"}, {"due_at", 1893456000}}, "due_at");
}

TEST_F(ValidationTest, TimezoneMustBeAnIanaName) {
  for (const json::value& tz : {json::value("Mars/Olympus"), json::value("utc+2"), json::value(""),
                                json::value("Europe/../etc/passwd"), json::value(3)}) {
    ExpectCreateRejected({{"title", "t"}, {"timezone", tz}}, "timezone");
  }
  const TestUser user = NewUser();
  EXPECT_EQ(
      Str(CreateTask(user, {{"title", "t"}, {"timezone", "Australia/Lord_Howe"}}), "timezone"),
      "Australia/Lord_Howe");
}

TEST_F(ValidationTest, TagsAreBounded) {
  ExpectCreateRejected({{"title", "t"}, {"tags", "work"}}, "tags");
  ExpectCreateRejected({{"title", "t"}, {"tags", json::object{}}}, "tags");
  ExpectCreateRejected({{"title", "t"}, {"tags", nullptr}}, "tags");
  ExpectCreateRejected({{"title", "t"}, {"tags", json::array{"ok", 5}}}, "tags[1]");
  ExpectCreateRejected({{"title", "t"}, {"tags", json::array{"ok", ""}}}, "tags[1]");
  ExpectCreateRejected({{"title", "t"}, {"tags", json::array{"   "}}}, "tags[0]");
  ExpectCreateRejected({{"title", "t"}, {"tags", json::array{std::string(51, 'x')}}}, "tags[0]");
  json::array too_many;
  for (int i = 0; i < 51; ++i) too_many.emplace_back("tag" + std::to_string(i));
  ExpectCreateRejected({{"title", "t"}, {"tags", too_many}}, "tags");

  const TestUser user = NewUser();
  json::array fifty(too_many.begin(), too_many.begin() + 50);
  EXPECT_EQ(Strings(CreateTask(user, {{"title", "t"}, {"tags", fifty}}), "tags").size(), 50u);
  EXPECT_EQ(Strings(CreateTask(user, {{"title", "t"}, {"tags", json::array{std::string(50, 'y')}}}),
                    "tags")
                .size(),
            1u);
  // 51 spellings of the same tag are one tag.
  json::array same;
  for (int i = 0; i < 51; ++i) same.emplace_back(i % 2 == 0 ? "dup" : "DUP");
  EXPECT_EQ(Strings(CreateTask(user, {{"title", "t"}, {"tags", same}}), "tags"),
            std::vector<std::string>{"dup"});
}

TEST_F(ValidationTest, ReminderLeadIsBounded) {
  for (const json::value& m :
       {json::value(-1), json::value(525'601), json::value(1.5), json::value("10"),
        json::value(true), json::value(9'223'372'036'854'775'807LL)}) {
    ExpectCreateRejected({{"title", "t"}, {"remind_before_minutes", m}}, "remind_before_minutes");
  }
  const TestUser user = NewUser();
  EXPECT_EQ(Int(CreateTask(user, {{"title", "t"}, {"remind_before_minutes", 0}}),
                "remind_before_minutes"),
            0);
  EXPECT_EQ(Int(CreateTask(user, {{"title", "t"}, {"remind_before_minutes", 525'600}}),
                "remind_before_minutes"),
            525'600);
}

TEST_F(ValidationTest, EveryOffendingFieldIsNamed) {
  const TestUser user = NewUser();
  const Response r = Post("/api/tasks",
                          {{"title", ""},
                           {"priority", "P9"},
                           {"due_at", "soon"},
                           {"timezone", "Nowhere"},
                           {"remind_before_minutes", -5}},
                          user.token);
  for (const char* field : {"title", "priority", "due_at", "timezone", "remind_before_minutes"}) {
    ExpectProblem(r, 422, "validation", field);
  }
}

TEST_F(ValidationTest, ARejectedPatchChangesNothing) {
  const TestUser user = NewUser();
  const json::object task =
      CreateTask(user, {{"title", "stable"}, {"priority", "P2"}, {"tags", json::array{"keep"}}});
  const std::string url = "/api/tasks/" + Str(task, "id");
  for (const json::object& body :
       {json::object{{"title", ""}, {"tags", json::array{"new-tag"}}},
        json::object{{"priority", "P7"}, {"description", "changed"}},
        json::object{{"due_at", "2030-02-31T00:00:00Z"}, {"title", "changed"}},
        json::object{{"remind_before_minutes", 525'601}, {"priority", nullptr}},
        json::object{{"timezone", "Bad/Zone"}, {"title", "changed"}},
        json::object{{"tags", json::array{"ok", std::string(51, 'x')}}, {"title", "changed"}}}) {
    SCOPED_TRACE(json::serialize(body));
    const Response r = Patch(url, body, user.token);
    EXPECT_EQ(r.status, 422) << r.Describe();
  }
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
  const json::array tags = ListTags(user);
  ASSERT_EQ(tags.size(), 1u) << "no tag was created by a rejected patch: " << json::serialize(tags);
  EXPECT_EQ(Str(tags[0].as_object(), "name"), "keep");
}

TEST_F(ValidationTest, BodiesOverOneMebibyteAnswer413) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "target");
  // A valid JSON object of 1 MiB + 1 byte (an unknown field pads it).
  const std::string prefix = R"({"title":"big","padding":")";
  const std::string suffix = R"("})";
  const std::size_t limit = 1 << 20;
  const std::string too_big =
      prefix + std::string(limit + 1 - prefix.size() - suffix.size(), 'x') + suffix;
  ASSERT_EQ(too_big.size(), limit + 1);
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"POST", "/api/tasks"},
                                                        {"PATCH", "/api/tasks/" + Str(task, "id")},
                                                        {"POST", "/api/tags"},
                                                        {"PATCH", "/api/me"},
                                                        {"POST", "/api/auth/signup"}}) {
    SCOPED_TRACE(method + " " + target);
    ExpectProblem(Send({.method = method, .target = target, .token = user.token, .body = too_big}),
                  413, "payload-too-large");
  }
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 1);
  // Exactly 1 MiB is accepted (unknown fields are ignored).
  const std::string at_limit =
      prefix + std::string(limit - prefix.size() - suffix.size(), 'x') + suffix;
  ASSERT_EQ(at_limit.size(), limit);
  const Response ok =
      Send({.method = "POST", .target = "/api/tasks", .token = user.token, .body = at_limit});
  EXPECT_EQ(ok.status, 201) << ok.Describe();
}

TEST_F(ValidationTest, NonJsonMediaTypesAnswer415) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "target");
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/xml",
                           "multipart/form-data; boundary=x"}) {
    SCOPED_TRACE(type);
    ExpectProblem(Send({.method = "POST",
                        .target = "/api/tasks",
                        .token = user.token,
                        .body = R"({"title":"x"})",
                        .content_type = type}),
                  415, "unsupported-media-type");
    ExpectProblem(Send({.method = "PATCH",
                        .target = "/api/tasks/" + Str(task, "id"),
                        .token = user.token,
                        .body = R"({"title":"x"})",
                        .content_type = type}),
                  415, "unsupported-media-type");
    ExpectProblem(Send({.method = "POST",
                        .target = "/api/tags",
                        .token = user.token,
                        .body = R"({"name":"x"})",
                        .content_type = type}),
                  415, "unsupported-media-type");
  }
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 1);
  // JSON with parameters is JSON.
  const Response r = Send({.method = "POST",
                           .target = "/api/tasks",
                           .token = user.token,
                           .body = R"({"title":"x"})",
                           .content_type = "application/json; charset=utf-8"});
  EXPECT_EQ(r.status, 201) << r.Describe();
}

TEST_F(ValidationTest, EveryBadQueryParameterIsNamed) {
  const TestUser user = NewUser();
  ExpectQueryRejected(user, {{"status", "done"}}, "status");
  ExpectQueryRejected(user, {{"status", ""}}, "status");
  ExpectQueryRejected(user, {{"priority", "P5"}}, "priority");
  ExpectQueryRejected(user, {{"priority", "P1"}, {"priority", "urgent"}}, "priority");
  ExpectQueryRejected(user, {{"sort_by", "owner"}}, "sort_by");
  ExpectQueryRejected(user, {{"sort_by", "title;DROP TABLE tasks"}}, "sort_by");
  ExpectQueryRejected(user, {{"sort_order", "up"}}, "sort_order");
  ExpectQueryRejected(user, {{"offset", "-1"}}, "offset");
  ExpectQueryRejected(user, {{"offset", "abc"}}, "offset");
  ExpectQueryRejected(user, {{"offset", "1.5"}}, "offset");
  ExpectQueryRejected(user, {{"offset", "99999999999999999999999"}}, "offset");
  ExpectQueryRejected(user, {{"limit", "0"}}, "limit");
  ExpectQueryRejected(user, {{"limit", "101"}}, "limit");
  ExpectQueryRejected(user, {{"limit", "ten"}}, "limit");
  ExpectQueryRejected(user, {{"limit", ""}}, "limit");
  ExpectQueryRejected(user, {{"has_due_date", "maybe"}}, "has_due_date");
  ExpectQueryRejected(user, {{"due_after", "yesterday"}}, "due_after");
  ExpectQueryRejected(user, {{"due_before", "2030-02-30T00:00:00Z"}}, "due_before");
  ExpectQueryRejected(user, {{"q", std::string(201, 'q')}}, "q");
}

TEST_F(ValidationTest, SingleValuedQueryParametersGivenTwiceAre422) {
  const TestUser user = NewUser();
  ExpectQueryRejected(user, {{"status", "pending"}, {"status", "completed"}}, "status");
  ExpectQueryRejected(user, {{"limit", "5"}, {"limit", "5"}}, "limit");
  ExpectQueryRejected(user, {{"offset", "0"}, {"offset", "1"}}, "offset");
  ExpectQueryRejected(user, {{"sort_by", "title"}, {"sort_by", "title"}}, "sort_by");
  ExpectQueryRejected(user, {{"sort_order", "asc"}, {"sort_order", "desc"}}, "sort_order");
  ExpectQueryRejected(user, {{"q", "a"}, {"q", "b"}}, "q");
  ExpectQueryRejected(user, {{"has_due_date", "true"}, {"has_due_date", "true"}}, "has_due_date");
  ExpectQueryRejected(
      user, {{"due_after", "2030-01-01T00:00:00Z"}, {"due_after", "2030-01-01T00:00:00Z"}},
      "due_after");
  ExpectQueryRejected(
      user, {{"due_before", "2030-01-01T00:00:00Z"}, {"due_before", "2030-01-01T00:00:00Z"}},
      "due_before");
}

TEST_F(ValidationTest, SeveralBadParametersAreAllNamed) {
  const TestUser user = NewUser();
  const Response r =
      Get(WithQuery("/api/tasks",
                    {{"status", "x"}, {"limit", "0"}, {"sort_by", "y"}, {"priority", "P0"}}),
          user.token);
  for (const char* field : {"status", "limit", "sort_by", "priority"}) {
    ExpectProblem(r, 422, "validation", field);
  }
}

TEST_F(ValidationTest, BoundaryQueryValuesAndUnknownParametersAreAccepted) {
  const TestUser user = NewUser();
  const json::object list = ListTasks(user, {{"limit", "100"},
                                             {"offset", "0"},
                                             {"q", std::string(200, 'q')},
                                             {"whatever", "1"},
                                             {"tag", std::string(50, 't')}});
  EXPECT_EQ(Int(list, "limit"), 100);
  EXPECT_EQ(Int(list, "total"), 0);
  EXPECT_EQ(Int(ListTasks(user, {{"limit", "1"}}), "limit"), 1);
  EXPECT_EQ(Int(ListTasks(user, {{"has_due_date", "false"}}), "total"), 0);
  EXPECT_EQ(Int(ListTasks(user, {{"offset", "1000000"}}), "offset"), 1'000'000);
}

TEST_F(ValidationTest, TagBodiesAreValidated) {
  const TestUser user = NewUser();
  for (const json::object& body :
       {json::object{}, json::object{{"name", ""}}, json::object{{"name", "  "}},
        json::object{{"name", std::string(51, 'n')}}, json::object{{"name", 5}},
        json::object{{"name", nullptr}}}) {
    SCOPED_TRACE(json::serialize(body));
    ExpectProblem(Post("/api/tags", body, user.token), 422, "validation", "name");
  }
  for (const json::value& color :
       {json::value("red"), json::value("#12345"), json::value("#1234567"), json::value("#GGGGGG"),
        json::value("123456"), json::value(123456)}) {
    SCOPED_TRACE(json::serialize(color));
    ExpectProblem(Post("/api/tags", {{"name", "n"}, {"color", color}}, user.token), 422,
                  "validation", "color");
  }
  EXPECT_TRUE(ListTags(user).empty());
}

TEST_F(ValidationTest, MalformedIfMatchIsA400AndChangesNothing) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, "guarded");
  const std::string url = "/api/tasks/" + Str(task, "id");
  for (const char* value : {"1", "\"1", "**", "\"1\"x", "abc"}) {
    SCOPED_TRACE(value);
    ExpectProblem(Send({.method = "PATCH",
                        .target = url,
                        .token = user.token,
                        .body = R"({"title":"changed"})",
                        .headers = {std::string("If-Match: ") + value}}),
                  400, "malformed-request");
    ExpectProblem(Send({.method = "DELETE",
                        .target = url,
                        .token = user.token,
                        .headers = {std::string("If-Match: ") + value}}),
                  400, "malformed-request");
  }
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

}  // namespace
}  // namespace taskflow::integration
