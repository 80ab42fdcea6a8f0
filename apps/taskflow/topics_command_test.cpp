// `taskflow topics create` against the real broker of the CTest fixture
// `kafka_broker` (its address in the file named by TASKFLOW_KAFKA_ENV). The
// topics are checked with kcat (partitions) and librdkafka's DescribeConfigs
// (retention), not with our own code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "adapters/kafka/kafka_test_support.hpp"

namespace {

using ::testing::HasSubstr;

struct Ran {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

Ran RunShell(const std::string& command) {
  Ran ran;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return ran;
  std::array<char, 4096> buffer{};
  size_t got = 0;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    ran.out.append(buffer.data(), got);
  const int status = pclose(pipe);
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

using taskflow::testing::FixtureBootstrap;

Ran TopicsCreate(const std::string& env) {
  return RunShell(
      "env -u KAFKA_SECURITY_PROTOCOL -u KAFKA_SASL_MECHANISM -u KAFKA_USERNAME "
      "-u KAFKA_PASSWORD " +
      env + " timeout 120 " TASKFLOW_BINARY_PATH " topics create");
}

// retention.ms of `topic` as the broker describes it.
std::string RetentionOf(const std::string& bootstrap, const std::string& topic) {
  std::array<char, 512> reason{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), reason.data(), reason.size());
  rd_kafka_t* client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, reason.data(), reason.size());
  if (client == nullptr) return "no client";
  rd_kafka_queue_t* queue = rd_kafka_queue_new(client);
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  rd_kafka_DescribeConfigs(client, &resource, 1, nullptr, queue);
  std::string value = "no answer";
  if (rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000)) {
    const rd_kafka_DescribeConfigs_result_t* result = rd_kafka_event_DescribeConfigs_result(event);
    size_t resources = 0;
    const rd_kafka_ConfigResource_t** described =
        result != nullptr ? rd_kafka_DescribeConfigs_result_resources(result, &resources) : nullptr;
    for (size_t r = 0; r < resources; ++r) {
      size_t count = 0;
      const rd_kafka_ConfigEntry_t** entries =
          rd_kafka_ConfigResource_configs(described[r], &count);
      for (size_t i = 0; i < count; ++i) {
        if (std::string(rd_kafka_ConfigEntry_name(entries[i])) == "retention.ms") {
          value = rd_kafka_ConfigEntry_value(entries[i]);
        }
      }
    }
    rd_kafka_event_destroy(event);
  }
  rd_kafka_ConfigResource_destroy(resource);
  rd_kafka_queue_destroy(queue);
  rd_kafka_destroy(client);
  return value;
}

TEST(TopicsCreateTest, MakesTheTopicsAndTheirTwinsAndKeepsThemTheSecondTime) {
  const std::string bootstrap = FixtureBootstrap();
  ASSERT_FALSE(bootstrap.empty());
  const std::map<std::string, std::pair<int, std::string>> expected = {
      {"task-events", {3, "604800000"}},  {"reminders", {1, "86400000"}},
      {"task-updates", {3, "3600000"}},   {"task-events-dlq", {3, "604800000"}},
      {"reminders-dlq", {1, "86400000"}}, {"task-updates-dlq", {3, "3600000"}}};

  const Ran first = TopicsCreate("KAFKA_BOOTSTRAP_SERVERS=" + bootstrap);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  const Ran second = TopicsCreate("KAFKA_BOOTSTRAP_SERVERS=" + bootstrap);
  ASSERT_EQ(second.exit_code, 0) << second.out;
  for (const auto& [topic, settings] : expected) {
    const std::string partitions = " " + std::to_string(settings.first) + " partitions";
    // Another test of this broker (the Kafka serve test) may have made them first.
    EXPECT_THAT(first.out, ::testing::AnyOf(HasSubstr(topic + " created" + partitions),
                                            HasSubstr(topic + " exists" + partitions)))
        << first.out;
    EXPECT_THAT(second.out, HasSubstr(topic + " exists" + partitions)) << second.out;
    const Ran listed = RunShell("timeout 60 kcat -L -b " + bootstrap + " -t " + topic);
    EXPECT_THAT(listed.out, HasSubstr("topic \"" + topic + "\" with" + partitions)) << listed.out;
    EXPECT_EQ(RetentionOf(bootstrap, topic), settings.second) << topic;
  }
}

TEST(TopicsCreateTest, BadSettingsExitTwoNamingTheVariable) {
  const Ran protocol =
      TopicsCreate("KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 KAFKA_SECURITY_PROTOCOL=tls");
  EXPECT_EQ(protocol.exit_code, 2);
  EXPECT_THAT(protocol.out, HasSubstr("KAFKA_SECURITY_PROTOCOL"));

  const Ran missing = TopicsCreate("");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.out, HasSubstr("KAFKA_BOOTSTRAP_SERVERS"));

  const Ran no_user = TopicsCreate(
      "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 KAFKA_SECURITY_PROTOCOL=SASL_SSL KAFKA_PASSWORD=s3cr3t");
  EXPECT_EQ(no_user.exit_code, 2);
  EXPECT_THAT(no_user.out, HasSubstr("KAFKA_USERNAME"));
  EXPECT_THAT(no_user.out, ::testing::Not(HasSubstr("s3cr3t")));
}

}  // namespace
