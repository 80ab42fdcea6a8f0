// The Beast transport: the only translation unit that sees Beast or Asio.
//
// Threads: `options.threads` workers run one io_context; every connection is a
// coroutine on its own strand. Handlers run inline on the worker (they are
// short: a JWT check and one SQLite statement), except routes marked
// RouteCost::kBlocking (password hashing), which run on a small separate pool.
// No exception leaves a coroutine or a thread: each boundary catches and logs.
#include "server/http_server.hpp"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/pct_string_view.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "adapters/system/logging.hpp"
#include "server/api_routes.hpp"
#include "server/problem.hpp"
#include "server/router.hpp"

namespace taskflow {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace urls = boost::urls;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

constexpr auto kIdleTimeout = std::chrono::seconds(60);   // between requests
constexpr auto kIoTimeout = std::chrono::seconds(30);     // rest of a request; a response
constexpr auto kLingerTimeout = std::chrono::seconds(2);  // draining after an error answer
constexpr auto kStopGrace = std::chrono::seconds(5);      // in-flight requests at Stop()
constexpr std::uint32_t kHeaderLimit = 16 * 1024;         // request line + headers
constexpr std::size_t kLingerMaxBytes = 4 << 20;
constexpr std::size_t kKeptBufferBytes = 64 << 10;

using BeastRequest = http::request<http::string_body>;

// ---- Request conversion ----

// Percent-decodes `text` into `out` (with '+' as space in queries); false on
// a malformed escape.
bool PercentDecode(std::string_view text, bool plus_as_space, std::string& out) {
  if (text.find('%') == std::string_view::npos &&
      (!plus_as_space || text.find('+') == std::string_view::npos)) {
    out.assign(text);  // the common case: nothing to decode
    return true;
  }
  auto encoded = urls::make_pct_string_view(urls::string_view(text.data(), text.size()));
  if (!encoded) return false;
  encoded->decode(urls::encoding_opts(plus_as_space), urls::string_token::assign_to(out));
  return true;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "a=1&b=x%20y&a=2" → decoded pairs in order, repeats kept. A parameter with a
// malformed escape is named in a 400 problem.
std::optional<HttpResponse> ParseQuery(std::string_view query,
                                       std::vector<std::pair<std::string, std::string>>& out) {
  std::vector<FieldError> errors;
  while (true) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      const std::string_view raw_key = part.substr(0, eq);
      const std::string_view raw_value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
      std::string key;
      std::string value;
      const bool key_ok = PercentDecode(raw_key, true, key);
      if (key_ok && PercentDecode(raw_value, true, value)) {
        out.emplace_back(std::move(key), std::move(value));
      } else {
        errors.push_back({key_ok ? key : std::string(raw_key), "has invalid percent-encoding"});
      }
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  if (errors.empty()) return std::nullopt;
  return ProblemResponse(400, "the query string has invalid percent-encoding", errors);
}

// The path-and-query of a request target: origin-form as is; absolute-form
// ("http://host/path?q", RFC 9112 §3.2.2) without its scheme and authority.
// Empty for anything else ("*", authority-form).
std::string_view OriginForm(std::string_view target) {
  if (target.starts_with('/')) return target;
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::size_t path = target.find('/', scheme_end + 3);
  if (path == std::string_view::npos || target.find('?', scheme_end + 3) < path) return {};
  return target.substr(path);
}

// Moves the parsed Beast message into the handlers' plain request; a 400
// answer when the target cannot be decoded.
std::optional<HttpResponse> ToHttpRequest(BeastRequest& in, HttpRequest& out) {
  out.method.assign(in.method_string());
  const std::string_view target = OriginForm(in.target());
  out.target.assign(in.target());
  if (target.empty()) {
    return ProblemResponse(400, "the request target must be an absolute path",
                           {FieldError{"path", "must start with /"}});
  }
  const std::size_t question = target.find('?');
  if (!PercentDecode(target.substr(0, question), false, out.path)) {
    return ProblemResponse(400, "the path has invalid percent-encoding",
                           {FieldError{"path", "has invalid percent-encoding"}});
  }
  if (question != std::string_view::npos) {
    if (auto problem = ParseQuery(target.substr(question + 1), out.query)) return problem;
  }
  for (const auto& field : in) {
    out.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(in.body());
  return std::nullopt;
}

// ---- Response serialisation ----

// RFC 9110 §6.6.1 Date, formatted once per second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[64];
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    length = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached_second = now;
  }
  return {text, length};
}

void AppendNumber(std::string& out, std::size_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// The status line and headers, written by hand: cheaper than building a
// Beast header (one allocation per field) for every answer.
void AppendHead(std::string& out, const HttpResponse& response, bool keep_alive, unsigned version) {
  out += "HTTP/1.1 ";
  AppendNumber(out, static_cast<std::size_t>(response.status));
  out += ' ';
  out += http::obsolete_reason(http::int_to_status(static_cast<unsigned>(response.status)));
  out += "\r\nServer: taskflow\r\nDate: ";
  out += HttpDate();
  out += "\r\n";
  if (!response.content_type.empty()) {
    out += "Content-Type: ";
    out += response.content_type;
    out += "\r\n";
  }
  // RFC 9110 §8.6: no Content-Length on 204 (and 304 describes the resource).
  if (response.status != 204 && response.status != 304) {
    out += "Content-Length: ";
    AppendNumber(out, response.body.size());
    out += "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (version == 10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
}

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

void LogException(std::string_view where, const std::exception_ptr& error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    log::Error(where, {{"error", e.what()}});
  } catch (...) {
    log::Error(where, {{"error", "unknown exception"}});
  }
}

}  // namespace

// ---- Server state ----

// Named (not anonymous) because HttpServer::Impl derives from ServerCore.
namespace transport {

class Connection;

// Everything the connections share; HttpServer::Impl is this.
struct ServerCore {
  ServerCore(ServerOptions opts, ApiServices services)
      : options(std::move(opts)),
        thread_count(options.threads > 0
                         ? options.threads
                         : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
        ioc(thread_count),
        blocking(static_cast<std::size_t>(thread_count)) {
    RegisterApiRoutes(router, services);
  }

  asio::awaitable<void> Accept();
  void RunWorker();

  // Declaration order is destruction order in reverse: connections unregister
  // themselves when the io_context destroys their pending coroutines, so the
  // registry must outlive it; the blocking pool posts into the io_context, so
  // it must go first.
  ServerOptions options;
  int thread_count;
  Router router;
  std::mutex connections_mutex;
  std::condition_variable connections_empty;
  std::unordered_set<Connection*> connections;  // guarded by connections_mutex
  std::atomic<bool> stopping{false};

  asio::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  asio::thread_pool blocking;
  std::vector<std::thread> workers;
  std::uint16_t port = 0;

  std::mutex lifecycle_mutex;
  bool started = false;
  bool stopped = false;
};

// One keep-alive connection: reads requests one after another, answers each.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ServerCore& server) : stream_(std::move(socket)), server_(server) {
    std::lock_guard lock(server_.connections_mutex);
    server_.connections.insert(this);
  }
  ~Connection() {
    std::lock_guard lock(server_.connections_mutex);
    server_.connections.erase(this);
    if (server_.connections.empty()) server_.connections_empty.notify_all();
  }

  asio::any_io_executor executor() { return stream_.get_executor(); }

  asio::awaitable<void> Run() {
    auto self = shared_from_this();  // the coroutine keeps the connection alive
    try {
      co_await Serve();
    } catch (...) {
      LogException("connection failed", std::current_exception());
    }
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  // At Stop(), on the connection's strand: a connection still reading (its
  // next request, or the rest of one) is closed now; one whose request is
  // being handled or answered finishes it first.
  void Interrupt() {
    if (reading_) stream_.cancel();
  }

 private:
  asio::awaitable<void> Serve() {
    while (!server_.stopping) {
      const bool request_read = co_await ReadRequest();
      if (!request_read) co_return;
      const bool keep_going = co_await Answer(parser_->get());
      if (!keep_going) co_return;
      // A large body grew the buffer: give the memory back between requests.
      if (buffer_.size() == 0 && buffer_.capacity() > kKeptBufferBytes) buffer_.shrink_to_fit();
    }
  }

  // Reads the next request into parser_; false when the connection is done
  // (closed, idle too long, or refused with an error answer).
  asio::awaitable<bool> ReadRequest() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(kHeaderLimit);
    reading_ = true;
    stream_.expires_after(kIdleTimeout);
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, *parser_, kNoThrow);
    bool complete = !ec;
    if (complete && !parser_->is_done()) complete = co_await ReadBody();
    reading_ = false;
    if (ec) co_await AnswerReadError(ec);
    co_return complete;
  }

  // Dispatches one request and writes the answer; false when the connection
  // is to close afterwards.
  asio::awaitable<bool> Answer(BeastRequest& message) {
    const bool keep_alive = message.keep_alive() && !server_.stopping;
    const unsigned version = message.version();
    const auto started = std::chrono::steady_clock::now();
    // HEAD is GET without the body (RFC 9110 §9.3.2).
    const bool send_body = message.method() != http::verb::head;
    HttpRequest request;
    HttpResponse response;
    // (No co_await inside a conditional expression: GCC 12 miscompiles it.)
    if (std::optional<HttpResponse> early = ToHttpRequest(message, request)) {
      response = std::move(*early);
    } else {
      if (!send_body) request.method = "GET";
      response = co_await Dispatch(request);
    }
    const bool written = co_await Write(response, keep_alive, version, send_body);
    LogAccess(request, response.status, started);
    co_return written&& keep_alive;
  }

  // The body after the header; answers "100 Continue" first when the client
  // waits for it (curl does for large bodies).
  asio::awaitable<bool> ReadBody() {
    stream_.expires_after(kIoTimeout);
    const auto expect = parser_->get().find(http::field::expect);
    if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), kNoThrow);
      if (ec) co_return false;
    }
    auto [ec, n] = co_await http::async_read(stream_, buffer_, *parser_, kNoThrow);
    if (ec) {
      co_await AnswerReadError(ec);
      co_return false;
    }
    co_return true;
  }

  asio::awaitable<HttpResponse> Dispatch(const HttpRequest& request) {
    const Router& router = server_.router;
    Router::Match match = router.Resolve(request.method, request.path);
    if (match.handler == nullptr || match.cost == RouteCost::kFast) {
      co_return router.Invoke(match, request);
    }
    co_return co_await asio::co_spawn(
        server_.blocking.get_executor(),
        [&]() -> asio::awaitable<HttpResponse> { co_return router.Invoke(match, request); },
        use_awaitable);
  }

  asio::awaitable<bool> Write(const HttpResponse& response, bool keep_alive, unsigned version,
                              bool send_body = true) {
    head_.clear();
    AppendHead(head_, response, keep_alive, version);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_), send_body ? asio::buffer(response.body) : asio::const_buffer()};
    stream_.expires_after(kIoTimeout);
    auto [ec, n] = co_await asio::async_write(stream_, buffers, kNoThrow);
    co_return !ec;
  }

  // A read that failed: a closed or idle connection just ends; a request the
  // parser refused gets a problem answer, then the connection closes.
  asio::awaitable<void> AnswerReadError(beast::error_code ec) {
    std::optional<HttpResponse> answer;
    if (ec == http::error::body_limit) {
      answer = ProblemResponse(413, "the request body is larger than " +
                                        std::to_string(server_.options.body_limit) + " bytes");
    } else if (ec == http::error::header_limit) {
      answer = ProblemResponse(431, "the request header is too large");
    } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      answer = ProblemResponse(400, "malformed HTTP request: " + ec.message());
    }
    if (!answer) co_return;
    const bool written = co_await Write(*answer, /*keep_alive=*/false, 11);
    if (written) co_await Linger();
  }

  // Reads and drops what the client is still sending, so that closing the
  // socket does not reset the connection before the client reads our answer.
  asio::awaitable<void> Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTimeout);
    std::array<char, 8192> scratch;
    std::size_t drained = 0;
    while (drained < kLingerMaxBytes) {
      auto [read_error, n] = co_await stream_.async_read_some(asio::buffer(scratch), kNoThrow);
      if (read_error) break;
      drained += n;
    }
  }

  void LogAccess(const HttpRequest& request, int status,
                 std::chrono::steady_clock::time_point started) {
    if (!log::Enabled(log::Level::kDebug)) return;
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    log::Debug("request", {{"method", request.method},
                           {"path", request.path},
                           {"status", status},
                           {"duration_us", static_cast<long long>(elapsed.count())}});
  }

  beast::tcp_stream stream_;
  ServerCore& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_;      // reused across responses
  bool reading_ = false;  // reading a request; touched on the strand only
};

asio::awaitable<void> ServerCore::Accept() {
  while (!stopping) {
    // Each connection gets its own strand: one io_context, many threads.
    asio::any_io_executor strand = asio::make_strand(ioc);
    auto [ec, socket] = co_await acceptor->async_accept(strand, kNoThrow);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      log::Warn("accept failed", {{"error", ec.message()}});
      // Out of descriptors and the like: back off instead of spinning.
      asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    beast::error_code option_error;
    socket.set_option(tcp::no_delay(true), option_error);
    auto connection = std::make_shared<Connection>(std::move(socket), *this);
    asio::co_spawn(connection->executor(), connection->Run(),
                   [](std::exception_ptr error) { LogException("connection failed", error); });
  }
}

void ServerCore::RunWorker() {
  while (true) {
    try {
      ioc.run();
      return;
    } catch (...) {
      LogException("worker caught an exception", std::current_exception());
    }
  }
}

}  // namespace transport

// ---- HttpServer ----

struct HttpServer::Impl : transport::ServerCore {
  using transport::ServerCore::ServerCore;
};

HttpServer::HttpServer(ServerOptions options, ApiServices services)
    : impl_(std::make_unique<Impl>(std::move(options), services)) {}

HttpServer::~HttpServer() { Stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }

Status HttpServer::Start() {
  std::lock_guard lifecycle(impl_->lifecycle_mutex);
  if (impl_->started) return {};
  Impl& s = *impl_;
  beast::error_code ec;
  tcp::endpoint endpoint;
  const asio::ip::address address = asio::ip::make_address(s.options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, s.options.port);
  } else {
    // A host name ("localhost"): listen on its first address.
    tcp::resolver resolver(s.ioc);
    auto results = resolver.resolve(s.options.host, std::to_string(s.options.port), ec);
    if (ec || results.empty()) {
      return Error::Unavailable("cannot resolve listen host " + s.options.host);
    }
    endpoint = results.begin()->endpoint();
  }
  s.acceptor.emplace(s.ioc);
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Unavailable("cannot listen on " + FormatEndpoint(endpoint) + ": " + ec.message());
  }
  const tcp::endpoint bound = s.acceptor->local_endpoint(ec);
  s.port = bound.port();
  asio::co_spawn(s.ioc, s.Accept(),
                 [](std::exception_ptr error) { LogException("accept loop failed", error); });
  s.workers.reserve(static_cast<std::size_t>(s.thread_count));
  for (int i = 0; i < s.thread_count; ++i) s.workers.emplace_back([&s] { s.RunWorker(); });
  s.started = true;
  log::Info("listening", {{"address", FormatEndpoint(bound)}, {"threads", s.thread_count}});
  return {};
}

void HttpServer::Stop() {
  std::lock_guard lifecycle(impl_->lifecycle_mutex);
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  asio::post(s.ioc, [&s] {
    beast::error_code ec;
    s.acceptor->close(ec);
  });
  std::vector<std::shared_ptr<transport::Connection>> alive;
  {
    std::lock_guard lock(s.connections_mutex);
    for (transport::Connection* connection : s.connections) {
      // Empty while the connection is being destroyed: nothing to interrupt.
      if (auto pinned = connection->weak_from_this().lock()) alive.push_back(std::move(pinned));
    }
  }
  // Outside the lock: dropping the last reference runs ~Connection, which locks.
  for (auto& connection : alive) {
    asio::post(connection->executor(), [connection] { connection->Interrupt(); });
  }
  alive.clear();
  {
    std::unique_lock lock(s.connections_mutex);
    s.connections_empty.wait_for(lock, kStopGrace, [&s] { return s.connections.empty(); });
  }
  s.ioc.stop();
  for (std::thread& worker : s.workers) worker.join();
  s.blocking.stop();
  s.blocking.join();
  log::Info("stopped");
}

}  // namespace taskflow
