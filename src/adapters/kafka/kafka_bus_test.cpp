// The Kafka EventBus against a real broker (scripts/peers/kafka-up, started
// by the CTest fixture `kafka_broker`, which writes its address to the file
// named by TASKFLOW_KAFKA_ENV). What we publish is also read back with kcat,
// an independent client. Each test uses topics and groups of its own, so the
// tests may run in parallel against the one broker.
#include "adapters/kafka/kafka_bus.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "adapters/kafka/kafka_test_support.hpp"
#include "adapters/kafka/kafka_topics.hpp"

namespace taskflow {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

using testing::FixtureBootstrap;
using testing::OwnBroker;

std::string UniqueSuffix() {
  std::random_device device;
  std::ostringstream out;
  out << std::hex << device() << device();
  return out.str();
}

KafkaOptions OptionsFor(const std::string& bootstrap) {
  KafkaOptions options = *ResolveKafkaOptions(KafkaSources{.bootstrap_servers = bootstrap});
  options.client_id = "taskflow-test";
  options.publish_timeout = 5s;
  options.session_timeout = 6s;
  options.admin_timeout = 20s;
  return options;
}

// Runs a shell command; its stdout, or a test failure on a non-zero exit.
std::string RunShell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  std::array<char, 4096> buffer{};
  size_t got = 0;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), got);
  const int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << " failed:\n" << out;
  return out;
}

struct KcatRecord {
  int partition = 0;
  long long offset = 0;
  std::string key, payload, headers;
};

// Every message of `topic` as kcat (librdkafka's own CLI, not our code) sees
// it, in partition then offset order. Fields are separated by \x1f.
std::vector<KcatRecord> ReadWithKcat(const std::string& bootstrap, const std::string& topic) {
  const std::string out = RunShell("timeout 60 kcat -q -C -b " + bootstrap + " -t " + topic +
                                   " -o beginning -e -f '%p\\x1f%o\\x1f%k\\x1f%s\\x1f%h\\x1e'");
  std::vector<KcatRecord> records;
  std::stringstream lines(out);
  std::string line;
  while (std::getline(lines, line, '\x1e')) {
    std::vector<std::string> fields;
    std::stringstream parts(line);
    std::string field;
    while (std::getline(parts, field, '\x1f')) fields.push_back(field);
    if (fields.size() < 4) {
      ADD_FAILURE() << "kcat line: " << line;
      continue;
    }
    fields.resize(5);
    records.push_back(
        {std::stoi(fields[0]), std::stoll(fields[1]), fields[2], fields[3], fields[4]});
  }
  std::stable_sort(records.begin(), records.end(), [](const KcatRecord& a, const KcatRecord& b) {
    return std::pair(a.partition, a.offset) < std::pair(b.partition, b.offset);
  });
  return records;
}

OutboxRecord Record(const std::string& topic, const std::string& key, int n) {
  const std::string id = "evt-" + key + "-" + std::to_string(n);
  return OutboxRecord{.id = n,
                      .topic = topic,
                      .key = key,
                      .event_id = id,
                      .payload = R"({"event_id":")" + id + R"(","n":)" + std::to_string(n) +
                                 R"(,"title":"Zürich ☕ \"quoted\""})"};
}

// Polls until `count` messages came or `limit` passed.
std::vector<BusMessage> PollUntil(EventSubscription& subscription, size_t count,
                                  std::chrono::milliseconds limit = 60s) {
  std::vector<BusMessage> got;
  const auto deadline = Clock::now() + limit;
  while (got.size() < count && Clock::now() < deadline) {
    Result<std::vector<BusMessage>> batch = subscription.Poll(500ms);
    if (!batch.ok()) continue;  // the group is still forming, or a topic still appearing
    got.insert(got.end(), batch->begin(), batch->end());
  }
  return got;
}

class KafkaBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bootstrap_ = FixtureBootstrap();
    ASSERT_FALSE(bootstrap_.empty());
    suffix_ = UniqueSuffix();
    Result<std::unique_ptr<KafkaBus>> bus = KafkaBus::Create(OptionsFor(bootstrap_));
    ASSERT_TRUE(bus.ok()) << bus.error().message;
    bus_ = std::move(*bus);
  }

  // A topic of this test only.
  std::string MakeTopic(const std::string& name, int partitions) {
    const std::string topic = name + "-" + suffix_;
    Result<std::vector<TopicOutcome>> made =
        CreateTopics(OptionsFor(bootstrap_), {{topic, partitions, std::chrono::hours(1)}});
    EXPECT_TRUE(made.ok()) << made.error().message;
    return topic;
  }

  std::string bootstrap_;
  std::string suffix_;
  std::unique_ptr<KafkaBus> bus_;
};

TEST_F(KafkaBusTest, PublishedMessagesAreConsumedInOrderPerUserWithTheirEventIds) {
  const std::string topic = MakeTopic("order", 3);
  std::vector<OutboxRecord> published;
  for (int n = 0; n < 30; ++n)
    published.push_back(Record(topic, "user-" + std::to_string(n % 4), n));
  // Two Publish calls, as the relay makes them batch by batch.
  ASSERT_TRUE(bus_->Publish({published.begin(), published.begin() + 12}).ok());
  ASSERT_TRUE(bus_->Publish({published.begin() + 12, published.end()}).ok());

  auto subscription =
      bus_->Subscribe("order-group-" + suffix_, {topic}, SubscriptionKind::kDurable);
  const std::vector<BusMessage> got = PollUntil(*subscription, published.size());
  ASSERT_EQ(got.size(), published.size());

  std::map<std::string, std::vector<std::string>> sent_per_key, got_per_key;
  std::map<std::string, std::set<int>> partitions_per_key;
  for (const OutboxRecord& record : published) sent_per_key[record.key].push_back(record.event_id);
  for (const BusMessage& message : got) {
    EXPECT_EQ(message.topic, topic);
    got_per_key[message.key].push_back(message.event_id);
    partitions_per_key[message.key].insert(message.partition);
    EXPECT_THAT(message.payload, HasSubstr(R"("event_id":")" + message.event_id + "\""));
  }
  EXPECT_EQ(got_per_key, sent_per_key);  // same messages, each user's in publish order
  for (const auto& [key, partitions] : partitions_per_key) {
    EXPECT_EQ(partitions.size(), 1u) << key << " must stay in one partition";
  }
  EXPECT_TRUE(subscription->Commit(got.back()).ok());
}

TEST_F(KafkaBusTest, KcatReadsEveryPublishedMessageWithItsKeyPayloadAndEventIdHeader) {
  const std::string topic = MakeTopic("kcat", 3);
  std::vector<OutboxRecord> published;
  for (int n = 0; n < 12; ++n)
    published.push_back(Record(topic, "user-" + std::to_string(n % 3), n));
  ASSERT_TRUE(bus_->Publish(published).ok());

  const std::vector<KcatRecord> seen = ReadWithKcat(bootstrap_, topic);
  ASSERT_EQ(seen.size(), published.size());
  std::map<std::string, std::vector<std::string>> sent_per_key, seen_per_key;
  std::map<std::string, std::set<int>> partitions;
  for (const OutboxRecord& record : published) sent_per_key[record.key].push_back(record.payload);
  for (const KcatRecord& record : seen) {
    seen_per_key[record.key].push_back(record.payload);  // byte for byte, UTF-8 included
    partitions[record.key].insert(record.partition);
    const std::string id = "evt-" + record.key + "-";
    EXPECT_THAT(record.headers, HasSubstr("event_id=" + id));
  }
  EXPECT_EQ(seen_per_key, sent_per_key);
  for (const auto& [key, set] : partitions) EXPECT_EQ(set.size(), 1u) << key;
}

TEST_F(KafkaBusTest, ANewSubscriptionOfTheGroupResumesAfterTheCommittedOffset) {
  const std::string topic = MakeTopic("resume", 1);
  std::vector<OutboxRecord> published;
  for (int n = 0; n < 10; ++n) published.push_back(Record(topic, "user-r", n));
  ASSERT_TRUE(bus_->Publish(published).ok());
  const std::string group = "resume-group-" + suffix_;
  {
    auto first = bus_->Subscribe(group, {topic}, SubscriptionKind::kDurable);
    const std::vector<BusMessage> got = PollUntil(*first, 10);
    ASSERT_EQ(got.size(), 10u);
    ASSERT_TRUE(first->Commit(got[4]).ok());  // 0..4 processed; 5..9 fetched but not committed
  }
  auto second = bus_->Subscribe(group, {topic}, SubscriptionKind::kDurable);
  const std::vector<BusMessage> again = PollUntil(*second, 5);
  ASSERT_EQ(again.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(again[i].event_id, published[5 + i].event_id);
    EXPECT_EQ(again[i].offset, 5 + i);
  }
  // Nothing more: the committed ones are not delivered again.
  Result<std::vector<BusMessage>> more = second->Poll(1500ms);
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(more->empty());
  // Another group starts from the beginning.
  auto other = bus_->Subscribe("other-group-" + suffix_, {topic}, SubscriptionKind::kDurable);
  EXPECT_EQ(PollUntil(*other, 10).size(), 10u);
}

TEST_F(KafkaBusTest, ADeadLetterCarriesTheErrorAndTheOriginalMessage) {
  const std::string topic = MakeTopic("poison", 1);
  MakeTopic("poison", 1);  // idempotent: creating it again is fine
  const std::string dlq = topic + "-dlq";
  ASSERT_TRUE(CreateTopics(OptionsFor(bootstrap_), {{dlq, 1, std::chrono::hours(1)}}).ok());
  const DeadLetter letter{.consumer = "audit-service",
                          .topic = topic,
                          .key = "user-p",
                          .event_id = "evt-poison",
                          .payload = R"({"event_id":"evt-poison","broken":true})",
                          .error = "task_data: missing field \"title\"",
                          .attempts = 5};
  ASSERT_TRUE(bus_->PublishDeadLetter(letter).ok());

  const std::vector<KcatRecord> seen = ReadWithKcat(bootstrap_, dlq);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].key, letter.key);
  EXPECT_EQ(seen[0].payload, letter.payload);
  EXPECT_THAT(seen[0].headers, HasSubstr("error=" + letter.error));
  EXPECT_THAT(seen[0].headers, HasSubstr("consumer=audit-service"));
  EXPECT_THAT(seen[0].headers, HasSubstr("original_topic=" + topic));
  EXPECT_THAT(seen[0].headers, HasSubstr("attempts=5"));

  auto subscription = bus_->Subscribe("dlq-reader-" + suffix_, {dlq}, SubscriptionKind::kDurable);
  const std::vector<BusMessage> got = PollUntil(*subscription, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].event_id, "evt-poison");
  EXPECT_EQ(got[0].payload, letter.payload);
}

TEST_F(KafkaBusTest, WakeEndsAPollInProgress) {
  const std::string topic = MakeTopic("wake", 1);
  auto subscription = bus_->Subscribe("wake-group-" + suffix_, {topic}, SubscriptionKind::kDurable);
  std::thread waker([&] {
    std::this_thread::sleep_for(300ms);
    subscription->Wake();
  });
  const auto start = Clock::now();
  Result<std::vector<BusMessage>> polled = subscription->Poll(30s);
  const auto took = Clock::now() - start;
  waker.join();
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  EXPECT_TRUE(polled->empty());
  EXPECT_LT(took, 5s);
  // Later polls wait as usual again.
  const auto again = Clock::now();
  EXPECT_TRUE(subscription->Poll(700ms).ok());
  EXPECT_GE(Clock::now() - again, 600ms);
}

TEST_F(KafkaBusTest, PublishingToATopicThatDoesNotExistFailsWithinTheBound) {
  const auto start = Clock::now();
  Status status = bus_->Publish({Record("no-such-topic-" + suffix_, "user-x", 1)});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(Clock::now() - start, 5s + 3s);
}

TEST_F(KafkaBusTest, TopicCreationIsIdempotentAndReportsAPartitionMismatch) {
  const std::string name = "mismatch-" + suffix_;
  Result<std::vector<TopicOutcome>> first =
      CreateTopics(OptionsFor(bootstrap_), {{name, 2, std::chrono::hours(1)}});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->at(0).created);
  EXPECT_EQ(first->at(0).partitions, 2);
  EXPECT_TRUE(first->at(0).problem.empty());

  Result<std::vector<TopicOutcome>> again =
      CreateTopics(OptionsFor(bootstrap_), {{name, 2, std::chrono::hours(1)}});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->at(0).created);
  EXPECT_TRUE(again->at(0).problem.empty());

  Result<std::vector<TopicOutcome>> other =
      CreateTopics(OptionsFor(bootstrap_), {{name, 3, std::chrono::hours(1)}});
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_EQ(other->at(0).partitions, 2);
  EXPECT_THAT(other->at(0).problem, HasSubstr("2 partitions, not 3"));
}

TEST_F(KafkaBusTest, ABadTopicNameIsRefusedNamingTheTopic) {
  Result<std::vector<TopicOutcome>> made =
      CreateTopics(OptionsFor(bootstrap_), {{"bad name!", 1, std::chrono::hours(1)}});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(made.error().fields.at(0).field, "bad name!");
}

// No broker listens on this port: nothing may hang, and the errors say unavailable.
TEST(KafkaBusUnreachableTest, PublishCommitAndCreateAnswerUnavailableWithinTheirBounds) {
  KafkaOptions options = OptionsFor("127.0.0.1:1");
  options.publish_timeout = 2s;
  options.admin_timeout = 2s;
  options.session_timeout = 2s;
  Result<std::unique_ptr<KafkaBus>> bus = KafkaBus::Create(options);
  ASSERT_TRUE(bus.ok()) << bus.error().message;

  auto start = Clock::now();
  Status published = (*bus)->Publish({Record("task-events", "user-u", 1)});
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(Clock::now() - start, 2s + 3s);

  start = Clock::now();
  Status dead = (*bus)->PublishDeadLetter(DeadLetter{.topic = "task-events", .key = "u"});
  EXPECT_EQ(dead.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(Clock::now() - start, 2s + 3s);

  start = Clock::now();
  Result<std::vector<TopicOutcome>> made = CreateTopics(options, TaskflowTopics());
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(Clock::now() - start, 2s + 6s);

  start = Clock::now();
  {
    auto subscription =
        (*bus)->Subscribe("unreachable-group", {"task-events"}, SubscriptionKind::kDurable);
    for (int i = 0; i < 3; ++i) (void)subscription->Poll(500ms);
  }  // closing cannot reach a coordinator either
  EXPECT_LT(Clock::now() - start, 1500ms + 2s + 2s);
}

// A broker of this test only, stopped mid-test: the bus must say unavailable
// within its bounds, never hang.
TEST(KafkaBusBrokerStoppedTest, PublishAndCommitAnswerUnavailableOnceTheBrokerIsGone) {
  OwnBroker broker(TASKFLOW_PEERS_DIR, /*with_topics=*/false);
  ASSERT_FALSE(broker.bootstrap().empty());
  KafkaOptions options = OptionsFor(broker.bootstrap());
  options.publish_timeout = 3s;
  options.commit_timeout = 3s;
  options.session_timeout = 3s;
  const std::string topic = "stopped-" + UniqueSuffix();
  ASSERT_TRUE(CreateTopics(options, {{topic, 1, std::chrono::hours(1)}}).ok());
  Result<std::unique_ptr<KafkaBus>> bus = KafkaBus::Create(options);
  ASSERT_TRUE(bus.ok());
  ASSERT_TRUE((*bus)->Publish({Record(topic, "user-s", 1)}).ok());
  auto subscription = (*bus)->Subscribe("stopped-group", {topic}, SubscriptionKind::kDurable);
  const std::vector<BusMessage> got = PollUntil(*subscription, 1);
  ASSERT_EQ(got.size(), 1u);

  broker.Stop();

  auto start = Clock::now();
  Status published = (*bus)->Publish({Record(topic, "user-s", 2), Record(topic, "user-t", 3)});
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(Clock::now() - start, 3s + 3s);

  start = Clock::now();
  Status committed = subscription->Commit(got[0]);
  EXPECT_LT(Clock::now() - start, 3s + 2s);
  if (!committed.ok()) {
    EXPECT_EQ(committed.error().code, ErrorCode::kUnavailable);
  }

  start = Clock::now();
  (void)subscription->Poll(1s);
  subscription.reset();  // leaving the group cannot reach the coordinator
  EXPECT_LT(Clock::now() - start, 1s + 3s + 2s);
}

}  // namespace
}  // namespace taskflow
