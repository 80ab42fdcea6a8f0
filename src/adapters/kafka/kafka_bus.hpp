// The EventBus over Apache Kafka (librdkafka's C API).
//
// Publishing: one idempotent producer (enable.idempotence, acks=all, the
// murmur2 partitioner that Java clients use) keyed by user id, so each user's
// events keep their order in one partition. Publish returns ok only once every
// message's delivery report succeeded; it waits at most about
// publish_timeout (the producer's message.timeout.ms), so a broker that is
// down gives kUnavailable, never a hang. Each message carries its event id in
// the `event_id` header.
//
// Consuming: Subscribe makes one consumer in the group (the range assignor;
// no auto commit, no automatic offset store), so a position only moves when
// Commit stores and commits it after the message was processed; a new
// subscription of the group resumes after the last commit.
// A live subscription (SubscriptionKind::kLive) is a consumer in a group of
// its own name with auto.offset.reset=latest that never commits: it starts
// at the end of each partition once the group is assigned it (moments after
// Subscribe: the join takes a round trip or a few), and the broker keeps no
// offsets for it, so an abandoned group leaves nothing behind once its
// member has left (an empty group without offsets is deleted).
//
// Dead letters go to `<topic>-dlq` with the original key and payload and
// the error in the `error` header.
//
// Thread-safe; outlives its subscriptions. No exception leaves it, and none
// crosses a librdkafka callback.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/kafka/kafka_options.hpp"
#include "ports/event_bus.hpp"

typedef struct rd_kafka_s rd_kafka_t;

namespace taskflow {

class KafkaBus final : public EventBus {
 public:
  // Creates the producer (it connects lazily: no broker is needed yet).
  // kInvalidArgument when librdkafka refuses the configuration.
  static Result<std::unique_ptr<KafkaBus>> Create(KafkaOptions options);
  ~KafkaBus() override;
  KafkaBus(const KafkaBus&) = delete;
  KafkaBus& operator=(const KafkaBus&) = delete;

  Status Publish(const std::vector<OutboxRecord>& messages) override;
  std::unique_ptr<EventSubscription> Subscribe(const std::string& group,
                                               const std::vector<std::string>& topics,
                                               SubscriptionKind kind) override;
  Status PublishDeadLetter(const DeadLetter& letter) override;

  const KafkaOptions& options() const { return options_; }

 private:
  struct Outgoing;
  KafkaBus(KafkaOptions options, std::shared_ptr<rd_kafka_t> producer);
  Status Send(const std::vector<Outgoing>& messages);
  // The producer, made anew after librdkafka reported a fatal error (the
  // idempotent producer cannot go on after one).
  Result<std::shared_ptr<rd_kafka_t>> Producer();

  const KafkaOptions options_;
  std::mutex mutex_;
  std::shared_ptr<rd_kafka_t> producer_;  // guarded by mutex_
};

}  // namespace taskflow
