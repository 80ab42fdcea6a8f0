// The relay, the consumer runner and the handlers against the real SQLite
// adapter and the in-process bus, with a manual clock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <thread>

#include "adapters/bus/in_process_bus.hpp"
#include "adapters/crypto/argon2_password_hasher.hpp"
#include "adapters/crypto/jwt_token_service.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/sqlite/sqlite_migrations.hpp"
#include "adapters/sqlite/sqlite_store.hpp"
#include "adapters/sqlite/sqlite_test_support.hpp"
#include "adapters/system/uuid_v7_generator.hpp"
#include "app/consumer_groups.hpp"
#include "app/event_messages.hpp"
#include "app/task_service.hpp"
#include "ports/manual_clock.hpp"
#include "roles/audit_handler.hpp"
#include "roles/consumer_runner.hpp"
#include "roles/event_pruner.hpp"
#include "roles/live_hub.hpp"
#include "roles/notification_handler.hpp"
#include "roles/outbox_relay.hpp"
#include "roles/realtime_handler.hpp"
#include "roles/recurring_handler.hpp"
#include "roles/reminder_scheduler.hpp"

namespace taskflow::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

TEST(BackoffTest, DoublesFromTheFirstAndIsCapped) {
  RetryPolicy policy{.max_attempts = 10, .first_backoff = 100ms, .max_backoff = 1000ms};
  EXPECT_EQ(BackoffBefore(policy, 2), 100ms);
  EXPECT_EQ(BackoffBefore(policy, 3), 200ms);
  EXPECT_EQ(BackoffBefore(policy, 4), 400ms);
  EXPECT_EQ(BackoffBefore(policy, 5), 800ms);
  EXPECT_EQ(BackoffBefore(policy, 6), 1000ms);
  EXPECT_EQ(BackoffBefore(policy, 60), 1000ms);
}

TEST(LiveHubTest, PushesOnlyToTheUsersConnections) {
  LiveHub hub;
  std::vector<std::string> alice_got, bob_got;
  const auto a = hub.Add("alice", [&](std::string_view type, const std::string& event) {
    alice_got.push_back(std::string(type) + " " + event);
  });
  hub.Add("bob", [&](std::string_view, const std::string& event) { bob_got.push_back(event); });
  hub.Push("alice", "task-update", "{1}");
  hub.Push("carol", "reminder", "{2}");
  hub.Remove(a);
  hub.Push("alice", "task-update", "{3}");
  EXPECT_THAT(alice_got, ElementsAre("task-update {1}"));
  EXPECT_TRUE(bob_got.empty());
  EXPECT_EQ(hub.pushed(), 1u);
}

TEST(LiveHubTest, EveryConnectionOfTheUserGetsEachPushUntilRemoved) {
  LiveHub hub;
  std::vector<std::string> first_got, second_got;
  const auto first = hub.Add("alice", [&](std::string_view, const std::string& event) {
    first_got.push_back(event);
  });
  const auto second = hub.Add("alice", [&](std::string_view, const std::string& event) {
    second_got.push_back(event);
  });
  hub.Push("alice", "task-update", "{1}");
  hub.Remove(first);
  hub.Remove(first);  // idempotent
  hub.Push("alice", "task-update", "{2}");
  hub.Remove(second);
  hub.Push("alice", "task-update", "{3}");
  EXPECT_THAT(first_got, ElementsAre("{1}"));
  EXPECT_THAT(second_got, ElementsAre("{1}", "{2}"));
  EXPECT_EQ(hub.pushed(), 2u);
}

class RolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("taskflow.db");
    ASSERT_TRUE(SqliteMigrateUp(path_).ok());
    auto store = OpenSqliteStore(SqliteOptions{.path = path_});
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_
                    ->Write([](StoreWriter& tx) -> Status {
                      tx.EnsureUser(User{.id = "u1", .name = "", .timezone = "UTC"});
                      tx.EnsureUser(User{.id = "u2", .name = "", .timezone = "UTC"});
                      return {};
                    })
                    .ok());
  }

  long long Count(const std::string& sql) {
    auto connection = sqlite::Connection::Open(sqlite::ConnectionOptions{.path = path_});
    auto s = connection->Prepare(sql);
    s->Step();
    return s->Int64(0);
  }
  void Exec(const std::string& sql) {
    auto connection = sqlite::Connection::Open(sqlite::ConnectionOptions{.path = path_});
    connection->Exec(sql.c_str());
  }
  Ports ports() { return Ports{*store_, clock_, ids_, hasher_, tokens_}; }

  TempDir dir_;
  std::string path_;
  ManualClock clock_{FromUnixMillis(1'790'000'000'000)};
  UuidV7Generator ids_{clock_};
  Argon2PasswordHasher hasher_{Argon2Limits::Minimum()};
  JwtTokenService tokens_{"0123456789abcdef0123456789abcdef-roles-tests", clock_};
  std::unique_ptr<Store> store_;
};

TEST_F(RolesTest, TheRelayPublishesInOrderAndConsumersSeeOnlyPublishedRows) {
  InProcessBus bus(*store_, clock_);
  auto subscription =
      bus.Subscribe("g", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable);
  TaskService tasks(ports());
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "a"}).ok());
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "b"}).ok());
  auto before = subscription->Poll(0ms);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->empty());  // not published yet

  OutboxRelay relay(*store_, bus, clock_, RelayOptions{.batch = 3});
  auto first = relay.RunOnce();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 3);
  EXPECT_EQ(*relay.RunOnce(), 1);
  EXPECT_EQ(*relay.RunOnce(), 0);
  auto messages = subscription->Poll(1s);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_LT((*messages)[0].offset, (*messages)[1].offset);
  EXPECT_EQ((*messages)[0].key, "u1");
  // Nothing more until a commit is lost: a new subscription of the group
  // starts again from its committed position (none yet).
  ASSERT_TRUE(subscription->Commit((*messages)[0]).ok());
  auto again =
      bus.Subscribe("g", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable)->Poll(1s);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].event_id, (*messages)[1].event_id);
}

// Counts what reaches the bus, per event, and passes everything on.
class CountingBus final : public EventBus {
 public:
  explicit CountingBus(EventBus& inner) : inner_(inner) {}
  Status Publish(const std::vector<OutboxRecord>& messages) override {
    for (const OutboxRecord& message : messages) ++published[message.event_id];
    return inner_.Publish(messages);
  }
  void MarkedPublished(const std::vector<OutboxRecord>& messages) override {
    inner_.MarkedPublished(messages);
  }
  std::unique_ptr<EventSubscription> Subscribe(const std::string& group,
                                               const std::vector<std::string>& topics,
                                               SubscriptionKind kind) override {
    return inner_.Subscribe(group, topics, kind);
  }
  Status PublishDeadLetter(const DeadLetter& letter) override {
    return inner_.PublishDeadLetter(letter);
  }
  std::map<std::string, int> published;

 private:
  EventBus& inner_;
};

// Two replicas' relays on one database: one publishes, each row once; the
// other takes over when the first lets its lease lapse (a crash) or gives
// it up (a stop).
TEST_F(RolesTest, OneRelayPerDatabasePublishesAndAnotherTakesOver) {
  InProcessBus inner(*store_, clock_);
  CountingBus bus(inner);
  OutboxRelay first(*store_, bus, clock_);
  OutboxRelay second(*store_, bus, clock_);
  TaskService tasks(ports());
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "a"}).ok());
  EXPECT_EQ(*first.RunOnce(), 2);  // task-events and task-updates
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "b"}).ok());
  EXPECT_EQ(*second.RunOnce(), 0) << "the first relay holds the lease";
  EXPECT_EQ(*first.RunOnce(), 2);

  clock_.Advance(31s);  // the first relay stopped renewing: its lease lapsed
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "c"}).ok());
  EXPECT_EQ(*second.RunOnce(), 2);
  EXPECT_EQ(*first.RunOnce(), 0) << "the lease changed hands";

  second.Stop();  // gives the lease up: no need to wait for it to lapse
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "d"}).ok());
  EXPECT_EQ(*first.RunOnce(), 2);

  EXPECT_EQ(bus.published.size(), 8u);
  for (const auto& [event_id, times] : bus.published) EXPECT_EQ(times, 1) << event_id;
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE published_at IS NULL"), 0);
}

TEST_F(RolesTest, AuditAppliesEachEventOnceEvenWhenRedelivered) {
  InProcessBus bus(*store_, clock_);
  OutboxRelay relay(*store_, bus, clock_);
  AuditHandler audit;
  TaskService tasks(ports());
  auto task = tasks.Create("u1", TaskDraft{.title = "a"});
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(tasks.Complete("u1", task->id).ok());
  ASSERT_TRUE(relay.RunOnce().ok());
  {
    ConsumerRunner runner(bus, *store_, clock_, audit);
    runner.Start();
    EXPECT_TRUE(runner.running());
    ASSERT_TRUE(WaitUntil([&] { return Count("SELECT count(*) FROM activity_log") == 2; }));
    runner.Stop();
    EXPECT_FALSE(runner.running());
  }
  Exec("DELETE FROM consumer_offsets");  // redeliver everything
  ConsumerRunner runner(bus, *store_, clock_, audit);
  runner.Start();
  ASSERT_TRUE(WaitUntil([&] {
    return Count("SELECT count(*) FROM consumer_offsets WHERE consumer = 'audit-service'") == 1;
  }));
  runner.Stop();
  EXPECT_EQ(Count("SELECT count(*) FROM activity_log"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM processed_events WHERE consumer = 'audit-service'"), 2);
}

TEST_F(RolesTest, AMalformedMessageIsDeadLetteredAtOnceAndTheNextOneApplied) {
  InProcessBus bus(*store_, clock_);
  Exec(
      "INSERT INTO outbox (topic, message_key, event_id, payload, created_at, published_at) "
      "VALUES ('task-events', 'u1', 'bad', '{\"schema_version\":1}', 0, 0)");
  TaskService tasks(ports());
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "a"}).ok());
  OutboxRelay relay(*store_, bus, clock_);
  ASSERT_TRUE(relay.RunOnce().ok());
  AuditHandler audit;
  ConsumerRunner runner(bus, *store_, clock_, audit);
  runner.Start();
  ASSERT_TRUE(WaitUntil([&] { return Count("SELECT count(*) FROM activity_log") == 1; }));
  runner.Stop();
  EXPECT_EQ(Count("SELECT count(*) FROM dead_letters WHERE event_id = 'bad' AND attempts = 1 "
                  "AND consumer = 'audit-service' AND topic = 'task-events'"),
            1);
}

// Counts the transactions that reach the store and passes them on.
class CountingStore final : public Store {
 public:
  explicit CountingStore(Store& inner) : inner_(inner) {}
  Status Read(const std::function<Status(StoreReader&)>& work) override {
    ++reads;
    return inner_.Read(work);
  }
  Status Write(const std::function<Status(StoreWriter&)>& work) override {
    ++writes;
    return inner_.Write(work);
  }
  bool Ping() override { return inner_.Ping(); }
  int reads = 0;
  int writes = 0;

 private:
  Store& inner_;
};

// A consumer whose every committed Apply leaves a row of its own in
// activity_log ("<event_id>/<n>"), so a duplicated side effect shows; its
// Apply writes that row before failing, so a half-written batch shows too.
class LedgerHandler final : public EventHandler {
 public:
  std::string group() const override { return "ledger"; }
  std::vector<std::string> topics() const override { return {std::string(kTaskEventsTopic)}; }
  Status Deliver(const BusMessage& message) override {
    ++delivered[message.event_id];
    if (on_deliver) on_deliver(message);
    const bool fails = fail_delivery_once.erase(message.event_id) > 0 ||
                       failing_delivery.contains(message.event_id);
    if (fails) {
      return Error{ErrorCode::kUnavailable, "webhook down", {}};
    }
    return {};
  }
  Status Apply(StoreWriter& tx, const BusMessage& message) override {
    ++applied[message.event_id];
    tx.InsertActivity(ActivityEntry{.id = 0,
                                    .event_id = message.event_id + "/" + std::to_string(++calls_),
                                    .user_id = message.key,
                                    .task_id = "t",
                                    .event_type = "created",
                                    .task_data = "{}",
                                    .occurred_at = {}});
    if (failing.contains(message.event_id)) return Error{ErrorCode::kInternal, "bad apply", {}};
    return {};
  }
  bool Applies(const BusMessage&) const override { return applies; }
  bool RecordsProcessed(const BusMessage&) const override { return records; }

  bool applies = true;
  bool records = true;
  std::set<std::string> failing;             // Apply fails for these, every time
  std::set<std::string> fail_delivery_once;  // Deliver fails once for these
  std::set<std::string> failing_delivery;    // Deliver fails for these, every time
  std::function<void(const BusMessage&)> on_deliver;
  std::map<std::string, int> delivered;
  std::map<std::string, int> applied;

 private:
  int calls_ = 0;
};

class ConsumerBatchTest : public RolesTest {
 protected:
  void SetUp() override {
    RolesTest::SetUp();
    if (HasFatalFailure()) return;
    bus_.emplace(*store_, clock_);
  }
  // `n` task-events published, as one polled batch.
  std::vector<BusMessage> PublishedBatch(int n) {
    TaskService tasks(ports());
    for (int i = 0; i < n; ++i) {
      EXPECT_TRUE(tasks.Create("u1", TaskDraft{.title = "t" + std::to_string(i)}).ok());
    }
    OutboxRelay relay(*store_, *bus_, clock_);
    EXPECT_TRUE(relay.RunOnce().ok());
    auto read =
        bus_->Subscribe("reader", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable)
            ->Poll(1s);
    EXPECT_TRUE(read.ok());
    EXPECT_EQ(read->size(), static_cast<std::size_t>(n));
    return *read;
  }
  // Rows committed by the ledger's Apply for this event.
  long long Applied(const std::string& event_id) {
    return Count("SELECT count(*) FROM activity_log WHERE event_id LIKE '" + event_id + "/%'");
  }
  long long Processed(const std::string& event_id) {
    return Count(
        "SELECT count(*) FROM processed_events WHERE consumer = 'ledger' AND event_id = '" +
        event_id + "'");
  }

  std::optional<InProcessBus> bus_;
  RetryPolicy fast_{.max_attempts = 3, .first_backoff = 1ms, .max_backoff = 1ms};
};

TEST_F(ConsumerBatchTest, ABatchIsCheckedInOneReadAndAppliedInOneTransaction) {
  const std::vector<BusMessage> batch = PublishedBatch(5);
  CountingStore store(*store_);
  LedgerHandler ledger;
  ConsumerRunner runner(*bus_, store, clock_, ledger, fast_);
  EXPECT_EQ(runner.SettleBatch(batch), 5u);
  EXPECT_EQ(store.reads, 1);
  EXPECT_EQ(store.writes, 1);
  for (const BusMessage& message : batch) {
    EXPECT_EQ(Applied(message.event_id), 1) << message.event_id;
    EXPECT_EQ(Processed(message.event_id), 1) << message.event_id;
  }
}

TEST_F(ConsumerBatchTest, TheProcessedMessagesOfABatchAreSkippedAndARedeliveryWritesNothing) {
  const std::vector<BusMessage> batch = PublishedBatch(5);
  CountingStore store(*store_);
  LedgerHandler ledger;
  ConsumerRunner runner(*bus_, store, clock_, ledger, fast_);
  ASSERT_EQ(runner.SettleBatch(std::span(batch).first(2)), 2u);
  EXPECT_EQ(runner.SettleBatch(batch), 5u);
  EXPECT_EQ(store.writes, 2);
  for (const BusMessage& message : batch) {
    EXPECT_EQ(ledger.delivered[message.event_id], 1) << message.event_id;
    EXPECT_EQ(Applied(message.event_id), 1) << message.event_id;
  }
  // A crash after the transaction but before the commit: the same batch again.
  EXPECT_EQ(runner.SettleBatch(batch), 5u);
  EXPECT_EQ(store.writes, 2) << "every message was processed: no transaction";
  EXPECT_EQ(Count("SELECT count(*) FROM activity_log"), 5);
  EXPECT_EQ(Count("SELECT count(*) FROM processed_events WHERE consumer = 'ledger'"), 5);
  for (const BusMessage& message : batch) EXPECT_EQ(ledger.delivered[message.event_id], 1);
}

// A broker may hand the same event twice in one batch (a producer retry).
TEST_F(ConsumerBatchTest, ASecondCopyOfAnEventInTheBatchIsSkipped) {
  std::vector<BusMessage> batch = PublishedBatch(2);
  batch.push_back(batch[0]);
  CountingStore store(*store_);
  LedgerHandler ledger;
  ConsumerRunner runner(*bus_, store, clock_, ledger, fast_);
  EXPECT_EQ(runner.SettleBatch(batch), 3u);
  EXPECT_EQ(store.writes, 1);
  EXPECT_EQ(ledger.delivered[batch[0].event_id], 1);
  EXPECT_EQ(Applied(batch[0].event_id), 1);
  EXPECT_EQ(Applied(batch[1].event_id), 1);
}

TEST_F(ConsumerBatchTest, AFailingApplyRollsTheBatchBackAndOnlyItIsDeadLettered) {
  const std::vector<BusMessage> batch = PublishedBatch(5);
  const std::string bad = batch[2].event_id;
  LedgerHandler ledger;
  ledger.failing = {bad};
  ConsumerRunner runner(*bus_, *store_, clock_, ledger, fast_);
  EXPECT_EQ(runner.SettleBatch(batch), 5u);
  for (const BusMessage& message : batch) {
    if (message.event_id == bad) continue;
    EXPECT_EQ(Applied(message.event_id), 1) << message.event_id;
    EXPECT_EQ(Processed(message.event_id), 1) << message.event_id;
    // Once in the rolled-back batch, once alone: at least once.
    EXPECT_EQ(ledger.delivered[message.event_id], 2) << message.event_id;
  }
  EXPECT_EQ(Applied(bad), 0) << "its rows were rolled back every time";
  EXPECT_EQ(Processed(bad), 0);
  EXPECT_EQ(ledger.applied[bad], 1 + fast_.max_attempts) << "the batch, then each attempt alone";
  EXPECT_EQ(Count("SELECT count(*) FROM dead_letters WHERE consumer = 'ledger' AND event_id = '" +
                  bad + "' AND attempts = 3 AND error = 'bad apply'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM dead_letters"), 1);
}

TEST_F(ConsumerBatchTest, AFailedDeliverGoesAloneAndTheRestOfTheBatchTogether) {
  const std::vector<BusMessage> batch = PublishedBatch(5);
  CountingStore store(*store_);
  LedgerHandler ledger;
  ledger.fail_delivery_once = {batch[2].event_id};
  ConsumerRunner runner(*bus_, store, clock_, ledger, fast_);
  EXPECT_EQ(runner.SettleBatch(batch), 5u);
  // The two before it together, it alone (its retry), the two after it together.
  EXPECT_EQ(store.writes, 3);
  for (const BusMessage& message : batch) EXPECT_EQ(Applied(message.event_id), 1);
  EXPECT_EQ(ledger.delivered[batch[2].event_id], 2);
  EXPECT_EQ(Count("SELECT count(*) FROM dead_letters"), 0);
}

// The batched path's Deliver is the first of the message's max_attempts.
TEST_F(ConsumerBatchTest, ADeliverThatKeepsFailingIsTriedMaxAttemptsTimesInAll) {
  const std::vector<BusMessage> batch = PublishedBatch(3);
  LedgerHandler ledger;
  ledger.failing_delivery = {batch[1].event_id};
  ConsumerRunner runner(*bus_, *store_, clock_, ledger, fast_);
  EXPECT_EQ(runner.SettleBatch(batch), 3u);
  EXPECT_EQ(ledger.delivered[batch[1].event_id], fast_.max_attempts);
  EXPECT_EQ(Count("SELECT count(*) FROM dead_letters"), 1);
  EXPECT_EQ(Count("SELECT attempts FROM dead_letters"), fast_.max_attempts);
  EXPECT_EQ(Applied(batch[0].event_id), 1);
  EXPECT_EQ(Applied(batch[2].event_id), 1);
}

TEST_F(ConsumerBatchTest, AHandlerThatNeitherRecordsNorAppliesOpensNoTransaction) {
  const std::vector<BusMessage> batch = PublishedBatch(4);
  CountingStore store(*store_);
  LedgerHandler ledger;
  ledger.records = false;
  ledger.applies = false;
  ConsumerRunner runner(*bus_, store, clock_, ledger, fast_);
  EXPECT_EQ(runner.SettleBatch(batch), 4u);
  EXPECT_EQ(store.reads, 0);
  EXPECT_EQ(store.writes, 0);
  EXPECT_EQ(ledger.delivered.size(), 4u);
  EXPECT_TRUE(ledger.applied.empty());
  // The same alone.
  EXPECT_TRUE(runner.Settle(batch[0]));
  EXPECT_EQ(store.writes, 0);
}

// The notification service on task-events only wakes the scheduler.
TEST_F(ConsumerBatchTest, TheNotificationConsumerWakesOnTaskEventsWithoutATransaction) {
  const std::vector<BusMessage> batch = PublishedBatch(3);
  CountingStore store(*store_);
  struct NoWebhooks final : WebhookSender {
    Status Send(const std::string&, const std::string&, const std::string&,
                const std::string&) override {
      return Error{ErrorCode::kUnavailable, "no webhook expected", {}};
    }
  } sender;
  int wakes = 0;
  NotificationHandler notification(store, sender, [&] { ++wakes; });
  ConsumerRunner runner(*bus_, store, clock_, notification, fast_);
  EXPECT_EQ(runner.SettleBatch(batch), 3u);
  EXPECT_EQ(wakes, 3);
  EXPECT_EQ(store.reads, 0);
  EXPECT_EQ(store.writes, 0);
}

// Stop during a batch: no new Deliver starts; what was delivered is written
// and counted settled, nothing after it.
TEST_F(ConsumerBatchTest, AStopDuringABatchSettlesOnlyWhatWasDelivered) {
  const std::vector<BusMessage> batch = PublishedBatch(5);
  LedgerHandler ledger;
  ConsumerRunner runner(*bus_, *store_, clock_, ledger, fast_);
  ledger.on_deliver = [&](const BusMessage& message) {
    if (message.event_id == batch[1].event_id) runner.Stop();
  };
  EXPECT_EQ(runner.SettleBatch(batch), 2u);
  EXPECT_EQ(ledger.delivered.size(), 2u);
  EXPECT_EQ(Applied(batch[0].event_id), 1);
  EXPECT_EQ(Applied(batch[1].event_id), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM processed_events WHERE consumer = 'ledger'"), 2);
}

// Stopped while the batch transaction fails: nothing counts as settled (so no
// position is committed), and nothing is half written.
TEST_F(ConsumerBatchTest, AStopWhileTheBatchFailsSettlesNothing) {
  const std::vector<BusMessage> batch = PublishedBatch(3);
  LedgerHandler ledger;
  ledger.failing = {batch[0].event_id};
  ConsumerRunner runner(*bus_, *store_, clock_, ledger, fast_);
  ledger.on_deliver = [&](const BusMessage& message) {
    if (message.event_id == batch[1].event_id) runner.Stop();
  };
  EXPECT_EQ(runner.SettleBatch(batch), 0u);
  EXPECT_EQ(Count("SELECT count(*) FROM activity_log"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM processed_events"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM dead_letters"), 0);
}

// The loop commits the position once the batch is settled, and a batch
// redelivered from an older position (a crash before the commit) writes
// nothing twice.
TEST_F(ConsumerBatchTest, TheLoopCommitsAfterTheBatchAndARedeliveryChangesNothing) {
  const std::vector<BusMessage> batch = PublishedBatch(4);
  LedgerHandler ledger;
  for (int round = 0; round < 2; ++round) {
    Exec("DELETE FROM consumer_offsets");
    ConsumerRunner runner(*bus_, *store_, clock_, ledger, fast_);
    runner.Start();
    ASSERT_TRUE(WaitUntil([&] {
      return Count(
                 "SELECT count(*) FROM consumer_offsets WHERE consumer = 'ledger' AND position "
                 "= " +
                 std::to_string(batch.back().offset)) == 1;
    }));
    runner.Stop();
  }
  for (const BusMessage& message : batch) {
    EXPECT_EQ(Applied(message.event_id), 1) << message.event_id;
    EXPECT_EQ(ledger.delivered[message.event_id], 1) << "skipped when redelivered";
  }
}

TEST_F(RolesTest, TheRecurringConsumerMakesTheOccurrenceOnceWhenTheApiDidNot) {
  InProcessBus bus(*store_, clock_);
  OutboxRelay relay(*store_, bus, clock_);
  TaskService tasks(ports(), TaskServiceOptions{.inline_next_occurrence = false});
  TaskDraft draft{.title = "water", .due_at = clock_.Now() + 1h};
  draft.recurrence = Recurrence{.rule = RecurrenceRule::kDaily};
  auto task = tasks.Create("u1", draft);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(tasks.Complete("u1", task->id).ok());
  ASSERT_TRUE(relay.RunOnce().ok());
  RecurringHandler recurring(clock_, ids_);
  for (int round = 0; round < 2; ++round) {  // the second round is a redelivery
    Exec("DELETE FROM consumer_offsets; DELETE FROM processed_events;");
    ConsumerRunner runner(bus, *store_, clock_, recurring);
    runner.Start();
    ASSERT_TRUE(WaitUntil([&] {
      return Count(
                 "SELECT count(*) FROM consumer_offsets WHERE consumer = "
                 "'recurring-task-service'") == 1;
    }));
    runner.Stop();
    EXPECT_EQ(Count("SELECT count(*) FROM tasks WHERE previous_occurrence_id = '" + task->id + "'"),
              1);
  }
  // Its "created" events were appended with it.
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE topic = 'task-events' AND payload LIKE "
                  "'%\"event_type\":\"created\"%'"),
            2);
}

TEST_F(RolesTest, RealtimePushesUpdatesAndRemindersToTheirUserOnly) {
  InProcessBus bus(*store_, clock_);
  OutboxRelay relay(*store_, bus, clock_);
  LiveHub hub;
  std::mutex mutex;
  std::vector<std::string> got;
  hub.Add("u1", [&](std::string_view type, const std::string&) {
    std::lock_guard lock(mutex);
    got.emplace_back(type);
  });
  RealtimeHandler realtime(hub, RealtimeConsumer("a"));
  ConsumerRunner runner(bus, *store_, clock_, realtime);
  runner.Start();
  TaskService tasks(ports());
  ASSERT_TRUE(tasks.Create("u2", TaskDraft{.title = "not yours"}).ok());
  ASSERT_TRUE(tasks
                  .Create("u1", TaskDraft{.title = "mine",
                                          .reminders = std::vector<ReminderSpec>{ReminderSpec{
                                              .at = clock_.Now()}}})
                  .ok());
  ReminderScheduler scheduler(*store_, clock_, ids_);
  ASSERT_EQ(*scheduler.FireDue(), 1);
  ASSERT_TRUE(relay.RunOnce().ok());
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mutex);
    return got.size() == 2;
  }));
  runner.Stop();
  std::lock_guard lock(mutex);
  EXPECT_THAT(got, ElementsAre("task-update", "reminder"));
}

// Each realtime replica has a group of its own and reads live: both get
// every event (a shared group would give each event to one of them only).
TEST_F(RolesTest, EveryRealtimeReplicaPushesEveryEvent) {
  InProcessBus bus(*store_, clock_);
  OutboxRelay relay(*store_, bus, clock_);
  LiveHub hub_a, hub_b;
  std::mutex mutex;
  std::vector<std::string> got_a, got_b;
  hub_a.Add("u1", [&](std::string_view, const std::string& event) {
    std::lock_guard lock(mutex);
    got_a.push_back(event);
  });
  hub_b.Add("u1", [&](std::string_view, const std::string& event) {
    std::lock_guard lock(mutex);
    got_b.push_back(event);
  });
  RealtimeHandler realtime_a(hub_a, RealtimeConsumer("a"));
  RealtimeHandler realtime_b(hub_b, RealtimeConsumer("b"));
  ConsumerRunner runner_a(bus, *store_, clock_, realtime_a);
  ConsumerRunner runner_b(bus, *store_, clock_, realtime_b);
  runner_a.Start();
  runner_b.Start();
  TaskService tasks(ports());
  for (const char* title : {"one", "two", "three"}) {
    ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = title}).ok());
  }
  ASSERT_TRUE(relay.RunOnce().ok());
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mutex);
    return got_a.size() == 3 && got_b.size() == 3;
  }));
  runner_a.Stop();
  runner_b.Stop();
  std::lock_guard lock(mutex);
  EXPECT_EQ(got_a, got_b);
  EXPECT_EQ(Count("SELECT count(*) FROM consumer_offsets"), 0) << "live readers keep no cursor";
  EXPECT_EQ(Count("SELECT count(*) FROM processed_events"), 0);
}

// A live subscription starts at the outbox head as of Subscribe: what was
// written before (published or not yet) is history, never pushed; what comes
// after is. Its commits write nothing.
TEST_F(RolesTest, ALiveSubscriptionStartsAtTheHeadAndKeepsNoCursor) {
  InProcessBus bus(*store_, clock_);
  OutboxRelay relay(*store_, bus, clock_);
  TaskService tasks(ports());
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "published before"}).ok());
  ASSERT_EQ(*relay.RunOnce(), 2);
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "written before"}).ok());
  const std::vector<std::string> topics{std::string(kTaskUpdatesTopic)};
  auto live = bus.Subscribe(RealtimeConsumer("late"), topics, SubscriptionKind::kLive);
  ASSERT_EQ(*relay.RunOnce(), 2);
  auto read = live->Poll(100ms);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty()) << "nothing from before it started";

  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "after"}).ok());
  ASSERT_EQ(*relay.RunOnce(), 2);
  read = live->Poll(1s);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_THAT(read->front().payload, HasSubstr("\"after\""));
  ASSERT_TRUE(live->Commit(read->front()).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM consumer_offsets"), 0);

  // A durable group's first subscription still reads from the start.
  read = bus.Subscribe("durable", topics, SubscriptionKind::kDurable)->Poll(1s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 3u);
}

TEST_F(RolesTest, DueRemindersAreClaimedOnceAcrossReplicasAndNeverForDoneTasks) {
  TaskService tasks(ports());
  const auto remind = [&](std::chrono::milliseconds after) {
    return TaskDraft{
        .title = "t",
        .reminders = std::vector<ReminderSpec>{ReminderSpec{.at = clock_.Now() + after}}};
  };
  auto due = tasks.Create("u1", remind(1s));
  auto completed = tasks.Create("u1", remind(1s));
  auto deleted = tasks.Create("u1", remind(1s));
  auto later = tasks.Create("u1", remind(1h));
  ASSERT_TRUE(due.ok() && completed.ok() && deleted.ok() && later.ok());
  ASSERT_TRUE(tasks.Complete("u1", completed->id).ok());
  ASSERT_TRUE(tasks.Delete("u1", deleted->id, std::nullopt).ok());

  ReminderScheduler one(*store_, clock_, ids_);
  ReminderScheduler two(*store_, clock_, ids_);  // a second replica on the same database
  EXPECT_EQ(*one.FireDue(), 0);                  // nothing due yet
  std::optional<Instant> next;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& tx) -> Status {
                    next = tx.NextReminderAt();
                    return {};
                  })
                  .ok());
  EXPECT_EQ(next, clock_.Now() + 1s);
  clock_.Advance(2s);
  std::atomic<int> fired{0};
  std::thread a([&] { fired += *one.FireDue(); });
  std::thread b([&] { fired += *two.FireDue(); });
  a.join();
  b.join();
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE topic = 'reminders' AND payload LIKE '%" +
                  due->id + "%'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE topic = 'reminders'"), 1);
  auto shown = tasks.Get("u1", due->id);
  ASSERT_TRUE(shown.ok());
  EXPECT_TRUE(shown->reminders[0].sent_at.has_value());
  EXPECT_TRUE(shown->reminder_sent);
}

TEST_F(RolesTest, TheSchedulerWakesForANewReminderAndStopsCleanly) {
  ManualClock& clock = clock_;
  ReminderScheduler scheduler(*store_, clock, ids_);
  scheduler.Start();
  EXPECT_TRUE(scheduler.running());
  TaskService tasks(ports());
  ASSERT_TRUE(tasks
                  .Create("u1", TaskDraft{.title = "now",
                                          .reminders = std::vector<ReminderSpec>{ReminderSpec{
                                              .at = clock.Now()}}})
                  .ok());
  scheduler.Wake();
  ASSERT_TRUE(WaitUntil(
      [&] { return Count("SELECT count(*) FROM outbox WHERE topic = 'reminders'") == 1; }));
  scheduler.Stop();
  EXPECT_FALSE(scheduler.running());
}

// ---- the event pruner ----

PruningOptions InProcessPruning() {
  return PruningOptions{.outbox_retention = 1h,
                        .processed_retention = 2h,
                        .interval = 1h,
                        .window = 2,  // several batches per pass
                        .topics = {std::string(kTaskEventsTopic), std::string(kTaskUpdatesTopic)},
                        .outbox_is_log = true,
                        .readers = {{"audit", std::string(kTaskEventsTopic)},
                                    {"recurring", std::string(kTaskEventsTopic)}}};
}

// With the in-process bus the outbox is the log: a row goes once it is old
// and every group of its topic has read past it, never before; a group that
// has no cursor yet holds back the whole topic.
TEST_F(RolesTest, ThePrunerDeletesOnlyOldRowsEveryConsumerGroupOfTheTopicHasRead) {
  InProcessBus bus(*store_, clock_);
  TaskService tasks(ports());
  for (const char* title : {"a", "b", "c", "d"}) {
    ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = title}).ok());
  }
  OutboxRelay relay(*store_, bus, clock_);
  ASSERT_EQ(*relay.RunOnce(), 8);  // a task-events and a task-updates row each
  auto audit = bus.Subscribe("audit", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable);
  auto read = audit->Poll(1s);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 4u);
  ASSERT_TRUE(audit->Commit((*read)[3]).ok());  // audit has read all four

  EventPruner pruner(*store_, clock_, InProcessPruning());
  clock_.Advance(30min);
  EXPECT_EQ(pruner.RunOnce()->outbox, 0) << "younger than the retention";
  clock_.Advance(31min);
  EXPECT_EQ(pruner.RunOnce()->outbox, 4)
      << "every task-updates row (no reader named, no cursor), but no task-events row: "
         "recurring has no cursor yet";
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE topic = 'task-events'"), 4);

  auto recurring =
      bus.Subscribe("recurring", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable);
  read = recurring->Poll(1s);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 4u);
  ASSERT_TRUE(recurring->Commit((*read)[1]).ok());  // recurring has read two
  const std::string third = (*read)[2].event_id;
  EXPECT_EQ(pruner.RunOnce()->outbox, 2);
  // What recurring has not read yet is still there for it after a restart.
  read = bus.Subscribe("recurring", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable)
             ->Poll(1s);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ(read->front().event_id, third);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 2);

  // A group that is not one of the readers but has a cursor holds rows back too.
  Exec(
      "INSERT INTO consumer_offsets (consumer, topic, position) VALUES ('old-tool', "
      "'task-events', 0)");
  ASSERT_TRUE(recurring->Commit((*read)[1]).ok());
  EXPECT_EQ(pruner.RunOnce()->outbox, 0);
  Exec("DELETE FROM consumer_offsets WHERE consumer = 'old-tool'");
  EXPECT_EQ(pruner.RunOnce()->outbox, 2);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);
}

// Realtime replicas come and go (a new group each start): none may hold the
// outbox back. Live readers keep no cursor, and the cursors of the retired
// shared group (`realtime-service`, from earlier versions) are deleted.
TEST_F(RolesTest, ThePrunerIsNotHeldBackByRealtimeReplicasPresentOrGone) {
  InProcessBus bus(*store_, clock_);
  TaskService tasks(ports());
  for (const char* title : {"a", "b"}) {
    ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = title}).ok());
  }
  OutboxRelay relay(*store_, bus, clock_);
  ASSERT_EQ(*relay.RunOnce(), 4);
  // The shared group of an earlier version left its cursor behind at 0.
  Exec(
      "INSERT INTO consumer_offsets (consumer, topic, position) VALUES ('realtime-service', "
      "'task-updates', 0)");
  {
    // A replica that read and went away; another one still running.
    LiveHub hub;
    RealtimeHandler gone_handler(hub, RealtimeConsumer("gone"));
    ConsumerRunner gone(bus, *store_, clock_, gone_handler);
    gone.Start();
    ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "c"}).ok());
    ASSERT_EQ(*relay.RunOnce(), 2);
    gone.Stop();
  }
  auto running = bus.Subscribe(RealtimeConsumer("running"), {std::string(kTaskUpdatesTopic)},
                               SubscriptionKind::kLive);

  PruningOptions options = InProcessPruning();
  options.retired_groups = {std::string(kRealtimeConsumer)};
  EventPruner pruner(*store_, clock_, options);
  clock_.Advance(2h);
  EXPECT_EQ(pruner.RunOnce()->outbox, 3) << "every task-updates row";
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE topic = 'task-updates'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM consumer_offsets"), 0);

  // The running replica carries on after the pruned rows.
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "d"}).ok());
  ASSERT_EQ(*relay.RunOnce(), 2);
  auto read = running->Poll(1s);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_THAT(read->front().payload, HasSubstr("\"d\""));
}

// With Kafka the broker keeps the log: old published rows go whatever the
// cursors; unpublished rows always stay.
TEST_F(RolesTest, WithKafkaThePrunerDeletesOldPublishedRowsAndNeverUnpublishedOnes) {
  InProcessBus bus(*store_, clock_);
  TaskService tasks(ports());
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "published"}).ok());
  OutboxRelay relay(*store_, bus, clock_);
  ASSERT_EQ(*relay.RunOnce(), 2);
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "not yet"}).ok());
  PruningOptions options = InProcessPruning();
  options.outbox_is_log = false;
  EventPruner pruner(*store_, clock_, options);
  clock_.Advance(2h);
  EXPECT_EQ(pruner.RunOnce()->outbox, 2);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE published_at IS NULL"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 2);
}

// processed_events goes after its own retention; an event seen again after
// that would be applied again, hence a retention at least the topics'.
TEST_F(RolesTest, ThePrunerForgetsProcessedEventsAfterTheirRetention) {
  InProcessBus bus(*store_, clock_);
  TaskService tasks(ports());
  AuditHandler audit;
  ConsumerRunner runner(bus, *store_, clock_, audit);
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "a"}).ok());
  OutboxRelay relay(*store_, bus, clock_);
  ASSERT_EQ(*relay.RunOnce(), 2);
  auto read = bus.Subscribe("reader", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable)
                  ->Poll(1s);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  ASSERT_TRUE(runner.Settle(read->front()));
  clock_.Advance(90min);
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "b"}).ok());
  ASSERT_EQ(*relay.RunOnce(), 2);
  read = bus.Subscribe("reader", {std::string(kTaskEventsTopic)}, SubscriptionKind::kDurable)
             ->Poll(1s);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 2u);
  ASSERT_TRUE(runner.Settle((*read)[1]));
  EXPECT_EQ(Count("SELECT count(*) FROM processed_events"), 2);

  EventPruner pruner(*store_, clock_, InProcessPruning());
  clock_.Advance(31min);  // the first is 2 h 1 min old, the second 31 min
  EXPECT_EQ(pruner.RunOnce()->processed, 1);
  EXPECT_EQ(
      Count("SELECT count(*) FROM processed_events WHERE event_id = '" + (*read)[1].event_id + "'"),
      1);
  EXPECT_EQ(Count("SELECT count(*) FROM activity_log"), 2) << "the side effects stay";
}

// The loop prunes at start and then every interval, and stops at once.
TEST_F(RolesTest, ThePrunerLoopPrunesAtStartAndStopsPromptly) {
  InProcessBus bus(*store_, clock_);
  TaskService tasks(ports());
  ASSERT_TRUE(tasks.Create("u1", TaskDraft{.title = "a"}).ok());
  OutboxRelay relay(*store_, bus, clock_);
  ASSERT_EQ(*relay.RunOnce(), 2);
  clock_.Advance(2h);
  PruningOptions options = InProcessPruning();
  options.outbox_is_log = false;
  EventPruner pruner(*store_, clock_, options);
  pruner.Start();
  EXPECT_TRUE(WaitUntil([&] { return Count("SELECT count(*) FROM outbox") == 0; }));
  const auto start = std::chrono::steady_clock::now();
  pruner.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "an interval of 1 h is not waited out";
}

}  // namespace
}  // namespace taskflow::testing
