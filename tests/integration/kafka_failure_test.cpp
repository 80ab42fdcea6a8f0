// The event pipeline over a real Kafka broker when things fail (label kafka):
// the broker killed mid-stream, a consumer process killed mid-stream, a
// poison message, and a stop while the broker is unreachable. Each test that
// kills or needs a broker of its own starts one (OwnBroker): the consumer
// groups have fixed names (audit-service …), so processes of another test on
// a shared broker would take part of the partitions. What is on the topics is
// read with kcat, an independent client; the events are checked against
// schemas/events/ by tests/contract/check_events.py.
#include <gmock/gmock.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "adapters/kafka/kafka_test_support.hpp"
#include "api_test.hpp"
#include "event_log.hpp"
#include "kcat.hpp"

namespace taskflow::integration {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using SteadyClock = std::chrono::steady_clock;
using taskflow::testing::FixtureBootstrap;
using taskflow::testing::OwnBroker;

TestUser NewUser() { return MintedUser(); }

EnvVars KafkaServeEnv(const TestDatabase& database, const std::string& bootstrap,
                      const std::string& roles) {
  EnvVars env = ServerEnv(database.url(), TestSecret());
  env.emplace_back("TASKFLOW_BUS", "kafka");
  env.emplace_back("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
  env.emplace_back("TASKFLOW_ROLES", roles);
  return env;
}

long long Count(const std::string& path, const std::string& sql) {
  return std::stoll(QuerySqlite(path, sql).at(0).at(0));
}

bool AllPublished(const std::string& path) {
  return Count(path, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0;
}

// Writes through the API on its own thread and connection until stopped,
// round-robin over `users`, each user's tasks going through their whole
// life: created, updated, completed, reopened, deleted. Records every call
// that did not answer 2xx and the slowest answer.
class WriteStream {
 public:
  WriteStream(std::string base_url, std::vector<TestUser> users)
      : base_url_(std::move(base_url)), users_(std::move(users)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~WriteStream() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int calls() const { return calls_; }
  // Waits until `n` more calls than now have answered.
  bool WaitForMore(int n, std::chrono::milliseconds timeout) {
    const int target = calls_ + n;
    return WaitUntil([&] { return calls_ >= target; }, timeout);
  }
  const std::vector<std::string>& failures() const { return failures_; }
  std::chrono::milliseconds slowest() const { return slowest_; }

 private:
  void Run() {
    HttpClient client(base_url_);
    std::vector<std::string> task_ids(users_.size());
    for (int step = 0; !stop_; ++step) {
      for (std::size_t u = 0; u < users_.size() && !stop_; ++u) {
        Request request{.token = users_[u].token};
        const std::string task = "/api/tasks/" + task_ids[u];
        switch (step % 5) {
          case 0:
            request.method = "POST", request.target = "/api/tasks";
            request.body = R"({"title":"stream )" + std::to_string(step) + R"("})";
            break;
          case 1:
            request.method = "PATCH", request.target = task;
            request.body = R"({"title":"renamed )" + std::to_string(step) + R"(","priority":"P1"})";
            break;
          case 2:
            request.method = "POST", request.target = task + "/complete";
            break;
          case 3:
            request.method = "POST", request.target = task + "/reopen";
            break;
          default:
            request.method = "DELETE", request.target = task;
        }
        const auto start = SteadyClock::now();
        Response response = client.Send(request);
        slowest_ = std::max(slowest_, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          SteadyClock::now() - start));
        if (response.status < 200 || response.status > 299) {
          failures_.push_back(request.method + " " + request.target + ": " + response.Describe());
          stop_ = true;  // the next steps need this one
        } else if (step % 5 == 0) {
          task_ids[u] = Str(response.json().as_object(), "id");
        }
        ++calls_;
      }
    }
  }

  const std::string base_url_;
  const std::vector<TestUser> users_;
  std::atomic<bool> stop_{false};
  std::atomic<int> calls_{0};
  std::vector<std::string> failures_;  // read after Stop
  std::chrono::milliseconds slowest_{0};
  std::thread thread_;
};

// Runs tests/contract/check_events.py on `messages` of the topics: each must
// match its topic's schema, carry its user as key and its event_id header.
void ExpectSchemaValid(const std::vector<std::pair<std::string, KcatMessage>>& messages,
                       const std::filesystem::path& dir) {
  const std::filesystem::path log = dir / "read-back.jsonl";
  {
    std::ofstream out(log);
    for (const auto& [topic, message] : messages) {
      out << boost::json::serialize(boost::json::object{{"topic", topic},
                                                        {"key", message.key},
                                                        {"event_id", message.Header("event_id")},
                                                        {"payload", message.payload}})
          << '\n';
    }
  }
  const std::string command = std::string(TASKFLOW_CHECK_EVENTS) + " --partial --min-events " +
                              std::to_string(messages.size()) + " --log '" + log.string() +
                              "' 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[4096];
  size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  EXPECT_EQ(pclose(pipe), 0) << out;
}

// The broker is SIGKILLed while a client streams writes, the writes go on,
// and the broker comes back on its data and port: no API call fails or waits
// on the broker, and every committed change reaches its topic (at least
// once, in each user's order, as its schema says).
TEST(KafkaFailureTest, ABrokerKilledMidStreamLosesNothingAndFailsNoApiCall) {
  OwnBroker broker(TASKFLOW_PEERS_DIR, /*with_topics=*/true);
  ASSERT_FALSE(broker.bootstrap().empty());
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  const std::string path = SqlitePathOf(database->url());
  // The api role only: this test is about getting events onto the topics.
  auto server =
      ServerProcess::Start(KafkaServeEnv(*database, broker.bootstrap(), "api"), &error, {}, 30s);
  ASSERT_NE(server, nullptr) << error;

  const std::vector<TestUser> users = {NewUser(), NewUser(), NewUser()};
  WriteStream stream(server->base_url(), users);
  // What went wrong, when a wait below fails.
  const auto explain = [&] {
    stream.Stop();
    std::string text = "after " + std::to_string(stream.calls()) + " calls:";
    for (const std::string& failure : stream.failures()) text += "\n" + failure;
    return text + "\n" + server->Log();
  };
  ASSERT_TRUE(stream.WaitForMore(30, 60s)) << explain();
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Count(path,
                     "SELECT count(*) FROM outbox WHERE "
                     "published_at IS NOT NULL") > 0;
      },
      60s))
      << "nothing was published before the kill\n"
      << explain();
  ASSERT_TRUE(broker.Kill());
  ASSERT_TRUE(stream.WaitForMore(30, 60s)) << "with the broker down, " << explain();
  const int before_restart = stream.calls();
  ASSERT_TRUE(broker.Restart());
  ASSERT_TRUE(stream.WaitForMore(30, 60s)) << "after the restart, " << explain();
  stream.Stop();
  EXPECT_THAT(stream.failures(), ::testing::IsEmpty());
  // Well under the 10 s publish timeout: no call waited on the broker.
  EXPECT_LT(stream.slowest(), 5s) << "the slowest API call";
  RecordProperty("api_calls", stream.calls());
  RecordProperty("calls_before_restart", before_restart);
  RecordProperty("slowest_call_ms", static_cast<int>(stream.slowest().count()));

  // The relay catches up once the broker is back (its backoff is at most 10 s).
  ASSERT_TRUE(WaitUntil([&] { return AllPublished(path); }, 120s)) << server->Log();
  EXPECT_EQ(server->Stop(), 0) << server->Log();

  const std::vector<OutboxRow> committed = ReadOutbox(path);
  std::map<std::string, std::vector<KcatMessage>> on_topic;
  for (const std::string topic : {"task-events", "task-updates"}) {
    std::string kcat_error;
    ASSERT_TRUE(WaitUntil(
        [&] {
          on_topic[topic] = ReadTopic(broker.bootstrap(), topic, &kcat_error);
          return kcat_error.empty();
        },
        60s))
        << kcat_error;
  }
  // The first copy of each event on its topic, and each user's order of them.
  std::map<std::string, const KcatMessage*> first_copy;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> order_on_topic;
  std::vector<std::pair<std::string, KcatMessage>> read_back;
  for (const auto& [topic, messages] : on_topic) {
    for (const KcatMessage& message : messages) {
      const std::string event_id = message.Header("event_id");
      if (first_copy.emplace(event_id, &message).second) {
        order_on_topic[{topic, message.key}].push_back(event_id);
        read_back.emplace_back(topic, message);
      }
    }
  }
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> order_committed;
  int checked = 0;
  for (const OutboxRow& row : committed) {
    if (row.topic != "task-events" && row.topic != "task-updates") continue;
    order_committed[{row.topic, row.key}].push_back(row.event_id);
    auto found = first_copy.find(row.event_id);
    if (found == first_copy.end()) {
      ADD_FAILURE() << "lost: " << row.topic << " " << row.event_id;
      continue;
    }
    EXPECT_EQ(found->second->key, row.key) << row.event_id;
    EXPECT_EQ(found->second->payload, row.payload) << row.event_id;
    ++checked;
  }
  EXPECT_EQ(order_on_topic, order_committed) << "each user's events in commit order";
  // 3 users' calls: each one change with a task-event and a task-update.
  EXPECT_GE(checked, 2 * stream.calls());
  RecordProperty("events_checked", checked);
  std::fprintf(stderr,
               "%d API calls (%d before the broker's restart), slowest %lld ms; %d events "
               "checked on their topics\n",
               stream.calls(), before_restart, static_cast<long long>(stream.slowest().count()),
               checked);
  ExpectSchemaValid(read_back, database->dir());
}

// Lists the completed recurring tasks that do not have exactly one next occurrence.
std::vector<std::string> CompletedWithoutOneOccurrence(const std::string& path) {
  std::vector<std::string> wrong;
  for (const auto& row : QuerySqlite(
           path,
           "SELECT t.id, (SELECT count(*) FROM tasks n WHERE n.previous_occurrence_id = t.id) "
           "FROM tasks t WHERE t.status = 'completed' AND t.recurrence_rule IS NOT NULL")) {
    if (row[1] != "1") wrong.push_back(row[0] + " has " + row[1]);
  }
  return wrong;
}

// Creates a recurring task and completes it, again and again, on its own
// thread and connection until stopped (paced: a steady flow of events, not a
// flood that would end before the consumer is killed).
class CompletionStream {
 public:
  CompletionStream(std::string base_url, TestUser user)
      : base_url_(std::move(base_url)), user_(std::move(user)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~CompletionStream() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int completed() const { return completed_; }
  bool WaitForMore(int n, std::chrono::milliseconds timeout) {
    const int target = completed_ + n;
    return WaitUntil([&] { return completed_ >= target; }, timeout);
  }
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  void Run() {
    HttpClient client(base_url_);
    for (int i = 0; !stop_; ++i) {
      Response created = client.Send(
          Request{.method = "POST",
                  .target = "/api/tasks",
                  .token = user_.token,
                  .body = R"({"title":"recurring )" + std::to_string(i) +
                          R"(","due_at":"2030-01-01T09:00:00Z","recurrence":{"rule":"daily"}})"});
      if (created.status != 201) {
        failures_.push_back(created.Describe());
        return;
      }
      const std::string id = Str(created.json().as_object(), "id");
      Response done = client.Send(Request{
          .method = "POST", .target = "/api/tasks/" + id + "/complete", .token = user_.token});
      if (done.status != 200) {
        failures_.push_back(done.Describe());
        return;
      }
      ++completed_;
      std::this_thread::sleep_for(20ms);
    }
  }

  const std::string base_url_;
  const TestUser user_;
  std::atomic<bool> stop_{false};
  std::atomic<int> completed_{0};
  std::vector<std::string> failures_;  // read after Stop
  std::thread thread_;
};

// The audit and recurring services run as a process of their own and are
// SIGKILLed while events flow, then started again: every task-event gets
// exactly one activity row, every completed recurring task exactly one next
// occurrence, and each group records each event once.
TEST(KafkaFailureTest, AConsumerKilledMidStreamAppliesEverySideEffectExactlyOnce) {
  OwnBroker broker(TASKFLOW_PEERS_DIR, /*with_topics=*/true);
  ASSERT_FALSE(broker.bootstrap().empty());
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  const std::string path = SqlitePathOf(database->url());
  auto api =
      ServerProcess::Start(KafkaServeEnv(*database, broker.bootstrap(), "api"), &error, {}, 30s);
  ASSERT_NE(api, nullptr) << error;
  const EnvVars consumer_env = KafkaServeEnv(*database, broker.bootstrap(), "audit,recurring");
  auto consumer = ServerProcess::Start(consumer_env, &error, {}, 30s);
  ASSERT_NE(consumer, nullptr) << error;

  // Recurring tasks created and completed, on a thread, while the consumer dies.
  const TestUser user = NewUser();
  CompletionStream stream(api->base_url(), user);
  const auto explain = [&] {
    stream.Stop();
    std::string text = "after " + std::to_string(stream.completed()) + " completed tasks:";
    for (const std::string& failure : stream.failures()) text += "\n" + failure;
    return text + "\nconsumer:\n" + consumer->Log();
  };
  const auto activity = [&] { return Count(path, "SELECT count(*) FROM activity_log"); };
  ASSERT_TRUE(WaitUntil([&] { return activity() >= 20; }, 90s)) << explain();
  consumer->Kill();  // SIGKILL, mid-stream
  const long long at_kill = activity();
  ASSERT_TRUE(stream.WaitForMore(30, 60s)) << explain();
  consumer = ServerProcess::Start(consumer_env, &error, {}, 30s);
  ASSERT_NE(consumer, nullptr) << error;
  ASSERT_TRUE(WaitUntil([&] { return activity() > at_kill; }, 90s)) << explain();
  ASSERT_TRUE(stream.WaitForMore(20, 60s)) << explain();
  stream.Stop();
  ASSERT_THAT(stream.failures(), ::testing::IsEmpty());
  const int completed = stream.completed();
  RecordProperty("completed_tasks", completed);
  RecordProperty("activity_rows_at_kill", static_cast<int>(at_kill));

  // Everything settles: every event published, applied once, and no more.
  // Each group settles on its own: the occurrences the recurring group makes
  // are events too, which the audit group may finish before the recurring
  // group has read them back (it reads them on its next poll).
  const auto events = [&] {
    return Count(path, "SELECT count(*) FROM outbox WHERE topic = 'task-events'");
  };
  const auto processed_by = [&](const std::string& group) {
    return Count(path,
                 "SELECT count(*) FROM processed_events WHERE consumer = '" + group + "'");
  };
  const auto settled = [&] {
    return AllPublished(path) && activity() == events() &&
           processed_by("audit-service") == events() &&
           processed_by("recurring-task-service") == events() &&
           CompletedWithoutOneOccurrence(path).empty();
  };
  ASSERT_TRUE(WaitUntil(settled, 120s)) << consumer->Log();
  EXPECT_EQ(Count(path,
                  "SELECT count(*) FROM outbox o WHERE o.topic = 'task-events' AND NOT EXISTS "
                  "(SELECT 1 FROM activity_log a WHERE a.event_id = o.event_id)"),
            0);
  EXPECT_THAT(CompletedWithoutOneOccurrence(path), ::testing::IsEmpty());
  // Each completed task of the stream, and every next occurrence, is a task:
  // 2 per iteration, plus nothing else.
  EXPECT_EQ(Count(path, "SELECT count(*) FROM tasks"), 2LL * completed);
  for (const char* group : {"audit-service", "recurring-task-service"}) {
    EXPECT_EQ(processed_by(group), events()) << group;
  }
  EXPECT_EQ(Count(path, "SELECT count(*) FROM dead_letters"), 0);
  EXPECT_EQ(consumer->Stop(), 0) << consumer->Log();
  EXPECT_EQ(api->Stop(), 0) << api->Log();
}

// A message that is not a task event, produced by someone else (kcat) into
// task-events between two valid ones: each consumer group sends it to
// task-events-dlq with its error, and the events around it are applied.
TEST(KafkaFailureTest, APoisonMessageLandsInTheDlqWhileTheEventsAroundItFlow) {
  OwnBroker broker(TASKFLOW_PEERS_DIR, /*with_topics=*/true);
  ASSERT_FALSE(broker.bootstrap().empty());
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  const std::string path = SqlitePathOf(database->url());
  auto server =
      ServerProcess::Start(KafkaServeEnv(*database, broker.bootstrap(), "all"), &error, {}, 30s);
  ASSERT_NE(server, nullptr) << error;
  HttpClient client(server->base_url());
  const TestUser user = NewUser();
  auto create = [&](const std::string& title) {
    Response created = client.Send(Request{.method = "POST",
                                           .target = "/api/tasks",
                                           .token = user.token,
                                           .body = R"({"title":")" + title + R"("})"});
    EXPECT_EQ(created.status, 201) << created.Describe();
  };

  create("before the poison");
  ASSERT_TRUE(WaitUntil([&] { return AllPublished(path); }, 60s)) << server->Log();
  const std::string poison = R"({"event_id":"poison-1","event_type":"exploded"})";
  ASSERT_TRUE(ProduceWithKcat(broker.bootstrap(), "task-events", user.id, poison,
                              {{"event_id", "poison-1"}}, &error))
      << error;
  create("after the poison");

  // Both valid events are in the user's activity (the audit service went on).
  Response activity;
  EXPECT_TRUE(WaitUntil(
      [&] {
        activity =
            client.Send(Request{.method = "GET", .target = "/api/activity", .token = user.token});
        return activity.status == 200 && Int(activity.json().as_object(), "total") == 2;
      },
      90s))
      << activity.Describe() << server->Log();

  // Every group that reads task-events gave up on it, at once (not retried:
  // it can never parse), and said why.
  std::vector<KcatMessage> dead;
  // (notification reads task-events only to wake its scheduler: nothing to fail)
  const std::set<std::string> groups = {"audit-service", "recurring-task-service"};
  EXPECT_TRUE(WaitUntil(
      [&] {
        std::string kcat_error;
        dead = ReadTopic(broker.bootstrap(), "task-events-dlq", &kcat_error);
        return dead.size() >= groups.size();
      },
      60s))
      << server->Log();
  std::set<std::string> seen_groups;
  for (const KcatMessage& message : dead) {
    EXPECT_EQ(message.payload, poison);
    EXPECT_EQ(message.key, user.id);
    EXPECT_EQ(message.Header("event_id"), "poison-1");
    EXPECT_EQ(message.Header("original_topic"), "task-events");
    EXPECT_EQ(message.Header("attempts"), "1");
    EXPECT_THAT(message.Header("error"), HasSubstr("invalid")) << message.headers;
    seen_groups.insert(message.Header("consumer"));
  }
  EXPECT_EQ(seen_groups, groups);
  EXPECT_EQ(dead.size(), groups.size()) << "once per group";
  EXPECT_EQ(Count(path, "SELECT count(*) FROM activity_log WHERE event_id = 'poison-1'"), 0);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// SIGTERM while the broker is unreachable and the relay is inside a publish:
// serve exits cleanly within the publish timeout (10 s, plus its margin), and
// the unpublished events stay in the outbox; the next start publishes them.
TEST(KafkaFailureTest, AStopWhileTheBrokerIsUnreachableIsPromptAndKeepsTheOutbox) {
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  const std::string path = SqlitePathOf(database->url());
  auto server =
      ServerProcess::Start(KafkaServeEnv(*database, "127.0.0.1:1", "all"), &error, {}, 30s);
  ASSERT_NE(server, nullptr) << error;
  HttpClient client(server->base_url());
  const TestUser user = NewUser();
  Response created = client.Send(Request{.method = "POST",
                                         .target = "/api/tasks",
                                         .token = user.token,
                                         .body = R"({"title":"waits for the broker"})"});
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string task_id = Str(created.json().as_object(), "id");
  // The relay woke on the commit and is now waiting for delivery reports.
  const auto start = SteadyClock::now();
  const int exit_code = server->Stop(30s);
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
  EXPECT_EQ(exit_code, 0) << server->Log();
  EXPECT_LT(took, 10s + 5s) << "bounded by the publish timeout, plus its margin";
  RecordProperty("stop_ms", static_cast<int>(took.count()));
  std::fprintf(stderr, "serve stopped in %lld ms with the broker unreachable\n",
               static_cast<long long>(took.count()));
  const std::vector<OutboxRow> left = ReadOutbox(path);
  ASSERT_EQ(left.size(), 2u) << "a task-event and a task-update";
  for (const OutboxRow& row : left) EXPECT_FALSE(row.published) << row.event_id;

  // The next start (the api role only: it shares the fixture's broker with
  // other tests) publishes what was left.
  const std::string bootstrap = FixtureBootstrap();
  ASSERT_FALSE(bootstrap.empty());
  const CommandResult topics =
      RunTaskflow({"topics", "create"}, {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap}});
  ASSERT_EQ(topics.exit_code, 0) << topics.output;
  server = ServerProcess::Start(KafkaServeEnv(*database, bootstrap, "api"), &error, {}, 30s);
  ASSERT_NE(server, nullptr) << error;
  ASSERT_TRUE(WaitUntil([&] { return AllPublished(path); }, 60s)) << server->Log();
  std::vector<KcatMessage> mine;
  EXPECT_TRUE(WaitUntil(
      [&] {
        std::string kcat_error;
        mine.clear();
        for (const KcatMessage& message : ReadTopic(bootstrap, "task-events", &kcat_error)) {
          if (message.key == user.id) mine.push_back(message);
        }
        return mine.size() == 1;
      },
      60s));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].Header("event_id"),
            left[0].topic == "task-events" ? left[0].event_id : left[1].event_id);
  EXPECT_THAT(mine[0].payload, HasSubstr(task_id));
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

}  // namespace
}  // namespace taskflow::integration
