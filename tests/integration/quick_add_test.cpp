// Natural-language quick add through the API (issue 3): POST /api/tasks/parse
// shows what a line says without creating anything, POST /api/tasks/quick
// creates the task; both read in the user's zone and date order.
#include <chrono>
#include <ctime>
#include <set>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

// Wednesday 18 November 2026, 10:00 in Berlin: the moment docs/quick-add.md
// uses in its examples.
constexpr const char* kNow = "2026-11-18T09:00:00Z";

class QuickAddTest : public ApiTest {
 protected:
  // POST /api/tasks/parse expecting 200; the whole answer.
  static json::object Parse(const TestUser& user, json::object body) {
    const Response r = Post("/api/tasks/parse", body, user.token);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.json().as_object() : json::object{};
  }

  // The parsed task of `text` read at kNow in `zone`.
  static json::object ParsedTask(const TestUser& user, std::string_view text,
                                 std::string_view zone = "Europe/Berlin") {
    const json::object answer = Parse(user, {{"text", text}, {"now", kNow}, {"timezone", zone}});
    return answer.contains("task") ? answer.at("task").as_object() : json::object{};
  }

  static std::string Due(const json::object& task) {
    if (IsNull(task, "due_at")) return "null";
    return Str(task, "due_at").substr(0, 19);
  }
};

TEST_F(QuickAddTest, ParseShowsTheTaskAndTheSpansAndCreatesNothing) {
  const TestUser user = NewUser();
  const std::string text =
      "pay rent every month on the 1st at 9am #home p1, remind me a day before";
  const json::object answer =
      Parse(user, {{"text", text}, {"now", kNow}, {"timezone", "Europe/Berlin"}});
  const json::object task = answer.at("task").as_object();
  EXPECT_EQ(Str(task, "title"), "pay rent");
  EXPECT_EQ(Str(task, "priority"), "P1");
  EXPECT_EQ(Strings(task, "tags"), std::vector<std::string>{"home"});
  EXPECT_EQ(Due(task), "2026-12-01T08:00:00") << "09:00 CET";
  EXPECT_EQ(task.at("all_day"), json::value(false));
  EXPECT_EQ(Str(task, "timezone"), "Europe/Berlin");
  const json::object recurrence = task.at("recurrence").as_object();
  EXPECT_EQ(Str(recurrence, "rule"), "monthly");
  EXPECT_FALSE(Str(recurrence, "text").empty());
  const json::array reminders = task.at("reminders").as_array();
  ASSERT_EQ(reminders.size(), 1u);
  EXPECT_EQ(Int(reminders[0].as_object(), "before_minutes"), 1440);
  EXPECT_EQ(Str(reminders[0].as_object(), "remind_at").substr(0, 19), "2026-11-30T08:00:00");

  std::set<std::string> kinds;
  for (const json::value& span : answer.at("spans").as_array()) {
    const json::object& s = span.as_object();
    kinds.insert(Str(s, "kind"));
    const auto start = static_cast<std::size_t>(Int(s, "start"));
    const auto end = static_cast<std::size_t>(Int(s, "end"));
    ASSERT_LE(start, end);
    ASSERT_LE(end, text.size());
    EXPECT_EQ(Str(s, "text"), text.substr(start, end - start));
  }
  EXPECT_TRUE(kinds.count("recurrence") && kinds.count("tag") && kinds.count("priority") &&
              kinds.count("reminder"))
      << json::serialize(answer);
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 0) << "parse creates nothing";
}

TEST_F(QuickAddTest, EverydayPhrasings) {
  const TestUser user = NewUser();
  struct Row {
    const char* text;
    const char* zone;
    const char* title;
    const char* due;  // UTC, to the second; "null" for none
    bool all_day;
  };
  const Row rows[] = {
      {"call mom tomorrow at 6pm", "Europe/Berlin", "call mom", "2026-11-19T17:00:00", false},
      {"call mom tomorrow at 6pm", "America/New_York", "call mom", "2026-11-19T23:00:00", false},
      {"submit report next friday", "Europe/Berlin", "submit report", "2026-11-26T23:00:00", true},
      {"water plants every other monday", "Europe/Berlin", "water plants", "2026-11-22T23:00:00",
       true},
      {"stand-up every weekday at 9:30", "Asia/Kathmandu", "stand-up", "2026-11-19T03:45:00",
       false},
      {"dinner tonight", "Australia/Lord_Howe", "dinner", "2026-11-18T09:00:00", false},
      {"budget review end of month", "Europe/Berlin", "budget review", "2026-11-29T23:00:00", true},
      {"buy 2 apples", "Europe/Berlin", "buy 2 apples", "null", false},
      {"meeting about may", "Europe/Berlin", "meeting about may", "null", false},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.text + std::string(" in ") + row.zone);
    const json::object task = ParsedTask(user, row.text, row.zone);
    EXPECT_EQ(Str(task, "title"), row.title);
    EXPECT_EQ(Due(task), row.due);
    EXPECT_EQ(task.at("all_day"), json::value(row.all_day));
    EXPECT_EQ(Str(task, "timezone"), row.zone);
  }
  const json::object every = ParsedTask(user, "every! 2 days stretch");
  EXPECT_EQ(Str(every.at("recurrence").as_object(), "anchor"), "completion");
  EXPECT_EQ(Int(every.at("recurrence").as_object(), "interval"), 2);
  const json::object weekday = ParsedTask(user, "stand-up every weekday at 9:30");
  EXPECT_EQ(Str(weekday.at("recurrence").as_object(), "rule"), "rrule");
}

TEST_F(QuickAddTest, NumericDatesFollowTheUsersDateOrder) {
  const TestUser user = NewUser();
  Response me = Get("/api/me", user.token);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(Str(me.json().as_object(), "date_order"), "MDY") << "the default";
  EXPECT_EQ(Due(ParsedTask(user, "dentist 3/12", "UTC")), "2027-03-12T00:00:00");

  me = Patch("/api/me", {{"date_order", "DMY"}}, user.token);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(Str(me.json().as_object(), "date_order"), "DMY");
  EXPECT_EQ(Due(ParsedTask(user, "dentist 3/12", "UTC")), "2026-12-03T00:00:00");

  ExpectProblem(Patch("/api/me", {{"date_order", "YMD"}}, user.token), 422, "validation",
                "date_order");
  ExpectProblem(Patch("/api/me", {{"date_order", 1}}, user.token), 422, "validation", "date_order");
}

TEST_F(QuickAddTest, ParseDefaultsToTheUsersZoneAndTheServersClock) {
  const TestUser user = NewUser();
  ASSERT_EQ(Patch("/api/me", {{"timezone", "Asia/Tokyo"}}, user.token).status, 200);
  const json::object zoned = Parse(user, {{"text", "ship it tomorrow"}, {"now", kNow}});
  EXPECT_EQ(Str(zoned.at("task").as_object(), "timezone"), "Asia/Tokyo");
  EXPECT_EQ(Due(zoned.at("task").as_object()), "2026-11-18T15:00:00") << "19 Nov, 00:00 JST";

  const auto before = std::chrono::system_clock::now();
  const json::object task = Parse(user, {{"text", "call bob in 2 hours"}}).at("task").as_object();
  const auto after = std::chrono::system_clock::now();
  EXPECT_EQ(Str(task, "title"), "call bob");
  // "in 2 hours" is now, to the minute, plus two hours.
  std::tm due{};
  const std::string text = Str(task, "due_at");
  ASSERT_GE(text.size(), 19u);
  due.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  due.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  due.tm_mday = std::stoi(text.substr(8, 2));
  due.tm_hour = std::stoi(text.substr(11, 2));
  due.tm_min = std::stoi(text.substr(14, 2));
  const auto due_at = std::chrono::system_clock::from_time_t(timegm(&due));
  EXPECT_GE(due_at, before + std::chrono::hours(2) - std::chrono::minutes(1));
  EXPECT_LE(due_at, after + std::chrono::hours(2));
}

TEST_F(QuickAddTest, QuickCreatesTheTask) {
  const TestUser user = NewUser();
  ASSERT_EQ(Patch("/api/me", {{"timezone", "Europe/Berlin"}}, user.token).status, 200);
  const Response r = Post(
      "/api/tasks/quick",
      {{"text", "Pay rent every month on the 1st at 9am #home @bills p2, remind me 1 day before"}},
      user.token);
  ASSERT_EQ(r.status, 201) << r.Describe();
  const json::object task = r.json().as_object();
  EXPECT_EQ(r.header("location").value_or(""), "/api/tasks/" + Str(task, "id"));
  EXPECT_EQ(r.header("etag").value_or(""), "\"1\"");
  EXPECT_EQ(Str(task, "title"), "Pay rent");
  EXPECT_EQ(Str(task, "priority"), "P2");
  EXPECT_EQ(Strings(task, "tags"), (std::vector<std::string>{"bills", "home"}));
  EXPECT_EQ(Str(task, "timezone"), "Europe/Berlin");
  EXPECT_EQ(Str(task.at("recurrence").as_object(), "rule"), "monthly");
  EXPECT_EQ(Int(task, "remind_before_minutes"), 1440);
  EXPECT_TRUE(Str(task, "due_at").find("T08:00:00") != std::string::npos ||
              Str(task, "due_at").find("T07:00:00") != std::string::npos)
      << "09:00 in Berlin: " << Str(task, "due_at");
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
  EXPECT_EQ(ListTags(user).size(), 2u) << "unknown tags are created";

  const Response all_day =
      Post("/api/tasks/quick", {{"text", "renew passport on dec 3"}}, user.token);
  ASSERT_EQ(all_day.status, 201) << all_day.Describe();
  EXPECT_EQ(all_day.json().at("all_day"), json::value(true));
  EXPECT_EQ(Str(all_day.json().as_object(), "title"), "renew passport");
  EXPECT_NE(Str(all_day.json().as_object(), "due_at").find("-12-02T23:00:00"), std::string::npos)
      << all_day.Describe();

  const Response plain = Post("/api/tasks/quick", {{"text", "read chapter 3"}}, user.token);
  ASSERT_EQ(plain.status, 201) << plain.Describe();
  EXPECT_TRUE(IsNull(plain.json().as_object(), "due_at")) << "it never invents a date";
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 3);
}

TEST_F(QuickAddTest, BadInputAnswersProblems) {
  const TestUser user = NewUser();
  for (const char* route : {"/api/tasks/parse", "/api/tasks/quick"}) {
    SCOPED_TRACE(route);
    ExpectProblem(Post(route, json::object{}, user.token), 422, "validation", "text");
    ExpectProblem(Post(route, {{"text", ""}}, user.token), 422, "validation", "text");
    ExpectProblem(Post(route, {{"text", "   "}}, user.token), 422, "validation", "text");
    ExpectProblem(Post(route, {{"text", 5}}, user.token), 422, "validation", "text");
    ExpectProblem(Post(route, {{"text", std::string(2001, 'a')}}, user.token), 422, "validation",
                  "text");
    ExpectProblem(Send({.method = "POST", .target = route, .token = user.token, .body = "{"}), 400,
                  "malformed-request", "body");
    ExpectProblem(Send({.method = "POST",
                        .target = route,
                        .token = user.token,
                        .body = R"({"text":"x"})",
                        .content_type = "text/plain"}),
                  415, "unsupported-media-type");
    ExpectProblem(Post(route, {{"text", "x"}}, std::nullopt), 401, "unauthenticated");
  }
  const Response longest = Post("/api/tasks/parse", {{"text", std::string(2000, 'a')}}, user.token);
  EXPECT_EQ(longest.status, 200) << "2000 bytes are allowed";
  ExpectProblem(Post("/api/tasks/parse", {{"text", "x"}, {"timezone", "Mars/Base"}}, user.token),
                422, "validation", "timezone");
  ExpectProblem(Post("/api/tasks/parse", {{"text", "x"}, {"now", "yesterday"}}, user.token), 422,
                "validation", "now");
  ExpectProblem(Post("/api/tasks/quick", {{"text", "tomorrow 5pm"}}, user.token), 422, "validation",
                "text");
  ExpectProblem(
      Post("/api/tasks/quick", {{"text", std::string(250, 'a') + " tomorrow"}}, user.token), 422,
      "validation", "text");
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 0) << "nothing was created";
}

TEST_F(QuickAddTest, QuickTasksBelongToTheirAuthorOnly) {
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  const Response r = Post("/api/tasks/quick", {{"text", "secret plan #private"}}, alice.token);
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(Int(ListTasks(bob, {}), "total"), 0);
  EXPECT_TRUE(ListTags(bob).empty());
  ExpectProblem(Get("/api/tasks/" + Str(r.json().as_object(), "id"), bob.token), 404, "not-found");
}

}  // namespace
}  // namespace taskflow::integration
