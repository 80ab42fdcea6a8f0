#include "adapters/llm/fake_chat_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

namespace taskflow::llm::testing {
namespace json = boost::json;
namespace {

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

json::value RecordedRequest::Json() const {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  return ec ? json::value(nullptr) : value;
}

FakeChatServer::FakeChatServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::listen(listen_fd_, 16);
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeChatServer::~FakeChatServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

std::string FakeChatServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

void FakeChatServer::Then(ScriptedAnswer answer) {
  std::lock_guard lock(mutex_);
  script_.push_back(std::move(answer));
}

void FakeChatServer::Always(ScriptedAnswer answer) {
  std::lock_guard lock(mutex_);
  always_ = std::move(answer);
}

std::vector<RecordedRequest> FakeChatServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

ScriptedAnswer FakeChatServer::Next() {
  std::lock_guard lock(mutex_);
  if (!script_.empty()) {
    ScriptedAnswer next = std::move(script_.front());
    script_.pop_front();
    return next;
  }
  if (always_) return *always_;
  return ScriptedAnswer{.status = 500, .body = R"({"error":{"message":"unscripted request"}})"};
}

void FakeChatServer::Serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    Handle(fd);
    ::close(fd);
  }
}

void FakeChatServer::Handle(int fd) {
  std::string data;
  char buffer[8192];
  std::size_t header_end = std::string::npos;
  std::size_t content_length = 0;
  RecordedRequest request;
  while (header_end == std::string::npos || data.size() < header_end + 4 + content_length) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return;
    data.append(buffer, static_cast<std::size_t>(n));
    if (header_end != std::string::npos) continue;
    header_end = data.find("\r\n\r\n");
    if (header_end == std::string::npos) continue;
    std::size_t line_start = data.find("\r\n") + 2;
    const std::string request_line = data.substr(0, line_start - 2);
    const std::size_t sp1 = request_line.find(' ');
    request.method = request_line.substr(0, sp1);
    request.target = request_line.substr(sp1 + 1, request_line.rfind(' ') - sp1 - 1);
    while (line_start < header_end) {
      const std::size_t line_end = data.find("\r\n", line_start);
      const std::string line = data.substr(line_start, line_end - line_start);
      const std::size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      request.headers[name] = value;
      line_start = line_end + 2;
    }
    if (auto it = request.headers.find("content-length"); it != request.headers.end()) {
      content_length = std::stoul(it->second);
    }
  }
  request.body = data.substr(header_end + 4, content_length);
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }
  const ScriptedAnswer answer = Next();
  if (answer.hang) {
    // Until the client gives up (its timeout) or the server stops.
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0 && ::read(fd, buffer, sizeof buffer) <= 0) return;
    }
    return;
  }
  if (answer.raw) {
    WriteAll(fd, answer.body);
    return;
  }
  std::string head = "HTTP/1.1 " + std::to_string(answer.status) +
                     " Scripted\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     "Content-Length: " +
                     std::to_string(answer.body.size() * answer.repeat_body) + "\r\n";
  for (const auto& [name, value] : answer.headers) head += name + ": " + value + "\r\n";
  head += "\r\n";
  if (!WriteAll(fd, head)) return;
  for (std::size_t i = 0; i < answer.repeat_body; ++i) {
    if (!WriteAll(fd, answer.body)) return;  // the client stopped reading
  }
}

std::string TextAnswer(std::string_view content) {
  return json::serialize(json::object{
      {"id", "chatcmpl-1"},
      {"object", "chat.completion"},
      {"choices",
       json::array{json::object{{"index", 0},
                                {"message", {{"role", "assistant"}, {"content", content}}},
                                {"finish_reason", "stop"}}}}});
}

std::string ToolCallsAnswer(json::array calls) {
  return json::serialize(json::object{
      {"id", "chatcmpl-2"},
      {"object", "chat.completion"},
      {"choices",
       json::array{json::object{
           {"index", 0},
           {"message",
            {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", std::move(calls)}}},
           {"finish_reason", "tool_calls"}}}}});
}

json::value ToolCall(std::string_view id, std::string_view name, std::string_view arguments_json) {
  return json::object{{"id", id},
                      {"type", "function"},
                      {"function", {{"name", name}, {"arguments", arguments_json}}}};
}

}  // namespace taskflow::llm::testing
