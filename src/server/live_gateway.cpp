#include "server/live_gateway.hpp"

#include <algorithm>
#include <cctype>

#include "adapters/system/logging.hpp"
#include "domain/text.hpp"
#include "server/handlers.hpp"
#include "server/problem.hpp"

namespace taskflow {
namespace {

// True when the comma-separated header lists `token` (RFC 9110 §5.6.1), any case.
bool ListsToken(std::string_view header, std::string_view token) {
  while (true) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (EqualsIgnoreAsciiCase(item, token)) return true;
    if (comma == std::string_view::npos) return false;
    header.remove_prefix(comma + 1);
  }
}

// A Sec-WebSocket-Key is the base64 of 16 bytes: 22 characters and "==".
bool IsWebSocketKey(std::string_view key) {
  if (key.size() != 24 || !key.ends_with("==")) return false;
  for (char c : key.substr(0, 22)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return true;
}

HttpResponse UpgradeRequired(std::string_view detail, std::string_view field) {
  HttpResponse response = ProblemResponse(
      426, detail, {FieldError{std::string(field), "must be set for a WebSocket upgrade"}});
  response.headers.emplace_back("Upgrade", "websocket");
  response.headers.emplace_back("Connection", "Upgrade");
  response.headers.emplace_back("Sec-WebSocket-Version", "13");
  return response;
}

// Browsers cannot set headers on a WebSocket: the token may come as ?token=.
std::optional<std::string_view> TokenOf(const HttpRequest& request) {
  if (request.has_header("authorization")) return BearerToken(request.header("authorization"));
  for (const auto& [name, value] : request.query) {
    if (name == "token" && !value.empty()) return std::string_view(value);
  }
  return std::nullopt;
}

// Beyond any real token's life, and far inside the steady clock's range.
constexpr std::chrono::milliseconds kLongestTokenLife = std::chrono::hours(24 * 365 * 10);

}  // namespace

std::string LiveFrame(std::string_view type, std::string_view event) {
  std::string frame;
  frame.reserve(event.size() + type.size() + 20);
  frame += R"({"type":")";
  frame += type;  // one of our constants: nothing to escape
  frame += R"(","data":)";
  frame += event;
  frame += '}';
  return frame;
}

std::optional<HttpResponse> CheckWebSocketHandshake(const HttpRequest& request) {
  if (!ListsToken(request.header("upgrade"), "websocket")) {
    return UpgradeRequired("GET /ws opens a WebSocket: send Upgrade: websocket", "Upgrade");
  }
  if (!ListsToken(request.header("connection"), "upgrade")) {
    return UpgradeRequired("a WebSocket upgrade needs Connection: Upgrade", "Connection");
  }
  if (request.header("sec-websocket-version") != "13") {
    HttpResponse response = ProblemResponse(426, "only WebSocket version 13 (RFC 6455) is spoken",
                                            {FieldError{"Sec-WebSocket-Version", "must be 13"}});
    // RFC 9110 §15.5.22: a 426 names the protocol to upgrade to.
    response.headers.emplace_back("Upgrade", "websocket");
    response.headers.emplace_back("Connection", "Upgrade");
    response.headers.emplace_back("Sec-WebSocket-Version", "13");
    return response;
  }
  if (!IsWebSocketKey(request.header("sec-websocket-key"))) {
    return ProblemResponse(400, "the WebSocket handshake needs a valid key",
                           {FieldError{"Sec-WebSocket-Key", "must be the base64 of 16 bytes"}});
  }
  return std::nullopt;
}

WebSocketUpgrade::WebSocketUpgrade(LiveGateway& gateway, std::string user_id,
                                   std::chrono::steady_clock::time_point token_expiry)
    : gateway_(gateway), user_id_(std::move(user_id)), token_expiry_(token_expiry) {}

WebSocketUpgrade::~WebSocketUpgrade() { gateway_.Release(user_id_); }

LiveGateway::LiveGateway(WebSocketOptions options, AccountService& accounts,
                         LiveSubscriptions* live)
    : options_(options), accounts_(accounts), live_(live) {}

void LiveGateway::RegisterRoute(Router& router) {
  router.Add("GET", "/ws",
             [this](const HttpRequest& request, const PathParams&) { return Admit(request); });
}

HttpResponse LiveGateway::Admit(const HttpRequest& request) {
  if (live_ == nullptr) {
    return ProblemResponse(404,
                           "this process does not serve /ws: connect to one that runs the "
                           "realtime role");
  }
  const std::optional<std::string_view> token = TokenOf(request);
  if (!token) {
    return Unauthenticated(
        "a bearer token is required (Authorization header or token query parameter)",
        /*token_presented=*/false);
  }
  Result<Authentication> caller = accounts_.AuthenticateWithExpiry(*token);
  if (!caller.ok()) {
    if (caller.error().code != ErrorCode::kUnauthenticated) return ErrorResponse(caller.error());
    return Unauthenticated(caller.error().message, /*token_presented=*/true);
  }
  std::string& user_id = caller->user_id;
  if (std::optional<HttpResponse> refused = CheckWebSocketHandshake(request)) return *refused;

  std::unique_lock lock(mutex_);
  if (stopping_) return ProblemResponse(503, "the server is stopping");
  if (admitted_ >= options_.max_connections) {
    lock.unlock();
    log::Warn("refused a WebSocket: the process is at its connection cap",
              {{"max_connections", static_cast<long long>(options_.max_connections)}});
    HttpResponse response =
        ProblemResponse(503, "this process holds its most WebSocket connections (" +
                                 std::to_string(options_.max_connections) + "); try again later");
    response.headers.emplace_back("Retry-After", "5");
    return response;
  }
  std::size_t& of_user = per_user_[user_id];
  if (of_user >= options_.max_connections_per_user) {
    if (of_user == 0) per_user_.erase(user_id);
    HttpResponse response =
        ProblemResponse(429, "you have " + std::to_string(of_user) +
                                 " live connections, the most allowed; close one first");
    response.headers.emplace_back("Retry-After", "5");
    return response;
  }
  ++of_user;
  ++admitted_;
  lock.unlock();
  HttpResponse response;
  response.status = 101;
  response.content_type.clear();
  // The session times the expiry on the steady clock: what is left of the
  // token's life by the clock that checked it, from now. Capped: a foreign
  // issuer may set an `exp` centuries ahead, past what the steady clock's
  // nanoseconds can count.
  const auto life_left = std::min<std::chrono::milliseconds>(
      caller->expires_at - caller->checked_at, kLongestTokenLife);
  const auto token_expiry = std::chrono::steady_clock::now() + life_left;
  response.upgrade = std::make_shared<WebSocketUpgrade>(*this, std::move(user_id), token_expiry);
  return response;
}

void LiveGateway::Release(const std::string& user_id) {
  std::lock_guard lock(mutex_);
  --admitted_;
  const auto of_user = per_user_.find(user_id);
  if (of_user != per_user_.end() && --of_user->second == 0) per_user_.erase(of_user);
  if (admitted_ == 0) idle_.notify_all();
}

bool LiveGateway::Register(LiveConnection* connection) {
  std::lock_guard lock(mutex_);
  connections_.insert(connection);
  return !stopping_;
}

void LiveGateway::Unregister(LiveConnection* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
}

void LiveGateway::GoAwayAll() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  // GoAway only posts to the connection's thread: safe under our lock.
  for (LiveConnection* connection : connections_) connection->GoAway();
}

bool LiveGateway::WaitUntilIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return idle_.wait_until(lock, deadline, [this] { return admitted_ == 0; });
}

void LiveGateway::DetachAll() {
  std::lock_guard lock(mutex_);
  for (LiveConnection* connection : connections_) connection->Detach();
}

std::size_t LiveGateway::admitted() const {
  std::lock_guard lock(mutex_);
  return admitted_;
}

}  // namespace taskflow
