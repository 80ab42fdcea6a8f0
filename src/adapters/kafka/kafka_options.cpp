#include "adapters/kafka/kafka_options.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace taskflow {
namespace {

constexpr std::string_view kBootstrapField = "KAFKA_BOOTSTRAP_SERVERS";
constexpr std::string_view kProtocolField = "KAFKA_SECURITY_PROTOCOL";
constexpr std::string_view kMechanismField = "KAFKA_SASL_MECHANISM";
constexpr std::string_view kUsernameField = "KAFKA_USERNAME";
constexpr std::string_view kPasswordField = "KAFKA_PASSWORD";

constexpr std::array<std::string_view, 4> kProtocols = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT",
                                                        "SASL_SSL"};
constexpr std::array<std::string_view, 3> kMechanisms = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"};

Error Invalid(std::string_view field, std::string message) {
  Error error = Error::Invalid(std::string(field), message);
  error.message = std::string(field) + ": " + message;
  return error;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string UpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsHost(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == ':';  // ':' for a bracketed IPv6 literal
  });
}

// "host:port" or "[v6]:port"; the port 1 to 65535.
bool IsBroker(std::string_view entry) {
  const auto colon = entry.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view host = entry.substr(0, colon);
  const std::string_view port = entry.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return false;
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return IsHost(host) && !port.empty() && ec == std::errc() && end == port.data() + port.size() &&
         value >= 1 && value <= 65535;
}

Result<std::string> ParseBootstrap(const std::optional<std::string>& given) {
  if (!given) return Invalid(kBootstrapField, "is required for the Kafka bus (host:port,...)");
  std::string normalised;
  std::string_view rest = *given;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view entry = Trim(rest.substr(0, comma));
    if (!IsBroker(entry)) {
      return Invalid(kBootstrapField,
                     "each entry must be host:port with a port from 1 to "
                     "65535, got \"" +
                         std::string(entry) + "\"");
    }
    if (!normalised.empty()) normalised += ',';
    normalised += entry;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return normalised;
}

template <std::size_t N>
Result<std::string> OneOf(std::string_view field, std::string_view given,
                          const std::array<std::string_view, N>& allowed) {
  const std::string upper = UpperAscii(Trim(given));
  for (std::string_view name : allowed) {
    if (upper == name) return upper;
  }
  std::string list;
  for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
  return Invalid(field, "must be one of " + list);
}

}  // namespace

KafkaSources KafkaSourcesFromEnvironment(const std::function<const char*(const char*)>& lookup) {
  auto get = [&](const char* name) -> std::optional<std::string> {
    const char* value = lookup(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  return KafkaSources{.bootstrap_servers = get("KAFKA_BOOTSTRAP_SERVERS"),
                      .security_protocol = get("KAFKA_SECURITY_PROTOCOL"),
                      .sasl_mechanism = get("KAFKA_SASL_MECHANISM"),
                      .username = get("KAFKA_USERNAME"),
                      .password = get("KAFKA_PASSWORD")};
}

Result<KafkaOptions> ResolveKafkaOptions(const KafkaSources& sources) {
  KafkaOptions options;
  Result<std::string> bootstrap = ParseBootstrap(sources.bootstrap_servers);
  if (!bootstrap.ok()) return std::move(bootstrap).take_error();
  options.bootstrap_servers = std::move(*bootstrap);

  if (sources.security_protocol) {
    Result<std::string> protocol = OneOf(kProtocolField, *sources.security_protocol, kProtocols);
    if (!protocol.ok()) return std::move(protocol).take_error();
    options.security_protocol = std::move(*protocol);
  }

  if (!options.uses_sasl()) {
    for (auto [given, field] : {std::pair{&sources.sasl_mechanism, kMechanismField},
                                std::pair{&sources.username, kUsernameField},
                                std::pair{&sources.password, kPasswordField}}) {
      if (*given) {
        return Invalid(field,
                       "is only used with KAFKA_SECURITY_PROTOCOL SASL_SSL or "
                       "SASL_PLAINTEXT (it is " +
                           options.security_protocol + ")");
      }
    }
    return options;
  }

  options.sasl_mechanism = "PLAIN";
  if (sources.sasl_mechanism) {
    Result<std::string> mechanism = OneOf(kMechanismField, *sources.sasl_mechanism, kMechanisms);
    if (!mechanism.ok()) return std::move(mechanism).take_error();
    options.sasl_mechanism = std::move(*mechanism);
  }
  if (!sources.username)
    return Invalid(kUsernameField, "is required with " + options.security_protocol);
  if (!sources.password)
    return Invalid(kPasswordField, "is required with " + options.security_protocol);
  options.username = *sources.username;
  options.password = *sources.password;
  return options;
}

std::string DescribeKafkaOptions(const KafkaOptions& options) {
  std::string text =
      "bootstrap=" + options.bootstrap_servers + " security_protocol=" + options.security_protocol;
  if (options.uses_sasl()) {
    text += " sasl_mechanism=" + options.sasl_mechanism + " username=" + options.username +
            " password=" + std::string(options.password.empty() ? "" : "***");
  }
  return text;
}

}  // namespace taskflow
