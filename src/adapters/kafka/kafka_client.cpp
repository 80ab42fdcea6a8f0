#include "adapters/kafka/kafka_client.hpp"

#include <array>

#include "adapters/system/logging.hpp"

namespace taskflow::kafka {
namespace {

// librdkafka calls this from its own threads: nothing may throw out of it.
void LogLine(const rd_kafka_t* client, int level, const char* facility, const char* text) noexcept {
  try {
    const char* name = client != nullptr ? rd_kafka_name(client) : "";
    // syslog levels: 0-3 errors, 4 warnings, 5-6 notices and info, 7 debug.
    if (level <= 3) {
      log::Error("kafka client", {{"client", name}, {"facility", facility}, {"message", text}});
    } else if (level == 4) {
      log::Warn("kafka client", {{"client", name}, {"facility", facility}, {"message", text}});
    } else if (level <= 6) {
      log::Info("kafka client", {{"client", name}, {"facility", facility}, {"message", text}});
    } else {
      log::Debug("kafka client", {{"client", name}, {"facility", facility}, {"message", text}});
    }
  } catch (...) {
    // A log line is not worth crossing a C callback for.
  }
}

}  // namespace

Properties CommonProperties(const KafkaOptions& options) {
  Properties properties = {
      {"bootstrap.servers", options.bootstrap_servers},
      {"client.id", options.client_id},
      {"security.protocol", options.security_protocol},
  };
  if (options.uses_sasl()) {
    properties.emplace_back("sasl.mechanisms", options.sasl_mechanism);
    properties.emplace_back("sasl.username", options.username);
    properties.emplace_back("sasl.password", options.password);
  }
  return properties;
}

Result<ConfPtr> NewConf(const Properties& properties) {
  ConfPtr conf(rd_kafka_conf_new());
  std::array<char, 512> reason{};
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), reason.data(), reason.size()) !=
        RD_KAFKA_CONF_OK) {
      // librdkafka's reason may quote the value; name the property only.
      return Error::Invalid(name, "refused by the Kafka client library");
    }
  }
  rd_kafka_conf_set_log_cb(conf.get(), &LogLine);
  return conf;
}

Result<rd_kafka_t*> NewClient(rd_kafka_type_t type, ConfPtr conf) {
  std::array<char, 512> reason{};
  rd_kafka_t* client = rd_kafka_new(type, conf.get(), reason.data(), reason.size());
  if (client == nullptr) {
    return Error::Invalid("kafka", std::string("cannot create the Kafka client: ") + reason.data());
  }
  (void)conf.release();  // rd_kafka_new took it
  return client;
}

std::string Describe(rd_kafka_resp_err_t error) {
  return std::string(rd_kafka_err2name(error)) + ": " + rd_kafka_err2str(error);
}

}  // namespace taskflow::kafka
