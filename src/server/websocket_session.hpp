// The Beast side of `GET /ws`: runs one WebSocket connection whose upgrade
// request the gateway admitted (server/live_gateway.hpp). Only
// websocket_session.cpp sees Beast; the transport hands over the socket as a
// native descriptor so that no Asio type appears in a header.
#pragma once

#include <memory>

#include "server/http_types.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace taskflow {

class WebSocketUpgrade;

// Takes ownership of `native_socket` (a connected TCP socket, no longer
// watched by any Asio object), answers the handshake of `request` with 101 on
// `context`, then pushes the user's frames until the client, the gateway
// (server stop: 1001) or a limit (slow client: 1013; large message: 1009;
// no pong: cut) ends it. Returns at once.
void StartWebSocketSession(boost::asio::io_context& context, int native_socket,
                           const HttpRequest& request, std::shared_ptr<WebSocketUpgrade> upgrade);

}  // namespace taskflow
