// The command line: `migrate up|down|status` on a database holding data,
// `version`, graceful shutdown, and the generated secret file.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TrimWhitespace(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  return s;
}

// Each test owns its database and its server processes.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    database_ = TestDatabase::Create(&error);
    ASSERT_TRUE(database_) << error;
  }

  EnvVars Env() const { return ServerEnv(database_->url(), TestSecret()); }

  CommandResult Run(const std::vector<std::string>& args) const { return RunTaskflow(args, Env()); }

  std::unique_ptr<ServerProcess> StartServer(const EnvVars& env) {
    std::string error;
    auto server = ServerProcess::Start(env, &error);
    EXPECT_TRUE(server) << error;
    return server;
  }

  std::unique_ptr<TestDatabase> database_;
};

TEST_F(CliTest, VersionPrintsTheProjectVersion) {
  const CommandResult r = Run({"version"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(TASKFLOW_EXPECTED_VERSION), std::string::npos) << r.output;
}

TEST_F(CliTest, AnUnknownCommandFails) {
  const CommandResult r = Run({"frobnicate"});
  EXPECT_NE(r.exit_code, 0) << r.output;
}

TEST_F(CliTest, MigrateUpDownUpKeepsTheData) {
  const CommandResult up = Run({"migrate", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  const CommandResult again = Run({"migrate", "up"});
  EXPECT_EQ(again.exit_code, 0) << "migrate up is idempotent: " << again.output;
  const CommandResult status_up = Run({"migrate", "status"});
  ASSERT_EQ(status_up.exit_code, 0) << status_up.output;

  // Fill the database through the API.
  const TestUser user{RandomUuid(), ""};
  const std::string token = MintToken(TestSecret(), user.id);
  const std::string big_token = MintToken(TestSecret(), RandomUuid());
  json::object task, tag;
  {
    auto server = StartServer(Env());
    ASSERT_TRUE(server);
    HttpClient http(server->base_url());
    const Response created =
        http.Send({.method = "POST",
                   .target = "/api/tasks",
                   .token = token,
                   .body = R"({"title":"Survives café migrations","priority":"P2",)"
                           R"("due_at":"2030-01-01T00:00:00Z","tags":["kept"]})"});
    ASSERT_EQ(created.status, 201) << created.Describe();
    task = created.json().as_object();
    const Response listed = http.Send({.target = "/api/tags", .token = token});
    ASSERT_EQ(listed.status, 200) << listed.Describe();
    tag = listed.json().at("tags").as_array().at(0).as_object();
    // A large account, whose searches go through the full-text index.
    ASSERT_EQ(CreateTasksInParallel(
                  server->base_url(), big_token, kTasksForIndexedSearch,
                  [](int i) {
                    return json::object{{"title", i == 7 ? "Indexed café entry" : PaddingTitle(i)}};
                  }),
              kTasksForIndexedSearch);
    EXPECT_EQ(server->Stop(), 0) << server->Log();
  }

  const CommandResult down = Run({"migrate", "down", "--steps", "1"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  const CommandResult status_down = Run({"migrate", "status"});
  ASSERT_EQ(status_down.exit_code, 0) << status_down.output;
  EXPECT_NE(status_down.output, status_up.output) << "status shows the step that was rolled back";

  const CommandResult reup = Run({"migrate", "up"});
  ASSERT_EQ(reup.exit_code, 0) << reup.output;
  const CommandResult status_reup = Run({"migrate", "status"});
  ASSERT_EQ(status_reup.exit_code, 0) << status_reup.output;

  // The server serves the same data, searchable and filterable as before.
  EnvVars env = Env();
  env.emplace_back("TASKFLOW_AUTO_MIGRATE", "false");
  auto server = StartServer(env);
  ASSERT_TRUE(server);
  HttpClient http(server->base_url());
  const Response got = http.Send({.target = "/api/tasks/" + Str(task, "id"), .token = token});
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.json(), json::value(task));
  const Response search =
      http.Send({.target = WithQuery(
                     "/api/tasks", {{"q", "CAFÉ MIGRATION"}, {"tag", "kept"}, {"priority", "P2"}}),
                 .token = token});
  ASSERT_EQ(search.status, 200) << search.Describe();
  EXPECT_EQ(search.json().at("total"), json::value(1)) << search.Describe();
  const Response short_search =
      http.Send({.target = WithQuery("/api/tasks", {{"q", "fé"}}), .token = token});
  EXPECT_EQ(short_search.json().at("total"), json::value(1)) << short_search.Describe();
  const Response tags = http.Send({.target = "/api/tags", .token = token});
  ASSERT_EQ(tags.status, 200) << tags.Describe();
  EXPECT_EQ(tags.json().at("tags"), json::value(json::array{tag}));
  for (const auto& [q, total] :
       std::vector<std::pair<std::string, int>>{{"CAFÉ ENTRY", 1},
                                                {"fé", 1},
                                                {"padding a", 201},
                                                {"PADDING", kTasksForIndexedSearch - 1}}) {
    const Response r =
        http.Send({.target = WithQuery("/api/tasks", {{"q", q}}), .token = big_token});
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(r.json().at("total"), json::value(total)) << "q=" << q;
  }
  // And it still writes.
  const Response more = http.Send({.method = "POST",
                                   .target = "/api/tasks",
                                   .token = token,
                                   .body = R"({"title":"after","tags":["kept"]})"});
  EXPECT_EQ(more.status, 201) << more.Describe();
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

TEST_F(CliTest, MigrateDownEverythingThenUpGivesAWorkingEmptyDatabase) {
  ASSERT_EQ(Run({"migrate", "up"}).exit_code, 0);
  const CommandResult down = Run({"migrate", "down", "--steps", "1000"});
  EXPECT_EQ(down.exit_code, 0) << down.output;
  ASSERT_EQ(Run({"migrate", "up"}).exit_code, 0);
  EnvVars env = Env();
  env.emplace_back("TASKFLOW_AUTO_MIGRATE", "false");
  auto server = StartServer(env);
  ASSERT_TRUE(server);
  HttpClient http(server->base_url());
  const std::string token = MintToken(TestSecret(), RandomUuid());
  EXPECT_EQ(http.Send({.method = "POST",
                       .target = "/api/tasks",
                       .token = token,
                       .body = R"({"title":"x"})"})
                .status,
            201);
  EXPECT_EQ(http.Send({.target = "/ready"}).status, 200);
}

TEST_F(CliTest, ServeMigratesAFreshDatabaseAndStopsCleanlyOnSigterm) {
  auto server = StartServer(Env());
  ASSERT_TRUE(server);
  HttpClient http(server->base_url());
  EXPECT_EQ(http.Send({.target = "/ready"}).status, 200);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
  EXPECT_NE(server->Log().find("\"msg\":\"listening\""), std::string::npos);
}

TEST_F(CliTest, WithoutASecretServeKeepsAGeneratedOneBesideTheDatabase) {
  // The secret file lives in the SQLite data directory, whatever the suite's backend.
  std::string error;
  auto sqlite = TestDatabase::CreateSqlite(&error);
  ASSERT_TRUE(sqlite) << error;
  const std::filesystem::path secret_file = sqlite->dir() / "auth_secret";
  const EnvVars env = ServerEnv(sqlite->url(), std::nullopt);

  std::string signup_token, secret;
  {
    auto server = StartServer(env);
    ASSERT_TRUE(server);
    ASSERT_TRUE(std::filesystem::exists(secret_file)) << server->Log();
    struct stat st {};
    ASSERT_EQ(stat(secret_file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "mode " << std::oct << (st.st_mode & 0777);
    secret = TrimWhitespace(ReadFile(secret_file));
    EXPECT_GE(secret.size(), 32u) << "a generated secret has at least 256 bits";
    HttpClient http(server->base_url());
    const Response signup =
        http.Send({.method = "POST",
                   .target = "/api/auth/signup",
                   .body = R"({"email":"keeper@example.com","password":"long enough"})"});
    ASSERT_EQ(signup.status, 201) << signup.Describe();
    signup_token = Str(signup.json().as_object(), "token");
    // Tokens minted elsewhere with the file's secret are accepted too.
    EXPECT_EQ(http.Send({.target = "/api/me", .token = MintToken(secret, RandomUuid())}).status,
              200);
    EXPECT_EQ(server->Log().find(secret), std::string::npos) << "the secret was logged";
    EXPECT_EQ(server->Stop(), 0) << server->Log();
  }
  // A restart reuses the file: old tokens stay valid.
  auto server = StartServer(env);
  ASSERT_TRUE(server);
  EXPECT_EQ(TrimWhitespace(ReadFile(secret_file)), secret);
  HttpClient http(server->base_url());
  const Response me = http.Send({.target = "/api/me", .token = signup_token});
  EXPECT_EQ(me.status, 200) << me.Describe();
  const Response login =
      http.Send({.method = "POST",
                 .target = "/api/auth/login",
                 .body = R"({"email":"keeper@example.com","password":"long enough"})"});
  EXPECT_EQ(login.status, 200) << login.Describe();
  // A token signed with the test's own secret is not accepted by this server.
  EXPECT_EQ(http.Send({.target = "/api/me", .token = MintToken(TestSecret(), RandomUuid())}).status,
            401);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

TEST_F(CliTest, ARelativeSqliteUrlCreatesTheDataDirectoryUnderTheWorkingDirectory) {
  // The default URL is sqlite:///./data/taskflow.db: a fresh clone has no ./data yet.
  std::string error;
  auto scratch = TestDatabase::CreateSqlite(&error);
  ASSERT_TRUE(scratch) << error;
  const EnvVars env = ServerEnv("sqlite:///./data/taskflow.db", std::nullopt);
  {
    std::string start_error;
    auto server = ServerProcess::Start(env, &start_error, scratch->dir());
    ASSERT_TRUE(server) << start_error;
    HttpClient http(server->base_url());
    EXPECT_EQ(http.Send({.target = "/ready"}).status, 200);
    EXPECT_TRUE(std::filesystem::exists(scratch->dir() / "data" / "taskflow.db"));
    EXPECT_TRUE(std::filesystem::exists(scratch->dir() / "data" / "auth_secret"));
    EXPECT_EQ(server->Stop(), 0) << server->Log();
  }
  const CommandResult status = RunTaskflow({"migrate", "status"}, env, scratch->dir());
  EXPECT_EQ(status.exit_code, 0) << status.output;
}

// After a clean stop the database file alone holds every change: copied
// elsewhere (a backup, another machine) without its -wal file, it serves them.
TEST_F(CliTest, AfterACleanStopTheSqliteFileAloneHoldsEveryChange) {
  std::string error;
  auto sqlite = TestDatabase::CreateSqlite(&error);
  ASSERT_TRUE(sqlite) << error;
  const std::string token = MintToken(TestSecret(), RandomUuid());
  std::string task_id;
  {
    auto server = StartServer(ServerEnv(sqlite->url(), TestSecret()));
    ASSERT_TRUE(server);
    HttpClient http(server->base_url());
    const Response created = http.Send({.method = "POST",
                                        .target = "/api/tasks",
                                        .token = token,
                                        .body = R"({"title":"Kept in the file"})"});
    ASSERT_EQ(created.status, 201) << created.Describe();
    task_id = Str(created.json().as_object(), "id");
    // Reads leave their connections holding a snapshot: they must let go too.
    EXPECT_EQ(http.Send({.target = "/api/tasks/" + task_id, .token = token}).status, 200);
    EXPECT_EQ(http.Send({.target = "/api/tasks", .token = token}).status, 200);
    EXPECT_EQ(server->Stop(), 0) << server->Log();
  }
  const std::filesystem::path file = sqlite->dir() / "taskflow.db";
  EXPECT_FALSE(std::filesystem::exists(file.string() + "-wal"));

  auto copy = TestDatabase::CreateSqlite(&error);
  ASSERT_TRUE(copy) << error;
  std::filesystem::copy_file(file, copy->dir() / "taskflow.db");
  auto server = StartServer(ServerEnv(copy->url(), TestSecret()));
  ASSERT_TRUE(server);
  HttpClient http(server->base_url());
  const Response got = http.Send({.target = "/api/tasks/" + task_id, .token = token});
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.json().at("title"), json::value("Kept in the file"));
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

TEST_F(CliTest, AnExplicitSecretWritesNoFile) {
  std::string error;
  auto sqlite = TestDatabase::CreateSqlite(&error);
  ASSERT_TRUE(sqlite) << error;
  auto server = StartServer(ServerEnv(sqlite->url(), TestSecret()));
  ASSERT_TRUE(server);
  EXPECT_FALSE(std::filesystem::exists(sqlite->dir() / "auth_secret"));
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

TEST_F(CliTest, ABadDatabaseUrlFailsToStart) {
  std::string error;
  EnvVars env = ServerEnv("nosuchdb://x", TestSecret());
  auto server = ServerProcess::Start(env, &error);
  EXPECT_FALSE(server) << "serve started on an unusable database URL";
  const CommandResult r = RunTaskflow({"migrate", "up"}, env);
  EXPECT_NE(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace taskflow::integration
