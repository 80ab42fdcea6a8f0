#include "adapters/kafka/kafka_subscription.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>

#include "adapters/kafka/kafka_client.hpp"
#include "adapters/system/logging.hpp"

namespace taskflow {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMaxBatch = 100;

struct ListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using ListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDeleter>;

struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;

struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

int MillisUntil(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1000 * 1000));
}

BusMessage ToBusMessage(const rd_kafka_message_t& message) {
  BusMessage out;
  out.topic = rd_kafka_topic_name(message.rkt);
  if (message.key != nullptr)
    out.key.assign(static_cast<const char*>(message.key), message.key_len);
  if (message.payload != nullptr) {
    out.payload.assign(static_cast<const char*>(message.payload), message.len);
  }
  out.partition = message.partition;
  out.offset = message.offset;
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const void* value = nullptr;
    size_t size = 0;
    if (rd_kafka_header_get_last(headers, "event_id", &value, &size) ==
            RD_KAFKA_RESP_ERR_NO_ERROR &&
        value != nullptr) {
      out.event_id.assign(static_cast<const char*>(value), size);
    }
  }
  return out;
}

class KafkaSubscription final : public EventSubscription {
 public:
  KafkaSubscription(const KafkaOptions& options, std::string group, SubscriptionKind kind,
                    rd_kafka_t* consumer)
      : options_(options),
        group_(std::move(group)),
        kind_(kind),
        consumer_(consumer),
        wake_queue_(rd_kafka_queue_get_consumer(consumer)) {}

  ~KafkaSubscription() override { Close(); }

  Result<std::vector<BusMessage>> Poll(std::chrono::milliseconds timeout) override {
    std::vector<BusMessage> batch;
    const auto deadline = Clock::now() + timeout;
    while (static_cast<int>(batch.size()) < kMaxBatch) {
      // After the first message, take only what is already here.
      const int wait = batch.empty() ? MillisUntil(deadline) : 0;
      rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, wait);
      if (message == nullptr) {
        if (woken_.exchange(false) || !batch.empty() || Clock::now() >= deadline) break;
        continue;  // a yield that was not ours, or a rebalance served: wait on
      }
      const rd_kafka_resp_err_t error = message->err;
      if (error == RD_KAFKA_RESP_ERR_NO_ERROR) {
        batch.push_back(ToBusMessage(*message));
        rd_kafka_message_destroy(message);
        continue;
      }
      std::string reason = rd_kafka_message_errstr(message);
      rd_kafka_message_destroy(message);
      if (error == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
      log::Warn("kafka consumer: error", {{"group", group_}, {"error", reason}});
      if (!batch.empty()) break;  // hand out what came first; the error comes again
      return Error::Unavailable("kafka consumer " + group_ + ": " + reason);
    }
    return batch;
  }

  Status Commit(const BusMessage& message) override {
    // A live group keeps no offsets on the broker: nothing to expire later.
    if (kind_ == SubscriptionKind::kLive) return {};
    // A partition taken away by a rebalance is committed by its new owner,
    // which gets the message again (at least once; processed_events dedupes).
    if (!Assigned(message.topic, message.partition)) {
      log::Info("kafka consumer: not committing a partition no longer assigned",
                {{"group", group_}, {"topic", message.topic}, {"partition", message.partition}});
      return {};
    }
    ListPtr offsets(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(offsets.get(), message.topic.c_str(), message.partition)
        ->offset = message.offset + 1;  // Kafka commits the next position to read
    if (rd_kafka_resp_err_t stored = rd_kafka_offsets_store(consumer_, offsets.get());
        stored != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Error::Unavailable("kafka consumer " + group_ + ": " + kafka::Describe(stored));
    }
    // Asynchronous commit into our own queue, so that the wait is bounded.
    QueuePtr results(rd_kafka_queue_new(consumer_));
    if (rd_kafka_resp_err_t error =
            rd_kafka_commit_queue(consumer_, offsets.get(), results.get(), nullptr, nullptr);
        error != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Error::Unavailable("kafka commit " + group_ + ": " + kafka::Describe(error));
    }
    EventPtr result(
        rd_kafka_queue_poll(results.get(), static_cast<int>(options_.commit_timeout.count())));
    if (!result) {
      return Error::Unavailable("kafka commit " + group_ + ": no answer within " +
                                std::to_string(options_.commit_timeout.count()) + " ms");
    }
    rd_kafka_resp_err_t error = rd_kafka_event_error(result.get());
    if (error == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const rd_kafka_topic_partition_list_t* done =
          rd_kafka_event_topic_partition_list(result.get());
      for (int i = 0; done != nullptr && i < done->cnt; ++i) {
        if (done->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) error = done->elems[i].err;
      }
    }
    if (error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR__NO_OFFSET) return {};
    return Error::Unavailable("kafka commit " + group_ + ": " + kafka::Describe(error));
  }

  void Wake() override {
    woken_ = true;
    rd_kafka_queue_yield(wake_queue_.get());
  }

 private:
  bool Assigned(const std::string& topic, int partition) {
    rd_kafka_topic_partition_list_t* raw = nullptr;
    if (rd_kafka_assignment(consumer_, &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
    ListPtr assignment(raw);
    return rd_kafka_topic_partition_list_find(assignment.get(), topic.c_str(), partition) !=
           nullptr;
  }

  // Leaves the group (so that the others take its partitions at once), within
  // the session timeout even when the broker is gone, then frees the client.
  void Close() {
    QueuePtr events(rd_kafka_queue_new(consumer_));
    if (rd_kafka_error_t* error = rd_kafka_consumer_close_queue(consumer_, events.get())) {
      log::Warn("kafka consumer: close",
                {{"group", group_}, {"error", rd_kafka_error_string(error)}});
      rd_kafka_error_destroy(error);
    } else {
      const auto deadline = Clock::now() + options_.session_timeout;
      while (!rd_kafka_consumer_closed(consumer_) && Clock::now() < deadline) {
        EventPtr event(rd_kafka_queue_poll(events.get(), 100));
        if (event && rd_kafka_event_type(event.get()) == RD_KAFKA_EVENT_REBALANCE) {
          // The eager assignor's revocation during close: give everything up.
          rd_kafka_assign(consumer_, nullptr);
        }
      }
    }
    events.reset();
    wake_queue_.reset();
    rd_kafka_destroy_flags(consumer_, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  }

  const KafkaOptions options_;  // a copy: the bus may go first
  const std::string group_;
  const SubscriptionKind kind_;
  rd_kafka_t* const consumer_;
  QueuePtr wake_queue_;
  std::atomic<bool> woken_{false};
};

// What Subscribe returns when the consumer could not be made.
class FailedSubscription final : public EventSubscription {
 public:
  explicit FailedSubscription(Error error) : error_(std::move(error)) {}
  Result<std::vector<BusMessage>> Poll(std::chrono::milliseconds) override { return error_; }
  Status Commit(const BusMessage&) override { return error_; }
  void Wake() override {}

 private:
  const Error error_;
};

}  // namespace

std::unique_ptr<EventSubscription> MakeKafkaSubscription(const KafkaOptions& options,
                                                         const std::string& group,
                                                         const std::vector<std::string>& topics,
                                                         SubscriptionKind kind) {
  kafka::Properties properties = kafka::CommonProperties(options);
  properties.insert(properties.end(),
                    {{"group.id", group},
                     // Positions move only by Commit, after the message was processed.
                     {"enable.auto.commit", "false"},
                     {"enable.auto.offset.store", "false"},
                     // A durable group's first run reads the whole log; a live
                     // one only what comes after it joined.
                     {"auto.offset.reset", kind == SubscriptionKind::kLive ? "latest" : "earliest"},
                     // Not cooperative-sticky: librdkafka 2.0.2 can abort with it.
                     {"partition.assignment.strategy", "range"},
                     {"session.timeout.ms", std::to_string(options.session_timeout.count())},
                     {"heartbeat.interval.ms", std::to_string(std::max<long long>(
                                                   options.session_timeout.count() / 3, 100))}});
  Result<kafka::ConfPtr> conf = kafka::NewConf(properties);
  if (!conf.ok()) return std::make_unique<FailedSubscription>(std::move(conf).take_error());
  Result<rd_kafka_t*> consumer = kafka::NewClient(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!consumer.ok()) return std::make_unique<FailedSubscription>(std::move(consumer).take_error());
  // Every event of this client (errors, rebalances) comes through consumer_poll.
  rd_kafka_poll_set_consumer(*consumer);
  ListPtr subscription(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(subscription.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (rd_kafka_resp_err_t error = rd_kafka_subscribe(*consumer, subscription.get());
      error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_destroy(*consumer);
    return std::make_unique<FailedSubscription>(
        Error::Invalid("topics", "kafka cannot subscribe: " + kafka::Describe(error)));
  }
  return std::make_unique<KafkaSubscription>(options, group, kind, *consumer);
}

}  // namespace taskflow
