#include "adapters/sql/task_row_codec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ports/store.hpp"

namespace taskflow::sql {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TaskRowCodecTest, TagNamesAreOrderedByFoldedNameThenSpelling) {
  EXPECT_THAT(DecodePackedTagNames(""), IsEmpty());
  const std::string packed = std::string("work\x1eWork\x1f") + "home\x1ehome\x1f" + "work\x1ework";
  EXPECT_THAT(DecodePackedTagNames(packed), ElementsAre("home", "Work", "work"));
  EXPECT_THROW(DecodePackedTagNames("no-key-separator"), StoreFailure);
}

TEST(TaskRowCodecTest, RemindersAreOrderedByPositionWithNullsAsUnset) {
  EXPECT_THAT(DecodePackedReminders(""), IsEmpty());
  const std::vector<Reminder> reminders =
      DecodePackedReminders("1,r2,,5000,5000,;0,r1,30,,1000,2000");
  ASSERT_EQ(reminders.size(), 2u);
  EXPECT_EQ(reminders[0].id, "r1");
  EXPECT_EQ(reminders[0].spec.before_minutes, 30);
  EXPECT_FALSE(reminders[0].spec.at);
  EXPECT_EQ(reminders[0].remind_at, FromUnixMillis(1000));
  EXPECT_EQ(reminders[0].sent_at, FromUnixMillis(2000));
  EXPECT_EQ(reminders[1].id, "r2");
  EXPECT_FALSE(reminders[1].spec.before_minutes);
  EXPECT_EQ(reminders[1].spec.at, FromUnixMillis(5000));
  EXPECT_FALSE(reminders[1].sent_at);
}

TEST(TaskRowCodecTest, MalformedRemindersAreAStoreFailure) {
  for (const char* bad : {"0,r1,30,,1000", "0,r1,30,,1000,,x", ",r1,30,,,", "0,,30,,,",
                          "0,r1,thirty,,,", "0,r1,30,,10x,"}) {
    EXPECT_THROW(DecodePackedReminders(bad), StoreFailure) << bad;
  }
}

TEST(TaskRowCodecTest, RecurrenceRoundTripsThroughItsColumns) {
  EXPECT_EQ(ToStored(std::nullopt), StoredRecurrence{});
  EXPECT_FALSE(FromStored(StoredRecurrence{}, "t"));
  Recurrence recurrence;
  recurrence.rule = RecurrenceRule::kRRule;
  recurrence.rrule = "FREQ=WEEKLY;BYDAY=MO";
  recurrence.interval = 2;
  recurrence.anchor = RecurrenceAnchor::kCompletion;
  recurrence.until = FromUnixMillis(86'400'000);
  recurrence.count = 5;
  const StoredRecurrence stored = ToStored(recurrence);
  EXPECT_EQ(stored.rule, "rrule");
  EXPECT_FALSE(stored.cron);  // empty text is NULL
  EXPECT_EQ(stored.until, 86'400'000);
  EXPECT_EQ(FromStored(stored, "t"), recurrence);
}

TEST(TaskRowCodecTest, ABadRecurrenceOrPriorityIsAStoreFailure) {
  EXPECT_THROW(FromStored(StoredRecurrence{.rule = "fortnightly"}, "t"), StoreFailure);
  EXPECT_THROW(FromStored(StoredRecurrence{.rule = "daily", .anchor = "whenever"}, "t"),
               StoreFailure);
  EXPECT_EQ(FromStored(StoredRecurrence{.rule = "daily"}, "t")->anchor, RecurrenceAnchor::kDue);
  EXPECT_EQ(PriorityFromRank(1, "t"), Priority::kP1);
  EXPECT_EQ(PriorityRank(Priority::kP4), 4);
  EXPECT_FALSE(PriorityFromRank(std::nullopt, "t"));
  EXPECT_THROW(PriorityFromRank(0, "t"), StoreFailure);
  EXPECT_THROW(PriorityFromRank(5, "t"), StoreFailure);
}

TEST(TaskRowCodecTest, SameReminderIdsComparesIdsInOrder) {
  Reminder a{.id = "a"};
  Reminder b{.id = "b"};
  Reminder a_moved = a;
  a_moved.remind_at = FromUnixMillis(1);
  EXPECT_TRUE(SameReminderIds({a, b}, {a_moved, b}));
  EXPECT_FALSE(SameReminderIds({a, b}, {b, a}));
  EXPECT_FALSE(SameReminderIds({a}, {a, b}));
}

}  // namespace
}  // namespace taskflow::sql
