// `taskflow topics create`: makes Taskflow's Kafka topics (and their -dlq
// twins) with the seed's partitions and retention, on the broker named by
// the KAFKA_* variables. Idempotent: existing topics are left as they are.
#pragma once

#include "adapters/kafka/kafka_options.hpp"

namespace taskflow {

// One line per topic on stdout ("task-events created 3 partitions" or
// "... exists 3 partitions"). 0 on success; 1 when the broker cannot be
// reached, refuses a topic, or a topic exists with another partition count;
// 2 when the settings are invalid.
int RunTopicsCreate(const KafkaSources& sources, int replication_factor);

}  // namespace taskflow
