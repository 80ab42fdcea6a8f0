// kcat (Debian's, on librdkafka: an independent client, not our code) as the
// Kafka tests' eyes and hands: what is on a topic, and messages we did not
// make (a poison message).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace taskflow::integration {

struct KcatMessage {
  int partition = 0;
  long long offset = 0;
  std::string key;
  std::string payload;
  std::string headers;  // "name=value,name=value" as kcat prints them

  // The value of header `name`, or "" (values with a comma are cut there).
  std::string Header(const std::string& name) const;
};

// Every message of `topic` from the beginning, in partition then offset
// order. Empty, plus `error`, when kcat fails (the broker is still starting).
std::vector<KcatMessage> ReadTopic(const std::string& bootstrap, const std::string& topic,
                                   std::string* error);

// Produces one message (payload without a newline). True when kcat says so.
bool ProduceWithKcat(const std::string& bootstrap, const std::string& topic, const std::string& key,
                     const std::string& payload,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     std::string* error);

}  // namespace taskflow::integration
