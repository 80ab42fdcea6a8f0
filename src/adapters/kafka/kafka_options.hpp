// Settings of the Kafka transport, from KAFKA_BOOTSTRAP_SERVERS,
// KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_USERNAME and
// KAFKA_PASSWORD. Parsed by pure functions (as apps/taskflow/config does), so
// the rules are unit-tested without a broker. The password is never part of
// any message or description made here.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace taskflow {

// The variables as given; unset (or empty): not given.
struct KafkaSources {
  std::optional<std::string> bootstrap_servers;  // KAFKA_BOOTSTRAP_SERVERS
  std::optional<std::string> security_protocol;  // KAFKA_SECURITY_PROTOCOL
  std::optional<std::string> sasl_mechanism;     // KAFKA_SASL_MECHANISM
  std::optional<std::string> username;           // KAFKA_USERNAME
  std::optional<std::string> password;           // KAFKA_PASSWORD
};

KafkaSources KafkaSourcesFromEnvironment(const std::function<const char*(const char*)>& lookup);

struct KafkaOptions {
  std::string bootstrap_servers;                // "host:port[,host:port...]"
  std::string security_protocol = "PLAINTEXT";  // PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL
  std::string sasl_mechanism;                   // PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (SASL only)
  std::string username;                         // SASL only
  std::string password;                         // SASL only; never logged
  std::string client_id = "taskflow";
  // Publish and PublishDeadLetter return within about this long: it is the
  // producer's message.timeout.ms, plus a small margin for the reports.
  std::chrono::milliseconds publish_timeout{10000};
  // A consumer that stops polling for this long leaves its group.
  std::chrono::milliseconds session_timeout{10000};
  // Commit waits this long for the group coordinator's answer.
  std::chrono::milliseconds commit_timeout{10000};
  // Admin calls (topic creation) wait this long.
  std::chrono::milliseconds admin_timeout{30000};

  bool uses_sasl() const { return security_protocol.rfind("SASL_", 0) == 0; }
};

// Checks and normalises the sources: the bootstrap list is required (each
// entry host:port); the protocol and mechanism are case-insensitive and come
// out upper-case; SASL protocols need a username and a password (mechanism
// PLAIN unless given); credentials without SASL are refused rather than
// silently ignored. kInvalidArgument naming the variable.
Result<KafkaOptions> ResolveKafkaOptions(const KafkaSources& sources);

// For logs: every setting but the password (shown as "***" when set).
std::string DescribeKafkaOptions(const KafkaOptions& options);

}  // namespace taskflow
