// Configuration of the `taskflow` binary: every setting comes from a flag or
// its environment variable (the flag wins), and is parsed and checked here by
// pure functions, so that the rules are unit-tested without a process.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/kafka/kafka_options.hpp"
#include "adapters/llm/openai_options.hpp"
#include "adapters/system/logging.hpp"
#include "domain/result.hpp"

namespace taskflow {

inline constexpr std::string_view kDefaultHttpAddr = "127.0.0.1:8080";
inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite:///./data/taskflow.db";
// HS256 keys shorter than the hash output weaken the signature (RFC 7518 §3.2).
inline constexpr std::size_t kMinSecretBytes = 32;
inline constexpr int kMaxHttpThreads = 256;

struct HttpAddress {
  std::string host;  // IP literal (IPv6 without brackets) or host name
  std::uint16_t port = 8080;
};

// "127.0.0.1:8080", "[::1]:8080", "localhost:0" (port 0 picks a free port).
Result<HttpAddress> ParseHttpAddress(std::string_view text);

inline constexpr int kDefaultDbPoolSize = 10;
inline constexpr int kMaxDbPoolSize = 1000;

// True for a PostgreSQL URL: postgresql:// or postgres:// (any case), the
// libpq URI form (sslmode=require and every other parameter reach libpq as
// written).
bool IsPostgresUrl(std::string_view url);

// The SQLite file a database URL names, written as SQLAlchemy does:
// "sqlite:///relative/path.db" (relative to the working directory) or
// "sqlite:////absolute/path.db". Refuses PostgreSQL URLs (see IsPostgresUrl).
Result<std::string> ParseDatabaseUrl(std::string_view url);

// 1 to kMaxDbPoolSize connections.
Result<int> ParseDbPoolSize(std::string_view text);

Result<log::Level> ParseLogLevel(std::string_view text);
// true/false, 1/0, yes/no, on/off, any case.
Result<bool> ParseBool(std::string_view text);
// 0 (one per core) to kMaxHttpThreads.
Result<int> ParseThreadCount(std::string_view text);

// The WebSocket gateway of the realtime role (`GET /ws`).
struct WebSocketSettings {
  std::int64_t ping_interval_ms = 30'000;      // TASKFLOW_WS_PING_INTERVAL_MS: 100 ms to 1 h
  std::int64_t max_connections = 10'000;       // TASKFLOW_WS_MAX_CONNECTIONS: per process
  std::int64_t max_connections_per_user = 32;  // TASKFLOW_WS_MAX_CONNECTIONS_PER_USER
  std::int64_t queue_frames = 1024;            // TASKFLOW_WS_QUEUE_FRAMES: per connection
  std::int64_t queue_bytes = 1 << 20;          // TASKFLOW_WS_QUEUE_BYTES: per connection
  friend bool operator==(const WebSocketSettings&, const WebSocketSettings&) = default;
};
// How long the event tables keep a row (TASKFLOW_OUTBOX_RETENTION,
// TASKFLOW_PROCESSED_EVENTS_RETENTION): "<n><unit>", unit s, m, h or d
// ("7d", "36h"); from 1 second to kMaxRetention.
inline constexpr std::chrono::seconds kDefaultEventRetention = std::chrono::hours(24 * 7);
inline constexpr std::chrono::seconds kMaxRetention = std::chrono::hours(24 * 3650);
Result<std::chrono::seconds> ParseRetention(std::string_view text);

// The roles one process runs (`serve --role api|notification|recurring|audit|realtime`).
struct Roles {
  bool api = false;
  bool notification = false;
  bool recurring = false;
  bool audit = false;
  bool realtime = false;
  static Roles All() { return {true, true, true, true, true}; }
  bool any_consumer() const { return notification || recurring || audit || realtime; }
  friend bool operator==(const Roles&, const Roles&) = default;
};

// A comma-separated list of role names ("api,audit"; spaces around names
// allowed; "all" for every role); kInvalidArgument naming the unknown one.
Result<Roles> ParseRoles(std::string_view text);

// Settings as given, before parsing. Unset: not given.
struct ConfigSources {
  std::optional<std::string> http_addr;          // TASKFLOW_HTTP_ADDR, --http-addr
  std::optional<std::string> database_url;       // TASKFLOW_DATABASE_URL, --database-url
  std::optional<std::string> auth_secret;        // BETTER_AUTH_SECRET, --auth-secret
  std::optional<std::string> log_level;          // TASKFLOW_LOG_LEVEL, --log-level
  std::optional<std::string> http_threads;       // TASKFLOW_HTTP_THREADS, --http-threads
  std::optional<std::string> auto_migrate;       // TASKFLOW_AUTO_MIGRATE, --auto-migrate
  std::optional<std::string> roles;              // TASKFLOW_ROLES, --role (repeatable)
  std::optional<std::string> db_pool_size;       // TASKFLOW_DB_POOL_SIZE, --db-pool-size
  std::optional<std::string> bus;                // TASKFLOW_BUS: in-process (default) or kafka
  KafkaSources kafka;                            // KAFKA_* (environment only)
  std::optional<std::string> mcp_allowed_hosts;  // TASKFLOW_MCP_ALLOWED_HOSTS, --mcp-allowed-hosts
  std::optional<std::string> mcp_local_user;     // TASKFLOW_MCP_LOCAL_USER, --mcp-local-user
  // TASKFLOW_OUTBOX_RETENTION, TASKFLOW_PROCESSED_EVENTS_RETENTION (environment only)
  std::optional<std::string> outbox_retention;
  std::optional<std::string> processed_retention;
  // TASKFLOW_WEBHOOK_ALLOW_INTERNAL, --webhook-allow-internal
  std::optional<std::string> webhook_allow_internal;
  // OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, TASKFLOW_LLM_* (environment only)
  OpenAiSources llm;
  // The WebSocket gateway (GET /ws): TASKFLOW_WS_PING_INTERVAL_MS, TASKFLOW_WS_MAX_CONNECTIONS,
  // TASKFLOW_WS_MAX_CONNECTIONS_PER_USER, TASKFLOW_WS_QUEUE_FRAMES, TASKFLOW_WS_QUEUE_BYTES and
  // their flags (--ws-ping-interval-ms …).
  std::optional<std::string> ws_ping_interval_ms;
  std::optional<std::string> ws_max_connections;
  std::optional<std::string> ws_max_connections_per_user;
  std::optional<std::string> ws_queue_frames;
  std::optional<std::string> ws_queue_bytes;
};

// Reads the environment through `lookup` (getenv in production); an empty
// variable counts as unset.
ConfigSources SourcesFromEnvironment(const std::function<const char*(const char*)>& lookup);

// Each setting from `flags` when given there, else from `env`.
ConfigSources MergeSources(const ConfigSources& flags, const ConfigSources& env);

// Only what `migrate` reads (database URL, log level), so that a bad serve
// setting in the environment never blocks a migration.
ConfigSources MigrateSettingsOnly(const ConfigSources& sources);

struct Config {
  HttpAddress http;
  std::string database_path;               // SQLite: the database file; empty for PostgreSQL
  std::string postgres_url;                // PostgreSQL: the libpq URI, as given; empty for SQLite
  int db_pool_size = kDefaultDbPoolSize;   // PostgreSQL connections per process
  std::optional<std::string> auth_secret;  // unset: read or create the secret file
  log::Level log_level = log::Level::kInfo;
  int http_threads = 0;
  bool auto_migrate = true;
  Roles roles = Roles::All();
  // Set when TASKFLOW_BUS=kafka: events go through that broker; unset, the
  // in-process bus (the outbox table is the log).
  std::optional<KafkaOptions> kafka;
  // Published outbox rows and processed_events records older than these are
  // pruned (roles/event_pruner.hpp); outbox rows only once every in-process
  // consumer group has read them.
  std::chrono::seconds outbox_retention = kDefaultEventRetention;
  std::chrono::seconds processed_retention = kDefaultEventRetention;
  // Host names /mcp accepts in Host/Origin besides localhost, 127.0.0.1, [::1].
  std::vector<std::string> mcp_allowed_hosts;
  // A user id or email: /mcp requests without credentials act as this user.
  // Only with a loopback --http-addr (anyone who can connect gets the account).
  std::optional<std::string> mcp_local_user;
  // Webhooks may reach loopback and private addresses (development, tests);
  // off by default: a webhook URL is user input (server-side request forgery).
  bool webhook_allow_internal = false;
  // Set when OPENAI_API_KEY is: chat answers through that model endpoint
  // (MakeOpenAiChatAgent); unset, through the offline agent.
  std::optional<OpenAiOptions> llm;
  WebSocketSettings websocket;
};

// "a.example, B.example:443" → {"a.example", "b.example"} (lower-case, ports dropped).
Result<std::vector<std::string>> ParseHostList(std::string_view text);

// Parses every setting, applying the defaults. Error messages never quote a
// database URL (it may hold a password). A bad value is kInvalidArgument
// naming the variable and its flag, e.g. field "TASKFLOW_HTTP_ADDR (--http-addr)".
Result<Config> ResolveConfig(const ConfigSources& sources);

// Refuses secrets shorter than kMinSecretBytes.
Status CheckSecret(std::string_view secret, std::string_view origin);

// "<directory of the database file>/auth_secret".
std::string SecretFilePath(std::string_view database_path);

// Reads the secret kept at `path`, or creates the file (mode 0600, O_EXCL, so
// concurrent starts agree on one secret) holding `generate()`. Refuses a file
// that other users may read, or a secret that is too short.
Result<std::string> LoadOrCreateSecret(const std::string& path,
                                       const std::function<std::string()>& generate);

}  // namespace taskflow
