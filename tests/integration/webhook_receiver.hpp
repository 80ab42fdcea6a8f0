// A real HTTP receiver on 127.0.0.1 for webhook tests: accepts POSTs on a
// thread, records each (headers, body, arrival time) and answers with the
// status the test chose.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace taskflow::integration {

struct ReceivedHook {
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::chrono::system_clock::time_point arrived;
};

class WebhookReceiver {
 public:
  WebhookReceiver();  // listens on a free port at once
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url(const std::string& path = "/hook") const;
  void set_status(int status) { status_ = status; }
  std::vector<ReceivedHook> received() const;
  // Waits until at least `count` requests arrived (or `timeout`); the requests.
  std::vector<ReceivedHook> WaitFor(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  void Serve();
  void Handle(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> status_{200};
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedHook> received_;
  std::thread thread_;
};

}  // namespace taskflow::integration
