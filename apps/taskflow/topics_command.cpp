#include "topics_command.hpp"

#include <iostream>

#include "adapters/kafka/kafka_topics.hpp"
#include "adapters/system/logging.hpp"
#include "commands.hpp"

namespace taskflow {

int RunTopicsCreate(const KafkaSources& sources, int replication_factor) {
  Result<KafkaOptions> options = ResolveKafkaOptions(sources);
  if (!options.ok()) {
    log::Error("invalid configuration", {{"error", options.error().message}});
    return kExitUsage;
  }
  Result<std::vector<TopicOutcome>> outcomes =
      CreateTopics(*options, TaskflowTopics(), replication_factor);
  if (!outcomes.ok()) {
    log::Error("cannot create the Kafka topics",
               {{"kafka", DescribeKafkaOptions(*options)}, {"error", outcomes.error().message}});
    return kExitFailure;
  }
  int exit_code = kExitOk;
  for (const TopicOutcome& outcome : *outcomes) {
    std::cout << outcome.name << (outcome.created ? " created " : " exists ") << outcome.partitions
              << " partitions\n";
    if (!outcome.problem.empty()) {
      log::Error("a topic exists with other settings; not changed",
                 {{"topic", outcome.name}, {"problem", outcome.problem}});
      exit_code = kExitFailure;
    }
  }
  return exit_code;
}

}  // namespace taskflow
