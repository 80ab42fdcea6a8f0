// Maps (method, path) to a handler. Patterns are literal segments and
// "{name}" captures: "/api/tasks/{id}/complete". Unknown path: 404; known path
// with another method: 405 with an Allow header. Thread-safe after set-up.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.hpp"

namespace taskflow {

struct PathParams {
  std::vector<std::pair<std::string, std::string>> values;
  std::string_view get(std::string_view name) const {
    for (const auto& [k, v] : values) {
      if (k == name) return v;
    }
    return {};
  }
};

using Handler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

// How a route's handler spends its time, which decides where the transport
// runs it:
//   kFast        inline on the connection's I/O thread (reads: microseconds);
//   kStoreWrite  on a wide pool of threads that may wait: a write waits for
//                the single database writer, and the writes waiting together
//                share one commit (group commit), so many must be able to wait
//                at once without stalling the I/O threads;
//   kBlocking    on a small pool bounded by the cores (password hashing: tens
//                of milliseconds of CPU and 64 MiB each);
//   kExternal    on its own pool: waits on a remote service for up to a minute
//                (a chat message the LLM agent answers), so it must not hold
//                the threads writes need.
enum class RouteCost { kFast, kStoreWrite, kBlocking, kExternal };

class Router {
 public:
  void Add(std::string method, std::string_view pattern, Handler handler,
           RouteCost cost = RouteCost::kFast);

  // The outcome of matching a request: a handler with its captures, or the
  // 404/405 answer to give instead.
  struct Match {
    const Handler* handler = nullptr;  // null: answer `status`
    RouteCost cost = RouteCost::kFast;
    PathParams params;
    int status = 404;   // 404 or 405 when `handler` is null
    std::string allow;  // for 405: "GET, PATCH"
  };
  Match Resolve(std::string_view method, std::string_view path) const;

  // Runs a resolved match (exceptions from handlers are caught and answered
  // with a 500 problem, logged).
  HttpResponse Invoke(const Match& match, const HttpRequest& request) const;

  // Resolve + Invoke.
  HttpResponse Dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" marks a capture
    Handler handler;
    RouteCost cost = RouteCost::kFast;
  };
  std::vector<Route> routes_;
};

}  // namespace taskflow
