#include "app/tag_service.hpp"

#include "app/app_test_support.hpp"

namespace taskflow {
namespace {

using ::testing::ElementsAre;
using testing::AppTest;

class TagServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    accounts_ = std::make_unique<AccountService>(ports());
    tasks_ = std::make_unique<TaskService>(ports());
    tags_ = std::make_unique<TagService>(ports());
    alice_ = NewUser(*accounts_);
    bob_ = NewUser(*accounts_);
  }
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<TaskService> tasks_;
  std::unique_ptr<TagService> tags_;
  std::string alice_, bob_;
};

TEST_F(TagServiceTest, NamesAreUniquePerUserCaseInsensitively) {
  auto work = tags_->Create(alice_, {.name = "Work", .color = "#ff0000"});
  ASSERT_TRUE(work.ok());
  EXPECT_EQ(work->tag.color, "#FF0000");
  EXPECT_EQ(work->task_count, 0);

  auto clash = tags_->Create(alice_, {.name = "WORK"});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);

  EXPECT_TRUE(tags_->Create(bob_, {.name = "work"}).ok());  // another user's namespace
}

TEST_F(TagServiceTest, ListCountsTasksOfTheOwnerOnly) {
  ASSERT_TRUE(tasks_->Create(alice_, {.title = "a", .tags = {"home"}}).ok());
  ASSERT_TRUE(tasks_->Create(alice_, {.title = "b", .tags = {"home", "work"}}).ok());
  ASSERT_TRUE(tasks_->Create(bob_, {.title = "c", .tags = {"home"}}).ok());
  auto list = tags_->List(alice_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].tag.name, "home");
  EXPECT_EQ((*list)[0].task_count, 2);
  EXPECT_EQ((*list)[1].tag.name, "work");
  EXPECT_EQ((*list)[1].task_count, 1);
}

TEST_F(TagServiceTest, RenameShowsOnTasksAndBumpsTheirVersion) {
  auto task = tasks_->Create(alice_, {.title = "a", .tags = {"home"}});
  ASSERT_TRUE(task.ok());
  auto home = tags_->List(alice_)->front();
  auto renamed = tags_->Update(alice_, home.tag.id, {.name = "House"});
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->tag.name, "House");
  EXPECT_EQ(renamed->task_count, 1);
  auto after = tasks_->Get(alice_, task->id);
  EXPECT_THAT(after->tags, ElementsAre("House"));
  EXPECT_EQ(after->version, 2);
}

TEST_F(TagServiceTest, RenameOntoAnotherTagIsConflict) {
  ASSERT_TRUE(tags_->Create(alice_, {.name = "a"}).ok());
  auto b = tags_->Create(alice_, {.name = "b"});
  ASSERT_TRUE(b.ok());
  auto clash = tags_->Update(alice_, b->tag.id, {.name = "A"});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
  // Changing only the case of its own name is not a clash.
  EXPECT_TRUE(tags_->Update(alice_, b->tag.id, {.name = "B"}).ok());
}

TEST_F(TagServiceTest, DeleteRemovesTheTagFromEveryTask) {
  auto task = tasks_->Create(alice_, {.title = "a", .tags = {"home", "work"}});
  ASSERT_TRUE(task.ok());
  auto home = tags_->List(alice_)->front();
  ASSERT_TRUE(tags_->Delete(alice_, home.tag.id).ok());
  auto after = tasks_->Get(alice_, task->id);
  EXPECT_THAT(after->tags, ElementsAre("work"));
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(tags_->Delete(alice_, home.tag.id).error().code, ErrorCode::kNotFound);
}

TEST_F(TagServiceTest, OtherUsersTagsAreNotFound) {
  auto mine = tags_->Create(alice_, {.name = "secret"});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(tags_->Update(bob_, mine->tag.id, {.name = "stolen"}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(tags_->Delete(bob_, mine->tag.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(tags_->List(bob_)->empty());
}

}  // namespace
}  // namespace taskflow
