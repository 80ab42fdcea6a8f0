#include "server/mcp/stdio.hpp"

#include <boost/json/serialize.hpp>
#include <exception>

#include "adapters/system/logging.hpp"

namespace taskflow::mcp {

void ServeStdio(const Protocol& protocol, const std::string& user_id, std::istream& in,
                std::ostream& out) {
  auto write = [&out](const json::object& message) {
    out << json::serialize(message) << '\n';
    out.flush();
  };
  // Until initialize, the session speaks our newest revision.
  auto session = std::make_shared<Session>("stdio", user_id, std::string(kProtocolVersions[0]));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    ReadResult read = ReadMessage(line);
    if (auto* failure = std::get_if<RpcFailure>(&read)) {
      write(MakeError(failure->id, failure->code, failure->message));
      continue;
    }
    const RpcMessage& message = std::get<RpcMessage>(read);
    try {
      if (message.kind == RpcMessage::Kind::kRequest && message.method == "initialize") {
        session = std::make_shared<Session>("stdio", user_id,
                                            Protocol::NegotiateVersion(message.params));
      }
      if (auto answer = protocol.Handle(message, *session, write)) write(*answer);
    } catch (const std::exception& e) {
      log::Error("mcp request failed", {{"method", message.method}, {"error", e.what()}});
      if (message.kind == RpcMessage::Kind::kRequest) {
        write(MakeError(message.id, kInternalError, "internal error"));
      }
    }
  }
}

}  // namespace taskflow::mcp
