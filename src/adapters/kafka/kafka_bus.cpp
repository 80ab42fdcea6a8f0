#include "adapters/kafka/kafka_bus.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include "adapters/kafka/kafka_client.hpp"
#include "adapters/kafka/kafka_subscription.hpp"
#include "adapters/system/logging.hpp"

namespace taskflow {
namespace {

using Clock = std::chrono::steady_clock;

// The delivery reports of one Send; shared with librdkafka's callback, which
// may come after Send gave up waiting (each message holds a reference).
struct Deliveries {
  std::mutex mutex;
  int pending = 0;          // guarded by mutex
  std::string first_error;  // guarded by mutex
};

// librdkafka's delivery report callback, run inside rd_kafka_poll/flush.
void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) noexcept {
  auto* held = static_cast<std::shared_ptr<Deliveries>*>(message->_private);
  if (held == nullptr) return;
  try {
    std::lock_guard lock((*held)->mutex);
    --(*held)->pending;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR && (*held)->first_error.empty()) {
      (*held)->first_error =
          kafka::Describe(message->err) + " (topic " + rd_kafka_topic_name(message->rkt) + ")";
    }
  } catch (...) {
    // Only the string can throw (no memory); the count is already down.
  }
  delete held;
}

void ReleaseProducer(rd_kafka_t* producer) {
  // Messages still queued get their (failed) reports now, which frees what
  // each one holds.
  rd_kafka_purge(producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_flush(producer, 2000);
  rd_kafka_destroy(producer);
}

}  // namespace

struct KafkaBus::Outgoing {
  const std::string& topic;
  const std::string& key;
  const std::string& payload;
  std::vector<std::pair<std::string, std::string>> headers;
};

Result<std::unique_ptr<KafkaBus>> KafkaBus::Create(KafkaOptions options) {
  kafka::Properties properties = kafka::CommonProperties(options);
  properties.insert(properties.end(),
                    {{"enable.idempotence", "true"},
                     {"acks", "all"},
                     // The Java clients' partitioner: a key lands alike whoever produces it.
                     {"partitioner", "murmur2_random"},
                     {"message.timeout.ms", std::to_string(options.publish_timeout.count())},
                     {"linger.ms", "5"}});
  Result<kafka::ConfPtr> conf = kafka::NewConf(properties);
  if (!conf.ok()) return std::move(conf).take_error();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &OnDelivery);
  Result<rd_kafka_t*> producer = kafka::NewClient(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!producer.ok()) return std::move(producer).take_error();
  log::Info("kafka bus: producer ready", {{"options", DescribeKafkaOptions(options)}});
  return std::unique_ptr<KafkaBus>(
      new KafkaBus(std::move(options), std::shared_ptr<rd_kafka_t>(*producer, &ReleaseProducer)));
}

KafkaBus::KafkaBus(KafkaOptions options, std::shared_ptr<rd_kafka_t> producer)
    : options_(std::move(options)), producer_(std::move(producer)) {}

KafkaBus::~KafkaBus() = default;

Result<std::shared_ptr<rd_kafka_t>> KafkaBus::Producer() {
  std::lock_guard lock(mutex_);
  std::array<char, 512> reason{};
  if (rd_kafka_fatal_error(producer_.get(), reason.data(), reason.size()) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return producer_;
  }
  log::Error("kafka bus: the producer failed fatally; making a new one",
             {{"error", std::string(reason.data())}});
  Result<std::unique_ptr<KafkaBus>> fresh = Create(options_);
  if (!fresh.ok()) return std::move(fresh).take_error();
  producer_ = (*fresh)->producer_;
  return producer_;
}

Status KafkaBus::Send(const std::vector<Outgoing>& messages) {
  if (messages.empty()) return {};
  Result<std::shared_ptr<rd_kafka_t>> producer = Producer();
  if (!producer.ok()) return std::move(producer).take_error();
  rd_kafka_t* rk = producer->get();
  // message.timeout.ms bounds every report; the margin covers serving them.
  const auto deadline = Clock::now() + options_.publish_timeout + std::chrono::milliseconds(2000);
  auto state = std::make_shared<Deliveries>();

  for (const Outgoing& message : messages) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(message.headers.size());
    for (const auto& [name, value] : message.headers) {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    }
    auto* held = new std::shared_ptr<Deliveries>(state);
    {
      std::lock_guard lock(state->mutex);
      ++state->pending;
    }
    rd_kafka_resp_err_t error;
    while (true) {
      error = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(message.topic.c_str()),
          RD_KAFKA_V_KEY(message.key.data(), message.key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(message.payload.data()), message.payload.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
          RD_KAFKA_V_OPAQUE(held), RD_KAFKA_V_END);
      // A full local queue drains as reports come back: serve them and retry.
      if (error != RD_KAFKA_RESP_ERR__QUEUE_FULL || Clock::now() >= deadline) break;
      rd_kafka_poll(rk, 50);
    }
    if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Not enqueued: librdkafka owns neither the headers nor the opaque.
      rd_kafka_headers_destroy(headers);
      delete held;
      {
        std::lock_guard lock(state->mutex);
        --state->pending;
      }
      // Those already enqueued still get their reports (and free their references).
      const std::string reason = kafka::Describe(error) + " (topic " + message.topic + ")";
      // A full queue or a failed producer (made anew at the next call) pass;
      // anything else is a message the broker can never take (too large).
      return error == RD_KAFKA_RESP_ERR__QUEUE_FULL || error == RD_KAFKA_RESP_ERR__FATAL
                 ? Error::Unavailable(reason)
                 : Error::Internal(reason);
    }
  }

  while (true) {
    {
      std::lock_guard lock(state->mutex);
      if (state->pending == 0) {
        if (state->first_error.empty()) return {};
        return Error::Unavailable("kafka: not every message was delivered: " + state->first_error);
      }
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      return Error::Unavailable("kafka: no delivery report within " +
                                std::to_string(options_.publish_timeout.count()) + " ms");
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    rd_kafka_poll(rk, static_cast<int>(std::min<long long>(left.count(), 100)));
  }
}

Status KafkaBus::Publish(const std::vector<OutboxRecord>& messages) {
  std::vector<Outgoing> outgoing;
  outgoing.reserve(messages.size());
  for (const OutboxRecord& record : messages) {
    outgoing.push_back(
        Outgoing{record.topic, record.key, record.payload, {{"event_id", record.event_id}}});
  }
  return Send(outgoing);
}

Status KafkaBus::PublishDeadLetter(const DeadLetter& letter) {
  const std::string topic = letter.topic + "-dlq";
  return Send({Outgoing{topic,
                        letter.key,
                        letter.payload,
                        {{"event_id", letter.event_id},
                         {"error", letter.error},
                         {"consumer", letter.consumer},
                         {"original_topic", letter.topic},
                         {"attempts", std::to_string(letter.attempts)}}}});
}

std::unique_ptr<EventSubscription> KafkaBus::Subscribe(const std::string& group,
                                                       const std::vector<std::string>& topics,
                                                       SubscriptionKind kind) {
  return MakeKafkaSubscription(options_, group, topics, kind);
}

}  // namespace taskflow
