#include "app/task_service.hpp"

#include "app/app_test_support.hpp"

namespace taskflow {
namespace {

using ::testing::ElementsAre;
using testing::AppTest;

class TaskServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    accounts_ = std::make_unique<AccountService>(ports());
    tasks_ = std::make_unique<TaskService>(ports());
    alice_ = NewUser(*accounts_);
    bob_ = NewUser(*accounts_);
  }

  Task MustCreate(const std::string& user, TaskDraft draft) {
    auto task = tasks_->Create(user, std::move(draft));
    EXPECT_TRUE(task.ok()) << (task.ok() ? "" : task.error().message);
    return task.ok() ? *task : Task{};
  }

  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<TaskService> tasks_;
  std::string alice_, bob_;
};

TEST_F(TaskServiceTest, CreateFillsDefaultsFromTheOwner) {
  ASSERT_TRUE(accounts_->UpdateProfile(alice_, {.timezone = "Asia/Kathmandu"}).ok());
  Task task = MustCreate(alice_, {.title = "  Buy milk  ", .tags = {"home", "Errands"}});
  EXPECT_EQ(task.title, "Buy milk");
  EXPECT_EQ(task.status, TaskStatus::kPending);
  EXPECT_EQ(task.timezone, "Asia/Kathmandu");
  EXPECT_EQ(task.version, 1);
  EXPECT_EQ(task.created_at, clock_.Now());
  EXPECT_THAT(task.tags, ElementsAre("Errands", "home"));

  auto stored = tasks_->Get(alice_, task.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->title, "Buy milk");
  EXPECT_THAT(stored->tags, ElementsAre("Errands", "home"));
}

TEST_F(TaskServiceTest, ExistingTagKeepsItsFirstSpelling) {
  MustCreate(alice_, {.title = "a", .tags = {"Work"}});
  Task second = MustCreate(alice_, {.title = "b", .tags = {"WORK"}});
  EXPECT_THAT(second.tags, ElementsAre("Work"));
}

TEST_F(TaskServiceTest, InvalidDraftWritesNothing) {
  auto result = tasks_->Create(alice_, {.title = "   ", .timezone = "Nowhere/City"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(tasks_->List(alice_, TaskQuery{})->total, 0);
}

TEST_F(TaskServiceTest, OtherUsersTasksAreNotFound) {
  Task task = MustCreate(alice_, {.title = "private"});
  EXPECT_EQ(tasks_->Get(bob_, task.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tasks_->Update(bob_, task.id, {.title = "mine"}, std::nullopt).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(tasks_->Complete(bob_, task.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tasks_->Reopen(bob_, task.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tasks_->Delete(bob_, task.id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tasks_->List(bob_, TaskQuery{})->total, 0);
  EXPECT_EQ(tasks_->Get(alice_, task.id)->title, "private");
}

TEST_F(TaskServiceTest, UpdateBumpsVersionOnlyWhenSomethingChanges) {
  Task task = MustCreate(alice_, {.title = "draft", .priority = Priority::kP3});
  clock_.Advance(std::chrono::seconds(5));

  auto same = tasks_->Update(alice_, task.id, {.title = "draft"}, std::nullopt);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version, 1);
  EXPECT_EQ(same->updated_at, task.created_at);

  auto changed = tasks_->Update(
      alice_, task.id, {.priority = std::optional<Priority>{}, .tags = std::vector<std::string>{"x"}},
      std::nullopt);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->version, 2);
  EXPECT_EQ(changed->priority, std::nullopt);
  EXPECT_THAT(changed->tags, ElementsAre("x"));
  EXPECT_EQ(changed->updated_at, clock_.Now());
  EXPECT_EQ(tasks_->Get(alice_, task.id)->version, 2);
}

TEST_F(TaskServiceTest, StaleIfMatchChangesNothing) {
  Task task = MustCreate(alice_, {.title = "v1"});
  ASSERT_TRUE(tasks_->Update(alice_, task.id, {.title = "v2"}, 1).ok());
  auto stale = tasks_->Update(alice_, task.id, {.title = "v3"}, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(tasks_->Get(alice_, task.id)->title, "v2");

  auto stale_delete = tasks_->Delete(alice_, task.id, 1);
  EXPECT_EQ(stale_delete.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(tasks_->Get(alice_, task.id).ok());
  EXPECT_TRUE(tasks_->Delete(alice_, task.id, 2).ok());
}

TEST_F(TaskServiceTest, CompleteAndReopenAreIdempotent) {
  Task task = MustCreate(alice_, {.title = "once"});
  clock_.Advance(std::chrono::minutes(1));
  auto done = tasks_->Complete(alice_, task.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, TaskStatus::kCompleted);
  EXPECT_EQ(done->completed_at, clock_.Now());
  EXPECT_EQ(done->version, 2);

  clock_.Advance(std::chrono::minutes(1));
  auto again = tasks_->Complete(alice_, task.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(again->completed_at, done->completed_at);

  auto reopened = tasks_->Reopen(alice_, task.id);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->status, TaskStatus::kPending);
  EXPECT_EQ(reopened->completed_at, std::nullopt);
  EXPECT_EQ(reopened->version, 3);
  EXPECT_EQ(tasks_->Reopen(alice_, task.id)->version, 3);
}

TEST_F(TaskServiceTest, MovingTheDueDateRearmsTheReminder) {
  Task task = MustCreate(alice_, {.title = "call", .due_at = clock_.Now() + std::chrono::hours(2),
                                  .remind_before_minutes = 30});
  EXPECT_FALSE(task.reminder_sent);
  auto moved = tasks_->Update(
      alice_, task.id, {.due_at = std::optional<Instant>{clock_.Now() + std::chrono::hours(3)}},
      std::nullopt);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->due_at, clock_.Now() + std::chrono::hours(3));
  EXPECT_FALSE(moved->reminder_sent);
}

TEST_F(TaskServiceTest, DeleteThenGetIsNotFound) {
  Task task = MustCreate(alice_, {.title = "gone"});
  ASSERT_TRUE(tasks_->Delete(alice_, task.id, std::nullopt).ok());
  EXPECT_EQ(tasks_->Get(alice_, task.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tasks_->Delete(alice_, task.id, std::nullopt).error().code, ErrorCode::kNotFound);
}

TEST_F(TaskServiceTest, ListIsScopedAndPaged) {
  for (int i = 0; i < 5; ++i) {
    MustCreate(alice_, {.title = "task " + std::to_string(i)});
    clock_.Advance(std::chrono::seconds(1));
  }
  MustCreate(bob_, {.title = "bob's"});
  TaskQuery query;
  query.limit = 2;
  query.offset = 1;
  auto page = tasks_->List(alice_, query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->tasks.size(), 2u);
  EXPECT_EQ(page->tasks[0].title, "task 3");  // newest first by default
  EXPECT_EQ(page->tasks[1].title, "task 2");
}

}  // namespace
}  // namespace taskflow
