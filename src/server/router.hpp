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

class Router {
 public:
  void Add(std::string method, std::string_view pattern, Handler handler);
  // Dispatches to the matching handler (exceptions from handlers are caught
  // and answered with a 500 problem, logged).
  HttpResponse Dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" marks a capture
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace taskflow
