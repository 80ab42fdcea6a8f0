#include "server/mcp/http_endpoint.hpp"

#include <boost/json/serialize.hpp>
#include <cctype>

#include "server/handlers.hpp"
#include "server/response_stream.hpp"

namespace taskflow::mcp {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kEventStream = "text/event-stream";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Transport-level failures carry a JSON-RPC error with a null id, as MCP's
// reference servers answer them.
HttpResponse RpcHttpError(int status, int code, std::string_view message) {
  return JsonResponse(status, json::serialize(MakeError(nullptr, code, message)));
}

// The server's own address as the client sees it (Host has been validated).
std::string Origin(const HttpRequest& request) {
  const bool https = request.header("x-forwarded-proto") == "https";
  return (https ? "https://" : "http://") + std::string(request.header("host"));
}

std::string MetadataUrl(const HttpRequest& request) {
  return Origin(request) + "/.well-known/oauth-protected-resource/mcp";
}

HttpResponse Unauthorized(const HttpRequest& request, std::string_view why) {
  HttpResponse response = RpcHttpError(401, -32001, std::string("unauthorized: ") + std::string(why));
  response.headers.emplace_back(
      "WWW-Authenticate",
      "Bearer realm=\"taskflow\", error=\"invalid_token\", error_description=\"" +
          std::string(why) + "\", resource_metadata=\"" + MetadataUrl(request) + "\"");
  return response;
}

// RFC 9728: how to present credentials to /mcp.
HttpResponse ProtectedResourceMetadata(const HttpRequest& request) {
  return JsonResponse(200, json::serialize(json::object{
                               {"resource", Origin(request) + "/mcp"},
                               {"bearer_methods_supported", json::array{"header"}},
                               {"resource_name", "Taskflow"}}));
}

// "example.com:8080" → "example.com", "[::1]:80" → "[::1]".
std::string HostName(std::string_view host) {
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    return Lower(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
  }
  return Lower(host.substr(0, host.find(':')));
}

// Whether a media range list (an Accept header) admits `type`. No header, or
// */*, admits anything.
bool Accepts(const HttpRequest& request, std::string_view type) {
  if (!request.has_header("accept")) return true;
  const std::string accept = Lower(request.header("accept"));
  if (accept.find("*/*") != std::string::npos) return true;
  if (accept.find(type) != std::string::npos) return true;
  const std::string family = std::string(type.substr(0, type.find('/'))) + "/*";
  return accept.find(family) != std::string::npos;
}

std::string SseEvent(const json::object& message) {
  return "event: message\ndata: " + json::serialize(message) + "\n\n";
}

}  // namespace

HttpEndpoint::HttpEndpoint(const Protocol& protocol, AccountService& accounts,
                           HttpEndpointOptions options)
    : protocol_(protocol), accounts_(accounts), options_(std::move(options)) {}

void HttpEndpoint::Register(Router& router) {
  router.Add("POST", "/mcp", [this](const HttpRequest& request, const PathParams&) { return Post(request); });
  router.Add("GET", "/mcp", [this](const HttpRequest& request, const PathParams&) { return Get(request); });
  router.Add("DELETE", "/mcp",
             [this](const HttpRequest& request, const PathParams&) { return Delete(request); });
  for (std::string_view path :
       {"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"}) {
    router.Add("GET", path, [this](const HttpRequest& request, const PathParams&) {
      if (!HostAllowed(request)) {
        return RpcHttpError(403, -32000, "forbidden: the Host or Origin header names another site");
      }
      return ProtectedResourceMetadata(request);
    });
  }
}

bool HttpEndpoint::HostAllowed(const HttpRequest& request) const {
  auto allowed = [this](const std::string& name) {
    if (name == "localhost" || name == "127.0.0.1" || name == "[::1]") return true;
    for (const std::string& host : options_.allowed_hosts) {
      if (name == host) return true;
    }
    return false;
  };
  if (!allowed(HostName(request.header("host")))) return false;
  if (request.has_header("origin")) {
    const std::string_view origin = request.header("origin");
    const std::size_t scheme = origin.find("://");
    if (scheme == std::string_view::npos) return false;  // "null" and the like
    std::string_view authority = origin.substr(scheme + 3);
    authority = authority.substr(0, authority.find('/'));
    if (!allowed(HostName(authority))) return false;
  }
  return true;
}

std::variant<std::string, HttpResponse> HttpEndpoint::Admit(const HttpRequest& request) const {
  if (!HostAllowed(request)) {
    return RpcHttpError(403, -32000, "forbidden: the Host or Origin header names another site");
  }
  if (!request.has_header("authorization") && options_.local_user) {
    Result<std::string> user = options_.local_user();
    if (!user.ok()) return Unauthorized(request, user.error().message);
    return *user;
  }
  const std::optional<std::string_view> token = BearerToken(request.header("authorization"));
  if (!token) return Unauthorized(request, "a bearer token is required");
  Result<std::string> user = accounts_.Authenticate(*token);
  if (!user.ok()) {
    if (user.error().code != ErrorCode::kUnauthenticated) return ErrorResponse(user.error());
    return Unauthorized(request, "the token is invalid or expired");
  }
  return *user;
}

std::variant<std::shared_ptr<Session>, HttpResponse> HttpEndpoint::FindSession(
    const HttpRequest& request, const std::string& user_id) {
  if (request.has_header("mcp-protocol-version") &&
      !IsSupportedProtocolVersion(request.header("mcp-protocol-version"))) {
    return RpcHttpError(400, -32000,
                        "bad request: unsupported MCP-Protocol-Version " +
                            std::string(request.header("mcp-protocol-version")) +
                            " (supported: 2025-11-25, 2025-06-18, 2025-03-26)");
  }
  if (!request.has_header("mcp-session-id")) {
    return RpcHttpError(400, -32000, "bad request: the MCP-Session-Id header is required");
  }
  std::shared_ptr<Session> session = sessions_.Find(request.header("mcp-session-id"), user_id);
  if (!session) return RpcHttpError(404, -32001, "session not found");
  return session;
}

HttpResponse HttpEndpoint::Post(const HttpRequest& request) {
  auto admitted = Admit(request);
  if (auto* answer = std::get_if<HttpResponse>(&admitted)) return std::move(*answer);
  const std::string& user_id = std::get<std::string>(admitted);
  if (!Accepts(request, kJson) && !Accepts(request, kEventStream)) {
    return RpcHttpError(406, -32000,
                        "not acceptable: the client must accept application/json and "
                        "text/event-stream");
  }
  const std::string content_type = Lower(request.header("content-type"));
  if (!content_type.starts_with(kJson)) {
    return RpcHttpError(415, -32000, "unsupported media type: the body must be application/json");
  }
  ReadResult read = ReadMessage(request.body);
  if (auto* failure = std::get_if<RpcFailure>(&read)) {
    return JsonResponse(400, json::serialize(MakeError(failure->id, failure->code, failure->message)));
  }
  const RpcMessage& message = std::get<RpcMessage>(read);

  std::shared_ptr<Session> session;
  std::vector<std::pair<std::string, std::string>> headers;
  if (message.kind == RpcMessage::Kind::kRequest && message.method == "initialize") {
    session = sessions_.Create(user_id, Protocol::NegotiateVersion(message.params));
    headers.emplace_back("MCP-Session-Id", session->id());
  } else {
    auto found = FindSession(request, user_id);
    if (auto* answer = std::get_if<HttpResponse>(&found)) return std::move(*answer);
    session = std::get<std::shared_ptr<Session>>(found);
  }

  if (message.kind != RpcMessage::Kind::kRequest) {
    protocol_.Handle(message, *session, nullptr);
    HttpResponse accepted;
    accepted.status = 202;
    accepted.content_type.clear();
    accepted.headers = std::move(headers);
    return accepted;
  }

  // SSE when the client takes it: notifications raised by the call travel
  // before the answer, on the same stream, and the stream ends with it.
  const bool sse = request.has_header("accept") && Accepts(request, kEventStream) &&
                   Lower(request.header("accept")).find(kEventStream) != std::string::npos;
  std::string events;
  const Notifier notify = [&events, sse](const json::object& notification) {
    if (sse) events += SseEvent(notification);
  };
  std::optional<json::object> answer = protocol_.Handle(message, *session, notify);
  HttpResponse response;
  response.headers = std::move(headers);
  if (sse) {
    response.content_type = std::string(kEventStream);
    response.body = std::move(events) + SseEvent(*answer);
  } else {
    response.body = json::serialize(*answer);
  }
  return response;
}

HttpResponse HttpEndpoint::Get(const HttpRequest& request) {
  auto admitted = Admit(request);
  if (auto* answer = std::get_if<HttpResponse>(&admitted)) return std::move(*answer);
  const std::string& user_id = std::get<std::string>(admitted);
  if (!request.has_header("accept") ||
      Lower(request.header("accept")).find(kEventStream) == std::string::npos) {
    return RpcHttpError(406, -32000, "not acceptable: GET /mcp answers text/event-stream only");
  }
  auto found = FindSession(request, user_id);
  if (auto* answer = std::get_if<HttpResponse>(&found)) return std::move(*answer);
  std::shared_ptr<Session> session = std::get<std::shared_ptr<Session>>(found);
  auto stream = std::make_shared<ResponseStream>(": keep-alive\n\n");
  // The first bytes let the client know the stream is open before any event.
  stream->Send(": stream open\n\n");
  session->AddStream(stream);
  HttpResponse response;
  response.content_type = std::string(kEventStream);
  response.stream = std::move(stream);
  return response;
}

HttpResponse HttpEndpoint::Delete(const HttpRequest& request) {
  auto admitted = Admit(request);
  if (auto* answer = std::get_if<HttpResponse>(&admitted)) return std::move(*answer);
  const std::string& user_id = std::get<std::string>(admitted);
  auto found = FindSession(request, user_id);
  if (auto* answer = std::get_if<HttpResponse>(&found)) return std::move(*answer);
  sessions_.Remove(std::get<std::shared_ptr<Session>>(found)->id(), user_id);
  return NoContent();
}

}  // namespace taskflow::mcp
