// One consumer of a Kafka consumer group (see kafka_bus.hpp). Private to
// adapters/kafka.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/kafka/kafka_options.hpp"
#include "ports/event_bus.hpp"

namespace taskflow {

// A consumer in `group` subscribed to `topics` (live: from the end of each
// partition, never committing; see kafka_bus.hpp). When librdkafka refuses to
// make it, every Poll answers that error.
std::unique_ptr<EventSubscription> MakeKafkaSubscription(const KafkaOptions& options,
                                                         const std::string& group,
                                                         const std::vector<std::string>& topics,
                                                         SubscriptionKind kind);

}  // namespace taskflow
