#include "ports/store_contract_test.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "domain/text.hpp"

namespace taskflow::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

}  // namespace

void StoreContractTest::SetUp() {
  harness_ = GetParam().make();
  ASSERT_NE(harness_, nullptr);
  store_ = harness_->OpenStore();
  ASSERT_NE(store_, nullptr);
  peers_ = harness_->OpenPeerStores();
  for (const auto& peer : peers_) ASSERT_NE(peer, nullptr);
  Write([](StoreWriter& tx) {
    EXPECT_TRUE(tx.InsertUser(MakeUser("u1", "one@example.com"), "hash-1"));
    EXPECT_TRUE(tx.InsertUser(MakeUser("u2", "two@example.com"), "hash-2"));
  });
}

std::optional<Task> StoreContractTest::Find(const std::string& user_id,
                                            const std::string& task_id) {
  return Read([&](StoreReader& tx) { return tx.FindTask(user_id, task_id); });
}

std::vector<std::string> StoreContractTest::IdsOf(const TaskPage& page) {
  std::vector<std::string> ids;
  for (const Task& task : page.tasks) ids.push_back(task.id);
  return ids;
}

TaskPage StoreContractTest::List(const TaskQuery& query, const std::string& user_id) {
  TaskPage page = Read([&](StoreReader& tx) { return tx.ListTasks(user_id, query); });
  for (const auto& peer : peers_) {
    TaskPage other;
    Status status = peer->Read([&](StoreReader& tx) -> Status {
      other = tx.ListTasks(user_id, query);
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    const std::string text = query.text.value_or("(none)");
    EXPECT_EQ(IdsOf(other), IdsOf(page)) << "the query paths disagree; text " << text;
    EXPECT_EQ(other.total, page.total) << "the query paths disagree; text " << text;
  }
  return page;
}

std::vector<std::string> StoreContractTest::Ids(const TaskQuery& query,
                                                const std::string& user_id) {
  return IdsOf(List(query, user_id));
}

namespace {

Tag MakeTag(const std::string& id, const std::string& user_id, const std::string& name,
            std::optional<std::string> color = std::nullopt) {
  return Tag{.id = id, .user_id = user_id, .name = name, .color = std::move(color)};
}

}  // namespace

void StoreContractListTest::SetUp() {
  StoreContractTest::SetUp();
  if (HasFatalFailure()) return;
  struct Row {
    const char* id;
    const char* title;
    const char* description;
    TaskStatus status;
    std::optional<Priority> priority;
    std::optional<long long> due;
    long long created;
    long long updated;
    std::vector<std::string> tags;
  };
  const TaskStatus kOpen = TaskStatus::kPending;
  const TaskStatus kDone = TaskStatus::kCompleted;
  const std::vector<Row> rows = {
      {"t01", "Alpha report", "", kOpen, Priority::kP1, 5000, 100, 900, {"gw"}},
      {"t02", "beta", "Café visit", kDone, Priority::kP3, std::nullopt, 200, 800, {"gh"}},
      {"t03", "Gamma", "x", kOpen, std::nullopt, 3000, 300, 700, {"gw", "gh"}},
      {"t04", "delta CAFÉ", "", kOpen, Priority::kP2, 3000, 400, 600, {}},
      {"t05", "Épsilon", "ünïcode", kDone, Priority::kP1, std::nullopt, 500, 500, {"gu"}},
      {"t06", "zeta", "", kOpen, std::nullopt, std::nullopt, 300, 400, {}},
  };
  Write([&](StoreWriter& tx) {
    tx.InsertTag(MakeTag("gw", "u1", "Work"));
    tx.InsertTag(MakeTag("gh", "u1", "Home"));
    tx.InsertTag(MakeTag("gu", "u1", "Urgent"));
    for (const Row& row : rows) {
      Task task = MakeTask(row.id, "u1", row.title, row.created);
      task.description = row.description;
      task.status = row.status;
      task.priority = row.priority;
      if (row.due) task.due_at = At(*row.due);
      task.updated_at = At(row.updated);
      tx.InsertTask(task);
      tx.SetTaskTags(row.id, row.tags);
    }
    // Another user whose tasks match every filter: never seen by u1.
    tx.InsertTag(MakeTag("xw", "u2", "work"));
    for (const char* id : {"x01", "x02"}) {
      Task task = MakeTask(id, "u2", "Alpha report café ünïcode", 250);
      task.priority = Priority::kP1;
      task.due_at = At(3000);
      tx.InsertTask(task);
      tx.SetTaskTags(id, {"xw"});
    }
  });
}

namespace {

Task FullTask() {
  Task task = MakeTask("t1", "u1", "Write the report", 1'000);
  task.description = "Quarterly numbers\nwith charts";
  task.status = TaskStatus::kCompleted;
  task.priority = Priority::kP2;
  task.due_at = At(1'700'000'000'123);
  task.timezone = "America/New_York";
  task.remind_before_minutes = 30;
  task.reminder_sent = true;
  task.version = 3;
  task.updated_at = At(2'000);
  task.completed_at = At(3'000);
  return task;
}

void ExpectSameTask(const Task& actual, const Task& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.user_id, expected.user_id);
  EXPECT_EQ(actual.title, expected.title);
  EXPECT_EQ(actual.description, expected.description);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.priority, expected.priority);
  EXPECT_EQ(actual.due_at, expected.due_at);
  EXPECT_EQ(actual.timezone, expected.timezone);
  EXPECT_EQ(actual.tags, expected.tags);
  EXPECT_EQ(actual.remind_before_minutes, expected.remind_before_minutes);
  EXPECT_EQ(actual.reminder_sent, expected.reminder_sent);
  EXPECT_EQ(actual.recurrence_parent_id, expected.recurrence_parent_id);
  EXPECT_EQ(actual.version, expected.version);
  EXPECT_EQ(actual.created_at, expected.created_at);
  EXPECT_EQ(actual.updated_at, expected.updated_at);
  EXPECT_EQ(actual.completed_at, expected.completed_at);
}

// ---- users ----

TEST_P(StoreContractTest, FindsUsersAndOnlyPasswordCredentials) {
  Write([](StoreWriter& tx) { EXPECT_TRUE(tx.EnsureUser(MakeUser("u3", "three@example.com"))); });

  auto user = Read([](StoreReader& tx) { return tx.FindUser("u1"); });
  ASSERT_TRUE(user);
  EXPECT_EQ(user->email, "one@example.com");
  EXPECT_EQ(user->name, "Name of u1");
  EXPECT_EQ(user->timezone, "Europe/Berlin");
  EXPECT_EQ(user->created_at, At(1'000));
  EXPECT_EQ(user->updated_at, At(2'000));

  auto credentials = Read([](StoreReader& tx) { return tx.FindCredentials("one@example.com"); });
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->user.id, "u1");
  EXPECT_EQ(credentials->password_hash, "hash-1");

  // A token-only user has no password: no credentials, but a profile.
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindCredentials("three@example.com"); }));
  EXPECT_TRUE(Read([](StoreReader& tx) { return tx.FindUser("u3"); }));
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindUser("nobody"); }));
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindCredentials("nobody@example.com"); }));
}

// The outbox relay's lease (migration 4): one holder until it lapses or is
// given up; its holder renews it.
TEST_P(StoreContractTest, TheRelayLeaseHasOneHolderUntilItLapsesOrIsReleased) {
  auto take = [&](const std::string& holder, std::int64_t now_ms) {
    return Write([&](StoreWriter& tx) {
      return tx.TakeRelayLease(holder, At(now_ms), At(now_ms + 30'000));
    });
  };
  EXPECT_TRUE(take("a", 1'000));
  EXPECT_FALSE(take("b", 2'000)) << "a holds it until 31 s";
  EXPECT_TRUE(take("a", 20'000)) << "the holder renews: now until 50 s";
  EXPECT_FALSE(take("b", 40'000));
  EXPECT_TRUE(take("b", 50'000)) << "lapsed at 50 s";
  EXPECT_FALSE(take("a", 51'000));
  Write([](StoreWriter& tx) { tx.ReleaseRelayLease("a"); });  // not a's: no effect
  EXPECT_FALSE(take("a", 52'000));
  Write([](StoreWriter& tx) { tx.ReleaseRelayLease("b"); });
  EXPECT_TRUE(take("a", 53'000));
}

// ---- pruning the event tables (the outbox, processed_events) ----

namespace {

// Appends an outbox row of `topic` for u1; its id.
std::int64_t AppendTo(Store& store, const std::string& topic, const std::string& event_id) {
  return WriteOrFail(store, [&](StoreWriter& tx) {
    OutboxRecord record{.topic = topic,
                        .key = "u1",
                        .event_id = event_id,
                        .payload = R"({"event_id":")" + event_id + "\"}",
                        .created_at = At(500)};
    tx.AppendOutbox(record);
    return record.id;
  });
}

std::vector<std::string> EventIdsOf(const std::vector<OutboxRecord>& records) {
  std::vector<std::string> ids;
  for (const OutboxRecord& record : records) ids.push_back(record.event_id);
  return ids;
}

}  // namespace

TEST_P(StoreContractTest, PruningTheOutboxDeletesOnlyRowsPublishedBeforeTheCutOffUpToTheCursor) {
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 6; ++i) ids.push_back(AppendTo(*store_, "a", "a" + std::to_string(i)));
  const std::int64_t other = AppendTo(*store_, "b", "b1");
  Write([&](StoreWriter& tx) {
    tx.MarkPublished({ids[0], ids[1], ids[2], ids[3], other}, At(1'000));
    tx.MarkPublished({ids[4]}, At(2'000));  // a6 stays unpublished
  });
  auto published = [&](const std::string& topic) {
    return EventIdsOf(Read([&](StoreReader& tx) { return tx.PublishedOutbox(topic, 0, 100); }));
  };
  auto prune = [&](std::int64_t through, long long before_ms, int window) {
    return Write(
        [&](StoreWriter& tx) { return tx.PruneOutbox("a", through, At(before_ms), window); });
  };

  EXPECT_EQ(prune(INT64_MAX, 1'000, 100), 0) << "published at the cut-off itself: kept";
  EXPECT_EQ(prune(ids[1], 1'001, 100), 2) << "a consumer's cursor stands at a2";
  EXPECT_THAT(published("a"), ElementsAre("a3", "a4", "a5"));
  EXPECT_EQ(prune(INT64_MAX, 1'001, 1), 1) << "a window of one row looks at one row";
  EXPECT_THAT(published("a"), ElementsAre("a4", "a5"));
  EXPECT_EQ(prune(INT64_MAX, 1'000'000, 100), 2) << "every published row, never a6";
  EXPECT_THAT(published("a"), IsEmpty());
  EXPECT_THAT(EventIdsOf(Read([](StoreReader& tx) { return tx.UnpublishedOutbox(10); })),
              ElementsAre("a6"));
  EXPECT_THAT(published("b"), ElementsAre("b1")) << "another topic is another call";
}

// The window is a bound, not a filter: rows it cannot delete (too young, past
// the cursor, unpublished) take its room, so a pass never scans the table.
TEST_P(StoreContractTest, APruningWindowOfYoungRowsDeletesNothingBehindThem) {
  const std::int64_t first = AppendTo(*store_, "a", "young");
  const std::int64_t second = AppendTo(*store_, "a", "old");
  Write([&](StoreWriter& tx) {
    tx.MarkPublished({first}, At(9'000));
    tx.MarkPublished({second}, At(1'000));
  });
  EXPECT_EQ(Write([](StoreWriter& tx) { return tx.PruneOutbox("a", INT64_MAX, At(5'000), 1); }), 0);
  EXPECT_EQ(Write([](StoreWriter& tx) { return tx.PruneOutbox("a", INT64_MAX, At(5'000), 2); }), 1);
}

TEST_P(StoreContractTest, TheLowestConsumerOffsetIsTheSlowestGroupsCursorInTheTopic) {
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.LowestConsumerOffset("a"); }), std::nullopt);
  Write([](StoreWriter& tx) {
    tx.SetConsumerOffset("fast", "a", 9);
    tx.SetConsumerOffset("slow", "a", 4);
    tx.SetConsumerOffset("slow", "b", 1);
  });
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.LowestConsumerOffset("a"); }), 4);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.LowestConsumerOffset("b"); }), 1);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.LowestConsumerOffset("c"); }), std::nullopt);
}

// Where a live subscription starts: the topic's last row, published or not.
TEST_P(StoreContractTest, TheOutboxHeadIsTheTopicsHighestId) {
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.OutboxHead("a"); }), 0);
  const std::int64_t a1 = AppendTo(*store_, "a", "a1");
  const std::int64_t a2 = AppendTo(*store_, "a", "a2");
  const std::int64_t b1 = AppendTo(*store_, "b", "b1");
  Write([&](StoreWriter& tx) { tx.MarkPublished({a1}, At(1'000)); });
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.OutboxHead("a"); }), a2);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.OutboxHead("b"); }), b1);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.OutboxHead("c"); }), 0);
}

TEST_P(StoreContractTest, DeletingAGroupsCursorsLeavesTheOthers) {
  Write([](StoreWriter& tx) {
    tx.SetConsumerOffset("retired", "a", 1);
    tx.SetConsumerOffset("retired", "b", 2);
    tx.SetConsumerOffset("kept", "a", 5);
  });
  EXPECT_EQ(Write([](StoreWriter& tx) { return tx.DeleteConsumerOffsets("retired"); }), 2);
  EXPECT_EQ(Write([](StoreWriter& tx) { return tx.DeleteConsumerOffsets("retired"); }), 0);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.LowestConsumerOffset("a"); }), 5);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.LowestConsumerOffset("b"); }), std::nullopt);
}

TEST_P(StoreContractTest, PruningProcessedEventsForgetsOldRecordsOfEveryConsumer) {
  // UUIDv7-like ids: the text order is the time order.
  Write([](StoreWriter& tx) {
    EXPECT_TRUE(tx.MarkProcessed("audit", "0190-a", At(1'000)));
    EXPECT_TRUE(tx.MarkProcessed("audit", "0190-b", At(1'500)));
    EXPECT_TRUE(tx.MarkProcessed("audit", "0190-c", At(9'000)));
    EXPECT_TRUE(tx.MarkProcessed("recurring", "0190-a", At(1'000)));
    EXPECT_TRUE(tx.MarkProcessed("recurring", "0190-d", At(9'000)));
  });
  auto processed = [&](const std::string& consumer, const std::string& event_id) {
    return Read([&](StoreReader& tx) { return tx.IsProcessed(consumer, event_id); });
  };
  EXPECT_EQ(Write([](StoreWriter& tx) { return tx.PruneProcessedEvents(At(1'000), 100); }), 0)
      << "processed at the cut-off itself: kept";
  EXPECT_EQ(Write([](StoreWriter& tx) { return tx.PruneProcessedEvents(At(5'000), 1); }), 2)
      << "a window of one row per consumer";
  EXPECT_FALSE(processed("audit", "0190-a"));
  EXPECT_TRUE(processed("audit", "0190-b"));
  EXPECT_FALSE(processed("recurring", "0190-a"));
  EXPECT_EQ(Write([](StoreWriter& tx) { return tx.PruneProcessedEvents(At(5'000), 100); }), 1);
  EXPECT_FALSE(processed("audit", "0190-b"));
  EXPECT_TRUE(processed("audit", "0190-c"));
  EXPECT_TRUE(processed("recurring", "0190-d"));
  // A forgotten record is a fresh one: the primary key takes it again.
  EXPECT_TRUE(
      Write([](StoreWriter& tx) { return tx.MarkProcessed("audit", "0190-a", At(10'000)); }));
}

TEST_P(StoreContractTest, ProcessedAmongReturnsTheConsumersProcessedSubsetOnce) {
  Write([](StoreWriter& tx) {
    EXPECT_TRUE(tx.MarkProcessed("audit", "0190-a", At(1'000)));
    EXPECT_TRUE(tx.MarkProcessed("audit", "0190-c", At(1'000)));
    EXPECT_TRUE(tx.MarkProcessed("recurring", "0190-b", At(1'000)));
  });
  auto among = [&](const std::string& consumer, const std::vector<std::string>& event_ids) {
    std::vector<std::string> processed =
        Read([&](StoreReader& tx) { return tx.ProcessedAmong(consumer, event_ids); });
    std::sort(processed.begin(), processed.end());
    return processed;
  };
  EXPECT_THAT(among("audit", {"0190-c", "0190-b", "0190-a", "0190-z"}),
              ElementsAre("0190-a", "0190-c"))
      << "another consumer's record is not this one's";
  EXPECT_THAT(among("audit", {"0190-a", "0190-a"}), ElementsAre("0190-a")) << "each id once";
  EXPECT_THAT(among("recurring", {"0190-a", "0190-b"}), ElementsAre("0190-b"));
  EXPECT_THAT(among("audit", {}), IsEmpty());
  EXPECT_THAT(among("nobody", {"0190-a"}), IsEmpty());
  // Ids are values, never SQL: quotes, braces and commas (array syntax) too.
  const std::string odd = "x', '0190-a'); --{\"},\\";
  Write([&](StoreWriter& tx) { EXPECT_TRUE(tx.MarkProcessed("audit", odd, At(1'000))); });
  EXPECT_THAT(among("audit", {odd, "0190-b"}), ElementsAre(odd));
  EXPECT_THAT(among("audit", {"x"}), IsEmpty());
}

TEST_P(StoreContractTest, InsertUserReportsATakenEmail) {
  EXPECT_FALSE(Write([](StoreWriter& tx) {
    return tx.InsertUser(MakeUser("u9", "one@example.com"), "other-hash");
  }));
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindUser("u9"); }));
  auto credentials = Read([](StoreReader& tx) { return tx.FindCredentials("one@example.com"); });
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->password_hash, "hash-1");
}

TEST_P(StoreContractTest, EnsureUserInsertsOnceAndDropsAClashingEmail) {
  User fresh = MakeUser("u3", "three@example.com");
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.EnsureUser(fresh); }));

  User changed = fresh;
  changed.name = "Someone else";
  EXPECT_FALSE(Write([&](StoreWriter& tx) { return tx.EnsureUser(changed); }));
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.FindUser("u3"); })->name, "Name of u3");

  User clashing = MakeUser("u4", "one@example.com");
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.EnsureUser(clashing); }));
  auto stored = Read([](StoreReader& tx) { return tx.FindUser("u4"); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->email, std::nullopt);
  EXPECT_EQ(stored->name, "Name of u4");
}

TEST_P(StoreContractTest, UpdateUserWritesProfileFields) {
  User user = MakeUser("u1", "one@example.com");
  user.name = "Renamed";
  user.timezone = "Asia/Tokyo";
  user.updated_at = At(9'000);
  Write([&](StoreWriter& tx) { tx.UpdateUser(user); });
  auto stored = Read([](StoreReader& tx) { return tx.FindUser("u1"); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "Renamed");
  EXPECT_EQ(stored->timezone, "Asia/Tokyo");
  EXPECT_EQ(stored->updated_at, At(9'000));
  EXPECT_EQ(stored->created_at, At(1'000));
}

// ---- tasks ----

TEST_P(StoreContractTest, TaskRoundTripsEveryField) {
  const Task task = FullTask();
  Write([&](StoreWriter& tx) { tx.InsertTask(task); });
  auto found = Find("u1", "t1");
  ASSERT_TRUE(found);
  ExpectSameTask(*found, task);

  // And the minimal one: every nullable field null.
  const Task bare = MakeTask("t2", "u1", "Bare");
  Write([&](StoreWriter& tx) { tx.InsertTask(bare); });
  auto found_bare = Find("u1", "t2");
  ASSERT_TRUE(found_bare);
  ExpectSameTask(*found_bare, bare);
}

TEST_P(StoreContractTest, AnotherUsersTaskIsInvisibleAndUnchangeable) {
  const Task task = FullTask();
  Write([&](StoreWriter& tx) { tx.InsertTask(task); });
  EXPECT_FALSE(Find("u2", "t1"));
  EXPECT_FALSE(Find("u1", "absent"));

  Task stolen = task;
  stolen.user_id = "u2";
  stolen.title = "Stolen";
  stolen.version = task.version + 1;
  EXPECT_FALSE(Write([&](StoreWriter& tx) { return tx.UpdateTask(stolen, task.version); }));
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.DeleteTask("u2", "t1"); }));
  ExpectSameTask(*Find("u1", "t1"), task);
}

TEST_P(StoreContractTest, UpdateTaskChecksTheVersion) {
  const Task task = FullTask();
  Write([&](StoreWriter& tx) { tx.InsertTask(task); });

  Task next = task;
  next.title = "Rewrite the report";
  next.description = "";
  next.status = TaskStatus::kPending;
  next.priority.reset();
  next.due_at.reset();
  next.remind_before_minutes.reset();
  next.reminder_sent = false;
  next.completed_at.reset();
  next.timezone = "UTC";
  next.version = task.version + 1;
  next.updated_at = At(5'000);

  // Stale: someone else changed it since version 2.
  EXPECT_FALSE(Write([&](StoreWriter& tx) { return tx.UpdateTask(next, 2); }));
  ExpectSameTask(*Find("u1", "t1"), task);

  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.UpdateTask(next, task.version); }));
  ExpectSameTask(*Find("u1", "t1"), next);

  // The same expected version again is now stale.
  EXPECT_FALSE(Write([&](StoreWriter& tx) { return tx.UpdateTask(next, task.version); }));
}

TEST_P(StoreContractTest, UpdateTaskWritesEachChangedField) {
  Write([](StoreWriter& tx) {
    tx.InsertTask(MakeTask("t0", "u1", "Parent"));
    tx.InsertTask(MakeTask("t1", "u1", "Child"));
  });
  const std::vector<std::function<void(Task&)>> changes = {
      [](Task& t) { t.title = "Child renamed"; },
      [](Task& t) { t.description = "Now with a description"; },
      [](Task& t) {
        t.status = TaskStatus::kCompleted;
        t.completed_at = At(77'000);
      },
      [](Task& t) { t.priority = Priority::kP4; },
      [](Task& t) { t.priority = Priority::kP1; },
      [](Task& t) { t.due_at = At(88'000); },
      [](Task& t) { t.timezone = "Australia/Sydney"; },
      [](Task& t) { t.remind_before_minutes = 15; },
      [](Task& t) { t.reminder_sent = true; },
      [](Task& t) { t.recurrence_parent_id = "t0"; },
      [](Task&) {},  // nothing but version and updated_at
      [](Task& t) {  // every nullable field cleared at once
        t.priority.reset();
        t.due_at.reset();
        t.remind_before_minutes.reset();
        t.recurrence_parent_id.reset();
        t.completed_at.reset();
        t.status = TaskStatus::kPending;
        t.reminder_sent = false;
        t.description.clear();
      },
  };
  Task current = *Find("u1", "t1");
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Task next = current;
    changes[i](next);
    next.version = current.version + 1;
    next.updated_at = At(100'000 + static_cast<long long>(i));
    EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.UpdateTask(next, current.version); }))
        << "change " << i;
    auto stored = Find("u1", "t1");
    ASSERT_TRUE(stored);
    ExpectSameTask(*stored, next);
    current = *stored;
  }
  TaskQuery query;
  query.text = "renamed";
  EXPECT_THAT(Ids(query), ElementsAre("t1"));
}

TEST_P(StoreContractTest, SearchFollowsUpdatesAndDeletes) {
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "Paint the fence")); });
  TaskQuery fence;
  fence.text = "fence";
  TaskQuery garage;
  garage.text = "garage";
  EXPECT_THAT(Ids(fence), ElementsAre("t1"));

  Task task = *Find("u1", "t1");
  Task changed = task;
  changed.title = "Paint the garage";
  changed.version = 2;
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.UpdateTask(changed, 1); }));
  EXPECT_THAT(Ids(fence), IsEmpty());
  EXPECT_THAT(Ids(garage), ElementsAre("t1"));

  // Unchanged text, other fields changed: search still right.
  Task completed = changed;
  completed.status = TaskStatus::kCompleted;
  completed.version = 3;
  EXPECT_TRUE(Write([&](StoreWriter& tx) { return tx.UpdateTask(completed, 2); }));
  EXPECT_THAT(Ids(garage), ElementsAre("t1"));

  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.DeleteTask("u1", "t1"); }));
  EXPECT_THAT(Ids(garage), IsEmpty());
  EXPECT_FALSE(Find("u1", "t1"));
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.DeleteTask("u1", "t1"); }));

  // A new task may reuse the freed row number: the index must not mix them up.
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t2", "u1", "Mow the lawn")); });
  EXPECT_THAT(Ids(garage), IsEmpty());
  TaskQuery lawn;
  lawn.text = "lawn";
  EXPECT_THAT(Ids(lawn), ElementsAre("t2"));
}

TEST_P(StoreContractTest, DeletingAParentUnlinksItsOccurrences) {
  Task child = MakeTask("t2", "u1", "Next week");
  child.recurrence_parent_id = "t1";
  Write([&](StoreWriter& tx) {
    tx.InsertTask(MakeTask("t1", "u1", "Weekly"));
    tx.InsertTask(child);
  });
  EXPECT_EQ(Find("u1", "t2")->recurrence_parent_id, "t1");
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.DeleteTask("u1", "t1"); }));
  EXPECT_EQ(Find("u1", "t2")->recurrence_parent_id, std::nullopt);
}

// ---- tags ----

TEST_P(StoreContractTest, TagsAreUniquePerUserCaseInsensitively) {
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.InsertTag(MakeTag("g1", "u1", "Café")); }));
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.InsertTag(MakeTag("g2", "u1", "CAFÉ")); }));
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.InsertTag(MakeTag("g3", "u1", "café")); }));
  // Another user may have the same name.
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.InsertTag(MakeTag("g4", "u2", "CAFÉ")); }));

  auto by_key = Read([](StoreReader& tx) { return tx.FindTagByKey("u1", FoldCase("CAFÉ")); });
  ASSERT_TRUE(by_key);
  EXPECT_EQ(by_key->id, "g1");
  EXPECT_EQ(by_key->name, "Café");
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.FindTagByKey("u2", "café"); })->id, "g4");
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindTagByKey("u1", "CAFÉ"); }));  // not folded
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindTag("u1", "g2"); }));
}

TEST_P(StoreContractTest, FindTagIsScopedToItsOwner) {
  Write([](StoreWriter& tx) { tx.InsertTag(MakeTag("g1", "u1", "Work", "#FF0000")); });
  auto tag = Read([](StoreReader& tx) { return tx.FindTag("u1", "g1"); });
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->user_id, "u1");
  EXPECT_EQ(tag->name, "Work");
  EXPECT_EQ(tag->color, "#FF0000");
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindTag("u2", "g1"); }));
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindTagByKey("u2", "work"); }));
}

TEST_P(StoreContractTest, SetTaskTagsReplacesTheLinksAndSortsNamesByFoldedName) {
  Write([](StoreWriter& tx) {
    tx.InsertTag(MakeTag("g1", "u1", "banana"));
    tx.InsertTag(MakeTag("g2", "u1", "Apple"));
    tx.InsertTag(MakeTag("g3", "u1", "cherry"));
    tx.InsertTag(MakeTag("g9", "u2", "foreign"));
    tx.InsertTask(MakeTask("t1", "u1", "Fruit"));
    tx.SetTaskTags("t1", {"g1", "g2", "g3"});
  });
  EXPECT_THAT(Find("u1", "t1")->tags, ElementsAre("Apple", "banana", "cherry"));

  // Replaced, and another user's tag id is never linked.
  Write([](StoreWriter& tx) { tx.SetTaskTags("t1", {"g3", "g9"}); });
  EXPECT_THAT(Find("u1", "t1")->tags, ElementsAre("cherry"));
  Write([](StoreWriter& tx) { tx.SetTaskTags("t1", {"g2", "g3", "g2"}); });
  EXPECT_THAT(Find("u1", "t1")->tags, ElementsAre("Apple", "cherry"));
  Write([](StoreWriter& tx) { tx.SetTaskTags("t1", {}); });
  EXPECT_THAT(Find("u1", "t1")->tags, IsEmpty());
}

TEST_P(StoreContractTest, ListTagsCountsTasksInFoldedNameOrder) {
  Write([](StoreWriter& tx) {
    tx.InsertTag(MakeTag("g1", "u1", "zeta"));
    tx.InsertTag(MakeTag("g2", "u1", "Alpha", "#00FF00"));
    tx.InsertTag(MakeTag("g3", "u1", "beta"));
    tx.InsertTag(MakeTag("g9", "u2", "aaa"));
    tx.InsertTask(MakeTask("t1", "u1", "One"));
    tx.InsertTask(MakeTask("t2", "u1", "Two"));
    tx.SetTaskTags("t1", {"g1", "g2"});
    tx.SetTaskTags("t2", {"g2"});
  });
  auto tags = Read([](StoreReader& tx) { return tx.ListTags("u1"); });
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags[0].tag.name, "Alpha");
  EXPECT_EQ(tags[0].tag.color, "#00FF00");
  EXPECT_EQ(tags[0].task_count, 2);
  EXPECT_EQ(tags[1].tag.name, "beta");
  EXPECT_EQ(tags[1].task_count, 0);
  EXPECT_EQ(tags[2].tag.name, "zeta");
  EXPECT_EQ(tags[2].task_count, 1);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.ListTags("u2"); }).size(), 1u);
  EXPECT_THAT(Read([](StoreReader& tx) { return tx.ListTags("nobody"); }), IsEmpty());
}

TEST_P(StoreContractTest, UpdateTagRenamesAndBumpsItsTasks) {
  Write([](StoreWriter& tx) {
    tx.InsertTag(MakeTag("g1", "u1", "Work"));
    tx.InsertTag(MakeTag("g2", "u1", "Home"));
    tx.InsertTask(MakeTask("t1", "u1", "Tagged"));
    tx.InsertTask(MakeTask("t2", "u1", "Untagged"));
    tx.SetTaskTags("t1", {"g1"});
  });
  EXPECT_TRUE(Write([](StoreWriter& tx) {
    return tx.UpdateTag(MakeTag("g1", "u1", "Job", "#123456"), At(50'000));
  }));
  auto tagged = Find("u1", "t1");
  EXPECT_THAT(tagged->tags, ElementsAre("Job"));
  EXPECT_EQ(tagged->version, 2);
  EXPECT_EQ(tagged->updated_at, At(50'000));
  EXPECT_EQ(Find("u1", "t2")->version, 1);
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.FindTag("u1", "g1"); })->color, "#123456");
  EXPECT_TRUE(Read([](StoreReader& tx) { return tx.FindTagByKey("u1", "job"); }));

  // A clash changes nothing, tasks included.
  EXPECT_FALSE(
      Write([](StoreWriter& tx) { return tx.UpdateTag(MakeTag("g1", "u1", "HOME"), At(60'000)); }));
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.FindTag("u1", "g1"); })->name, "Job");
  EXPECT_EQ(Find("u1", "t1")->version, 2);

  // Renaming to another spelling of its own name is no clash.
  EXPECT_TRUE(
      Write([](StoreWriter& tx) { return tx.UpdateTag(MakeTag("g1", "u1", "JOB"), At(70'000)); }));

  // Another user's tag cannot be changed.
  EXPECT_FALSE(
      Write([](StoreWriter& tx) { return tx.UpdateTag(MakeTag("g1", "u2", "Mine"), At(80'000)); }));
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.FindTag("u1", "g1"); })->name, "JOB");
}

TEST_P(StoreContractTest, DeleteTagUnlinksAndBumpsItsTasks) {
  Write([](StoreWriter& tx) {
    tx.InsertTag(MakeTag("g1", "u1", "Work"));
    tx.InsertTag(MakeTag("g2", "u1", "Home"));
    tx.InsertTask(MakeTask("t1", "u1", "Both"));
    tx.SetTaskTags("t1", {"g1", "g2"});
  });
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.DeleteTag("u2", "g1", At(40'000)); }));
  EXPECT_EQ(Find("u1", "t1")->version, 1);

  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.DeleteTag("u1", "g1", At(40'000)); }));
  auto task = Find("u1", "t1");
  EXPECT_THAT(task->tags, ElementsAre("Home"));
  EXPECT_EQ(task->version, 2);
  EXPECT_EQ(task->updated_at, At(40'000));
  EXPECT_FALSE(Read([](StoreReader& tx) { return tx.FindTag("u1", "g1"); }));
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.DeleteTag("u1", "g1", At(41'000)); }));
  // Its last tag gone, the task has none (in a list too).
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.DeleteTag("u1", "g2", At(42'000)); }));
  EXPECT_THAT(Find("u1", "t1")->tags, IsEmpty());
  EXPECT_THAT(
      Read([](StoreReader& tx) { return tx.ListTasks("u1", TaskQuery{}); }).tasks.at(0).tags,
      IsEmpty());
  // The name is free again.
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.InsertTag(MakeTag("g3", "u1", "work")); }));
}

TEST_P(StoreContractTest, DeletingATaskDropsItsLinks) {
  Write([](StoreWriter& tx) {
    tx.InsertTag(MakeTag("g1", "u1", "Work"));
    tx.InsertTask(MakeTask("t1", "u1", "Tagged"));
    tx.SetTaskTags("t1", {"g1"});
  });
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.DeleteTask("u1", "t1"); }));
  EXPECT_EQ(Read([](StoreReader& tx) { return tx.ListTags("u1"); })[0].task_count, 0);
}
// ---- the task list ----

TEST_P(StoreContractListTest, DefaultIsNewestFirstWithTagsAndTotal) {
  const TaskPage page = List(TaskQuery{});
  EXPECT_EQ(page.total, 6);
  ASSERT_EQ(page.tasks.size(), 6u);
  EXPECT_EQ(page.tasks[0].id, "t05");
  EXPECT_THAT(page.tasks[0].tags, ElementsAre("Urgent"));
  EXPECT_EQ(page.tasks[3].id, "t03");
  EXPECT_THAT(page.tasks[3].tags, ElementsAre("Home", "Work"));
  EXPECT_THAT(page.tasks[2].tags, IsEmpty());
}

TEST_P(StoreContractListTest, SortsWithNullsLastAndIdTieBreaks) {
  using F = SortField;
  using O = SortOrder;
  EXPECT_THAT(Ids(Sorted(F::kCreatedAt, O::kDesc)),
              ElementsAre("t05", "t04", "t06", "t03", "t02", "t01"));
  EXPECT_THAT(Ids(Sorted(F::kCreatedAt, O::kAsc)),
              ElementsAre("t01", "t02", "t03", "t06", "t04", "t05"));
  EXPECT_THAT(Ids(Sorted(F::kUpdatedAt, O::kDesc)),
              ElementsAre("t01", "t02", "t03", "t04", "t05", "t06"));
  EXPECT_THAT(Ids(Sorted(F::kUpdatedAt, O::kAsc)),
              ElementsAre("t06", "t05", "t04", "t03", "t02", "t01"));
  EXPECT_THAT(Ids(Sorted(F::kDueAt, O::kAsc)),
              ElementsAre("t03", "t04", "t01", "t02", "t05", "t06"));
  EXPECT_THAT(Ids(Sorted(F::kDueAt, O::kDesc)),
              ElementsAre("t01", "t04", "t03", "t06", "t05", "t02"));
  // desc: P1 first; asc: P4 first; no priority last either way.
  EXPECT_THAT(Ids(Sorted(F::kPriority, O::kDesc)),
              ElementsAre("t05", "t01", "t04", "t02", "t06", "t03"));
  EXPECT_THAT(Ids(Sorted(F::kPriority, O::kAsc)),
              ElementsAre("t02", "t04", "t01", "t05", "t03", "t06"));
  // Case-insensitive by folded title (code point order: "é" after "z").
  EXPECT_THAT(Ids(Sorted(F::kTitle, O::kAsc)),
              ElementsAre("t01", "t02", "t04", "t03", "t06", "t05"));
  EXPECT_THAT(Ids(Sorted(F::kTitle, O::kDesc)),
              ElementsAre("t05", "t06", "t03", "t04", "t02", "t01"));
}

TEST_P(StoreContractListTest, PagesNeverRepeatOrSkip) {
  for (SortField field : {SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                          SortField::kPriority, SortField::kTitle}) {
    for (SortOrder order : {SortOrder::kAsc, SortOrder::kDesc}) {
      TaskQuery query = Sorted(field, order);
      const std::vector<std::string> all = Ids(query);
      std::vector<std::string> paged;
      query.limit = 4;
      for (query.offset = 0; query.offset < 8; query.offset += query.limit) {
        const TaskPage page = List(query);
        EXPECT_EQ(page.total, 6);
        for (const Task& task : page.tasks) paged.push_back(task.id);
      }
      EXPECT_THAT(paged, ElementsAreArray(all));
    }
  }
}

TEST_P(StoreContractListTest, TotalCountsEveryMatchBeyondThePage) {
  TaskQuery query;
  query.limit = 2;
  query.offset = 2;
  TaskPage page = List(query);
  EXPECT_THAT(page.tasks.size(), 2u);
  EXPECT_EQ(page.total, 6);
  query.offset = 5;  // a short last page
  page = List(query);
  EXPECT_THAT(page.tasks.size(), 1u);
  EXPECT_EQ(page.total, 6);
  query.offset = 50;  // past the end
  page = List(query);
  EXPECT_THAT(page.tasks, IsEmpty());
  EXPECT_EQ(page.total, 6);
}

TEST_P(StoreContractListTest, FiltersByStatusPriorityAndDueDate) {
  TaskQuery query;
  query.status = TaskStatus::kPending;
  EXPECT_THAT(Ids(query), ElementsAre("t04", "t06", "t03", "t01"));

  query = {};
  query.priorities = {Priority::kP2, Priority::kP1};
  EXPECT_THAT(Ids(query), ElementsAre("t05", "t04", "t01"));

  query = {};
  query.due_after = At(3000);  // inclusive
  EXPECT_THAT(Ids(query), ElementsAre("t04", "t03", "t01"));
  query.due_after = At(3001);
  EXPECT_THAT(Ids(query), ElementsAre("t01"));
  query = {};
  query.due_before = At(3000);  // inclusive
  EXPECT_THAT(Ids(query), ElementsAre("t04", "t03"));
  query.due_after = At(3000);
  EXPECT_THAT(Ids(query), ElementsAre("t04", "t03"));

  query = {};
  query.has_due_date = true;
  EXPECT_THAT(Ids(query), ElementsAre("t04", "t03", "t01"));
  query.has_due_date = false;
  EXPECT_THAT(Ids(query), ElementsAre("t05", "t06", "t02"));
}

TEST_P(StoreContractListTest, TagFilterIsAnyOfAndListsEachTaskOnce) {
  TaskQuery query;
  query.tag_keys = {"work"};
  EXPECT_THAT(Ids(query), ElementsAre("t03", "t01"));
  query.tag_keys = {"work", "home"};
  const TaskPage page = List(query);
  EXPECT_EQ(page.total, 3);
  EXPECT_THAT(IdsOf(page), ElementsAre("t03", "t02", "t01"));
  query.tag_keys = {"nope"};
  EXPECT_THAT(Ids(query), IsEmpty());
}

TEST_P(StoreContractListTest, SearchIsCaseInsensitiveUnicodeSubstring) {
  TaskQuery query;
  query.text = FoldCase("CAFÉ");                       // the domain folds `q`
  EXPECT_THAT(Ids(query), ElementsAre("t04", "t02"));  // title and description
  query.text = FoldCase("RePoRt");
  EXPECT_THAT(Ids(query), ElementsAre("t01"));
  query.text = FoldCase("ÉPS");
  EXPECT_THAT(Ids(query), ElementsAre("t05"));
  query.text = "xyz";
  EXPECT_EQ(List(query).total, 0);
  EXPECT_THAT(Ids(query), IsEmpty());
}

TEST_P(StoreContractListTest, ShortSearchTextsFallBackToAScan) {
  TaskQuery query;
  query.text = FoldCase("ÜN");  // two code points: no trigram
  EXPECT_THAT(Ids(query), ElementsAre("t05"));
  query.text = "é";
  EXPECT_THAT(Ids(query), ElementsAre("t05", "t04", "t02"));
  query.text = "a";
  EXPECT_EQ(List(query).total, 5);
  query.text = "q";
  EXPECT_THAT(Ids(query), IsEmpty());
}

TEST_P(StoreContractListTest, SearchTextIsNeverFtsSyntax) {
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t07", "u1", "He said \"go\" OR NOT")); });
  TaskQuery query;
  for (const char* text : {"\"go\"", "d \"go\" or", "or not", "\"", "a*", "(x", "NEAR(a b)"}) {
    query.text = FoldCase(text);
    const TaskPage page = List(query);  // no error
    if (std::string_view(text).find("go") != std::string_view::npos ||
        std::string_view(text) == "or not" || std::string_view(text) == "\"") {
      EXPECT_EQ(page.total, 1) << text;
    }
  }
}

TEST_P(StoreContractListTest, FiltersCombine) {
  TaskQuery query;
  query.status = TaskStatus::kPending;
  query.tag_keys = {"work"};
  query.text = "report";
  EXPECT_THAT(Ids(query), ElementsAre("t01"));
  query.priorities = {Priority::kP3};
  EXPECT_EQ(List(query).total, 0);
}

TEST_P(StoreContractListTest, AnotherUsersTasksNeverAppear) {
  EXPECT_EQ(List(TaskQuery{}, "u2").total, 2);
  TaskQuery query;
  query.text = "report";
  query.tag_keys = {"work"};
  EXPECT_THAT(Ids(query, "u2"), ElementsAre("x02", "x01"));
  EXPECT_THAT(Ids(query, "u1"), ElementsAre("t01"));
  EXPECT_EQ(List(TaskQuery{}, "nobody").total, 0);
}

// ---- transactions ----

TEST_P(StoreContractTest, ErrorFromTheWorkRollsEverythingBack) {
  Status status = store_->Write([](StoreWriter& tx) -> Status {
    tx.InsertTask(MakeTask("t1", "u1", "Half written"));
    tx.InsertTag(MakeTag("g1", "u1", "Half"));
    return Error::Conflict("changed my mind");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(Find("u1", "t1"));
  EXPECT_THAT(Read([](StoreReader& tx) { return tx.ListTags("u1"); }), IsEmpty());
  TaskQuery query;
  query.text = "half";
  EXPECT_EQ(List(query).total, 0);  // the search index rolled back too
}

TEST_P(StoreContractTest, ExceptionsBecomeErrorsAndRollBack) {
  Status status = store_->Write([](StoreWriter& tx) -> Status {
    tx.InsertTask(MakeTask("t1", "u1", "Half written"));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(Find("u1", "t1"));

  status = store_->Write([](StoreWriter&) -> Status { throw StoreFailure("busy", true); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);

  status = store_->Read([](StoreReader&) -> Status { throw 42; });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);

  // A constraint the adapter does not expect (a task of an unknown user) is a
  // failure, not a crash, and the store stays usable.
  status = store_->Write([](StoreWriter& tx) -> Status {
    tx.InsertTask(MakeTask("t2", "ghost", "Orphan"));
    return {};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t3", "u1", "Fine")); });
  EXPECT_TRUE(Find("u1", "t3"));

  // Work that swallows a failure does not get the rest committed.
  status = store_->Write([](StoreWriter& tx) -> Status {
    tx.InsertTask(MakeTask("t4", "u1", "Before the failure"));
    try {
      tx.InsertTask(MakeTask("t5", "ghost", "Orphan"));
    } catch (const StoreFailure&) {
    }
    return {};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(Find("u1", "t4"));
}

TEST_P(StoreContractTest, ReadsSeeOneSnapshot) {
  Write([](StoreWriter& tx) { tx.InsertTask(MakeTask("t1", "u1", "First")); });
  Status status = store_->Read([&](StoreReader& tx) -> Status {
    EXPECT_EQ(tx.ListTasks("u1", TaskQuery{}).total, 1);
    // A commit by another thread in the middle of this read stays unseen.
    std::thread writer(
        [&] { Write([](StoreWriter& w) { w.InsertTask(MakeTask("t2", "u1", "Second")); }); });
    writer.join();
    EXPECT_EQ(tx.ListTasks("u1", TaskQuery{}).total, 1);
    EXPECT_FALSE(tx.FindTask("u1", "t2"));
    return {};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(List(TaskQuery{}).total, 2);
}

TEST_P(StoreContractTest, ReadersRunBesideTheWriter) {
  constexpr int kTasks = 150;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<long long> reads{0};
  std::vector<std::thread> readers;
  // One more reader than the store runs at once: some wait for a connection.
  for (int r = 0; r < harness_->ReadConnections() + 1; ++r) {
    readers.emplace_back([&] {
      long long last_total = 0;
      while (!done.load()) {
        Status status = store_->Read([&](StoreReader& tx) -> Status {
          const TaskPage page = tx.ListTasks("u1", TaskQuery{});
          // Totals never go back, and a listed task can be fetched.
          if (page.total < last_total) return Error::Internal("total went back");
          last_total = page.total;
          if (!page.tasks.empty() && !tx.FindTask("u1", page.tasks[0].id)) {
            return Error::Internal("listed task not found");
          }
          return {};
        });
        if (!status.ok()) ++failures;
        ++reads;
      }
    });
  }
  for (int i = 0; i < kTasks; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "t%03d", i);
    Status status = store_->Write([&](StoreWriter& tx) -> Status {
      tx.InsertTask(MakeTask(id, "u1", "Task number " + std::to_string(i), 1000 + i));
      return {};
    });
    if (!status.ok()) ++failures;
  }
  done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(List(TaskQuery{}).total, kTasks);
  EXPECT_TRUE(store_->Ping());
}

}  // namespace
}  // namespace taskflow::testing
