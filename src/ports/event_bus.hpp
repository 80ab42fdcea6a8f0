// EventBus port: topics of JSON messages keyed by user id, consumer groups
// with their own committed positions, and a dead-letter channel.
//
// Two transports implement it: the in-process bus (adapters/bus; the outbox
// table is its durable log) and Kafka (librdkafka: an idempotent producer with
// acks=all whose Publish returns after the delivery reports, consumer groups
// with manual commit). Delivery is at least once; consumers make it exactly
// once with processed_events (roles/consumer_runner.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "domain/result.hpp"
#include "ports/event_records.hpp"

namespace taskflow {

// One message as a consumer receives it.
struct BusMessage {
  std::string topic;
  std::string key;  // the user id
  std::string event_id;
  std::string payload;
  int partition = 0;
  std::int64_t offset = 0;  // position in its topic/partition (in-process: the outbox id)
};

// How a subscription starts and keeps its position.
enum class SubscriptionKind {
  // Resumes after the group's committed position (from the start the first
  // time); every message is processed by one member of the group.
  kDurable,
  // Starts at the newest message and keeps no position: Commit does nothing
  // and nothing is left behind when it ends. For a consumer every process
  // must run on its own (a broadcast, e.g. live pushes), each under a group
  // name of its own; what was published before it started is never seen.
  kLive,
};

// A consumer group's view of its topics. Used by one thread at a time, except
// Wake, which any thread may call.
class EventSubscription {
 public:
  virtual ~EventSubscription() = default;
  // The next messages after those already returned (from the committed
  // position after a restart), in order per topic/partition; waits up to
  // `timeout` for some. Empty on timeout or after Wake. kUnavailable when the
  // bus cannot be reached.
  virtual Result<std::vector<BusMessage>> Poll(std::chrono::milliseconds timeout) = 0;
  // `message`, and every earlier one of its topic/partition, is done: a
  // restart resumes after it.
  virtual Status Commit(const BusMessage& message) = 0;
  // Makes a Poll in progress return now (shutdown).
  virtual void Wake() = 0;
};

class EventBus {
 public:
  virtual ~EventBus() = default;
  // Publishes `messages` in order. Ok only when the bus holds every one of
  // them durably (Kafka: every delivery report came back); the relay marks
  // them published only then. Called by one relay thread at a time.
  virtual Status Publish(const std::vector<OutboxRecord>& messages) = 0;
  // Called by the relay once it has committed `messages` as published.
  // The in-process bus serves the marked rows and wakes its readers here.
  virtual void MarkedPublished(const std::vector<OutboxRecord>& messages) { (void)messages; }
  // The group's subscription to `topics`. Thread-safe.
  virtual std::unique_ptr<EventSubscription> Subscribe(const std::string& group,
                                                       const std::vector<std::string>& topics,
                                                       SubscriptionKind kind) = 0;
  // Sends a message a consumer gave up on to `<topic>-dlq` with its error.
  virtual Status PublishDeadLetter(const DeadLetter& letter) = 0;
};

}  // namespace taskflow
