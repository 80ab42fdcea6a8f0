// taskflow: serve | mcp | migrate up|down|status | topics create | version. Wiring lives in
// commands.cpp.
#include <CLI/CLI.hpp>
#include <cstdlib>

#include "commands.hpp"
#include "topics_command.hpp"

namespace {

// A string flag (of one or more subcommands) that maps onto an optional
// setting when given.
struct Flag {
  std::string value;
  std::vector<CLI::Option*> options;
  std::optional<std::string> get() const {
    for (const CLI::Option* option : options) {
      if (option->count() > 0) return value;
    }
    return std::nullopt;
  }
};

struct Flags {
  Flag http_addr, database_url, auth_secret, log_level, http_threads, auto_migrate, db_pool_size,
      mcp_allowed_hosts, mcp_local_user, webhook_allow_internal;
  std::vector<std::string> roles;  // --role, repeatable, each maybe a comma list
  taskflow::ConfigSources sources() const {
    taskflow::ConfigSources sources;
    sources.http_addr = http_addr.get();
    sources.database_url = database_url.get();
    sources.auth_secret = auth_secret.get();
    sources.log_level = log_level.get();
    sources.http_threads = http_threads.get();
    sources.auto_migrate = auto_migrate.get();
    sources.db_pool_size = db_pool_size.get();
    sources.mcp_allowed_hosts = mcp_allowed_hosts.get();
    sources.mcp_local_user = mcp_local_user.get();
    sources.webhook_allow_internal = webhook_allow_internal.get();
    if (!roles.empty()) {
      std::string joined;
      for (const std::string& role : roles) joined += (joined.empty() ? "" : ",") + role;
      sources.roles = joined;
    }
    return sources;
  }
};

void Add(CLI::App& command, Flag& flag, const char* name, const char* help) {
  flag.options.push_back(command.add_option(name, flag.value, help));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace taskflow;
  CLI::App app{"Taskflow: tasks and tags over a REST API", "taskflow"};
  app.require_subcommand(1);
  Flags flags;
  CLI::App* serve = app.add_subcommand("serve", "Serve the REST API until SIGINT/SIGTERM");
  Add(*serve, flags.http_addr, "--http-addr", "host:port [TASKFLOW_HTTP_ADDR, 127.0.0.1:8080]");
  Add(*serve, flags.auth_secret, "--auth-secret", "JWT HS256 key, 32+ bytes [BETTER_AUTH_SECRET]");
  Add(*serve, flags.http_threads, "--http-threads",
      "I/O threads, 0 = cores [TASKFLOW_HTTP_THREADS]");
  Add(*serve, flags.auto_migrate, "--auto-migrate",
      "apply migrations first [TASKFLOW_AUTO_MIGRATE]");
  serve->add_option("--role", flags.roles,
                    "api|notification|recurring|audit|realtime|all; repeatable or a comma "
                    "list [TASKFLOW_ROLES, all]");
  Add(*serve, flags.db_pool_size, "--db-pool-size",
      "PostgreSQL connections, 1-1000 [TASKFLOW_DB_POOL_SIZE, 10]");
  Add(*serve, flags.mcp_allowed_hosts, "--mcp-allowed-hosts",
      "host names /mcp accepts besides loopback [TASKFLOW_MCP_ALLOWED_HOSTS]");
  Add(*serve, flags.mcp_local_user, "--mcp-local-user",
      "user id or email for /mcp requests without a token; loopback only "
      "[TASKFLOW_MCP_LOCAL_USER]");
  Add(*serve, flags.webhook_allow_internal, "--webhook-allow-internal",
      "let webhooks reach loopback/private addresses [TASKFLOW_WEBHOOK_ALLOW_INTERNAL, false]");
  CLI::App* mcp = app.add_subcommand(
      "mcp", "Serve MCP over stdio as one user (stdout carries only MCP messages)");
  std::string mcp_user;
  std::string mcp_token;
  auto* user_option = mcp->add_option("--user", mcp_user, "user id or email");
  auto* token_option =
      mcp->add_option("--token", mcp_token, "a bearer JWT of the user [TASKFLOW_MCP_TOKEN]");
  user_option->excludes(token_option);
  Add(*mcp, flags.auth_secret, "--auth-secret", "JWT HS256 key, 32+ bytes [BETTER_AUTH_SECRET]");
  CLI::App* migrate = app.add_subcommand("migrate", "Apply or revert schema migrations");
  migrate->require_subcommand(1)->fallthrough();
  for (CLI::App* command : {serve, mcp, migrate}) {
    Add(*command, flags.database_url, "--database-url",
        "sqlite:///path.db or postgresql://user:pw@host/db?sslmode=require "
        "[TASKFLOW_DATABASE_URL]");
    Add(*command, flags.log_level, "--log-level", "debug|info|warn|error [TASKFLOW_LOG_LEVEL]");
  }
  CLI::App* up = migrate->add_subcommand("up", "Apply every pending migration");
  CLI::App* down = migrate->add_subcommand("down", "Revert the latest migrations");
  int steps = 1;
  down->add_option("--steps", steps, "How many migrations to revert (default 1)")
      ->check(CLI::Range(1, 1'000'000));
  migrate->add_subcommand("status", "List every migration and whether it is applied");
  CLI::App* topics = app.add_subcommand("topics", "Kafka topics");
  topics->require_subcommand(1);
  CLI::App* topics_create = topics->add_subcommand(
      "create",
      "Create the Kafka topics and their -dlq twins; existing ones are kept "
      "[KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, "
      "KAFKA_USERNAME, KAFKA_PASSWORD]");
  int replication_factor = -1;
  topics_create
      ->add_option("--replication-factor", replication_factor,
                   "replicas per partition (default: the broker's default.replication.factor)")
      ->check(CLI::Range(1, 32));
  CLI::App* version = app.add_subcommand("version", "Print the version");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (*version) return RunVersion();
  if (*topics_create) {
    log::Init(log::Level::kInfo);
    return RunTopicsCreate(KafkaSourcesFromEnvironment(&std::getenv), replication_factor);
  }

  ConfigSources sources = MergeSources(flags.sources(), SourcesFromEnvironment(&std::getenv));
  if (*mcp) {
    ConfigSources only = MigrateSettingsOnly(sources);
    only.auth_secret = sources.auth_secret;
    sources = only;
  } else if (!*serve) {
    sources = MigrateSettingsOnly(sources);
  }
  Result<Config> config = ResolveConfig(sources);
  if (!config.ok()) {
    log::Init(log::Level::kInfo);
    log::Error("invalid configuration", {{"error", config.error().message}});
    return kExitUsage;
  }
  log::Init(config->log_level);
  if (*serve) return RunServe(*config);
  if (*mcp) {
    if (mcp_token.empty() && mcp_user.empty()) {
      if (const char* token = std::getenv("TASKFLOW_MCP_TOKEN"); token != nullptr)
        mcp_token = token;
    }
    if (mcp_token.empty() && mcp_user.empty()) {
      log::Error("taskflow mcp needs --user <id|email> or --token <jwt> (or TASKFLOW_MCP_TOKEN)");
      return kExitUsage;
    }
    return RunMcpStdio(*config, mcp_user, mcp_token);
  }
  if (*up) return RunMigrateUp(*config);
  if (*down) return RunMigrateDown(*config, steps);
  return RunMigrateStatus(*config);
}
