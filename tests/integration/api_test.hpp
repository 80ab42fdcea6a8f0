// The fixture of the HTTP-level tests: one real `taskflow serve` per test
// suite on a free port and a fresh database of the selected backend; each test
// isolates itself with fresh users (tokens minted with the shared secret).
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "jwt_minter.hpp"
#include "process.hpp"
#include "test_database.hpp"

namespace taskflow::integration {

namespace json = boost::json;

struct TestUser {
  std::string id;
  std::string token;
};

// 64 random hex characters, fresh per process.
const std::string& TestSecret();

// A random UUIDv4 string.
std::string RandomUuid();

// A user nobody has seen yet: a token minted for a random id.
TestUser MintedUser();

// Polls `condition` every 25 ms until it holds or `timeout` passes; its last value.
bool WaitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

// "2026-11-26T09:30:00.123Z": `t` in UTC to the millisecond.
std::string Rfc3339(std::chrono::system_clock::time_point t);

// Environment for `taskflow serve|migrate` on `database_url` with `secret`
// (nullopt: BETTER_AUTH_SECRET unset) and a free port.
EnvVars ServerEnv(const std::string& database_url, const std::optional<std::string>& secret);

// Checks a problem answer: status, problem+json, type urn:taskflow:problem:<slug>
// and, when `field` is given, an `errors` entry naming it.
void ExpectProblem(const Response& r, long status, std::string_view slug,
                   std::optional<std::string_view> field = std::nullopt);

// The `field` names in a problem's `errors`.
std::vector<std::string> ErrorFields(const Response& r);

class ApiTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

 protected:
  void SetUp() override;

  static ServerProcess& server() { return *server_; }
  static HttpClient& client() { return *client_; }
  static TestDatabase& database() { return *database_; }

  // A user nobody has seen yet: a token minted for a random id.
  static TestUser NewUser();

  static Response Send(const Request& request) { return client_->Send(request); }
  static Response Get(const std::string& target, const std::optional<std::string>& token);
  static Response Post(const std::string& target, const json::value& body,
                       const std::optional<std::string>& token);
  static Response PostEmpty(const std::string& target, const std::optional<std::string>& token);
  static Response Patch(const std::string& target, const json::value& body,
                        const std::optional<std::string>& token);
  static Response Delete(const std::string& target, const std::optional<std::string>& token);

  // POST /api/tasks expecting 201; the task (an empty object after a failure).
  static json::object CreateTask(const TestUser& user, json::object fields);
  static json::object CreateTask(const TestUser& user, std::string_view title) {
    return CreateTask(user, json::object{{"title", title}});
  }
  // GET /api/tasks/{id} expecting 200.
  static json::object GetTask(const TestUser& user, std::string_view id);
  // GET /api/tasks with `params` expecting 200; the whole answer.
  static json::object ListTasks(const TestUser& user, const QueryParams& params);
  // The ids of one GET /api/tasks answer, in order.
  static std::vector<std::string> ListIds(const TestUser& user, const QueryParams& params);
  // The titles of one GET /api/tasks answer, in order.
  static std::vector<std::string> ListTitles(const TestUser& user, const QueryParams& params);
  // POST /api/tags expecting 201.
  static json::object CreateTag(const TestUser& user, json::object fields);
  // GET /api/tags expecting 200: the tags.
  static json::array ListTags(const TestUser& user);

 private:
  static std::unique_ptr<TestDatabase> database_;
  static std::unique_ptr<ServerProcess> server_;
  static std::unique_ptr<HttpClient> client_;
  static std::string startup_error_;
};

// Creates `count` tasks for `token` through POST /api/tasks on four connections
// at once; `body(i)` gives the i-th task. Returns how many answered 201.
int CreateTasksInParallel(const std::string& base_url, const std::string& token, int count,
                          const std::function<json::object(int)>& body);

// More tasks than SqliteOptions::search_scan_max_tasks (2,000): past this
// size an owner's keyword search goes through the trigram index instead of a
// scan, so tests of search run on both paths.
inline constexpr int kTasksForIndexedSearch = 2'001;

// "padding cfa…": a title made of letters a–j and "padding", which none of the
// search tests' queries match.
std::string PaddingTitle(int i);

// "2030-01-01T00:00:00.5Z" → "2030-01-01T00:00:00.500000000": answered
// instants of any precision, comparable as text.
std::string NormalizeInstant(std::string_view utc);

// Field accessors that fail the test (instead of throwing) on a wrong shape.
std::string Str(const json::object& o, std::string_view key);
std::int64_t Int(const json::object& o, std::string_view key);
bool IsNull(const json::object& o, std::string_view key);
std::vector<std::string> Strings(const json::object& o, std::string_view key);

}  // namespace taskflow::integration
