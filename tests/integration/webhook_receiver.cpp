#include "webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

namespace taskflow::integration {

WebhookReceiver::WebhookReceiver() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(listen_fd_, 16);
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<ReceivedHook> WebhookReceiver::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::vector<ReceivedHook> WebhookReceiver::WaitFor(std::size_t count,
                                                   std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
  return received_;
}

void WebhookReceiver::Serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    Handle(fd);
    close(fd);
  }
}

void WebhookReceiver::Handle(int fd) {
  std::string data;
  char buf[4096];
  std::size_t header_end = std::string::npos;
  std::size_t content_length = 0;
  ReceivedHook hook;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    data.append(buf, static_cast<std::size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      std::size_t line_start = data.find("\r\n") + 2;
      const std::string request_line = data.substr(0, line_start - 2);
      const std::size_t sp1 = request_line.find(' ');
      hook.target = request_line.substr(sp1 + 1, request_line.rfind(' ') - sp1 - 1);
      while (line_start < header_end) {
        const std::size_t line_end = data.find("\r\n", line_start);
        const std::string line = data.substr(line_start, line_end - line_start);
        const std::size_t colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        hook.headers[name] = value;
        line_start = line_end + 2;
      }
      if (hook.headers.count("content-length")) {
        content_length = std::stoul(hook.headers["content-length"]);
      }
    }
    if (data.size() >= header_end + 4 + content_length) break;
  }
  hook.body = data.substr(header_end + 4, content_length);
  hook.arrived = std::chrono::system_clock::now();
  const int status = status_;
  const std::string answer =
      "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  (void)!write(fd, answer.data(), answer.size());
  {
    std::lock_guard lock(mutex_);
    received_.push_back(std::move(hook));
  }
  arrived_.notify_all();
}

}  // namespace taskflow::integration
