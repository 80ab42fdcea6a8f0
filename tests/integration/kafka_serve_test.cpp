// `taskflow serve` with TASKFLOW_BUS=kafka against the real broker of the
// CTest fixture `kafka_broker` (label kafka): every change reaches its topic
// keyed by the user (read back with kcat, an independent client), and the
// roles consume through the broker's consumer groups (the audit log fills).
// With no broker reachable, the API still answers at once.
#include <gmock/gmock.h>

#include <array>
#include <cstdio>
#include <sstream>
#include <thread>

#include "adapters/kafka/kafka_test_support.hpp"
#include "api_test.hpp"
#include "websocket_client.hpp"

namespace taskflow::integration {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using SteadyClock = std::chrono::steady_clock;
using taskflow::testing::FixtureBootstrap;

// The (key, payload) pairs of `topic` whose key is `key`, in their partition's order.
std::vector<std::string> PayloadsWithKey(const std::string& bootstrap, const std::string& topic,
                                         const std::string& key) {
  const std::string command = "timeout 60 kcat -q -C -b " + bootstrap + " -t " + topic +
                              " -o beginning -e -f '%k\\x1f%s\\x1e' 2>&1";
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 4096> buffer{};
    size_t got = 0;
    while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), got);
    pclose(pipe);
  }
  std::vector<std::string> payloads;
  std::stringstream records(out);
  for (std::string record; std::getline(records, record, '\x1e');) {
    const auto separator = record.find('\x1f');
    if (separator != std::string::npos && record.substr(0, separator) == key) {
      payloads.push_back(record.substr(separator + 1));
    }
  }
  return payloads;
}

TestUser NewUser() { return MintedUser(); }

// `taskflow serve` running `roles` on `database`, its bus the broker at
// `bootstrap`; null (and a test failure) when it does not start.
std::unique_ptr<ServerProcess> StartOnKafka(const TestDatabase& database,
                                            const std::string& bootstrap, const char* roles) {
  EnvVars env = ServerEnv(database.url(), TestSecret());
  env.emplace_back("TASKFLOW_BUS", "kafka");
  env.emplace_back("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
  env.emplace_back("TASKFLOW_ROLES", roles);
  std::string error;
  auto server = ServerProcess::Start(env, &error, {}, 30s);
  EXPECT_NE(server, nullptr) << error;
  return server;
}

TEST(KafkaServeTest, ChangesReachTheirTopicsKeyedByUserAndTheRolesConsumeThroughTheBroker) {
  const std::string bootstrap = FixtureBootstrap();
  ASSERT_FALSE(bootstrap.empty());
  const CommandResult topics =
      RunTaskflow({"topics", "create"}, {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap}});
  ASSERT_EQ(topics.exit_code, 0) << topics.output;

  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  EnvVars env = ServerEnv(database->url(), TestSecret());
  env.emplace_back("TASKFLOW_BUS", "kafka");
  env.emplace_back("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
  auto server = ServerProcess::Start(env, &error, {}, 30s);
  ASSERT_NE(server, nullptr) << error;
  HttpClient client(server->base_url());

  const TestUser user = NewUser();
  Response created = client.Send(Request{.method = "POST",
                                         .target = "/api/tasks",
                                         .token = user.token,
                                         .body = R"({"title":"through kafka"})"});
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string task_id = Str(created.json().as_object(), "id");
  Response updated = client.Send(Request{.method = "PATCH",
                                         .target = "/api/tasks/" + task_id,
                                         .token = user.token,
                                         .body = R"({"title":"still through kafka"})"});
  ASSERT_EQ(updated.status, 200) << updated.Describe();

  std::vector<std::string> events;
  EXPECT_TRUE(WaitUntil(
      [&] {
        events = PayloadsWithKey(bootstrap, "task-events", user.id);
        return events.size() >= 2;
      },
      60s))
      << server->Log();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_THAT(events[0], HasSubstr(R"("event_type":"created")"));
  EXPECT_THAT(events[1], HasSubstr(R"("event_type":"updated")"));
  for (const std::string& event : events) {
    EXPECT_THAT(event, HasSubstr(R"("task_id":")" + task_id + "\""));
    EXPECT_THAT(event, HasSubstr(R"("user_id":")" + user.id + "\""));
  }
  std::vector<std::string> updates;
  EXPECT_TRUE(WaitUntil(
      [&] {
        updates = PayloadsWithKey(bootstrap, "task-updates", user.id);
        return !updates.empty();
      },
      30s));
  ASSERT_FALSE(updates.empty());
  EXPECT_THAT(updates.back(), HasSubstr("still through kafka"));

  // The audit role read task-events through its consumer group.
  Response activity;
  EXPECT_TRUE(WaitUntil(
      [&] {
        activity =
            client.Send(Request{.method = "GET", .target = "/api/activity", .token = user.token});
        return activity.status == 200 && Int(activity.json().as_object(), "total") == 2;
      },
      60s))
      << activity.Describe() << server->Log();

  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// Distributed mode: the api role's process publishes, the realtime role's
// process (another database connection, another consumer group member)
// consumes task-updates from the broker and pushes them to the WebSocket.
TEST(KafkaServeTest, TheRealtimeProcessPushesTheApiProcessChangesOverItsWebSocket) {
  const std::string bootstrap = FixtureBootstrap();
  ASSERT_FALSE(bootstrap.empty());
  const CommandResult topics =
      RunTaskflow({"topics", "create"}, {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap}});
  ASSERT_EQ(topics.exit_code, 0) << topics.output;
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  const auto start = [&](const char* roles) { return StartOnKafka(*database, bootstrap, roles); };
  auto api = start("api");
  auto realtime = start("realtime");
  ASSERT_TRUE(api && realtime);

  const TestUser user = NewUser();
  auto ws = WebSocketClient::Connect(realtime->port(), {.bearer = user.token});
  ASSERT_NE(ws, nullptr);
  HttpClient client(api->base_url());
  // The realtime consumer may still be joining its group: it starts from the
  // latest offsets, so changes are made until one arrives.
  std::string task_id;
  const auto deadline = SteadyClock::now() + 90s;
  std::optional<json::object> frame;
  while (!frame && SteadyClock::now() < deadline) {
    Response created = client.Send(Request{.method = "POST",
                                           .target = "/api/tasks",
                                           .token = user.token,
                                           .body = R"({"title":"live through kafka"})"});
    ASSERT_EQ(created.status, 201) << created.Describe();
    task_id = Str(created.json().as_object(), "id");
    frame = ws->WaitForFrame(FrameOf("task-update", task_id), 3s);
  }
  ASSERT_TRUE(frame.has_value()) << realtime->Log();
  const json::object& data = frame->at("data").as_object();
  EXPECT_EQ(Str(data, "user_id"), user.id);
  EXPECT_EQ(Str(data, "event_type"), "created");
  // Once the consumer is in, every later change arrives.
  Response completed = client.Send(Request{
      .method = "POST", .target = "/api/tasks/" + task_id + "/complete", .token = user.token});
  ASSERT_EQ(completed.status, 200) << completed.Describe();
  EXPECT_TRUE(ws->WaitForFrame(
                    [&](const json::object& f) {
                      return FrameOf("task-update", task_id)(f) &&
                             f.at("data").as_object().at("event_type") == "completed";
                    },
                    30s)
                  .has_value())
      << realtime->Log();
  EXPECT_EQ(realtime->Stop(), 0) << realtime->Log();
  EXPECT_EQ(api->Stop(), 0) << api->Log();
}

// Two realtime replicas on one broker: each consumes in a group of its own
// (a shared group would give the user's partition to one of them only, and
// the other's client would never get a frame), from the latest offsets.
TEST(KafkaServeTest, EveryRealtimeReplicaPushesEveryChangeThroughItsOwnGroup) {
  const std::string bootstrap = FixtureBootstrap();
  ASSERT_FALSE(bootstrap.empty());
  const CommandResult topics =
      RunTaskflow({"topics", "create"}, {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap}});
  ASSERT_EQ(topics.exit_code, 0) << topics.output;
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  const auto start = [&](const char* roles) { return StartOnKafka(*database, bootstrap, roles); };
  auto api = start("api");
  auto first = start("realtime");
  auto second = start("realtime");
  ASSERT_TRUE(api && first && second);

  const TestUser user = NewUser();
  auto on_first = WebSocketClient::Connect(first->port(), {.bearer = user.token});
  auto on_second = WebSocketClient::Connect(second->port(), {.bearer = user.token});
  ASSERT_TRUE(on_first && on_second);
  HttpClient client(api->base_url());
  const auto create = [&] {
    Response created = client.Send(Request{.method = "POST",
                                           .target = "/api/tasks",
                                           .token = user.token,
                                           .body = R"({"title":"to every replica"})"});
    EXPECT_EQ(created.status, 201) << created.Describe();
    return created.status == 201 ? Str(created.json().as_object(), "id") : std::string();
  };
  // Each consumer may still be joining its group (latest offsets): changes
  // are made until both replicas have pushed one.
  bool first_in = false, second_in = false;
  const auto deadline = SteadyClock::now() + 90s;
  while (!(first_in && second_in) && SteadyClock::now() < deadline) {
    const std::string task = create();
    first_in = first_in || on_first->WaitForFrame(FrameOf("task-update", task), 3s).has_value();
    second_in = second_in || on_second->WaitForFrame(FrameOf("task-update", task), 3s).has_value();
  }
  ASSERT_TRUE(first_in && second_in) << first->Log() << second->Log();
  // Once both are in, every change reaches both.
  for (int i = 0; i < 3; ++i) {
    const std::string task = create();
    EXPECT_TRUE(on_first->WaitForFrame(FrameOf("task-update", task), 30s).has_value());
    EXPECT_TRUE(on_second->WaitForFrame(FrameOf("task-update", task), 30s).has_value());
  }
  EXPECT_EQ(second->Stop(), 0) << second->Log();
  EXPECT_EQ(first->Stop(), 0) << first->Log();
  EXPECT_EQ(api->Stop(), 0) << api->Log();
}

TEST(KafkaServeTest, TheApiAnswersAtOnceWhileNoBrokerIsReachable) {
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  EnvVars env = ServerEnv(database->url(), TestSecret());
  env.emplace_back("TASKFLOW_BUS", "kafka");
  env.emplace_back("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
  auto server = ServerProcess::Start(env, &error, {}, 30s);
  ASSERT_NE(server, nullptr) << error;
  HttpClient client(server->base_url());
  const TestUser user = NewUser();
  for (int i = 0; i < 5; ++i) {
    const auto start = SteadyClock::now();
    Response created = client.Send(Request{.method = "POST",
                                           .target = "/api/tasks",
                                           .token = user.token,
                                           .body = R"({"title":"no broker"})"});
    EXPECT_EQ(created.status, 201) << created.Describe();
    EXPECT_LT(SteadyClock::now() - start, 1s);
  }
  Response ready = client.Send(Request{.method = "GET", .target = "/ready"});
  EXPECT_EQ(ready.status, 200) << ready.Describe();
  server->Kill();
}

TEST(KafkaServeTest, ABadKafkaSettingStopsServeNamingTheVariable) {
  std::string error;
  auto database = TestDatabase::CreateSqlite(&error);
  ASSERT_NE(database, nullptr) << error;
  EnvVars env = ServerEnv(database->url(), TestSecret());
  env.emplace_back("TASKFLOW_BUS", "kafka");
  env.emplace_back("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
  env.emplace_back("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
  env.emplace_back("KAFKA_USERNAME", "svc");
  const CommandResult serve = RunTaskflow({"serve"}, env, {}, 30s);
  EXPECT_EQ(serve.exit_code, 2) << serve.output;
  EXPECT_THAT(serve.output, HasSubstr("KAFKA_PASSWORD"));
}

}  // namespace
}  // namespace taskflow::integration
