// Creating Taskflow's topics with librdkafka's Admin API (`taskflow topics
// create`). Idempotent: a topic that exists is left as it is (its data and
// settings kept); only a different partition count is reported, since
// partitioning by user id depends on it and it is never changed silently.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "adapters/kafka/kafka_options.hpp"
#include "domain/result.hpp"

namespace taskflow {

struct TopicSpec {
  std::string name;
  int partitions = 1;
  std::chrono::milliseconds retention{0};  // retention.ms
  friend bool operator==(const TopicSpec&, const TopicSpec&) = default;
};

// task-events (3 partitions, 7 days), reminders (1, 1 day), task-updates
// (3, 1 hour), and each one's `-dlq` twin with the same settings.
std::vector<TopicSpec> TaskflowTopics();

struct TopicOutcome {
  std::string name;
  bool created = false;  // false: it existed already
  int partitions = 0;    // as the broker has it
  std::string problem;   // set when it exists with another partition count
};

// Creates each missing topic with `replication_factor` replicas (-1: the
// broker's default.replication.factor, as managed services want). kUnavailable
// when the broker does not answer within options.admin_timeout; per-topic
// refusals are kInvalidArgument naming the topic.
Result<std::vector<TopicOutcome>> CreateTopics(const KafkaOptions& options,
                                               const std::vector<TopicSpec>& topics,
                                               int replication_factor = -1);

}  // namespace taskflow
