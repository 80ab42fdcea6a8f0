// Time through the API (issue 3): all-day tasks, recurrence (daily … cron,
// RRULE) with the next occurrence created on completion, across daylight-
// saving changes, month ends, until/count, and never twice.
//
// The server runs on the real clock, so due dates lie in 2030: completing
// "now" lands before them and the next occurrence follows the schedule.
#include <atomic>
#include <ctime>
#include <thread>
#include <vector>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class TimeTest : public ApiTest {
 protected:
  // POST /api/tasks/{id}/complete expecting 200; the completed task.
  static json::object Complete(const TestUser& user, const std::string& id) {
    const Response r = PostEmpty("/api/tasks/" + id + "/complete", user.token);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.json().as_object() : json::object{};
  }

  static json::object Reopen(const TestUser& user, const std::string& id) {
    const Response r = PostEmpty("/api/tasks/" + id + "/reopen", user.token);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.json().as_object() : json::object{};
  }

  // The user's pending tasks, by due date.
  static json::array Pending(const TestUser& user) {
    const json::object page =
        ListTasks(user, {{"status", "pending"}, {"sort_by", "due_at"}, {"sort_order", "asc"}});
    return page.contains("tasks") ? page.at("tasks").as_array() : json::array{};
  }

  // Completes the only pending task of `user` and answers the one that follows.
  static json::object CompleteAndGetNext(const TestUser& user) {
    const json::array before = Pending(user);
    EXPECT_EQ(before.size(), 1u) << json::serialize(before);
    if (before.size() != 1) return {};
    const std::string id = Str(before[0].as_object(), "id");
    const json::object done = Complete(user, id);
    EXPECT_EQ(Str(done, "id"), id) << "complete answers the completed task";
    EXPECT_EQ(Str(done, "status"), "completed");
    const json::array after = Pending(user);
    EXPECT_EQ(after.size(), 1u) << json::serialize(after);
    return after.size() == 1 ? after[0].as_object() : json::object{};
  }

  static json::object Recurrence(const json::object& task) {
    const json::value* value = task.if_contains("recurrence");
    if (value == nullptr || !value->is_object()) {
      ADD_FAILURE() << "no recurrence object: " << json::serialize(task);
      return {};
    }
    return value->as_object();
  }
};

std::string Seconds(const std::string& utc) { return utc.substr(0, 19); }

// ---- all-day ----

TEST_F(TimeTest, ADateWithoutTimeIsAllDayInTheTasksZone) {
  const TestUser user = NewUser();
  const json::object berlin = CreateTask(
      user, {{"title", "Pay taxes"}, {"due_at", "2030-06-15"}, {"timezone", "Europe/Berlin"}});
  EXPECT_EQ(berlin.at("all_day"), json::value(true));
  EXPECT_EQ(Seconds(Str(berlin, "due_at")), "2030-06-14T22:00:00") << "00:00 CEST";

  // The zone defaults to the owner's.
  ASSERT_EQ(Patch("/api/me", {{"timezone", "America/New_York"}}, user.token).status, 200);
  const json::object ny = CreateTask(user, {{"title", "Vote"}, {"due_at", "2030-11-05"}});
  EXPECT_EQ(Str(ny, "timezone"), "America/New_York");
  EXPECT_EQ(Seconds(Str(ny, "due_at")), "2030-11-05T05:00:00") << "00:00 EST";
  EXPECT_EQ(GetTask(user, Str(ny, "id")), ny);

  // A timed due date makes it timed; a date makes it all-day again.
  const std::string path = "/api/tasks/" + Str(berlin, "id");
  Response r = Patch(path, {{"due_at", "2030-06-15T10:00:00+02:00"}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json().at("all_day"), json::value(false));
  EXPECT_EQ(Seconds(Str(r.json().as_object(), "due_at")), "2030-06-15T08:00:00");
  r = Patch(path, {{"due_at", "2030-06-16"}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json().at("all_day"), json::value(true));
  EXPECT_EQ(Seconds(Str(r.json().as_object(), "due_at")), "2030-06-15T22:00:00");

  // Moving an all-day task to another zone keeps its date.
  r = Patch(path, {{"timezone", "Asia/Tokyo"}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(Seconds(Str(r.json().as_object(), "due_at")), "2030-06-15T15:00:00") << "00:00 JST";
  EXPECT_EQ(r.json().at("all_day"), json::value(true));
}

TEST_F(TimeTest, DueDatesAcceptAnyOffsetAndAnswerInUtc) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user, {{"title", "t"}, {"due_at", "2030-03-10T01:30:00-05:00"}, {"timezone", "UTC"}});
  EXPECT_EQ(Seconds(Str(task, "due_at")), "2030-03-10T06:30:00");
  EXPECT_EQ(task.at("all_day"), json::value(false));
  const json::object kathmandu =
      CreateTask(user, {{"title", "k"}, {"due_at", "2030-01-01T00:00:00+05:45"}});
  EXPECT_EQ(Seconds(Str(kathmandu, "due_at")), "2029-12-31T18:15:00");
}

// ---- recurrence ----

TEST_F(TimeTest, DailyAtNineStaysAtNineAcrossSpringForwardInBerlin) {
  const TestUser user = NewUser();
  // Clocks go forward in Europe on Sunday 31 March 2030.
  const json::object first = CreateTask(user, {{"title", "Stretch"},
                                               {"due_at", "2030-03-30T09:00:00+01:00"},
                                               {"timezone", "Europe/Berlin"},
                                               {"priority", "P2"},
                                               {"tags", json::array{"health"}},
                                               {"description", "ten minutes"},
                                               {"recurrence", {{"rule", "daily"}}}});
  const json::object recurrence = Recurrence(first);
  EXPECT_EQ(Str(recurrence, "rule"), "daily");
  EXPECT_EQ(Int(recurrence, "interval"), 1);
  EXPECT_EQ(Str(recurrence, "anchor"), "due");
  EXPECT_TRUE(IsNull(recurrence, "cron"));
  EXPECT_TRUE(IsNull(recurrence, "rrule"));
  EXPECT_TRUE(IsNull(recurrence, "until"));
  EXPECT_TRUE(IsNull(recurrence, "count"));
  EXPECT_FALSE(Str(recurrence, "text").empty());

  const json::object second = CompleteAndGetNext(user);
  EXPECT_EQ(Seconds(Str(second, "due_at")), "2030-03-31T07:00:00") << "09:00 CEST";
  EXPECT_NE(Str(second, "id"), Str(first, "id"));
  EXPECT_EQ(Str(second, "title"), "Stretch");
  EXPECT_EQ(Str(second, "description"), "ten minutes");
  EXPECT_EQ(Str(second, "priority"), "P2");
  EXPECT_EQ(Strings(second, "tags"), std::vector<std::string>{"health"});
  EXPECT_EQ(Str(second, "timezone"), "Europe/Berlin");
  EXPECT_EQ(Str(second, "recurrence_parent_id"), Str(first, "id"));
  EXPECT_EQ(Int(second, "version"), 1);
  EXPECT_EQ(Str(Recurrence(second), "rule"), "daily");

  const json::object third = CompleteAndGetNext(user);
  EXPECT_EQ(Seconds(Str(third, "due_at")), "2030-04-01T07:00:00");
  EXPECT_EQ(Str(third, "recurrence_parent_id"), Str(first, "id")) << "the series' first task";

  // The tag now has every occurrence.
  const json::array tags = ListTags(user);
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(Int(tags[0].as_object(), "task_count"), 3);
}

TEST_F(TimeTest, WeeklyKeepsLocalTimeAcrossFallBackInNewYork) {
  const TestUser user = NewUser();
  // New York falls back on Sunday 3 November 2030.
  CreateTask(user, {{"title", "Team sync"},
                    {"due_at", "2030-10-28T09:00:00-04:00"},
                    {"timezone", "America/New_York"},
                    {"recurrence", {{"rule", "weekly"}}}});
  const json::object next = CompleteAndGetNext(user);
  EXPECT_EQ(Seconds(Str(next, "due_at")), "2030-11-04T14:00:00") << "Monday 09:00 EST";
}

TEST_F(TimeTest, MonthlyOnThe31stLandsOnTheLastDayAndComesBack) {
  const TestUser user = NewUser();
  CreateTask(user, {{"title", "Invoice"},
                    {"due_at", "2030-01-31T09:00:00Z"},
                    {"timezone", "UTC"},
                    {"recurrence", {{"rule", "monthly"}}}});
  const json::object february = CompleteAndGetNext(user);
  EXPECT_EQ(Seconds(Str(february, "due_at")), "2030-02-28T09:00:00");
  const json::object march = CompleteAndGetNext(user);
  EXPECT_EQ(Seconds(Str(march, "due_at")), "2030-03-31T09:00:00");
  const json::object april = CompleteAndGetNext(user);
  EXPECT_EQ(Seconds(Str(april, "due_at")), "2030-04-30T09:00:00");
}

TEST_F(TimeTest, AllDayRecurrenceStaysAllDay) {
  const TestUser user = NewUser();
  CreateTask(user, {{"title", "Water plants"},
                    {"due_at", "2030-03-30"},
                    {"timezone", "Europe/Berlin"},
                    {"recurrence", {{"rule", "daily"}, {"interval", 2}}}});
  const json::object next = CompleteAndGetNext(user);
  EXPECT_EQ(next.at("all_day"), json::value(true));
  EXPECT_EQ(Seconds(Str(next, "due_at")), "2030-03-31T22:00:00") << "1 April, 00:00 CEST";
  EXPECT_EQ(Int(Recurrence(next), "interval"), 2);
}

TEST_F(TimeTest, CronAndRRuleSchedules) {
  const TestUser user = NewUser();
  const json::object cron =
      CreateTask(user, {{"title", "Standup"},
                        {"due_at", "2030-01-04T09:30:00Z"},  // a Friday
                        {"timezone", "UTC"},
                        {"recurrence", {{"rule", "cron"}, {"cron", "30  9 * * MON-FRI"}}}});
  EXPECT_EQ(Str(Recurrence(cron), "cron"), "30 9 * * MON-FRI") << "canonical spacing";
  EXPECT_TRUE(IsNull(Recurrence(cron), "rrule"));
  const json::object monday = CompleteAndGetNext(user);
  EXPECT_EQ(Seconds(Str(monday, "due_at")), "2030-01-07T09:30:00");

  const TestUser other = NewUser();
  const json::object rrule = CreateTask(
      other, {{"title", "Board meeting"},
              {"due_at", "2030-01-25T17:00:00Z"},  // the last Friday of January
              {"timezone", "UTC"},
              {"recurrence", {{"rule", "rrule"}, {"rrule", "rrule:freq=monthly;byday=-1fr"}}}});
  EXPECT_EQ(Str(Recurrence(rrule), "rrule"), "FREQ=MONTHLY;BYDAY=-1FR");
  const json::object february = CompleteAndGetNext(other);
  EXPECT_EQ(Seconds(Str(february, "due_at")), "2030-02-22T17:00:00");
}

TEST_F(TimeTest, CompletionAnchorCountsFromTheCompletion) {
  const TestUser user = NewUser();
  CreateTask(user,
             {{"title", "Refill"},
              {"due_at", "2030-01-01T09:00:00Z"},
              {"timezone", "UTC"},
              {"recurrence", {{"rule", "daily"}, {"interval", 2}, {"anchor", "completion"}}}});
  const std::string id = Str(Pending(user)[0].as_object(), "id");
  const json::object done = Complete(user, id);
  const json::array pending = Pending(user);
  ASSERT_EQ(pending.size(), 1u);
  // Two days after the day it was done, at 09:00.
  const std::string completed = Str(done, "completed_at");
  std::tm day{};
  day.tm_year = std::stoi(completed.substr(0, 4)) - 1900;
  day.tm_mon = std::stoi(completed.substr(5, 2)) - 1;
  day.tm_mday = std::stoi(completed.substr(8, 2)) + 2;
  const std::time_t t = timegm(&day);
  char expected[32];
  std::strftime(expected, sizeof expected, "%Y-%m-%dT09:00:00", std::gmtime(&t));
  EXPECT_EQ(Seconds(Str(pending[0].as_object(), "due_at")), expected);
}

TEST_F(TimeTest, UntilAndCountEndTheSeries) {
  const TestUser user = NewUser();
  CreateTask(user, {{"title", "Twice"},
                    {"due_at", "2030-05-01T09:00:00Z"},
                    {"recurrence", {{"rule", "daily"}, {"count", 2}}}});
  const json::object second = CompleteAndGetNext(user);
  EXPECT_EQ(Int(Recurrence(second), "count"), 2);
  Complete(user, Str(second, "id"));
  EXPECT_TRUE(Pending(user).empty()) << "the count is reached";

  const TestUser other = NewUser();
  CreateTask(other, {{"title", "Until"},
                     {"due_at", "2030-05-01T09:00:00Z"},
                     {"recurrence", {{"rule", "weekly"}, {"until", "2030-05-08T09:00:00Z"}}}});
  const json::object last = CompleteAndGetNext(other);
  EXPECT_EQ(Seconds(Str(last, "due_at")), "2030-05-08T09:00:00") << "until is inclusive";
  Complete(other, Str(last, "id"));
  EXPECT_TRUE(Pending(other).empty());
}

TEST_F(TimeTest, CompletingTwiceOrReopeningNeverCreatesTwoOccurrences) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user,
      {{"title", "Once"}, {"due_at", "2030-05-01T09:00:00Z"}, {"recurrence", {{"rule", "daily"}}}});
  const std::string id = Str(task, "id");
  const json::object done = Complete(user, id);
  EXPECT_EQ(Complete(user, id), done) << "completing again changes nothing";
  Reopen(user, id);
  Complete(user, id);
  Reopen(user, id);
  Complete(user, id);
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 2) << "the task and one next occurrence";
  EXPECT_EQ(Pending(user).size(), 1u);
}

TEST_F(TimeTest, ConcurrentCompletionsCreateOneOccurrence) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, {{"title", "Raced"},
                                              {"due_at", "2030-05-01T09:00:00Z"},
                                              {"recurrence", {{"rule", "daily"}}}});
  const std::string target = "/api/tasks/" + Str(task, "id") + "/complete";
  std::atomic<int> completed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      HttpClient http(server().base_url());
      const Response r = http.Send({.method = "POST", .target = target, .token = user.token});
      if (r.status == 200) ++completed;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(completed.load(), 6) << "completing is idempotent";
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 2) << "the task and one next occurrence";
}

TEST_F(TimeTest, ChangingTheRecurrence) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(user, {{"title", "t"}, {"due_at", "2030-05-01T09:00:00Z"}});
  EXPECT_TRUE(IsNull(task, "recurrence"));
  const std::string path = "/api/tasks/" + Str(task, "id");
  Response r = Patch(path, {{"recurrence", {{"rule", "yearly"}, {"text", "ignored"}}}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(Str(Recurrence(r.json().as_object()), "rule"), "yearly");
  EXPECT_EQ(Int(r.json().as_object(), "version"), 2);
  // Sending it back as read changes nothing.
  const json::value same = r.json().at("recurrence");
  r = Patch(path, {{"recurrence", same}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(Int(r.json().as_object(), "version"), 2);
  r = Patch(path, {{"recurrence", nullptr}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_TRUE(IsNull(r.json().as_object(), "recurrence"));
}

TEST_F(TimeTest, InvalidRecurrencesAreRefusedNamingTheField) {
  const TestUser user = NewUser();
  const auto create = [&](json::object recurrence, bool with_due = true) {
    json::object body{{"title", "t"}, {"recurrence", std::move(recurrence)}};
    if (with_due) body["due_at"] = "2030-05-01T09:00:00Z";
    return Post("/api/tasks", body, user.token);
  };
  Response r = create({{"rule", "cron"}, {"cron", "61 * * * *"}});
  ExpectProblem(r, 422, "validation", "recurrence.cron");
  EXPECT_NE(r.body.find("minute"), std::string::npos) << "the parser's reason: " << r.body;
  ExpectProblem(create({{"rule", "cron"}, {"cron", "0 9 * *"}}), 422, "validation",
                "recurrence.cron");
  ExpectProblem(create({{"rule", "cron"}}), 422, "validation", "recurrence.cron");
  r = create({{"rule", "rrule"}, {"rrule", "FREQ=MINUTELY"}});
  ExpectProblem(r, 422, "validation", "recurrence.rrule");
  EXPECT_NE(r.body.find("MINUTELY"), std::string::npos) << r.body;
  ExpectProblem(create({{"rule", "rrule"}, {"rrule", "FREQ=MONTHLY;BYMONTHDAY=32"}}), 422,
                "validation", "recurrence.rrule");
  ExpectProblem(create({{"rule", "daily"}}, /*with_due=*/false), 422, "validation", "recurrence");
  ExpectProblem(create({{"rule", "hourly"}}), 422, "validation", "recurrence.rule");
  ExpectProblem(create({{"interval", 2}}), 422, "validation", "recurrence.rule");
  ExpectProblem(create({{"rule", "daily"}, {"interval", 0}}), 422, "validation",
                "recurrence.interval");
  ExpectProblem(create({{"rule", "daily"}, {"count", 0}}), 422, "validation", "recurrence.count");
  ExpectProblem(create({{"rule", "daily"}, {"until", "soon"}}), 422, "validation",
                "recurrence.until");
  ExpectProblem(create({{"rule", "cron"}, {"cron", "0 9 * * *"}, {"anchor", "completion"}}), 422,
                "validation", "recurrence.anchor");
  ExpectProblem(
      Post("/api/tasks", {{"title", "t"}, {"due_at", "2030-05-01"}, {"recurrence", "daily"}},
           user.token),
      422, "validation", "recurrence");
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 0) << "nothing was created";

  // Removing the due date of a recurring task is refused too.
  const json::object task = CreateTask(
      user,
      {{"title", "t"}, {"due_at", "2030-05-01T09:00:00Z"}, {"recurrence", {{"rule", "daily"}}}});
  ExpectProblem(Patch("/api/tasks/" + Str(task, "id"), {{"due_at", nullptr}}, user.token), 422,
                "validation", "recurrence");
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

TEST_F(TimeTest, AnotherUsersRecurringTaskIsNeverAffected) {
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  const json::object task = CreateTask(alice, {{"title", "Alice's"},
                                               {"due_at", "2030-05-01T09:00:00Z"},
                                               {"recurrence", {{"rule", "daily"}}}});
  const std::string path = "/api/tasks/" + Str(task, "id");
  ExpectProblem(PostEmpty(path + "/complete", bob.token), 404, "not-found");
  ExpectProblem(PostEmpty(path + "/reopen", bob.token), 404, "not-found");
  ExpectProblem(Patch(path, {{"recurrence", nullptr}}, bob.token), 404, "not-found");
  EXPECT_EQ(GetTask(alice, Str(task, "id")), task);
  EXPECT_EQ(Int(ListTasks(alice, {}), "total"), 1);

  Complete(alice, Str(task, "id"));
  EXPECT_EQ(Int(ListTasks(bob, {}), "total"), 0) << "the next occurrence is Alice's";
  EXPECT_EQ(Int(ListTasks(alice, {}), "total"), 2);
}

}  // namespace
}  // namespace taskflow::integration
