// A small blocking HTTP/1.1 client (libcurl) for the integration tests.
// Every exchange is checked against the rules that hold for all answers (JSON
// bodies, problem+json errors, never a 5xx) and appended to the contract log
// ($TASKFLOW_CONTRACT_LOG) that tests/contract/check_openapi.py validates
// against api/openapi.json.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskflow::integration {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// `path` plus the percent-encoded query string (repeats kept, in order).
std::string WithQuery(std::string_view path, const QueryParams& params);

// The documented route of a concrete path: "/api/tasks/0190…" →
// "/api/tasks/{id}". Paths outside the API come back unchanged.
std::string RouteTemplate(std::string_view path);

struct Request {
  std::string method = "GET";
  std::string target;                // path plus optional "?query"
  std::optional<std::string> token;  // sent as "Authorization: Bearer <token>"
  std::optional<std::string> body;
  std::string content_type = "application/json";  // sent with a body ("" to omit)
  std::vector<std::string> headers;               // extra raw "Name: value" lines
  // False for deliberate requests outside the documented API (an unknown
  // route, a method a path does not have): the contract check then only
  // requires a problem+json body.
  bool documented = true;
};

struct Response {
  long status = 0;
  std::string content_type;                                  // without parameters, lower-cased
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // First header with this (lower-case) name, or nullopt.
  std::optional<std::string> header(std::string_view lower_name) const;
  // The body as JSON (null, plus a test failure, if it does not parse).
  boost::json::value json() const;
  // Short description for failure messages.
  std::string Describe() const;
};

// Appends one exchange made by another client (the WebSocket handshake) to
// the contract log, as HttpClient::Send does for its own.
void RecordExchange(const Request& request, const Response& response);

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request (keeping the connection alive between calls). A
  // transport failure yields status 0 and a test failure. Not thread-safe:
  // use one client per thread.
  Response Send(const Request& request);

 private:
  std::string base_url_;
  void* curl_;  // CURL*
};

}  // namespace taskflow::integration
