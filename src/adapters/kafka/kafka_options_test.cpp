#include "adapters/kafka/kafka_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <map>

#include "adapters/kafka/kafka_client.hpp"
#include "adapters/kafka/kafka_topics.hpp"

namespace taskflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

KafkaSources Plain(std::string bootstrap) { return KafkaSources{.bootstrap_servers = bootstrap}; }

KafkaSources SaslSsl() {
  return KafkaSources{.bootstrap_servers = "pkc-1.example.cloud:9092",
                      .security_protocol = "sasl_ssl",
                      .sasl_mechanism = "scram-sha-256",
                      .username = "svc",
                      .password = "s3cr3t-Pa55"};
}

std::string FieldOf(const Result<KafkaOptions>& result) {
  EXPECT_FALSE(result.ok());
  if (result.ok() || result.error().fields.empty()) return "";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  return result.error().fields.front().field;
}

TEST(KafkaOptionsTest, ReadsTheFiveVariablesAndTreatsEmptyAsUnset) {
  const std::map<std::string, const char*> env = {{"KAFKA_BOOTSTRAP_SERVERS", "b:9092"},
                                                  {"KAFKA_SECURITY_PROTOCOL", "SASL_SSL"},
                                                  {"KAFKA_SASL_MECHANISM", ""},
                                                  {"KAFKA_USERNAME", "u"},
                                                  {"KAFKA_PASSWORD", "p"}};
  const KafkaSources sources = KafkaSourcesFromEnvironment([&](const char* name) -> const char* {
    const auto found = env.find(name);
    return found == env.end() ? nullptr : found->second;
  });
  EXPECT_EQ(sources.bootstrap_servers, "b:9092");
  EXPECT_EQ(sources.security_protocol, "SASL_SSL");
  EXPECT_FALSE(sources.sasl_mechanism.has_value());
  EXPECT_EQ(sources.username, "u");
  EXPECT_EQ(sources.password, "p");
}

TEST(KafkaOptionsTest, PlaintextByDefaultWithANormalisedBootstrapList) {
  Result<KafkaOptions> options =
      ResolveKafkaOptions(Plain(" 127.0.0.1:19092 , kafka-2.local:9093"));
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->bootstrap_servers, "127.0.0.1:19092,kafka-2.local:9093");
  EXPECT_EQ(options->security_protocol, "PLAINTEXT");
  EXPECT_FALSE(options->uses_sasl());
  EXPECT_TRUE(ResolveKafkaOptions(Plain("[::1]:9092")).ok());
}

TEST(KafkaOptionsTest, TheBootstrapListIsRequiredAndEachEntryChecked) {
  EXPECT_EQ(FieldOf(ResolveKafkaOptions(KafkaSources{})), "KAFKA_BOOTSTRAP_SERVERS");
  for (const char* bad : {"localhost", "host:", "host:0", "host:65536", "host:12x", ":9092",
                          "a:1,,b:2", "a:1,", "ho st:9092", "::1:9092"}) {
    EXPECT_EQ(FieldOf(ResolveKafkaOptions(Plain(bad))), "KAFKA_BOOTSTRAP_SERVERS") << bad;
  }
}

TEST(KafkaOptionsTest, SaslSslForManagedKafka) {
  Result<KafkaOptions> options = ResolveKafkaOptions(SaslSsl());
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->security_protocol, "SASL_SSL");
  EXPECT_EQ(options->sasl_mechanism, "SCRAM-SHA-256");
  EXPECT_EQ(options->username, "svc");
  EXPECT_EQ(options->password, "s3cr3t-Pa55");
  EXPECT_TRUE(options->uses_sasl());
}

TEST(KafkaOptionsTest, SaslMechanismDefaultsToPlain) {
  KafkaSources sources = SaslSsl();
  sources.sasl_mechanism.reset();
  EXPECT_EQ(ResolveKafkaOptions(sources)->sasl_mechanism, "PLAIN");
}

TEST(KafkaOptionsTest, RefusesUnknownProtocolsAndMechanisms) {
  KafkaSources sources = SaslSsl();
  sources.security_protocol = "TLS";
  EXPECT_EQ(FieldOf(ResolveKafkaOptions(sources)), "KAFKA_SECURITY_PROTOCOL");
  sources = SaslSsl();
  sources.sasl_mechanism = "GSSAPI";
  Result<KafkaOptions> refused = ResolveKafkaOptions(sources);
  EXPECT_EQ(FieldOf(refused), "KAFKA_SASL_MECHANISM");
  EXPECT_THAT(refused.error().message, HasSubstr("SCRAM-SHA-512"));
}

TEST(KafkaOptionsTest, SaslNeedsAUsernameAndAPassword) {
  KafkaSources sources = SaslSsl();
  sources.username.reset();
  EXPECT_EQ(FieldOf(ResolveKafkaOptions(sources)), "KAFKA_USERNAME");
  sources = SaslSsl();
  sources.password.reset();
  EXPECT_EQ(FieldOf(ResolveKafkaOptions(sources)), "KAFKA_PASSWORD");
}

TEST(KafkaOptionsTest, CredentialsWithoutSaslAreRefusedNotIgnored) {
  for (const char* protocol : {"PLAINTEXT", "SSL"}) {
    KafkaSources sources = SaslSsl();
    sources.security_protocol = protocol;
    sources.sasl_mechanism.reset();
    sources.username.reset();
    Result<KafkaOptions> refused = ResolveKafkaOptions(sources);
    EXPECT_EQ(FieldOf(refused), "KAFKA_PASSWORD") << protocol;
    EXPECT_THAT(refused.error().message, Not(HasSubstr("s3cr3t")));
  }
}

TEST(KafkaOptionsTest, TheDescriptionNeverShowsThePassword) {
  const std::string text = DescribeKafkaOptions(*ResolveKafkaOptions(SaslSsl()));
  EXPECT_THAT(text, HasSubstr("pkc-1.example.cloud:9092"));
  EXPECT_THAT(text, HasSubstr("SASL_SSL"));
  EXPECT_THAT(text, HasSubstr("username=svc"));
  EXPECT_THAT(text, HasSubstr("password=***"));
  EXPECT_THAT(text, Not(HasSubstr("s3cr3t")));
}

// The settings reach librdkafka as it names them, and this build of it has
// SASL and SSL (managed Kafka needs both).
TEST(KafkaOptionsTest, SaslSslSettingsAreAcceptedByTheClientLibrary) {
  Result<kafka::ConfPtr> conf =
      kafka::NewConf(kafka::CommonProperties(*ResolveKafkaOptions(SaslSsl())));
  ASSERT_TRUE(conf.ok()) << conf.error().message;
  auto get = [&](const char* name) {
    std::array<char, 256> value{};
    size_t size = value.size();
    EXPECT_EQ(rd_kafka_conf_get(conf->get(), name, value.data(), &size), RD_KAFKA_CONF_OK) << name;
    return std::string(value.data());
  };
  EXPECT_EQ(get("bootstrap.servers"), "pkc-1.example.cloud:9092");
  EXPECT_EQ(get("security.protocol"), "sasl_ssl");
  EXPECT_EQ(get("sasl.mechanisms"), "SCRAM-SHA-256");
  EXPECT_EQ(get("sasl.username"), "svc");
}

TEST(KafkaOptionsTest, ARefusedPropertyIsNamedWithoutItsValue) {
  Result<kafka::ConfPtr> conf = kafka::NewConf({{"security.protocol", "s3cr3t-bogus"}});
  ASSERT_FALSE(conf.ok());
  EXPECT_EQ(conf.error().fields.front().field, "security.protocol");
  EXPECT_THAT(conf.error().message + conf.error().fields.front().message, Not(HasSubstr("s3cr3t")));
}

TEST(KafkaTopicsTest, TheSeedsTopicsAndTheirDeadLetterTwins) {
  using std::chrono::hours;
  const std::vector<TopicSpec> expected = {
      {"task-events", 3, hours(168)},  {"reminders", 1, hours(24)},
      {"task-updates", 3, hours(1)},   {"task-events-dlq", 3, hours(168)},
      {"reminders-dlq", 1, hours(24)}, {"task-updates-dlq", 3, hours(1)}};
  EXPECT_EQ(TaskflowTopics(), expected);
}

}  // namespace
}  // namespace taskflow
