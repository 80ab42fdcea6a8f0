// GET /ws through the real binary: refusals before any upgrade (401 in
// header and query forms, 426, 429, 503, 404 without the realtime role),
// then each user's task-updates and reminders as
// {"type": …, "data": <event>} frames to all of that user's connections and
// nobody else's; pings keeping an idle connection open and closing a silent
// one; a client that reads nothing delays nobody and is cut off; 1009 for a
// large message; 1008 when the token expires; 1001 to every connection when
// the server stops; and the api and realtime roles as separate processes on
// one database.
#include <gmock/gmock.h>

#include <set>
#include <thread>

#include "api_test.hpp"
#include "websocket_client.hpp"

namespace taskflow::integration {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using SteadyClock = std::chrono::steady_clock;

constexpr int kPingIntervalMs = 300;
constexpr int kQueueFrames = 32;
constexpr int kPerUserCap = 3;

EnvVars WebSocketEnv(const std::string& database_url) {
  EnvVars env = ServerEnv(database_url, TestSecret());
  env.emplace_back("TASKFLOW_WS_PING_INTERVAL_MS", std::to_string(kPingIntervalMs));
  env.emplace_back("TASKFLOW_WS_QUEUE_FRAMES", std::to_string(kQueueFrames));
  env.emplace_back("TASKFLOW_WS_MAX_CONNECTIONS_PER_USER", std::to_string(kPerUserCap));
  return env;
}

// The data of a frame (an empty object, plus a failure, when it has none).
json::object Data(const json::object& frame) {
  const auto* data = frame.if_contains("data");
  if (data == nullptr || !data->is_object()) {
    ADD_FAILURE() << "a frame without a data object: " << json::serialize(frame);
    return {};
  }
  return data->get_object();
}

std::function<bool(const json::object&)> UpdateOf(const std::string& task_id,
                                                  const std::string& event_type) {
  return [task_id, event_type](const json::object& frame) {
    if (!FrameOf("task-update", task_id)(frame)) return false;
    const auto* type = frame.at("data").get_object().if_contains("event_type");
    return type != nullptr && type->is_string() && type->get_string() == event_type;
  };
}

class WebSocketTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    startup_error_.clear();
    database_ = TestDatabase::Create(&startup_error_);
    if (!database_) return;
    server_ = ServerProcess::Start(WebSocketEnv(database_->url()), &startup_error_);
    if (server_) client_ = std::make_unique<HttpClient>(server_->base_url());
  }
  static void TearDownTestSuite() {
    client_.reset();
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Log();
    }
    server_.reset();
    database_.reset();
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(server_ != nullptr && client_ != nullptr)
        << "the server did not start: " << startup_error_;
  }

  static TestUser NewUser() {
    TestUser user{RandomUuid(), ""};
    user.token = MintToken(TestSecret(), user.id);
    return user;
  }
  static std::unique_ptr<WebSocketClient> Open(const TestUser& user, bool read = true) {
    auto client = WebSocketClient::Connect(server_->port(), {.bearer = user.token, .read = read});
    EXPECT_NE(client, nullptr);
    return client;
  }
  static Response Send(const std::string& method, const std::string& target, const TestUser& user,
                       std::optional<json::object> body = std::nullopt) {
    return client_->Send(
        Request{.method = method,
                .target = target,
                .token = user.token,
                .body = body ? std::optional(json::serialize(*body)) : std::nullopt});
  }
  static std::string CreateTask(const TestUser& user, json::object fields) {
    Response created = Send("POST", "/api/tasks", user, std::move(fields));
    EXPECT_EQ(created.status, 201) << created.Describe();
    return created.status == 201 ? Str(created.json().as_object(), "id") : "";
  }

  static std::unique_ptr<TestDatabase> database_;
  static std::unique_ptr<ServerProcess> server_;
  static std::unique_ptr<HttpClient> client_;
  static std::string startup_error_;
};

std::unique_ptr<TestDatabase> WebSocketTest::database_;
std::unique_ptr<ServerProcess> WebSocketTest::server_;
std::unique_ptr<HttpClient> WebSocketTest::client_;
std::string WebSocketTest::startup_error_;

void ExpectUnauthenticated(const Response& refusal, bool token_presented) {
  ExpectProblem(refusal, 401, "unauthenticated");
  const std::string challenge = refusal.header("www-authenticate").value_or("");
  EXPECT_THAT(challenge, HasSubstr(R"(Bearer realm="taskflow")"));
  EXPECT_EQ(challenge.find("invalid_token") != std::string::npos, token_presented) << challenge;
}

TEST_F(WebSocketTest, RefusesAMissingTokenWith401BeforeUpgrading) {
  Response refusal;
  EXPECT_EQ(WebSocketClient::Connect(server_->port(), {}, &refusal), nullptr);
  ExpectUnauthenticated(refusal, /*token_presented=*/false);
}

TEST_F(WebSocketTest, RefusesABadTokenWith401InTheHeaderAndInTheQuery) {
  const std::string forged = MintToken(std::string(64, 'f'), RandomUuid());
  Response refusal;
  EXPECT_EQ(WebSocketClient::Connect(server_->port(), {.bearer = forged}, &refusal), nullptr);
  ExpectUnauthenticated(refusal, /*token_presented=*/true);
  EXPECT_EQ(WebSocketClient::Connect(server_->port(), {.target = "/ws?token=" + forged}, &refusal),
            nullptr);
  ExpectUnauthenticated(refusal, /*token_presented=*/true);
  EXPECT_EQ(WebSocketClient::Connect(server_->port(), {.target = "/ws?token=not.a.jwt"}, &refusal),
            nullptr);
  ExpectUnauthenticated(refusal, /*token_presented=*/true);
}

TEST_F(WebSocketTest, APlainGetIsToldToUpgrade) {
  const TestUser user = NewUser();
  Response plain = client_->Send(Request{.method = "GET", .target = "/ws", .token = user.token});
  ExpectProblem(plain, 426, "upgrade-required", "Upgrade");
  EXPECT_EQ(plain.header("upgrade"), "websocket");
  Response old = client_->Send(
      Request{.method = "GET",
              .target = "/ws",
              .token = user.token,
              .headers = {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 8",
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="}});
  ExpectProblem(old, 426, "upgrade-required", "Sec-WebSocket-Version");
  EXPECT_EQ(old.header("sec-websocket-version"), "13");
  Response bad_key =
      client_->Send(Request{.method = "GET",
                            .target = "/ws",
                            .token = user.token,
                            .headers = {"Upgrade: websocket", "Connection: Upgrade",
                                        "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: short"}});
  ExpectProblem(bad_key, 400, "malformed-request", "Sec-WebSocket-Key");
}

TEST_F(WebSocketTest, AUserReceivesTheirTaskUpdatesAndNobodyElseDoes) {
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  auto alice_ws = Open(alice);
  // Bob connects the way a browser does: the token in the query.
  auto bob_ws = WebSocketClient::Connect(server_->port(), {.target = "/ws?token=" + bob.token});
  ASSERT_TRUE(alice_ws && bob_ws);

  const std::string task = CreateTask(alice, {{"title", "Pay rent"}, {"priority", "P1"}});
  ASSERT_EQ(
      Send("PATCH", "/api/tasks/" + task, alice, json::object{{"title", "Pay the rent"}}).status,
      200);
  ASSERT_EQ(Send("POST", "/api/tasks/" + task + "/complete", alice).status, 200);

  for (const char* event_type : {"created", "updated", "completed"}) {
    auto frame = alice_ws->WaitForFrame(UpdateOf(task, event_type));
    ASSERT_TRUE(frame.has_value()) << event_type << "\n" << server_->Log();
    EXPECT_EQ(frame->size(), 2u) << json::serialize(*frame);  // type and data only
    const json::object data = Data(*frame);
    EXPECT_EQ(Str(data, "user_id"), alice.id);
    EXPECT_EQ(Int(data, "schema_version"), 1);
    EXPECT_FALSE(Str(data, "event_id").empty());
    EXPECT_FALSE(Str(data, "timestamp").empty());
    ASSERT_TRUE(data.contains("changes") && data.at("changes").is_object());
    if (std::string_view(event_type) == "updated") {
      EXPECT_EQ(Str(data.at("changes").get_object(), "title"), "Pay the rent");
    }
  }

  // Bob's own change is pushed after Alice's (one consumer, in order): once
  // he has it, he would have had hers too.
  const std::string bobs = CreateTask(bob, {{"title", "Bob's"}});
  ASSERT_TRUE(bob_ws->WaitForFrame(FrameOf("task-update", bobs)).has_value()) << server_->Log();
  for (const json::object& frame : bob_ws->Frames()) {
    EXPECT_EQ(Str(Data(frame), "user_id"), bob.id) << json::serialize(frame);
  }
  ASSERT_TRUE(alice_ws->WaitForFrame(UpdateOf(task, "completed")).has_value());
  for (const json::object& frame : alice_ws->Frames()) {
    EXPECT_EQ(Str(Data(frame), "user_id"), alice.id) << json::serialize(frame);
  }
}

TEST_F(WebSocketTest, EveryConnectionOfAUserReceivesEachUpdate) {
  const TestUser user = NewUser();
  auto first = Open(user);
  auto second = Open(user);
  ASSERT_TRUE(first && second);
  const std::string task = CreateTask(user, {{"title", "seen twice"}});
  EXPECT_TRUE(first->WaitForFrame(UpdateOf(task, "created")).has_value());
  EXPECT_TRUE(second->WaitForFrame(UpdateOf(task, "created")).has_value());
}

TEST_F(WebSocketTest, RemindersArePushedAsReminderFrames) {
  const TestUser user = NewUser();
  auto ws = Open(user);
  ASSERT_TRUE(ws);
  const auto remind_at = std::chrono::system_clock::now() + 1500ms;
  const std::string task =
      CreateTask(user, {{"title", "Call mum"},
                        {"reminders", json::array{json::object{{"at", Rfc3339(remind_at)}}}}});
  auto frame = ws->WaitForFrame(FrameOf("reminder", task), 15s);
  ASSERT_TRUE(frame.has_value()) << server_->Log();
  const json::object data = Data(*frame);
  EXPECT_EQ(Str(data, "user_id"), user.id);
  EXPECT_EQ(Str(data, "title"), "Call mum");
  EXPECT_EQ(Int(data, "schema_version"), 1);
  EXPECT_FALSE(Str(data, "remind_at").empty());
}

TEST_F(WebSocketTest, PingsKeepAnIdleConnectionOpen) {
  const TestUser user = NewUser();
  auto ws = Open(user);
  ASSERT_TRUE(ws);
  // Several ping intervals pass with the client silent but for its pongs.
  ASSERT_TRUE(ws->WaitForPings(4, 20s)) << server_->Log();
  EXPECT_FALSE(ws->ended());
  const std::string task = CreateTask(user, {{"title", "after the pings"}});
  EXPECT_TRUE(ws->WaitForFrame(UpdateOf(task, "created")).has_value());
}

TEST_F(WebSocketTest, AClientThatAnswersNoPingIsClosed) {
  const TestUser user = NewUser();
  auto silent = Open(user, /*read=*/false);
  ASSERT_TRUE(silent);
  EXPECT_TRUE(WaitUntil(
      [&] {
        return server_->Log().find("answered no ping") != std::string::npos &&
               server_->Log().find(user.id) != std::string::npos;
      },
      20s))
      << server_->Log();
  silent->StartReading();
  auto end = silent->WaitForEnd(10s);
  ASSERT_TRUE(end.has_value());
  EXPECT_FALSE(end->close_code.has_value());  // cut, not closed: the client was not listening
}

TEST_F(WebSocketTest, AMessageOverTheLimitClosesWith1009AndSmallOnesAreIgnored) {
  const TestUser user = NewUser();
  auto ws = Open(user);
  ASSERT_TRUE(ws);
  ws->Send(R"({"type":"hello"})");
  const std::string task = CreateTask(user, {{"title", "still listening"}});
  ASSERT_TRUE(ws->WaitForFrame(UpdateOf(task, "created")).has_value());
  EXPECT_FALSE(ws->ended());
  ws->Send(std::string(5000, 'x'));
  auto end = ws->WaitForEnd(10s);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->close_code, 1009) << end->error;
}

TEST_F(WebSocketTest, AConnectionClosesWith1008WhenItsTokenExpiresAndGivesBackItsSlot) {
  TestUser user{RandomUuid(), ""};
  const auto minted = SteadyClock::now();
  // `exp` is in whole seconds: the token expires 1 to 2 s from now.
  user.token = MintToken(TestSecret(), user.id, 2s);
  auto expiring = Open(user);
  ASSERT_TRUE(expiring);
  auto end = expiring->WaitForEnd(10s);
  const auto ended = SteadyClock::now();
  ASSERT_TRUE(end.has_value()) << server_->Log();
  EXPECT_EQ(end->close_code, 1008) << end->error;
  EXPECT_EQ(end->reason, "token expired");
  EXPECT_GE(ended - minted, 900ms);
  EXPECT_LE(ended - minted, 3500ms);
  // Its slot is given back: a fresh token opens the user's whole quota again.
  user.token = MintToken(TestSecret(), user.id);
  std::vector<std::unique_ptr<WebSocketClient>> again;
  EXPECT_TRUE(WaitUntil([&] {
    if (auto client = WebSocketClient::Connect(server_->port(), {.bearer = user.token})) {
      again.push_back(std::move(client));
    }
    return again.size() == static_cast<std::size_t>(kPerUserCap);
  }));
}

TEST_F(WebSocketTest, AConnectionWithALongLivedTokenStaysOpen) {
  const TestUser user = NewUser();  // the token lives an hour
  auto ws = Open(user);
  ASSERT_TRUE(ws);
  std::this_thread::sleep_for(3s);
  EXPECT_FALSE(ws->ended());
  const std::string task = CreateTask(user, {{"title", "still live"}});
  EXPECT_TRUE(ws->WaitForFrame(UpdateOf(task, "created")).has_value());
}

TEST_F(WebSocketTest, TheConnectionsOfOneUserAreCapped) {
  const TestUser user = NewUser();
  std::vector<std::unique_ptr<WebSocketClient>> open;
  for (int i = 0; i < kPerUserCap; ++i) {
    open.push_back(Open(user));
    ASSERT_TRUE(open.back());
  }
  Response refusal;
  EXPECT_EQ(WebSocketClient::Connect(server_->port(), {.bearer = user.token}, &refusal), nullptr);
  ExpectProblem(refusal, 429, "too-many-requests");
  EXPECT_TRUE(refusal.header("retry-after").has_value());
  // Another user is not affected; a closed connection frees its place.
  EXPECT_NE(Open(NewUser()), nullptr);
  open.back()->Close();
  ASSERT_TRUE(open.back()->WaitForEnd(10s).has_value());
  std::unique_ptr<WebSocketClient> again;
  EXPECT_TRUE(WaitUntil([&] {
    again = WebSocketClient::Connect(server_->port(), {.bearer = user.token});
    return again != nullptr;
  }));
}

// Servers of their own: their settings differ, or the test stops them.
class WebSocketProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    database_ = TestDatabase::Create(&error);
    ASSERT_NE(database_, nullptr) << error;
  }
  std::unique_ptr<ServerProcess> Start(EnvVars extra) {
    EnvVars env = WebSocketEnv(database_->url());
    for (auto& [name, value] : extra) {
      std::erase_if(env, [&](const auto& variable) { return variable.first == name; });
      env.emplace_back(std::move(name), std::move(value));
    }
    std::string error;
    auto server = ServerProcess::Start(env, &error);
    EXPECT_NE(server, nullptr) << error;
    return server;
  }
  std::unique_ptr<TestDatabase> database_;
};

TEST_F(WebSocketProcessTest, StopClosesEveryConnectionWith1001AndTheProcessCapRefuses) {
  auto server = Start({{"TASKFLOW_WS_MAX_CONNECTIONS", "2"}});
  ASSERT_NE(server, nullptr);
  TestUser alice{RandomUuid(), ""}, bob{RandomUuid(), ""};
  alice.token = MintToken(TestSecret(), alice.id);
  bob.token = MintToken(TestSecret(), bob.id);
  auto first = WebSocketClient::Connect(server->port(), {.bearer = alice.token});
  auto second = WebSocketClient::Connect(server->port(), {.bearer = bob.token});
  ASSERT_TRUE(first && second);
  Response refusal;
  EXPECT_EQ(WebSocketClient::Connect(server->port(), {.bearer = bob.token}, &refusal), nullptr);
  ExpectProblem(refusal, 503, "unavailable");
  EXPECT_TRUE(refusal.header("retry-after").has_value());

  const auto stopping = SteadyClock::now();
  EXPECT_EQ(server->Stop(), 0) << server->Log();
  for (auto* client : {first.get(), second.get()}) {
    auto end = client->WaitForEnd(10s);
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->close_code, 1001) << end->error;
  }
  // Promptly: well within the 10 s ServerProcess::Stop allows before SIGKILL.
  EXPECT_LT(SteadyClock::now() - stopping, 8s);
}

TEST_F(WebSocketProcessTest, OnlyTheRealtimeRoleServesWsAndItPushesTheApiProcessChanges) {
  auto api = Start({{"TASKFLOW_ROLES", "api"}});
  auto realtime = Start({{"TASKFLOW_ROLES", "realtime"}});
  ASSERT_TRUE(api && realtime);
  TestUser user{RandomUuid(), ""};
  user.token = MintToken(TestSecret(), user.id);

  Response refusal;
  EXPECT_EQ(WebSocketClient::Connect(api->port(), {.bearer = user.token}, &refusal), nullptr);
  ExpectProblem(refusal, 404, "not-found");
  EXPECT_THAT(refusal.body, HasSubstr("realtime role"));

  auto ws = WebSocketClient::Connect(realtime->port(), {.bearer = user.token});
  ASSERT_NE(ws, nullptr);
  HttpClient client(api->base_url());
  Response created = client.Send(Request{.method = "POST",
                                         .target = "/api/tasks",
                                         .token = user.token,
                                         .body = R"({"title":"across processes"})"});
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string task = Str(created.json().as_object(), "id");
  EXPECT_TRUE(ws->WaitForFrame(UpdateOf(task, "created"), 15s).has_value())
      << api->Log() << realtime->Log();
  EXPECT_EQ(realtime->Stop(), 0);
  EXPECT_EQ(api->Stop(), 0);
}

// Two realtime replicas on one database: each has its own consumer, so a
// user connected to either gets every change; a replica started later pushes
// only what happens after it started, never history.
TEST_F(WebSocketProcessTest, EveryRealtimeReplicaPushesEveryChangeToItsOwnClients) {
  auto api = Start({{"TASKFLOW_ROLES", "api"}});
  auto first = Start({{"TASKFLOW_ROLES", "realtime"}});
  ASSERT_TRUE(api && first);
  TestUser user{RandomUuid(), ""};
  user.token = MintToken(TestSecret(), user.id);
  HttpClient client(api->base_url());
  const auto create = [&](const char* title) {
    Response created = client.Send(Request{.method = "POST",
                                           .target = "/api/tasks",
                                           .token = user.token,
                                           .body = std::string(R"({"title":")") + title + "\"}"});
    EXPECT_EQ(created.status, 201) << created.Describe();
    return created.status == 201 ? Str(created.json().as_object(), "id") : std::string();
  };
  auto on_first = WebSocketClient::Connect(first->port(), {.bearer = user.token});
  ASSERT_NE(on_first, nullptr);
  const std::string before = create("before the second replica");
  ASSERT_TRUE(on_first->WaitForFrame(UpdateOf(before, "created"), 15s).has_value()) << first->Log();

  auto second = Start({{"TASKFLOW_ROLES", "realtime"}});
  ASSERT_NE(second, nullptr);
  auto on_second = WebSocketClient::Connect(second->port(), {.bearer = user.token});
  ASSERT_NE(on_second, nullptr);
  for (const char* title : {"one", "two", "three"}) {
    const std::string task = create(title);
    for (WebSocketClient* ws : {on_first.get(), on_second.get()}) {
      EXPECT_TRUE(ws->WaitForFrame(UpdateOf(task, "created"), 15s).has_value())
          << title << "\n"
          << first->Log() << second->Log();
    }
  }
  for (const json::object& frame : on_second->Frames()) {
    EXPECT_FALSE(FrameOf("task-update", before)(frame))
        << "history pushed: " << json::serialize(frame);
  }
  EXPECT_EQ(second->Stop(), 0);
  EXPECT_EQ(first->Stop(), 0);
  EXPECT_EQ(api->Stop(), 0);
}

// Pings every minute here: the stalled client must be dropped for its queue,
// not for its missing pongs.
TEST_F(WebSocketProcessTest, AClientThatReadsNothingDelaysNoOneAndIsCutOff) {
  auto server = Start({{"TASKFLOW_WS_PING_INTERVAL_MS", "60000"}});
  ASSERT_NE(server, nullptr);
  TestUser user{RandomUuid(), ""};
  user.token = MintToken(TestSecret(), user.id);
  HttpClient client(server->base_url());
  // A tiny receive buffer so that the stalled client's socket fills soon.
  auto stalled = WebSocketClient::Connect(
      server->port(), {.bearer = user.token, .read = false, .receive_buffer = 4096});
  auto reader = WebSocketClient::Connect(server->port(), {.bearer = user.token});
  ASSERT_TRUE(stalled && reader);
  Response created = client.Send(Request{
      .method = "POST", .target = "/api/tasks", .token = user.token, .body = R"({"title":"big"})"});
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string task = Str(created.json().as_object(), "id");

  // Large frames until the server gives up on the stalled client. The
  // realtime consumer runs behind the API a little: look between batches.
  const std::string padding(8000, 'p');
  const auto gave_up = [&] { return server->Log().find("does not keep up") != std::string::npos; };
  int patches = 0;
  while (patches < 4000 && !gave_up()) {
    for (int i = 0; i < 100; ++i) {
      ++patches;
      Response patched = client.Send(Request{
          .method = "PATCH",
          .target = "/api/tasks/" + task,
          .token = user.token,
          .body =
              json::serialize(json::object{{"description", padding + std::to_string(patches)}})});
      ASSERT_EQ(patched.status, 200) << patched.Describe();
    }
    WaitUntil(gave_up, 1s);
  }
  ASSERT_TRUE(gave_up()) << patches << " updates\n" << server->Log();

  // The reading client got every update, the last one included.
  const json::value last(padding + std::to_string(patches));
  auto final_frame = reader->WaitForFrame(
      [&](const json::object& frame) {
        if (!UpdateOf(task, "updated")(frame)) return false;
        const auto& changes = frame.at("data").get_object().at("changes").get_object();
        return changes.contains("description") && changes.at("description") == last;
      },
      30s);
  ASSERT_TRUE(final_frame.has_value())
      << "the reading client " << (reader->ended() ? "was closed: " : "is open; ")
      << (reader->ended() ? reader->WaitForEnd(0s)->error : "") << "\n"
      << server->Log();
  std::set<std::string> descriptions;
  for (const json::object& frame : reader->Frames()) {
    const json::object data = Data(frame);
    if (const auto* changes = data.if_contains("changes"); changes && changes->is_object()) {
      const auto* d = changes->get_object().if_contains("description");
      if (d != nullptr && d->is_string() && d->get_string().starts_with(padding)) {
        descriptions.insert(std::string(d->get_string()));
      }
    }
  }
  EXPECT_EQ(descriptions.size(), static_cast<std::size_t>(patches));
  EXPECT_FALSE(reader->ended());
  // The stalled client, reading at last, finds its connection ended short.
  stalled->StartReading();
  auto end = stalled->WaitForEnd(30s);
  ASSERT_TRUE(end.has_value()) << stalled->Frames().size() << " frames read\n" << server->Log();
  if (end->close_code) {
    EXPECT_EQ(*end->close_code, 1013);
  }
  EXPECT_LT(stalled->Frames().size(), static_cast<std::size_t>(patches) + 1);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

}  // namespace
}  // namespace taskflow::integration
