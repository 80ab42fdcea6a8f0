// Reminders through the API (issue 3): several per task, relative or
// absolute, planned from the due date, re-planned when it moves, cancelled on
// completion, re-armed on reopening, carried to the next occurrence, and the
// seed's remind_before_minutes shorthand.
#include <regex>
#include <thread>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

class RemindersTest : public ApiTest {
 protected:
  static json::array Reminders(const json::object& task) {
    const json::value* value = task.if_contains("reminders");
    if (value == nullptr || !value->is_array()) {
      ADD_FAILURE() << "no reminders array: " << json::serialize(task);
      return {};
    }
    return value->as_array();
  }

  static json::object Reminder(const json::object& task, std::size_t i) {
    const json::array reminders = Reminders(task);
    if (i >= reminders.size()) {
      ADD_FAILURE() << "no reminder " << i << ": " << json::serialize(task);
      return {};
    }
    return reminders[i].as_object();
  }

  static std::string RemindAt(const json::object& task, std::size_t i) {
    const json::object reminder = Reminder(task, i);
    if (IsNull(reminder, "remind_at")) return "null";
    return Str(reminder, "remind_at").substr(0, 19);
  }

  static json::object PatchOk(const TestUser& user, const json::object& task, json::object body) {
    const Response r = Patch("/api/tasks/" + Str(task, "id"), body, user.token);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.json().as_object() : json::object{};
  }

  static json::object Action(const TestUser& user, const json::object& task,
                             std::string_view action) {
    const Response r =
        PostEmpty("/api/tasks/" + Str(task, "id") + "/" + std::string(action), user.token);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.json().as_object() : json::object{};
  }
};

TEST_F(RemindersTest, RelativeAndAbsoluteRemindersArePlanned) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user, {{"title", "Call the bank"},
             {"due_at", "2030-01-10T09:00:00Z"},
             {"reminders",
              json::array{{{"before_minutes", 30}}, {{"at", "2030-01-09T18:00:00+01:00"}}}}});
  const json::array reminders = Reminders(task);
  ASSERT_EQ(reminders.size(), 2u);
  const json::object relative = reminders[0].as_object();
  EXPECT_TRUE(std::regex_match(Str(relative, "id"), kUuid)) << Str(relative, "id");
  EXPECT_EQ(Int(relative, "before_minutes"), 30);
  EXPECT_TRUE(IsNull(relative, "at"));
  EXPECT_EQ(RemindAt(task, 0), "2030-01-10T08:30:00");
  EXPECT_TRUE(IsNull(relative, "sent_at"));
  EXPECT_EQ(relative.size(), 5u);
  const json::object absolute = reminders[1].as_object();
  EXPECT_TRUE(IsNull(absolute, "before_minutes"));
  EXPECT_EQ(Str(absolute, "at").substr(0, 19), "2030-01-09T17:00:00");
  EXPECT_EQ(RemindAt(task, 1), "2030-01-09T17:00:00");
  EXPECT_NE(Str(relative, "id"), Str(absolute, "id"));
  EXPECT_EQ(Int(task, "remind_before_minutes"), 30) << "the first relative lead";
  EXPECT_EQ(task.at("reminder_sent"), json::value(false));
  EXPECT_EQ(GetTask(user, Str(task, "id")), task);
}

TEST_F(RemindersTest, AllDayRemindersCountBackFromNineLocal) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user, {{"title", "Birthday"},
             {"due_at", "2030-06-15"},
             {"timezone", "Europe/Berlin"},
             {"reminders", json::array{{{"before_minutes", 60}}, {{"before_minutes", 0}}}}});
  EXPECT_EQ(RemindAt(task, 0), "2030-06-15T06:00:00") << "08:00 CEST";
  EXPECT_EQ(RemindAt(task, 1), "2030-06-15T07:00:00") << "09:00 CEST";
  EXPECT_EQ(Int(task, "remind_before_minutes"), 60);
}

TEST_F(RemindersTest, ARelativeReminderWaitsForADueDate) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user, {{"title", "Someday"}, {"reminders", json::array{{{"before_minutes", 10}}}}});
  EXPECT_EQ(RemindAt(task, 0), "null");
  const json::object dated = PatchOk(user, task, {{"due_at", "2030-02-01T12:00:00Z"}});
  EXPECT_EQ(RemindAt(dated, 0), "2030-02-01T11:50:00");
  EXPECT_EQ(Str(Reminder(dated, 0), "id"), Str(Reminder(task, 0), "id")) << "the same reminder";
}

TEST_F(RemindersTest, MovingTheDueDateReplansRelativeRemindersOnly) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user,
      {{"title", "Dentist"},
       {"due_at", "2030-01-10T09:00:00Z"},
       {"reminders", json::array{{{"before_minutes", 1440}}, {{"at", "2030-01-01T08:00:00Z"}}}}});
  const json::object moved = PatchOk(user, task, {{"due_at", "2030-01-12T15:00:00+01:00"}});
  EXPECT_EQ(RemindAt(moved, 0), "2030-01-11T14:00:00");
  EXPECT_EQ(RemindAt(moved, 1), "2030-01-01T08:00:00") << "an absolute reminder stays";
  EXPECT_EQ(Reminders(moved).size(), 2u);
  EXPECT_EQ(Str(Reminder(moved, 0), "id"), Str(Reminder(task, 0), "id"));
  EXPECT_EQ(Int(moved, "version"), 2);
  // Another zone moves nothing for a timed task.
  const json::object zoned = PatchOk(user, moved, {{"timezone", "Asia/Kathmandu"}});
  EXPECT_EQ(RemindAt(zoned, 0), "2030-01-11T14:00:00");
}

TEST_F(RemindersTest, CompletingCancelsAndReopeningRearms) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user,
      {{"title", "Renew passport"},
       {"due_at", "2030-01-10T09:00:00Z"},
       {"reminders", json::array{{{"before_minutes", 60}}, {{"at", "2030-01-05T09:00:00Z"}}}}});
  const json::object done = Action(user, task, "complete");
  EXPECT_EQ(RemindAt(done, 0), "null") << "cancelled";
  EXPECT_EQ(RemindAt(done, 1), "null");
  EXPECT_EQ(Reminders(done).size(), 2u) << "the reminders stay on the task";
  EXPECT_EQ(GetTask(user, Str(task, "id")), done);

  const json::object reopened = Action(user, task, "reopen");
  EXPECT_EQ(RemindAt(reopened, 0), "2030-01-10T08:00:00") << "still ahead: armed again";
  EXPECT_EQ(RemindAt(reopened, 1), "2030-01-05T09:00:00");
  EXPECT_EQ(Str(Reminder(reopened, 0), "id"), Str(Reminder(task, 0), "id"));

  // A moment already past is a missed reminder: the notification service
  // fires it at once; completing and reopening then keep it as sent (it
  // never fires twice). That a moment passed while the task was done stays
  // cancelled on reopening is checked without a running scheduler in
  // task_time_service_test.cpp.
  const json::object past = CreateTask(user, {{"title", "Old"},
                                              {"due_at", "2001-01-01T09:00:00Z"},
                                              {"reminders", json::array{{{"before_minutes", 5}}}}});
  EXPECT_EQ(RemindAt(past, 0), "2001-01-01T08:55:00");
  json::object fired;
  for (int i = 0; i < 200; ++i) {
    fired = GetTask(user, Str(past, "id"));
    if (!IsNull(Reminder(fired, 0), "sent_at")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_FALSE(IsNull(Reminder(fired, 0), "sent_at")) << json::serialize(fired);
  Action(user, past, "complete");
  const json::object reopened_past = Action(user, past, "reopen");
  EXPECT_EQ(RemindAt(reopened_past, 0), "2001-01-01T08:55:00");
  EXPECT_EQ(Reminder(reopened_past, 0).at("sent_at"), Reminder(fired, 0).at("sent_at"));

  ASSERT_EQ(Delete("/api/tasks/" + Str(task, "id"), user.token).status, 204);
  ExpectProblem(Get("/api/tasks/" + Str(task, "id"), user.token), 404, "not-found");
}

TEST_F(RemindersTest, TheNextOccurrenceGetsItsOwnReminders) {
  const TestUser user = NewUser();
  const json::object first = CreateTask(
      user,
      {{"title", "Pay rent"},
       {"due_at", "2030-01-01T09:00:00+01:00"},
       {"timezone", "Europe/Berlin"},
       {"recurrence", {{"rule", "monthly"}}},
       {"reminders", json::array{{{"before_minutes", 1440}}, {{"at", "2029-12-30T12:00:00Z"}}}}});
  Action(user, first, "complete");
  const json::object page = ListTasks(user, {{"status", "pending"}});
  ASSERT_EQ(Int(page, "total"), 1) << json::serialize(page);
  const json::object next = page.at("tasks").at(0).as_object();
  EXPECT_EQ(Str(next, "due_at").substr(0, 19), "2030-02-01T08:00:00");
  const json::array reminders = Reminders(next);
  ASSERT_EQ(reminders.size(), 1u) << "the lead carries over, the absolute reminder does not";
  EXPECT_EQ(Int(reminders[0].as_object(), "before_minutes"), 1440);
  EXPECT_EQ(RemindAt(next, 0), "2030-01-31T08:00:00");
  EXPECT_NE(Str(reminders[0].as_object(), "id"), Str(Reminder(first, 0), "id"));
  EXPECT_EQ(Int(next, "remind_before_minutes"), 1440);
}

TEST_F(RemindersTest, RemindBeforeMinutesIsTheShorthand) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user, {{"title", "t"}, {"due_at", "2030-03-01T10:00:00Z"}, {"remind_before_minutes", 15}});
  ASSERT_EQ(Reminders(task).size(), 1u);
  EXPECT_EQ(Int(Reminder(task, 0), "before_minutes"), 15);
  EXPECT_EQ(RemindAt(task, 0), "2030-03-01T09:45:00");
  EXPECT_EQ(Int(task, "remind_before_minutes"), 15);

  // Setting it sets the list to that one relative reminder.
  json::object changed = PatchOk(user, task,
                                 {{"reminders", json::array{{{"at", "2030-02-01T00:00:00Z"}},
                                                            {{"before_minutes", 5}},
                                                            {{"before_minutes", 90}}}}});
  EXPECT_EQ(Int(changed, "remind_before_minutes"), 5) << "the first relative lead";
  changed = PatchOk(user, changed, {{"remind_before_minutes", 45}});
  ASSERT_EQ(Reminders(changed).size(), 1u);
  EXPECT_EQ(Int(Reminder(changed, 0), "before_minutes"), 45);
  EXPECT_EQ(RemindAt(changed, 0), "2030-03-01T09:15:00");
  changed = PatchOk(user, changed, {{"remind_before_minutes", nullptr}});
  EXPECT_TRUE(Reminders(changed).empty());
  EXPECT_TRUE(IsNull(changed, "remind_before_minutes"));
  EXPECT_EQ(changed.at("reminder_sent"), json::value(false));
  changed = PatchOk(user, changed, {{"remind_before_minutes", 45}});
  // Only absolute reminders: no lead to show.
  changed = PatchOk(user, changed, {{"reminders", json::array{{{"at", "2030-02-01T00:00:00Z"}}}}});
  EXPECT_TRUE(IsNull(changed, "remind_before_minutes"));
}

TEST_F(RemindersTest, SendingRemindersBackAsReadChangesNothing) {
  const TestUser user = NewUser();
  const json::object task = CreateTask(
      user,
      {{"title", "t"},
       {"due_at", "2030-03-01T10:00:00Z"},
       {"reminders", json::array{{{"before_minutes", 15}}, {{"at", "2030-02-01T00:00:00Z"}}}}});
  const json::object same = PatchOk(
      user, task,
      {{"reminders", task.at("reminders")}, {"remind_before_minutes", 15}, {"all_day", false}});
  EXPECT_EQ(same, task) << "no new version";
  // Reordering keeps the reminders (and their ids), in the new order.
  const json::object reordered =
      PatchOk(user, task,
              {{"reminders", json::array{task.at("reminders").at(1), task.at("reminders").at(0)}}});
  EXPECT_EQ(Str(Reminder(reordered, 0), "id"), Str(Reminder(task, 1), "id"));
  EXPECT_EQ(Str(Reminder(reordered, 1), "id"), Str(Reminder(task, 0), "id"));
  EXPECT_EQ(Int(reordered, "version"), 2);
}

TEST_F(RemindersTest, InvalidRemindersAreRefusedNamingTheField) {
  const TestUser user = NewUser();
  const auto create = [&](json::value reminders, json::object extra = {}) {
    json::object body{{"title", "t"}, {"reminders", std::move(reminders)}};
    for (auto& [key, value] : extra) body[key] = value;
    return Post("/api/tasks", body, user.token);
  };
  ExpectProblem(create(json::array{{{"before_minutes", 5}}, json::object{}}), 422, "validation",
                "reminders[1]");
  ExpectProblem(create(json::array{{{"before_minutes", 5}, {"at", "2030-01-01T00:00:00Z"}}}), 422,
                "validation", "reminders[0]");
  ExpectProblem(create(json::array{{{"before_minutes", 525601}}}), 422, "validation",
                "reminders[0].before_minutes");
  ExpectProblem(create(json::array{{{"before_minutes", -1}}}), 422, "validation",
                "reminders[0].before_minutes");
  ExpectProblem(create(json::array{{{"before_minutes", "5"}}}), 422, "validation",
                "reminders[0].before_minutes");
  ExpectProblem(create(json::array{{{"at", "tomorrow"}}}), 422, "validation", "reminders[0].at");
  ExpectProblem(create(json::array{5}), 422, "validation", "reminders[0]");
  ExpectProblem(create("30"), 422, "validation", "reminders");
  json::array eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back(json::object{{"before_minutes", i}});
  ExpectProblem(create(eleven), 422, "validation", "reminders");
  ExpectProblem(create(json::array{{{"before_minutes", 10}}}, {{"remind_before_minutes", 20}}), 422,
                "validation", "remind_before_minutes");
  EXPECT_EQ(Int(ListTasks(user, {}), "total"), 0) << "nothing was created";

  // Duplicates collapse; null means none.
  const json::object deduplicated = CreateTask(
      user, {{"title", "t"},
             {"reminders", json::array{{{"before_minutes", 10}}, {{"before_minutes", 10}}}}});
  EXPECT_EQ(Reminders(deduplicated).size(), 1u);
  const json::object none = CreateTask(user, {{"title", "t"}, {"reminders", nullptr}});
  EXPECT_TRUE(Reminders(none).empty());
}

TEST_F(RemindersTest, AnotherUsersRemindersAreNeverTouched) {
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  const json::object task = CreateTask(
      alice,
      {{"title", "Alice's"}, {"due_at", "2030-01-10T09:00:00Z"}, {"remind_before_minutes", 30}});
  const std::string path = "/api/tasks/" + Str(task, "id");
  ExpectProblem(Patch(path, {{"reminders", json::array{}}}, bob.token), 404, "not-found");
  ExpectProblem(Patch(path, {{"due_at", "2031-01-01"}}, bob.token), 404, "not-found");
  ExpectProblem(Delete(path, bob.token), 404, "not-found");
  EXPECT_EQ(GetTask(alice, Str(task, "id")), task);
}

}  // namespace
}  // namespace taskflow::integration
