#include "config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace taskflow {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ErrorText(const Error& error) {
  std::string text = error.message;
  for (const auto& f : error.fields) text += " | " + f.field + ": " + f.message;
  return text;
}

template <class T>
std::string ErrorOf(const Result<T>& result) {
  if (result.ok()) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return ErrorText(result.error());
}

// ---- HTTP address ----

TEST(ParseHttpAddressTest, AcceptsHostAndPortForms) {
  struct Case {
    const char* text;
    const char* host;
    std::uint16_t port;
  };
  for (const Case& c : {Case{"127.0.0.1:8080", "127.0.0.1", 8080}, Case{"0.0.0.0:0", "0.0.0.0", 0},
                        Case{"[::1]:8080", "::1", 8080}, Case{"[::]:65535", "::", 65535},
                        Case{"localhost:9000", "localhost", 9000},
                        Case{"api.example.com:443", "api.example.com", 443}}) {
    Result<HttpAddress> address = ParseHttpAddress(c.text);
    ASSERT_TRUE(address.ok()) << c.text << ": " << ErrorText(address.error());
    EXPECT_EQ(address->host, c.host) << c.text;
    EXPECT_EQ(address->port, c.port) << c.text;
  }
}

TEST(ParseHttpAddressTest, RefusesBadForms) {
  EXPECT_THAT(ErrorOf(ParseHttpAddress("8080")), HasSubstr("host:port"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("127.0.0.1")), HasSubstr("host:port"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("127.0.0.1:")), HasSubstr("0 to 65535"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("127.0.0.1:65536")), HasSubstr("0 to 65535"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("127.0.0.1:-1")), HasSubstr("0 to 65535"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("127.0.0.1:80x")), HasSubstr("0 to 65535"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("::1:8080")), HasSubstr("brackets"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("[::1]8080")), HasSubstr("[::1]:8080"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("[::1")), HasSubstr("[::1]:8080"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("[nope]:80")), HasSubstr("not an IPv6 address"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress(":8080")), HasSubstr("host"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("bad host:80")), HasSubstr("host"));
  EXPECT_THAT(ErrorOf(ParseHttpAddress("")), HasSubstr("host:port"));
}

// ---- Database URL ----

TEST(ParseDatabaseUrlTest, SqliteUrlsAsSqlAlchemyWritesThem) {
  EXPECT_EQ(ParseDatabaseUrl(kDefaultDatabaseUrl).value(), "./data/taskflow.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///relative/path.db").value(), "relative/path.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:////abs/path.db").value(), "/abs/path.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///taskflow.db").value(), "taskflow.db");
}

TEST(ParseDatabaseUrlTest, RecognisesPostgresUrlsInBothSchemesAndAnyCase) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://user:pw@localhost/taskflow"));
  EXPECT_TRUE(IsPostgresUrl("postgres://localhost/taskflow?sslmode=require"));
  EXPECT_TRUE(IsPostgresUrl("PostgreSQL://db.example.com:5432/x"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:///x.db"));
  EXPECT_FALSE(IsPostgresUrl("postgresql"));
  EXPECT_FALSE(IsPostgresUrl("postgresql:/db"));
  EXPECT_FALSE(IsPostgresUrl("postgresqlx://h/db"));
  // Not an SQLite file either; the password of a URL never appears in the message.
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("postgresql://user:hunter2@localhost/taskflow")),
              AllOf(HasSubstr("PostgreSQL"), Not(HasSubstr("hunter2"))));
}

TEST(ResolveConfigTest, APostgresUrlSelectsPostgresWithItsPoolSize) {
  ConfigSources sources;
  sources.database_url = "postgresql://u:hunter2@db.example.com/tf?sslmode=require";
  Result<Config> config = ResolveConfig(sources);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->postgres_url, "postgresql://u:hunter2@db.example.com/tf?sslmode=require");
  EXPECT_EQ(config->database_path, "");
  EXPECT_EQ(config->db_pool_size, kDefaultDbPoolSize);
  sources.db_pool_size = "32";
  EXPECT_EQ(ResolveConfig(sources)->db_pool_size, 32);
}

TEST(ResolveConfigTest, PoolSizeMustBeOneToTheMaximum) {
  EXPECT_EQ(ParseDbPoolSize("1").value(), 1);
  EXPECT_EQ(ParseDbPoolSize("1000").value(), 1000);
  for (const char* bad : {"0", "-1", "1001", "ten", "", "5 ", "2.5"}) {
    EXPECT_THAT(ErrorOf(ParseDbPoolSize(bad)), HasSubstr("1 to 1000")) << bad;
  }
  ConfigSources sources;
  sources.db_pool_size = "0";
  Result<Config> config = ResolveConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().fields.front().field, "TASKFLOW_DB_POOL_SIZE (--db-pool-size)");
}

TEST(ParseDatabaseUrlTest, RefusesOtherForms) {
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("nosuchdb://x")), HasSubstr("sqlite:///"));
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("/var/lib/taskflow.db")), HasSubstr("sqlite:///"));
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("sqlite://host/x.db")), HasSubstr("no host"));
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("sqlite://")), HasSubstr("no host"));
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("sqlite:///")), HasSubstr("database file"));
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("sqlite:///:memory:")), HasSubstr("database file"));
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("sqlite:///data/")), HasSubstr("directory"));
  EXPECT_THAT(ErrorOf(ParseDatabaseUrl("sqlite:///x.db?mode=ro")), HasSubstr("query"));
}

// ---- Scalars ----

TEST(ParseScalarsTest, LogLevels) {
  EXPECT_EQ(ParseLogLevel("debug").value(), log::Level::kDebug);
  EXPECT_EQ(ParseLogLevel("info").value(), log::Level::kInfo);
  EXPECT_EQ(ParseLogLevel("WARN").value(), log::Level::kWarn);
  EXPECT_EQ(ParseLogLevel("error").value(), log::Level::kError);
  EXPECT_THAT(ErrorOf(ParseLogLevel("verbose")), HasSubstr("debug, info, warn, error"));
}

TEST(ParseScalarsTest, Booleans) {
  for (const char* yes : {"true", "TRUE", "1", "yes", "on"}) EXPECT_TRUE(ParseBool(yes).value());
  for (const char* no : {"false", "False", "0", "no", "off"}) EXPECT_FALSE(ParseBool(no).value());
  EXPECT_THAT(ErrorOf(ParseBool("maybe")), HasSubstr("true or false"));
}

TEST(ParseScalarsTest, ThreadCounts) {
  EXPECT_EQ(ParseThreadCount("0").value(), 0);
  EXPECT_EQ(ParseThreadCount("8").value(), 8);
  EXPECT_EQ(ParseThreadCount("256").value(), 256);
  for (const char* bad : {"-1", "257", "two", "", "4 "}) {
    EXPECT_THAT(ErrorOf(ParseThreadCount(bad)), HasSubstr("0 (one per core)")) << bad;
  }
}

// ---- Sources and resolution ----

TEST(ConfigSourcesTest, ReadsTheEnvironmentAndTreatsEmptyAsUnset) {
  const std::map<std::string, std::string> env{
      {"TASKFLOW_HTTP_ADDR", "0.0.0.0:1"}, {"TASKFLOW_DATABASE_URL", ""},
      {"BETTER_AUTH_SECRET", "s"},         {"TASKFLOW_LOG_LEVEL", "debug"},
      {"TASKFLOW_HTTP_THREADS", "3"},      {"TASKFLOW_AUTO_MIGRATE", "false"}};
  const ConfigSources sources = SourcesFromEnvironment([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_EQ(sources.http_addr, "0.0.0.0:1");
  EXPECT_FALSE(sources.database_url);
  EXPECT_EQ(sources.auth_secret, "s");
  EXPECT_EQ(sources.log_level, "debug");
  EXPECT_EQ(sources.http_threads, "3");
  EXPECT_EQ(sources.auto_migrate, "false");
}

TEST(ConfigSourcesTest, FlagsWinOverTheEnvironment) {
  ConfigSources flags;
  flags.http_addr = "127.0.0.1:1";
  flags.auto_migrate = "true";
  ConfigSources env;
  env.http_addr = "127.0.0.1:2";
  env.log_level = "warn";
  env.auto_migrate = "false";
  const ConfigSources merged = MergeSources(flags, env);
  EXPECT_EQ(merged.http_addr, "127.0.0.1:1");
  EXPECT_EQ(merged.log_level, "warn");
  EXPECT_EQ(merged.auto_migrate, "true");
  EXPECT_FALSE(merged.database_url);
}

TEST(ConfigSourcesTest, MigrateIgnoresServeSettings) {
  ConfigSources sources;
  sources.http_addr = "not an address";
  sources.http_threads = "many";
  sources.auth_secret = "short";
  sources.auto_migrate = "perhaps";
  sources.database_url = "sqlite:///m.db";
  sources.log_level = "warn";
  const Config config = ResolveConfig(MigrateSettingsOnly(sources)).value();
  EXPECT_EQ(config.database_path, "m.db");
  EXPECT_EQ(config.log_level, log::Level::kWarn);
}

TEST(ResolveConfigTest, Defaults) {
  const Config config = ResolveConfig(ConfigSources{}).value();
  EXPECT_EQ(config.http.host, "127.0.0.1");
  EXPECT_EQ(config.http.port, 8080);
  EXPECT_EQ(config.database_path, "./data/taskflow.db");
  EXPECT_FALSE(config.auth_secret);
  EXPECT_EQ(config.log_level, log::Level::kInfo);
  EXPECT_EQ(config.http_threads, 0);
  EXPECT_TRUE(config.auto_migrate);
}

TEST(ResolveConfigTest, ParsesEverySetting) {
  ConfigSources sources;
  sources.http_addr = "[::1]:0";
  sources.database_url = "sqlite:////tmp/t.db";
  sources.auth_secret = std::string(32, 'k');
  sources.log_level = "debug";
  sources.http_threads = "2";
  sources.auto_migrate = "off";
  const Config config = ResolveConfig(sources).value();
  EXPECT_EQ(config.http.host, "::1");
  EXPECT_EQ(config.http.port, 0);
  EXPECT_EQ(config.database_path, "/tmp/t.db");
  EXPECT_EQ(config.auth_secret, std::string(32, 'k'));
  EXPECT_EQ(config.log_level, log::Level::kDebug);
  EXPECT_EQ(config.http_threads, 2);
  EXPECT_FALSE(config.auto_migrate);
}

TEST(ResolveConfigTest, NamesTheVariableAndFlagOfEveryBadValue) {
  ConfigSources sources;
  sources.http_addr = "nowhere";
  sources.database_url = "mysql://db/x";
  sources.log_level = "loud";
  sources.http_threads = "many";
  sources.auto_migrate = "perhaps";
  Result<Config> config = ResolveConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& f : config.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("TASKFLOW_HTTP_ADDR (--http-addr)",
                                             "TASKFLOW_DATABASE_URL (--database-url)",
                                             "TASKFLOW_LOG_LEVEL (--log-level)",
                                             "TASKFLOW_HTTP_THREADS (--http-threads)",
                                             "TASKFLOW_AUTO_MIGRATE (--auto-migrate)"));
  EXPECT_THAT(config.error().message, HasSubstr("TASKFLOW_HTTP_ADDR"));
  EXPECT_THAT(config.error().message, HasSubstr("host:port"));
}

TEST(McpConfigTest, HostListsAreLowerCasedWithoutPorts) {
  EXPECT_EQ(ParseHostList("a.example, B.Example:443,,[::2]:80 ").value(),
            (std::vector<std::string>{"a.example", "b.example", "[::2]"}));
  EXPECT_TRUE(ParseHostList("").value().empty());
  EXPECT_FALSE(ParseHostList("http://a.example/").ok());
  EXPECT_FALSE(ParseHostList("[::1").ok());
}

TEST(McpConfigTest, ALocalUserNeedsALoopbackAddress) {
  ConfigSources sources;
  sources.mcp_local_user = "me@example.com";
  sources.mcp_allowed_hosts = "Tasks.Example.com";
  const Config config = ResolveConfig(sources).value();
  EXPECT_EQ(config.mcp_local_user, "me@example.com");
  EXPECT_EQ(config.mcp_allowed_hosts, std::vector<std::string>{"tasks.example.com"});
  sources.http_addr = "0.0.0.0:8080";
  Result<Config> refused = ResolveConfig(sources);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "TASKFLOW_MCP_LOCAL_USER (--mcp-local-user)");
  sources.http_addr = "[::1]:8080";
  EXPECT_TRUE(ResolveConfig(sources).ok());
}

TEST(ResolveConfigTest, RefusesAShortSecretWithoutShowingIt) {
  ConfigSources sources;
  sources.auth_secret = "tooshort-but-secret";
  Result<Config> config = ResolveConfig(sources);
  ASSERT_FALSE(config.ok());
  const std::string text = ErrorText(config.error());
  EXPECT_THAT(text, HasSubstr("BETTER_AUTH_SECRET"));
  EXPECT_THAT(text, HasSubstr("at least 32"));
  EXPECT_THAT(text, Not(HasSubstr("tooshort-but-secret")));
}

// ---- The secret file ----

TEST(SecretFileTest, LivesBesideTheDatabase) {
  EXPECT_EQ(SecretFilePath("./data/taskflow.db"), "./data/auth_secret");
  EXPECT_EQ(SecretFilePath("/var/lib/taskflow/t.db"), "/var/lib/taskflow/auth_secret");
  EXPECT_EQ(SecretFilePath("t.db"), "auth_secret");
  EXPECT_EQ(SecretFilePath("/t.db"), "/auth_secret");
}

class SecretFileFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = std::filesystem::temp_directory_path() /
           ("taskflow_config_test_" + std::to_string(random()) + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "auth_secret").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteFile(std::string_view text, std::filesystem::perms perms) {
    std::ofstream(path_) << text;
    std::filesystem::permissions(path_, perms);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SecretFileFixture, CreatesTheFileWithMode0600ThenReusesIt) {
  int generated = 0;
  const auto generate = [&generated] {
    ++generated;
    return std::string(64, 'a');
  };
  EXPECT_EQ(LoadOrCreateSecret(path_, generate).value(), std::string(64, 'a'));
  EXPECT_EQ(generated, 1);
  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  EXPECT_EQ(LoadOrCreateSecret(path_, generate).value(), std::string(64, 'a'));
  EXPECT_EQ(generated, 1) << "an existing secret is never replaced";
}

TEST_F(SecretFileFixture, TrimsTheTrailingNewline) {
  WriteFile(std::string(40, 'z') + "\n", std::filesystem::perms::owner_read);
  EXPECT_EQ(LoadOrCreateSecret(path_, [] { return std::string(); }).value(), std::string(40, 'z'));
}

TEST_F(SecretFileFixture, RefusesAShortSecretInTheFile) {
  WriteFile("short\n", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_THAT(ErrorOf(LoadOrCreateSecret(path_, [] { return std::string(64, 'a'); })),
              HasSubstr("at least 32"));
}

TEST_F(SecretFileFixture, RefusesAFileOthersMayRead) {
  WriteFile(std::string(64, 'b'), std::filesystem::perms::owner_read |
                                      std::filesystem::perms::owner_write |
                                      std::filesystem::perms::others_read);
  EXPECT_THAT(ErrorOf(LoadOrCreateSecret(path_, [] { return std::string(64, 'a'); })),
              HasSubstr("chmod 600"));
}

TEST_F(SecretFileFixture, ReportsAMissingDirectory) {
  const std::string missing = (dir_ / "no" / "such" / "auth_secret").string();
  EXPECT_THAT(ErrorOf(LoadOrCreateSecret(missing, [] { return std::string(64, 'a'); })),
              HasSubstr("cannot create"));
}

}  // namespace
}  // namespace taskflow

namespace taskflow {
namespace {

TEST(ParseRolesTest, ListsAndAll) {
  auto api = ParseRoles("api");
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(*api, (Roles{.api = true}));
  auto some = ParseRoles(" notification , recurring,audit");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(*some, (Roles{.notification = true, .recurring = true, .audit = true}));
  EXPECT_TRUE(some->any_consumer());
  EXPECT_EQ(*ParseRoles("all"), Roles::All());
  EXPECT_EQ(*ParseRoles("api,all"), Roles::All());
  EXPECT_EQ(*ParseRoles("realtime,realtime"), (Roles{.realtime = true}));
  EXPECT_FALSE(ParseRoles("api")->any_consumer());
}

TEST(ParseRolesTest, RefusesUnknownAndEmptyNames) {
  for (std::string_view text : {"", "api,", "worker", "API", ",audit"}) {
    auto roles = ParseRoles(text);
    EXPECT_FALSE(roles.ok()) << text;
  }
  EXPECT_THAT(ParseRoles("api,worker").error().fields[0].message, ::testing::HasSubstr("worker"));
}

TEST(ParseRolesTest, DefaultIsEveryRoleAndTheVariableOrFlagNarrowsIt) {
  auto defaults = ResolveConfig(ConfigSources{});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->roles, Roles::All());
  ConfigSources env;
  env.roles = "audit";
  ConfigSources flags;
  flags.roles = "api,recurring";
  auto merged = ResolveConfig(MergeSources(flags, env));
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->roles, (Roles{.api = true, .recurring = true}));
  env.roles = "nope";
  auto bad = ResolveConfig(env);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "TASKFLOW_ROLES (--role)");
}

TEST(BusConfigTest, InProcessByDefaultAndKafkaWithItsSettings) {
  auto defaults = ResolveConfig(ConfigSources{});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->kafka.has_value());
  ConfigSources sources;
  sources.bus = "in-process";
  EXPECT_FALSE(ResolveConfig(sources)->kafka.has_value());

  const std::map<std::string, std::string> env = {{"TASKFLOW_BUS", "Kafka"},
                                                  {"KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"}};
  sources = SourcesFromEnvironment([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  auto kafka = ResolveConfig(MergeSources(ConfigSources{}, sources));
  ASSERT_TRUE(kafka.ok()) << kafka.error().message;
  ASSERT_TRUE(kafka->kafka.has_value());
  EXPECT_EQ(kafka->kafka->bootstrap_servers, "127.0.0.1:19092");
  EXPECT_EQ(kafka->kafka->security_protocol, "PLAINTEXT");
}

TEST(ParseRetentionTest, TakesACountWithAUnit) {
  EXPECT_EQ(ParseRetention("7d").value(), std::chrono::hours(24 * 7));
  EXPECT_EQ(ParseRetention("36h").value(), std::chrono::hours(36));
  EXPECT_EQ(ParseRetention("90m").value(), std::chrono::minutes(90));
  EXPECT_EQ(ParseRetention("1s").value(), std::chrono::seconds(1));
  EXPECT_EQ(ParseRetention("3650d").value(), kMaxRetention);
  for (const char* bad : {"", "7", "d", "0d", "-1d", "7w", "7 d", "1.5d", "3651d", "87601h",
                          "99999999999999999999s", "7dd"}) {
    EXPECT_THAT(ErrorOf(ParseRetention(bad)), HasSubstr("unit s, m, h or d")) << bad;
  }
}

TEST(RetentionConfigTest, SevenDaysByDefaultAndFromTheEnvironment) {
  auto defaults = ResolveConfig(ConfigSources{});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->outbox_retention, std::chrono::hours(24 * 7));
  EXPECT_EQ(defaults->processed_retention, std::chrono::hours(24 * 7));
  const std::map<std::string, std::string> env = {{"TASKFLOW_OUTBOX_RETENTION", "2d"},
                                                  {"TASKFLOW_PROCESSED_EVENTS_RETENTION", "30d"}};
  const ConfigSources sources = SourcesFromEnvironment([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  auto config = ResolveConfig(MergeSources(ConfigSources{}, sources));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->outbox_retention, std::chrono::hours(48));
  EXPECT_EQ(config->processed_retention, std::chrono::hours(24 * 30));

  ConfigSources bad;
  bad.processed_retention = "forever";
  auto refused = ResolveConfig(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields[0].field, "TASKFLOW_PROCESSED_EVENTS_RETENTION");
  bad = ConfigSources{};
  bad.outbox_retention = "0d";
  refused = ResolveConfig(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields[0].field, "TASKFLOW_OUTBOX_RETENTION");
}

TEST(BusConfigTest, BadBusOrKafkaSettingsNameTheirVariable) {
  ConfigSources sources;
  sources.bus = "rabbitmq";
  auto bad = ResolveConfig(sources);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "TASKFLOW_BUS");
  sources.bus = "kafka";  // without KAFKA_BOOTSTRAP_SERVERS
  bad = ResolveConfig(sources);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "KAFKA_BOOTSTRAP_SERVERS");
  sources.kafka = KafkaSources{.bootstrap_servers = "b:9092",
                               .security_protocol = "SASL_SSL",
                               .username = "u",
                               .password = "hunter2-secret"};
  EXPECT_TRUE(ResolveConfig(sources).ok());
  sources.kafka.username.reset();
  bad = ResolveConfig(sources);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "KAFKA_USERNAME");
  EXPECT_THAT(bad.error().message, ::testing::Not(::testing::HasSubstr("hunter2")));
}

TEST(WebhookConfigTest, InternalAddressesAreRefusedUnlessTheSettingAllowsThem) {
  EXPECT_FALSE(ResolveConfig(ConfigSources{})->webhook_allow_internal);
  const std::map<std::string, std::string> env = {{"TASKFLOW_WEBHOOK_ALLOW_INTERNAL", "true"}};
  const ConfigSources from_env = SourcesFromEnvironment([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_TRUE(ResolveConfig(from_env)->webhook_allow_internal);
  ConfigSources flags;
  flags.webhook_allow_internal = "false";
  EXPECT_FALSE(ResolveConfig(MergeSources(flags, from_env))->webhook_allow_internal);
  flags.webhook_allow_internal = "sometimes";
  auto bad = ResolveConfig(flags);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field,
            "TASKFLOW_WEBHOOK_ALLOW_INTERNAL (--webhook-allow-internal)");
}

TEST(LlmConfigTest, OfflineByDefaultAndTheLlmAgentWithAKey) {
  auto defaults = ResolveConfig(ConfigSources{});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->llm.has_value());

  const std::map<std::string, std::string> env = {{"OPENAI_API_KEY", "sk-live-do-not-log-me"},
                                                  {"OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"},
                                                  {"OPENAI_MODEL", "llama3.2"},
                                                  {"TASKFLOW_LLM_MAX_STEPS", "5"}};
  ConfigSources sources = SourcesFromEnvironment([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  auto config = ResolveConfig(MergeSources(ConfigSources{}, sources));
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_TRUE(config->llm.has_value());
  EXPECT_EQ(config->llm->api_key, "sk-live-do-not-log-me");
  EXPECT_EQ(config->llm->base_url, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(config->llm->model, "llama3.2");
  EXPECT_EQ(config->llm->max_steps, 5);
  // `migrate` does not read them.
  EXPECT_FALSE(ResolveConfig(MigrateSettingsOnly(sources))->llm.has_value());
}

TEST(LlmConfigTest, BadLlmSettingsNameTheirVariableAndNeverTheKey) {
  ConfigSources sources;
  sources.llm.model = "gpt-4o";  // without OPENAI_API_KEY
  auto bad = ResolveConfig(sources);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "OPENAI_API_KEY");
  sources.llm.api_key = "sk-live-do-not-log-me";
  sources.llm.base_url = "localhost:11434";
  bad = ResolveConfig(sources);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "OPENAI_BASE_URL");
  EXPECT_THAT(ErrorText(bad.error()), Not(HasSubstr("sk-live")));
  sources.llm.base_url.reset();
  sources.llm.timeout = "forever";
  bad = ResolveConfig(sources);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "TASKFLOW_LLM_TIMEOUT");
  EXPECT_THAT(ErrorText(bad.error()), Not(HasSubstr("sk-live")));
}

}  // namespace
}  // namespace taskflow

namespace taskflow {
namespace {

TEST(WebSocketConfigTest, DefaultsAndEverySettingFromTheEnvironmentOrItsFlag) {
  EXPECT_EQ(ResolveConfig(ConfigSources{}).value().websocket, WebSocketSettings{});
  std::map<std::string, std::string> vars{{"TASKFLOW_WS_PING_INTERVAL_MS", "250"},
                                          {"TASKFLOW_WS_MAX_CONNECTIONS", "100"},
                                          {"TASKFLOW_WS_MAX_CONNECTIONS_PER_USER", "3"},
                                          {"TASKFLOW_WS_QUEUE_FRAMES", "16"},
                                          {"TASKFLOW_WS_QUEUE_BYTES", "65536"}};
  const ConfigSources env = SourcesFromEnvironment([&](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
  ConfigSources flags;
  flags.ws_queue_frames = "32";
  const Config config = ResolveConfig(MergeSources(flags, env)).value();
  EXPECT_EQ(config.websocket.ping_interval_ms, 250);
  EXPECT_EQ(config.websocket.max_connections, 100);
  EXPECT_EQ(config.websocket.max_connections_per_user, 3);
  EXPECT_EQ(config.websocket.queue_frames, 32);  // the flag wins
  EXPECT_EQ(config.websocket.queue_bytes, 65536);
}

TEST(WebSocketConfigTest, BadValuesNameTheirVariableAndFlag) {
  ConfigSources sources;
  sources.ws_ping_interval_ms = "10";  // below 100 ms
  sources.ws_max_connections = "0";
  sources.ws_max_connections_per_user = "lots";
  sources.ws_queue_frames = "-1";
  sources.ws_queue_bytes = "2147483648";
  Result<Config> config = ResolveConfig(sources);
  ASSERT_FALSE(config.ok());
  std::vector<std::string> fields;
  for (const auto& f : config.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::ElementsAre(
                          "TASKFLOW_WS_PING_INTERVAL_MS (--ws-ping-interval-ms)",
                          "TASKFLOW_WS_MAX_CONNECTIONS (--ws-max-connections)",
                          "TASKFLOW_WS_MAX_CONNECTIONS_PER_USER (--ws-max-connections-per-user)",
                          "TASKFLOW_WS_QUEUE_FRAMES (--ws-queue-frames)",
                          "TASKFLOW_WS_QUEUE_BYTES (--ws-queue-bytes)"));
  EXPECT_THAT(config.error().fields.front().message, HasSubstr("from 100 to 3600000"));
}

}  // namespace
}  // namespace taskflow
