// A small WebSocket client (Beast) for the integration tests of GET /ws. It
// reads on a thread of its own (answering pings, as browsers do) and keeps
// every text frame; a client made with `read = false` reads nothing until
// StartReading(), like a stalled browser tab. Every handshake answer (101 or
// a refusal) goes to the contract log.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace taskflow::integration {

struct WebSocketOptions {
  std::string target = "/ws";         // add "?token=…" for the query form
  std::optional<std::string> bearer;  // sent as "Authorization: Bearer …"
  bool read = true;                   // false: read nothing until StartReading()
  int receive_buffer = 0;             // SO_RCVBUF before connecting; 0: the default
};

// How a connection ended: the close frame's code, or none when the TCP
// connection ended without one.
struct WebSocketEnd {
  std::optional<int> close_code;
  std::string reason;
  std::string error;  // the read error otherwise
};

class WebSocketClient {
 public:
  // Connects to 127.0.0.1:`port` and opens the WebSocket. Null when the
  // handshake fails; `refusal` then holds the server's answer (status 0 when
  // there was none).
  static std::unique_ptr<WebSocketClient> Connect(int port, const WebSocketOptions& options,
                                                  Response* refusal = nullptr);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Waits (at most `timeout`) for a received frame that `match` accepts;
  // returns it parsed, or nullopt.
  std::optional<boost::json::object> WaitForFrame(
      const std::function<bool(const boost::json::object&)>& match,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Every text frame received so far, parsed (a non-JSON frame fails the test).
  std::vector<boost::json::object> Frames() const;
  // Waits for the connection to end.
  std::optional<WebSocketEnd> WaitForEnd(std::chrono::milliseconds timeout);
  // Waits until the server has pinged at least `count` times.
  bool WaitForPings(int count, std::chrono::milliseconds timeout);
  bool ended() const;

  void StartReading();
  // Sends a text message (fire and forget).
  void Send(std::string text);
  // Starts the closing handshake (1000).
  void Close();

 private:
  struct Impl;
  explicit WebSocketClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A frame matcher: `type` and, when given, data.task_id.
std::function<bool(const boost::json::object&)> FrameOf(std::string type,
                                                        std::optional<std::string> task_id = {});

}  // namespace taskflow::integration
