// Every task use case appends its events to the outbox in its own
// transaction; the decoders read what the builders write.
#include "app/event_messages.hpp"

#include <boost/json.hpp>

#include "app/app_test_support.hpp"
#include "app/consumer_groups.hpp"
#include "app/tag_service.hpp"

namespace taskflow::testing {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class EventMessagesTest : public AppTest {
 protected:
  std::vector<OutboxRecord> Outbox() {
    std::vector<OutboxRecord> rows;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& tx) -> Status {
                      rows = tx.UnpublishedOutbox(1000);
                      return {};
                    })
                    .ok());
    return rows;
  }
  // "topic:event_type" of each row.
  std::vector<std::string> Kinds() {
    std::vector<std::string> kinds;
    for (const OutboxRecord& row : Outbox()) {
      const json::object o = json::parse(row.payload).as_object();
      kinds.push_back(row.topic + ":" +
                      (o.contains("event_type") ? std::string(o.at("event_type").as_string())
                                                : std::string("-")));
    }
    return kinds;
  }
};

TEST_F(EventMessagesTest, EachChangeAppendsItsEventsAndNoOpsAppendNone) {
  AccountService accounts(ports());
  TaskService tasks(ports());
  const std::string user = NewUser(accounts);
  auto task = tasks.Create(user, TaskDraft{.title = "Buy milk", .tags = {"home"}});
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(tasks.Update(user, task->id, TaskPatch{.title = "Buy oat milk"}, std::nullopt).ok());
  ASSERT_TRUE(tasks.Update(user, task->id, TaskPatch{.title = "Buy oat milk"}, std::nullopt).ok());
  ASSERT_TRUE(tasks.Complete(user, task->id).ok());
  ASSERT_TRUE(tasks.Complete(user, task->id).ok());  // idempotent: no event
  ASSERT_TRUE(tasks.Reopen(user, task->id).ok());
  ASSERT_TRUE(tasks.Delete(user, task->id, std::nullopt).ok());
  EXPECT_THAT(Kinds(),
              ElementsAre("task-events:created", "task-updates:created", "task-events:updated",
                          "task-updates:updated", "task-events:completed", "task-updates:completed",
                          "task-events:reopened", "task-updates:reopened", "task-events:deleted",
                          "task-updates:deleted"));
  for (const OutboxRecord& row : Outbox()) EXPECT_EQ(row.key, user);
}

TEST_F(EventMessagesTest, AFailedChangeAppendsNothing) {
  AccountService accounts(ports());
  TaskService tasks(ports());
  const std::string user = NewUser(accounts);
  auto task = tasks.Create(user, TaskDraft{.title = "a"});
  ASSERT_TRUE(task.ok());
  const std::size_t before = Outbox().size();
  auto stale = tasks.Update(user, task->id, TaskPatch{.title = "b"}, 99);
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(tasks.Delete(user, task->id, 99).error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(tasks.Complete("someone-else", task->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Outbox().size(), before);
}

TEST_F(EventMessagesTest, UpdatesCarryOnlyTheChangedFields) {
  AccountService accounts(ports());
  TaskService tasks(ports());
  const std::string user = NewUser(accounts);
  auto task = tasks.Create(user, TaskDraft{.title = "a"});
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(
      tasks.Update(user, task->id, TaskPatch{.priority = Priority::kP2}, std::nullopt).ok());
  const OutboxRecord last = Outbox().back();
  ASSERT_EQ(last.topic, kTaskUpdatesTopic);
  const json::object o = json::parse(last.payload).as_object();
  EXPECT_EQ(json::serialize(o.at("changes")), R"({"priority":"P2"})");
  EXPECT_EQ(o.at("schema_version").as_int64(), 1);
}

TEST_F(EventMessagesTest, TaskEventsDecodeToWhatWasWritten) {
  AccountService accounts(ports());
  TaskService tasks(ports());
  const std::string user = NewUser(accounts);
  auto task = tasks.Create(user, TaskDraft{.title = "Pay rent", .priority = Priority::kP1});
  ASSERT_TRUE(task.ok());
  const OutboxRecord first = Outbox().front();
  auto decoded = DecodeTaskEvent(first.payload);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->event_id, first.event_id);
  EXPECT_EQ(decoded->type, TaskEventType::kCreated);
  EXPECT_EQ(decoded->task_id, task->id);
  EXPECT_EQ(decoded->user_id, user);
  EXPECT_EQ(decoded->timestamp, clock_.Now());
  const json::object data = json::parse(decoded->task_data).as_object();
  EXPECT_EQ(data.at("title").as_string(), "Pay rent");
  EXPECT_EQ(data.at("priority").as_string(), "P1");
  EXPECT_TRUE(data.at("due_at").is_null());
}

TEST_F(EventMessagesTest, MalformedMessagesNameTheirField) {
  EXPECT_EQ(DecodeTaskEvent("not json").error().fields[0].field, "payload");
  EXPECT_EQ(DecodeTaskEvent(R"({"schema_version":2})").error().fields[0].field, "schema_version");
  EXPECT_EQ(DecodeTaskEvent(R"({"schema_version":1,"event_id":"e"})").error().fields[0].field,
            "task_id");
  EXPECT_EQ(DecodeTaskEvent(R"({"schema_version":1,"event_id":"e","task_id":"t","user_id":"u",)"
                            R"("event_type":"exploded"})")
                .error()
                .fields[0]
                .field,
            "event_type");
  EXPECT_EQ(DecodeReminderEvent(R"({"schema_version":1,"event_id":"e","task_id":"t",)"
                                R"("user_id":"u","title":"x","remind_at":"yesterday"})")
                .error()
                .fields[0]
                .field,
            "remind_at");
  EXPECT_EQ(DecodeMessageIdentity(R"({"schema_version":1,"event_id":"e"})").error().fields[0].field,
            "user_id");
}

TEST_F(EventMessagesTest, RenamingOrDeletingATagUpdatesItsTasksButRecolouringDoesNot) {
  AccountService accounts(ports());
  TaskService tasks(ports());
  TagService tags(ports());
  const std::string user = NewUser(accounts);
  auto tagged = tasks.Create(user, TaskDraft{.title = "a", .tags = {"Home"}});
  ASSERT_TRUE(tagged.ok());
  ASSERT_TRUE(tasks.Create(user, TaskDraft{.title = "b"}).ok());
  auto list = tags.List(user);
  ASSERT_TRUE(list.ok());
  const std::string tag_id = list->at(0).tag.id;
  const std::size_t before = Outbox().size();
  ASSERT_TRUE(
      tags.Update(user, tag_id, TagPatch{.color = std::optional<std::string>("#00ff00")}).ok());
  EXPECT_EQ(Outbox().size(), before);
  ASSERT_TRUE(tags.Update(user, tag_id, TagPatch{.name = "house"}).ok());
  ASSERT_TRUE(tags.Delete(user, tag_id).ok());
  const std::vector<OutboxRecord> rows = Outbox();
  ASSERT_EQ(rows.size(), before + 4);
  std::vector<std::string> changes;
  for (std::size_t i = before; i < rows.size(); ++i) {
    const json::object o = json::parse(rows[i].payload).as_object();
    EXPECT_EQ(o.at("task_id").as_string(), tagged->id);
    EXPECT_EQ(o.at("event_type").as_string(), "updated");
    if (rows[i].topic == kTaskUpdatesTopic) changes.push_back(json::serialize(o.at("changes")));
  }
  EXPECT_THAT(changes, ElementsAre(R"({"tags":["house"]})", R"({"tags":[]})"));
}

TEST_F(EventMessagesTest, InlineNextOccurrenceIsRecordedForTheRecurringConsumer) {
  AccountService accounts(ports());
  TaskService tasks(ports());
  const std::string user = NewUser(accounts);
  TaskDraft draft{.title = "Water plants", .due_at = clock_.Now() + std::chrono::hours(1)};
  draft.recurrence = Recurrence{.rule = RecurrenceRule::kDaily};
  auto task = tasks.Create(user, draft);
  ASSERT_TRUE(task.ok()) << task.error().message;
  ASSERT_TRUE(tasks.Complete(user, task->id).ok());
  EXPECT_THAT(Kinds(),
              ElementsAre("task-events:created", "task-updates:created", "task-events:completed",
                          "task-updates:completed", "task-events:created", "task-updates:created"));
  const std::string completed_event = Outbox()[2].event_id;
  bool processed = false;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& tx) -> Status {
                    processed = tx.IsProcessed(std::string(kRecurringConsumer), completed_event);
                    return {};
                  })
                  .ok());
  EXPECT_TRUE(processed);
}

TEST_F(EventMessagesTest, WithoutInlineTheCompletionLeavesTheOccurrenceToTheConsumer) {
  AccountService accounts(ports());
  TaskService tasks(ports(), TaskServiceOptions{.inline_next_occurrence = false});
  const std::string user = NewUser(accounts);
  TaskDraft draft{.title = "Water plants", .due_at = clock_.Now() + std::chrono::hours(1)};
  draft.recurrence = Recurrence{.rule = RecurrenceRule::kDaily};
  auto task = tasks.Create(user, draft);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(tasks.Complete(user, task->id).ok());
  auto page = tasks.List(user, TaskQuery{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->tasks.size(), 1u);
  EXPECT_THAT(Kinds(), ElementsAre("task-events:created", "task-updates:created",
                                   "task-events:completed", "task-updates:completed"));
}

}  // namespace
}  // namespace taskflow::testing
