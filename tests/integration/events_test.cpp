// Events (issue 4) through the real binary: the outbox rows each API call
// writes, the activity log and its isolation, reminders fired once (within a
// second, never for completed or deleted tasks, missed ones at start-up) and
// delivered to a signed webhook, dead letters, the recurring service's
// exactly-once across duplicated delivery and across processes, and a
// SIGKILLed server whose relay resumes without loss.
//
// Each test runs its own server(s) on a fresh SQLite file: the in-process bus
// keeps its log there, which the tests read directly.
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <set>
#include <thread>

#include "api_test.hpp"
#include "event_log.hpp"
#include "webhook_receiver.hpp"

namespace taskflow::integration {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

std::string Hmac(const std::string& key, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    database_ = TestDatabase::CreateSqlite(&error);
    ASSERT_NE(database_, nullptr) << error;
    path_ = SqlitePathOf(database_->url());
  }
  void TearDown() override {
    clients_.clear();
    for (auto& server : servers_) {
      if (server) server->Stop();
    }
    RecordEvents(path_);
    servers_.clear();
    database_.reset();
  }

  // Starts `taskflow serve` (with `roles`, all when empty, and `settings`
  // replacing those of ServerEnv); index of the server.
  std::size_t Start(const std::string& roles = "", const EnvVars& settings = {}) {
    EnvVars env = ServerEnv(database_->url(), TestSecret());
    if (!roles.empty()) env.emplace_back("TASKFLOW_ROLES", roles);
    for (const auto& [name, value] : settings) {
      std::erase_if(env, [&name](const auto& entry) { return entry.first == name; });
      env.emplace_back(name, value);
    }
    std::string error;
    auto server = ServerProcess::Start(env, &error);
    EXPECT_NE(server, nullptr) << error;
    if (!server) return 0;
    clients_.push_back(std::make_unique<HttpClient>(server->base_url()));
    servers_.push_back(std::move(server));
    return servers_.size() - 1;
  }
  void StopServer(std::size_t i) { EXPECT_EQ(servers_[i]->Stop(), 0) << servers_[i]->Log(); }

  Response Send(std::size_t server, Request request) { return clients_[server]->Send(request); }
  Response Post(std::size_t server, const std::string& target, const json::value& body,
                const TestUser& user) {
    return Send(server, Request{.method = "POST",
                                .target = target,
                                .token = user.token,
                                .body = json::serialize(body)});
  }
  Response Get(std::size_t server, const std::string& target, const TestUser& user) {
    return Send(server, Request{.method = "GET", .target = target, .token = user.token});
  }
  json::object CreateTask(std::size_t server, const TestUser& user, json::object fields) {
    Response r = Post(server, "/api/tasks", fields, user);
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.status == 201 ? r.json().as_object() : json::object{};
  }
  static TestUser NewUser() {
    TestUser user{RandomUuid(), ""};
    user.token = MintToken(TestSecret(), user.id);
    return user;
  }

  // "topic:event_type" of the outbox rows about `task_id`.
  std::vector<std::string> KindsOf(const std::string& task_id) {
    std::vector<std::string> kinds;
    for (const OutboxRow& row : ReadOutbox(path_)) {
      const json::object o = json::parse(row.payload).as_object();
      if (o.at("task_id").as_string() != task_id) continue;
      kinds.push_back(row.topic + ":" +
                      (o.contains("event_type") ? std::string(o.at("event_type").as_string())
                                                : std::string("-")));
    }
    return kinds;
  }
  long long Count(const std::string& sql) { return std::stoll(QuerySqlite(path_, sql)[0][0]); }
  bool AllPublished() {
    return Count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0;
  }

  std::unique_ptr<TestDatabase> database_;
  std::string path_;
  std::vector<std::unique_ptr<ServerProcess>> servers_;
  std::vector<std::unique_ptr<HttpClient>> clients_;
};

TEST_F(EventsTest, EachApiCallAppendsItsEventsWhichThenPublish) {
  const std::size_t s = Start();
  const TestUser user = NewUser();
  const json::object task = CreateTask(s, user, {{"title", "Buy milk"}, {"tags", {"home"}}});
  const std::string id = Str(task, "id");
  Response patched = Send(s, Request{.method = "PATCH",
                                     .target = "/api/tasks/" + id,
                                     .token = user.token,
                                     .body = R"({"title":"Buy oat milk"})"});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  ASSERT_EQ(Post(s, "/api/tasks/" + id + "/complete", json::object{}, user).status, 200);
  ASSERT_EQ(Post(s, "/api/tasks/" + id + "/complete", json::object{}, user).status, 200);
  ASSERT_EQ(Post(s, "/api/tasks/" + id + "/reopen", json::object{}, user).status, 200);
  ASSERT_EQ(Send(s, Request{.method = "DELETE", .target = "/api/tasks/" + id, .token = user.token})
                .status,
            204);
  EXPECT_THAT(KindsOf(id), ::testing::ElementsAre("task-events:created", "task-updates:created",
                                                  "task-events:updated", "task-updates:updated",
                                                  "task-events:completed", "task-updates:completed",
                                                  "task-events:reopened", "task-updates:reopened",
                                                  "task-events:deleted", "task-updates:deleted"));
  EXPECT_TRUE(WaitUntil([&] { return AllPublished(); }));
  for (const OutboxRow& row : ReadOutbox(path_)) {
    EXPECT_EQ(row.key, user.id);
    const json::object o = json::parse(row.payload).as_object();
    EXPECT_EQ(Str(o, "event_id"), row.event_id);
    EXPECT_EQ(Int(o, "schema_version"), 1);
    if (row.topic == "task-updates" && Str(o, "event_type") == "updated") {
      EXPECT_EQ(json::serialize(o.at("changes")), R"({"title":"Buy oat milk"})");
    }
    if (row.topic == "task-events") {
      const json::object data = o.at("task_data").as_object();
      EXPECT_EQ(Strings(data, "tags"), std::vector<std::string>{"home"});
    }
  }
}

TEST_F(EventsTest, FailedCallsAppendNothing) {
  const std::size_t s = Start();
  const TestUser user = NewUser();
  const std::string id = Str(CreateTask(s, user, {{"title", "a"}}), "id");
  const auto before = ReadOutbox(path_).size();
  Response stale = Send(s, Request{.method = "PATCH",
                                   .target = "/api/tasks/" + id,
                                   .token = user.token,
                                   .body = R"({"title":"b"})",
                                   .headers = {"If-Match: \"7\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(Post(s, "/api/tasks", json::object{{"title", ""}}, user).status, 422);
  const TestUser other = NewUser();
  EXPECT_EQ(Post(s, "/api/tasks/" + id + "/complete", json::object{}, other).status, 404);
  EXPECT_EQ(ReadOutbox(path_).size(), before);
}

TEST_F(EventsTest, ActivityLogShowsEachUserTheirOwnHistory) {
  const std::size_t s = Start();
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  const std::string a1 = Str(CreateTask(s, alice, {{"title", "a1"}}), "id");
  const std::string a2 = Str(CreateTask(s, alice, {{"title", "a2"}}), "id");
  ASSERT_EQ(Post(s, "/api/tasks/" + a1 + "/complete", json::object{}, alice).status, 200);
  const std::string b1 = Str(CreateTask(s, bob, {{"title", "b1"}}), "id");

  json::object page;
  ASSERT_TRUE(WaitUntil([&] {
    Response r = Get(s, "/api/activity", alice);
    if (r.status != 200) return false;
    page = r.json().as_object();
    return Int(page, "total") == 3;
  })) << json::serialize(page);
  const json::array& items = page.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(Str(items[0].as_object(), "event_type"), "completed");  // newest first
  EXPECT_EQ(Str(items[0].as_object(), "task_id"), a1);
  EXPECT_EQ(Str(items[0].as_object().at("task_data").as_object(), "status"), "completed");
  EXPECT_EQ(Str(items[2].as_object(), "task_id"), a1);

  Response one = Get(s, "/api/activity?task_id=" + a2, alice);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Int(one.json().as_object(), "total"), 1);
  Response paged = Get(s, "/api/activity?limit=1&offset=1", alice);
  ASSERT_EQ(paged.status, 200);
  EXPECT_EQ(paged.json().as_object().at("items").as_array().size(), 1u);
  EXPECT_EQ(Int(paged.json().as_object(), "total"), 3);

  // Bob sees his own entry only, and nothing of Alice's task even by its id.
  ASSERT_TRUE(WaitUntil(
      [&] { return Int(Get(s, "/api/activity", bob).json().as_object(), "total") == 1; }));
  Response bobs = Get(s, "/api/activity", bob);
  EXPECT_EQ(Str(bobs.json().as_object().at("items").as_array()[0].as_object(), "task_id"), b1);
  EXPECT_EQ(Int(Get(s, "/api/activity?task_id=" + a1, bob).json().as_object(), "total"), 0);
}

TEST_F(EventsTest, ActivityQueryErrorsNameTheParameter) {
  const std::size_t s = Start();
  const TestUser user = NewUser();
  ExpectProblem(Get(s, "/api/activity?limit=0", user), 422, "validation", "limit");
  ExpectProblem(Get(s, "/api/activity?limit=201", user), 422, "validation", "limit");
  ExpectProblem(Get(s, "/api/activity?limit=x", user), 422, "validation", "limit");
  ExpectProblem(Get(s, "/api/activity?offset=-1", user), 422, "validation", "offset");
  ExpectProblem(Get(s, "/api/activity?task_id=nope", user), 422, "validation", "task_id");
  ExpectProblem(Get(s, "/api/activity?colour=red", user), 422, "validation", "colour");
  Response anonymous = Send(s, Request{.method = "GET", .target = "/api/activity"});
  EXPECT_EQ(anonymous.status, 401);
}

TEST_F(EventsTest, WebhooksAreManagedByTheirOwnerOnly) {
  const std::size_t s = Start();
  const TestUser alice = NewUser();
  const TestUser bob = NewUser();
  Response created =
      Post(s, "/api/webhooks", json::object{{"url", "https://example.com/h"}}, alice);
  ASSERT_EQ(created.status, 201) << created.Describe();
  const json::object hook = created.json().as_object();
  EXPECT_EQ(Str(hook, "secret").size(), 64u);
  EXPECT_EQ(created.header("location").value_or(""), "/api/webhooks/" + Str(hook, "id"));
  Response listed = Get(s, "/api/webhooks", alice);
  ASSERT_EQ(listed.status, 200);
  const json::value listed_body = listed.json();
  const json::array& hooks = listed_body.as_object().at("webhooks").as_array();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_FALSE(hooks[0].as_object().contains("secret"));  // shown once
  EXPECT_TRUE(Get(s, "/api/webhooks", bob).json().as_object().at("webhooks").as_array().empty());
  const std::string target = "/api/webhooks/" + Str(hook, "id");
  ExpectProblem(Send(s, Request{.method = "DELETE", .target = target, .token = bob.token}), 404,
                "not-found");
  EXPECT_EQ(Send(s, Request{.method = "DELETE", .target = target, .token = alice.token}).status,
            204);
  ExpectProblem(Send(s, Request{.method = "DELETE", .target = target, .token = alice.token}), 404,
                "not-found");
  ExpectProblem(
      Send(s,
           Request{.method = "DELETE", .target = "/api/webhooks/not-an-id", .token = alice.token}),
      404, "not-found");
}

TEST_F(EventsTest, WebhookInputErrorsNameTheField) {
  const std::size_t s = Start();
  const TestUser user = NewUser();
  ExpectProblem(Post(s, "/api/webhooks", json::object{{"url", "ftp://x"}}, user), 422, "validation",
                "url");
  ExpectProblem(Post(s, "/api/webhooks", json::object{{"url", 7}}, user), 422, "validation", "url");
  ExpectProblem(Post(s, "/api/webhooks", json::object{}, user), 422, "validation", "url");
  ExpectProblem(
      Post(s, "/api/webhooks", json::object{{"url", "https://a.example"}, {"x", 1}}, user), 422,
      "validation", "x");
  ExpectProblem(Send(s, Request{.method = "POST",
                                .target = "/api/webhooks",
                                .token = user.token,
                                .body = "{not json"}),
                400, "malformed-request", "body");
  ExpectProblem(
      Send(s,
           Request{.method = "POST", .target = "/api/webhooks", .token = user.token, .body = "[]"}),
      422, "validation", "body");
}

TEST_F(EventsTest, RemindersFireOnceWithinASecondSignedAndNeverForDoneTasks) {
  WebhookReceiver receiver;
  const std::size_t s = Start();
  const TestUser user = NewUser();
  Response hook = Post(s, "/api/webhooks", json::object{{"url", receiver.url()}}, user);
  ASSERT_EQ(hook.status, 201);
  const std::string secret = Str(hook.json().as_object(), "secret");

  const auto remind_at = std::chrono::system_clock::now() + 2500ms;
  const json::array reminders{json::object{{"at", Rfc3339(remind_at)}}};
  const std::string fires =
      Str(CreateTask(s, user, {{"title", "Call mum"}, {"reminders", reminders}}), "id");
  const std::string completed =
      Str(CreateTask(s, user, {{"title", "done"}, {"reminders", reminders}}), "id");
  const std::string deleted =
      Str(CreateTask(s, user, {{"title", "gone"}, {"reminders", reminders}}), "id");
  ASSERT_EQ(Post(s, "/api/tasks/" + completed + "/complete", json::object{}, user).status, 200);
  ASSERT_EQ(
      Send(s, Request{.method = "DELETE", .target = "/api/tasks/" + deleted, .token = user.token})
          .status,
      204);

  std::vector<ReceivedHook> got = receiver.WaitFor(1, 6s);
  ASSERT_EQ(got.size(), 1u);
  std::this_thread::sleep_for(1500ms);  // nothing else comes
  got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  const ReceivedHook& delivery = got[0];
  const auto late = delivery.arrived - remind_at;
  EXPECT_GE(late, -50ms);  // not early (the remind_at is kept to the millisecond)
  EXPECT_LT(late, 1000ms) << "delivered "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(late).count()
                          << " ms after remind_at";
  EXPECT_EQ(delivery.headers.at("content-type"), "application/json");
  EXPECT_EQ(delivery.headers.at("x-taskflow-signature"), Hmac(secret, delivery.body));
  EXPECT_NE(delivery.headers.at("x-taskflow-signature"), Hmac(secret + "x", delivery.body));
  const json::object event = json::parse(delivery.body).as_object();
  EXPECT_EQ(Str(event, "task_id"), fires);
  EXPECT_EQ(Str(event, "user_id"), user.id);
  EXPECT_EQ(Str(event, "title"), "Call mum");
  EXPECT_EQ(delivery.headers.at("x-taskflow-event-id"), Str(event, "event_id"));
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE topic = 'reminders'"), 1);
  // The task shows its reminder as sent.
  const json::object task = Get(s, "/api/tasks/" + fires, user).json().as_object();
  EXPECT_FALSE(IsNull(task.at("reminders").as_array()[0].as_object(), "sent_at"));
}

TEST_F(EventsTest, RemindersMissedWhileDownFireAtStartUp) {
  WebhookReceiver receiver;
  std::size_t s = Start();
  const TestUser user = NewUser();
  ASSERT_EQ(Post(s, "/api/webhooks", json::object{{"url", receiver.url()}}, user).status, 201);
  const auto remind_at = std::chrono::system_clock::now() + 1500ms;
  CreateTask(
      s, user,
      {{"title", "missed"}, {"reminders", json::array{json::object{{"at", Rfc3339(remind_at)}}}}});
  StopServer(s);
  std::this_thread::sleep_for(2s);
  ASSERT_TRUE(receiver.received().empty());
  s = Start();
  const auto got = receiver.WaitFor(1, 5s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Str(json::parse(got[0].body).as_object(), "title"), "missed");
}

TEST_F(EventsTest, AFailingWebhookIsRetriedThenDeadLetteredWhileOthersFlowOn) {
  WebhookReceiver receiver;
  receiver.set_status(500);
  const std::size_t s = Start();
  const TestUser user = NewUser();
  ASSERT_EQ(Post(s, "/api/webhooks", json::object{{"url", receiver.url()}}, user).status, 201);
  const auto soon = [] {
    return json::array{json::object{{"at", Rfc3339(std::chrono::system_clock::now() + 300ms)}}};
  };
  CreateTask(s, user, {{"title", "first"}, {"reminders", soon()}});
  ASSERT_TRUE(WaitUntil([&] { return Count("SELECT count(*) FROM dead_letters") == 1; }, 15s));
  EXPECT_EQ(receiver.received().size(), 5u);  // RetryPolicy::max_attempts
  const auto letter = QuerySqlite(path_, "SELECT consumer, topic, error FROM dead_letters")[0];
  EXPECT_EQ(letter[0], "notification-service");
  EXPECT_EQ(letter[1], "reminders");
  EXPECT_THAT(letter[2], ::testing::HasSubstr("500"));

  receiver.set_status(204);
  CreateTask(s, user, {{"title", "second"}, {"reminders", soon()}});
  const auto got = receiver.WaitFor(6, 5s);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(Str(json::parse(got[5].body).as_object(), "title"), "second");
}

// A webhook URL is user input: by default no delivery reaches an internal
// address (here 127.0.0.1, as a cloud metadata service would be), the
// attempts end in the dead-letter table saying why, and nothing arrives.
TEST_F(EventsTest, WebhooksToInternalAddressesAreRefusedByDefault) {
  WebhookReceiver receiver;
  const std::size_t s = Start("", {{"TASKFLOW_WEBHOOK_ALLOW_INTERNAL", "false"}});
  const TestUser user = NewUser();
  ASSERT_EQ(Post(s, "/api/webhooks", json::object{{"url", receiver.url()}}, user).status, 201);
  CreateTask(
      s, user,
      {{"title", "never delivered"},
       {"reminders",
        json::array{json::object{{"at", Rfc3339(std::chrono::system_clock::now() + 300ms)}}}}});
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Count(
                   "SELECT count(*) FROM dead_letters WHERE consumer = "
                   "'notification-service'") == 1;
      },
      15s));
  const auto letter = QuerySqlite(path_, "SELECT topic, error FROM dead_letters")[0];
  EXPECT_EQ(letter[0], "reminders");
  EXPECT_THAT(letter[1], ::testing::HasSubstr("internal address"));
  EXPECT_TRUE(receiver.received().empty());
}

TEST_F(EventsTest, APoisonMessageIsDeadLetteredAndTheRestFlowOn) {
  const std::size_t s = Start();
  const TestUser user = NewUser();
  ExecSqlite(
      path_,
      "INSERT INTO outbox (topic, message_key, event_id, payload, created_at) VALUES "
      "('task-events', 'k', 'poison-1', '{\"schema_version\":1,\"event_id\":\"poison-1\"}', 0)");
  const std::string id = Str(CreateTask(s, user, {{"title", "after the poison"}}), "id");
  ASSERT_TRUE(WaitUntil([&] {
    return Count("SELECT count(*) FROM activity_log WHERE task_id = '" + id + "'") == 1;
  }));
  ASSERT_TRUE(WaitUntil([&] {
    return Count(
               "SELECT count(*) FROM dead_letters WHERE event_id = 'poison-1' AND consumer = "
               "'audit-service'") == 1;
  }));
  EXPECT_EQ(Count("SELECT attempts FROM dead_letters WHERE event_id = 'poison-1' AND consumer = "
                  "'audit-service'"),
            1);  // malformed: not retried
  // Keep the poison out of the schema check of real events.
  ExecSqlite(path_, "DELETE FROM outbox WHERE event_id = 'poison-1'");
}

// The next occurrence of `task_id`: the number of tasks naming it as previous.
long long Occurrences(EventsTest* test, const std::string& path, const std::string& task_id) {
  (void)test;
  return std::stoll(QuerySqlite(
      path, "SELECT count(*) FROM tasks WHERE previous_occurrence_id = '" + task_id + "'")[0][0]);
}

TEST_F(EventsTest, RecurringCreatesOneOccurrenceEvenWhenDeliveredAgain) {
  std::size_t s = Start();
  const TestUser user = NewUser();
  const std::string id = Str(CreateTask(s, user,
                                        {{"title", "Water plants"},
                                         {"due_at", "2030-01-01T09:00:00Z"},
                                         {"recurrence", json::object{{"rule", "daily"}}}}),
                             "id");
  ASSERT_EQ(Post(s, "/api/tasks/" + id + "/complete", json::object{}, user).status, 200);
  EXPECT_EQ(Occurrences(this, path_, id), 1);  // inline: at once
  ASSERT_TRUE(WaitUntil([&] { return AllPublished(); }));
  StopServer(s);
  // Deliver every task-event again, even with the processed records gone:
  // the unique previous_occurrence_id still decides.
  ExecSqlite(path_,
             "DELETE FROM consumer_offsets WHERE consumer = 'recurring-task-service';"
             "DELETE FROM processed_events WHERE consumer = 'recurring-task-service';");
  s = Start();
  ASSERT_TRUE(WaitUntil([&] {
    return Count(
               "SELECT count(*) FROM consumer_offsets WHERE consumer = "
               "'recurring-task-service' AND position = (SELECT max(id) FROM outbox WHERE "
               "topic = 'task-events')") == 1;
  }));
  EXPECT_EQ(Occurrences(this, path_, id), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM tasks"), 2);
}

TEST_F(EventsTest, InDistributedModeTheRecurringServiceMakesTheOccurrenceOnce) {
  const std::size_t api = Start("api");
  std::size_t worker = Start("recurring,audit");
  const TestUser user = NewUser();
  // A process without the api role serves no /api, but answers /ready.
  EXPECT_EQ(
      Send(worker,
           Request{
               .method = "GET", .target = "/api/tasks", .token = user.token, .documented = false})
          .status,
      404);
  EXPECT_EQ(Send(worker, Request{.method = "GET", .target = "/ready"}).status, 200);

  const std::string id = Str(CreateTask(api, user,
                                        {{"title", "Stand-up"},
                                         {"due_at", "2030-01-01T09:00:00Z"},
                                         {"recurrence", json::object{{"rule", "weekly"}}}}),
                             "id");
  ASSERT_EQ(Post(api, "/api/tasks/" + id + "/complete", json::object{}, user).status, 200);
  ASSERT_TRUE(WaitUntil([&] { return Occurrences(this, path_, id) == 1; }));
  // The occurrence's own "created" event went out too.
  ASSERT_TRUE(WaitUntil([&] {
    return Count("SELECT count(*) FROM activity_log WHERE event_type = 'created'") == 2;
  }));
  Response listed = Get(api, "/api/tasks?status=pending", user);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json().as_object().at("tasks").as_array().size(), 1u);

  // Redelivery (the worker restarts from the beginning): nothing new.
  StopServer(worker);
  ExecSqlite(path_, "DELETE FROM consumer_offsets WHERE consumer = 'recurring-task-service'");
  worker = Start("recurring");
  ASSERT_TRUE(WaitUntil([&] {
    return Count(
               "SELECT count(*) FROM consumer_offsets WHERE consumer = "
               "'recurring-task-service'") == 1 &&
           Count(
               "SELECT position FROM consumer_offsets WHERE consumer = "
               "'recurring-task-service'") ==
               Count("SELECT max(id) FROM outbox WHERE topic = 'task-events'");
  }));
  EXPECT_EQ(Occurrences(this, path_, id), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM tasks"), 2);
}

TEST_F(EventsTest, AKilledServerResumesTheRelayWithoutLosingAnEvent) {
  std::size_t s = Start();
  const TestUser user = NewUser();
  std::atomic<bool> stop{false};
  std::vector<std::string> created;
  std::mutex mutex;
  // Plain libcurl: the kill makes requests fail, which HttpClient reports.
  std::thread writer([&, url = servers_[s]->base_url() + "/api/tasks"] {
    CURL* curl = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("Authorization: Bearer " + user.token).c_str());
    std::string answer;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 5L);
    curl_easy_setopt(
        curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) {
          static_cast<std::string*>(out)->append(data, size * n);
          return size * n;
        });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    for (int i = 0; i < 400 && !stop; ++i) {
      const std::string body = R"({"title":"burst )" + std::to_string(i) + "\"}";
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
      answer.clear();
      if (curl_easy_perform(curl) != CURLE_OK) break;  // the server is gone
      long status = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      if (status == 201) {
        std::lock_guard lock(mutex);
        created.push_back(std::string(json::parse(answer).as_object().at("id").as_string()));
      }
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
  });
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mutex);
    return created.size() >= 50;
  }));
  servers_[s]->Kill();
  stop = true;
  writer.join();
  s = Start();
  ASSERT_TRUE(WaitUntil([&] { return AllPublished(); }, 20s));
  // Every acknowledged create has its event, and the audit log holds each
  // task-event exactly once.
  std::set<std::string> with_event;
  for (const OutboxRow& row : ReadOutbox(path_)) {
    if (row.topic == "task-events") {
      with_event.insert(Str(json::parse(row.payload).as_object(), "task_id"));
    }
  }
  for (const std::string& id : created) EXPECT_TRUE(with_event.count(id)) << id;
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Count("SELECT count(*) FROM activity_log") ==
               Count("SELECT count(*) FROM outbox WHERE topic = 'task-events'");
      },
      20s));
  EXPECT_EQ(Count("SELECT count(DISTINCT event_id) FROM activity_log"),
            Count("SELECT count(*) FROM activity_log"));
}

TEST_F(EventsTest, ReadyWhileEveryLoopRuns) {
  const std::size_t s = Start();
  Response ready = Send(s, Request{.method = "GET", .target = "/ready"});
  EXPECT_EQ(ready.status, 200) << ready.Describe();
}

}  // namespace
}  // namespace taskflow::integration
