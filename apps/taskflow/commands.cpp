#include "commands.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "adapters/crypto/argon2_password_hasher.hpp"
#include "adapters/crypto/jwt_token_service.hpp"
#include "adapters/sqlite/sqlite_migrations.hpp"
#include "adapters/sqlite/sqlite_store.hpp"
#include "adapters/system/logging.hpp"
#include "adapters/system/system_clock.hpp"
#include "adapters/system/uuid_v7_generator.hpp"
#include "app/account_service.hpp"
#include "app/tag_service.hpp"
#include "app/task_service.hpp"
#include "server/http_server.hpp"
#include "server/mcp/protocol.hpp"
#include "server/mcp/stdio.hpp"

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

Result<std::string> AuthSecret(const Config& config) {
  if (config.auth_secret) return *config.auth_secret;
  const std::string path = SecretFilePath(config.database_path);
  Result<std::string> secret = LoadOrCreateSecret(path, [] { return RandomHex(32); });
  if (secret.ok()) log::Info("using the auth secret kept in a file", {{"path", path}});
  return secret;
}

Status MigrateIfAsked(const Config& config) {
  if (!config.auto_migrate) return {};
  Result<std::vector<int>> applied = SqliteMigrateUp(config.database_path);
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

// The adapters, use cases and server of `serve`, wired once, torn down in
// reverse order.
int ServeWith(const Config& config, const std::string& secret, Store& store,
              const sigset_t& stop_signals) {
  SystemClock clock;
  UuidV7Generator ids(clock);
  Argon2PasswordHasher passwords;
  JwtTokenService tokens(secret, clock);
  Ports ports{store, clock, ids, passwords, tokens};
  AccountService accounts(ports);
  TaskService tasks(ports);
  TagService tags(ports);
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
  HttpServer server(options, ApiServices{accounts, tasks, tags, store, clock});

  if (Status started = server.Start(); !started.ok()) return Fail("cannot serve", started.error());
  const int signal_number = WaitForStopSignal(stop_signals);
  log::Info("stopping", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
  server.Stop();
  return kExitOk;
}

}  // namespace

int RunServe(const Config& config) {
  // Before any thread exists, so none of them ever takes SIGINT/SIGTERM.
  const sigset_t stop_signals = BlockStopSignals();
  if (!InitSodium()) return Fail("cannot start", Error::Internal("libsodium failed to start"));
  if (Status ok = EnsureParentDirectory(config.database_path); !ok.ok()) {
    return Fail("cannot start", ok.error());
  }
  Result<std::string> secret = AuthSecret(config);
  if (!secret.ok()) return Fail("cannot start", secret.error());
  if (Status ok = MigrateIfAsked(config); !ok.ok()) return Fail("cannot migrate", ok.error());
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
  Result<std::string> user_id = token.empty() ? FindUserId(**store, user) : accounts.Authenticate(token);
  if (!user_id.ok()) return Fail("cannot act as the user", user_id.error());
  mcp::Protocol protocol(mcp::McpServices{accounts, tasks, tags, clock}, TASKFLOW_VERSION);
  log::Info("serving MCP on stdio", {{"user", *user_id}});
  mcp::ServeStdio(protocol, *user_id, std::cin, std::cout);
  return kExitOk;
}

int RunMigrateUp(const Config& config) {
  if (Status ok = EnsureParentDirectory(config.database_path); !ok.ok()) {
    return Fail("cannot migrate", ok.error());
  }
  Result<std::vector<int>> applied = SqliteMigrateUp(config.database_path);
  if (!applied.ok()) return Fail("cannot migrate", applied.error());
  if (applied->empty()) std::cout << "already up to date\n";
  for (int version : *applied) std::cout << "applied " << version << "\n";
  return kExitOk;
}

int RunMigrateDown(const Config& config, int steps) {
  Result<std::vector<int>> reverted = SqliteMigrateDown(config.database_path, steps);
  if (!reverted.ok()) return Fail("cannot migrate", reverted.error());
  if (reverted->empty()) std::cout << "nothing to revert\n";
  for (int version : *reverted) std::cout << "reverted " << version << "\n";
  return kExitOk;
}

int RunMigrateStatus(const Config& config) {
  Result<std::vector<MigrationState>> states = SqliteMigrationStatus(config.database_path);
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
