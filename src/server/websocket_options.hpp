// Settings of the WebSocket gateway (`GET /ws`, server/live_gateway.hpp).
#pragma once

#include <chrono>
#include <cstddef>

#include "server/outbound_queue.hpp"

namespace taskflow {

struct WebSocketOptions {
  // A ping goes out once the client has been silent this long; the
  // connection is cut when nothing (no pong) arrives within this long after
  // the ping. Checked every half interval.
  std::chrono::milliseconds ping_interval{30'000};
  std::size_t max_connections = 10'000;       // per process; beyond: 503
  std::size_t max_connections_per_user = 32;  // beyond: 429
  // Frames waiting for one connection; beyond: the connection is closed (1013).
  OutboundLimits queue;
  // A client message larger than this closes the connection (1009).
  std::size_t max_client_message_bytes = 4096;
  // After the server decides to close (slow client, stop), how long the
  // closing handshake may take before the TCP connection is cut.
  std::chrono::milliseconds close_timeout{2'000};
};

}  // namespace taskflow
