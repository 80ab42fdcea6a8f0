// The time side of a task: all-day dates, reminder planning, series
// bookkeeping of patches, and the next occurrence of a recurring task.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/task.hpp"

namespace taskflow {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using ::testing::ElementsAre;

Instant T(std::string_view text) {
  const std::optional<Instant> instant = ParseRfc3339(text);
  EXPECT_TRUE(instant.has_value()) << text;
  return instant.value_or(Instant{});
}

LocalDate D(int y, unsigned m, unsigned d) { return LocalDate{year{y}, month{m}, day{d}}; }

ReminderSpec Before(int minutes) {
  return ReminderSpec{.before_minutes = minutes, .at = std::nullopt};
}
ReminderSpec At(std::string_view when) {
  return ReminderSpec{.before_minutes = std::nullopt, .at = T(when)};
}

std::vector<std::string> FieldNames(const Error& error) {
  std::vector<std::string> names;
  for (const FieldError& field : error.fields) names.push_back(field.field);
  return names;
}

// A pending task due at `due` in `zone`, with ids given to its reminders.
Task DueTask(std::string_view due, std::string zone, std::vector<ReminderSpec> specs = {}) {
  Task task;
  task.id = "t1";
  task.user_id = "u1";
  task.title = "Pay rent";
  task.timezone = std::move(zone);
  task.due_at = T(due);
  SetReminders(task, specs);
  int n = 0;
  AssignReminderIds(task, [&n] { return "r" + std::to_string(++n); });
  return task;
}

Recurrence Rule(RecurrenceRule rule, int interval = 1) {
  Recurrence recurrence;
  recurrence.rule = rule;
  recurrence.interval = interval;
  return recurrence;
}

// ---- all-day dates ----

TEST(StartOfLocalDateTest, IsMidnightInTheZone) {
  EXPECT_EQ(StartOfLocalDate(D(2026, 3, 29), "Europe/Berlin"), T("2026-03-28T23:00:00Z"));
  EXPECT_EQ(StartOfLocalDate(D(2026, 7, 1), "Europe/Berlin"), T("2026-06-30T22:00:00Z"));
  EXPECT_EQ(StartOfLocalDate(D(2026, 11, 1), "America/New_York"), T("2026-11-01T04:00:00Z"));
  EXPECT_EQ(StartOfLocalDate(D(2026, 1, 1), "Asia/Kathmandu"), T("2025-12-31T18:15:00Z"));
  EXPECT_EQ(StartOfLocalDate(D(2024, 2, 29), "UTC"), T("2024-02-29T00:00:00Z"));
}

TEST(StartOfLocalDateTest, MidnightInAGapIsTheMomentTheClocksJump) {
  // São Paulo sprang forward at midnight on 4 November 2018 (00:00 → 01:00 -02).
  EXPECT_EQ(StartOfLocalDate(D(2018, 11, 4), "America/Sao_Paulo"), T("2018-11-04T03:00:00Z"));
}

TEST(StartOfLocalDateTest, RefusesUnknownZonesAndDatesAtTheEdges) {
  EXPECT_EQ(StartOfLocalDate(D(2026, 1, 1), "Mars/Base"), std::nullopt);
  EXPECT_EQ(StartOfLocalDate(D(1, 1, 1), "Asia/Tokyo"), std::nullopt);
  EXPECT_EQ(StartOfLocalDate(D(9999, 12, 31), "America/Los_Angeles"), std::nullopt);
  EXPECT_EQ(StartOfLocalDate(D(2026, 2, 30), "UTC"), std::nullopt);
}

TEST(LocalDateOfTest, IsTheDateOnTheWallCalendar) {
  EXPECT_EQ(LocalDateOf(T("2026-03-28T23:30:00Z"), "Europe/Berlin"), D(2026, 3, 29));
  EXPECT_EQ(LocalDateOf(T("2026-03-28T23:30:00Z"), "America/New_York"), D(2026, 3, 28));
}

// ---- reminders ----

TEST(RemindersTest, RelativeAndAbsoluteAreePlannedAndSummarised) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC", {At("2026-11-30T08:00:00Z"), Before(30)});
  ASSERT_EQ(task.reminders.size(), 2u);
  EXPECT_EQ(task.reminders[0].remind_at, T("2026-11-30T08:00:00Z"));
  EXPECT_EQ(task.reminders[1].remind_at, T("2026-12-01T08:30:00Z"));
  EXPECT_EQ(task.remind_before_minutes, 30) << "the first relative lead";
  EXPECT_FALSE(task.reminder_sent);
}

TEST(RemindersTest, AllDayRelativeRemindersCountBackFromNineLocal) {
  Task task = DueTask("2026-06-30T22:00:00Z", "Europe/Berlin");  // 1 July, all-day
  task.all_day = true;
  SetReminders(task, {Before(0), Before(24 * 60)});
  EXPECT_EQ(task.reminders[0].remind_at, T("2026-07-01T07:00:00Z"));  // 09:00 CEST
  EXPECT_EQ(task.reminders[1].remind_at, T("2026-06-30T07:00:00Z"));
}

TEST(RemindersTest, ARelativeReminderWithoutDueDateWaits) {
  Task task;
  task.timezone = "UTC";
  SetReminders(task, {Before(15)});
  ASSERT_EQ(task.reminders.size(), 1u);
  EXPECT_EQ(task.reminders[0].remind_at, std::nullopt);
  EXPECT_EQ(task.remind_before_minutes, 15);
}

TEST(RemindersTest, ReplacingKeepsUnchangedRemindersWithTheirState) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC", {Before(30), Before(60)});
  task.reminders[0].sent_at = T("2026-12-01T08:30:01Z");
  SetReminders(task, {Before(10), Before(30)});
  ASSERT_EQ(task.reminders.size(), 2u);
  EXPECT_EQ(task.reminders[0].id, "") << "new";
  EXPECT_EQ(task.reminders[0].remind_at, T("2026-12-01T08:50:00Z"));
  EXPECT_EQ(task.reminders[1].id, "r1") << "kept, with its sent state";
  EXPECT_EQ(task.reminders[1].sent_at, T("2026-12-01T08:30:01Z"));
  EXPECT_EQ(task.remind_before_minutes, 10);
}

TEST(RemindersTest, ReminderSentOnlyWhenEveryReminderFired) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC", {Before(30), At("2026-11-01T00:00:00Z")});
  task.reminders[0].sent_at = T("2026-12-01T08:30:00Z");
  SummarizeReminders(task);
  EXPECT_FALSE(task.reminder_sent);
  task.reminders[1].sent_at = T("2026-11-01T00:00:00Z");
  SummarizeReminders(task);
  EXPECT_TRUE(task.reminder_sent);
  SetReminders(task, {});
  EXPECT_FALSE(task.reminder_sent) << "no reminders: nothing was sent";
  EXPECT_EQ(task.remind_before_minutes, std::nullopt);
}

TEST(RemindersTest, MovingTheDueDateReplansRelativeOnesAndClearsTheirSentState) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC", {Before(30), At("2026-11-30T08:00:00Z")});
  task.reminders[0].sent_at = T("2026-12-01T08:30:00Z");
  task.reminders[1].sent_at = T("2026-11-30T08:00:00Z");
  TaskPatch patch;
  patch.due_at = std::optional<Instant>{T("2026-12-02T09:00:00Z")};
  EXPECT_TRUE(ApplyPatch(task, patch));
  EXPECT_EQ(task.reminders[0].remind_at, T("2026-12-02T08:30:00Z"));
  EXPECT_EQ(task.reminders[0].sent_at, std::nullopt);
  EXPECT_EQ(task.reminders[1].remind_at, T("2026-11-30T08:00:00Z")) << "absolute: unmoved";
  EXPECT_EQ(task.reminders[1].sent_at, T("2026-11-30T08:00:00Z"));
  EXPECT_EQ(task.reminders[0].id, "r1");
}

TEST(RemindersTest, ClearingTheDueDateUnplansRelativeReminders) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC", {Before(30)});
  TaskPatch patch;
  patch.due_at = std::optional<Instant>{};
  EXPECT_TRUE(ApplyPatch(task, patch));
  EXPECT_EQ(task.reminders[0].remind_at, std::nullopt);
}

TEST(RemindersTest, ANewZoneMovesAllDayRemindersOnly) {
  Task timed = DueTask("2026-12-01T09:00:00Z", "UTC", {Before(30)});
  TaskPatch patch;
  patch.timezone = "Asia/Tokyo";
  EXPECT_TRUE(ApplyPatch(timed, patch));
  EXPECT_EQ(timed.due_at, T("2026-12-01T09:00:00Z")) << "an instant stays the instant";
  EXPECT_EQ(timed.reminders[0].remind_at, T("2026-12-01T08:30:00Z"));

  Task all_day = DueTask("2026-12-01T00:00:00Z", "UTC", {Before(30)});
  all_day.all_day = true;
  PlanReminders(all_day, true);
  EXPECT_TRUE(ApplyPatch(all_day, patch));
  EXPECT_EQ(all_day.due_at, T("2026-11-30T15:00:00Z")) << "still 1 December, now in Tokyo";
  EXPECT_EQ(all_day.reminders[0].remind_at, T("2026-11-30T23:30:00Z"));  // 08:30 JST
}

TEST(RemindersTest, CompletionCancelsAndReopeningRearmsOnlyFutureOnes) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC",
                      {Before(30), Before(7 * 24 * 60), At("2026-11-01T00:00:00Z")});
  task.reminders[2].sent_at = T("2026-11-01T00:00:00Z");
  task.status = TaskStatus::kCompleted;
  CancelReminders(task);
  EXPECT_EQ(task.reminders[0].remind_at, std::nullopt);
  EXPECT_EQ(task.reminders[1].remind_at, std::nullopt);
  EXPECT_EQ(task.reminders[2].remind_at, T("2026-11-01T00:00:00Z")) << "sent: history stays";

  task.status = TaskStatus::kPending;
  RearmReminders(task, T("2026-11-28T00:00:00Z"));
  EXPECT_EQ(task.reminders[0].remind_at, T("2026-12-01T08:30:00Z"));
  EXPECT_EQ(task.reminders[1].remind_at, std::nullopt) << "24 November has passed";
}

TEST(RemindersTest, RemindersAddedToACompletedTaskWaitForReopening) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC");
  task.status = TaskStatus::kCompleted;
  SetReminders(task, {Before(30)});
  EXPECT_EQ(task.reminders[0].remind_at, std::nullopt);
}

// ---- patches: due dates and series ----

TEST(ApplyPatchScheduleTest, ADateMakesTheTaskAllDayAndATimeMakesItTimed) {
  Task task = DueTask("2026-12-01T09:00:00Z", "Europe/Berlin");
  TaskPatch to_date;
  to_date.due_date = D(2026, 12, 24);
  EXPECT_TRUE(ApplyPatch(task, to_date));
  EXPECT_TRUE(task.all_day);
  EXPECT_EQ(task.due_at, T("2026-12-23T23:00:00Z"));
  EXPECT_FALSE(ApplyPatch(task, to_date)) << "the same date again";

  TaskPatch to_time;
  to_time.due_at = std::optional<Instant>{T("2026-12-24T17:00:00Z")};
  EXPECT_TRUE(ApplyPatch(task, to_time));
  EXPECT_FALSE(task.all_day);
  EXPECT_EQ(task.due_at, T("2026-12-24T17:00:00Z"));
}

TEST(ApplyPatchScheduleTest, ARecurrenceStartsASeriesAtTheDueDate) {
  Task task = DueTask("2026-01-31T09:00:00Z", "UTC");
  task.occurrence_index = 4;
  TaskPatch patch;
  patch.recurrence = std::optional<Recurrence>{Rule(RecurrenceRule::kMonthly)};
  EXPECT_TRUE(ApplyPatch(task, patch));
  EXPECT_EQ(task.series_start, T("2026-01-31T09:00:00Z"));
  EXPECT_EQ(task.occurrence_index, 1);
  EXPECT_FALSE(ApplyPatch(task, patch));

  TaskPatch move;
  move.due_at = std::optional<Instant>{T("2026-02-15T09:00:00Z")};
  EXPECT_TRUE(ApplyPatch(task, move));
  EXPECT_EQ(task.series_start, T("2026-02-15T09:00:00Z")) << "rescheduling re-anchors";

  TaskPatch stop;
  stop.recurrence = std::optional<Recurrence>{};
  EXPECT_TRUE(ApplyPatch(task, stop));
  EXPECT_EQ(task.recurrence, std::nullopt);
  EXPECT_EQ(task.series_start, std::nullopt);
}

TEST(ApplyPatchScheduleTest, AZoneChangeDoesNotReanchorTheSeries) {
  Task task = DueTask("2026-02-28T09:00:00Z", "UTC");
  task.recurrence = Rule(RecurrenceRule::kMonthly);
  task.series_start = T("2026-01-31T09:00:00Z");
  TaskPatch patch;
  patch.timezone = "Europe/Berlin";
  EXPECT_TRUE(ApplyPatch(task, patch));
  EXPECT_EQ(task.series_start, T("2026-01-31T09:00:00Z"));
}

TEST(ApplyPatchScheduleTest, TheShorthandSetsOneRelativeReminder) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC", {Before(5), At("2026-11-01T00:00:00Z")});
  TaskPatch patch;
  patch.remind_before_minutes = std::optional<int>{45};
  EXPECT_TRUE(ApplyPatch(task, patch));
  ASSERT_EQ(task.reminders.size(), 1u);
  EXPECT_EQ(task.reminders[0].spec, Before(45));
  EXPECT_EQ(task.remind_before_minutes, 45);
  patch.remind_before_minutes = std::optional<int>{};
  EXPECT_TRUE(ApplyPatch(task, patch));
  EXPECT_TRUE(task.reminders.empty());
}

TEST(CheckScheduleTest, ARecurrenceNeedsADueDate) {
  Task task = DueTask("2026-12-01T09:00:00Z", "UTC");
  task.recurrence = Rule(RecurrenceRule::kDaily);
  EXPECT_TRUE(CheckSchedule(task).ok());
  task.due_at.reset();
  const Status status = CheckSchedule(task);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().fields, (std::vector<FieldError>{{"recurrence", "requires due_at"}}));
}

// ---- validation ----

TaskDraft Draft() {
  TaskDraft draft;
  draft.title = "t";
  return draft;
}

TEST(NormalizeDraftTimeTest, RecurrenceNeedsADueDateAndAValidRule) {
  TaskDraft draft = Draft();
  draft.recurrence = Rule(RecurrenceRule::kDaily);
  auto result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().fields, (std::vector<FieldError>{{"recurrence", "requires due_at"}}));

  draft.due_date = D(2026, 12, 1);
  EXPECT_TRUE(NormalizeDraft(draft).ok());

  draft.recurrence = Rule(RecurrenceRule::kCron);
  draft.recurrence->cron = "0 9 32 * *";
  result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().fields.size(), 1u);
  EXPECT_EQ(result.error().fields[0].field, "recurrence.cron");
  EXPECT_THAT(result.error().fields[0].message, ::testing::HasSubstr("32"));

  draft.recurrence = Rule(RecurrenceRule::kRRule);
  draft.recurrence->rrule = "FREQ=SOMETIMES";
  result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("recurrence.rrule"));
}

TEST(NormalizeDraftTimeTest, RemindersAreCheckedOneByOne) {
  TaskDraft draft = Draft();
  draft.reminders =
      std::vector<ReminderSpec>{Before(30), ReminderSpec{}, Before(-1),
                                ReminderSpec{.before_minutes = 5, .at = T("2026-01-01T00:00:00Z")}};
  const auto result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()),
              ElementsAre("reminders[1]", "reminders[2].before_minutes", "reminders[3]"));
}

TEST(NormalizeDraftTimeTest, AtMostTenRemindersAndDuplicatesCollapse) {
  TaskDraft draft = Draft();
  draft.reminders = std::vector<ReminderSpec>{Before(30), Before(30), At("2026-01-01T00:00:00Z")};
  auto result = NormalizeDraft(draft);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(*result->reminders, ElementsAre(Before(30), At("2026-01-01T00:00:00Z")));

  draft.reminders->clear();
  for (int i = 0; i < 11; ++i) draft.reminders->push_back(Before(i));
  result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("reminders"));
}

TEST(NormalizeDraftTimeTest, TheShorthandBecomesAReminderOrMustAgree) {
  TaskDraft draft = Draft();
  draft.remind_before_minutes = 30;
  auto result = NormalizeDraft(draft);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(*result->reminders, ElementsAre(Before(30)));

  draft.reminders = std::vector<ReminderSpec>{At("2026-01-01T00:00:00Z"), Before(30)};
  EXPECT_TRUE(NormalizeDraft(draft).ok()) << "agrees with the first relative reminder";
  draft.reminders = std::vector<ReminderSpec>{Before(10)};
  result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("remind_before_minutes"));
}

TEST(NormalizePatchTimeTest, TheShorthandBecomesTheReminderList) {
  TaskPatch patch;
  patch.remind_before_minutes = std::optional<int>{};
  auto result = NormalizePatch(patch);
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(result->reminders.has_value());
  EXPECT_TRUE(result->reminders->empty());
  patch.due_date = D(0, 1, 1);
  result = NormalizePatch(patch);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("due_at"));
}

// ---- the next occurrence ----

Task Recurring(std::string_view due, std::string zone, Recurrence recurrence) {
  Task task = DueTask(due, std::move(zone), {Before(60), At("2026-01-01T00:00:00Z")});
  task.description = "the flat";
  task.priority = Priority::kP1;
  task.tags = {"home"};
  task.recurrence = std::move(recurrence);
  task.series_start = task.due_at;
  return task;
}

Task Completed(Task task, std::string_view when) {
  task.status = TaskStatus::kCompleted;
  task.completed_at = T(when);
  CancelReminders(task);
  return task;
}

TEST(MakeNextOccurrenceTest, CopiesTheTaskAndKeepsLocalTimeAcrossSpringForward) {
  // Daily at 09:00 in Berlin; clocks go forward on 29 March 2026.
  const Task done =
      Completed(Recurring("2026-03-28T08:00:00Z", "Europe/Berlin", Rule(RecurrenceRule::kDaily)),
                "2026-03-28T08:30:00Z");
  const std::optional<Task> next = MakeNextOccurrence(done, T("2026-03-28T08:30:00Z"), "t2");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->id, "t2");
  EXPECT_EQ(next->due_at, T("2026-03-29T07:00:00Z")) << "09:00 CEST";
  EXPECT_EQ(next->status, TaskStatus::kPending);
  EXPECT_EQ(next->title, "Pay rent");
  EXPECT_EQ(next->description, "the flat");
  EXPECT_EQ(next->priority, Priority::kP1);
  EXPECT_THAT(next->tags, ElementsAre("home"));
  EXPECT_EQ(next->timezone, "Europe/Berlin");
  EXPECT_EQ(next->recurrence, done.recurrence);
  EXPECT_EQ(next->recurrence_parent_id, "t1");
  EXPECT_EQ(next->previous_occurrence_id, "t1");
  EXPECT_EQ(next->series_start, done.series_start);
  EXPECT_EQ(next->occurrence_index, 2);
  EXPECT_EQ(next->version, 1);
  EXPECT_EQ(next->completed_at, std::nullopt);
  ASSERT_EQ(next->reminders.size(), 1u) << "the lead carries over, the absolute one does not";
  EXPECT_EQ(next->reminders[0].id, "");
  EXPECT_EQ(next->reminders[0].remind_at, T("2026-03-29T06:00:00Z"));
  EXPECT_EQ(next->remind_before_minutes, 60);
}

TEST(MakeNextOccurrenceTest, TheSeriesParentIsTheFirstTask) {
  Task done = Completed(Recurring("2026-03-28T08:00:00Z", "UTC", Rule(RecurrenceRule::kDaily)),
                        "2026-03-28T08:30:00Z");
  done.id = "t5";
  done.recurrence_parent_id = "t1";
  done.occurrence_index = 5;
  const auto next = MakeNextOccurrence(done, T("2026-03-28T08:30:00Z"), "t6");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->recurrence_parent_id, "t1");
  EXPECT_EQ(next->previous_occurrence_id, "t5");
  EXPECT_EQ(next->occurrence_index, 6);
}

TEST(MakeNextOccurrenceTest, FallBackInNewYorkKeepsNineOClock) {
  const Task done =
      Completed(Recurring("2026-10-31T13:00:00Z", "America/New_York", Rule(RecurrenceRule::kDaily)),
                "2026-10-31T13:05:00Z");
  const auto next = MakeNextOccurrence(done, T("2026-10-31T13:05:00Z"), "t2");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->due_at, T("2026-11-01T14:00:00Z")) << "09:00 EST";
}

TEST(MakeNextOccurrenceTest, MonthlyOnThe31stClampsAndReturns) {
  Task task = Recurring("2026-01-31T09:00:00Z", "UTC", Rule(RecurrenceRule::kMonthly));
  std::vector<Instant> dues;
  for (int i = 0; i < 3; ++i) {
    const Task done = Completed(task, FormatRfc3339(*task.due_at));
    const auto next = MakeNextOccurrence(done, *done.completed_at, "t" + std::to_string(i + 2));
    ASSERT_TRUE(next.has_value());
    dues.push_back(*next->due_at);
    task = *next;
  }
  EXPECT_THAT(dues, ElementsAre(T("2026-02-28T09:00:00Z"), T("2026-03-31T09:00:00Z"),
                                T("2026-04-30T09:00:00Z")));
}

TEST(MakeNextOccurrenceTest, IsNeverBornOverdue) {
  // Overdue by three weeks: the next one is the first after the completion.
  const Task done =
      Completed(Recurring("2026-03-02T09:00:00Z", "UTC", Rule(RecurrenceRule::kWeekly)),
                "2026-03-24T12:00:00Z");
  const auto next = MakeNextOccurrence(done, *done.completed_at, "t2");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->due_at, T("2026-03-30T09:00:00Z")) << "still on Mondays";
}

TEST(MakeNextOccurrenceTest, CountAndUntilEndTheSeries) {
  Recurrence twice = Rule(RecurrenceRule::kDaily);
  twice.count = 2;
  Task task = Recurring("2026-03-02T09:00:00Z", "UTC", twice);
  auto next =
      MakeNextOccurrence(Completed(task, "2026-03-02T09:00:00Z"), T("2026-03-02T09:00:00Z"), "t2");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(
      MakeNextOccurrence(Completed(*next, "2026-03-03T09:00:00Z"), T("2026-03-03T09:00:00Z"), "t3"),
      std::nullopt);

  Recurrence until = Rule(RecurrenceRule::kDaily);
  until.until = T("2026-03-03T09:00:00Z");
  task = Recurring("2026-03-02T09:00:00Z", "UTC", until);
  next =
      MakeNextOccurrence(Completed(task, "2026-03-02T09:00:00Z"), T("2026-03-02T09:00:00Z"), "t2");
  ASSERT_TRUE(next.has_value()) << "until is inclusive";
  EXPECT_EQ(
      MakeNextOccurrence(Completed(*next, "2026-03-03T09:00:00Z"), T("2026-03-03T09:00:00Z"), "t3"),
      std::nullopt);
}

TEST(MakeNextOccurrenceTest, AllDayTasksStayAllDay) {
  Task task = Recurring("2026-03-28T23:00:00Z", "Europe/Berlin", Rule(RecurrenceRule::kDaily));
  task.all_day = true;  // 29 March
  const auto next =
      MakeNextOccurrence(Completed(task, "2026-03-29T10:00:00Z"), T("2026-03-29T10:00:00Z"), "t2");
  ASSERT_TRUE(next.has_value());
  EXPECT_TRUE(next->all_day);
  EXPECT_EQ(next->due_at, T("2026-03-29T22:00:00Z")) << "30 March 00:00 CEST";
  EXPECT_EQ(next->reminders[0].remind_at, T("2026-03-30T06:00:00Z")) << "09:00 minus an hour";
}

TEST(MakeNextOccurrenceTest, NothingForATaskThatDoesNotRecur) {
  const Task done = Completed(DueTask("2026-03-02T09:00:00Z", "UTC"), "2026-03-02T09:00:00Z");
  EXPECT_EQ(MakeNextOccurrence(done, T("2026-03-02T09:00:00Z"), "t2"), std::nullopt);
}

}  // namespace
}  // namespace taskflow
