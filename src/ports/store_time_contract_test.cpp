// The Store contract for the time fields of issue 3 (migration 3): all-day
// dates, recurrences, series bookkeeping, reminders, the next-occurrence
// insert and the user's date order. These are TEST_P cases of
// StoreContractTest, so every adapter binary that instantiates that suite and
// compiles this file runs them against its backend.
#include <string>
#include <vector>

#include "ports/store_contract_test.hpp"

namespace taskflow::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Reminder MakeReminder(std::string id, std::optional<int> before, std::optional<long long> at,
                      std::optional<long long> remind_at, std::optional<long long> sent_at) {
  Reminder reminder;
  reminder.id = std::move(id);
  reminder.spec.before_minutes = before;
  if (at) reminder.spec.at = At(*at);
  if (remind_at) reminder.remind_at = At(*remind_at);
  if (sent_at) reminder.sent_at = At(*sent_at);
  return reminder;
}

// A task using every time field.
Task TimedTask(const std::string& id) {
  Task task = MakeTask(id, "u1", "Pay rent");
  task.due_at = At(1'800'000'000'000);
  task.timezone = "Europe/Berlin";
  task.all_day = true;
  Recurrence recurrence;
  recurrence.rule = RecurrenceRule::kRRule;
  recurrence.rrule = "FREQ=MONTHLY;BYDAY=-1FR";
  recurrence.anchor = RecurrenceAnchor::kDue;
  recurrence.until = At(1'900'000'000'000);
  recurrence.count = 12;
  task.recurrence = recurrence;
  task.series_start = At(1'790'000'000'000);
  task.occurrence_index = 3;
  task.reminders = {
      MakeReminder("0190a0b0-0000-7000-8000-0000000000a1", 30, std::nullopt,
                   1'800'000'000'000 - 30 * 60'000, 1'799'999'000'000),
      MakeReminder("0190a0b0-0000-7000-8000-0000000000a2", std::nullopt, 1'700'000'000'000,
                   1'700'000'000'000, std::nullopt),
  };
  task.remind_before_minutes = 30;
  return task;
}

void ExpectSameTime(const Task& actual, const Task& expected) {
  EXPECT_EQ(actual.due_at, expected.due_at);
  EXPECT_EQ(actual.timezone, expected.timezone);
  EXPECT_EQ(actual.all_day, expected.all_day);
  EXPECT_EQ(actual.recurrence, expected.recurrence);
  EXPECT_EQ(actual.series_start, expected.series_start);
  EXPECT_EQ(actual.occurrence_index, expected.occurrence_index);
  EXPECT_EQ(actual.previous_occurrence_id, expected.previous_occurrence_id);
  EXPECT_EQ(actual.recurrence_parent_id, expected.recurrence_parent_id);
  EXPECT_EQ(actual.reminders, expected.reminders);
  EXPECT_EQ(actual.remind_before_minutes, expected.remind_before_minutes);
  EXPECT_EQ(actual.reminder_sent, expected.reminder_sent);
}

TEST_P(StoreContractTest, TimeFieldsAndRemindersRoundTrip) {
  const Task task = TimedTask("t1");
  Write([&](StoreWriter& tx) { tx.InsertTask(task); });
  const std::optional<Task> found = Find("u1", "t1");
  ASSERT_TRUE(found.has_value());
  ExpectSameTime(*found, task);
  const TaskPage page = List(TaskQuery{});
  ASSERT_EQ(page.tasks.size(), 1u);
  ExpectSameTime(page.tasks[0], task);
}

TEST_P(StoreContractTest, TheOverdueFilterGivesAnAllDayTaskItsWholeDay) {
  constexpr long long kHour = 3'600'000;
  constexpr long long kTodayStart = 1'800'000'000'000;
  const OverdueCutoff cutoff{At(kTodayStart + 10 * kHour), At(kTodayStart)};
  struct Row {
    const char* id;
    std::optional<long long> due;
    bool all_day;
  };
  const std::vector<Row> rows = {
      {"hour-ago", kTodayStart + 9 * kHour, false},     // overdue
      {"today", kTodayStart, true},                     // due all day today: not yet
      {"yesterday", kTodayStart - 24 * kHour, true},    // its day is over
      {"now", kTodayStart + 10 * kHour, false},         // due this very moment: not yet
      {"in-an-hour", kTodayStart + 11 * kHour, false},  // not yet
      {"undated", std::nullopt, false},
  };
  Write([&](StoreWriter& tx) {
    for (const Row& row : rows) {
      Task task = MakeTask(row.id, "u1", row.id);
      if (row.due) task.due_at = At(*row.due);
      task.all_day = row.all_day;
      tx.InsertTask(task);
    }
  });
  TaskQuery query;
  query.overdue = cutoff;
  query.sort_by = SortField::kDueAt;
  query.sort_order = SortOrder::kAsc;
  const TaskPage page = List(query);
  EXPECT_THAT(IdsOf(page), ElementsAre("yesterday", "hour-ago"));
  EXPECT_EQ(page.total, 2);
  for (const Task& task : page.tasks) EXPECT_TRUE(IsOverdue(task, cutoff)) << task.id;
}

TEST_P(StoreContractTest, EveryRecurrenceRuleRoundTrips) {
  std::vector<Recurrence> rules;
  for (RecurrenceRule rule : {RecurrenceRule::kDaily, RecurrenceRule::kWeekly,
                              RecurrenceRule::kMonthly, RecurrenceRule::kYearly}) {
    Recurrence recurrence;
    recurrence.rule = rule;
    recurrence.interval = 3;
    recurrence.anchor = RecurrenceAnchor::kCompletion;
    rules.push_back(recurrence);
  }
  Recurrence cron;
  cron.rule = RecurrenceRule::kCron;
  cron.cron = "30 9 * * 1-5";
  rules.push_back(cron);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    Task task = MakeTask("r" + std::to_string(i), "u1", "recurring");
    task.due_at = At(1'800'000'000'000);
    task.recurrence = rules[i];
    task.series_start = task.due_at;
    Write([&](StoreWriter& tx) { tx.InsertTask(task); });
    const std::optional<Task> found = Find("u1", task.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->recurrence, rules[i]) << i;
  }
}

TEST_P(StoreContractTest, UpdateWritesTimeFieldsAndReplacesReminders) {
  Task task = TimedTask("t1");
  Write([&](StoreWriter& tx) { tx.InsertTask(task); });

  // Re-planned: the same reminders, other instants.
  task.version = 2;
  task.due_at = At(1'800'000'600'000);
  task.reminders[0].remind_at = At(1'800'000'600'000 - 30 * 60'000);
  task.reminders[0].sent_at.reset();
  task.recurrence->count = 13;
  task.all_day = false;
  task.occurrence_index = 4;
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.UpdateTask(task, 1); }));
  ExpectSameTime(*Find("u1", "t1"), task);

  // A new list: one kept, one new, in another order.
  task.version = 3;
  task.reminders = {MakeReminder("0190a0b0-0000-7000-8000-0000000000a3", 5, std::nullopt,
                                 1'800'000'300'000, std::nullopt),
                    task.reminders[1]};
  task.remind_before_minutes = 5;
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.UpdateTask(task, 2); }));
  ExpectSameTime(*Find("u1", "t1"), task);

  // No longer recurring, no reminders.
  task.version = 4;
  task.recurrence.reset();
  task.series_start.reset();
  task.reminders.clear();
  task.remind_before_minutes.reset();
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.UpdateTask(task, 3); }));
  ExpectSameTime(*Find("u1", "t1"), task);
}

TEST_P(StoreContractTest, AStaleUpdateLeavesRemindersAlone) {
  Task task = TimedTask("t1");
  Write([&](StoreWriter& tx) { tx.InsertTask(task); });
  Task stale = task;
  stale.version = 3;
  stale.reminders.clear();
  EXPECT_FALSE(Write([&](StoreWriter& tx) { return tx.UpdateTask(stale, 2); }));
  EXPECT_EQ(Find("u1", "t1")->reminders, task.reminders);
}

// The unique constraint, not a prior read, keeps a series from forking.
TEST_P(StoreContractTest, OneNextOccurrencePerTask) {
  Write([&](StoreWriter& tx) { tx.InsertTask(TimedTask("t1")); });
  Task next = MakeTask("t2", "u1", "Pay rent");
  next.previous_occurrence_id = "t1";
  next.recurrence_parent_id = "t1";
  next.reminders = {MakeReminder("0190a0b0-0000-7000-8000-0000000000b1", 60, std::nullopt,
                                 std::nullopt, std::nullopt)};
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.InsertNextOccurrence(next); }));

  Task twin = next;
  twin.id = "t3";
  twin.reminders[0].id = "0190a0b0-0000-7000-8000-0000000000b2";
  EXPECT_FALSE(Write([&](StoreWriter& tx) { return tx.InsertNextOccurrence(twin); }));
  EXPECT_FALSE(Find("u1", "t3").has_value()) << "nothing of the twin is written";
  TaskQuery query;
  query.text = "pay rent";
  EXPECT_THAT(Ids(query), ElementsAre("t2", "t1")) << "the twin is not searchable either";
  const std::optional<Task> stored = Find("u1", "t2");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->previous_occurrence_id, "t1");
  EXPECT_EQ(stored->reminders, next.reminders);
}

TEST_P(StoreContractTest, DeletingATaskDeletesItsReminders) {
  Write([&](StoreWriter& tx) { tx.InsertTask(TimedTask("t1")); });
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.DeleteTask("u1", "t1"); }));
  // The reminder ids are free again: the rows went with the task.
  Write([&](StoreWriter& tx) { tx.InsertTask(TimedTask("t9")); });
  EXPECT_EQ(Find("u1", "t9")->reminders.size(), 2u);
}

TEST_P(StoreContractTest, UsersKeepTheirDateOrder) {
  User user = MakeUser("u3", "three@example.com");
  user.date_order = DateOrder::kDayMonth;
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.InsertUser(user, "hash"); }));
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.FindUser("u3"); })->date_order,
            DateOrder::kDayMonth);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.FindUser("u1"); })->date_order,
            DateOrder::kMonthDay);
  user.date_order = DateOrder::kMonthDay;
  Write([&](StoreWriter& tx) { tx.UpdateUser(user); });
  EXPECT_EQ(Read([](StoreReader& tx) {
              return tx.FindCredentials("three@example.com");
            })->user.date_order,
            DateOrder::kMonthDay);
}

TEST_P(StoreContractTest, ATaskWithoutTimeFieldsHasTheDefaults) {
  Write([&](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "plain")); });
  const std::optional<Task> found = Find("u1", "t1");
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->all_day);
  EXPECT_EQ(found->recurrence, std::nullopt);
  EXPECT_EQ(found->series_start, std::nullopt);
  EXPECT_EQ(found->occurrence_index, 1);
  EXPECT_EQ(found->previous_occurrence_id, std::nullopt);
  EXPECT_THAT(found->reminders, IsEmpty());
}

}  // namespace
}  // namespace taskflow::testing
