#include "adapters/kafka/kafka_topics.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <thread>

#include "adapters/kafka/kafka_client.hpp"

namespace taskflow {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

struct ClientDeleter {
  void operator()(rd_kafka_t* client) const { rd_kafka_destroy(client); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};
struct OptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const {
    rd_kafka_AdminOptions_destroy(options);
  }
};
struct NewTopicsDeleter {
  std::size_t count = 0;
  void operator()(rd_kafka_NewTopic_t** topics) const {
    rd_kafka_NewTopic_destroy_array(topics, count);
    delete[] topics;
  }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const {
    rd_kafka_metadata_destroy(metadata);
  }
};

// Partition counts of every topic the broker knows.
Result<std::map<std::string, int>> PartitionCounts(rd_kafka_t* client, milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  rd_kafka_resp_err_t error =
      rd_kafka_metadata(client, 1, nullptr, &raw, static_cast<int>(timeout.count()));
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Error::Unavailable("kafka metadata: " + kafka::Describe(error));
  }
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw);
  std::map<std::string, int> counts;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& topic = metadata->topics[i];
    if (topic.err == RD_KAFKA_RESP_ERR_NO_ERROR) counts[topic.topic] = topic.partition_cnt;
  }
  return counts;
}

}  // namespace

std::vector<TopicSpec> TaskflowTopics() {
  const std::vector<TopicSpec> main = {
      {"task-events", 3, hours(24 * 7)},
      {"reminders", 1, hours(24)},
      {"task-updates", 3, hours(1)},
  };
  std::vector<TopicSpec> all = main;
  for (const TopicSpec& topic : main)
    all.push_back({topic.name + "-dlq", topic.partitions, topic.retention});
  return all;
}

Result<std::vector<TopicOutcome>> CreateTopics(const KafkaOptions& options,
                                               const std::vector<TopicSpec>& topics,
                                               int replication_factor) {
  Result<kafka::ConfPtr> conf = kafka::NewConf(kafka::CommonProperties(options));
  if (!conf.ok()) return std::move(conf).take_error();
  Result<rd_kafka_t*> made = kafka::NewClient(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!made.ok()) return std::move(made).take_error();
  std::unique_ptr<rd_kafka_t, ClientDeleter> client(*made);

  std::array<char, 512> reason{};
  std::unique_ptr<rd_kafka_NewTopic_t*[], NewTopicsDeleter> requests(
      new rd_kafka_NewTopic_t* [topics.size()], NewTopicsDeleter { 0 });
  for (const TopicSpec& topic : topics) {
    rd_kafka_NewTopic_t* request = rd_kafka_NewTopic_new(
        topic.name.c_str(), topic.partitions, replication_factor, reason.data(), reason.size());
    if (request == nullptr) return Error::Invalid(topic.name, reason.data());
    requests[requests.get_deleter().count++] = request;
    if (rd_kafka_NewTopic_set_config(request, "retention.ms",
                                     std::to_string(topic.retention.count()).c_str()) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Error::Invalid(topic.name, "retention.ms refused");
    }
  }

  std::unique_ptr<rd_kafka_AdminOptions_t, OptionsDeleter> admin(
      rd_kafka_AdminOptions_new(client.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS));
  const int timeout = static_cast<int>(options.admin_timeout.count());
  rd_kafka_AdminOptions_set_request_timeout(admin.get(), timeout, reason.data(), reason.size());
  rd_kafka_AdminOptions_set_operation_timeout(admin.get(), timeout, reason.data(), reason.size());
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(client.get()));
  rd_kafka_CreateTopics(client.get(), requests.get(), topics.size(), admin.get(), queue.get());
  // The request timeout bounds the answer; the margin covers serving it.
  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue.get(), timeout + 5000));
  if (!event) return Error::Unavailable("kafka: no answer to CreateTopics");
  if (rd_kafka_resp_err_t error = rd_kafka_event_error(event.get());
      error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Error::Unavailable(std::string("kafka CreateTopics: ") +
                              rd_kafka_event_error_string(event.get()));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);

  std::map<std::string, bool> created;
  for (size_t i = 0; i < count; ++i) {
    const std::string name = rd_kafka_topic_result_name(results[i]);
    const rd_kafka_resp_err_t error = rd_kafka_topic_result_error(results[i]);
    if (error == RD_KAFKA_RESP_ERR_NO_ERROR) {
      created[name] = true;
    } else if (error == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      created[name] = false;
    } else if (error == RD_KAFKA_RESP_ERR__TIMED_OUT || error == RD_KAFKA_RESP_ERR__TRANSPORT) {
      return Error::Unavailable("kafka: creating " + name + ": " + kafka::Describe(error));
    } else {
      const char* text = rd_kafka_topic_result_error_string(results[i]);
      return Error::Invalid(name, text != nullptr ? text : kafka::Describe(error));
    }
  }

  // A topic just created reaches the broker's metadata moments later (KRaft
  // propagates it): wait until every one shows, within the admin timeout.
  const auto deadline = std::chrono::steady_clock::now() + options.admin_timeout;
  Result<std::map<std::string, int>> partitions = std::map<std::string, int>{};
  while (true) {
    partitions = PartitionCounts(client.get(), options.admin_timeout);
    if (!partitions.ok()) return std::move(partitions).take_error();
    const bool all_shown = std::all_of(topics.begin(), topics.end(), [&](const TopicSpec& topic) {
      return partitions->count(topic.name) > 0;
    });
    if (all_shown || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::vector<TopicOutcome> outcomes;
  for (const TopicSpec& topic : topics) {
    TopicOutcome outcome{.name = topic.name, .created = created[topic.name]};
    const auto found = partitions->find(topic.name);
    outcome.partitions = found == partitions->end() ? 0 : found->second;
    if (outcome.partitions != topic.partitions) {
      outcome.problem = "has " + std::to_string(outcome.partitions) + " partitions, not " +
                        std::to_string(topic.partitions);
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace taskflow
