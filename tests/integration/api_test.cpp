#include "api_test.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>

#include "event_log.hpp"

namespace taskflow::integration {

std::unique_ptr<TestDatabase> ApiTest::database_;
std::unique_ptr<ServerProcess> ApiTest::server_;
std::unique_ptr<HttpClient> ApiTest::client_;
std::string ApiTest::startup_error_;

const std::string& TestSecret() {
  static const std::string secret = [] {
    std::random_device rd;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 64; ++i) s += kHex[rd() % 16];
    return s;
  }();
  return secret;
}

std::string RandomUuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    unsigned nibble = rng() % 16;
    if (i == 12) nibble = 4;
    if (i == 16) nibble = 8 | (nibble & 3);
    if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
    s += kHex[nibble];
  }
  return s;
}

TestUser MintedUser() {
  TestUser user{RandomUuid(), ""};
  user.token = MintToken(TestSecret(), user.id);
  return user;
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return condition();
}

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ",
                static_cast<int>(ms.time_since_epoch().count() % 1000));
  return std::string(buffer) + millis;
}

EnvVars ServerEnv(const std::string& database_url, const std::optional<std::string>& secret) {
  EnvVars env{{"TASKFLOW_HTTP_ADDR", "127.0.0.1:0"},
              {"TASKFLOW_DATABASE_URL", database_url},
              {"TASKFLOW_LOG_LEVEL", "info"},
              {"TASKFLOW_HTTP_THREADS", "2"},
              // The tests' webhook receivers listen on 127.0.0.1.
              {"TASKFLOW_WEBHOOK_ALLOW_INTERNAL", "true"}};
  if (secret) env.emplace_back("BETTER_AUTH_SECRET", *secret);
  return env;
}

void ExpectProblem(const Response& r, long status, std::string_view slug,
                   std::optional<std::string_view> field) {
  EXPECT_EQ(r.status, status) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json") << r.Describe();
  json::value v = r.json();
  if (!v.is_object()) return;
  const json::object& o = v.get_object();
  EXPECT_EQ(Str(o, "type"), "urn:taskflow:problem:" + std::string(slug)) << r.Describe();
  if (field) {
    const std::vector<std::string> fields = ErrorFields(r);
    EXPECT_NE(std::find(fields.begin(), fields.end(), *field), fields.end())
        << "no error for field '" << *field << "': " << r.Describe();
  }
}

std::vector<std::string> ErrorFields(const Response& r) {
  std::vector<std::string> fields;
  json::value v = r.json();
  if (!v.is_object()) return fields;
  const json::value* errors = v.get_object().if_contains("errors");
  if (errors == nullptr || !errors->is_array()) {
    ADD_FAILURE() << "problem without an errors array: " << r.Describe();
    return fields;
  }
  for (const json::value& e : errors->get_array()) {
    if (e.is_object()) fields.push_back(Str(e.get_object(), "field"));
  }
  return fields;
}

void ApiTest::SetUpTestSuite() {
  startup_error_.clear();
  database_ = TestDatabase::Create(&startup_error_);
  if (!database_) return;
  server_ = ServerProcess::Start(ServerEnv(database_->url(), TestSecret()), &startup_error_);
  if (server_) client_ = std::make_unique<HttpClient>(server_->base_url());
}

void ApiTest::TearDownTestSuite() {
  client_.reset();
  // Every event this suite's server produced, for the schema check (tests/contract).
  if (database_) RecordEvents(SqlitePathOf(database_->url()));
  if (server_) {
    const int code = server_->Stop();
    EXPECT_EQ(code, 0) << "taskflow serve did not exit cleanly on SIGTERM; log:\n"
                       << server_->Log();
  }
  server_.reset();
  database_.reset();
}

void ApiTest::SetUp() {
  ASSERT_TRUE(server_ != nullptr && client_ != nullptr)
      << "the server did not start: " << startup_error_;
}

TestUser ApiTest::NewUser() { return MintedUser(); }

Response ApiTest::Get(const std::string& target, const std::optional<std::string>& token) {
  return Send({.method = "GET", .target = target, .token = token});
}

Response ApiTest::Post(const std::string& target, const json::value& body,
                       const std::optional<std::string>& token) {
  return Send({.method = "POST", .target = target, .token = token, .body = json::serialize(body)});
}

Response ApiTest::PostEmpty(const std::string& target, const std::optional<std::string>& token) {
  return Send({.method = "POST", .target = target, .token = token});
}

Response ApiTest::Patch(const std::string& target, const json::value& body,
                        const std::optional<std::string>& token) {
  return Send({.method = "PATCH", .target = target, .token = token, .body = json::serialize(body)});
}

Response ApiTest::Delete(const std::string& target, const std::optional<std::string>& token) {
  return Send({.method = "DELETE", .target = target, .token = token});
}

json::object ApiTest::CreateTask(const TestUser& user, json::object fields) {
  const Response r = Post("/api/tasks", fields, user.token);
  if (r.status != 201) {
    ADD_FAILURE() << "POST /api/tasks " << json::serialize(fields) << " → " << r.Describe();
    return {};
  }
  json::value v = r.json();
  return v.is_object() ? v.get_object() : json::object{};
}

json::object ApiTest::GetTask(const TestUser& user, std::string_view id) {
  const Response r = Get("/api/tasks/" + std::string(id), user.token);
  if (r.status != 200) {
    ADD_FAILURE() << "GET /api/tasks/" << id << " → " << r.Describe();
    return {};
  }
  json::value v = r.json();
  return v.is_object() ? v.get_object() : json::object{};
}

json::object ApiTest::ListTasks(const TestUser& user, const QueryParams& params) {
  const std::string target = WithQuery("/api/tasks", params);
  const Response r = Get(target, user.token);
  if (r.status != 200) {
    ADD_FAILURE() << "GET " << target << " → " << r.Describe();
    return {};
  }
  json::value v = r.json();
  return v.is_object() ? v.get_object() : json::object{};
}

namespace {
std::vector<std::string> TaskField(const json::object& list, std::string_view key) {
  std::vector<std::string> out;
  const json::value* tasks = list.if_contains("tasks");
  if (tasks == nullptr || !tasks->is_array()) return out;
  for (const json::value& t : tasks->get_array()) {
    if (t.is_object()) out.push_back(Str(t.get_object(), key));
  }
  return out;
}
}  // namespace

std::vector<std::string> ApiTest::ListIds(const TestUser& user, const QueryParams& params) {
  return TaskField(ListTasks(user, params), "id");
}

std::vector<std::string> ApiTest::ListTitles(const TestUser& user, const QueryParams& params) {
  return TaskField(ListTasks(user, params), "title");
}

json::object ApiTest::CreateTag(const TestUser& user, json::object fields) {
  const Response r = Post("/api/tags", fields, user.token);
  if (r.status != 201) {
    ADD_FAILURE() << "POST /api/tags " << json::serialize(fields) << " → " << r.Describe();
    return {};
  }
  json::value v = r.json();
  return v.is_object() ? v.get_object() : json::object{};
}

json::array ApiTest::ListTags(const TestUser& user) {
  const Response r = Get("/api/tags", user.token);
  if (r.status != 200) {
    ADD_FAILURE() << "GET /api/tags → " << r.Describe();
    return {};
  }
  json::value v = r.json();
  if (!v.is_object() || !v.get_object().contains("tags") || !v.at("tags").is_array()) {
    ADD_FAILURE() << "GET /api/tags: no tags array: " << r.Describe();
    return {};
  }
  return v.at("tags").get_array();
}

int CreateTasksInParallel(const std::string& base_url, const std::string& token, int count,
                          const std::function<json::object(int)>& body) {
  constexpr int kClients = 4;
  std::atomic<int> created{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient http(base_url);
      for (int i = c; i < count; i += kClients) {
        const Response r = http.Send({.method = "POST",
                                      .target = "/api/tasks",
                                      .token = token,
                                      .body = json::serialize(body(i))});
        if (r.status == 201) ++created;
      }
    });
  }
  for (auto& t : clients) t.join();
  return created.load();
}

std::string PaddingTitle(int i) {
  std::string title = "padding ";
  do {
    title += static_cast<char>('a' + i % 10);
    i /= 10;
  } while (i > 0);
  return title;
}

std::string NormalizeInstant(std::string_view utc) {
  std::string seconds(utc.substr(0, 19));
  std::string fraction;
  if (utc.size() > 20 && utc[19] == '.') fraction = std::string(utc.substr(20, utc.size() - 21));
  fraction.resize(9, '0');
  return seconds + "." + fraction;
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    ADD_FAILURE() << "'" << key << "' is not a string in " << json::serialize(o);
    return {};
  }
  return std::string(v->get_string());
}

std::int64_t Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !(v->is_int64() || v->is_uint64())) {
    ADD_FAILURE() << "'" << key << "' is not an integer in " << json::serialize(o);
    return -1;
  }
  return v->is_int64() ? v->get_int64() : static_cast<std::int64_t>(v->get_uint64());
}

bool IsNull(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    ADD_FAILURE() << "'" << key << "' is missing in " << json::serialize(o);
    return false;
  }
  return v->is_null();
}

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) {
    ADD_FAILURE() << "'" << key << "' is not an array in " << json::serialize(o);
    return out;
  }
  for (const json::value& e : v->get_array()) {
    if (!e.is_string()) {
      ADD_FAILURE() << "'" << key << "' holds a non-string in " << json::serialize(o);
      continue;
    }
    out.emplace_back(e.get_string());
  }
  return out;
}

}  // namespace taskflow::integration
