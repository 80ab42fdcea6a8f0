#include "config.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <thread>

namespace taskflow {
namespace {

constexpr std::string_view kHttpAddrField = "TASKFLOW_HTTP_ADDR (--http-addr)";
constexpr std::string_view kDatabaseUrlField = "TASKFLOW_DATABASE_URL (--database-url)";
constexpr std::string_view kLogLevelField = "TASKFLOW_LOG_LEVEL (--log-level)";
constexpr std::string_view kThreadsField = "TASKFLOW_HTTP_THREADS (--http-threads)";
constexpr std::string_view kAutoMigrateField = "TASKFLOW_AUTO_MIGRATE (--auto-migrate)";
constexpr std::string_view kRolesField = "TASKFLOW_ROLES (--role)";
constexpr std::string_view kPoolSizeField = "TASKFLOW_DB_POOL_SIZE (--db-pool-size)";
constexpr std::string_view kBusField = "TASKFLOW_BUS";
constexpr std::string_view kOutboxRetentionField = "TASKFLOW_OUTBOX_RETENTION";
constexpr std::string_view kProcessedRetentionField = "TASKFLOW_PROCESSED_EVENTS_RETENTION";
constexpr std::string_view kSecretField = "BETTER_AUTH_SECRET (--auth-secret)";
constexpr std::string_view kWebhookInternalField =
    "TASKFLOW_WEBHOOK_ALLOW_INTERNAL (--webhook-allow-internal)";
constexpr std::string_view kMcpHostsField = "TASKFLOW_MCP_ALLOWED_HOSTS (--mcp-allowed-hosts)";
constexpr std::string_view kMcpLocalUserField = "TASKFLOW_MCP_LOCAL_USER (--mcp-local-user)";

// A WebSocket setting: its variable and flag, and the whole numbers it takes.
struct WebSocketKnob {
  std::optional<std::string> ConfigSources::*source;
  std::int64_t WebSocketSettings::*target;
  std::string_view field;
  std::int64_t min;
  std::int64_t max;
};
constexpr WebSocketKnob kWebSocketKnobs[] = {
    {&ConfigSources::ws_ping_interval_ms, &WebSocketSettings::ping_interval_ms,
     "TASKFLOW_WS_PING_INTERVAL_MS (--ws-ping-interval-ms)", 100, 3'600'000},
    {&ConfigSources::ws_max_connections, &WebSocketSettings::max_connections,
     "TASKFLOW_WS_MAX_CONNECTIONS (--ws-max-connections)", 1, 1'000'000},
    {&ConfigSources::ws_max_connections_per_user, &WebSocketSettings::max_connections_per_user,
     "TASKFLOW_WS_MAX_CONNECTIONS_PER_USER (--ws-max-connections-per-user)", 1, 10'000},
    {&ConfigSources::ws_queue_frames, &WebSocketSettings::queue_frames,
     "TASKFLOW_WS_QUEUE_FRAMES (--ws-queue-frames)", 1, 1'000'000},
    {&ConfigSources::ws_queue_bytes, &WebSocketSettings::queue_bytes,
     "TASKFLOW_WS_QUEUE_BYTES (--ws-queue-bytes)", 1024, std::int64_t{1} << 30},
};

// The message doubles as the one field error, so either reads well in a log.
Error Invalid(std::string_view message) {
  Error error = Error::Invalid("", std::string(message));
  error.message = message;
  return error;
}

// Re-labels an error of a Parse* function with the setting it came from.
Error Named(Error error, std::string_view field) {
  for (FieldError& f : error.fields) f.field = field;
  error.message = std::string(field) + ": " +
                  (error.fields.empty() ? error.message : error.fields.front().message);
  return error;
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

Result<std::int64_t> ParseWholeNumber(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return Invalid("must be a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max));
  }
  return value;
}

Result<std::uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return Invalid("the port must be a number from 0 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return host.front() != '-' && host.front() != '.';
}

std::optional<std::string> Getenv(const std::function<const char*(const char*)>& lookup,
                                  const char* name) {
  const char* value = lookup(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// Reads the whole (small) file; nullopt with errno set on failure.
std::optional<std::string> ReadSmallFile(int fd) {
  std::string text;
  char buffer[512];
  while (text.size() < 64 * 1024) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Result<std::string> CreateSecretFile(int fd, const std::string& path,
                                     const std::function<std::string()>& generate) {
  const std::string secret = generate();
  const bool written = WriteAll(fd, secret + "\n") && ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return Error::Unavailable("cannot write the auth secret file " + path + ": " +
                              std::strerror(write_errno));
  }
  return secret;
}

Result<std::string> ReadSecretFile(const std::string& path) {
  // Another process may have just created the file and not yet written it.
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
      return Error::Unavailable("cannot open the auth secret file " + path + ": " +
                                std::strerror(errno));
    }
    struct stat info {};
    const bool stat_ok = ::fstat(fd, &info) == 0;
    std::optional<std::string> text = ReadSmallFile(fd);
    ::close(fd);
    if (!stat_ok || !text) {
      return Error::Unavailable("cannot read the auth secret file " + path);
    }
    if ((info.st_mode & 077) != 0) {
      return Invalid("the auth secret file " + path +
                     " may be read by other users; run: chmod 600 " + path);
    }
    const std::string_view secret = Trim(*text);
    if (!secret.empty()) {
      if (Status ok = CheckSecret(secret, "the auth secret file " + path); !ok.ok()) {
        return Error(ok.error());
      }
      return std::string(secret);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Invalid("the auth secret file " + path + " is empty; delete it to have a new one made");
}

}  // namespace

Result<HttpAddress> ParseHttpAddress(std::string_view text) {
  HttpAddress address;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Invalid("an IPv6 address is written [address]:port, e.g. [::1]:8080");
    }
    address.host = std::string(text.substr(1, close - 1));
    in6_addr ignored{};
    if (::inet_pton(AF_INET6, address.host.c_str(), &ignored) != 1) {
      return Invalid("'" + address.host + "' is not an IPv6 address");
    }
    port_text = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Invalid("must be host:port, e.g. 127.0.0.1:8080");
    }
    address.host = std::string(text.substr(0, colon));
    if (address.host.find(':') != std::string::npos) {
      return Invalid("an IPv6 address goes in brackets, e.g. [::1]:8080");
    }
    if (!IsHostName(address.host)) {
      return Invalid("the host must be an IP address or a host name, e.g. 127.0.0.1:8080");
    }
    port_text = text.substr(colon + 1);
  }
  Result<std::uint16_t> port = ParsePort(port_text);
  if (!port.ok()) return std::move(port).take_error();
  address.port = *port;
  return address;
}

bool IsPostgresUrl(std::string_view url) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return false;
  const std::string scheme = LowerAscii(url.substr(0, colon));
  return scheme == "postgresql" || scheme == "postgres";
}

Result<std::string> ParseDatabaseUrl(std::string_view url) {
  if (IsPostgresUrl(url)) return Invalid("is a PostgreSQL URL, not an SQLite one");
  constexpr std::string_view kScheme = "sqlite://";
  if (!url.starts_with(kScheme)) {
    return Invalid("must be sqlite:///relative/path.db or sqlite:////absolute/path.db");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (rest.empty() || rest.front() != '/') {
    return Invalid(
        "a sqlite URL has no host: write sqlite:///relative/path.db or "
        "sqlite:////absolute/path.db");
  }
  const std::string_view path = rest.substr(1);  // "./data/x.db" or "/abs/x.db"
  if (path.find_first_of("?#") != std::string_view::npos) {
    return Invalid("query parameters are not supported in the database URL");
  }
  if (path.empty() || path == ":memory:") {
    return Invalid("must name a database file, e.g. sqlite:///./data/taskflow.db");
  }
  if (path.back() == '/') return Invalid("names a directory, not a database file");
  return std::string(path);
}

Result<log::Level> ParseLogLevel(std::string_view text) {
  log::Level level = log::Level::kInfo;
  if (!log::ParseLevel(LowerAscii(text), level)) {
    return Invalid("must be one of debug, info, warn, error");
  }
  return level;
}

Result<bool> ParseBool(std::string_view text) {
  const std::string lower = LowerAscii(text);
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
  return Invalid("must be true or false");
}

Result<int> ParseThreadCount(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > kMaxHttpThreads) {
    return Invalid("must be a whole number from 0 (one per core) to " +
                   std::to_string(kMaxHttpThreads));
  }
  return value;
}

Result<int> ParseDbPoolSize(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1 ||
      value > kMaxDbPoolSize) {
    return Invalid("must be a whole number from 1 to " + std::to_string(kMaxDbPoolSize));
  }
  return value;
}

Result<std::chrono::seconds> ParseRetention(std::string_view text) {
  const auto invalid = [] {
    return Invalid(
        "must be a whole number with a unit s, m, h or d (such as 7d or 36h), from 1s to " +
        std::to_string(kMaxRetention.count() / 86400) + "d");
  };
  if (text.size() < 2) return invalid();
  long long count = 0;
  const char* last = text.data() + text.size() - 1;
  const auto [end, ec] = std::from_chars(text.data(), last, count);
  if (ec != std::errc() || end != last || count < 1) return invalid();
  long long unit = 0;
  switch (*last) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return invalid();
  }
  if (count > kMaxRetention.count() / unit) return invalid();
  return std::chrono::seconds(count * unit);
}

ConfigSources SourcesFromEnvironment(const std::function<const char*(const char*)>& lookup) {
  ConfigSources env;
  env.http_addr = Getenv(lookup, "TASKFLOW_HTTP_ADDR");
  env.database_url = Getenv(lookup, "TASKFLOW_DATABASE_URL");
  env.auth_secret = Getenv(lookup, "BETTER_AUTH_SECRET");
  env.log_level = Getenv(lookup, "TASKFLOW_LOG_LEVEL");
  env.http_threads = Getenv(lookup, "TASKFLOW_HTTP_THREADS");
  env.auto_migrate = Getenv(lookup, "TASKFLOW_AUTO_MIGRATE");
  env.roles = Getenv(lookup, "TASKFLOW_ROLES");
  env.db_pool_size = Getenv(lookup, "TASKFLOW_DB_POOL_SIZE");
  env.bus = Getenv(lookup, "TASKFLOW_BUS");
  env.kafka = KafkaSourcesFromEnvironment(lookup);
  env.outbox_retention = Getenv(lookup, "TASKFLOW_OUTBOX_RETENTION");
  env.processed_retention = Getenv(lookup, "TASKFLOW_PROCESSED_EVENTS_RETENTION");
  env.mcp_allowed_hosts = Getenv(lookup, "TASKFLOW_MCP_ALLOWED_HOSTS");
  env.mcp_local_user = Getenv(lookup, "TASKFLOW_MCP_LOCAL_USER");
  env.webhook_allow_internal = Getenv(lookup, "TASKFLOW_WEBHOOK_ALLOW_INTERNAL");
  env.llm = OpenAiSourcesFromEnvironment(lookup);
  env.ws_ping_interval_ms = Getenv(lookup, "TASKFLOW_WS_PING_INTERVAL_MS");
  env.ws_max_connections = Getenv(lookup, "TASKFLOW_WS_MAX_CONNECTIONS");
  env.ws_max_connections_per_user = Getenv(lookup, "TASKFLOW_WS_MAX_CONNECTIONS_PER_USER");
  env.ws_queue_frames = Getenv(lookup, "TASKFLOW_WS_QUEUE_FRAMES");
  env.ws_queue_bytes = Getenv(lookup, "TASKFLOW_WS_QUEUE_BYTES");
  return env;
}

ConfigSources MergeSources(const ConfigSources& flags, const ConfigSources& env) {
  ConfigSources merged;
  merged.http_addr = flags.http_addr ? flags.http_addr : env.http_addr;
  merged.database_url = flags.database_url ? flags.database_url : env.database_url;
  merged.auth_secret = flags.auth_secret ? flags.auth_secret : env.auth_secret;
  merged.log_level = flags.log_level ? flags.log_level : env.log_level;
  merged.http_threads = flags.http_threads ? flags.http_threads : env.http_threads;
  merged.auto_migrate = flags.auto_migrate ? flags.auto_migrate : env.auto_migrate;
  merged.roles = flags.roles ? flags.roles : env.roles;
  merged.db_pool_size = flags.db_pool_size ? flags.db_pool_size : env.db_pool_size;
  merged.bus = flags.bus ? flags.bus : env.bus;
  merged.kafka = env.kafka;
  merged.outbox_retention = env.outbox_retention;
  merged.processed_retention = env.processed_retention;
  merged.mcp_allowed_hosts =
      flags.mcp_allowed_hosts ? flags.mcp_allowed_hosts : env.mcp_allowed_hosts;
  merged.mcp_local_user = flags.mcp_local_user ? flags.mcp_local_user : env.mcp_local_user;
  merged.webhook_allow_internal =
      flags.webhook_allow_internal ? flags.webhook_allow_internal : env.webhook_allow_internal;
  merged.llm = env.llm;
  for (const WebSocketKnob& knob : kWebSocketKnobs) {
    merged.*knob.source = flags.*knob.source ? flags.*knob.source : env.*knob.source;
  }
  return merged;
}

ConfigSources MigrateSettingsOnly(const ConfigSources& sources) {
  ConfigSources only;
  only.database_url = sources.database_url;
  only.log_level = sources.log_level;
  return only;
}

Result<Roles> ParseRoles(std::string_view text) {
  Roles roles;
  bool any = false;
  while (true) {
    const std::size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == "all") {
      roles = Roles::All();
    } else if (name == "api") {
      roles.api = true;
    } else if (name == "notification") {
      roles.notification = true;
    } else if (name == "recurring") {
      roles.recurring = true;
    } else if (name == "audit") {
      roles.audit = true;
    } else if (name == "realtime") {
      roles.realtime = true;
    } else {
      return Invalid("\"" + std::string(name) +
                     "\" is not a role (api, notification, recurring, audit, realtime, all)");
    }
    any = true;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (!any) return Invalid("names no role");
  return roles;
}

Result<std::vector<std::string>> ParseHostList(std::string_view text) {
  std::vector<std::string> hosts;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.empty()) continue;
    // "[v6]:port" keeps its brackets (as Host headers write it); "name:port" loses the port.
    if (item.find_first_of("/@ ") != std::string_view::npos) {
      return Error::Invalid("hosts", "must be host names separated by commas");
    }
    if (item.starts_with('[') && item.find(']') == std::string_view::npos) {
      return Error::Invalid("hosts", "an IPv6 address needs its closing ]");
    }
    const std::size_t port = item.starts_with('[') ? item.find(']') + 1 : item.find(':');
    std::string host(item.substr(0, port));
    for (char& c : host) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    hosts.push_back(std::move(host));
  }
  return hosts;
}

Result<Config> ResolveConfig(const ConfigSources& sources) {
  Config config;
  std::vector<FieldError> errors;
  // Parses one setting into `out`, or records its error under `field`.
  const auto take = [&errors](auto result, std::string_view field, auto& out) {
    if (result.ok()) {
      out = std::move(result).value();
    } else {
      errors.push_back(Named(std::move(result).take_error(), field).fields.front());
    }
  };
  take(ParseHttpAddress(sources.http_addr.value_or(std::string(kDefaultHttpAddr))), kHttpAddrField,
       config.http);
  const std::string database_url = sources.database_url.value_or(std::string(kDefaultDatabaseUrl));
  if (IsPostgresUrl(database_url)) {
    config.postgres_url = database_url;  // libpq parses it; its errors are redacted
  } else {
    take(ParseDatabaseUrl(database_url), kDatabaseUrlField, config.database_path);
  }
  if (sources.db_pool_size) {
    take(ParseDbPoolSize(*sources.db_pool_size), kPoolSizeField, config.db_pool_size);
  }
  if (sources.log_level) take(ParseLogLevel(*sources.log_level), kLogLevelField, config.log_level);
  if (sources.http_threads) {
    take(ParseThreadCount(*sources.http_threads), kThreadsField, config.http_threads);
  }
  if (sources.auto_migrate) {
    take(ParseBool(*sources.auto_migrate), kAutoMigrateField, config.auto_migrate);
  }
  if (sources.roles) take(ParseRoles(*sources.roles), kRolesField, config.roles);
  if (sources.bus) {
    const std::string bus = LowerAscii(Trim(*sources.bus));
    if (bus == "kafka") {
      Result<KafkaOptions> kafka = ResolveKafkaOptions(sources.kafka);
      if (kafka.ok()) {
        config.kafka = std::move(kafka).value();
      } else {
        for (FieldError& field : std::move(kafka).take_error().fields) errors.push_back(field);
      }
    } else if (bus != "in-process") {
      errors.push_back(FieldError{std::string(kBusField), "must be in-process or kafka"});
    }
  }
  if (sources.outbox_retention) {
    take(ParseRetention(*sources.outbox_retention), kOutboxRetentionField, config.outbox_retention);
  }
  if (sources.processed_retention) {
    take(ParseRetention(*sources.processed_retention), kProcessedRetentionField,
         config.processed_retention);
  }
  if (sources.webhook_allow_internal) {
    take(ParseBool(*sources.webhook_allow_internal), kWebhookInternalField,
         config.webhook_allow_internal);
  }
  if (sources.mcp_allowed_hosts) {
    take(ParseHostList(*sources.mcp_allowed_hosts), kMcpHostsField, config.mcp_allowed_hosts);
  }
  if (sources.mcp_local_user) {
    const std::string& host = config.http.host;
    if (host != "127.0.0.1" && host != "::1" && host != "localhost") {
      errors.push_back(FieldError{std::string(kMcpLocalUserField),
                                  "needs a loopback --http-addr (127.0.0.1, ::1 or localhost)"});
    }
    config.mcp_local_user = sources.mcp_local_user;
  }
  if (sources.llm.any()) {
    Result<std::optional<OpenAiOptions>> llm = ResolveOpenAiOptions(sources.llm);
    if (llm.ok()) {
      config.llm = std::move(llm).value();
    } else {
      for (FieldError& field : std::move(llm).take_error().fields) errors.push_back(field);
    }
  }
  for (const WebSocketKnob& knob : kWebSocketKnobs) {
    if (const auto& text = sources.*knob.source) {
      take(ParseWholeNumber(*text, knob.min, knob.max), knob.field, config.websocket.*knob.target);
    }
  }
  if (sources.auth_secret) {
    if (Status ok = CheckSecret(*sources.auth_secret, "the secret"); !ok.ok()) {
      errors.push_back(FieldError{std::string(kSecretField), ok.error().fields.front().message});
    }
    config.auth_secret = sources.auth_secret;
  }
  if (!errors.empty()) {
    Error error = Error::Invalid(std::move(errors));
    error.message = "invalid configuration: " + error.fields.front().field + ": " +
                    error.fields.front().message;
    return error;
  }
  return config;
}

Status CheckSecret(std::string_view secret, std::string_view origin) {
  if (secret.size() < kMinSecretBytes) {
    // Never echo the secret itself, only its length.
    return Invalid(std::string(origin) + " is " + std::to_string(secret.size()) +
                   " bytes; at least " + std::to_string(kMinSecretBytes) +
                   " are required (e.g. openssl rand -hex 32)");
  }
  return {};
}

std::string SecretFilePath(std::string_view database_path) {
  const std::size_t slash = database_path.rfind('/');
  if (slash == std::string_view::npos) return "auth_secret";
  if (slash == 0) return "/auth_secret";
  return std::string(database_path.substr(0, slash)) + "/auth_secret";
}

Result<std::string> LoadOrCreateSecret(const std::string& path,
                                       const std::function<std::string()>& generate) {
  // Create-exclusive first: of several processes starting at once, exactly
  // one writes the secret and the others read it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) return CreateSecretFile(fd, path, generate);
  if (errno != EEXIST) {
    return Error::Unavailable("cannot create the auth secret file " + path + ": " +
                              std::strerror(errno));
  }
  return ReadSecretFile(path);
}

}  // namespace taskflow
