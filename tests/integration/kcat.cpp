#include "kcat.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

namespace taskflow::integration {

std::string KcatMessage::Header(const std::string& name) const {
  const std::string prefix = name + "=";
  std::size_t at = 0;
  while (at < headers.size()) {
    const std::size_t comma = std::min(headers.find(',', at), headers.size());
    if (headers.compare(at, prefix.size(), prefix) == 0) {
      return headers.substr(at + prefix.size(), comma - at - prefix.size());
    }
    at = comma + 1;
  }
  return "";
}

std::vector<KcatMessage> ReadTopic(const std::string& bootstrap, const std::string& topic,
                                   std::string* error) {
  const std::string command = "timeout 60 kcat -q -C -b " + bootstrap + " -t " + topic +
                              " -o beginning -e -f '%p\\x1f%o\\x1f%k\\x1f%s\\x1f%h\\x1e' 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *error = "cannot run kcat";
    return {};
  }
  std::array<char, 4096> buffer{};
  size_t got = 0;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), got);
  const int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *error = "kcat failed: " + out;
    return {};
  }
  std::vector<KcatMessage> messages;
  std::stringstream records(out);
  for (std::string record; std::getline(records, record, '\x1e');) {
    std::vector<std::string> fields;
    std::stringstream parts(record);
    for (std::string field; std::getline(parts, field, '\x1f');) fields.push_back(field);
    if (fields.size() < 4) continue;  // kcat's trailing newline
    fields.resize(5);
    messages.push_back(
        KcatMessage{std::stoi(fields[0]), std::stoll(fields[1]), fields[2], fields[3], fields[4]});
  }
  std::stable_sort(messages.begin(), messages.end(), [](const auto& a, const auto& b) {
    return std::pair(a.partition, a.offset) < std::pair(b.partition, b.offset);
  });
  return messages;
}

bool ProduceWithKcat(const std::string& bootstrap, const std::string& topic, const std::string& key,
                     const std::string& payload,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     std::string* error) {
  std::string command = "timeout 60 kcat -q -P -b " + bootstrap + " -t " + topic + " -k '" + key +
                        "' -X enable.idempotence=true -X acks=all";
  for (const auto& [name, value] : headers) command += " -H '" + name + "=" + value + "'";
  FILE* pipe = popen((command + " 2>&1").c_str(), "w");
  if (pipe == nullptr) {
    *error = "cannot run kcat";
    return false;
  }
  fwrite(payload.data(), 1, payload.size(), pipe);
  fputc('\n', pipe);
  const int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *error = "kcat -P exited with " + std::to_string(status);
    return false;
  }
  return true;
}

}  // namespace taskflow::integration
