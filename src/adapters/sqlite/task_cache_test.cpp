#include "adapters/sqlite/task_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace taskflow::sqlite {
namespace {

Task MakeTask(std::string id, std::int64_t version, std::string title) {
  Task task;
  task.id = std::move(id);
  task.user_id = "u1";
  task.version = version;
  task.title = std::move(title);
  return task;
}

TEST(TaskCacheTest, AnswersOnlyForTheSameIdAndVersion) {
  TaskCache cache(100);
  cache.Put(7, MakeTask("a", 2, "Two"));
  ASSERT_TRUE(cache.Find(7, "a", 2).has_value());
  EXPECT_EQ(cache.Find(7, "a", 2)->title, "Two");
  EXPECT_FALSE(cache.Find(7, "a", 3).has_value()) << "a newer version is read again";
  EXPECT_FALSE(cache.Find(7, "a", 1).has_value());
  EXPECT_FALSE(cache.Find(7, "b", 2).has_value()) << "a seq taken over by another task";
  EXPECT_FALSE(cache.Find(8, "a", 2).has_value());
}

TEST(TaskCacheTest, ANewerReadReplacesTheEntryOfItsRow) {
  TaskCache cache(100);
  cache.Put(7, MakeTask("a", 1, "One"));
  cache.Put(7, MakeTask("a", 2, "Two"));
  EXPECT_FALSE(cache.Find(7, "a", 1).has_value());
  EXPECT_EQ(cache.Find(7, "a", 2)->title, "Two");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(TaskCacheTest, TasksWithRemindersAreNeverKept) {
  // Marking a reminder sent changes the task without a new version.
  TaskCache cache(100);
  Task reminded = MakeTask("a", 1, "Call");
  reminded.reminders.push_back(Reminder{.id = "r1", .spec = {.before_minutes = 5, .at = {}}});
  cache.Put(7, reminded);
  EXPECT_FALSE(cache.Find(7, "a", 1).has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(TaskCacheTest, TasksWithARecurrenceParentAreNeverKept) {
  // Deleting the parent clears the link through the foreign key, no new version.
  TaskCache cache(100);
  Task occurrence = MakeTask("a", 1, "Water plants");
  occurrence.recurrence_parent_id = "p";
  cache.Put(7, occurrence);
  EXPECT_FALSE(cache.Find(7, "a", 1).has_value());
}

TEST(TaskCacheTest, KeepsAtMostItsCapacityDroppingTheLeastRecentlyUsed) {
  TaskCache cache(16);  // one entry per shard: seqs 0 and 16 share a shard
  cache.Put(0, MakeTask("a", 1, "A"));
  cache.Put(16, MakeTask("b", 1, "B"));
  EXPECT_FALSE(cache.Find(0, "a", 1).has_value()) << "evicted by its shard's newer entry";
  EXPECT_TRUE(cache.Find(16, "b", 1).has_value());
  for (int seq = 0; seq < 1000; ++seq) cache.Put(seq, MakeTask(std::to_string(seq), 1, "x"));
  EXPECT_LE(cache.size(), 16u);
}

TEST(TaskCacheTest, AFindKeepsAnEntryLongerThanAnUntouchedOne) {
  TaskCache cache(32);  // two entries per shard
  cache.Put(0, MakeTask("a", 1, "A"));
  cache.Put(16, MakeTask("b", 1, "B"));
  ASSERT_TRUE(cache.Find(0, "a", 1).has_value());  // "a" is now the most recent
  cache.Put(32, MakeTask("c", 1, "C"));            // the shard is full: "b" goes
  EXPECT_TRUE(cache.Find(0, "a", 1).has_value());
  EXPECT_FALSE(cache.Find(16, "b", 1).has_value());
  EXPECT_TRUE(cache.Find(32, "c", 1).has_value());
}

TEST(TaskCacheTest, CapacityZeroKeepsNothing) {
  TaskCache cache(0);
  cache.Put(1, MakeTask("a", 1, "A"));
  EXPECT_FALSE(cache.Find(1, "a", 1).has_value());
}

}  // namespace
}  // namespace taskflow::sqlite
