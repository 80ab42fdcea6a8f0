// Plain HTTP request/response values exchanged between the Beast transport
// (http_server.cpp) and the handlers, so handlers never include Beast.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskflow {

class ResponseStream;    // server/response_stream.hpp
class WebSocketUpgrade;  // server/live_gateway.hpp

struct HttpRequest {
  std::string method;  // "GET", "POST", …
  std::string target;  // raw request target: path plus "?query"
  std::string path;    // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, repeats kept
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // First header with this lower-case name, or empty.
  std::string_view header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return v;
    }
    return {};
  }
  bool has_header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return true;
    }
    return false;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";  // empty: no body (204)
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (ETag, Location …)
  std::string body;
  // Set: `body` is ignored and the transport writes what the stream carries,
  // chunked, until it is closed (server/response_stream.hpp).
  std::shared_ptr<ResponseStream> stream;
  // Set (status 101): the request was an admitted WebSocket upgrade; the
  // transport hands the connection to the WebSocket session (GET /ws).
  std::shared_ptr<WebSocketUpgrade> upgrade;
};

}  // namespace taskflow
