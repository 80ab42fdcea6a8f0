#include "commands.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <thread>

#include "adapters/bus/in_process_bus.hpp"
#include "adapters/crypto/argon2_password_hasher.hpp"
#include "adapters/crypto/jwt_token_service.hpp"
#include "adapters/kafka/kafka_bus.hpp"
#include "adapters/notify/curl_webhook_sender.hpp"
#include "adapters/postgres/postgres_migrations.hpp"
#include "adapters/postgres/postgres_store.hpp"
#include "adapters/sqlite/sqlite_migrations.hpp"
#include "adapters/sqlite/sqlite_store.hpp"
#include "adapters/system/logging.hpp"
#include "adapters/system/system_clock.hpp"
#include "adapters/system/uuid_v7_generator.hpp"
#include "app/account_service.hpp"
#include "app/activity_service.hpp"
#include "app/chat_service.hpp"
#include "app/consumer_groups.hpp"
#include "app/event_messages.hpp"
#include "app/tag_service.hpp"
#include "app/task_service.hpp"
#include "app/webhook_service.hpp"
#include "chat_agent_factory.hpp"
#include "roles/audit_handler.hpp"
#include "roles/commit_signal_store.hpp"
#include "roles/consumer_runner.hpp"
#include "roles/event_pruner.hpp"
#include "roles/live_hub.hpp"
#include "roles/notification_handler.hpp"
#include "roles/outbox_relay.hpp"
#include "roles/realtime_handler.hpp"
#include "roles/recurring_handler.hpp"
#include "roles/reminder_scheduler.hpp"
#include "server/http_server.hpp"
#include "server/mcp/chat_tools_adapter.hpp"
#include "server/mcp/protocol.hpp"
#include "server/mcp/stdio.hpp"
#include "server/mcp/tools.hpp"

#ifndef TASKFLOW_VERSION
#define TASKFLOW_VERSION "0.0.0-dev"
#endif

namespace taskflow {
namespace {

int Fail(std::string_view message, const Error& error) {
  log::Error(message, {{"error", error.message}});
  return kExitFailure;
}

// SQLite creates the file but not its directory.
Status EnsureParentDirectory(const std::string& database_path) {
  const std::filesystem::path parent = std::filesystem::path(database_path).parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Error::Unavailable("cannot create the data directory " + parent.string() + ": " +
                              ec.message());
  }
  return {};
}

bool UsesPostgres(const Config& config) { return !config.postgres_url.empty(); }

Result<std::string> AuthSecret(const Config& config) {
  if (config.auth_secret) return *config.auth_secret;
  if (UsesPostgres(config)) {
    // Every replica must sign and check tokens with one key, and there is no
    // data directory beside the database to keep a generated one in.
    Error error = Error::Invalid(
        "BETTER_AUTH_SECRET (--auth-secret)",
        "is required with a PostgreSQL database: set the same secret of 32+ bytes on every "
        "replica (e.g. openssl rand -hex 32)");
    error.message = error.fields.front().field + " " + error.fields.front().message;
    return error;
  }
  const std::string path = SecretFilePath(config.database_path);
  Result<std::string> secret = LoadOrCreateSecret(path, [] { return RandomHex(32); });
  if (secret.ok()) log::Info("using the auth secret kept in a file", {{"path", path}});
  return secret;
}

// Both migrators take a lock first (SQLite: the write lock; PostgreSQL: an
// advisory lock), so replicas starting at once apply each migration once.
Result<std::vector<int>> MigrateUp(const Config& config) {
  if (UsesPostgres(config)) return PostgresMigrateUp(config.postgres_url);
  return SqliteMigrateUp(config.database_path);
}

Result<std::vector<int>> MigrateDown(const Config& config, int steps) {
  if (UsesPostgres(config)) return PostgresMigrateDown(config.postgres_url, steps);
  return SqliteMigrateDown(config.database_path, steps);
}

Result<std::vector<MigrationState>> MigrationStatus(const Config& config) {
  if (UsesPostgres(config)) return PostgresMigrationStatus(config.postgres_url);
  return SqliteMigrationStatus(config.database_path);
}

Status MigrateIfAsked(const Config& config) {
  if (!config.auto_migrate) return {};
  Result<std::vector<int>> applied = MigrateUp(config);
  if (!applied.ok()) return std::move(applied).take_error();
  if (!applied->empty()) {
    log::Info("applied migrations",
              {{"count", static_cast<long long>(applied->size())}, {"latest", applied->back()}});
  }
  return {};
}

// A user named by id or by email (the MCP local user, `taskflow mcp --user`).
Result<std::string> FindUserId(Store& store, const std::string& id_or_email) {
  std::optional<std::string> found;
  Status read = store.Read([&](StoreReader& reader) -> Status {
    if (auto user = reader.FindUser(id_or_email)) {
      found = user->id;
    } else if (id_or_email.find('@') != std::string::npos) {
      Result<std::string> email = NormalizeEmail(id_or_email, "user");
      if (email.ok()) {
        if (auto credentials = reader.FindCredentials(*email)) found = credentials->user.id;
      }
    }
    return {};
  });
  if (!read.ok()) return read.error();
  if (!found) return Error::Unauthenticated("no user with id or email " + id_or_email);
  return *found;
}

int EffectiveThreads(int configured) {
  if (configured > 0) return configured;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Blocks SIGINT and SIGTERM in this thread and every thread started after,
// so that only WaitForStopSignal receives them.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForStopSignal(const sigset_t& signals) {
  int signal_number = 0;
  while (sigwait(&signals, &signal_number) != 0) {
  }
  return signal_number;
}

std::string RoleNames(const Roles& roles) {
  std::string names;
  for (auto [on, name] :
       {std::pair{roles.api, "api"}, std::pair{roles.notification, "notification"},
        std::pair{roles.recurring, "recurring"}, std::pair{roles.audit, "audit"},
        std::pair{roles.realtime, "realtime"}}) {
    if (on) names += (names.empty() ? "" : ",") + std::string(name);
  }
  return names;
}

WebSocketOptions WebSocketOptionsOf(const WebSocketSettings& settings) {
  WebSocketOptions options;
  options.ping_interval = std::chrono::milliseconds(settings.ping_interval_ms);
  options.max_connections = static_cast<std::size_t>(settings.max_connections);
  options.max_connections_per_user = static_cast<std::size_t>(settings.max_connections_per_user);
  options.queue.max_frames = static_cast<std::size_t>(settings.queue_frames);
  options.queue.max_bytes = static_cast<std::size_t>(settings.queue_bytes);
  return options;
}

// The adapters, use cases, background loops and server of `serve`, wired
// once, torn down in reverse order. Every process runs the outbox relay (any
// role may append events: the API its changes, notification its reminders,
// recurring the occurrences it creates) and serves HTTP for /health and
// /ready; only the api role serves /api.
int ServeWith(const Config& config, const std::string& secret, Store& database,
              const sigset_t& stop_signals) {
  const Roles& roles = config.roles;
  SystemClock clock;
  UuidV7Generator ids(clock);
  Argon2PasswordHasher passwords;
  JwtTokenService tokens(secret, clock);
  // TASKFLOW_BUS=kafka: the relay publishes to the broker and each role
  // consumes in its own consumer group there; else the in-process bus.
  InProcessBus in_process(database, clock);
  std::unique_ptr<KafkaBus> kafka;
  if (config.kafka) {
    Result<std::unique_ptr<KafkaBus>> made = KafkaBus::Create(*config.kafka);
    if (!made.ok()) {
      log::Error("cannot start the Kafka bus", {{"error", made.error().message}});
      return kExitFailure;
    }
    kafka = std::move(made).value();
  }
  EventBus& bus = kafka ? static_cast<EventBus&>(*kafka) : in_process;
  OutboxRelay relay(database, bus, clock);
  // Every committed write may have appended events: the relay looks at once.
  CommitSignalStore store(database, [&relay] { relay.Wake(); });
  Ports ports{store, clock, ids, passwords, tokens};
  AccountService accounts(ports);
  // With the recurring role elsewhere (distributed mode), the "completed"
  // event makes the next occurrence there; see TaskServiceOptions.
  TaskService tasks(ports, TaskServiceOptions{.inline_next_occurrence = roles.recurring});
  TagService tags(ports);
  ActivityService activity(ports);
  WebhookService webhooks(ports, [] { return RandomHex(32); });
  // Chat: the agent calls the MCP tools, so it reaches the same use cases.
  const mcp::TaskTools task_tools(mcp::McpServices{accounts, tasks, tags, clock});
  const mcp::McpChatTools chat_tools(task_tools);
  std::unique_ptr<ChatAgent> chat_agent =
      MakeChatAgent(config, chat_tools, UserChatContext(accounts, clock), clock);
  ChatService chat(ports, *chat_agent);

  CurlWebhookSender webhook_sender(
      WebhookSenderOptions{.allow_internal_addresses = config.webhook_allow_internal});
  LiveHub live;
  ReminderScheduler scheduler(store, clock, ids, [&relay] { relay.Wake(); });
  NotificationHandler notification(store, webhook_sender, [&scheduler] { scheduler.Wake(); });
  RecurringHandler recurring(clock, ids);
  AuditHandler audit;
  // A group of its own per process start: every replica gets every event.
  RealtimeHandler realtime(live, RealtimeConsumer(ids.NewId()));
  // Keeps the outbox and processed_events bounded. With the in-process bus
  // the outbox is the log: every service's group holds back what it has not
  // read, whether this process runs the service or another one does.
  PruningOptions pruning{.outbox_retention = config.outbox_retention,
                         .processed_retention = config.processed_retention,
                         .topics = {std::string(kTaskEventsTopic), std::string(kRemindersTopic),
                                    std::string(kTaskUpdatesTopic)},
                         .outbox_is_log = kafka == nullptr,
                         .retired_groups = {std::string(kRealtimeConsumer)}};
  // Not the realtime replicas: they read live and keep no cursor.
  for (const EventHandler* handler :
       std::initializer_list<const EventHandler*>{&notification, &recurring, &audit}) {
    for (const std::string& topic : handler->topics()) {
      pruning.readers.push_back(OutboxReader{handler->group(), topic});
    }
  }
  EventPruner pruner(database, clock, std::move(pruning));
  std::vector<std::unique_ptr<ConsumerRunner>> consumers;
  for (auto [on, handler] : {std::pair<bool, EventHandler*>{roles.notification, &notification},
                             std::pair<bool, EventHandler*>{roles.recurring, &recurring},
                             std::pair<bool, EventHandler*>{roles.audit, &audit},
                             std::pair<bool, EventHandler*>{roles.realtime, &realtime}}) {
    if (on) consumers.push_back(std::make_unique<ConsumerRunner>(bus, store, clock, *handler));
  }

  ServerOptions options;
  options.host = config.http.host;
  options.port = config.http.port;
  options.threads = EffectiveThreads(config.http_threads);
  options.version = TASKFLOW_VERSION;
  options.mcp_allowed_hosts = config.mcp_allowed_hosts;
  if (config.mcp_local_user) {
    // Looked up on each request until found, so the account may be made after start-up.
    options.mcp_local_user = [&store, name = *config.mcp_local_user] {
      return FindUserId(store, name);
    };
    log::Warn("MCP requests without a token act as a local user",
              {{"user", *config.mcp_local_user}});
  }
  options.websocket = WebSocketOptionsOf(config.websocket);
  ApiServices services{accounts, tasks, tags, store, activity, webhooks, clock, {}};
  services.api_routes = roles.api;
  // Only the realtime role's process serves /ws (others answer 404).
  if (roles.realtime) services.live = &live;
  services.chat = &chat;
  services.stopped_loops = [&] {
    std::vector<std::string> stopped;
    if (!relay.running()) stopped.push_back("outbox-relay");
    if (roles.notification && !scheduler.running()) stopped.push_back("reminder-scheduler");
    for (const auto& consumer : consumers) {
      if (!consumer->running()) stopped.push_back(consumer->group());
    }
    return stopped;
  };
  HttpServer server(options, services);

  relay.Start();
  pruner.Start();
  if (roles.notification) scheduler.Start();
  for (const auto& consumer : consumers) consumer->Start();
  if (Status started = server.Start(); !started.ok()) {
    for (const auto& consumer : consumers) consumer->Stop();
    scheduler.Stop();
    pruner.Stop();
    relay.Stop();
    return Fail("cannot serve", started.error());
  }
  log::Info("roles", {{"roles", RoleNames(roles)}});
  const int signal_number = WaitForStopSignal(stop_signals);
  log::Info("stopping", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
  // Stop taking requests first, then let each loop finish its message in flight.
  server.Stop();
  pruner.Stop();
  scheduler.Stop();
  for (const auto& consumer : consumers) consumer->Stop();
  relay.Stop();
  return kExitOk;
}

}  // namespace

int RunServe(const Config& config) {
  // Before any thread exists, so none of them ever takes SIGINT/SIGTERM.
  const sigset_t stop_signals = BlockStopSignals();
  if (!InitSodium()) return Fail("cannot start", Error::Internal("libsodium failed to start"));
  if (!UsesPostgres(config)) {
    if (Status ok = EnsureParentDirectory(config.database_path); !ok.ok()) {
      return Fail("cannot start", ok.error());
    }
  }
  Result<std::string> secret = AuthSecret(config);
  if (!secret.ok()) return Fail("cannot start", secret.error());
  if (Status ok = MigrateIfAsked(config); !ok.ok()) return Fail("cannot migrate", ok.error());
  if (UsesPostgres(config)) {
    PostgresOptions postgres;
    postgres.url = config.postgres_url;
    postgres.pool_size = config.db_pool_size;
    Result<std::unique_ptr<Store>> store = OpenPostgresStore(postgres);
    if (!store.ok()) return Fail("cannot open the database", store.error());
    log::Info("using PostgreSQL", {{"pool_size", static_cast<long long>(config.db_pool_size)}});
    return ServeWith(config, *secret, **store, stop_signals);
  }
  SqliteOptions sqlite;
  sqlite.path = config.database_path;
  // Every HTTP worker and every blocking-pool thread may read at once.
  sqlite.read_connections = std::max(4, 2 * EffectiveThreads(config.http_threads));
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(sqlite);
  if (!store.ok()) return Fail("cannot open the database", store.error());
  return ServeWith(config, *secret, **store, stop_signals);
}

int RunMcpStdio(const Config& config, const std::string& user, const std::string& token) {
  if (!InitSodium()) return Fail("cannot start", Error::Internal("libsodium failed to start"));
  if (Status ok = EnsureParentDirectory(config.database_path); !ok.ok()) {
    return Fail("cannot start", ok.error());
  }
  Result<std::string> secret = AuthSecret(config);
  if (!secret.ok()) return Fail("cannot start", secret.error());
  if (Status ok = MigrateIfAsked(config); !ok.ok()) return Fail("cannot migrate", ok.error());
  SqliteOptions sqlite;
  sqlite.path = config.database_path;
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(sqlite);
  if (!store.ok()) return Fail("cannot open the database", store.error());
  SystemClock clock;
  UuidV7Generator ids(clock);
  Argon2PasswordHasher passwords;
  JwtTokenService tokens(*secret, clock);
  Ports ports{**store, clock, ids, passwords, tokens};
  AccountService accounts(ports);
  TaskService tasks(ports);
  TagService tags(ports);
  Result<std::string> user_id =
      token.empty() ? FindUserId(**store, user) : accounts.Authenticate(token);
  if (!user_id.ok()) return Fail("cannot act as the user", user_id.error());
  mcp::Protocol protocol(mcp::McpServices{accounts, tasks, tags, clock}, TASKFLOW_VERSION);
  log::Info("serving MCP on stdio", {{"user", *user_id}});
  mcp::ServeStdio(protocol, *user_id, std::cin, std::cout);
  return kExitOk;
}

int RunMigrateUp(const Config& config) {
  if (!UsesPostgres(config)) {
    if (Status ok = EnsureParentDirectory(config.database_path); !ok.ok()) {
      return Fail("cannot migrate", ok.error());
    }
  }
  Result<std::vector<int>> applied = MigrateUp(config);
  if (!applied.ok()) return Fail("cannot migrate", applied.error());
  if (applied->empty()) std::cout << "already up to date\n";
  for (int version : *applied) std::cout << "applied " << version << "\n";
  return kExitOk;
}

int RunMigrateDown(const Config& config, int steps) {
  Result<std::vector<int>> reverted = MigrateDown(config, steps);
  if (!reverted.ok()) return Fail("cannot migrate", reverted.error());
  if (reverted->empty()) std::cout << "nothing to revert\n";
  for (int version : *reverted) std::cout << "reverted " << version << "\n";
  return kExitOk;
}

int RunMigrateStatus(const Config& config) {
  Result<std::vector<MigrationState>> states = MigrationStatus(config);
  if (!states.ok()) return Fail("cannot read the migration status", states.error());
  for (const MigrationState& state : *states) {
    std::cout << state.version << " " << state.name << " "
              << (state.applied ? "applied" : "pending") << "\n";
  }
  return kExitOk;
}

int RunVersion() {
  std::cout << "taskflow " << TASKFLOW_VERSION << "\n";
  return kExitOk;
}

}  // namespace taskflow
