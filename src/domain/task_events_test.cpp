#include "domain/task_events.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace taskflow {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TaskEventsTest, EventTypesRoundTrip) {
  for (TaskEventType type :
       {TaskEventType::kCreated, TaskEventType::kUpdated, TaskEventType::kCompleted,
        TaskEventType::kReopened, TaskEventType::kDeleted}) {
    EXPECT_EQ(ParseTaskEventType(ToString(type)), type);
  }
  EXPECT_EQ(ParseTaskEventType("Created"), std::nullopt);
  EXPECT_EQ(ParseTaskEventType(""), std::nullopt);
}

TEST(TaskEventsTest, NothingChangedBetweenEqualTasks) {
  Task task;
  task.title = "a";
  EXPECT_THAT(ChangedFields(task, task), IsEmpty());
}

TEST(TaskEventsTest, OnlyTheChangedFieldsAreNamed) {
  Task before;
  before.title = "a";
  Task after = before;
  after.title = "b";
  after.priority = Priority::kP1;
  after.tags = {"home"};
  after.version = 7;  // not a field of a live view
  const auto changed = ChangedFields(before, after);
  std::vector<std::string_view> names;
  for (TaskField field : changed) names.push_back(ToString(field));
  EXPECT_THAT(names, ElementsAre("title", "priority", "tags"));
}

TEST(TaskEventsTest, CompletionChangesStatusAndCompletedAt) {
  Task before;
  Task after = before;
  after.status = TaskStatus::kCompleted;
  after.completed_at = FromUnixMillis(1000);
  EXPECT_THAT(ChangedFields(before, after),
              ElementsAre(TaskField::kStatus, TaskField::kCompletedAt));
}

TEST(TaskEventsTest, EveryFieldHasADistinctName) {
  std::vector<std::string_view> names;
  for (TaskField field : AllTaskFields()) names.push_back(ToString(field));
  EXPECT_EQ(names.size(), 11u);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

}  // namespace
}  // namespace taskflow
