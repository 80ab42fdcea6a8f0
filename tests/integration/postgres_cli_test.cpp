// What only a PostgreSQL deployment has: no data directory for a generated
// secret, libpq URI parameters, and passwords inside the database URL.
// Registered only for the PostgreSQL run of the suite (CMakeLists.txt filters
// PostgresCliTest.* out of the SQLite run).
#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class PostgresCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(TestBackendName(), "postgresql")
        << "PostgreSQL only: run with TASKFLOW_TEST_BACKEND=postgresql";
    std::string error;
    database_ = TestDatabase::Create(&error);
    ASSERT_TRUE(database_) << error;
  }

  // The URL with its password replaced by `password`.
  std::string WithPassword(const std::string& password) const {
    const std::string& url = database_->url();
    const std::size_t colon = url.find(':', url.find("://") + 3);
    const std::size_t at = url.find('@');
    return url.substr(0, colon + 1) + password + url.substr(at);
  }

  std::unique_ptr<TestDatabase> database_;
};

TEST_F(PostgresCliTest, ServeNeedsAnExplicitSecret) {
  // Replicas must sign alike, and there is no data directory to keep one in.
  std::string error;
  auto server = ServerProcess::Start(ServerEnv(database_->url(), std::nullopt), &error);
  EXPECT_FALSE(server) << "serve started without BETTER_AUTH_SECRET";
  EXPECT_NE(error.find("BETTER_AUTH_SECRET"), std::string::npos) << error;
}

TEST_F(PostgresCliTest, UriParametersReachTheServer) {
  // sslmode=require against a server without TLS: refused, never downgraded.
  const CommandResult tls = RunTaskflow(
      {"migrate", "up"}, ServerEnv(database_->url() + "?sslmode=require", TestSecret()));
  EXPECT_NE(tls.exit_code, 0) << tls.output;
  EXPECT_NE(tls.output.find("SSL"), std::string::npos) << tls.output;

  const CommandResult plain = RunTaskflow(
      {"migrate", "up"},
      ServerEnv(database_->url() + "?sslmode=disable&application_name=taskflow-cli-test",
                TestSecret()));
  EXPECT_EQ(plain.exit_code, 0) << plain.output;
  const CommandResult status =
      RunTaskflow({"migrate", "status"}, ServerEnv(database_->url(), TestSecret()));
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("1 core schema applied"), std::string::npos) << status.output;
  EXPECT_EQ(status.output.find("pending"), std::string::npos) << status.output;
}

TEST_F(PostgresCliTest, PasswordsInTheUrlNeverReachTheLog) {
  for (const std::string password : {"wrong-hunter2", "hunter2%zz"}) {
    const CommandResult migrate =
        RunTaskflow({"migrate", "up"}, ServerEnv(WithPassword(password), TestSecret()));
    EXPECT_NE(migrate.exit_code, 0) << migrate.output;
    EXPECT_EQ(migrate.output.find("hunter2"), std::string::npos) << migrate.output;
    std::string failure;
    auto server = ServerProcess::Start(ServerEnv(WithPassword(password), TestSecret()), &failure);
    EXPECT_FALSE(server);
    EXPECT_EQ(failure.find("hunter2"), std::string::npos) << failure;
  }
  // Nor does the right one, when all goes well.
  const std::string& url = database_->url();
  const std::string password = url.substr(url.find(':', url.find("://") + 3) + 1,
                                          url.find('@') - url.find(':', url.find("://") + 3) - 1);
  std::string error;
  auto server = ServerProcess::Start(ServerEnv(url, TestSecret()), &error);
  ASSERT_TRUE(server) << error;
  HttpClient http(server->base_url());
  EXPECT_EQ(http.Send({.target = "/ready"}).status, 200);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
  EXPECT_EQ(server->Log().find(password), std::string::npos) << server->Log();
}

}  // namespace
}  // namespace taskflow::integration
