#include "server/router.hpp"

#include <algorithm>
#include <array>
#include <exception>

#include "adapters/system/logging.hpp"
#include "server/problem.hpp"

namespace taskflow {
namespace {

// Paths deeper than this match no route; a fixed array keeps matching free of
// allocations on the hot path.
constexpr std::size_t kMaxSegments = 8;

struct Segments {
  std::array<std::string_view, kMaxSegments> items;
  std::size_t count = 0;
  bool too_deep = false;
};

// "/api/tasks/1" → {"api", "tasks", "1"}; "/" → {""}.
Segments SplitPath(std::string_view path) {
  Segments out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const std::size_t slash = path.find('/');
    if (out.count == kMaxSegments) {
      out.too_deep = true;
      return out;
    }
    out.items[out.count++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

bool IsCapture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string> SplitPattern(std::string_view pattern) {
  const Segments split = SplitPath(pattern);
  return {split.items.begin(), split.items.begin() + static_cast<std::ptrdiff_t>(split.count)};
}

bool PathMatches(const std::vector<std::string>& pattern, const Segments& path) {
  if (pattern.size() != path.count) return false;
  for (std::size_t i = 0; i < path.count; ++i) {
    if (IsCapture(pattern[i]) ? path.items[i].empty() : pattern[i] != path.items[i]) return false;
  }
  return true;
}

}  // namespace

void Router::Add(std::string method, std::string_view pattern, Handler handler, RouteCost cost) {
  routes_.push_back(Route{std::move(method), SplitPattern(pattern), std::move(handler), cost});
}

Router::Match Router::Resolve(std::string_view method, std::string_view path) const {
  Match match;
  const Segments segments = SplitPath(path);
  if (segments.too_deep) return match;
  std::vector<std::string_view> allowed;
  for (const Route& route : routes_) {
    if (!PathMatches(route.segments, segments)) continue;
    if (route.method != method) {
      allowed.push_back(route.method);
      continue;
    }
    match.handler = &route.handler;
    match.cost = route.cost;
    for (std::size_t i = 0; i < segments.count; ++i) {
      const std::string& part = route.segments[i];
      if (IsCapture(part)) {
        match.params.values.emplace_back(part.substr(1, part.size() - 2), segments.items[i]);
      }
    }
    return match;
  }
  if (!allowed.empty()) {
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    match.status = 405;
    for (std::string_view m : allowed) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += m;
    }
  }
  return match;
}

HttpResponse Router::Invoke(const Match& match, const HttpRequest& request) const {
  if (match.handler == nullptr) {
    if (match.status == 405) {
      HttpResponse response = ProblemResponse(
          405, "method " + request.method + " is not allowed here; allowed: " + match.allow);
      response.headers.emplace_back("Allow", match.allow);
      return response;
    }
    return ProblemResponse(404, "no resource at this path");
  }
  try {
    return (*match.handler)(request, match.params);
  } catch (const std::exception& e) {
    log::Error("handler failed", {{"path", request.path}, {"error", e.what()}});
  } catch (...) {
    log::Error("handler failed", {{"path", request.path}, {"error", "unknown exception"}});
  }
  return ProblemResponse(500, "an internal error occurred; it has been logged");
}

HttpResponse Router::Dispatch(const HttpRequest& request) const {
  return Invoke(Resolve(request.method, request.path), request);
}

}  // namespace taskflow
