// Use cases of issue 3 against the real SQLite store: all-day tasks, the next
// occurrence on completion, reminder planning through a task's life, quick
// add and the user's date order.
#include <chrono>

#include "app/app_test_support.hpp"
#include "app/next_occurrence.hpp"
#include "app/task_service.hpp"

namespace taskflow {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::AppTest;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Instant T(std::string_view text) { return ParseRfc3339(text).value_or(Instant{}); }

ReminderSpec Before(int minutes) { return {.before_minutes = minutes, .at = std::nullopt}; }

class TaskTimeServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    clock_.Set(T("2026-03-27T12:00:00Z"));  // a Friday, before Europe's spring-forward
    accounts_ = std::make_unique<AccountService>(ports());
    tasks_ = std::make_unique<TaskService>(ports());
    alice_ = NewUser(*accounts_);
    bob_ = NewUser(*accounts_);
    ASSERT_TRUE(accounts_->UpdateProfile(alice_, {.timezone = "Europe/Berlin"}).ok());
  }

  Task MustCreate(const std::string& user, TaskDraft draft) {
    auto task = tasks_->Create(user, std::move(draft));
    EXPECT_TRUE(task.ok()) << (task.ok() ? "" : task.error().message);
    return task.ok() ? *task : Task{};
  }

  Task MustGet(const std::string& user, const std::string& id) {
    auto task = tasks_->Get(user, id);
    EXPECT_TRUE(task.ok());
    return task.ok() ? *task : Task{};
  }

  // The user's pending tasks, oldest first.
  std::vector<Task> Pending(const std::string& user) {
    TaskQuery query;
    query.status = TaskStatus::kPending;
    query.sort_order = SortOrder::kAsc;
    auto page = tasks_->List(user, query);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->tasks : std::vector<Task>{};
  }

  Task DailyAtNine() {
    return MustCreate(alice_, {.title = "stretch",
                               .due_at = T("2026-03-28T08:00:00Z"),  // 09:00 CET
                               .tags = {"health"},
                               .recurrence = Recurrence{.rule = RecurrenceRule::kDaily},
                               .reminders = std::vector<ReminderSpec>{Before(15)}});
  }

  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<TaskService> tasks_;
  std::string alice_, bob_;
};

TEST_F(TaskTimeServiceTest, ADateIsAllDayInTheOwnersZone) {
  const Task task = MustCreate(alice_, {.title = "taxes",
                                        .due_date = LocalDate{std::chrono::year{2026} / 4 / 30},
                                        .reminders = std::vector<ReminderSpec>{Before(60)}});
  EXPECT_TRUE(task.all_day);
  EXPECT_EQ(task.timezone, "Europe/Berlin");
  EXPECT_EQ(task.due_at, T("2026-04-29T22:00:00Z"));
  ASSERT_THAT(task.reminders, SizeIs(1));
  EXPECT_EQ(task.reminders[0].remind_at, T("2026-04-30T06:00:00Z")) << "08:00 CEST";
  EXPECT_FALSE(task.reminders[0].id.empty());
  EXPECT_EQ(MustGet(alice_, task.id).reminders, task.reminders);
}

TEST_F(TaskTimeServiceTest, ARecurrenceWithoutDueDateIsRefused) {
  auto result = tasks_->Create(
      alice_, {.title = "x", .recurrence = Recurrence{.rule = RecurrenceRule::kDaily}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().fields, (std::vector<FieldError>{{"recurrence", "requires due_at"}}));

  const Task plain = MustCreate(alice_, {.title = "x"});
  auto patched = tasks_->Update(
      alice_, plain.id,
      {.recurrence = std::optional<Recurrence>{Recurrence{.rule = RecurrenceRule::kWeekly}}},
      std::nullopt);
  ASSERT_FALSE(patched.ok());
  EXPECT_EQ(patched.error().fields[0].field, "recurrence");
  EXPECT_EQ(MustGet(alice_, plain.id).version, 1) << "nothing written";

  const Task daily = DailyAtNine();
  auto undated =
      tasks_->Update(alice_, daily.id, {.due_at = std::optional<Instant>{}}, std::nullopt);
  ASSERT_FALSE(undated.ok());
  EXPECT_EQ(undated.error().fields[0].field, "recurrence");
}

TEST_F(TaskTimeServiceTest, CompletingCreatesTheNextOccurrenceAcrossDst) {
  const Task first = DailyAtNine();
  clock_.Set(T("2026-03-28T08:10:00Z"));
  auto done = tasks_->Complete(alice_, first.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->id, first.id) << "the answer is the completed task";
  EXPECT_EQ(done->status, TaskStatus::kCompleted);
  EXPECT_EQ(done->reminders[0].remind_at, std::nullopt) << "cancelled";

  const std::vector<Task> pending = Pending(alice_);
  ASSERT_THAT(pending, SizeIs(1));
  const Task& next = pending[0];
  EXPECT_EQ(next.due_at, T("2026-03-29T07:00:00Z")) << "09:00 CEST, after spring-forward";
  EXPECT_EQ(next.title, "stretch");
  EXPECT_THAT(next.tags, ElementsAre("health"));
  EXPECT_EQ(next.recurrence_parent_id, first.id);
  EXPECT_EQ(next.occurrence_index, 2);
  ASSERT_THAT(next.reminders, SizeIs(1));
  EXPECT_EQ(next.reminders[0].remind_at, T("2026-03-29T06:45:00Z"));
  EXPECT_NE(next.reminders[0].id, first.reminders[0].id);
  EXPECT_EQ(next.version, 1);

  // The third points at the first task of the series, not at the second.
  clock_.Set(T("2026-03-29T07:30:00Z"));
  ASSERT_TRUE(tasks_->Complete(alice_, next.id).ok());
  const std::vector<Task> third = Pending(alice_);
  ASSERT_THAT(third, SizeIs(1));
  EXPECT_EQ(third[0].recurrence_parent_id, first.id);
  EXPECT_EQ(third[0].due_at, T("2026-03-30T07:00:00Z"));
}

TEST_F(TaskTimeServiceTest, CompletingTwiceOrReopeningNeverForksTheSeries) {
  const Task first = DailyAtNine();
  ASSERT_TRUE(tasks_->Complete(alice_, first.id).ok());
  ASSERT_TRUE(tasks_->Complete(alice_, first.id).ok());
  ASSERT_TRUE(tasks_->Reopen(alice_, first.id).ok());
  ASSERT_TRUE(tasks_->Complete(alice_, first.id).ok());
  TaskQuery all;
  EXPECT_EQ(tasks_->List(alice_, all)->total, 2) << "the task and one next occurrence";
}

TEST_F(TaskTimeServiceTest, TheFunctionForTheRecurringConsumerIsIdempotent) {
  const Task first = DailyAtNine();
  ASSERT_TRUE(tasks_->Complete(alice_, first.id).ok());
  const Task completed = MustGet(alice_, first.id);
  NextOccurrenceResult again;
  Status status = store_->Write([&](StoreWriter& tx) -> Status {
    again = CreateNextOccurrence(tx, ids_, completed, clock_.Now());
    return {};
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(again.outcome, NextOccurrenceOutcome::kAlreadyCreated);
  EXPECT_EQ(again.task, std::nullopt);

  Task pending = MustGet(alice_, first.id);
  pending.status = TaskStatus::kPending;
  status = store_->Write([&](StoreWriter& tx) -> Status {
    EXPECT_EQ(CreateNextOccurrence(tx, ids_, pending, clock_.Now()).outcome,
              NextOccurrenceOutcome::kNotRecurring)
        << "only a completed task has a next occurrence";
    return {};
  });
  ASSERT_TRUE(status.ok());
}

TEST_F(TaskTimeServiceTest, CountEndsTheSeries) {
  Recurrence twice{.rule = RecurrenceRule::kDaily};
  twice.count = 2;
  const Task first = MustCreate(
      alice_, {.title = "twice", .due_at = T("2026-03-28T08:00:00Z"), .recurrence = twice});
  ASSERT_TRUE(tasks_->Complete(alice_, first.id).ok());
  std::vector<Task> pending = Pending(alice_);
  ASSERT_THAT(pending, SizeIs(1));
  ASSERT_TRUE(tasks_->Complete(alice_, pending[0].id).ok());
  EXPECT_THAT(Pending(alice_), IsEmpty());
}

TEST_F(TaskTimeServiceTest, MovingTheDueDateReplansAndReopeningRearms) {
  Task task = MustCreate(alice_, {.title = "call",
                                  .due_at = clock_.Now() + hours(2),
                                  .reminders = std::vector<ReminderSpec>{Before(30)}});
  EXPECT_EQ(task.reminders[0].remind_at, clock_.Now() + minutes(90));
  auto moved = tasks_->Update(
      alice_, task.id, {.due_at = std::optional<Instant>{clock_.Now() + hours(3)}}, std::nullopt);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->reminders[0].remind_at, clock_.Now() + minutes(150));
  EXPECT_EQ(moved->reminders[0].id, task.reminders[0].id);
  EXPECT_EQ(MustGet(alice_, task.id).reminders, moved->reminders);

  ASSERT_TRUE(tasks_->Complete(alice_, task.id).ok());
  EXPECT_EQ(MustGet(alice_, task.id).reminders[0].remind_at, std::nullopt);
  auto reopened = tasks_->Reopen(alice_, task.id);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->reminders[0].remind_at, clock_.Now() + minutes(150));

  ASSERT_TRUE(tasks_->Complete(alice_, task.id).ok());
  clock_.Advance(hours(4));
  reopened = tasks_->Reopen(alice_, task.id);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->reminders[0].remind_at, std::nullopt) << "its moment passed meanwhile";
}

TEST_F(TaskTimeServiceTest, TheShorthandRoundTrips) {
  Task task = MustCreate(
      alice_, {.title = "t", .due_at = clock_.Now() + hours(1), .remind_before_minutes = 20});
  EXPECT_EQ(task.remind_before_minutes, 20);
  ASSERT_THAT(task.reminders, SizeIs(1));
  auto patched = tasks_->Update(
      alice_, task.id,
      {.reminders = std::vector<ReminderSpec>{{.before_minutes = std::nullopt, .at = clock_.Now()},
                                              Before(5)}},
      std::nullopt);
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(patched->remind_before_minutes, 5);
  patched = tasks_->Update(alice_, task.id, {.remind_before_minutes = std::optional<int>{}},
                           std::nullopt);
  ASSERT_TRUE(patched.ok());
  EXPECT_THAT(patched->reminders, IsEmpty());
  EXPECT_EQ(patched->remind_before_minutes, std::nullopt);
}

TEST_F(TaskTimeServiceTest, ParseReadsInTheUsersZoneAndDateOrder) {
  ASSERT_TRUE(accounts_->UpdateProfile(alice_, {.date_order = DateOrder::kDayMonth}).ok());
  auto parsed = tasks_->ParseQuickAdd(
      alice_, {.text = "dentist 3/12 at 10am #health", .now = T("2026-11-18T09:00:00Z")});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->title, "dentist");
  EXPECT_EQ(parsed->timezone, "Europe/Berlin");
  EXPECT_EQ(parsed->due_at, T("2026-12-03T09:00:00Z")) << "3 December, 10:00 CET";
  EXPECT_THAT(parsed->tags, ElementsAre("health"));
  EXPECT_EQ(tasks_->List(alice_, TaskQuery{})->total, 0) << "parse creates nothing";

  auto elsewhere = tasks_->ParseQuickAdd(alice_, {.text = "call tomorrow 9am",
                                                  .now = T("2026-11-18T09:00:00Z"),
                                                  .timezone = "America/New_York"});
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere->due_at, T("2026-11-19T14:00:00Z"));

  auto bad = tasks_->ParseQuickAdd(alice_, {.text = "  ", .timezone = "Nowhere/City"});
  ASSERT_FALSE(bad.ok());
  ASSERT_THAT(bad.error().fields, SizeIs(2));
}

TEST_F(TaskTimeServiceTest, QuickAddCreatesTheTaskItReads) {
  clock_.Set(T("2026-11-18T09:00:00Z"));  // Wednesday, 10:00 in Berlin
  auto task = tasks_->QuickAdd(alice_,
                               "pay rent every month on the 1st at 9am #home p1, "
                               "remind me a day before");
  ASSERT_TRUE(task.ok()) << task.error().message;
  EXPECT_EQ(task->title, "pay rent");
  EXPECT_EQ(task->priority, Priority::kP1);
  EXPECT_THAT(task->tags, ElementsAre("home"));
  EXPECT_EQ(task->due_at, T("2026-12-01T08:00:00Z"));
  ASSERT_TRUE(task->recurrence.has_value());
  EXPECT_EQ(task->recurrence->rule, RecurrenceRule::kMonthly);
  EXPECT_EQ(task->remind_before_minutes, 1440);
  EXPECT_EQ(task->reminders[0].remind_at, T("2026-11-30T08:00:00Z"));

  auto all_day = tasks_->QuickAdd(alice_, "water plants tomorrow");
  ASSERT_TRUE(all_day.ok());
  EXPECT_TRUE(all_day->all_day);
  EXPECT_EQ(all_day->due_at, T("2026-11-18T23:00:00Z"));

  auto untitled = tasks_->QuickAdd(alice_, "tomorrow 5pm");
  ASSERT_FALSE(untitled.ok());
  EXPECT_EQ(untitled.error().fields[0].field, "text");
}

TEST_F(TaskTimeServiceTest, AnotherUsersTaskIsNeverCompletedOrCopied) {
  const Task first = DailyAtNine();
  auto result = tasks_->Complete(bob_, first.id);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(Pending(bob_), IsEmpty());
  EXPECT_THAT(Pending(alice_), SizeIs(1));
}

}  // namespace
}  // namespace taskflow
