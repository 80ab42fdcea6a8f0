// The REST surface: /api routes, /health, /ready, /openapi.json, and the
// helpers the handler groups share.
#include "server/api_routes.hpp"

#include <cctype>
#include <charconv>

#include "server/handlers.hpp"

namespace taskflow {

// Generated from api/openapi.json at build time (cmake/embed_text.cmake).
extern const std::string_view kOpenApiDocument;

namespace {

std::string_view TrimOws(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE.
struct EntityTag {
  bool weak = false;
  std::string_view opaque;  // without the quotes
};

bool IsEtagChar(unsigned char c) { return c == 0x21 || (c >= 0x23 && c != 0x7F); }

// A comma-separated list of entity-tags (empty elements allowed, as #rule
// says); nullopt on any syntax error.
std::optional<std::vector<EntityTag>> ParseEntityTags(std::string_view header) {
  std::vector<EntityTag> tags;
  while (true) {
    const std::size_t comma = header.find(',');
    std::string_view item = TrimOws(header.substr(0, comma));
    if (!item.empty()) {
      EntityTag tag;
      if (item.substr(0, 2) == "W/") {
        tag.weak = true;
        item.remove_prefix(2);
      }
      if (item.size() < 2 || item.front() != '"' || item.back() != '"') return std::nullopt;
      tag.opaque = item.substr(1, item.size() - 2);
      for (char c : tag.opaque) {
        if (!IsEtagChar(static_cast<unsigned char>(c))) return std::nullopt;
      }
      tags.push_back(tag);
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (tags.empty()) return std::nullopt;
  return tags;
}

std::optional<std::int64_t> ParseVersion(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

HttpResponse Health() { return JsonResponse(200, R"({"status":"ok"})"); }

HttpResponse Ready(Store& store, const std::function<std::vector<std::string>()>& stopped_loops) {
  const bool database_ok = store.Ping();
  return ReadinessAnswer(database_ok, stopped_loops ? stopped_loops() : std::vector<std::string>{});
}

HttpResponse OpenApi() { return JsonResponse(200, std::string(kOpenApiDocument)); }

}  // namespace

HttpResponse ReadinessAnswer(bool database_ok, const std::vector<std::string>& stopped_loops) {
  if (!database_ok) return ProblemResponse(503, "the database is not reachable");
  if (!stopped_loops.empty()) {
    std::string names;
    for (const std::string& name : stopped_loops) names += (names.empty() ? "" : ", ") + name;
    return ProblemResponse(503, "background loops are not running: " + names);
  }
  return JsonResponse(200, R"({"status":"ready"})");
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse NoContent() {
  HttpResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

std::optional<HttpResponse> RejectNonJsonBody(const HttpRequest& request) {
  if (request.body.empty() || !request.has_header("content-type")) return std::nullopt;
  const std::string type = Lower(
      TrimOws(request.header("content-type").substr(0, request.header("content-type").find(';'))));
  const bool json =
      type == "application/json" || (type.starts_with("application/") && type.ends_with("+json"));
  if (json) return std::nullopt;
  return ProblemResponse(415, "the request body must be JSON (Content-Type: application/json)",
                         {FieldError{"Content-Type", "must be application/json"}});
}

bool IsIdText(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position != (text[i] == '-')) return false;
    if (!dash_position && !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::optional<IfMatch> ParseIfMatch(const HttpRequest& request) {
  if (!request.has_header("if-match")) return IfMatch{};
  const std::string_view header = TrimOws(request.header("if-match"));
  if (header == "*") return IfMatch{};
  const auto tags = ParseEntityTags(header);
  if (!tags) return std::nullopt;
  IfMatch if_match;
  if_match.check = true;
  for (const EntityTag& tag : *tags) {
    // Strong comparison: a weak tag never matches; a non-numeric one names no version.
    if (tag.weak) continue;
    if (auto version = ParseVersion(tag.opaque)) if_match.versions.push_back(*version);
  }
  return if_match;
}

bool IfNoneMatchHolds(const HttpRequest& request, std::int64_t version) {
  if (!request.has_header("if-none-match")) return false;
  const std::string_view header = TrimOws(request.header("if-none-match"));
  if (header == "*") return true;
  const auto tags = ParseEntityTags(header);
  if (!tags) return false;
  for (const EntityTag& tag : *tags) {
    if (ParseVersion(tag.opaque) == version) return true;
  }
  return false;
}

void RegisterApiRoutes(Router& router, ApiServices services) {
  router.Add("GET", "/health", [](const HttpRequest&, const PathParams&) { return Health(); });
  Store& store = services.store;
  router.Add("GET", "/ready",
             [&store, stopped_loops = services.stopped_loops](
                 const HttpRequest&, const PathParams&) { return Ready(store, stopped_loops); });
  router.Add("GET", "/openapi.json",
             [](const HttpRequest&, const PathParams&) { return OpenApi(); });
  if (!services.api_routes) return;
  RegisterAuthRoutes(router, services);
  RegisterTaskRoutes(router, services);
  RegisterTagRoutes(router, services);
  RegisterEventRoutes(router, services);
  if (services.chat != nullptr) RegisterChatRoutes(router, services);
}

}  // namespace taskflow
