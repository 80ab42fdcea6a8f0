// What the Kafka producer, consumers and admin client share: the librdkafka
// properties made from KafkaOptions, a configuration object built from them
// with librdkafka's log lines routed to ours, and owning handles. Private to
// adapters/kafka (it includes the C API header).
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/kafka/kafka_options.hpp"
#include "domain/result.hpp"

namespace taskflow::kafka {

using Properties = std::vector<std::pair<std::string, std::string>>;

// bootstrap.servers, client.id, security.protocol and the SASL settings.
Properties CommonProperties(const KafkaOptions& options);

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

// A configuration holding `properties`, logging through adapters/system/logging.
// kInvalidArgument naming the property librdkafka refused (never its value:
// it may be the password).
Result<ConfPtr> NewConf(const Properties& properties);

// rd_kafka_new; takes `conf` on success. kInvalidArgument with librdkafka's reason.
Result<rd_kafka_t*> NewClient(rd_kafka_type_t type, ConfPtr conf);

// "Local: Message timed out (topic task-events)": an error code in words.
std::string Describe(rd_kafka_resp_err_t error);

}  // namespace taskflow::kafka
